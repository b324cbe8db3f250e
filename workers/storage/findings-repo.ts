/**
 * The findings table: one row per (run, finding id). A finding id names (operation, check,
 * signature), so equal failures from many cases share a row whose `occurrences` counts them.
 */
import type { Finding } from "../model";
import { SEVERITIES } from "../model";
import { IN_CHUNK, inList, jsonRowBatches, jsonTextBatches } from "./db";

/** Bodies kept in the finding row (the whole exchange is in R2 beside the result). */
export const FINDING_BODY_LIMIT = 8 * 1024;

export function compactFinding(finding: Finding, limit = FINDING_BODY_LIMIT): Finding {
  const copy: Finding = { ...finding, request: { ...finding.request } };
  if (copy.request.body !== undefined && copy.request.body.length > limit) copy.request.body = copy.request.body.slice(0, limit);
  if (finding.response) {
    copy.response = { ...finding.response };
    if (copy.response.body.length > limit) copy.response.body = copy.response.body.slice(0, limit);
  }
  return copy;
}

/** Distinct triggers kept per finding (the first ones; later ones only count as occurrences). */
export const MAX_TRIGGERS = 12;

/** The new occurrence's trigger (the first of the row being inserted) and its key, in the upsert below. */
const NEW_TRIGGER = `json_extract(excluded.data, '$.triggers[0]')`;
const NEW_TRIGGER_KEY = `json_extract(excluded.data, '$.triggers[0].key')`;
/** The stored row's trigger with the new occurrence's key (its array index), if any. */
const TRIGGER_INDEX = `(SELECT j.key FROM json_each(findings.data, '$.triggers') j WHERE json_extract(j.value, '$.key') = ${NEW_TRIGGER_KEY})`;

/** A finding of case `caseId` as the JSON row the upsert below reads (rendered where the case ran). */
export function findingRowJson(caseId: string, finding: Finding): string {
  return JSON.stringify({
    caseId,
    id: finding.id,
    check: finding.check,
    severity: finding.severity,
    operationId: finding.operation.operationId,
    method: String(finding.operation.method),
    path: finding.operation.path,
    signature: finding.signature,
    title: finding.title,
    data: compactFinding(finding),
  });
}

/**
 * Insert each finding or count one more occurrence — but only while its case's result row does
 * not exist yet. They run in the same D1 batch (one transaction) just before the result inserts,
 * which makes a redelivered case a no-op for findings too. Another occurrence adds its trigger to
 * the row's `triggers` when that trigger is new (up to MAX_TRIGGERS) or counts it: the same
 * statement, no extra write. All findings of a task travel as one JSON parameter (json_each), in
 * order, so one statement replaces one per finding; SQLite applies the upsert row by row, so two
 * occurrences in one statement count as two. `rows`: findingRowJson's.
 */
export function findingUpsertsIfCasesNew(db: D1Database, orgId: string, runId: string, rows: readonly string[]): D1PreparedStatement[] {
  const field = (name: string) => `json_extract(r.value, '$.${name}')`;
  return jsonTextBatches(rows).map((json) =>
    db
      .prepare(
        `INSERT INTO findings (id, run_id, org_id, "check", severity, operation_id, method, path, signature, title, data, occurrences)
         SELECT ${field("id")}, ?, ?, ${field("check")}, ${field("severity")}, ${field("operationId")}, ${field("method")}, ${field("path")}, ${field("signature")}, ${field("title")}, ${field("data")}, 1
         FROM json_each(?) r
         WHERE NOT EXISTS (SELECT 1 FROM results WHERE run_id = ? AND case_id = ${field("caseId")})
         ON CONFLICT (run_id, id) DO UPDATE SET occurrences = occurrences + 1,
           data = CASE
             WHEN ${NEW_TRIGGER_KEY} IS NULL THEN findings.data
             WHEN ${TRIGGER_INDEX} IS NOT NULL THEN json_set(findings.data, '$.triggers[' || ${TRIGGER_INDEX} || '].count',
               COALESCE(json_extract(findings.data, '$.triggers[' || ${TRIGGER_INDEX} || '].count'), 1) + 1)
             WHEN COALESCE(json_array_length(findings.data, '$.triggers'), 0) < ${MAX_TRIGGERS} THEN json_set(findings.data, '$.triggers', json(json_insert(COALESCE(json_extract(findings.data, '$.triggers'), '[]'), '$[#]', json(${NEW_TRIGGER}))))
             ELSE findings.data
           END`,
      )
      .bind(runId, orgId, json, runId),
  );
}

export interface FindingRow {
  id: string;
  check: string;
  severity: string;
  operationId: string;
  occurrences: number;
  createdAt: number;
  data: Finding;
}

const SEVERITY_ORDER = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE ${SEVERITIES.length} END`;

/** All findings of a run, worst first, then the most frequent. */
export async function listFindings(db: D1Database, orgId: string, runId: string, opts: { limit?: number } = {}): Promise<FindingRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, "check", severity, operation_id, occurrences, created_at, data FROM findings
       WHERE run_id = ? AND org_id = ? ORDER BY ${SEVERITY_ORDER}, occurrences DESC, created_at, id LIMIT ?`,
    )
    .bind(runId, orgId, opts.limit ?? 10_000)
    .all<Record<string, unknown>>();
  return results.map((row) => ({
    id: row.id as string,
    check: row.check as string,
    severity: row.severity as string,
    operationId: row.operation_id as string,
    occurrences: row.occurrences as number,
    createdAt: row.created_at as number,
    data: JSON.parse(row.data as string) as Finding,
  }));
}

/** Remove findings of a run (ones the run found were not the target's doing). */
export async function deleteFindings(db: D1Database, runId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    await db.prepare(`DELETE FROM findings WHERE run_id = ? AND id IN (${inList(chunk.length)})`).bind(runId, ...chunk).run();
  }
}

/** A finding's evidence and occurrence count set anew (the run found some occurrences were not the target's doing). */
export async function replaceFinding(db: D1Database, runId: string, id: string, data: Finding, occurrences: number): Promise<void> {
  await db.prepare(`UPDATE findings SET data = ?, occurrences = ? WHERE run_id = ? AND id = ?`).bind(JSON.stringify(compactFinding(data)), occurrences, runId, id).run();
}

export async function countFindings(db: D1Database, runId: string): Promise<number> {
  const row = await db.prepare(`SELECT COUNT(*) AS n FROM findings WHERE run_id = ?`).bind(runId).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Findings of a run by severity. */
export async function countFindingsBySeverity(db: D1Database, orgId: string, runId: string): Promise<Record<string, number>> {
  const { results } = await db
    .prepare(`SELECT severity, COUNT(*) AS n FROM findings WHERE run_id = ? AND org_id = ? GROUP BY severity`)
    .bind(runId, orgId)
    .all<{ severity: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.severity, r.n]));
}

/** Per finding id: when the org first saw it (earliest run) and in how many runs. One statement: the ids travel as one JSON parameter, so the org's findings are scanned once, not once per 90 ids. */
export async function findingHistory(db: D1Database, orgId: string, ids: readonly string[]): Promise<Map<string, { firstSeen: number; runs: number }>> {
  const out = new Map<string, { firstSeen: number; runs: number }>();
  for (const json of jsonRowBatches(ids)) {
    const { results } = await db
      .prepare(
        `SELECT f.id AS id, MIN(r.created_at) AS firstSeen, COUNT(DISTINCT f.run_id) AS runs
         FROM findings f JOIN runs r ON r.id = f.run_id
         WHERE f.org_id = ? AND f.id IN (SELECT value FROM json_each(?)) GROUP BY f.id`,
      )
      .bind(orgId, json)
      .all<{ id: string; firstSeen: number; runs: number }>();
    for (const row of results) out.set(row.id, { firstSeen: row.firstSeen, runs: row.runs });
  }
  return out;
}

/**
 * Adds the memory fields (firstSeen, seenInRuns, similar, cluster when there is one) to the stored
 * findings of a run: every finding's fields travel in one JSON parameter (json_each), one statement
 * for the run instead of one per finding.
 */
export async function setFindingMemory(db: D1Database, orgId: string, runId: string, memory: ReadonlyMap<string, { firstSeen: string; seenInRuns: number; similar: unknown[]; cluster?: string }>): Promise<void> {
  if (memory.size === 0) return;
  const rows = [...memory].map(([id, m]) => ({ id, firstSeen: m.firstSeen, seenInRuns: m.seenInRuns, similar: m.similar, cluster: m.cluster ?? null }));
  const fields = `'$.firstSeen', m.v ->> '$.firstSeen', '$.seenInRuns', m.v -> '$.seenInRuns', '$.similar', m.v -> '$.similar'`;
  // materialized: the parameter is parsed once, then each finding is found by its key (joined
  // directly, SQLite would walk the run's findings and parse the whole parameter again for each)
  await db.batch(
    jsonRowBatches(rows).map((json) =>
      db
        .prepare(
          `WITH m(id, v) AS MATERIALIZED (SELECT value ->> '$.id', value FROM json_each(?))
           UPDATE findings SET data = CASE WHEN m.v ->> '$.cluster' IS NULL THEN json_set(data, ${fields}) ELSE json_set(data, ${fields}, '$.cluster', m.v ->> '$.cluster') END
           FROM m WHERE findings.org_id = ? AND findings.run_id = ? AND findings.id = m.id`,
        )
        .bind(json, orgId, runId),
    ),
  );
}
