/**
 * Loads what the report builders need for one run from D1: the run row and its findings (made
 * into the Report contract by run-report.ts) and, for formats that list every case, the case
 * results. Bodies come from the D1 rows, cut at the row limit; R2 keeps the whole exchanges.
 */
import type { CaseResult } from "../model";
import { listFindings } from "../storage/findings-repo";
import { listLatencies, listResults, listSkipped } from "../storage/results-repo";
import { getRun } from "../storage/runs-repo";
import { listOperations } from "../storage/specs-repo";
import { buildRunReport } from "../reports/run-report";
import type { ReportInput } from "../reports/types";

/** Beyond this many cases a report lists the first ones only (memory: 128 MB per invocation). */
export const REPORT_MAX_CASES = 5_000;
/** Latencies read for the timing line (percentiles over at most this many requests). */
const MAX_LATENCIES = 100_000;
const PAGE = 500;

export interface LoadOptions {
  /** load case results too (JUnit, HAR, HTML) */
  cases?: boolean;
  maxCases?: number;
}

export async function loadReportInput(db: D1Database, orgId: string, runId: string, options: LoadOptions = {}): Promise<ReportInput | undefined> {
  const run = await getRun(db, orgId, runId);
  if (!run) return undefined;
  const findings = await listFindings(db, orgId, runId);
  const operations: Record<string, { method: string; path: string }> = {};
  for (const op of await listOperations(db, orgId, run.specId)) operations[op.operationId] = { method: op.method, path: op.path };
  const skipped = await listSkipped(db, orgId, runId, options.maxCases ?? REPORT_MAX_CASES);
  const latenciesMs = await listLatencies(db, orgId, runId, MAX_LATENCIES);
  const report = buildRunReport(
    {
      id: run.id,
      status: run.status,
      targetUrl: run.targetUrl,
      seed: run.seed,
      config: run.config,
      stats: run.stats,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
    },
    findings.map((f) => ({ severity: f.severity, occurrences: f.occurrences, data: f.data })),
    {
      latenciesMs,
      skipped: skipped.map((s) => ({
        caseId: s.caseId,
        agent: s.agent,
        operation: { method: operations[s.operationId]?.method ?? "", path: operations[s.operationId]?.path ?? "", operationId: s.operationId },
        reason: s.reason ?? "skipped",
      })),
    },
  );
  if (!options.cases) return { report, operations };
  return { report, operations, cases: await loadCases(db, orgId, runId, options.maxCases ?? REPORT_MAX_CASES) };
}

async function loadCases(db: D1Database, orgId: string, runId: string, max: number): Promise<CaseResult[]> {
  const cases: CaseResult[] = [];
  let cursor: string | undefined;
  while (cases.length < max) {
    const page = await listResults(db, orgId, runId, { limit: Math.min(PAGE, max - cases.length), cursor });
    for (const row of page.items) {
      cases.push({
        caseId: row.caseId,
        agent: row.agent,
        operationId: row.operationId,
        status: row.status,
        ...(row.reason ? { reason: row.reason } : {}),
        exchanges: row.exchanges,
        checks: row.checks,
        durationMs: row.durationMs,
      });
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return cases;
}
