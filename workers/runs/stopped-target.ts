/**
 * Which request stopped the target. While the target stopped answering, the executor named every
 * request in flight when it stopped (executor/target-watch.ts): from outside, the one that stopped
 * it cannot be told from those frozen behind it (a threaded server whose spin holds a global lock
 * freezes requests it was serving too). After the run, once the target answers again (waited for,
 * bounded), each such request's case is run again ALONE, one at a time, with the run's timeout:
 *
 *  - it stops the target again (no answer in time, and a probe sent meanwhile got none either):
 *    the culprit, its finding stands and says so;
 *  - it is answered alone, or alone it is slow while the target keeps answering: it was frozen
 *    behind another request; its finding is not reported (listed under `suppressed`, with the
 *    answer it got) and its case is errored (a request of it did get no answer);
 *  - it could not be replayed (the target did not answer again in time, the budget ran out, the
 *    replay stopped before that request): its finding stands as seen, with lower confidence
 *    unless it is the earliest request of its stop and nothing else was proved the culprit.
 *
 * Bounded: at most MAX_REPLAYS replays in REPLAY_BUDGET_MS, each wait for the target at most
 * RECOVERY_WAIT_MS. Suspects are taken in the order they were sent.
 */
import type { CaseResult, Exchange, Finding, SuppressedFinding, TestCase } from "../model";
import { buildFindings } from "../executor/findings";
import { runCase } from "../executor/run-case";
import { probeTarget } from "../executor/target-probe";
import { deleteFindings, listFindings, replaceFinding } from "../storage/findings-repo";
import { failedWithSignature, markNotJudged } from "../storage/results-repo";
import { recordSuppressed } from "../storage/runs-repo";
import { log } from "../shared/log";
import { correctEvidence } from "./finding-evidence";
import { targetFetch } from "./identities";
import { replayRunEnv, type ReplayInput } from "./replay-input";

/** The signature of the executor's stopped-target finding (run-case.ts). */
export const STOPPED_SIGNATURE = "liveness";
/** Cases replayed at most per run. */
export const MAX_REPLAYS = 6;
/** The target gets this long to answer again, before the first replay and after each one. */
export const RECOVERY_WAIT_MS = 10_000;
/** Every wait and replay of the pass fits in this. */
export const REPLAY_BUDGET_MS = 90_000;
/** Confidence of a suspect that could not be replayed and is not the likeliest culprit. */
export const UNREPLAYED_CONFIDENCE = 0.5;

/** A request that got no answer while the target stopped answering everything. */
export interface Suspect {
  caseId: string;
  stepId: string;
  sentAt: number;
  /** "GET /items/{id}" as sent (path only) */
  label: string;
  /** the earliest suspect of its stop (the stops of a run are told apart by send time) */
  first: boolean;
}

export type Replay =
  | { kind: "stopped"; ms: number }
  | { kind: "answered"; status: number; ms: number }
  | { kind: "slow"; probe: string }
  | { kind: "unjudged"; why: string };

const sentTime = (e: Exchange) => (e.startedAt ? Date.parse(e.startedAt) : NaN);

function labelOf(e: Exchange): string {
  let path = e.request.url;
  try {
    path = new URL(e.request.url).pathname;
  } catch {
    // keep the URL as recorded
  }
  return `${e.request.method.toUpperCase()} ${path}`;
}

/**
 * The run's suspects in send order: steps with a failed stopped-target check and no answer (a
 * request that was answered, slowly, was confirmed alone already: executor/liveness.ts). Requests
 * of one stop were all in flight at the moment it stopped, so they were sent within `timeoutMs` of
 * each other: a suspect sent later than that after the first one of a stop begins another stop.
 */
export function stoppedSuspects(results: readonly CaseResult[], timeoutMs: number): Suspect[] {
  const out: Suspect[] = [];
  for (const result of results) {
    for (const check of result.checks) {
      if (check.status !== "failed" || check.check !== "max_response_time" || check.signature !== STOPPED_SIGNATURE) continue;
      const exchange = result.exchanges.find((e) => e.stepId === check.stepId);
      if (!exchange || exchange.response || !Number.isFinite(sentTime(exchange))) continue;
      out.push({ caseId: result.caseId, stepId: check.stepId, sentAt: sentTime(exchange), label: labelOf(exchange), first: false });
    }
  }
  out.sort((a, b) => a.sentAt - b.sentAt || a.caseId.localeCompare(b.caseId));
  let stopStart = -Infinity;
  for (const suspect of out) {
    if (suspect.sentAt > stopStart + timeoutMs) {
      stopStart = suspect.sentAt;
      suspect.first = true;
    }
  }
  return out;
}

/** What the suspect's request did when its case ran again alone. */
export function replayVerdict(replay: CaseResult, stepId: string): Replay {
  const exchange = replay.exchanges.find((e) => e.stepId === stepId);
  if (!exchange) return { kind: "unjudged", why: `the replay stopped before that request (${replay.reason ?? replay.status})` };
  if (exchange.response) return { kind: "answered", status: exchange.response.status, ms: Math.round(exchange.response.durationMs) };
  const live = exchange.liveness;
  if (exchange.failure !== "timeout" || !live) return { kind: "unjudged", why: `the replay got no answer (${exchange.error ?? exchange.failure ?? "none"}), and no probe tells why` };
  if (live.blocked && live.probeStatus === undefined) return { kind: "stopped", ms: live.probeMs };
  const probe = live.probeStatus !== undefined ? `answered ${live.probeStatus} in ${live.probeMs} ms` : `failed fast (${live.probeError ?? "no answer"})`;
  return { kind: "slow", probe };
}

export interface StoppedTargetInput extends ReplayInput {
  /** a request in flight this long gets a liveness probe (the executor's default when absent) */
  stallMs?: number;
  /** tests: shorter bounds */
  recoveryWaitMs?: number;
  budgetMs?: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls the target until it answers anything (true) or `ms` passed (false). */
async function untilAnswering(baseUrl: string, ms: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const probe = await probeTarget(baseUrl, { fetch: targetFetch(baseUrl), timeoutMs: Math.max(100, Math.min(timeoutMs, 2000, until - Date.now())) });
    if (probe.alive) return true;
    if (Date.now() + 500 >= until) return false;
    await wait(500);
  }
}

interface Judged {
  suspect: Suspect;
  replay: Replay;
  /** the stopped-target finding its stored result produced */
  finding: Finding;
  stored: CaseResult;
}

/**
 * The post-run pass (TestRun: at finalize, and when the circuit tripped). Returns the findings it
 * suppressed. Idempotent: a second pass finds the cleared cases no longer failed.
 */
export async function confirmStoppedTarget(env: Env, input: StoppedTargetInput): Promise<SuppressedFinding[]> {
  const results = await failedWithSignature(env.DB, input.runId, STOPPED_SIGNATURE);
  const suspects = stoppedSuspects(results, input.timeoutMs);
  if (suspects.length === 0) return [];
  const byId = new Map(input.cases.map((c) => [c.id, c]));
  const resultOf = new Map(results.map((r) => [r.caseId, r]));

  const started = Date.now();
  const budget = input.budgetMs ?? REPLAY_BUDGET_MS;
  const recovery = input.recoveryWaitMs ?? RECOVERY_WAIT_MS;
  const left = () => budget - (Date.now() - started);
  const judged: Judged[] = [];
  let stillDown = false;
  let replays = 0;
  for (const suspect of suspects) {
    const testCase = byId.get(suspect.caseId);
    const stored = resultOf.get(suspect.caseId)!;
    const finding = testCase ? buildFindings(stored, testCase, input.model).find((f) => f.check === "max_response_time" && f.signature === STOPPED_SIGNATURE) : undefined;
    if (!testCase || !finding) continue;
    let replay: Replay;
    if (stillDown) replay = { kind: "unjudged", why: `the target did not answer again within ${Math.round(recovery / 1000)} s` };
    else if (replays >= MAX_REPLAYS) replay = { kind: "unjudged", why: `not replayed (at most ${MAX_REPLAYS} requests are replayed per run)` };
    else if (left() < input.timeoutMs) replay = { kind: "unjudged", why: `not replayed (the replays' ${Math.round(budget / 1000)} s were used up)` };
    else if (!(await untilAnswering(input.baseUrl, Math.min(recovery, left() - input.timeoutMs), input.timeoutMs))) {
      stillDown = true;
      replay = { kind: "unjudged", why: `the target did not answer again within ${Math.round(recovery / 1000)} s` };
    } else {
      replays++;
      const again = await runCase(testCase, replayRunEnv(input, targetFetch(input.baseUrl), input.stallMs));
      replay = replayVerdict(again, suspect.stepId);
    }
    judged.push({ suspect, replay, finding, stored });
  }

  // a replay that stopped the target again: what runs after this pass (own-writes re-runs) needs it back
  if (judged.some((j) => j.replay.kind === "stopped")) await untilAnswering(input.baseUrl, Math.max(0, Math.min(recovery, left())), input.timeoutMs);
  const suppressed = await applyVerdicts(env, input, judged, byId);
  const counts = Object.fromEntries(["stopped", "answered", "slow", "unjudged"].map((k) => [k, judged.filter((j) => j.replay.kind === k).length]));
  log("info", "requests in flight when the target stopped, replayed alone", { runId: input.runId, suspects: judged.length, ...counts, suppressed: suppressed.length, ms: Date.now() - started });
  return suppressed;
}

const cleared = (r: Replay) => r.kind === "answered" || r.kind === "slow";

/** What a cleared suspect's replay got: "it was answered 200 in 12 ms". */
function aloneText(j: Judged, timeoutMs: number): string {
  return j.replay.kind === "answered" ? `it was answered ${j.replay.status} in ${j.replay.ms} ms` : `it got no answer in ${timeoutMs} ms either, but the target kept serving (a probe ${(j.replay as { probe: string }).probe})`;
}

function clearedWhy(j: Judged, timeoutMs: number): string {
  return `${j.suspect.label} was in flight when the target stopped answering, but replayed alone once the target answered again ${aloneText(j, timeoutMs)}: another request stopped the target`;
}

/** Findings: suppressed when every occurrence was cleared; else corrected, and their text says what the replays showed. */
async function applyVerdicts(env: Env, input: StoppedTargetInput, judged: readonly Judged[], cases: ReadonlyMap<string, TestCase>): Promise<SuppressedFinding[]> {
  const culpritProved = judged.some((j) => j.replay.kind === "stopped");
  const rows = await listFindings(env.DB, input.orgId, input.runId);
  const suppressed: SuppressedFinding[] = [];
  for (const row of rows) {
    const mine = judged.filter((j) => j.finding.id === row.id);
    if (mine.length === 0) continue;
    const gone = mine.filter((j) => cleared(j.replay));
    const stopped = mine.filter((j) => j.replay.kind === "stopped");
    const unjudged = mine.filter((j) => j.replay.kind === "unjudged");
    if (gone.length > 0 && gone.length >= row.occurrences && stopped.length === 0 && unjudged.length === 0) {
      suppressed.push({
        findingId: row.id,
        check: row.data.check,
        operation: { method: String(row.data.operation.method).toUpperCase(), path: row.data.operation.path, operationId: row.data.operation.operationId },
        title: row.data.title,
        caseIds: gone.map((j) => j.suspect.caseId),
        reason: clearedWhy(gone[0], input.timeoutMs),
      });
      continue;
    }
    const data = gone.length > 0 ? await correctEvidence(env, { runId: input.runId, model: input.model, cases }, row, gone.map((j) => ({ caseId: j.suspect.caseId, findings: [j.finding] }))) : { ...row.data };
    const notes: string[] = [];
    if (stopped.length > 0) {
      const s = stopped[0];
      notes.push(`Replayed alone once the target answered again, ${s.suspect.label} stopped it again (a probe sent meanwhile got no answer in ${(s.replay as { ms: number }).ms} ms): this request stops the target.`);
    } else if (unjudged.length > 0) {
      const likeliest = !culpritProved && unjudged.some((j) => j.suspect.first);
      const why = (unjudged[0].replay as { why: string }).why;
      notes.push(
        likeliest
          ? `Not replayed alone (${why}): of the requests in flight when the target stopped, this one was sent first — on a server that takes one request at a time, the one that stopped it.`
          : `Not replayed alone (${why}): this request was in flight when the target stopped, but so was ${culpritProved ? "a request shown to stop it when replayed" : "a request sent before it"}; it may only have been frozen behind that one — lower confidence.`,
      );
      if (!likeliest) data.confidence = Math.min(data.confidence ?? 1, UNREPLAYED_CONFIDENCE);
    }
    if (gone.length > 0) notes.push(`${gone.length} other request${gone.length === 1 ? "" : "s"} of this operation in flight with it ${gone.length === 1 ? "was" : "were"} answered when replayed alone and ${gone.length === 1 ? "is" : "are"} not counted.`);
    data.message = `${data.message} ${notes.join(" ")}`.trim();
    await replaceFinding(env.DB, input.runId, row.id, data, Math.max(1, row.occurrences - gone.length));
  }
  if (suppressed.length > 0) await deleteFindings(env.DB, input.runId, suppressed.map((s) => s.findingId));
  // a case whose request was answered alone got no answer only because another request stopped
  // the target: errored, not failed (unless another of its checks failed)
  for (const j of judged.filter((j) => cleared(j.replay))) {
    const others = j.stored.checks.some((c) => c.status === "failed" && !(c.check === "max_response_time" && c.signature === STOPPED_SIGNATURE));
    if (!others) await markNotJudged(env.DB, input.runId, [j.suspect.caseId], `step ${j.suspect.stepId}: no answer in ${input.timeoutMs} ms while another request had stopped the target (replayed alone, ${aloneText(j, input.timeoutMs)})`, "errored");
  }
  if (suppressed.length > 0) await recordSuppressed(env.DB, input.runId, suppressed);
  return suppressed;
}
