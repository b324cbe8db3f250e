/**
 * The notifications table: one row per (run, URL) to tell when the run has finished. Rows are
 * claimed by moving next_at forward, guarded by the next_at just read, so two senders never
 * deliver the same attempt (see notifications/send-notifications.ts).
 */
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../shared/encoding";
import { notifications } from "./schema";

export type NotificationRow = Pick<typeof notifications.$inferSelect, "id" | "orgId" | "runId" | "url" | "attempts" | "nextAt">;

export async function queueNotifications(db: D1Database, input: { orgId: string; runId: string; urls: readonly string[]; at: number }): Promise<void> {
  if (input.urls.length === 0) return;
  await drizzle(db)
    .insert(notifications)
    .values(input.urls.map((url) => ({ id: newId("ntf"), orgId: input.orgId, runId: input.runId, url, nextAt: input.at })));
}

/** Pending rows due at `now`, oldest first (one run's only when `runId` is given). */
export async function dueNotifications(db: D1Database, opts: { now: number; limit: number; runId?: string }): Promise<NotificationRow[]> {
  const due = and(eq(notifications.status, "pending"), lte(notifications.nextAt, opts.now), opts.runId === undefined ? undefined : eq(notifications.runId, opts.runId));
  return drizzle(db)
    .select({ id: notifications.id, orgId: notifications.orgId, runId: notifications.runId, url: notifications.url, attempts: notifications.attempts, nextAt: notifications.nextAt })
    .from(notifications)
    .where(due)
    .orderBy(asc(notifications.nextAt))
    .limit(opts.limit);
}

/** Claims a row until `lease` (one more attempt); false when another sender claimed it first. */
export async function claimNotification(db: D1Database, row: Pick<NotificationRow, "id" | "nextAt">, lease: number): Promise<boolean> {
  const result = await drizzle(db)
    .update(notifications)
    .set({ nextAt: lease, attempts: sql`${notifications.attempts} + 1` })
    .where(and(eq(notifications.id, row.id), eq(notifications.status, "pending"), eq(notifications.nextAt, row.nextAt)));
  return result.meta.changes === 1;
}

/** The outcome of an attempt, written only while the sender's claim (`lease`) still holds. */
export async function settleNotification(
  db: D1Database,
  id: string,
  lease: number,
  patch: { status: "sent" | "failed" | "pending"; lastError: string | null; nextAt: number },
): Promise<void> {
  await drizzle(db)
    .update(notifications)
    .set({ status: patch.status, lastError: patch.lastError?.slice(0, 500) ?? null, nextAt: patch.nextAt })
    .where(and(eq(notifications.id, id), eq(notifications.nextAt, lease)));
}
