/**
 * Results are written several rows per INSERT (JSON rows through json_each): each case is still
 * written once (first writer wins), the caller learns exactly which cases this call wrote — across
 * statements — and the stored JSON text is the text JSON.stringify gives.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseResult } from "../model";
import { JSON_ROWS_MAX_CHARS } from "./db";
import { countResults, resultsOfCases, ROW_BODY_LIMIT, truncateExchanges, writeCaseOutcomes, writeUnrunResults } from "./results-repo";

const RUN = "run_results_repo_test";

function outcome(caseId: string, status: CaseResult["status"] = "passed") {
  const result: CaseResult = {
    caseId,
    agent: "functional-positive",
    operationId: "listX",
    status,
    exchanges: [{ stepId: "s1", request: { method: "GET", url: "http://t/x", headers: {} }, response: { status: 200, headers: {}, body: `{"id":"${caseId}"}`, bodySize: 12, durationMs: 1 } }],
    checks: [{ check: "not_a_server_error", stepId: "s1", status: "passed" }],
    durationMs: 2.4,
  };
  return { orgId: "org_default", runId: RUN, result, findings: [], bodiesKey: null };
}

describe("results in D1", () => {
  it("writes each case once and says which ones this call wrote", async () => {
    const first = Array.from({ length: 20 }, (_, i) => outcome(`c${String(i).padStart(2, "0")}`));
    expect(await writeCaseOutcomes(env.DB, first)).toEqual(first.map(() => true));
    // a redelivery of some cases among new ones: only the new ones are written
    const again = [outcome("c03", "failed"), outcome("n1"), outcome("c15", "failed"), outcome("n2"), ...Array.from({ length: 9 }, (_, i) => outcome(`m${i}`))];
    expect(await writeCaseOutcomes(env.DB, again)).toEqual([false, true, false, true, ...Array<boolean>(9).fill(true)]);
    const counts = await countResults(env.DB, RUN);
    expect(counts).toMatchObject({ cases: 31, passed: 31, failed: 0, requests: 31 });
    const [stored] = await resultsOfCases(env.DB, RUN, ["c15"]);
    expect(stored).toMatchObject({ caseId: "c15", status: "passed", durationMs: 2, checks: [{ check: "not_a_server_error", status: "passed" }] });
    expect(stored.exchanges[0].response?.body).toBe('{"id":"c15"}');
    // cases never run: only those without a row are recorded, and counted
    expect(await writeUnrunResults(env.DB, "org_default", RUN, [{ id: "c01", agent: "a", operationId: "o" }, { id: "u1", agent: "a", operationId: "o" }], "skipped", "deadline")).toBe(1);
    expect(await countResults(env.DB, RUN)).toMatchObject({ cases: 32, skipped: 1 });
  });

  it("stores checks and exchanges as the same JSON text, and splits big batches over statements", async () => {
    const run = "run_results_repo_text";
    const odd = outcome("t1", "failed");
    odd.result.reason = 'quote " backslash \\ é 😀 \u2028 \u0001';
    odd.result.exchanges[0].response!.body = JSON.stringify({ s: "é😀\u2028\"\\/\u0000\u001f", n: [1e21, 0.1, -5, 12345678901234567890, 1.5e-7] });
    odd.result.checks.push({ check: "response_schema_conformance", stepId: "s1", status: "failed", message: "tab\there" });
    // bodies at the row limit: the rows of one batch need more than one JSON parameter
    const big = Array.from({ length: Math.ceil((2 * JSON_ROWS_MAX_CHARS) / ROW_BODY_LIMIT) + 2 }, (_, i) => {
      const o = outcome(`b${String(i).padStart(3, "0")}`);
      o.result.exchanges[0].response!.body = "x".repeat(ROW_BODY_LIMIT);
      return { ...o, runId: run };
    });
    const all = [{ ...odd, runId: run }, ...big];
    expect(await writeCaseOutcomes(env.DB, all)).toEqual(all.map(() => true));
    expect(await writeCaseOutcomes(env.DB, all.slice(0, 3))).toEqual([false, false, false]);
    const row = await env.DB.prepare(`SELECT reason, checks, exchanges FROM results WHERE run_id = ? AND case_id = 't1'`).bind(run).first<{ reason: string; checks: string; exchanges: string }>();
    expect(row).toEqual({ reason: odd.result.reason, checks: JSON.stringify(odd.result.checks), exchanges: JSON.stringify(truncateExchanges(odd.result.exchanges).exchanges) });
    expect(await countResults(env.DB, run)).toMatchObject({ cases: all.length, failed: 1 });
  });
});
