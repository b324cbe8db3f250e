import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverNotification, MAX_ATTEMPTS, nextAttemptAt, type RunFinishedEvent } from "./notify";
import { verifyGenericSignature } from "../shared/signature";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

const event: RunFinishedEvent = {
  event: "run.finished",
  run: { id: "r1", status: "failed", target: "http://x", startedAt: null, finishedAt: null, stats: {}, links: { self: "/r1", report: "/r1/report" } },
  findings: { total: 1, bySeverity: { high: 1 } },
};

let target: LoopbackServer;
let base = "";
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let statusToSend = 200;

beforeAll(async () => {
  target = await listenLoopback((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statusToSend;
      res.end();
    });
  });
  base = target.url;
});
afterAll(() => target.close());

describe("run notifications", () => {
  it("POSTs a body whose signature verifies with the shared secret", async () => {
    statusToSend = 204;
    const now = Date.now();
    expect(await deliverNotification(fetch, base, event, "s3cret", now)).toEqual({ ok: true, status: 204 });
    const last = received.at(-1)!;
    expect(JSON.parse(last.body)).toEqual(event);
    const verdict = await verifyGenericSignature(
      "s3cret", new TextEncoder().encode(last.body), String(last.headers["x-sentinel-timestamp"]), String(last.headers["x-sentinel-signature"]), now,
    );
    expect(verdict).toEqual({ ok: true });
  });
  it("retries 5xx and network errors, not 4xx", async () => {
    statusToSend = 503;
    expect(await deliverNotification(fetch, base, event, "k", Date.now())).toEqual({ ok: false, error: "HTTP 503", retry: true });
    statusToSend = 410;
    expect(await deliverNotification(fetch, base, event, "k", Date.now())).toEqual({ ok: false, error: "HTTP 410", retry: false });
    const down = await deliverNotification(fetch, "http://127.0.0.1:1", event, "k", Date.now());
    expect(down).toMatchObject({ ok: false, retry: true });
  });
  it("backs off exponentially and gives up", () => {
    expect(nextAttemptAt(1, 0)).toBe(30_000);
    expect(nextAttemptAt(2, 0)).toBe(120_000);
    expect(nextAttemptAt(MAX_ATTEMPTS, 0)).toBeNull();
  });
});
