import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestCase } from "../model";
import { model } from "./checks/test-support";
import { sendRequest, type FetchLike } from "./http-client";
import { sendWatched } from "./liveness";
import { runCase } from "./run-case";

// The target runs in its own thread: `/block` busy-waits (a catastrophic regex stops a
// single-threaded server like this), `/slow` waits without blocking, `/` answers at once.
const SERVER = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://t");
  const ms = Number(url.searchParams.get("ms") ?? 0);
  const answer = () => { res.writeHead(url.pathname === "/" ? 404 : 200, { "content-type": "application/json" }); res.end("{}"); };
  if (url.pathname === "/block") { const end = Date.now() + ms; while (Date.now() < end); return answer(); }
  if (url.pathname === "/slow" || url.pathname === "/loaded") return void setTimeout(answer, ms);
  answer();
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

let worker: Worker;
let base: string;

beforeAll(async () => {
  worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once("message", resolve));
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => worker.terminate());

const options = () => ({ fetch: globalThis.fetch as FetchLike, timeoutMs: 5000, maxBodyBytes: 4096, retries: 0 });
const probe = async () => {
  const r = await sendRequest({ method: "GET", url: `${base}/`, headers: {} }, options());
  return { status: r.response?.status, error: r.error };
};
const watched = (path: string) => sendWatched(() => sendRequest({ method: "GET", url: base + path, headers: {} }, options()), probe, `${base}/`, { stallMs: 150, tenure: { ms: 20_000 } });

describe("liveness oracle", () => {
  it("a request that blocks the whole target is observed twice: blocked and confirmed", async () => {
    const sent = await watched("/block?ms=600");
    expect(sent.response?.status).toBe(200);
    expect(sent.liveness).toMatchObject({ blocked: true, confirmed: true, probeStatus: 404 });
    expect(sent.liveness!.probeMs).toBeGreaterThanOrEqual(250);
  });
  it("on a saturated host (a probe alone takes 300 ms): a short hold is not confirmed, a long one is", async () => {
    const loadedProbe = async () => {
      const r = await sendRequest({ method: "GET", url: `${base}/loaded?ms=300`, headers: {} }, options());
      return { status: r.response?.status, error: r.error };
    };
    const held = (ms: number) => sendWatched(() => sendRequest({ method: "GET", url: `${base}/block?ms=${ms}`, headers: {} }, options()), loadedProbe, `${base}/`, { stallMs: 150, tenure: { ms: 20_000 } });
    const short = await held(600);
    expect(short.liveness).toMatchObject({ blocked: true, confirmed: false });
    expect(short.liveness!.controlMs).toBeGreaterThanOrEqual(290);
    const long = await held(2000);
    expect(long.liveness).toMatchObject({ blocked: true, confirmed: true });
    expect(long.liveness!.probeMs).toBeGreaterThanOrEqual(4 * long.liveness!.controlMs!);
  });
  it("a slow request on a target that still serves others is not blocking", async () => {
    const sent = await watched("/slow?ms=600");
    expect(sent.liveness).toMatchObject({ blocked: false });
    expect(sent.liveness?.confirmed).toBeUndefined();
  });
  it("a fast request gets no probe", async () => {
    expect((await watched("/fast")).liveness).toBeUndefined();
  });
  it("runCase names the blocking request as a max_response_time failure, with no budget configured", async () => {
    const testCase: TestCase = { id: "c1", agent: "functional-negative", operationId: "listPets", kind: "negative", title: "t", steps: [{ id: "request", request: { method: "get", path: "/block", pathParams: {}, query: { ms: 600 }, headers: {} }, checks: [] }] };
    const result = await runCase(testCase, { fetch: globalThis.fetch as FetchLike, baseUrl: base, identities: {}, model, config: { timeoutMs: 5000, maxBodyBytes: 4096, stallMs: 150 } });
    expect(result.checks.find((c) => c.check === "max_response_time")).toMatchObject({ status: "failed", signature: "liveness", severity: "high" });
    expect(Date.parse(result.exchanges[0].startedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
