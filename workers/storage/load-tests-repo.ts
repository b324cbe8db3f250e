/**
 * Load tests, their regions and windows. Generators write their windows here (idempotently: a
 * window re-run after a restart replaces itself), so any reader (the gateway, the last
 * generator to finish) merges the same data.
 */
import { and, asc, desc, eq, inArray, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { LoadProfile, LoadWindow, RegionFigures } from "../load/types";
import type { ThresholdResult } from "../load/thresholds";
import { encodeCreatedCursor } from "./db";
import { loadRegions, loadTests, loadWindows } from "./schema";
import { queueNotifications } from "./notifications-repo";

export type LoadTestRow = typeof loadTests.$inferSelect & { config: LoadTestConfig; summary: LoadTestSummary | null };

/** What load_tests.config holds: the test's inputs minus credentials. */
export interface LoadTestConfig {
  spec: { title: string; version: string; operations: number };
  profile: LoadProfile;
  rate: number;
  durationMs: number;
  rampMs: number;
  regions: { region: string; weight?: number }[];
  maxInFlight: number;
  timeoutMs: number;
  operations: string[];
  skipped: { operation: string; reason: string }[];
  thresholds: string[];
  abortOnFail: boolean;
  /** 5xx + 429 share of a window above which the test stops (the target is in distress) */
  distressRatio: number;
  allowWrites: boolean;
  identities: string[];
  stress?: { p95Ms: number; errorRate: number };
  spike?: { startMs: number; endMs: number };
  /** URLs told (signed POST) when the test ends without passing */
  notify?: string[];
  /** the schedule and minute that started it */
  source?: { scheduleId: string; slot: number };
  /** epoch ms of t = 0 for every generator */
  startAt: number;
}

export interface LoadTestSummary {
  overall: RegionFigures;
  thresholds: ThresholdResult[];
}

export async function insertLoadTest(db: D1Database, row: { id: string; orgId: string; specId: string; targetUrl: string; config: LoadTestConfig; createdBy: string | null }): Promise<void> {
  const d = drizzle(db);
  await d.batch([
    d.insert(loadTests).values({ ...row, status: "queued" }),
    ...row.config.regions.map((r) => d.insert(loadRegions).values({ testId: row.id, region: r.region })),
  ]);
}

export async function getLoadTest(db: D1Database, orgId: string, id: string): Promise<LoadTestRow | undefined> {
  const rows = await drizzle(db).select().from(loadTests).where(and(eq(loadTests.orgId, orgId), eq(loadTests.id, id))).limit(1);
  return rows[0] as LoadTestRow | undefined;
}

/** The generators' view: by id alone (they hold no org context beyond the test). */
export async function getLoadTestById(db: D1Database, id: string): Promise<LoadTestRow | undefined> {
  const rows = await drizzle(db).select().from(loadTests).where(eq(loadTests.id, id)).limit(1);
  return rows[0] as LoadTestRow | undefined;
}

export async function listLoadTests(db: D1Database, orgId: string, page: { limit: number; cursor?: { createdAt: number; id: string } }): Promise<{ items: LoadTestRow[]; nextCursor: string | null }> {
  const c = page.cursor;
  const rows = (await drizzle(db)
    .select()
    .from(loadTests)
    .where(and(eq(loadTests.orgId, orgId), c ? or(lt(loadTests.createdAt, c.createdAt), and(eq(loadTests.createdAt, c.createdAt), lt(loadTests.id, c.id))) : undefined))
    .orderBy(desc(loadTests.createdAt), desc(loadTests.id))
    .limit(page.limit + 1)) as LoadTestRow[];
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCreatedCursor(last) : null };
}

export async function updateLoadTest(db: D1Database, id: string, patch: Partial<Pick<LoadTestRow, "status" | "summary" | "abortReason" | "error" | "startedAt" | "finishedAt">>): Promise<void> {
  await drizzle(db).update(loadTests).set(patch).where(eq(loadTests.id, id));
}

/**
 * Moves a test to its terminal status once: true only for the caller whose update did it (several
 * generators and readers may settle the same test at the same moment).
 */
export async function settleLoadTest(db: D1Database, id: string, patch: Pick<LoadTestRow, "status" | "summary" | "finishedAt"> & { startedAt?: number }): Promise<boolean> {
  const result = await drizzle(db)
    .update(loadTests)
    .set(patch)
    .where(and(eq(loadTests.id, id), inArray(loadTests.status, ["queued", "running"])))
    .run();
  return result.meta.changes === 1;
}

/** Sets the abort reason once (the first reason wins); generators see it at their next window. */
export async function requestAbort(db: D1Database, id: string, reason: string): Promise<void> {
  await db.prepare("UPDATE load_tests SET abort_reason = ?1 WHERE id = ?2 AND abort_reason IS NULL").bind(reason, id).run();
}

export async function storeWindow(db: D1Database, testId: string, w: LoadWindow): Promise<void> {
  const row = {
    testId,
    region: w.region,
    window: w.index,
    colo: w.colo,
    startMs: w.startMs,
    durationMs: w.durationMs,
    requests: w.requests,
    errors: w.errors,
    late: w.late,
    dropped: w.dropped,
    hdr: w.hdr,
    hdrUncorrected: w.hdrUncorrected,
  };
  const { testId: _t, region: _r, window: _w, ...rest } = row;
  await drizzle(db)
    .insert(loadWindows)
    .values(row)
    .onConflictDoUpdate({ target: [loadWindows.testId, loadWindows.region, loadWindows.window], set: rest });
}

export async function listWindows(db: D1Database, testId: string): Promise<LoadWindow[]> {
  const rows = await drizzle(db).select().from(loadWindows).where(eq(loadWindows.testId, testId)).orderBy(asc(loadWindows.window), asc(loadWindows.region));
  return rows.map((r) => ({
    region: r.region,
    colo: r.colo,
    index: r.window,
    startMs: r.startMs,
    durationMs: r.durationMs,
    requests: r.requests,
    errors: r.errors as LoadWindow["errors"],
    late: r.late,
    dropped: r.dropped,
    hdr: r.hdr,
    hdrUncorrected: r.hdrUncorrected,
  }));
}

export async function listRegions(db: D1Database, testId: string): Promise<{ region: string; colo: string | null; done: boolean }[]> {
  return drizzle(db).select({ region: loadRegions.region, colo: loadRegions.colo, done: loadRegions.done }).from(loadRegions).where(eq(loadRegions.testId, testId));
}

export async function updateRegion(db: D1Database, testId: string, region: string, patch: { colo?: string; done?: boolean }): Promise<void> {
  await drizzle(db).update(loadRegions).set(patch).where(and(eq(loadRegions.testId, testId), eq(loadRegions.region, region)));
}


/** One pending notification per URL for a finished load test (sent by workers/notifications). */
export async function queueLoadNotifications(db: D1Database, orgId: string, testId: string, urls: readonly string[], at: number): Promise<void> {
  await queueNotifications(db, { orgId, runId: testId, urls, at });
}

/** A load test a schedule started that is still queued or running (its next slot must not pile load on top). */
export async function activeScheduledLoad(db: D1Database, scheduleId: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT id FROM load_tests WHERE status IN ('queued', 'running') AND json_extract(config, '$.source.scheduleId') = ? LIMIT 1`)
    .bind(scheduleId)
    .first<{ id: string }>();
  return row?.id ?? null;
}
