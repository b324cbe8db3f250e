import { describe, expect, it } from "vitest";
import { bundleDocument, resolveFilePath } from "./bundle";
import { modelFromDocument } from "./parse-spec";

function memoryFs(files: Record<string, string>) {
  const reads: string[] = [];
  const readText = async (path: string) => {
    reads.push(path);
    if (!(path in files)) throw new Error(`ENOENT ${path}`);
    return files[path];
  };
  return { readText, reads };
}

/** every $ref left in a bundled document is internal */
function externalRefs(doc: unknown): string[] {
  const found: string[] = [];
  const walk = (n: unknown) => {
    if (n === null || typeof n !== "object") return;
    const ref = (n as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && !ref.startsWith("#")) found.push(ref);
    Object.values(n).forEach(walk);
  };
  walk(doc);
  return found;
}

describe("resolveFilePath", () => {
  it("resolves relative paths, ../ and URLs", () => {
    expect(resolveFilePath("/specs/api/root.yaml", "paths/a.yaml")).toBe("/specs/api/paths/a.yaml");
    expect(resolveFilePath("/specs/api/paths/a.yaml", "../shared/./b.yml")).toBe("/specs/api/shared/b.yml");
    expect(resolveFilePath("root.yaml", "./x@{id}.yaml")).toBe("x@{id}.yaml");
    expect(resolveFilePath("/s/root.yaml", "my%20file.yml")).toBe("/s/my file.yml");
    expect(resolveFilePath("https://example.com/api/root.yaml", "../x.yaml")).toBe("https://example.com/x.yaml");
  });
});

describe("bundleDocument", () => {
  const files = {
    "/api/root.yaml": [
      "openapi: 3.0.3",
      "info: {title: Split, version: '1'}",
      "paths:",
      "  /pets:",
      "    $ref: 'paths/pets.yaml'",
      "  /pets/{id}:",
      "    get:",
      "      $ref: 'paths/get-pet.yaml'",
      "components:",
      "  schemas:",
      "    Local: {type: string}",
      "  securitySchemes:",
      "    basic:",
      "      $ref: 'security/basic.yaml'",
    ].join("\n"),
    "/api/paths/pets.yaml": [
      "get:",
      "  operationId: listPets",
      "  parameters:",
      "    - $ref: '../shared/params.yaml#/limit'",
      "  responses:",
      "    '200':",
      "      description: ok",
      "      content:",
      "        application/json:",
      "          schema:",
      "            type: array",
      "            items: {$ref: '../models/pet.yaml'}",
      "          example: {$ref: 'data-not-a-file', other: 1}",
      "    default: {$ref: '../shared/responses.yaml#/Error'}",
    ].join("\n"),
    "/api/paths/get-pet.yaml": [
      "operationId: getPet",
      "parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
      "responses:",
      "  '200':",
      "    description: ok",
      "    content: {application/json: {schema: {$ref: '../models/pet.yaml'}}}",
      "  default: {$ref: '../shared/responses.yaml#/Error'}",
    ].join("\n"),
    "/api/models/pet.yaml": [
      "type: object",
      "properties:",
      "  name: {type: string}",
      "  parent: {$ref: './pet.yaml'}",
      "  owner: {$ref: 'owner.json#/Owner'}",
      "  local: {$ref: '../root.yaml#/components/schemas/Local'}",
      "  x-self: {$ref: 'pet.yaml'}",
    ].join("\n"),
    "/api/models/owner.json": JSON.stringify({
      Owner: {
        type: "object",
        properties: { pets: { type: "array", items: { $ref: "pet.yaml" } }, kind: { $ref: "#/Kind" } },
        discriminator: { propertyName: "kind", mapping: { a: "#/Kind", b: "pet.yaml", c: "Plain" } },
      },
      Kind: { enum: ["a", "b"] },
    }),
    "/api/shared/params.yaml": "limit: {name: limit, in: query, schema: {type: integer}}\n",
    "/api/shared/responses.yaml": "Error:\n  description: error\n  content: {application/json: {schema: {$ref: '#/ErrorBody'}}}\nErrorBody: {type: object}\n",
    "/api/security/basic.yaml": "type: http\nscheme: basic\n",
  };

  it("produces one self-contained document that parses into a model", async () => {
    const { readText, reads } = memoryFs(files);
    const result = await bundleDocument("/api/root.yaml", readText);
    expect(result.problems).toEqual([]);
    expect(new Set(reads).size).toBe(reads.length);
    // only the example value keeps its $ref: example data is never resolved
    expect(externalRefs(result.document)).toEqual(["data-not-a-file"]);
    const schemas = (result.document as any).components.schemas;
    expect(Object.keys(schemas).sort()).toEqual(["ErrorBody", "Kind", "Local", "Owner", "pet"]);
    expect(schemas.pet.properties.parent).toEqual({ $ref: "#/components/schemas/pet" });
    expect(schemas.pet.properties.local).toEqual({ $ref: "#/components/schemas/Local" });
    // a property called x-... is a schema like any other (recursion stays a $ref)
    expect(schemas.pet.properties["x-self"]).toEqual({ $ref: "#/components/schemas/pet" });
    expect(schemas.Owner.properties.pets.items).toEqual({ $ref: "#/components/schemas/pet" });
    expect(schemas.Owner.discriminator.mapping).toEqual({ a: "#/components/schemas/Kind", b: "#/components/schemas/pet", c: "Plain" });

    const { model, problems } = modelFromDocument(result.document);
    expect(problems).toEqual([]);
    expect(model!.operations.map((o) => o.operationId)).toEqual(["listPets", "getPet"]);
    const list = model!.operations[0];
    expect(list.parameters[0]).toMatchObject({ name: "limit", in: "query" });
    expect(list.responses[0].content[0].example).toEqual({ $ref: "data-not-a-file", other: 1 });
    expect(list.responses[1].content[0].schema).toEqual({ $ref: "#/components/schemas/ErrorBody" });
    expect(model!.securitySchemes.basic).toEqual({ name: "basic", type: "http", scheme: "basic" });
  });

  it("reports a missing file and a missing pointer with file and line", async () => {
    const broken = {
      ...files,
      "/api/paths/get-pet.yaml": files["/api/paths/get-pet.yaml"] + "\n  '404': {$ref: '../shared/responses.yaml#/NotFound'}\n",
    } as Record<string, string>;
    delete broken["/api/security/basic.yaml"];
    const { readText } = memoryFs(broken);
    const result = await bundleDocument("/api/root.yaml", readText);
    const errors = result.problems.filter((p) => p.severity === "error");
    expect(errors).toHaveLength(2);
    expect(errors.find((e) => /basic.yaml/.test(e.message))).toMatchObject({ pointer: "/components/securitySchemes/basic/$ref", line: 14 });
    expect(errors.find((e) => /NotFound/.test(e.message))).toMatchObject({
      pointer: "/responses/404/$ref",
      message: expect.stringMatching(/^\/api\/paths\/get-pet.yaml: .*points to nothing/),
      line: 8,
    });
  });

  it("reports a root that cannot be read", async () => {
    const result = await bundleDocument("/nope.yaml", memoryFs({}).readText);
    expect(result.document).toBeUndefined();
    expect(result.problems[0].message).toMatch(/cannot be read/);
  });

  it("stops at a cycle of inlined objects", async () => {
    const { readText } = memoryFs({
      "/r.yaml": "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'a.yaml'}\n",
      "/a.yaml": "$ref: 'b.yaml'\n",
      "/b.yaml": "$ref: 'a.yaml'\n",
    });
    const result = await bundleDocument("/r.yaml", readText);
    expect(result.problems.some((p) => p.severity === "error" && /cycle/.test(p.message))).toBe(true);
  });
});
