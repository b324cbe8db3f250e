/**
 * The results table: one row per (run, case), written exactly once. Queue messages may arrive
 * twice and a run's deadline may race a late executor, so every write is
 * INSERT … ON CONFLICT DO NOTHING and the first writer wins.
 */
import type { CaseResult, CaseStatus, Exchange, Finding } from "../model";
import { findingRowJson, findingUpsertsIfCasesNew } from "./findings-repo";
import { IN_CHUNK, inList, jsonTextBatches } from "./db";

/** Bodies in a D1 row are cut here; the whole exchanges go to R2 when anything was cut. */
export const ROW_BODY_LIMIT = 8 * 1024;

export function truncateText(text: string | undefined, limit: number): { text: string | undefined; cut: boolean } {
  if (text === undefined || text.length <= limit) return { text, cut: false };
  return { text: text.slice(0, limit), cut: true };
}

/** Exchanges with request and response bodies cut to `limit` characters; `cut` says whether any was. */
export function truncateExchanges(exchanges: readonly Exchange[], limit = ROW_BODY_LIMIT): { exchanges: Exchange[]; cut: boolean } {
  let cut = false;
  const out = exchanges.map((exchange) => {
    const request = truncateText(exchange.request.body, limit);
    cut ||= request.cut;
    const copy: Exchange = { ...exchange, request: { ...exchange.request } };
    if (request.text !== undefined) copy.request.body = request.text;
    if (exchange.response) {
      const response = truncateText(exchange.response.body, limit);
      cut ||= response.cut;
      copy.response = { ...exchange.response, body: response.text ?? "", ...(response.cut ? { bodyTruncated: true } : {}) };
    }
    return copy;
  });
  return { exchanges: out, cut };
}

/** A result as the JSON row its INSERT reads; `exchanges` with bodies already cut (truncateExchanges). */
function resultRowJson(result: CaseResult, exchanges: readonly Exchange[], bodiesKey: string | null): string {
  return JSON.stringify({
    caseId: result.caseId,
    agent: result.agent,
    operationId: result.operationId,
    status: result.status,
    reason: result.reason ?? null,
    checks: result.checks,
    exchanges,
    bodiesKey,
    durationMs: Math.max(0, Math.round(result.durationMs)),
  });
}

/**
 * INSERTs of one run's result rows (resultRowJson's; first writer wins), each returning the case
 * ids it wrote. The rows travel as one JSON parameter read by json_each (a few statements per
 * batch at most, usually one): every statement and every bound value costs a prepare and a
 * conversion on both sides of the D1 binding. `checks` and `exchanges` are stored as the JSON
 * text SQLite renders from the parsed rows (the same minified JSON).
 */
function resultInserts(db: D1Database, orgId: string, runId: string, rows: readonly string[]): D1PreparedStatement[] {
  const field = (name: string) => `json_extract(r.value, '$.${name}')`;
  return jsonTextBatches(rows).map((json) =>
    db
      .prepare(
        `INSERT INTO results (run_id, case_id, org_id, agent, operation_id, status, reason, checks, exchanges, bodies_key, duration_ms)
         SELECT ?, ${field("caseId")}, ?, ${field("agent")}, ${field("operationId")}, ${field("status")}, ${field("reason")}, ${field("checks")}, ${field("exchanges")}, ${field("bodiesKey")}, ${field("durationMs")}
         FROM json_each(?) r WHERE true
         ON CONFLICT (run_id, case_id) DO NOTHING RETURNING case_id`,
      )
      .bind(runId, orgId, json),
  );
}

/** Rows grouped by their run, in order (a batch normally holds one run's). */
function byRun<T extends { orgId: string; runId: string }>(rows: readonly T[]): { orgId: string; runId: string; items: T[] }[] {
  const groups = new Map<string, { orgId: string; runId: string; items: T[] }>();
  for (const row of rows) {
    const key = `${row.orgId}\n${row.runId}`;
    const group = groups.get(key);
    if (group) group.items.push(row);
    else groups.set(key, { orgId: row.orgId, runId: row.runId, items: [row] });
  }
  return [...groups.values()];
}

/** The case ids the result INSERTs of a batch wrote (their RETURNING rows). */
function writtenCaseIds(results: readonly D1Result[]): Set<string> {
  const written = new Set<string>();
  for (const result of results) for (const row of (result.results ?? []) as { case_id: string }[]) written.add(row.case_id);
  return written;
}

/** Write one case's result and findings in one D1 batch; whether this call wrote it. */
export async function writeCaseOutcome(db: D1Database, input: CaseOutcome): Promise<boolean> {
  return (await writeCaseOutcomes(db, [input]))[0];
}

export interface CaseOutcome {
  orgId: string;
  runId: string;
  result: CaseResult;
  findings: readonly Finding[];
  bodiesKey: string | null;
}

/**
 * A case's rows serialised as the INSERTs read them (renderCase): wherever the case ran, so the
 * process that stores them (the main one, with the executor process on) only joins the texts.
 */
export interface RenderedOutcome {
  orgId: string;
  runId: string;
  caseId: string;
  /** the result row */
  row: string;
  /** its findings' rows (findingRowJson), in order */
  findingRows: string[];
}

/** Where a result's whole exchanges go in R2 when a body was cut in its row. */
function exchangesKey(orgId: string, runId: string, caseId: string): string {
  return `runs/${orgId}/${runId}/exchanges/${encodeURIComponent(caseId)}.json`;
}

/**
 * A case's rows, and — when a body had to be cut in the row — its whole exchanges (their JSON)
 * for R2 under the key the row names, which the caller puts there before writing the rows.
 */
export function renderCase(orgId: string, runId: string, result: CaseResult, findings: readonly Finding[]): { outcome: RenderedOutcome; bodies?: { key: string; json: string } } {
  const { exchanges, cut } = truncateExchanges(result.exchanges);
  const bodies = cut ? { key: exchangesKey(orgId, runId, result.caseId), json: JSON.stringify(result.exchanges) } : undefined;
  return { outcome: rendered({ orgId, runId, result, findings, bodiesKey: bodies?.key ?? null }, exchanges), bodies };
}

function rendered({ orgId, runId, result, findings, bodiesKey }: CaseOutcome, exchanges: readonly Exchange[]): RenderedOutcome {
  return { orgId, runId, caseId: result.caseId, row: resultRowJson(result, exchanges, bodiesKey), findingRows: findings.map((finding) => findingRowJson(result.caseId, finding)) };
}

/**
 * Write several cases' results and findings in one D1 batch (one round trip per queue message
 * instead of one per case). The findings come before the result rows, so each finding upsert
 * still sees whether its case is new (a batch is one transaction; its cases are distinct).
 * `also`: idempotent statements of the same task (its observations) that ride in the same batch.
 * Returns, per case, whether this call wrote it.
 */
export async function writeCaseOutcomes(db: D1Database, outcomes: readonly CaseOutcome[], also: readonly D1PreparedStatement[] = []): Promise<boolean[]> {
  return writeRenderedOutcomes(db, outcomes.map((outcome) => rendered(outcome, truncateExchanges(outcome.result.exchanges).exchanges)), also);
}

/** writeCaseOutcomes of rows already rendered (renderCase). */
export async function writeRenderedOutcomes(db: D1Database, outcomes: readonly RenderedOutcome[], also: readonly D1PreparedStatement[] = []): Promise<boolean[]> {
  if (outcomes.length === 0 && also.length === 0) return [];
  const runs = byRun(outcomes);
  const statements = runs.flatMap(({ orgId, runId, items }) => {
    const found = items.flatMap((item) => item.findingRows);
    return found.length > 0 ? findingUpsertsIfCasesNew(db, orgId, runId, found) : [];
  });
  const first = statements.length;
  const inserts = runs.flatMap(({ orgId, runId, items }) => resultInserts(db, orgId, runId, items.map((item) => item.row)));
  statements.push(...inserts, ...also);
  const results = await db.batch(statements);
  const written = writtenCaseIds(results.slice(first, first + inserts.length));
  return outcomes.map(({ caseId }) => written.has(caseId));
}

export interface CaseStub {
  id: string;
  agent: string;
  operationId: string;
}

/** Record cases that will never run (deadline, delivery failure, cancel) without touching those that did. */
export async function writeUnrunResults(
  db: D1Database,
  orgId: string,
  runId: string,
  cases: readonly CaseStub[],
  status: Extract<CaseStatus, "errored" | "skipped">,
  reason: string,
): Promise<number> {
  if (cases.length === 0) return 0;
  const rows = cases.map((c) => resultRowJson({ caseId: c.id, agent: c.agent, operationId: c.operationId, status, reason, exchanges: [], checks: [], durationMs: 0 }, [], null));
  return writtenCaseIds(await db.batch(resultInserts(db, orgId, runId, rows))).size;
}

export async function existingCaseIds(db: D1Database, runId: string, caseIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < caseIds.length; i += IN_CHUNK) {
    const chunk = caseIds.slice(i, i + IN_CHUNK);
    const { results } = await db
      .prepare(`SELECT case_id FROM results WHERE run_id = ? AND case_id IN (${inList(chunk.length)})`)
      .bind(runId, ...chunk)
      .all<{ case_id: string }>();
    for (const row of results) found.add(row.case_id);
  }
  return found;
}

export interface ResultCounts {
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  requests: number;
}

const COUNT_RESULTS = `SELECT status, COUNT(*) AS n, SUM(json_array_length(exchanges)) AS requests FROM results WHERE run_id = ?1 GROUP BY status`;

function foldCounts(rows: readonly { status: string; n: number; requests: number | null }[]): ResultCounts {
  const counts: ResultCounts = { cases: 0, passed: 0, failed: 0, errored: 0, skipped: 0, requests: 0 };
  for (const row of rows) {
    counts.cases += row.n;
    counts.requests += row.requests ?? 0;
    if (row.status === "passed" || row.status === "failed" || row.status === "errored" || row.status === "skipped") counts[row.status] += row.n;
  }
  return counts;
}

export async function countResults(db: D1Database, runId: string): Promise<ResultCounts> {
  const { results } = await db.prepare(COUNT_RESULTS).bind(runId).all<{ status: string; n: number; requests: number | null }>();
  return foldCounts(results);
}

/** A run's final stats in one statement: its results by status with their requests, and its findings (one row tagged ' findings'). */
export async function countRunStats(db: D1Database, runId: string): Promise<ResultCounts & { findings: number }> {
  const { results } = await db
    .prepare(`${COUNT_RESULTS} UNION ALL SELECT ' findings' AS status, COUNT(*) AS n, NULL AS requests FROM findings WHERE run_id = ?1`)
    .bind(runId)
    .all<{ status: string; n: number; requests: number | null }>();
  const findings = results.find((r) => r.status === " findings");
  return { ...foldCounts(results.filter((r) => r !== findings)), findings: findings?.n ?? 0 };
}

/** How many cases of a run have a result row (the primary key alone: no row is read). */
export async function countResultRows(db: D1Database, runId: string): Promise<number> {
  const row = await db.prepare(`SELECT COUNT(*) AS n FROM results WHERE run_id = ?`).bind(runId).first<{ n: number }>();
  return row?.n ?? 0;
}

export interface ResultRow {
  caseId: string;
  agent: string;
  operationId: string;
  status: CaseStatus;
  reason: string | null;
  checks: CaseResult["checks"];
  exchanges: Exchange[];
  bodiesKey: string | null;
  durationMs: number;
  createdAt: number;
}

export interface ResultFilter {
  status?: CaseStatus;
  /** results in which this check was applied */
  check?: string;
  operation?: string;
}

/** The columns every result page reads, decoded (checks and exchanges are stored as JSON text). */
function resultCore(row: Record<string, unknown>) {
  return {
    caseId: row.case_id as string,
    agent: row.agent as string,
    operationId: row.operation_id as string,
    status: row.status as CaseStatus,
    reason: (row.reason as string | null) ?? null,
    checks: JSON.parse(row.checks as string),
    exchanges: JSON.parse((row.exchanges as string | null) ?? "[]"),
  };
}

/** A page of a run's results ordered by case id; the cursor is the last case id of the page. */
export async function listResults(
  db: D1Database,
  orgId: string,
  runId: string,
  page: { limit: number; cursor?: string } & ResultFilter,
): Promise<{ items: ResultRow[]; nextCursor: string | null }> {
  const where = ["run_id = ?", "org_id = ?"];
  const params: unknown[] = [runId, orgId];
  if (page.cursor) (where.push("case_id > ?"), params.push(page.cursor));
  if (page.status) (where.push("status = ?"), params.push(page.status));
  if (page.operation) (where.push("operation_id = ?"), params.push(page.operation));
  if (page.check) (where.push("EXISTS (SELECT 1 FROM json_each(results.checks) WHERE json_extract(value, '$.check') = ?)"), params.push(page.check));
  const { results } = await db
    .prepare(
      `SELECT case_id, agent, operation_id, status, reason, checks, exchanges, bodies_key, duration_ms, created_at
       FROM results WHERE ${where.join(" AND ")} ORDER BY case_id LIMIT ?`,
    )
    .bind(...params, page.limit + 1)
    .all<Record<string, unknown>>();
  const items: ResultRow[] = results.slice(0, page.limit).map((row) => ({
    ...resultCore(row),
    bodiesKey: (row.bodies_key as string | null) ?? null,
    durationMs: row.duration_ms as number,
    createdAt: row.created_at as number,
  }));
  return { items, nextCursor: results.length > page.limit ? items[items.length - 1].caseId : null };
}

export interface SkippedRow {
  caseId: string;
  agent: string;
  operationId: string;
  reason: string | null;
}

/** The skipped cases of a run with their reason, by case id (at most `limit`). */
export async function listSkipped(db: D1Database, orgId: string, runId: string, limit: number): Promise<SkippedRow[]> {
  const { results } = await db
    .prepare(`SELECT case_id, agent, operation_id, reason FROM results WHERE run_id = ? AND org_id = ? AND status = 'skipped' ORDER BY case_id LIMIT ?`)
    .bind(runId, orgId, limit)
    .all<{ case_id: string; agent: string; operation_id: string; reason: string | null }>();
  return results.map((r) => ({ caseId: r.case_id, agent: r.agent, operationId: r.operation_id, reason: r.reason }));
}

/** Response times (ms) of every exchange of a run that got a response (at most `limit`). */
export async function listLatencies(db: D1Database, orgId: string, runId: string, limit: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `SELECT json_extract(e.value, '$.response.durationMs') AS ms FROM results r, json_each(r.exchanges) e
       WHERE r.run_id = ? AND r.org_id = ? AND json_extract(e.value, '$.response.durationMs') IS NOT NULL LIMIT ?`,
    )
    .bind(runId, orgId, limit)
    .all<{ ms: number }>();
  return results.map((r) => Number(r.ms)).filter((n) => Number.isFinite(n));
}

/** A result as the coverage report reads it: checks and each exchange's request line, headers, body and status — of the response body only a 4xx's start. */
export interface CoverageResultRow {
  caseId: string;
  agent: string;
  operationId: string;
  status: CaseStatus;
  reason: string | null;
  checks: { check: string; stepId: string; status: "passed" | "failed" | "skipped"; message?: string }[];
  exchanges: { stepId: string; method: string; url: string; headers?: Record<string, string>; body?: string | null; status?: number | null; answer?: string | null }[];
}

/** Request bodies read for coverage (top-level properties and their values; the rest is not needed). */
const COVERAGE_BODY_CHARS = 4096;
/** The start of a 4xx answer's body, where an error names the fields it refused */
const COVERAGE_ANSWER_CHARS = 2048;

/** A page of a run's results for the coverage report, ordered by case id (the cursor is the last one). */
export async function listCoverageRows(db: D1Database, runId: string, page: { limit: number; cursor?: string }): Promise<{ items: CoverageResultRow[]; nextCursor: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT r.case_id, r.agent, r.operation_id, r.status, r.reason, r.checks,
         (SELECT json_group_array(json_object(
            'stepId', json_extract(e.value, '$.stepId'),
            'method', json_extract(e.value, '$.request.method'),
            'url', json_extract(e.value, '$.request.url'),
            'headers', json(COALESCE(json_extract(e.value, '$.request.headers'), '{}')),
            'body', substr(json_extract(e.value, '$.request.body'), 1, ${COVERAGE_BODY_CHARS}),
            'status', json_extract(e.value, '$.response.status'),
            'answer', CASE WHEN json_extract(e.value, '$.response.status') BETWEEN 400 AND 499
              THEN substr(json_extract(e.value, '$.response.body'), 1, ${COVERAGE_ANSWER_CHARS}) END))
          FROM json_each(r.exchanges) e) AS exchanges
       FROM results r WHERE r.run_id = ? AND r.case_id > ? ORDER BY r.case_id LIMIT ?`,
    )
    .bind(runId, page.cursor ?? "", page.limit + 1)
    .all<Record<string, unknown>>();
  const items: CoverageResultRow[] = results.slice(0, page.limit).map(resultCore);
  return { items, nextCursor: results.length > page.limit ? items[items.length - 1].caseId : null };
}

/** The stored results of these cases (redacted exchanges, check outcomes), in no particular order. */
export async function resultsOfCases(db: D1Database, runId: string, caseIds: readonly string[]): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (let i = 0; i < caseIds.length; i += IN_CHUNK) {
    const chunk = caseIds.slice(i, i + IN_CHUNK);
    const { results } = await db
      .prepare(`SELECT case_id, agent, operation_id, status, reason, checks, exchanges, duration_ms FROM results WHERE run_id = ? AND case_id IN (${inList(chunk.length)})`)
      .bind(runId, ...chunk)
      .all<Record<string, unknown>>();
    for (const row of results) {
      const core = resultCore(row);
      out.push({ ...core, reason: core.reason ?? undefined, durationMs: row.duration_ms as number });
    }
  }
  return out;
}

/**
 * Cases whose failure turned out not to be the target's, recorded with why: skipped (not judged),
 * or errored when a request of theirs really got no answer (another request had stopped the target).
 */
export async function markNotJudged(db: D1Database, runId: string, caseIds: readonly string[], reason: string, status: "skipped" | "errored" = "skipped"): Promise<void> {
  for (let i = 0; i < caseIds.length; i += IN_CHUNK) {
    const chunk = caseIds.slice(i, i + IN_CHUNK);
    await db
      .prepare(`UPDATE results SET status = ?, reason = ? WHERE run_id = ? AND case_id IN (${inList(chunk.length)})`)
      .bind(status, reason, runId, ...chunk)
      .run();
  }
}

/**
 * Failed cases of a run with a failed check of `signature` (e.g. "liveness"): a LIKE on the stored
 * checks narrows them, the caller reads the checks to be sure.
 */
export async function failedWithSignature(db: D1Database, runId: string, signature: string): Promise<CaseResult[]> {
  return failedWhere(db, runId, `checks LIKE ?`, `%"signature":${JSON.stringify(signature)}%`);
}

/** Failed cases of a run in which `check` failed (e.g. "negative_data_rejection": the invalid data the target accepted). */
export async function failedWithCheck(db: D1Database, runId: string, check: string): Promise<CaseResult[]> {
  return failedWhere(db, runId, `EXISTS (SELECT 1 FROM json_each(results.checks) WHERE json_extract(value, '$.check') = ? AND json_extract(value, '$.status') = 'failed')`, check);
}

async function failedWhere(db: D1Database, runId: string, condition: string, value: string): Promise<CaseResult[]> {
  const { results } = await db
    .prepare(`SELECT case_id, agent, operation_id, status, reason, checks, exchanges, duration_ms FROM results WHERE run_id = ? AND status = 'failed' AND ${condition}`)
    .bind(runId, value)
    .all<Record<string, unknown>>();
  return results.map((row) => {
    const core = resultCore(row);
    return { ...core, reason: core.reason ?? undefined, durationMs: row.duration_ms as number };
  });
}
