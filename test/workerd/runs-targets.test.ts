/**
 * Hostile targets: one that never answers, one that answers after the timeout, one that sends
 * 50 MB, one that resets connections. Every run must end on time with each case recorded and a
 * reason saying what went wrong.
 */
import { describe, expect, it } from "vitest";
import { resultRows, simpleCases, startRunWithCases, targetHits, waitForTerminal } from "./runs-helpers";

async function runAgainst(kind: string, count: number, limits: Parameters<typeof startRunWithCases>[1], query: Record<string, string> = {}) {
  const started = Date.now();
  const { runId } = await startRunWithCases(simpleCases(count, kind, query), limits);
  const run = await waitForTerminal(runId, 45_000);
  return { run, rows: await resultRows(runId), elapsedMs: Date.now() - started };
}

describe("runs against misbehaving targets", () => {
  it("a target that never answers: each request times out, the run ends errored on time", async () => {
    const { run, rows, elapsedMs } = await runAgainst("hang", 12, { timeoutMs: 1000 });
    expect(run.status).toBe("errored");
    expect(rows.length).toBe(12);
    for (const row of rows) {
      expect(row.status).toBe("errored");
      expect(row.reason).toMatch(/timeout: no response within 1000 ms/);
    }
    // 12 cases, 6 in flight, 1 s each: about 2 s plus queue latency
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it("a target that answers after 12 s with a 1.5 s timeout: errored with the timeout", async () => {
    const { run, rows, elapsedMs } = await runAgainst("slow", 6, { timeoutMs: 1500 }, { ms: "12000" });
    expect(run.status).toBe("errored");
    expect(rows.every((r) => r.status === "errored" && /timeout/.test(r.reason ?? ""))).toBe(true);
    expect(elapsedMs).toBeLessThan(11_000);
  });

  it("a target that sends 50 MB: the body is cut at the limit, nothing is buffered whole, the case errored with why", async () => {
    const { run, rows, elapsedMs } = await runAgainst("huge", 3, { timeoutMs: 10_000 });
    expect(run.status).toBe("errored");
    expect(rows.length).toBe(3);
    for (const row of rows) {
      const [exchange] = JSON.parse(row.exchanges) as { response?: { bodyTruncated?: boolean; bodySize: number; body: string }; error?: string }[];
      expect(row.status).toBe("errored");
      expect(row.reason).toMatch(/response body larger than \d+ bytes/);
      expect(exchange.response?.bodyTruncated).toBe(true);
      expect(exchange.response!.bodySize).toBeLessThanOrEqual(1024 * 1024);
      // the D1 row keeps 8 KB of it
      expect(exchange.response!.body.length).toBeLessThanOrEqual(8 * 1024);
    }
    expect(elapsedMs).toBeLessThan(20_000);
  });

  it("a path whose every connection is reset while the target still answers: a crash of its handler, with the network error", async () => {
    // the base URL keeps answering the probe, and each request is dropped again when sent alone:
    // that is a handler dying on its input (not_a_server_error), not an unreachable target
    const { run, rows, elapsedMs } = await runAgainst("reset", 6, { timeoutMs: 2000 });
    expect(run.status).toBe("failed");
    expect(rows.length).toBe(6);
    for (const row of rows) {
      expect(row.status).toBe("failed");
      expect(`${row.reason ?? ""} ${row.exchanges}`).toMatch(/network error/);
    }
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it("a connection lost once on a healthy target is retried, also for a POST: the case passes", async () => {
    const name = `fluke-${Date.now()}`;
    const [template] = simpleCases(1, "ok");
    const post = {
      ...template,
      id: "post-fluke",
      title: "POST once reset",
      steps: [{ ...template.steps[0], request: { method: "post", path: `/reset-once/${name}`, pathParams: {}, query: {}, headers: {}, body: { contentType: "application/json", value: { a: 1 } } } }],
    };
    const { runId } = await startRunWithCases([post], { timeoutMs: 2000 });
    const run = await waitForTerminal(runId, 20_000);
    const rows = await resultRows(runId);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([["passed", null]]);
    expect(run.status).toBe("passed");
    const hits = await targetHits();
    expect(hits[`/reset-once/${name}`]).toBe(2);
  });

  it("the run deadline settles what never came back as errored (deadline exceeded) and aborts the requests in flight", async () => {
    const name = `deadline-${Date.now()}`;
    const started = Date.now();
    const { runId } = await startRunWithCases(hangCases(6, name), { timeoutMs: 60_000, deadlineMs: 3000 });
    const run = await waitForTerminal(runId, 45_000);
    const rows = await resultRows(runId);
    expect(run.status).toBe("errored");
    expect(run.error).toMatch(/deadline exceeded/);
    expect(rows.length).toBe(6);
    expect(rows.every((r) => r.status === "errored" && r.reason === "deadline exceeded")).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    // the executor gave up its connections at the deadline, not at the 60 s request timeout
    await expectAllClosed(name, 6, 5_000);
  });

  it("a cancelled run aborts its requests in flight at once and records them as skipped, once", async () => {
    const name = `cancel-${Date.now()}`;
    const { runId, stub } = await startRunWithCases(hangCases(6, name), { timeoutMs: 60_000, deadlineMs: 120_000 });
    const inFlight = async () => Object.keys(await targetHits()).filter((k) => k.startsWith(`/hang/${name}-`)).length === 6;
    await waitFor(inFlight, 20_000, () => "not all 6 requests in flight");
    expect((await stub.cancel())?.status).toBe("cancelled");
    // the executor hears it on its next lease beat (every 2 s)
    await expectAllClosed(name, 6, 6_000);
    const rows = await resultRows(runId);
    expect(rows.map((r) => [r.status, r.reason])).toEqual(Array.from({ length: 6 }, () => ["skipped", "run cancelled"]));
    expect((await stub.getProgress())?.status).toBe("cancelled");
  });

  it("requests a cancelled run abandoned in flight hold nothing back: the next run's requests sent again alone still go", async () => {
    // workerd drops an ended invocation's pending work: an abandoned request never gives up its
    // place in the isolate's liveness gate, so the next confirmation alone waited for it forever
    const name = `abandoned-${Date.now()}`;
    const { runId: cancelled, stub } = await startRunWithCases(hangCases(6, name), { timeoutMs: 60_000, deadlineMs: 120_000 });
    const inFlight = async () => Object.keys(await targetHits()).filter((k) => k.startsWith(`/hang/${name}-`)).length === 6;
    await waitFor(inFlight, 20_000, () => "not all 6 requests in flight");
    await stub.cancel();
    await expectAllClosed(name, 6, 6_000);
    expect((await waitForTerminal(cancelled, 10_000)).status).toBe("cancelled");
    // each reset request is sent again alone (a crash of its handler, or a flake)
    const { run, rows, elapsedMs } = await runAgainst("reset", 6, { timeoutMs: 2000 });
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: 6 }, () => "failed"));
    expect(run.status).toBe("failed");
    expect(elapsedMs).toBeLessThan(15_000);
  });
});

/** GET /hang/<name>-<i>: requests that never get an answer, named so their closes can be counted. */
function hangCases(count: number, name: string) {
  return simpleCases(count, "hang").map((c, i) => ({ ...c, steps: c.steps.map((s) => ({ ...s, request: { ...s.request, pathParams: { n: `${name}-${i}` } } })) }));
}

async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`${what()} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every one of the `count` hang requests under `name` is closed by the executor within `withinMs`. */
async function expectAllClosed(name: string, count: number, withinMs: number): Promise<void> {
  let closed = 0;
  const allClosed = async () => {
    const hits = await targetHits();
    closed = Array.from({ length: count }, (_, i) => hits[`closed:/hang/${name}-${i}`] ?? 0).filter((n) => n > 0).length;
    return closed === count;
  };
  await waitFor(allClosed, withinMs, () => `${closed} of ${count} connections closed`);
}
