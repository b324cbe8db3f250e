/**
 * A target that dies on one request (its process exits: the connections in flight close without an
 * answer, then connections are refused), run through the whole pipeline: the request is named, once,
 * with its curl, and the requests in flight with it are only listed in its finding — or, when the
 * target is restarted, replayed alone and cleared.
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { resultRows, simpleCases, startRunWithCases, waitForTerminal } from "./runs-helpers";

async function mortal(restart: boolean): Promise<string> {
  const res = await fetch(`${inject("targetUrl")}/__mortal${restart ? "?restart=1" : ""}`);
  return ((await res.json()) as { url: string }).url;
}

/**
 * Three quick answers, then the poison and two slow innocent requests in flight together, then more.
 * The quick answers come 0, 50 and 100 ms late, so the three places they free go to the poison
 * first and to the innocents after it (all three still in flight when the target exits, 300 ms after
 * the poison): sent together, the order in which they left would be a coin toss, and "sent first"
 * is the suspect the finding is about.
 */
function dyingCases() {
  const quick = simpleCases(3, "ok").map((c, i) => ({
    ...c,
    id: `q${c.id}`,
    steps: c.steps.map((step) => ({ ...step, request: { ...step.request, query: i === 0 ? {} : { delay: String(50 * i) } } })),
  }));
  const poison = { ...simpleCases(1, "die")[0], id: "poison" };
  const innocents = simpleCases(2, "ok", { delay: "1500" }).map((c) => ({ ...c, id: `innocent-${c.id}` }));
  const after = simpleCases(30, "ok").map((c) => ({ ...c, id: `z${c.id}` }));
  return [...quick, poison, ...innocents, ...after];
}

async function findingsOf(runId: string) {
  const { results } = await env.DB.prepare(`SELECT "check", severity, operation_id, occurrences, data FROM findings WHERE run_id = ?`).bind(runId).all<{ check: string; severity: string; operation_id: string; occurrences: number; data: string }>();
  return results.map((r) => ({ ...r, finding: JSON.parse(r.data) as { message: string; confidence?: number; curl: string; triggers?: { key: string; curl: string }[] } }));
}

describe("a target that dies on a request", () => {
  it("never comes back: the request is named once, with its curl; the others in flight are listed in its finding, not reported on their own", async () => {
    const base = await mortal(false);
    const { runId } = await startRunWithCases(dyingCases(), { timeoutMs: 2000, concurrency: 3, circuitBreaker: 3 }, base);
    const run = await waitForTerminal(runId, 55_000);
    expect(run.status).toBe("errored");
    expect(run.error).toMatch(/^target unreachable: connection refused at /);
    expect(run.error).toMatch(/; \d+ cases skipped \(GET \/ok\/\{n\} \d+\); the target went down with GET \/die\/0 in flight: a finding names it$/);
    const findings = await findingsOf(runId);
    expect(findings.map((f) => [f.check, f.severity, f.operation_id])).toEqual([["max_response_time", "high", "get_die"]]);
    const { finding } = findings[0];
    expect(finding.curl).toMatch(/curl .*\/die\/0/);
    expect(finding.message).toMatch(/^GET \/die\/0 got no answer: its connection was closed \(\w+\) while it was in flight, and from then on the target answered nothing/);
    expect(finding.message).toContain("Not replayed alone (the target did not answer again within 10 s): of the requests in flight when the target stopped, this one was sent first");
    expect(finding.message).toMatch(/2 other requests were in flight with it \(GET \/ok\/\d, GET \/ok\/\d\)/);
    expect(finding.confidence).toBeUndefined();
    const inFlight = (finding.triggers ?? []).filter((t) => t.key.startsWith("in flight with it: "));
    expect(inFlight.map((t) => t.curl).every((c) => /curl .*\/ok\/\d\?delay=1500/.test(c))).toBe(true);
    expect(inFlight.length).toBe(2);
    const rows = await resultRows(runId);
    expect(rows.find((r) => r.case_id === "poison")?.status).toBe("failed");
    for (const id of ["innocent-c0000", "innocent-c0001"]) {
      const row = rows.find((r) => r.case_id === id)!;
      expect(row.status).toBe("errored");
      expect(row.reason).toMatch(/^step s1: no answer: in flight when the target stopped, with GET \/die\/0 \(case poison\), whose finding names it/);
    }
    // nothing sent after it died is named
    expect(rows.filter((r) => r.status === "failed").map((r) => r.case_id)).toEqual(["poison"]);
    expect((run.config as { suppressed?: unknown[] }).suppressed ?? []).toEqual([]);
  });

  it("restarted after each exit: replayed alone, the request takes it down again and the others are answered, so only it is reported", async () => {
    const base = await mortal(true);
    const { runId } = await startRunWithCases(dyingCases(), { timeoutMs: 2000, concurrency: 3, circuitBreaker: 3 }, base);
    const run = await waitForTerminal(runId, 55_000);
    const findings = await findingsOf(runId);
    expect(findings.map((f) => [f.check, f.operation_id, f.occurrences])).toEqual([["max_response_time", "get_die", 1]]);
    expect(findings[0].finding.message).toContain("Replayed alone once the target answered again, GET /die/0 took it down again");
    const suppressed = (run.config as { suppressed?: { operation: { operationId: string }; reason: string }[] }).suppressed ?? [];
    expect(suppressed.map((s) => s.operation.operationId)).toEqual(["get_ok"]);
    expect(suppressed[0].reason).toMatch(/replayed alone once the target answered again it was answered 200 in \d+ ms: another request stopped the target$/);
    const rows = await resultRows(runId);
    for (const id of ["innocent-c0000", "innocent-c0001"]) expect(rows.find((r) => r.case_id === id)?.status).toBe("errored");
    expect(run.status).toBe("failed");
  });
});
