import { describe, expect, it } from "vitest";
import { parseSpec } from "./parse-spec";
import { generateSyntheticSpec } from "./synthetic";

describe("generateSyntheticSpec", () => {
  it("produces exactly N operations that parse without problems", () => {
    for (const n of [1, 7, 100]) {
      const doc = generateSyntheticSpec(n);
      const r = parseSpec(JSON.stringify(doc));
      expect(r.problems).toEqual([]);
      expect(r.model!.operations).toHaveLength(n);
      expect(r.model!.sourceVersion).toBe("3.1.0");
    }
  });

  it("allows zero operations (a valid, empty API)", () => {
    const r = parseSpec(JSON.stringify(generateSyntheticSpec(0)));
    expect(r.model!.operations).toEqual([]);
    expect(r.problems.map((p) => p.message)).toEqual(["the document describes no operations"]);
  });

  it("has shared components, a self-referencing schema and substituted servers", () => {
    const r = parseSpec(JSON.stringify(generateSyntheticSpec(10)));
    const model = r.model!;
    expect(model.servers).toEqual(["https://eu.api.example.com/v1"]);
    expect(Object.keys(model.schemas)).toEqual(expect.arrayContaining(["Error", "Audit", "Resource0", "Resource1Input", "Resource1Page"]));
    expect(JSON.stringify(model.schemas.Resource0)).toContain('"$ref":"#/components/schemas/Resource0"');
    const create = model.operations.find((o) => o.operationId === "createResource1")!;
    expect(create.responses[0].links[0]).toEqual({ name: "get", operationId: "getResource1", parameters: { resource1Id: "$response.body#/id" } });
    const get = model.operations.find((o) => o.operationId === "getResource1")!;
    expect(get.parameters[0]).toMatchObject({ name: "resource1Id", in: "path", required: true });
    expect(get.responses[1].content[0].schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect(get.security).toEqual([{ bearer: [] }]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(generateSyntheticSpec(50))).toBe(JSON.stringify(generateSyntheticSpec(50)));
  });
});
