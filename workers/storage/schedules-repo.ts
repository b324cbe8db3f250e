/**
 * D1 access for schedules and their minute slots. A slot row (schedule_id, slot) is written once:
 * whoever inserts it owns that minute and starts its run, so overlapping cron events start one.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import type { LoadTestOptions } from "../load/types";
import type { RunLimitsInput } from "../model";
import { newId } from "../shared/encoding";
import { database } from "./db";
import { scheduleSlots, schedules } from "./schema";

export type ScheduleRow = typeof schedules.$inferSelect;
export type SlotRow = typeof scheduleSlots.$inferSelect;

/**
 * A load schedule's test (synthetic latency monitoring): the options of POST /load-tests besides
 * spec, target and notify. Kept as given; checked when the schedule is created and at each start.
 */
export type ScheduleLoadConfig = LoadTestOptions;

/** The template besides spec and target (schedules.config): a test run (kind "run", the default) or a load test. */
export interface ScheduleRunConfig {
  kind?: "run" | "load";
  agents?: string[];
  seed?: number;
  limits?: RunLimitsInput;
  notify?: string[];
  load?: ScheduleLoadConfig;
}


export async function createSchedule(
  db: D1Database,
  orgId: string,
  input: { cron: string; specId: string; targetId: string; config: ScheduleRunConfig; enabled: boolean },
): Promise<ScheduleRow> {
  const [row] = await database(db)
    .insert(schedules)
    .values({ id: newId("sch"), orgId, ...input })
    .returning();
  return row;
}

export async function getOrgSchedule(db: D1Database, orgId: string, id: string): Promise<ScheduleRow | null> {
  const [row] = await database(db)
    .select()
    .from(schedules)
    .where(and(eq(schedules.orgId, orgId), eq(schedules.id, id)))
    .limit(1);
  return row ?? null;
}

export async function listSchedules(db: D1Database, orgId: string): Promise<ScheduleRow[]> {
  return database(db).select().from(schedules).where(eq(schedules.orgId, orgId)).orderBy(asc(schedules.createdAt), asc(schedules.id));
}

export async function setScheduleEnabled(db: D1Database, orgId: string, id: string, enabled: boolean): Promise<ScheduleRow | null> {
  const [row] = await database(db)
    .update(schedules)
    .set({ enabled })
    .where(and(eq(schedules.orgId, orgId), eq(schedules.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteSchedule(db: D1Database, orgId: string, id: string): Promise<boolean> {
  const [del] = await db.batch([
    db.prepare(`DELETE FROM schedules WHERE org_id = ? AND id = ?`).bind(orgId, id),
    db.prepare(`DELETE FROM schedule_slots WHERE schedule_id = ? AND NOT EXISTS (SELECT 1 FROM schedules WHERE id = ?)`).bind(id, id),
  ]);
  return del.meta.changes === 1;
}

/** Every enabled schedule of every org (the cron handler's work list). */
export async function listEnabledSchedules(db: D1Database): Promise<ScheduleRow[]> {
  return database(db).select().from(schedules).where(eq(schedules.enabled, true)).orderBy(asc(schedules.id));
}

export async function recentSlots(db: D1Database, scheduleId: string, limit = 10): Promise<SlotRow[]> {
  return database(db).select().from(scheduleSlots).where(eq(scheduleSlots.scheduleId, scheduleId)).orderBy(desc(scheduleSlots.slot)).limit(limit);
}

/**
 * INSERT OR IGNORE of every slot in one batch (one transaction): returns the slots this caller
 * inserted (`meta.changes === 1`). A concurrent caller with the same slots gets none of them.
 */
export async function claimSlots(db: D1Database, scheduleId: string, slots: readonly number[]): Promise<number[]> {
  if (slots.length === 0) return [];
  const results = await db.batch(slots.map((slot) => db.prepare(`INSERT OR IGNORE INTO schedule_slots (schedule_id, slot) VALUES (?, ?)`).bind(scheduleId, slot)));
  return slots.filter((_, i) => results[i].meta.changes === 1);
}

export async function markSlot(db: D1Database, scheduleId: string, slot: number, outcome: { runId: string } | { error: string }): Promise<void> {
  await database(db)
    .update(scheduleSlots)
    .set("runId" in outcome ? { runId: outcome.runId, error: null } : { error: outcome.error.slice(0, 500) })
    .where(and(eq(scheduleSlots.scheduleId, scheduleId), eq(scheduleSlots.slot, slot)));
}
