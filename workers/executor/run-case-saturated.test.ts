import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step, TestCase } from "../model";
import { model } from "./checks/test-support";
import type { FetchLike } from "./http-client";
import { TYPICAL_FACTOR } from "./checks/performance";
import { runCase, type RunEnv } from "./run-case";
import { TargetWatch } from "./target-watch";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

// a single-threaded target: a POST holds it for ?holdMs= (a password hash, a regex), and nothing
// else — the probe neither — is answered until it is done. On a saturated host every call of a
// costly operation holds it long enough for the probe's absolute thresholds.
let api: LoopbackServer;
/**
 * How long a costly call holds the target: the probe (sent 150 ms in) then waits ~600 ms, so on a
 * loaded machine a probe alone may take up to ~150 ms (1/4 of that) and a timer may fire up to
 * ~550 ms late before the observation stops showing a blocked target (with 500 ms: 87 and 300 ms).
 */
const HOLD_MS = 750;
let busyUntil = 0;

beforeAll(async () => {
  api = await listenLoopback(async (req, res) => {
    for await (const _ of req);
    const url = new URL(req.url ?? "/", "http://x");
    const start = Math.max(Date.now(), busyUntil);
    if (req.method === "POST") busyUntil = start + Number(url.searchParams.get("holdMs") ?? 0);
    const answerAt = req.method === "POST" ? busyUntil : start;
    setTimeout(() => res.writeHead(req.method === "POST" ? 201 : 404, { "content-type": "application/json" }).end('{"id":1}'), Math.max(0, answerAt - Date.now()));
  });
});

afterAll(() => api.close());

function env(target: TargetWatch, stallMs = 150): RunEnv {
  return { fetch: globalThis.fetch as FetchLike, baseUrl: api.url, identities: {}, model, config: { timeoutMs: 5000, maxBodyBytes: 1024 * 1024, retryDelayMs: 10, stallMs }, target };
}

function create(id: string, holdMs: number): TestCase {
  const step: Step = { id: "s1", request: { method: "post", path: "/pets", pathParams: {}, query: { holdMs: String(holdMs) }, headers: {}, body: { contentType: "application/json", value: { name: "Rex" } } }, checks: [{ name: "not_a_server_error" }] };
  return { id, agent: "negative", operationId: "createPet", kind: "negative", title: "t", steps: [step] };
}

const stop = (result: Awaited<ReturnType<typeof runCase>>) => result.checks.find((c) => c.check === "max_response_time");

describe("a request that holds the whole target, judged against the operation's usual answers in the run", () => {
  it("every call of the operation holds it as long (a saturated host): its usual cost, not reported", async () => {
    const target = new TargetWatch();
    // the operation's earlier answers: only their time counts (unwatched, so not each held twice)
    for (let i = 0; i < 5; i++) await runCase(create(`base-${i}`, HOLD_MS), env(target, 0));
    const result = await runCase(create("slow", HOLD_MS), env(target));
    expect(result.exchanges[0].liveness).toMatchObject({ blocked: true, confirmed: true });
    expect(result.exchanges[0].liveness!.typicalMs).toBeGreaterThanOrEqual(HOLD_MS);
    expect(stop(result)).toMatchObject({ status: "skipped", message: expect.stringMatching(/^POST \/pets held the target for \d+ ms, but its answers in this run usually take \d+ ms: its usual cost on this host, not this input's$/) });
    expect(result.checks.filter((c) => c.check === "max_response_time" && c.status === "failed")).toEqual([]);
  });

  it("the same hold where the operation's other calls answer at once: a denial of service, reported", async () => {
    const target = new TargetWatch();
    for (let i = 0; i < 5; i++) await runCase(create(`base-${i}`, 0), env(target));
    const result = await runCase(create("spin", HOLD_MS), env(target));
    // the operation's usual answer: far below the hold (the verdict needs it under 1/TYPICAL_FACTOR of it)
    expect(result.exchanges[0].liveness!.typicalMs).toBeLessThan(HOLD_MS / TYPICAL_FACTOR);
    expect(stop(result)).toMatchObject({ status: "failed", signature: "liveness", severity: "high" });
    // too few answers of the operation to know its usual time: judged on the probe alone, as before
    const fresh = await runCase(create("first", HOLD_MS), env(new TargetWatch()));
    expect(fresh.exchanges[0].liveness?.typicalMs).toBeUndefined();
    expect(stop(fresh)).toMatchObject({ status: "failed", signature: "liveness" });
  });
});
