import { describe, expect, it } from "vitest";
import { deriveOperationId } from "./build-model";
import { parseSpec } from "./parse-spec";

const errorsOf = (r: ReturnType<typeof parseSpec>) => r.problems.filter((p) => p.severity === "error");

function spec31(extra: Record<string, unknown>) {
  return JSON.stringify({ openapi: "3.1.0", info: { title: "T", version: "1" }, ...extra }, null, 2);
}

describe("operations", () => {
  const doc = {
    openapi: "3.0.3",
    info: { title: "Shop", version: "2", description: "desc" },
    servers: [{ url: "https://{env}.example.com/{base}/", variables: { env: { default: "api" }, base: { default: "v1" } } }, { url: "/relative" }],
    security: [{ bearer: [] }],
    paths: {
      "/items/{id}": {
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "verbose", in: "query", schema: { type: "boolean" } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
        ],
        get: {
          parameters: [
            { name: "verbose", in: "query", required: true, schema: { type: "integer" } },
            { name: "x-trace", in: "header", required: true, schema: { type: "string", format: "uuid" } },
            { name: "Accept", in: "header", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "ok",
              headers: { "X-Rate": { $ref: "#/components/headers/Rate" }, "Content-Type": { schema: { type: "string" } } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Item" }, examples: { one: { $ref: "#/components/examples/One" } } } },
              links: { self: { operationId: "getItem", parameters: { id: "$response.body#/id", n: 5 } } },
            },
            "4XX": { $ref: "#/components/responses/Problem" },
          },
          security: [],
        },
        delete: { operationId: "dup", responses: { "204": { description: "gone" } }, security: [{}, { bearer: [] }] },
      },
      "/files/{id}#copy": { post: { parameters: [{ $ref: "#/components/parameters/Id" }], responses: { "200": { description: "ok" } } } },
      "/files/{id}#move": { post: { parameters: [{ $ref: "#/components/parameters/Id" }], responses: { "200": { description: "ok" } } } },
      "/other": {
        get: { operationId: "dup", responses: { default: { description: "x" } } },
        post: { operationId: "dup", responses: { default: { description: "x" } } },
        put: { responses: { default: { description: "x" } }, requestBody: { $ref: "#/components/requestBodies/Item" } },
      },
    },
    components: {
      schemas: { Item: { type: "object", properties: { id: { type: "string" }, parent: { $ref: "#/components/schemas/Item" } } } },
      parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "integer" } } },
      headers: { Rate: { required: true, schema: { type: "integer" } } },
      examples: { One: { value: { id: "1", $ref: "data, not a reference" } } },
      responses: { Problem: { $ref: "#/components/responses/RealProblem" }, RealProblem: { description: "problem", content: { "application/problem+json": { schema: { type: "object" } } } } },
      requestBodies: { Item: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } } },
      securitySchemes: { bearer: { type: "http", scheme: "Bearer", bearerFormat: "JWT" } },
    },
  };
  const r = parseSpec(JSON.stringify(doc));
  const model = r.model!;
  const op = (id: string) => model.operations.find((o) => o.operationId === id)!;

  it("has the document metadata and servers with variables substituted", () => {
    expect(errorsOf(r)).toEqual([]);
    expect(model).toMatchObject({ sourceVersion: "3.0.3", title: "Shop", version: "2", description: "desc" });
    expect(model.servers).toEqual(["https://api.example.com/v1", "/relative"]);
    expect(model.securitySchemes.bearer).toEqual({ name: "bearer", type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("merges path-level and operation-level parameters, the operation winning", () => {
    const get = op("get_items_id");
    expect(get.pointer).toBe("/paths/~1items~1{id}/get");
    expect(get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:id", "query:verbose", "header:x-trace"]);
    expect(get.parameters[1]).toMatchObject({ required: true, schema: { type: "integer" } });
    expect(get.parameters[2].schema).toEqual({ type: "string", format: "uuid" });
  });

  it("dereferences responses (through chains), headers, examples and links", () => {
    const get = op("get_items_id");
    const ok = get.responses.find((x) => x.status === "200")!;
    expect(ok.headers).toEqual([{ name: "X-Rate", required: true, schema: { type: "integer" } }]);
    expect(ok.content[0]).toEqual({ contentType: "application/json", schema: { $ref: "#/components/schemas/Item" }, examples: [{ id: "1", $ref: "data, not a reference" }] });
    expect(ok.links).toEqual([{ name: "self", operationId: "getItem", parameters: { id: "$response.body#/id", n: "5" } }]);
    const problem = get.responses.find((x) => x.status === "4XX")!;
    expect(problem).toMatchObject({ description: "problem", content: [{ contentType: "application/problem+json" }] });
    expect(op("put_other").requestBody).toEqual({ required: true, content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Item" } }] });
  });

  it("applies effective security: operation over document", () => {
    expect(op("get_items_id").security).toEqual([]);
    expect(op("dup").security).toEqual([{}, { bearer: [] }]);
    expect(op("put_other").security).toEqual([{ bearer: [] }]);
  });

  it("removes #fragments from paths but keeps operation ids unique", () => {
    const copy = op("post_files_id_copy");
    const move = op("post_files_id_move");
    expect(copy.path).toBe("/files/{id}");
    expect(move.path).toBe("/files/{id}");
    expect(copy.pointer).toBe("/paths/~1files~1{id}#copy/post");
    expect(copy.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "integer" } }]);
  });

  it("deduplicates repeated operationIds with a suffix and a warning", () => {
    const ids = model.operations.map((o) => o.operationId);
    expect(ids.filter((id) => id.startsWith("dup"))).toEqual(["dup", "dup_2", "dup_3"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.problems.filter((p) => /used more than once/.test(p.message))).toHaveLength(2);
  });

  it("derives stable ids from method and path", () => {
    expect(deriveOperationId("get", "/pets/{petId}/photos.json")).toBe("get_pets_petId_photos_json");
  });

  it("keeps recursive component schemas as refs", () => {
    expect(model.schemas.Item).toEqual({ type: "object", properties: { id: { type: "string" }, parent: { $ref: "#/components/schemas/Item" } } });
    expect(() => JSON.stringify(model)).not.toThrow();
  });
});

describe("references", () => {
  it("reports a dangling schema ref with its line", () => {
    const yaml = [
      "openapi: 3.0.0",
      "info: {title: t, version: '1'}",
      "paths:",
      "  /a:",
      "    get:",
      "      responses:",
      "        '200':",
      "          description: ok",
      "          content:",
      "            application/json:",
      "              schema:",
      "                $ref: '#/components/schemas/Missing'",
    ].join("\n");
    const r = parseSpec(yaml);
    expect(r.model).toBeUndefined();
    expect(errorsOf(r)).toEqual([
      {
        severity: "error",
        pointer: "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        message: '$ref "#/components/schemas/Missing" points to nothing',
        line: 12,
        column: 17,
      },
    ]);
  });

  it("reports a cycle among parameter refs instead of hanging", () => {
    const r = parseSpec(spec31({
      paths: { "/a": { get: { parameters: [{ $ref: "#/components/parameters/A" }], responses: {} } } },
      components: { parameters: { A: { $ref: "#/components/parameters/B" }, B: { $ref: "#/components/parameters/A" } } },
    }));
    expect(r.model).toBeUndefined();
    expect(errorsOf(r)[0].message).toMatch(/\$ref cycle: #\/components\/parameters\/A -> #\/components\/parameters\/B -> #\/components\/parameters\/A/);
    expect(errorsOf(r)[0].line).toBeGreaterThan(1);
  });

  it("reports a schema that is only a ref to itself", () => {
    const r = parseSpec(spec31({ paths: {}, components: { schemas: { A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } } } }));
    expect(errorsOf(r)[0].message).toMatch(/schema \$ref cycle/);
  });

  it("names schemas reached by refs to other places and keeps every ref resolvable", () => {
    const r = parseSpec(spec31({
      paths: {
        "/a": {
          get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { x: { type: "integer" } } } } } } } },
          post: { requestBody: { content: { "application/json": { schema: { $ref: "#/paths/~1a/get/responses/200/content/application~1json/schema" } } } }, responses: {} },
          put: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Pet/properties/name" } } } }, responses: {} },
        },
      },
      components: { schemas: { Pet: { type: "object", properties: { name: { type: "string", minLength: 1 } } } } },
    }));
    expect(errorsOf(r)).toEqual([]);
    const refs = r.model!.operations.filter((o) => o.requestBody).map((o) => (o.requestBody!.content[0].schema as { $ref: string }).$ref);
    // operations come in HTTP_METHODS order: put before post
    expect(refs).toEqual([
      "#/components/schemas/Pet~1properties~1name",
      "#/components/schemas/paths~1~1a~1get~1responses~1200~1content~1application~1json~1schema",
    ]);
    expect(r.model!.schemas["Pet/properties/name"]).toEqual({ type: "string", minLength: 1 });
    expect(r.model!.schemas["paths//a/get/responses/200/content/application/json/schema"]).toEqual({ type: "object", properties: { x: { type: "integer" } } });
  });

  it("refuses unbundled external refs with a pointer to them", () => {
    const r = parseSpec(spec31({ paths: { "/a": { $ref: "paths/a.yaml" } } }));
    expect(r.model).toBeUndefined();
    expect(errorsOf(r)[0]).toMatchObject({ pointer: "/paths/~1a/$ref", message: expect.stringMatching(/external \$ref "paths\/a.yaml".*bundle/) });
  });

  it("follows refs to path items and operations", () => {
    const r = parseSpec(spec31({
      paths: { "/a": { $ref: "#/components/pathItems/A" }, "/b": { get: { $ref: "#/components/pathItems/A/get" } } },
      components: { pathItems: { A: { get: { operationId: "getA", responses: { "200": { description: "ok" } } } } } },
    }));
    expect(errorsOf(r)).toEqual([]);
    expect(r.model!.operations.map((o) => [o.operationId, o.path])).toEqual([["getA", "/a"], ["getA_2", "/b"]]);
  });

  it("adds undeclared path template parameters and drops stray path parameters, with warnings", () => {
    const r = parseSpec(spec31({
      paths: { "/a/{x}": { get: { parameters: [{ name: "y", in: "path", required: true, schema: { type: "integer" } }], responses: {} } } },
    }));
    expect(r.model!.operations[0].parameters).toEqual([{ name: "x", in: "path", required: true, schema: { type: "string" } }]);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/"x" appears in the path but is not declared/),
      expect.stringMatching(/"y" is declared but does not appear/),
    ]);
  });
});

describe("operation extensions", () => {
  it("keeps x-* keys of the operation", () => {
    const doc = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: { "/admin": { delete: { "x-sentinel-privileged": true, responses: { "204": { description: "ok" } } } } },
    };
    const { model } = parseSpec(JSON.stringify(doc));
    expect(model?.operations[0].extensions).toEqual({ "x-sentinel-privileged": true });
  });
});
