import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyFailure, sendRequest, type FetchLike } from "./http-client";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

let target: LoopbackServer;
let base: string;
let hits = 0;
/** /reset-once/<name>: the first request under a name has its connection destroyed, later ones get 200 */
const resetOnce = new Set<string>();

beforeAll(async () => {
  target = await listenLoopback((req, res) => {
    hits++;
    if (req.url?.startsWith("/reset-once/")) {
      if (!resetOnce.has(req.url)) {
        resetOnce.add(req.url);
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { "content-type": "application/json" });
      return res.end('{"created":true}');
    }
    if (req.url === "/trickle") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first part");
      return; // the rest never comes
    }
    if (req.url === "/unavailable") {
      res.writeHead(503, { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
      return res.end("later");
    }
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "/elsewhere" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end("héllo");
  });
  base = target.url;
});

afterAll(() => target.close());

const options = { fetch: globalThis.fetch as FetchLike, timeoutMs: 1000, maxBodyBytes: 1024, retryDelayMs: 5 };

describe("sendRequest", () => {
  it("returns status, lower-cased headers, decoded body, size and timing", async () => {
    const result = await sendRequest({ method: "GET", url: `${base}/ok`, headers: {} }, options);
    expect(result.error).toBeUndefined();
    expect(result.response).toMatchObject({ status: 200, body: "héllo", bodySize: 6, headers: { "content-type": "text/plain; charset=utf-8" } });
    expect(result.response!.durationMs).toBeGreaterThan(0);
    expect(result.response!.bodyTruncated).toBeUndefined();
  });

  it("never retries an HTTP status and does not follow redirects", async () => {
    hits = 0;
    const result = await sendRequest({ method: "GET", url: `${base}/unavailable`, headers: {} }, options);
    expect(result).toMatchObject({ attempts: 1, response: { status: 503 } });
    expect(result.response!.headers["set-cookie"]).toBe("a=1, b=2");
    expect(hits).toBe(1);
    const redirect = await sendRequest({ method: "GET", url: `${base}/redirect`, headers: {} }, options);
    expect(redirect.response).toMatchObject({ status: 302, headers: { location: "/elsewhere" } });
  });

  it("times out a body that never completes, keeping what arrived", async () => {
    const result = await sendRequest({ method: "GET", url: `${base}/trickle`, headers: {} }, { ...options, timeoutMs: 200 });
    expect(result.error).toMatch(/^timeout: body not complete within 200 ms/);
    expect(result.response).toMatchObject({ status: 200, body: "first part", bodyTruncated: true });
  });

  it("retries a refused connection for any method, bounded", async () => {
    const closed = await listenLoopback();
    const port = closed.port;
    await closed.close();
    const result = await sendRequest({ method: "POST", url: `http://127.0.0.1:${port}/`, headers: {}, body: "{}" }, options);
    expect(result.attempts).toBe(3);
    expect(result.error).toMatch(/^network error: .*ECONNREFUSED/);
    expect(result.failure).toBe("refused");
    const noRetry = await sendRequest({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} }, { ...options, retries: 0 });
    expect(noRetry.attempts).toBe(1);
  });

  it("retries a connection lost without an answer once for a POST, so one fluke does not error the case", async () => {
    hits = 0;
    const result = await sendRequest({ method: "POST", url: `${base}/reset-once/a`, headers: {}, body: "{}" }, options);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ attempts: 2, response: { status: 201 } });
    expect(hits).toBe(2);
  });

  it("gives up on a POST whose connection is lost twice, saying which kind of failure it was", async () => {
    const reset = await listenLoopback((req) => req.socket.destroy());
    const url = `${reset.url}/`;
    const post = await sendRequest({ method: "POST", url, headers: {}, body: "{}" }, options);
    expect(post).toMatchObject({ attempts: 2, failure: "reset" });
    expect(post.error).toMatch(/^network error: /);
    const get = await sendRequest({ method: "GET", url, headers: {} }, options);
    expect(get).toMatchObject({ attempts: 3, failure: "reset" });
    await reset.close();
  });

  it("tells the kinds of connection failure apart (Node codes, workerd messages)", () => {
    expect(classifyFailure("ECONNREFUSED", "")).toBe("refused");
    expect(classifyFailure("ECONNRESET", "")).toBe("reset");
    expect(classifyFailure("UND_ERR_SOCKET", "other side closed")).toBe("reset");
    expect(classifyFailure("ENOTFOUND", "")).toBe("dns");
    expect(classifyFailure("DEPTH_ZERO_SELF_SIGNED_CERT", "")).toBe("tls");
    expect(classifyFailure("ERR_SSL_WRONG_VERSION_NUMBER", "")).toBe("tls");
    expect(classifyFailure(undefined, "Network connection lost.")).toBe("lost");
    expect(classifyFailure(undefined, "TLS handshake failed: received corrupt message")).toBe("tls");
    expect(classifyFailure(undefined, "failed to lookup address information: Name or service not known")).toBe("dns");
    expect(classifyFailure(undefined, "internal error; reference = abc")).toBe("unknown");
  });

  it("cancels HEAD bodies and reports an empty body", async () => {
    const result = await sendRequest({ method: "HEAD", url: `${base}/ok`, headers: {} }, options);
    expect(result.response).toMatchObject({ status: 200, body: "", bodySize: 0 });
  });
});
