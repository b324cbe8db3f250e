/**
 * The target's circuit breaker, run-wide across parallel executor invocations: a dead target
 * (refused port, or a server that accepts and never answers) ends the run within seconds with
 * the remaining cases skipped and one reason that names the kind of failure; a target that comes
 * back while the circuit is open is probed (half-open) and the run completes.
 */

import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { resultRows, simpleCases, startRunWithCases, waitForTerminal } from "./runs-helpers";

async function runAgainst(base: string, count: number, limits: Parameters<typeof startRunWithCases>[1]) {
  const started = Date.now();
  const { runId, stub } = await startRunWithCases(simpleCases(count, "ok"), limits, base);
  const run = await waitForTerminal(runId, 55_000);
  return { run, rows: await resultRows(runId), elapsedMs: Date.now() - started, stub };
}

function byStatus(rows: { status: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[row.status] = (out[row.status] ?? 0) + 1;
  return out;
}

describe("target circuit breaker", () => {
  it("a refused port: the circuit opens after 5 failures, probes fail, the rest is skipped and the run ends in seconds", async () => {
    const base = inject("closedUrl");
    const { run, rows, elapsedMs } = await runAgainst(base, 200, {});
    expect(run.status).toBe("errored");
    expect(run.error).toMatch(new RegExp(`^target unreachable: connection refused at ${base.replace(/[.]/g, "\\.")} \\(\\d+ requests failed in a row, then 3 probes\\); \\d+ cases skipped \\(GET /ok/\\{n\\} \\d+\\)$`));
    expect(rows.length).toBe(200);
    const counts = byStatus(rows);
    expect(counts.skipped).toBeGreaterThan(150);
    expect((counts.errored ?? 0) + counts.skipped).toBe(200);
    for (const row of rows.filter((r) => r.status === "skipped")) expect(row.reason).toMatch(/^target unreachable: connection refused at /);
    expect(run.stats).toMatchObject({ cases: 200 });
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it("a server that accepts connections and never answers: timeouts open the circuit, told apart from refusals", async () => {
    const base = inject("deadUrl");
    const { run, rows, elapsedMs } = await runAgainst(base, 120, { timeoutMs: 2000 });
    expect(run.status).toBe("errored");
    expect(run.error).toMatch(/^target unreachable: no response \(timeout\) within 2000 ms at http:\/\/127\.0\.0\.1:\d+ /);
    const counts = byStatus(rows);
    expect(rows.length).toBe(120);
    expect(counts.skipped).toBeGreaterThan(90);
    // before the breaker: 120 cases × 2 s / 6 in flight = 40 s
    expect(elapsedMs).toBeLessThan(20_000);
  });

  it("a target that comes back while the circuit is open is probed and the run completes", async () => {
    const base = inject("phoenixUrl");
    // every connection reset for 1.2 s from the first request, and the first 5 (the breaker's threshold)
    // however slowly a busy machine sends them: the first cases fail, the probes find it back
    await fetch(`${inject("targetUrl")}/__phoenix?downMs=1200&resets=5`);
    const { run, rows, stub } = await runAgainst(base, 60, {});
    expect(rows.length).toBe(60);
    const counts = byStatus(rows);
    expect(counts.skipped ?? 0).toBe(0);
    expect(counts.passed).toBeGreaterThanOrEqual(40);
    expect(run.status).toBe("passed");
    const progress = await stub.getProgress();
    expect(progress?.status).toBe("passed");
    // the circuit did open (the outage was noticed) and closed again
    const circuit = await stub.circuitState();
    expect(circuit).toMatchObject({ state: "closed", opened: 1 });
    expect(counts.errored ?? 0).toBeGreaterThanOrEqual(5);
  });

  it("a request that stops the whole target is named, with its curl, when the circuit trips — whichever task ran it", async () => {
    await fetch(`${inject("targetUrl")}/__thaw`);
    // like a single-threaded server spinning on one input: after /hang/ nothing is answered, the probes
    // neither. The spin opens a task whose other cases are still to run (in flight, or held by the open
    // circuit) when the circuit trips: the culprit's result must not be lost with theirs.
    const ok = simpleCases(200, "ok", { delay: "100" });
    const spin = { ...simpleCases(1, "hang")[0], id: "c0032-spin" };
    const cases = [...ok.slice(0, 32), spin, ...ok.slice(32)];
    const { runId } = await startRunWithCases(cases, { timeoutMs: 2000, concurrency: 3, circuitBreaker: 3 }, inject("freezeUrl"));
    const run = await waitForTerminal(runId, 55_000);
    await fetch(`${inject("targetUrl")}/__thaw`);
    expect(run.error).toMatch(/^target unreachable: no response \(timeout\) within 2000 ms /);
    const rows = await resultRows(runId);
    expect(rows.find((r) => r.case_id === spin.id)?.status).toBe("failed");
    const { results: findings } = await env.DB.prepare(`SELECT "check", severity, operation_id, data FROM findings WHERE run_id = ?`).bind(runId).all<{ check: string; severity: string; operation_id: string; data: string }>();
    // the requests in flight when it stopped (the spin, and at most the two others of the 3 slots,
    // indistinguishable from outside) are named; none sent after it had stopped
    expect(findings.every((f) => f.check === "max_response_time" && f.severity === "high")).toBe(true);
    expect(rows.filter((r) => r.status === "failed").length).toBeLessThanOrEqual(3);
    const hang = findings.find((f) => f.operation_id === "get_hang")!;
    expect(hang.data).toMatch(/curl .*\/hang\/0/);
    expect(hang.data).toContain("the target stopped answering while it was in flight");
    // it never answered again (until the thaw): nothing could be replayed, and the findings say so
    for (const f of findings) expect(f.data).toContain("Not replayed alone (the target did not answer again within 10 s)");
    expect(findings.map((f) => f.operation_id)).toEqual(["get_hang"]);
  });

  /** Three quick answers, then two slow innocent requests on other operations and the spin go out together, then more. */
  function lockCases(spinMs: number) {
    const quick = simpleCases(3, "ok").map((c) => ({ ...c, id: `q${c.id}` }));
    const innocentOk = { ...simpleCases(1, "ok", { delay: "1000" })[0], id: "innocent-ok" };
    const innocentSlow = { ...simpleCases(1, "slow", { ms: "1000" })[0], id: "innocent-slow" };
    const spin = { ...simpleCases(1, "hang", { spinMs: String(spinMs) })[0], id: "spin" };
    const after = simpleCases(6, "ok").map((c) => ({ ...c, id: `z${c.id}` }));
    return [...quick, innocentOk, innocentSlow, spin, ...after];
  }

  async function findingsOf(runId: string) {
    const { results } = await env.DB.prepare(`SELECT "check", operation_id, occurrences, data FROM findings WHERE run_id = ?`).bind(runId).all<{ check: string; operation_id: string; occurrences: number; data: string }>();
    return results.map((r) => ({ ...r, finding: JSON.parse(r.data) as { message: string; confidence?: number; curl: string; caseId: string } }));
  }

  it("a spin holding a global lock freezes innocent requests on other operations: replayed alone once it answers again, only the culprit is reported", async () => {
    await fetch(`${inject("targetUrl")}/__thaw`);
    const { runId } = await startRunWithCases(lockCases(4000), { timeoutMs: 2000, concurrency: 3, circuitBreaker: 3 }, inject("lockUrl"));
    const run = await waitForTerminal(runId, 55_000);
    const findings = await findingsOf(runId);
    // in the run, all three were in flight when the target stopped: each was named (three operations)
    const suppressed = (run.config as { suppressed?: { operation: { operationId: string }; caseIds: string[]; reason: string }[] }).suppressed ?? [];
    expect(suppressed.map((s) => s.operation.operationId).sort()).toEqual(["get_ok", "get_slow"]);
    for (const s of suppressed) expect(s.reason).toMatch(/was in flight when the target stopped answering, but replayed alone once the target answered again it was answered 200 in \d+ ms: another request stopped the target$/);
    expect(findings.map((f) => [f.check, f.operation_id, f.occurrences])).toEqual([["max_response_time", "get_hang", 1]]);
    const hang = findings[0].finding;
    expect(hang.curl).toMatch(/curl .*\/hang\/0\?spinMs=4000/);
    expect(hang.message).toContain("Replayed alone once the target answered again, GET /hang/0 stopped it again");
    expect(hang.confidence).toBeUndefined();
    const rows = await resultRows(runId);
    for (const id of ["innocent-ok", "innocent-slow"]) {
      const row = rows.find((r) => r.case_id === id)!;
      expect(row.status).toBe("errored");
      expect(row.reason).toMatch(/^step s1: no answer in 2000 ms while another request had stopped the target \(replayed alone, it was answered 200 in \d+ ms\)$/);
    }
    expect(rows.find((r) => r.case_id === "spin")?.status).toBe("failed");
    expect(run.status).toBe("failed");
  });

  it("a target that never answers again: one finding for the stop, on the earliest request in flight, listing the others with their curls", async () => {
    await fetch(`${inject("targetUrl")}/__thaw`);
    const { runId } = await startRunWithCases(lockCases(120_000), { timeoutMs: 2000, concurrency: 3, circuitBreaker: 3 }, inject("lockUrl"));
    const run = await waitForTerminal(runId, 55_000);
    await fetch(`${inject("targetUrl")}/__thaw`);
    expect(run.error).toMatch(/^target unreachable: no response \(timeout\) within 2000 ms /);
    const findings = await findingsOf(runId);
    // which of the three stopped it cannot be told from outside: one finding, not three (two of them false)
    expect(findings.length).toBe(1);
    const rows = await resultRows(runId);
    const sentAt = (caseId: string) => Date.parse((JSON.parse(rows.find((r) => r.case_id === caseId)!.exchanges) as { startedAt: string }[])[0].startedAt);
    const suspects = ["innocent-ok", "innocent-slow", "spin"].sort((a, b) => sentAt(a) - sentAt(b));
    const { finding } = findings[0];
    expect(finding.caseId).toBe(suspects[0]);
    expect(finding.confidence).toBeUndefined();
    expect(finding.message).toContain("Not replayed alone (the target did not answer again within 10 s): of the requests in flight when the target stopped, this one was sent first");
    expect(finding.message).toContain("2 other requests were in flight with it");
    // every request in flight is in the finding, each with its curl
    const curls = [finding.curl, ...((finding as { triggers?: { key: string; curl: string }[] }).triggers ?? []).filter((t) => t.key.startsWith("in flight with it: ")).map((t) => t.curl)];
    for (const path of ["/ok/0", "/slow/0", "/hang/0"]) expect(curls.some((c) => c.includes(path))).toBe(true);
    for (const id of suspects.slice(1)) expect(rows.find((r) => r.case_id === id)?.status).toBe("errored");
    expect(run.error).toContain(`the target stopped answering with GET /`);
    expect((run.config as { suppressed?: unknown[] }).suppressed ?? []).toEqual([]);
  });

  it("limits.circuitBreaker 0 turns the breaker off: every case is tried", async () => {
    const { run, rows } = await runAgainst(inject("closedUrl"), 24, { circuitBreaker: 0 });
    expect(run.status).toBe("errored");
    expect(byStatus(rows)).toEqual({ errored: 24 });
    expect(rows.every((r) => /network error/.test(r.reason ?? ""))).toBe(true);
  });
});


