/**
 * Own-request attribution: a finding whose evidence came after (or during) Sentinel's own
 * destructive request in the same run — a reset, a reseed, a purge it was allowed to send — is not
 * taken as the target's fault on its word. Once the run is over (nothing else in flight, the
 * write's effect settled), each such case is run again from scratch (fresh resources, the
 * identities as they are now); a finding stands only if every re-run fails the same way. Findings
 * that do not reproduce are removed, their cases recorded as not judged, and the report lists them
 * under `suppressed` with the request they came after — never silently.
 *
 * Ordinary cases all finish before the first destructive case starts (plan.ts, test-run.ts), so
 * only the destructive phase is examined; a run without `allowDestructive` has nothing to do here.
 */
import type { CaseResult, Exchange, Finding, SuppressedFinding, TestCase } from "../model";
import { buildFindings } from "../executor/findings";
import { runCase } from "../executor/run-case";
import type { FetchLike } from "../executor/http-client";
import { operationKey, selectOperations, type OperationSelection } from "../orchestrator/operation-filter";
import { deleteFindings, listFindings } from "../storage/findings-repo";
import { markNotJudged, resultsOfCases } from "../storage/results-repo";
import { correctEvidence } from "./finding-evidence";
import { recordSuppressed } from "../storage/runs-repo";
import { log } from "../shared/log";
import { escapeRegExp } from "../shared/regexp";
import { targetFetch } from "./identities";
import { replayRunEnv, type ReplayInput } from "./replay-input";

/** One of Sentinel's own destructive requests: which case sent it, when, and what it was. */
export interface OwnWrite {
  caseId: string;
  stepId: string;
  /** "POST /admin/reset" (the operation's path template) */
  label: string;
  start: number;
  end: number;
}

/** After an own write, the target gets this long to settle before a case is run again. */
export const SETTLE_MS = 1_500;
/** Runs of a suspect case after the first one; every one must fail the same way. */
export const CONFIRMATIONS = 2;
/** Suspect cases run again at most (the rest are not reported, with the reason). */
export const MAX_CONFIRMED_CASES = 20;

const startOf = (e: Exchange) => (e.startedAt ? Date.parse(e.startedAt) : NaN);
const endOf = (e: Exchange) => startOf(e) + (e.response?.durationMs ?? 0);

/** The destructive requests among `results` (any answer, or none: the target may have acted either way). */
export function ownWrites(results: readonly CaseResult[], cases: ReadonlyMap<string, TestCase>, destructive: ReadonlySet<string>): OwnWrite[] {
  const writes: OwnWrite[] = [];
  for (const result of results) {
    const testCase = cases.get(result.caseId);
    if (!testCase) continue;
    for (const exchange of result.exchanges) {
      const step = testCase.steps.find((s) => s.id === exchange.stepId);
      if (!step || !Number.isFinite(startOf(exchange))) continue;
      const key = operationKey(String(step.request.method), step.request.path);
      if (destructive.has(key)) writes.push({ caseId: result.caseId, stepId: exchange.stepId, label: key, start: startOf(exchange), end: endOf(exchange) });
    }
  }
  return writes.sort((a, b) => a.start - b.start);
}

/**
 * The own write a failed case's evidence may depend on: one of another case that started before
 * this case's last answer, or an earlier step of the case itself. A case that finished before
 * every write began stands on its own.
 */
export function writeBehind(result: CaseResult, writes: readonly OwnWrite[]): OwnWrite | undefined {
  const timed = result.exchanges.filter((e) => Number.isFinite(startOf(e)));
  if (timed.length === 0) return undefined;
  const end = Math.max(...timed.map(endOf));
  const last = timed[timed.length - 1];
  return writes.find((w) => (w.caseId !== result.caseId ? w.start <= end : w.stepId !== last.stepId));
}

export interface ConfirmInput extends ReplayInput {
  selection: OperationSelection;
  /** injectable for tests of the pure parts; the run waits for real */
  sleep?: (ms: number) => Promise<void>;
}

/** Per suspect case: the findings its stored failure produced, and the ids every re-run produced again. */
interface Verdict {
  caseId: string;
  write: OwnWrite;
  findings: Finding[];
  produced: Set<string>;
  reproduced: Set<string>;
  /** the findings of its last re-run: fresh evidence of what reproduced */
  rerun: Finding[];
  /** false: over MAX_CONFIRMED_CASES, not run again */
  confirmed: boolean;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `/items/{id}` under the target's base path → a matcher of concrete paths. */
function templateMatcher(basePath: string, template: string): RegExp {
  const body = (basePath.replace(/\/+$/, "") + template).split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+");
  return new RegExp(`^${body}/?$`);
}

/** fetch for re-runs: waits SETTLE_MS after the last accepted destructive request before sending anything. */
function settlingFetch(fetch: ReturnType<typeof targetFetch>, input: ConfirmInput, destructive: ReadonlySet<string>, lastWriteEnd: number): FetchLike {
  const sleep = input.sleep ?? wait;
  const writes = input.model.operations
    .filter((op) => destructive.has(operationKey(op.method, op.path)))
    .map((op) => ({ method: op.method.toUpperCase(), path: templateMatcher(new URL(input.baseUrl).pathname, op.path) }));
  let last = lastWriteEnd;
  return async (url, init) => {
    await sleep(Math.max(0, last + SETTLE_MS - Date.now()));
    const method = (init?.method ?? "GET").toUpperCase();
    const path = new URL(url).pathname;
    const write = writes.some((w) => w.method === method && w.path.test(path));
    const response = await fetch(url, init);
    // a refused destructive request (4xx, 5xx) changed nothing to wait for
    if (write && response.status < 400) last = Date.now();
    return response;
  };
}

/**
 * The post-run pass (TestRun.finalize, before findings are remembered and counted). Returns the
 * findings it suppressed. Idempotent: a second pass finds the suppressed cases no longer failed.
 */
export async function confirmAfterOwnWrites(env: Env, input: ConfirmInput): Promise<SuppressedFinding[]> {
  if (!input.selection.allowDestructive) return [];
  const destructive = selectOperations(input.model.operations, input.selection).destructive;
  if (destructive.size === 0) return [];
  const touching = input.cases.filter((c) => c.steps.some((s) => destructive.has(operationKey(String(s.request.method), s.request.path))));
  if (touching.length === 0) return [];
  const byId = new Map(input.cases.map((c) => [c.id, c]));
  const stored = await resultsOfCases(env.DB, input.runId, touching.map((c) => c.id));
  const writes = ownWrites(stored, byId, destructive);
  if (writes.length === 0) return [];
  const suspects = stored.filter((r) => r.status === "failed").map((r) => ({ result: r, write: writeBehind(r, writes) })).filter((s): s is { result: CaseResult; write: OwnWrite } => s.write !== undefined);
  if (suspects.length === 0) return [];

  // every request of a re-run waits until the last destructive request (the run's, or a re-run
  // step's own) has had time to take effect: the answer is then the target's, not a rebuild's
  const settled = settlingFetch(targetFetch(input.baseUrl), input, destructive, Math.max(...writes.map((w) => w.end)));
  const verdicts: Verdict[] = [];
  for (const [n, { result, write }] of suspects.entries()) {
    const testCase = byId.get(result.caseId)!;
    // suspects are failed cases: their stored result holds the findings in question
    const findings = buildFindings(result, testCase, input.model);
    const produced = new Set(findings.map((f) => f.id));
    let reproduced = new Set(produced);
    let rerun: Finding[] = [];
    const confirmed = n < MAX_CONFIRMED_CASES;
    for (let attempt = 0; confirmed && attempt < CONFIRMATIONS && reproduced.size > 0; attempt++) {
      const again = await runCase(testCase, replayRunEnv(input, settled, 0));
      rerun = again.status === "failed" ? buildFindings(again, testCase, input.model) : [];
      const now = new Set(rerun.map((f) => f.id));
      reproduced = new Set([...reproduced].filter((id) => now.has(id)));
    }
    if (!confirmed) reproduced = new Set();
    verdicts.push({ caseId: result.caseId, write, findings, produced, reproduced, rerun, confirmed });
  }

  const unreproduced = (v: Verdict, id: string) => v.produced.has(id) && !v.reproduced.has(id);
  const rows = await listFindings(env.DB, input.orgId, input.runId);
  const suppressed: SuppressedFinding[] = [];
  for (const row of rows) {
    const from = verdicts.filter((v) => unreproduced(v, row.id));
    const held = verdicts.find((v) => v.reproduced.has(row.id));
    if (from.length === 0 && !held) continue;
    if (held || row.occurrences > from.length) {
      // it stands: the occurrences that did not reproduce leave it, and its example is one that holds
      const fresh = held?.rerun.find((f) => f.id === row.id);
      const note = "reproduced after the run, once Sentinel's own destructive requests had taken effect";
      await correctEvidence(env, { runId: input.runId, model: input.model, cases: byId }, row, from, fresh ? { finding: fresh, rerun: new Set(verdicts.map((v) => v.caseId)), note } : undefined);
      continue;
    }
    const v = from[0];
    const why = v.confirmed
      ? `did not reproduce when its case ran again after the run, once that request had taken effect`
      : `was not run again (at most ${MAX_CONFIRMED_CASES} cases are re-confirmed)`;
    suppressed.push({
      findingId: row.id,
      check: row.data.check,
      operation: { method: String(row.data.operation.method).toUpperCase(), path: row.data.operation.path, operationId: row.data.operation.operationId },
      title: row.data.title,
      caseIds: from.map((f) => f.caseId),
      reason: `came after Sentinel's own destructive request ${v.write.label} (case ${v.write.caseId}) and ${why}`,
    });
  }
  if (suppressed.length > 0) await deleteFindings(env.DB, input.runId, suppressed.map((s) => s.findingId));
  // a case whose failure did not come back was not judged: it was the run's own doing
  const unjudged = verdicts.filter((v) => v.produced.size > 0 && v.reproduced.size === 0);
  for (const v of unjudged) {
    await markNotJudged(env.DB, input.runId, [v.caseId], `not judged: its failure came after Sentinel's own destructive request ${v.write.label} (case ${v.write.caseId}) and did not reproduce once it had taken effect`);
  }
  if (suppressed.length > 0) await recordSuppressed(env.DB, input.runId, suppressed);
  if (unjudged.length > 0) log("info", "failures caused by the run's own destructive requests not reported", { runId: input.runId, findings: suppressed.length, cases: unjudged.length });
  return suppressed;
}
