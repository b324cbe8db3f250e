/**
 * The cron handler's schedule work: for each enabled schedule, the minute slots due in the
 * catch-up window (scheduledTime - 5 min, scheduledTime] are claimed in D1; only the invocation
 * that inserted a slot starts its run. After an outage several slots of one schedule may be due
 * at once: the newest starts a run, the older ones are recorded as skipped (one run, not a burst).
 * A schedule of kind "load" starts a load test instead (its id is the slot's runId).
 */
import { RunError } from "../runs/errors";
import { startLoadTest } from "../runs/load-tests";
import { startRun } from "../runs/start-run";
import { log } from "../shared/log";
import { dueSlots } from "./cron";
import { activeScheduledLoad } from "../storage/load-tests-repo";
import { claimSlots, listEnabledSchedules, markSlot, type ScheduleRow, type ScheduleRunConfig } from "../storage/schedules-repo";

export const CATCH_UP_MS = 5 * 60_000;

export interface ScheduleTickResult {
  started: { scheduleId: string; slot: number; runId: string }[];
  skipped: number;
  failed: { scheduleId: string; slot: number; error: string }[];
}

function describe(error: unknown): string {
  if (error instanceof RunError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function runSchedule(env: Env, schedule: ScheduleRow, scheduledTime: number, result: ScheduleTickResult): Promise<void> {
  // a schedule never fires for minutes before it existed
  const from = Math.max(scheduledTime - CATCH_UP_MS, schedule.createdAt);
  const claimed = await claimSlots(env.DB, schedule.id, dueSlots(schedule.cron, from, scheduledTime));
  if (claimed.length === 0) return;
  const newest = Math.max(...claimed);
  for (const slot of claimed) {
    if (slot === newest) continue;
    await markSlot(env.DB, schedule.id, slot, { error: `skipped: missed, superseded by slot ${newest}` });
    result.skipped++;
  }
  const config = schedule.config as ScheduleRunConfig;
  if (config.kind === "load") {
    const active = await activeScheduledLoad(env.DB, schedule.id);
    if (active) {
      await markSlot(env.DB, schedule.id, newest, { error: `skipped: load test ${active} of this schedule is still running` });
      result.skipped++;
      return;
    }
  }
  try {
    const run = config.kind === "load" ? await startScheduledLoad(env, schedule, config, newest) : await startRun(
      env,
      { orgId: schedule.orgId, userId: null },
      {
        spec: { id: schedule.specId },
        target: { id: schedule.targetId },
        ...(config.agents ? { agents: config.agents } : {}),
        ...(config.seed !== undefined ? { seed: config.seed } : {}),
        ...(config.limits ? { limits: config.limits } : {}),
        ...(config.notify ? { notify: config.notify } : {}),
      },
      { trigger: "schedule", source: { scheduleId: schedule.id, slot: newest } },
    );
    await markSlot(env.DB, schedule.id, newest, { runId: run.id });
    result.started.push({ scheduleId: schedule.id, slot: newest, runId: run.id });
  } catch (error) {
    const message = describe(error);
    log("warn", "scheduled run could not start", { scheduleId: schedule.id, orgId: schedule.orgId, slot: newest, error: message });
    await markSlot(env.DB, schedule.id, newest, { error: message });
    result.failed.push({ scheduleId: schedule.id, slot: newest, error: message });
  }
}

/** A load schedule's test: its options, the saved spec and target, and notify on a breach. */
function startScheduledLoad(env: Env, schedule: ScheduleRow, config: ScheduleRunConfig, slot: number): Promise<{ id: string }> {
  return startLoadTest(
    env,
    { orgId: schedule.orgId, userId: null },
    {
      ...config.load,
      spec: { id: schedule.specId },
      target: { id: schedule.targetId },
      ...(config.notify ? { notify: config.notify } : {}),
      source: { scheduleId: schedule.id, slot },
    },
  );
}

export async function runDueSchedules(env: Env, scheduledTime: number): Promise<ScheduleTickResult> {
  const result: ScheduleTickResult = { started: [], skipped: 0, failed: [] };
  for (const schedule of await listEnabledSchedules(env.DB)) {
    try {
      await runSchedule(env, schedule, scheduledTime, result);
    } catch (error) {
      // one broken schedule (a bad stored expression, a D1 hiccup) must not stop the others
      log("error", "schedule tick failed", { scheduleId: schedule.id, error: describe(error) });
    }
  }
  return result;
}
