/**
 * Results are written several rows per INSERT (JSON rows through json_each): each case is still
 * written once (first writer wins), the caller learns exactly which cases this call wrote — across
 * statements — and the stored JSON text is the text JSON.stringify gives.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseResult, Finding } from "../model";
import { JSON_ROWS_MAX_CHARS } from "./db";
import { countResultRows, countResults, countRunStats, renderCase, resultsOfCases, ROW_BODY_LIMIT, truncateExchanges, writeCaseOutcomes, writeRenderedOutcomes, writeUnrunResults } from "./results-repo";

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
    // the run's final stats: the same counts with its findings, in one statement; a run without rows has none
    const finding = { id: "f_1", check: "not_a_server_error", severity: "high", operation: { method: "get", path: "/x", operationId: "listX" }, signature: "s", title: "t" } as unknown as Finding;
    await writeCaseOutcomes(env.DB, [{ ...outcome("f1", "failed"), findings: [finding] }]);
    expect(await countRunStats(env.DB, RUN)).toEqual({ ...(await countResults(env.DB, RUN)), findings: 1 });
    expect(await countRunStats(env.DB, RUN)).toMatchObject({ cases: 33, passed: 31, failed: 1, skipped: 1, requests: 32, findings: 1 });
    expect(await countResultRows(env.DB, RUN)).toBe(33);
    expect(await countRunStats(env.DB, "run_results_repo_none")).toEqual({ cases: 0, passed: 0, failed: 0, errored: 0, skipped: 0, requests: 0, findings: 0 });
    expect(await countResultRows(env.DB, "run_results_repo_none")).toBe(0);
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

  it("rows rendered where the case ran (renderCase) store what writeCaseOutcomes stores; a cut body names its R2 copy", async () => {
    const finding = (caseId: string, n: number): Finding => ({
      id: `f_${n}`, check: "not_a_server_error", severity: "high", operation: { method: "get", path: "/x", operationId: "listX" }, agent: "functional-positive", caseId,
      title: "Server error on GET /x", message: "500 é 😀", signature: "500", request: { method: "GET", url: "http://t/x", headers: {} }, curl: "curl http://t/x",
      triggers: [{ key: `k${n}`, agent: "functional-positive", kind: "positive", caseId, title: "t", curl: "curl", count: 1 }],
    });
    const cases = (run: string) => {
      const failed = outcome("r1", "failed");
      failed.result.exchanges[0].response!.body = `{"n":"${"y".repeat(ROW_BODY_LIMIT)}"}`;
      const other = outcome("r2", "failed");
      return [
        { ...failed, runId: run, findings: [finding("r1", 1), finding("r1", 2)], bodiesKey: `runs/org_default/${run}/exchanges/r1.json` },
        { ...other, runId: run, findings: [finding("r2", 1)] },
        { ...outcome("r3"), runId: run },
      ];
    };
    const direct = cases("run_render_direct");
    expect(await writeCaseOutcomes(env.DB, direct)).toEqual([true, true, true]);
    const elsewhere = cases("run_render_elsewhere").map(({ orgId, runId, result, findings }) => renderCase(orgId, runId, result, findings));
    expect(elsewhere.map(({ bodies }) => bodies?.key)).toEqual(["runs/org_default/run_render_elsewhere/exchanges/r1.json", undefined, undefined]);
    expect(elsewhere[0].bodies?.json).toBe(JSON.stringify(direct[0].result.exchanges));
    expect(await writeRenderedOutcomes(env.DB, elsewhere.map(({ outcome: o }) => o))).toEqual([true, true, true]);
    // a redelivery writes nothing, findings included
    expect(await writeRenderedOutcomes(env.DB, elsewhere.map(({ outcome: o }) => o))).toEqual([false, false, false]);
    const rows = async (run: string) => ({
      results: (await env.DB.prepare(`SELECT case_id, status, reason, checks, exchanges, replace(bodies_key, ?, '') AS key, duration_ms FROM results WHERE run_id = ? ORDER BY case_id`).bind(run, run).all()).results,
      findings: (await env.DB.prepare(`SELECT id, "check", severity, operation_id, method, path, signature, title, data, occurrences FROM findings WHERE run_id = ? ORDER BY id`).bind(run).all()).results,
    });
    const [a, b] = [await rows("run_render_direct"), await rows("run_render_elsewhere")];
    expect(b).toEqual(a);
    expect(a.results).toHaveLength(3);
    expect(a.findings.map((f) => [f.id, f.occurrences])).toEqual([["f_1", 2], ["f_2", 1]]);
  });
});
