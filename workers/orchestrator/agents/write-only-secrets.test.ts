import { describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../../model";
import { parseSpec } from "../spec/parse-spec";
import { dataExposure } from "./data-exposure";

// Swagger 2.0 has no writeOnly: the key's secret is in what the create accepts, not in what it answers
const spec = (readDocumentsSecret: boolean): ApiModel => {
  const Key = { type: "object", required: ["label"], properties: { id: { type: "string", readOnly: true }, label: { type: "string" }, ...(readDocumentsSecret ? { sharedSecret: { type: "string" } } : {}) } };
  const doc = {
    swagger: "2.0",
    info: { title: "Keys", version: "1" },
    basePath: "/api/v2",
    consumes: ["application/json"],
    produces: ["application/json"],
    definitions: { Key, NewKey: { allOf: [{ $ref: "#/definitions/Key" }, { type: "object", properties: { sharedSecret: { type: "string", minLength: 16 } } }] } },
    paths: {
      "/keys": { post: { operationId: "createKey", parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/NewKey" } }], responses: { "201": { description: "made", schema: { $ref: "#/definitions/Key" } } } } },
      "/keys/{keyId}": { get: { operationId: "getKey", parameters: [{ name: "keyId", in: "path", required: true, type: "string" }], responses: { "200": { description: "it", schema: { $ref: "#/definitions/Key" } } } } },
    },
  };
  return parseSpec(JSON.stringify(doc)).model!;
};
const plan = (model: ApiModel) => dataExposure.generate({ model, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }) as TestCase[];

describe("a secret the create accepts and no answer documents (Swagger 2.0's writeOnly)", () => {
  it("is sent in a create, and both answers are examined for it", () => {
    const found = plan(spec(false)).find((c) => c.title.includes("write-only sharedSecret"));
    expect(found).toBeDefined();
    const create = found!.steps.find((s) => s.request.method === "post")!;
    expect(typeof (create.request.body!.value as Record<string, unknown>).sharedSecret).toBe("string");
    expect(create.checks.map((c) => c.name)).toContain("excessive_data_exposure");
    expect(found!.steps[found!.steps.length - 1].checks.map((c) => c.name)).toContain("excessive_data_exposure");
  });

  it("is not probed when the read documents it (returning it is then the contract)", () => {
    expect(plan(spec(true)).some((c) => c.title.includes("write-only"))).toBe(false);
  });
});
