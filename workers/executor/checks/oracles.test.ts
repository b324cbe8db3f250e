import { describe, expect, it } from "vitest";
import type { Assertion } from "../../ai/oracles/dsl";
import { inferred_invariant, llm_oracle } from "./oracles";
import { ctx, record } from "./test-support";

const atMostLimit: Assertion = { cmp: "<=", left: { count: "/results" }, right: { query: "limit" } };

function searchStep(results: number, limit: number | undefined, status = 200) {
  const rec = record({ path: "/pets", status, body: { results: Array.from({ length: results }, (_, i) => ({ id: i + 1 })) } });
  if (limit !== undefined) rec.request.resolved.query = { q: "a", limit };
  return rec;
}

const oracle = (status: "proposed" | "accepted") => ({ oracle: { id: "o1", sentence: "Returns at most `limit` results.", assertion: atMostLimit, status } });

describe("llm_oracle", () => {
  it("fails when the documented rule is broken, quoting the sentence; low severity until accepted", () => {
    const proposed = llm_oracle(ctx(searchStep(2, 1), { params: oracle("proposed") }));
    expect(proposed).toMatchObject({ status: "failed", signature: "oracle:o1", severity: "low" });
    expect(proposed.message).toContain("Returns at most `limit` results.");
    expect(proposed.message).toContain("size(/results) = 2, expected <= query limit = 1");
    expect(llm_oracle(ctx(searchStep(2, 1), { params: oracle("accepted") }))).toMatchObject({ status: "failed", severity: "medium" });
  });

  it("passes when the rule holds, skips when an operand is absent or the call failed", () => {
    expect(llm_oracle(ctx(searchStep(1, 1), { params: oracle("proposed") })).status).toBe("passed");
    expect(llm_oracle(ctx(searchStep(5, undefined), { params: oracle("proposed") })).status).toBe("skipped");
    expect(llm_oracle(ctx(searchStep(5, 1, 400), { params: oracle("proposed") })).status).toBe("skipped");
    expect(llm_oracle(ctx(searchStep(5, 1), {})).status).toBe("skipped");
  });
});

describe("inferred_invariant", () => {
  it("fails when an invariant that always held breaks, passes otherwise", () => {
    const params = { oracle: { id: "i1", assertion: { cmp: "==", left: { body: "/id" }, right: { path: "petId" } }, observations: 12 } };
    const good = record({ path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7 }, pathParams: { petId: 7 } });
    const bad = record({ path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 8 }, pathParams: { petId: "7" } });
    expect(inferred_invariant(ctx(good, { params })).status).toBe("passed");
    const failed = inferred_invariant(ctx(bad, { params }));
    expect(failed).toMatchObject({ status: "failed", signature: "invariant:i1" });
    expect(failed.message).toContain("12 earlier observations");
  });
});
