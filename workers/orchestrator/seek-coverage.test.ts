import { describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../model";
import { planRun } from "./plan";
import { seekUncovered } from "./seek-coverage";

const model: ApiModel = {
  sourceVersion: "3.0.3",
  title: "Stock",
  version: "1",
  servers: [],
  schemas: {
    Product: {
      type: "object",
      required: ["sku", "kind"],
      properties: { sku: { type: "string" }, kind: { type: "string", enum: ["tool", "toy", "food"] }, fragile: { type: "boolean" }, id: { type: "integer", readOnly: true } },
    },
  },
  securitySchemes: {},
  operations: [
    {
      operationId: "listProducts",
      method: "get",
      path: "/products",
      tags: [],
      deprecated: false,
      parameters: [
        { name: "inStock", in: "query", required: true, schema: { type: "boolean" } },
        { name: "sort", in: "query", required: false, schema: { type: "string", enum: ["asc", "desc"] } },
        { name: "region", in: "query", required: true, schema: { type: "string", enum: ["eu", "us", "apac", "latam"] } },
        { name: "q", in: "query", required: false, schema: { type: "string", maxLength: 40 } },
      ],
      responses: [
        { status: "200", content: [{ contentType: "application/json", schema: { type: "array", items: { $ref: "#/components/schemas/Product" } } }], headers: [], links: [] },
        { status: "204", content: [], headers: [], links: [] },
      ],
      security: [],
      pointer: "/paths/~1products/get",
    },
    {
      operationId: "createProduct",
      method: "post",
      path: "/products",
      tags: [],
      deprecated: false,
      parameters: [],
      requestBody: { required: true, content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Product" } }] },
      responses: [{ status: "201", content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Product" } }], headers: [], links: [] }],
      security: [],
      pointer: "/paths/~1products/post",
    },
  ],
};

/** Every text a planned request of `operationId` sends for a query parameter or body property. */
function sent(cases: readonly TestCase[], operationId: string, where: "query" | "body", name: string): Set<string> {
  const out = new Set<string>();
  for (const c of cases.filter((x) => x.operationId === operationId && x.kind === "positive")) {
    const request = c.steps[c.steps.length - 1].request;
    const value = where === "query" ? request.query[name] : (request.body?.value as Record<string, unknown> | undefined)?.[name];
    if (value !== undefined) out.add(typeof value === "string" ? value : JSON.stringify(value));
  }
  return out;
}

describe("generation toward what is uncovered", () => {
  it("sends each enum member and both booleans of query parameters and body properties at least once", async () => {
    const plan = await planRun({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 12 }, agents: ["functional-positive"] });
    expect([...sent(plan.cases, "listProducts", "query", "inStock")].sort()).toEqual(["false", "true"]);
    expect([...sent(plan.cases, "listProducts", "query", "sort")].sort()).toEqual(["asc", "desc"]);
    expect([...sent(plan.cases, "listProducts", "query", "region")].sort()).toEqual(["apac", "eu", "latam", "us"]);
    expect([...sent(plan.cases, "createProduct", "body", "kind")].sort()).toEqual(["food", "tool", "toy"]);
    expect([...sent(plan.cases, "createProduct", "body", "fragile")].sort()).toEqual(["false", "true"]);
    const added = plan.cases.filter((c) => c.agent === "coverage");
    expect(added.length).toBeGreaterThan(0);
    for (const c of added) {
      // a value the spec allows may still meet a business rule: no positive_data_acceptance, and an
      // undocumented 4xx is no status_code_conformance finding (the request is not known to be valid)
      const checks = c.steps[c.steps.length - 1].checks;
      expect(checks.map((x) => x.name)).not.toContain("positive_data_acceptance");
      expect(checks.find((x) => x.name === "status_code_conformance")?.params).toEqual({ requestValid: false });
      expect(checks.map((x) => x.name)).toContain("not_a_server_error");
      expect(c.focus).toMatch(/^(query|body) /);
    }
    // a list asked for with a free-text filter nothing matches: the empty collection (documented 204)
    const empty = added.filter((c) => c.tags?.includes("empty-collection"));
    expect(empty.map((c) => c.focus)).toEqual(["query q"]);
    expect(String(empty[0].steps[0].request.query.q)).toMatch(/nomatch$/);
    // read-only properties are the server's to set
    expect(added.some((c) => c.focus === "body id")).toBe(false);
  });

  it("adds no value case when the planned cases already send every value", async () => {
    const plan = await planRun({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 12 }, agents: ["functional-positive"] });
    expect(seekUncovered(model, plan.cases, 3, { identities: [], maxCasesPerOperation: 12 }).filter((c) => c.tags?.includes("value"))).toEqual([]);
  });
});
