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

describe("oracles: what the rule sees and when it judges", () => {
  const rule = (assertion: Assertion, extra: Record<string, unknown> = {}) => ({ oracle: { id: "r", assertion, ...extra } });
  it("judges 2xx responses only, both ends of the range", () => {
    const atLeastOne: Assertion = { cmp: ">=", left: { count: "/results" }, right: { const: 1 } };
    for (const status of [199, 300]) expect(llm_oracle(ctx(searchStep(0, 1, status), { params: rule(atLeastOne) })).status).toBe("skipped");
    for (const status of [200, 299]) expect(inferred_invariant(ctx(searchStep(0, 1, status), { params: rule(atLeastOne) })).status).toBe("failed");
    expect(inferred_invariant(ctx(searchStep(0, 1), { params: { oracle: { assertion: atLeastOne } } })).status).toBe("skipped");
  });
  it("reads the response headers, the request's headers, path parameters and body, and other steps' bodies", () => {
    const write = record({ id: "write", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, headers: { "x-total": "3" }, body: { id: 7, name: "Rex" }, requestBody: { name: "Rex" }, requestHeaders: { "x-count": "3" }, pathParams: { petId: 7 } });
    const before = record({ id: "before", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7, name: "Old" } });
    const judge = (assertion: Assertion) => inferred_invariant(ctx(write, { others: [before], params: rule(assertion) })).status;
    expect(judge({ cmp: "==", left: { body: "/name" }, right: { requestBody: "/name" } })).toBe("passed");
    expect(judge({ cmp: "==", left: { body: "/id" }, right: { path: "petId" } })).toBe("passed");
    expect(judge({ cmp: "==", left: { header: "x-total" }, right: { const: 3 } })).toBe("passed");
    expect(judge({ cmp: "!=", left: { body: "/name", step: "before" }, right: { body: "/name" } })).toBe("passed");
    expect(judge({ cmp: "==", left: { body: "/name", step: "before" }, right: { const: "Old" } })).toBe("passed");
  });
  it("messages: the sentence or the id, the number of observations, the confidence", () => {
    const broken: Assertion = { cmp: "==", left: { count: "/results" }, right: { const: 5 } };
    const llm = llm_oracle(ctx(searchStep(1, 1), { params: rule(broken) }));
    expect(llm.message).toContain('"r"');
    expect(llm.message).toContain("lower confidence");
    const invariant = inferred_invariant(ctx(searchStep(1, 1), { params: rule(broken) }));
    expect(invariant.message).toContain("Invariant r, which held in every earlier observations");
    expect(invariant.message).toContain("inferred from observed responses, not yet accepted");
    const accepted = inferred_invariant(ctx(searchStep(1, 1), { params: rule(broken, { sentence: "Five results.", status: "accepted" }) }));
    expect(accepted.message).toContain('Invariant "Five results."');
    expect(accepted.message).not.toContain("lower confidence");
    expect(inferred_invariant(ctx(searchStep(1, 1), { params: rule({ cmp: "==", left: { body: "/absent" }, right: { const: 5 } }) })).status).toBe("skipped");
    expect(llm_oracle(ctx(searchStep(1, 1), { params: rule({ cmp: "==", left: { body: "/absent" }, right: { const: 5 } }) })).message).toContain('"r": ');
  });
});
