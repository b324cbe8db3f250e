import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../model";
import { model as pets } from "./checks/test-support";
import { sendRequest, type FetchLike } from "./http-client";
import { disciplinedFetch, Semaphore } from "./outbound";
import { runCase, type RunEnv } from "./run-case";
import { STREAM_WINDOW_MS, readStream, streamsResponses } from "./streaming";
import { TargetWatch } from "./target-watch";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

// a streaming API (as grpc-gateway serves a server-streaming RPC): one JSON text per line, and a
// watch never ends on its own
let api: LoopbackServer;
beforeAll(async () => {
  api = await listenLoopback(async (req, res) => {
    for await (const _ of req) void _;
    const kind = new URL(req.url ?? "/", "http://x").pathname.split("/")[2];
    if (kind === "silent") return; // nothing at all, not even a status, until a message would come
    res.writeHead(200, { "content-type": "application/json" });
    if (kind === "events") {
      res.write('{"result":{"message":"created"}}\n');
      setTimeout(() => res.write('{"result":{"message":"event"}}\n'), 100);
      return; // never ends
    }
    if (kind === "bad") return void res.write('{"result":{"msg":"created"}}\n');
    if (kind === "half") return void res.write('{"result":{"message":"created"}}\n{"result":{"mess');
    if (kind === "quiet") return void res.flushHeaders();
    res.end('{"result":{"message":"one"}}\n');
  });
});
afterAll(() => api.close());

const streamed = { type: "object", properties: { result: { $ref: "#/components/schemas/Error" }, error: { type: "object" } }, title: "Stream result of Error" };
const model: ApiModel = {
  ...pets,
  operations: [
    ...pets.operations,
    {
      operationId: "watch",
      method: "post",
      path: "/watch/{kind}",
      tags: [],
      deprecated: false,
      parameters: [{ name: "kind", in: "path", required: true, schema: { type: "string" } }],
      responses: [{ status: "200", description: "A successful response.(streaming responses)", content: [{ contentType: "application/json", schema: streamed }], headers: [], links: [] }],
      security: [],
      pointer: "/paths/~1watch~1{kind}/post",
    },
  ],
};

function env(): RunEnv {
  return { fetch: globalThis.fetch as FetchLike, baseUrl: api.url, identities: {}, model, config: { timeoutMs: 5000, maxBodyBytes: 1024 * 1024, retryDelayMs: 10 }, target: new TargetWatch() };
}

const watch = (kind: string): TestCase => ({
  id: `watch-${kind}`,
  agent: "functional-positive",
  operationId: "watch",
  kind: "positive",
  title: "t",
  steps: [{ id: "s1", request: { method: "post", path: "/watch/{kind}", pathParams: { kind }, query: {}, headers: {}, body: { contentType: "application/json", value: {} } }, checks: [{ name: "not_a_server_error" }, { name: "response_schema_conformance" }] }],
});

async function timed(kind: string) {
  const started = Date.now();
  const result = await runCase(watch(kind), env());
  return { result, ms: Date.now() - started, schema: result.checks.find((c) => c.check === "response_schema_conformance") };
}

describe("a response documented as a stream", () => {
  it("is read until it goes quiet, closed, and judged on what arrived — not a timeout", async () => {
    const { result, ms, schema } = await timed("events");
    expect(result.status).toBe("passed");
    expect(ms).toBeLessThan(5000);
    expect(schema).toMatchObject({ status: "passed", message: "each of the 2 stream messages matches the schema documented for 200" });
    expect(result.exchanges[0].response?.body).toBe('{"result":{"message":"created"}}\n{"result":{"message":"event"}}\n');
  });

  it("still fails on a message that breaks the schema, and keeps whole lines of a stream closed mid-message", async () => {
    expect((await timed("bad")).schema?.status).toBe("failed");
    const half = await timed("half");
    expect(half.result.exchanges[0].response?.body).toBe('{"result":{"message":"created"}}\n');
    expect(half.schema?.status).toBe("passed");
  });

  it("a status with no message yet is an empty stream; nothing at all within the window is not judged, not errored", async () => {
    expect((await timed("quiet")).schema).toMatchObject({ status: "passed", message: expect.stringContaining("an empty stream") });
    const silent = await timed("silent");
    expect(silent.result.status).toBe("skipped");
    expect(silent.result.reason).toBe(`step s1: documented as a stream, it sent nothing (not even a status) within ${STREAM_WINDOW_MS} ms: not judged`);
    expect(silent.ms).toBeLessThan(STREAM_WINDOW_MS + 1500);
    // a stream that ends is read to its end
    expect((await timed("one")).result.exchanges[0].response?.body).toBe('{"result":{"message":"one"}}\n');
  });

  it("a stream closed by us frees its connection slot at once (a watch holds none for the run's timeout)", async () => {
    const fetch = disciplinedFetch(globalThis.fetch, { allowedOrigin: api.url, semaphore: new Semaphore(1), maxHoldMs: 60_000 }) as FetchLike;
    const started = Date.now();
    for (const kind of ["events", "quiet", "events"]) {
      const sent = await sendRequest({ method: "POST", url: `${api.url}/watch/${kind}`, headers: {}, body: "{}" }, { fetch, timeoutMs: 5000, maxBodyBytes: 1 << 20, streamWindowMs: 200 });
      expect(sent.response?.status).toBe(200);
    }
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("only operations documenting a successful answer as a stream are read so", () => {
    expect(streamsResponses(model.operations.find((o) => o.operationId === "watch"))).toBe(true);
    expect(model.operations.filter((o) => o.operationId !== "watch").some(streamsResponses)).toBe(false);
    expect(streamsResponses(undefined)).toBe(false);
  });

  it("readStream stops at the size cap and at the deadline", async () => {
    const endless = () => {
      let cancelled = false;
      const line = new TextEncoder().encode("x\n");
      return new ReadableStream<Uint8Array>({
        pull: (c) => new Promise<void>((r) => setTimeout(() => r(cancelled ? undefined : c.enqueue(line)), 5)),
        cancel: () => void (cancelled = true),
      });
    };
    const capped = await readStream(endless(), { windowMs: 1000, maxBytes: 11, deadline: performance.now() + 5000, now: () => performance.now() });
    expect(capped).toMatchObject({ cut: true, truncated: true });
    expect(capped.bytes.byteLength).toBe(11);
    const started = performance.now();
    const timed = await readStream(endless(), { windowMs: 1000, maxBytes: 1 << 20, deadline: started + 200, now: () => performance.now() });
    expect(timed).toMatchObject({ cut: true, truncated: false });
    expect(performance.now() - started).toBeLessThan(600);
  });
});
