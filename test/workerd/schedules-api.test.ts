/**
 * Schedules inside workerd: the REST API (schedules:manage, cron validated, org-scoped) and the
 * Worker's scheduled handler, which claims each due minute in D1 so overlapping cron events
 * start exactly one run.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { minuteSlot } from "../../workers/schedules/cron";
import { api, keyWithRole, newOrgWithKey, postJson, problem } from "./gateway-helpers";
import { FAST, settle, specAndTarget } from "./hooks-helpers";

const started = new Set<string>();
let ids: { specId: string; targetId: string };

interface ScheduleView {
  id: string;
  cron: string;
  enabled: boolean;
  nextRunAt: string | null;
  recent?: { slot: number; at: string; runId: string | null; error: string | null }[];
}

async function createSchedule(body: Record<string, unknown>): Promise<ScheduleView> {
  const res = await postJson("/api/v1/schedules", body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

async function tick(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function scheduleRuns(scheduleId: string): Promise<{ id: string; trigger: string; slot: number }[]> {
  const { results } = await env.DB.prepare(
    `SELECT id, trigger, json_extract(config, '$.source.slot') AS slot FROM runs WHERE json_extract(config, '$.source.scheduleId') = ? ORDER BY slot`,
  )
    .bind(scheduleId)
    .all<{ id: string; trigger: string; slot: number }>();
  for (const r of results) started.add(r.id);
  return results;
}

/** The next whole minute: the schedule (created now) is due then. */
function nextMinute(): number {
  return (minuteSlot(Date.now()) + 1) * 60_000;
}

beforeAll(async () => {
  ids = await specAndTarget();
});

afterAll(async () => settle(started));

describe("schedules API", () => {
  it("refuses an invalid cron expression with a 400 naming the field", async () => {
    for (const cron of ["61 * * * *", "* * *", "every day", ""]) {
      const res = await postJson("/api/v1/schedules", { cron, specId: ids.specId, targetId: ids.targetId });
      expect(res.status, cron).toBe(400);
      const body = await problem(res);
      expect(body.type).toMatch(/validation-error$/);
      expect(body.errors?.[0]).toMatchObject({ in: "body", path: "cron", pointer: "/cron" });
    }
  });

  it("creates, reads, lists, pauses and deletes; other orgs see nothing; testers may not", async () => {
    const created = await createSchedule({ cron: "0 6 * * 1-5", specId: ids.specId, targetId: ids.targetId, enabled: false, seed: 7, ...FAST });
    expect(created).toMatchObject({ cron: "0 6 * * 1-5", enabled: false, nextRunAt: null, seed: 7, agents: ["functional-positive"], limits: { maxCases: 3, timeoutMs: 3000 } });

    const resumed = (await (await api(`/api/v1/schedules/${created.id}`, { method: "PATCH", body: JSON.stringify({ enabled: true }), headers: { "content-type": "application/json" } })).json()) as ScheduleView;
    expect(resumed.enabled).toBe(true);
    const next = new Date(resumed.nextRunAt!);
    expect(next.getUTCHours()).toBe(6);
    expect(next.getUTCMinutes()).toBe(0);
    expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());

    const read = (await (await api(`/api/v1/schedules/${created.id}`)).json()) as ScheduleView;
    expect(read.recent).toEqual([]);
    const list = (await (await api("/api/v1/schedules")).json()) as { items: ScheduleView[] };
    expect(list.items.map((s) => s.id)).toContain(created.id);

    const other = await newOrgWithKey("admin", "schedules-other");
    expect((await api(`/api/v1/schedules/${created.id}`, { token: other.key })).status).toBe(404);
    expect((await api(`/api/v1/schedules/${created.id}`, { method: "DELETE", token: other.key })).status).toBe(404);
    expect(((await (await api("/api/v1/schedules", { token: other.key })).json()) as { items: unknown[] }).items).toEqual([]);
    const foreign = await postJson("/api/v1/schedules", { cron: "* * * * *", specId: ids.specId, targetId: ids.targetId }, other.key);
    expect(foreign.status).toBe(404);

    const tester = await keyWithRole("tester");
    expect((await api("/api/v1/schedules", { token: tester.key })).status).toBe(403);
    expect((await api("/api/v1/schedules", { token: null })).status).toBe(401);

    expect((await api(`/api/v1/schedules/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/v1/schedules/${created.id}`)).status).toBe(404);
  });
});

describe("scheduled handler", () => {
  it("two overlapping scheduled events for the same minute start exactly one run", async () => {
    const schedule = await createSchedule({ cron: "* * * * *", specId: ids.specId, targetId: ids.targetId, ...FAST });
    const at = nextMinute();
    await Promise.all([tick(at), tick(at), tick(at + 1500)]);
    await tick(at); // a late duplicate of the same event

    const runs = await scheduleRuns(schedule.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", slot: minuteSlot(at) });
    const detail = (await (await api(`/api/v1/schedules/${schedule.id}`)).json()) as ScheduleView;
    expect(detail.recent).toEqual([{ slot: minuteSlot(at), at: new Date(at).toISOString(), runId: runs[0].id, error: null }]);

    // the next minute is a new slot: one more run
    await Promise.all([tick(at + 60_000), tick(at + 60_000)]);
    expect(await scheduleRuns(schedule.id)).toHaveLength(2);
    await api(`/api/v1/schedules/${schedule.id}`, { method: "DELETE" });
  });

  it("after missed minutes it starts one run for the newest slot and records the others as skipped", async () => {
    const schedule = await createSchedule({ cron: "* * * * *", specId: ids.specId, targetId: ids.targetId, ...FAST });
    const at = nextMinute();
    // as if it had existed for an hour and the last three cron events were lost
    await env.DB.prepare(`UPDATE schedules SET created_at = ? WHERE id = ?`).bind(at - 3_600_000, schedule.id).run();
    await env.DB.prepare(`INSERT INTO schedule_slots (schedule_id, slot, run_id) VALUES (?, ?, NULL)`).bind(schedule.id, minuteSlot(at) - 3).run();
    await tick(at);

    const runs = await scheduleRuns(schedule.id);
    expect(runs.map((r) => r.slot)).toEqual([minuteSlot(at)]);
    const detail = (await (await api(`/api/v1/schedules/${schedule.id}`)).json()) as ScheduleView;
    // the window is the last five minutes; minute -3 had been claimed by an earlier event
    expect(detail.recent?.map((s) => s.slot)).toEqual([0, 1, 2, 3, 4].map((d) => minuteSlot(at) - d));
    expect(detail.recent?.[0]).toMatchObject({ runId: runs[0].id, error: null });
    for (const i of [1, 2, 4]) expect(detail.recent?.[i]).toMatchObject({ runId: null, error: `skipped: missed, superseded by slot ${minuteSlot(at)}` });
    expect(detail.recent?.[3]).toMatchObject({ runId: null, error: null });
    await api(`/api/v1/schedules/${schedule.id}`, { method: "DELETE" });
  });

  it("records why a slot could not start (its target was deleted) and keeps going", async () => {
    const own = await specAndTarget();
    const broken = await createSchedule({ cron: "* * * * *", specId: own.specId, targetId: own.targetId, ...FAST });
    const healthy = await createSchedule({ cron: "* * * * *", specId: ids.specId, targetId: ids.targetId, ...FAST });
    expect((await api(`/api/v1/targets/${own.targetId}`, { method: "DELETE" })).status).toBe(204);
    const at = nextMinute();
    await tick(at);

    expect(await scheduleRuns(broken.id)).toEqual([]);
    const detail = (await (await api(`/api/v1/schedules/${broken.id}`)).json()) as ScheduleView;
    expect(detail.recent?.[0]).toMatchObject({ slot: minuteSlot(at), runId: null });
    expect(detail.recent?.[0].error).toMatch(/not-found: Target .* not found/);
    expect(await scheduleRuns(healthy.id)).toHaveLength(1);

    // a paused schedule starts nothing
    await api(`/api/v1/schedules/${healthy.id}`, { method: "PATCH", body: JSON.stringify({ enabled: false }), headers: { "content-type": "application/json" } });
    await tick(at + 60_000);
    expect(await scheduleRuns(healthy.id)).toHaveLength(1);
    for (const s of [broken, healthy]) await api(`/api/v1/schedules/${s.id}`, { method: "DELETE" });
  });
});
