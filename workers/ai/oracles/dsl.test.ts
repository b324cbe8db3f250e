import { describe, expect, it } from "vitest";
import { AssertionSchema, evaluate, references, type OracleSubject } from "./dsl";

const subject = (body: unknown, extra: Partial<OracleSubject> = {}): OracleSubject => ({
  status: 200,
  body,
  headers: {},
  query: {},
  pathParams: {},
  requestHeaders: {},
  requestBody: undefined,
  ...extra,
});

describe("oracle DSL", () => {
  it("compares counts with request parameters (query values arrive as strings)", () => {
    const a = AssertionSchema.parse({ cmp: "<=", left: { count: "/items" }, right: { query: "limit" } });
    expect(evaluate(a, subject({ items: [1, 2] }, { query: { limit: "2" } }))).toEqual({ status: "passed" });
    expect(evaluate(a, subject({ items: [1, 2, 3] }, { query: { limit: "2" } })).status).toBe("failed");
    expect(evaluate(a, subject({ items: [1, 2, 3] })).status).toBe("skipped");
  });

  it("checks ordering of dates and numbers", () => {
    const newestFirst = AssertionSchema.parse({ sorted: "/orders", by: "/createdAt", order: "desc" });
    expect(evaluate(newestFirst, subject({ orders: [{ createdAt: "2024-01-03T00:00:00Z" }, { createdAt: "2024-01-01T00:00:00Z" }] })).status).toBe("passed");
    const verdict = evaluate(newestFirst, subject({ orders: [{ createdAt: "2024-01-01T00:00:00Z" }, { createdAt: "2024-01-03T00:00:00Z" }] }));
    expect(verdict).toMatchObject({ status: "failed", detail: expect.stringContaining("descending") });
  });

  it("judges every element, enums, and before/after deltas across steps", () => {
    const each = AssertionSchema.parse({ each: "/items", assert: { cmp: "<=", left: { item: "/createdAt" }, right: { item: "/updatedAt" } } });
    expect(evaluate(each, subject({ items: [{ createdAt: "2024-01-01", updatedAt: "2024-01-02" }] })).status).toBe("passed");
    expect(evaluate(each, subject({ items: [{ createdAt: "2024-01-03", updatedAt: "2024-01-02" }] })).status).toBe("failed");
    const enumLike = AssertionSchema.parse({ oneOf: { body: "/status" }, values: ["pending", "paid"] });
    expect(evaluate(enumLike, subject({ status: "lost" })).status).toBe("failed");
    const delta = AssertionSchema.parse({ cmp: "==", left: { body: "/stock", step: "after" }, right: { sum: [{ body: "/stock", step: "before" }, { const: -2 }] } });
    const steps = { before: { body: { stock: 10 } }, after: { body: { stock: 8 } } };
    expect(evaluate(delta, subject({}, { steps }))).toEqual({ status: "passed" });
    expect(evaluate(delta, subject({}, { steps: { ...steps, after: { body: { stock: 10 } } } })).status).toBe("failed");
    expect(references(delta).steps.sort()).toEqual(["after", "before"]);
  });

  it("refuses anything that is not the DSL (no code, no unknown keys)", () => {
    expect(AssertionSchema.safeParse({ eval: "1+1" }).success).toBe(false);
    expect(AssertionSchema.safeParse({ cmp: "<=", left: { js: "x" }, right: { const: 1 } }).success).toBe(false);
    expect(AssertionSchema.safeParse({ sorted: "items", by: "/a", order: "desc" }).success).toBe(false);
  });
});
