import { afterEach, describe, expect, it } from "vitest";
import type { Step, TestCase } from "../model";
import { model } from "./checks/test-support";
import { buildFindings } from "./findings";
import type { FetchLike } from "./http-client";
import { runCase, type RunEnv } from "./run-case";
import { TargetWatch } from "./target-watch";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

// a target whose process dies on one input: every open connection closes without an answer, then
// nothing listens on its port (connections refused) — as a server that panics on it does
let api: LoopbackServer | undefined;

async function mortal(): Promise<LoopbackServer> {
  const server = await listenLoopback(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (raw.includes("poison")) {
      // the others in flight are still being served when it dies
      setTimeout(() => void server.close(), 150);
      return;
    }
    const delay = Number(new URL(req.url ?? "/", "http://x").searchParams.get("ms") ?? 0);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: 1, name: "Rex" }));
    }, delay);
  });
  api = server;
  return server;
}

afterEach(async () => api?.close());

function env(baseUrl: string, target: TargetWatch): RunEnv {
  return { fetch: globalThis.fetch as FetchLike, baseUrl, identities: {}, model, config: { timeoutMs: 2000, maxBodyBytes: 1024 * 1024, retryDelayMs: 10, stallMs: 0 }, target };
}

function one(id: string, method: string, path: string, body?: unknown, query: Record<string, string> = {}): TestCase {
  const step: Step = { id, request: { method, path, pathParams: { petId: 1 }, query, headers: {}, ...(body === undefined ? {} : { body: { contentType: "application/json", value: body } }) }, checks: [{ name: "not_a_server_error" }] };
  return { id: `case-${id}`, agent: "negative", operationId: "createPet", kind: "negative", title: "t", steps: [step] };
}

const stopFinding = (checks: readonly { check: string; status: string; signature?: string; message?: string }[]) => checks.find((c) => c.check === "max_response_time" && c.status === "failed" && c.signature === "liveness");

describe("a request in flight when the target died", () => {
  it("is named a high denial-of-service finding with its curl; a request sent after it died is not", async () => {
    const { url } = await mortal();
    const target = new TargetWatch();
    expect((await runCase(one("read", "get", "/pets/{petId}"), env(url, target))).status).toBe("passed");
    const poison = one("poison", "post", "/pets", { name: "poison" });
    const result = await runCase(poison, env(url, target));
    expect(result.status).toBe("failed");
    expect(stopFinding(result.checks)?.status).toBe("failed");
    const finding = buildFindings(result, poison, model).find((f) => f.check === "max_response_time")!;
    expect(finding.severity).toBe("high");
    expect(finding.message).toMatch(/^POST \/pets got no answer: its connection was closed \((reset|lost)\) while it was in flight, and from then on the target answered nothing/);
    expect(finding.curl).toContain("poison");
    const after = await runCase(one("later", "get", "/pets/{petId}"), env(url, target));
    expect(after.status).toBe("errored");
    expect(stopFinding(after.checks)).toBeUndefined();
  });

  it("names each request in flight with it, saying how many were; not one sent after", async () => {
    const { url } = await mortal();
    const target = new TargetWatch();
    expect((await runCase(one("read", "get", "/pets/{petId}"), env(url, target))).status).toBe("passed");
    const beside = runCase(one("beside", "get", "/pets/{petId}", undefined, { ms: "1000" }), env(url, target));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const poison = runCase(one("poison", "post", "/pets", { name: "poison" }), env(url, target));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = await runCase(one("late", "get", "/pets/{petId}"), env(url, target));
    const [b, p] = await Promise.all([beside, poison]);
    for (const r of [b, p]) expect(stopFinding(r.checks)?.message).toContain("1 other request was in flight with it and got no answer either");
    expect(stopFinding(late.checks)).toBeUndefined();
    expect(late.status).toBe("errored");
  });

  it("a target that answers again right after is not down: the dropped connection stays a server error, not a stop", async () => {
    const server = await listenLoopback((req, res) => {
      if (req.method === "POST") return void req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: 1, name: "Rex" }));
    });
    api = server;
    const target = new TargetWatch();
    expect((await runCase(one("read", "get", "/pets/{petId}"), env(server.url, target))).status).toBe("passed");
    const result = await runCase(one("drop", "post", "/pets", { name: "x" }), env(server.url, target));
    expect(result.checks).toContainEqual(expect.objectContaining({ check: "not_a_server_error", status: "failed", signature: "no-answer" }));
    expect(stopFinding(result.checks)).toBeUndefined();
  });
});
