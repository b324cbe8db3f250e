/**
 * `npm start` runs the platform as a user does, and schedules fire under it: wrangler dev never
 * fires cron triggers, so start.mjs does. A schedule due in the next minute produces a run.
 * Start-up also shows the seconds it has waited (migrations, wrangler dev).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, randomApiKey } from "../../cli/src/local-platform";
import { startPlatformProcess, type PlatformProcess } from "../../scripts/platform-process.mjs";
import { listenLoopback, type LoopbackServer } from "../loopback-server";

const SPEC = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Ping", version: "1" },
  paths: { "/ping": { get: { operationId: "ping", responses: { "200": { description: "pong", content: { "application/json": { schema: { type: "object" } } } } } } } },
});

let platform: PlatformProcess;
let target: LoopbackServer;
let targetUrl: string;
let stateDir: string;
const key = randomApiKey();

beforeAll(async () => {
  target = await listenLoopback((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  targetUrl = target.url;
  stateDir = mkdtempSync(path.join(os.tmpdir(), "sentinel-start-"));
  // ticks every 2 s instead of at each minute only, so the test waits for the due minute, not longer
  platform = await startPlatformProcess({ port: await freePort(), stateDir, env: { SENTINEL_BOOTSTRAP_KEY: key, SENTINEL_CRON_TICK_MS: "2000" } });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await target?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function api<T>(method: string, route: string, body?: unknown, contentType = "application/json"): Promise<T> {
  const res = await fetch(`${platform.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": contentType }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

describe("npm start", () => {
  it("shows the seconds it waited for migrations and wrangler dev", () => {
    expect(platform.output()).toMatch(/applying the local D1 migrations: done in \d+\.\d s/);
    expect(platform.output()).toMatch(/starting wrangler dev on http:\/\/127\.0\.0\.1:\d+ and its executor process on http:\/\/127\.0\.0\.1:\d+: done in \d+\.\d s/);
  });

  it("fires a schedule due in the next minute: a run starts", async () => {
    // a schedule never fires for minutes before it existed: create it well before the minute turns
    if (new Date().getUTCSeconds() >= 50) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const spec = await api<{ id: string }>("POST", "/specs?name=ping", SPEC);
    const t = await api<{ id: string }>("POST", "/targets", { name: "ping", baseUrl: targetUrl });
    const next = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
    const cron = `${next.getUTCMinutes()} ${next.getUTCHours()} * * *`;
    const schedule = await api<{ id: string }>("POST", "/schedules", { cron, specId: spec.id, targetId: t.id, agents: ["functional-positive"] });

    const deadline = next.getTime() + 30_000;
    let runId: string | null = null;
    while (!runId && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      const view = await api<{ recent: { slot: number; runId: string | null; error: string | null }[] }>("GET", `/schedules/${schedule.id}`);
      const slot = view.recent.find((s) => s.slot === next.getTime() / 60_000); // slots count minutes
      expect(slot?.error ?? null).toBeNull();
      runId = slot?.runId ?? null;
    }
    expect(runId, `no run for the ${next.toISOString()} slot of "${cron}"\n${platform.output().slice(-2000)}`).not.toBeNull();
    const run = await api<{ id: string; trigger: string }>("GET", `/runs/${runId}`);
    expect(run).toMatchObject({ id: runId, trigger: "schedule" });
  }, 150_000);
});
