/**
 * The runs table: one row per run, scoped by organisation. The row holds what can be shown to
 * any member of the org (no target credentials: those live only in the run's Durable Object).
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { HeldBackOperation, RunLimits, RunStats, RunStatus, SuppressedFinding } from "../model";
import { database, encodeCreatedCursor } from "./db";
import { runs } from "./schema";

export type RunRow = typeof runs.$inferSelect;

/** What runs.config holds: the run's inputs minus secrets. */
export interface RunConfig {
  spec: { title: string; version: string; operations: number };
  target: { id?: string; url: string };
  /** identity names only, never their header values */
  identities: string[];
  agents?: string[];
  limits: RunLimits;
  notify: string[];
  inlineSpec?: boolean;
  /** operation filters and the destructive opt-in the run was started with */
  include?: string[];
  exclude?: string[];
  allowDestructive?: boolean;
  /** false when the run left out the burst of failed sign-ins */
  authBurst?: boolean;
  /** destructive operations the run did not test, and why (written once planning is done) */
  heldBack?: HeldBackOperation[];
  /** findings not reported, with why: the run's own destructive requests caused them, or another request stopped the target (written at finalize) */
  suppressed?: SuppressedFinding[];
}

export interface NewRun {
  id: string;
  orgId: string;
  specId: string;
  targetId: string | null;
  targetUrl: string;
  seed: number;
  config: RunConfig;
  trigger?: string;
  createdBy: string | null;
}

export async function insertRun(db: D1Database, run: NewRun): Promise<void> {
  await database(db)
    .insert(runs)
    .values({ ...run, status: "queued", trigger: run.trigger ?? "api" });
}

export async function getRun(db: D1Database, orgId: string, runId: string): Promise<RunRow | undefined> {
  const rows = await database(db)
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId)))
    .limit(1);
  return rows[0];
}

export interface RunPatch {
  status?: RunStatus;
  stats?: RunStats;
  error?: string | null;
  startedAt?: number;
  finishedAt?: number;
}

/** Planning held these operations back: the report says which and why. */
export async function recordHeldBack(db: D1Database, runId: string, heldBack: readonly HeldBackOperation[]): Promise<void> {
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.heldBack', json(?)) WHERE id = ?`).bind(JSON.stringify(heldBack), runId).run();
}

/**
 * Findings the run did not report, with why (runs/own-writes.ts, runs/stopped-target.ts): added to
 * those already recorded; one entry per finding, the later pass's word wins.
 */
export async function recordSuppressed(db: D1Database, runId: string, suppressed: readonly SuppressedFinding[]): Promise<void> {
  const row = await db.prepare(`SELECT json_extract(config, '$.suppressed') AS suppressed FROM runs WHERE id = ?`).bind(runId).first<{ suppressed: string | null }>();
  const before = row?.suppressed ? (JSON.parse(row.suppressed) as SuppressedFinding[]) : [];
  const ids = new Set(suppressed.map((s) => s.findingId));
  const all = [...before.filter((s) => !ids.has(s.findingId)), ...suppressed];
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.suppressed', json(?)) WHERE id = ?`).bind(JSON.stringify(all), runId).run();
}

/** The run's coverage report (computed once when it is finalized), kept in runs.config beside the run's settings. */
export async function setRunCoverage(db: D1Database, runId: string, coverage: unknown): Promise<void> {
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.coverage', json(?)) WHERE id = ?`).bind(JSON.stringify(coverage), runId).run();
}

/** The run's identity pre-flight (how identities were obtained, which work), kept in runs.config for the report. */
export async function setRunPreflight(db: D1Database, runId: string, preflight: unknown): Promise<void> {
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.preflight', json(?)) WHERE id = ?`).bind(JSON.stringify(preflight), runId).run();
}

/** runs.config as stored (null when there is no such run). */
export async function getRunConfig(db: D1Database, runId: string): Promise<unknown> {
  const row = await db.prepare(`SELECT config FROM runs WHERE id = ?`).bind(runId).first<{ config: string }>();
  return row ? JSON.parse(row.config) : null;
}

export async function updateRun(db: D1Database, runId: string, patch: RunPatch): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await database(db).update(runs).set(patch).where(eq(runs.id, runId));
}

export async function listRuns(
  db: D1Database,
  orgId: string,
  page: { limit: number; cursor?: { createdAt: number; id: string } },
): Promise<{ items: RunRow[]; nextCursor: string | null }> {
  const after = page.cursor
    ? or(lt(runs.createdAt, page.cursor.createdAt), and(eq(runs.createdAt, page.cursor.createdAt), lt(runs.id, page.cursor.id)))
    : undefined;
  const rows = await database(db)
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, orgId), after))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const nextCursor = rows.length > page.limit ? encodeCreatedCursor(items[items.length - 1]) : null;
  return { items, nextCursor };
}

/** The AI layer's account of the run (report `llm`), kept in runs.config beside the run's settings. */
/** The LLM's explanations of the run's finding clusters (reports/types.ts ReportTriageSchema). */
export async function setRunTriage(db: D1Database, runId: string, triage: unknown): Promise<void> {
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.triage', json(?)) WHERE id = ?`).bind(JSON.stringify(triage), runId).run();
}

export async function setRunLlm(db: D1Database, runId: string, llm: unknown): Promise<void> {
  await db.prepare(`UPDATE runs SET config = json_set(config, '$.llm', json(?)) WHERE id = ?`).bind(JSON.stringify(llm), runId).run();
}
