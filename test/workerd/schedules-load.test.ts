/**
 * Load schedules inside workerd (synthetic latency monitoring): the cron handler starts a load test
 * with real LoadGenerator Durable Objects against the loopback target of global-setup; a breached
 * threshold sends a signed load.finished notification, a passing test sends none, and a slot that
 * comes while the previous test still runs is skipped rather than piling load on the target.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import worker from "../../workers/index";
import type { LoadFinishedEvent } from "../../workers/notifications/notify";
import { DEV_NOTIFY_SECRET } from "../../workers/notifications/send-notifications";
import { minuteSlot } from "../../workers/schedules/cron";
import { verifyGenericSignature } from "../../workers/shared/signature";
import { api, postJson, problem } from "./gateway-helpers";

const target = inject("targetUrl");

interface Recorded {
  headers: Record<string, string>;
  body: string;
}

interface ScheduleView {
  id: string;
  kind: string;
  load: Record<string, unknown> | null;
  recent?: { slot: number; runId: string | null; error: string | null }[];
}

async function savedSpecAndTarget(path: string): Promise<{ specId: string; targetId: string }> {
  const doc = { openapi: "3.0.3", info: { title: "Monitored", version: "1" }, paths: { [path]: { get: { operationId: "probe", responses: { "200": { description: "ok" } } } } } };
  const spec = await api(`/api/v1/specs?name=monitored${path.replaceAll("/", "-")}`, { method: "POST", body: JSON.stringify(doc), headers: { "content-type": "application/json" } });
  expect(spec.status, await spec.clone().text()).toBe(201);
  const saved = await postJson("/api/v1/targets", { name: `monitored${path.replaceAll("/", "-")}-${Date.now()}`, baseUrl: target });
  expect(saved.status, await saved.clone().text()).toBe(201);
  return { specId: ((await spec.json()) as { id: string }).id, targetId: ((await saved.json()) as { id: string }).id };
}

async function tick(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function detail(id: string): Promise<ScheduleView> {
  return (await (await api(`/api/v1/schedules/${id}`)).json()) as ScheduleView;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const finished = (id: string) =>
  until(`load test ${id}`, async () => {
    const row = (await (await api(`/api/v1/load-tests/${id}`)).json()) as { status: string };
    return ["passed", "failed", "aborted", "errored"].includes(row.status) && row;
  });

// the target closes idle keep-alive sockets after 1 s: a pooled one can be lost as it is reused
const read = (path: string) => fetch(`${target}${path}`).catch(() => fetch(`${target}${path}`));
const recorded = async (name: string) => (await (await read(`/__records/${name}`)).json()) as Recorded[];
const hits = async (path: string) => ((await (await read("/__hits")).json()) as Record<string, number>)[path] ?? 0;

describe("load schedules", () => {
  it("refuses a load template that could never start, naming the field", async () => {
    const ids = await savedSpecAndTarget("/ok/monitor-invalid");
    const base = { cron: "* * * * *", ...ids, kind: "load" };
    const missing = await problem(await postJson("/api/v1/schedules", base));
    expect(missing.errors?.[0]).toMatchObject({ path: "load" });
    const agents = await problem(await postJson("/api/v1/schedules", { ...base, load: {}, agents: ["functional-positive"] }));
    expect(agents.errors?.[0]).toMatchObject({ path: "agents" });
    const threshold = await postJson("/api/v1/schedules", { ...base, load: { thresholds: ["p(95<300"] } });
    expect(threshold.status).toBe(400);
    expect((await problem(threshold)).errors?.[0]).toMatchObject({ field: "thresholds/0", position: 5 });
    const operation = await problem(await postJson("/api/v1/schedules", { ...base, load: { operations: ["DELETE /nowhere"] } }));
    expect(operation.errors?.[0]).toMatchObject({ field: "operations" });
    const stray = await problem(await postJson("/api/v1/schedules", { ...base, load: { rate: 5, bogus: 1 } }));
    expect(JSON.stringify(stray.errors)).toContain("bogus");
  });

  it("the cron runs each load test on its minute; a breach notifies, a pass does not, an overlapping slot is skipped", async () => {
    const failingPath = "/ok/monitor-breach";
    const passingPath = "/ok/monitor-pass";
    const failing = await savedSpecAndTarget(failingPath);
    const passing = await savedSpecAndTarget(passingPath);
    const create = async (ids: { specId: string; targetId: string }, thresholds: string[], hook: string) => {
      const res = await postJson("/api/v1/schedules", { cron: "* * * * *", ...ids, kind: "load", load: { rate: 5, duration: 2, thresholds }, notify: [`${target}/record/${hook}`] });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as ScheduleView;
    };
    const breach = await create(failing, ["p(95)<60000", "p(50)<0.001"], "monitor-breach");
    const pass = await create(passing, ["p(95)<60000", "http_req_failed<0.5"], "monitor-pass");
    expect(breach).toMatchObject({ kind: "load", load: { rate: 5, duration: 2, thresholds: ["p(95)<60000", "p(50)<0.001"] } });

    const at = (minuteSlot(Date.now()) + 1) * 60_000;
    await tick(at);
    // the next minute comes while both tests still run: skipped, no second test on top
    await tick(at + 60_000);
    const breachSlots = (await detail(breach.id)).recent!;
    expect(breachSlots[0]).toMatchObject({ slot: minuteSlot(at) + 1, runId: null, error: expect.stringMatching(/^skipped: load test load_\w+ of this schedule is still running$/) });
    const breachTest = breachSlots[1].runId!;
    expect(breachTest).toMatch(/^load_/);
    const passTest = (await detail(pass.id)).recent![1].runId!;

    expect(await finished(breachTest)).toMatchObject({ status: "failed" });
    expect(await finished(passTest)).toMatchObject({ status: "passed" });
    expect(await hits(failingPath)).toBe(10);
    expect(await hits(passingPath)).toBe(10);

    const [delivery] = await until("the breach notification", async () => (await recorded("monitor-breach")).length > 0 && recorded("monitor-breach"));
    const verdict = await verifyGenericSignature(DEV_NOTIFY_SECRET, new TextEncoder().encode(delivery.body), delivery.headers["x-sentinel-timestamp"], delivery.headers["x-sentinel-signature"], Date.now());
    expect(verdict).toEqual({ ok: true });
    const event = JSON.parse(delivery.body) as LoadFinishedEvent;
    expect(event.event).toBe("load.finished");
    expect(event.load).toMatchObject({
      id: breachTest,
      status: "failed",
      target,
      schedule: { id: breach.id, slot: minuteSlot(at) },
      overall: { requests: 10, errors: 0 },
      links: { self: `/api/v1/load-tests/${breachTest}`, report: `/api/v1/load-tests/${breachTest}/report` },
    });
    expect(event.load.thresholds.map((t) => [t.expression, t.ok])).toEqual([
      ["p(95)<60000", true],
      ["p(50)<0.001", false],
    ]);
    // a pass queues nothing (rows are written before the first attempt, so none exist for it)
    expect(await recorded("monitor-pass")).toEqual([]);
    const rows = await env.DB.prepare(`SELECT run_id, status FROM notifications WHERE run_id IN (?, ?)`).bind(breachTest, passTest).all<{ run_id: string; status: string }>();
    expect(rows.results).toEqual([{ run_id: breachTest, status: "sent" }]);

    for (const s of [breach, pass]) expect((await api(`/api/v1/schedules/${s.id}`, { method: "DELETE" })).status).toBe(204);
  });
});
