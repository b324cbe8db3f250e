import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { functionalPositive } from "./functional-positive";

/** A query parameter typed as a plain string whose description says it is a JSON array (Directus's asset transforms). */
const model: ApiModel = {
  sourceVersion: "3.0.1",
  title: "assets",
  version: "1",
  servers: [],
  securitySchemes: {},
  schemas: {},
  operations: [
    {
      operationId: "getAsset",
      method: "get",
      path: "/assets",
      tags: [],
      deprecated: false,
      security: [],
      pointer: "#",
      parameters: [
        { name: "transforms", in: "query", required: false, description: "A JSON array of image transformations", schema: { type: "string" } },
        { name: "key", in: "query", required: false, description: "The key of the asset size configured in settings.", schema: { type: "string" } },
      ],
      responses: [{ status: "200", content: [{ contentType: "application/json", schema: { type: "object" } }], headers: [], links: [] }],
    },
  ],
};

describe("a query parameter described as JSON text", () => {
  it("is sent as JSON of that kind by the positive cases, its neighbour as made-up text", async () => {
    const cases = await functionalPositive.generate({ model, seed: 5, config: { identities: [], maxCasesPerOperation: 20 } });
    const queries = cases.map((c) => c.steps[c.steps.length - 1].request.query).filter((q) => q.transforms !== undefined);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.transforms).toBe("[]");
    expect(queries.some((q) => typeof q.key === "string" && !/^[[{]/.test(q.key))).toBe(true);
  });
});
