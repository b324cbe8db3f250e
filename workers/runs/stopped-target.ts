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
 *    replay stopped before that request): unjudged.
 *
 * One stop, one finding. A stop was caused by one request (two inputs each stopping the target
 * within the same moment is far rarer than innocent requests frozen or cut off with the culprit),
 * so a stop whose culprit is not proved alone is reported once: on the earliest unjudged suspect
 * (on a server that takes one request at a time, the one that stopped it), its finding listing
 * every other suspect of the stop as a trigger "in flight with it", each with its curl. Those
 * others are not findings of their own: k suspects reported as k findings are k - 1 false alarms
 * on an even guess, while one finding naming all k is true (the target has a request that stops
 * it, and it is one of those curls) and misses nothing. When a replay proves the culprit, the
 * unjudged rest of its stop are only listed in its finding, the same way.
 *
 * A target that died (its process exited: connections closed, then refused) is the same case:
 * its suspects are the requests whose connections closed while it went down; a replay that is
 * cut off again and leaves the target answering nothing proves the culprit.
 *
 * Bounded: at most MAX_REPLAYS replays in REPLAY_BUDGET_MS, each wait for the target at most
 * RECOVERY_WAIT_MS. Suspects are taken in the order they were sent.
 */
import type { CaseResult, Exchange, Finding, FindingTrigger, SuppressedFinding, TestCase } from "../model";
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

/** A request that got no answer while the target stopped answering everything. */
export interface Suspect {
  caseId: string;
  stepId: string;
  sentAt: number;
  /** "GET /items/{id}" as sent (path only) */
  label: string;
  /** the earliest suspect of its stop (the stops of a run are told apart by send time) */
  first: boolean;
  /** which stop of the run (0, 1 …, in send order) */
  stop: number;
}

export type Replay =
  | { kind: "stopped"; ms: number }
  /** its connection closed without an answer and the target answered nothing after: it went down again */
  | { kind: "died"; failure: string }
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
      out.push({ caseId: result.caseId, stepId: check.stepId, sentAt: sentTime(exchange), label: labelOf(exchange), first: false, stop: 0 });
    }
  }
  out.sort((a, b) => a.sentAt - b.sentAt || a.caseId.localeCompare(b.caseId));
  let stopStart = -Infinity;
  let stop = -1;
  for (const suspect of out) {
    if (suspect.sentAt > stopStart + timeoutMs) {
      stopStart = suspect.sentAt;
      suspect.first = true;
      stop++;
    }
    suspect.stop = stop;
  }
  return out;
}

/**
 * What the suspect's request did when its case ran again alone. `down`: when its connection closed
 * without an answer, whether the target answered nothing right after (probed by the caller).
 */
export function replayVerdict(replay: CaseResult, stepId: string, down?: boolean): Replay {
  const exchange = replay.exchanges.find((e) => e.stepId === stepId);
  if (!exchange) return { kind: "unjudged", why: `the replay stopped before that request (${replay.reason ?? replay.status})` };
  if (exchange.response) return { kind: "answered", status: exchange.response.status, ms: Math.round(exchange.response.durationMs) };
  if (exchange.failure !== "timeout" && down === true) return { kind: "died", failure: exchange.error ?? exchange.failure ?? "no answer" };
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

export interface StoppedTargetOutcome {
  /** findings not reported: every occurrence answered when replayed alone */
  suppressed: SuppressedFinding[];
  /** one line per stop whose finding stands: "the target went down with GET /die/0 in flight" */
  stops: string[];
}

/**
 * The post-run pass (TestRun: at finalize, and when the circuit tripped). Idempotent: a second
 * pass finds the cleared cases no longer failed.
 */
export async function confirmStoppedTarget(env: Env, input: StoppedTargetInput): Promise<StoppedTargetOutcome> {
  const results = await failedWithSignature(env.DB, input.runId, STOPPED_SIGNATURE);
  const suspects = stoppedSuspects(results, input.timeoutMs);
  if (suspects.length === 0) return { suppressed: [], stops: [] };
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
      const cut = again.exchanges.find((e) => e.stepId === suspect.stepId);
      // cut off without an answer: did the target go down with it again?
      const down = cut && !cut.response && cut.failure !== "timeout" ? !(await probeTarget(input.baseUrl, { fetch: targetFetch(input.baseUrl), timeoutMs: Math.min(input.timeoutMs, 2000) })).alive : undefined;
      replay = replayVerdict(again, suspect.stepId, down);
    }
    judged.push({ suspect, replay, finding, stored });
  }

  // a replay that stopped the target again: what runs after this pass (own-writes re-runs) needs it back
  if (judged.some((j) => proved(j.replay))) await untilAnswering(input.baseUrl, Math.max(0, Math.min(recovery, left())), input.timeoutMs);
  const suppressed = await applyVerdicts(env, input, judged, byId);
  const counts = Object.fromEntries(["stopped", "died", "answered", "slow", "unjudged"].map((k) => [k, judged.filter((j) => j.replay.kind === k).length]));
  log("info", "requests in flight when the target stopped, replayed alone", { runId: input.runId, suspects: judged.length, ...counts, suppressed: suppressed.length, ms: Date.now() - started });
  const { kept } = blame(judged);
  return { suppressed, stops: judged.filter((_, i) => kept.has(i)).map(stopLine) };
}

/** "the target went down with GET /die/0 in flight (a finding names it)" */
function stopLine(j: Judged): string {
  const exchange = j.stored.exchanges.find((e) => e.stepId === j.suspect.stepId);
  const how = exchange?.failure === "timeout" ? "stopped answering" : "went down";
  return proved(j.replay) ? `${j.suspect.label} ${how === "went down" ? "takes the target down" : "stops the target"} (in flight when it ${how}, and again when replayed alone): a finding names it` : `the target ${how} with ${j.suspect.label} in flight: a finding names it`;
}

/** Which cases a tripped circuit left unrun: "27 cases skipped (GET /ok/{n} 25, POST /items 2)". */
export function describeSkipped(count: number, cases: readonly TestCase[]): string {
  const per = new Map<string, number>();
  for (const c of cases) {
    const step = c.steps[c.steps.length - 1];
    const label = step ? `${String(step.request.method).toUpperCase()} ${step.request.path}` : c.operationId;
    per.set(label, (per.get(label) ?? 0) + 1);
  }
  const top = [...per].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = top.slice(0, 8).map(([label, n]) => `${label} ${n}`);
  if (top.length > 8) shown.push(`${top.length - 8} more operations`);
  return `${count} cases skipped${shown.length > 0 ? ` (${shown.join(", ")})` : ""}`;
}

const cleared = (r: Replay) => r.kind === "answered" || r.kind === "slow";
const proved = (r: Replay) => r.kind === "stopped" || r.kind === "died";

/** What a cleared suspect's replay got: "it was answered 200 in 12 ms". */
function aloneText(j: Judged, timeoutMs: number): string {
  return j.replay.kind === "answered" ? `it was answered ${j.replay.status} in ${j.replay.ms} ms` : `it got no answer in ${timeoutMs} ms either, but the target kept serving (a probe ${(j.replay as { probe: string }).probe})`;
}

function clearedWhy(j: Judged, timeoutMs: number): string {
  return `${j.suspect.label} was in flight when the target stopped answering, but replayed alone once the target answered again ${aloneText(j, timeoutMs)}: another request stopped the target`;
}

/**
 * Per stop: the suspects whose findings stand (the proved culprits, else the earliest unjudged
 * one) and the unjudged rest, each only named in the finding of the one standing for its stop.
 */
export function blame(judged: readonly { suspect: Suspect; replay: Replay }[]): { kept: Set<number>; namedBy: Map<number, number> } {
  const kept = new Set<number>();
  const namedBy = new Map<number, number>();
  const stops = new Map<number, number[]>();
  judged.forEach((j, i) => stops.set(j.suspect.stop, [...(stops.get(j.suspect.stop) ?? []), i]));
  for (const members of stops.values()) {
    const shown = members.filter((i) => proved(judged[i].replay));
    const unjudged = members.filter((i) => judged[i].replay.kind === "unjudged");
    if (shown.length === 0 && unjudged.length > 0) shown.push(unjudged[0]);
    for (const i of shown) kept.add(i);
    for (const i of unjudged) if (!kept.has(i)) namedBy.set(i, shown[0]);
  }
  return { kept, namedBy };
}

/** The note a standing finding gets for the suspect `j` behind it. */
function standingNote(j: Judged, others: readonly Judged[]): string {
  const r = j.replay;
  let note: string;
  if (r.kind === "stopped") note = `Replayed alone once the target answered again, ${j.suspect.label} stopped it again (a probe sent meanwhile got no answer in ${r.ms} ms): this request stops the target.`;
  else if (r.kind === "died") note = `Replayed alone once the target answered again, ${j.suspect.label} took it down again (its connection closed without an answer, ${r.failure}, and the target answered nothing after): this request stops the target.`;
  else {
    const why = (r as { why: string }).why;
    note = j.suspect.first
      ? `Not replayed alone (${why}): of the requests in flight when the target stopped, this one was sent first — on a server that takes one request at a time, the one that stopped it.`
      : `Not replayed alone (${why}): this request was in flight when the target stopped; the requests sent before it were answered when replayed alone.`;
  }
  if (others.length === 0) return note;
  const n = others.length;
  const proof = proved(r) ? "not replayed," : "which of them stopped the target cannot be told from outside;";
  return `${note} ${n} other request${n === 1 ? " was" : "s were"} in flight with it (${others.map((o) => o.suspect.label).join(", ")}): ${proof} ${n === 1 ? "it is" : "they are"} not reported on ${n === 1 ? "its" : "their"} own but listed here as trigger${n === 1 ? "" : "s"} "in flight with it", each with its curl.`;
}

/** A suspect only named in another's finding: its own finding's trigger, marked as such. */
function inFlightTrigger(j: Judged): FindingTrigger | undefined {
  const own = j.finding.triggers?.[0];
  if (!own) return undefined;
  return { ...own, key: `in flight with it: ${j.suspect.label} (${j.suspect.caseId})`, title: `in flight with it when the target stopped, not replayed: ${own.title}`, count: 1 };
}

/**
 * Findings: suppressed when every occurrence was cleared; removed when every occurrence is only
 * named in another suspect's finding; else corrected, and their text says what the replays showed.
 */
async function applyVerdicts(env: Env, input: StoppedTargetInput, judged: readonly Judged[], cases: ReadonlyMap<string, TestCase>): Promise<SuppressedFinding[]> {
  const { kept, namedBy } = blame(judged);
  const rows = await listFindings(env.DB, input.orgId, input.runId);
  const suppressed: SuppressedFinding[] = [];
  const removed: string[] = [];
  for (const row of rows) {
    const mine = judged.map((j, i) => ({ j, i })).filter(({ j }) => j.finding.id === row.id);
    if (mine.length === 0) continue;
    const gone = mine.filter(({ j, i }) => cleared(j.replay) || namedBy.has(i)).map(({ j }) => j);
    const standing = mine.filter(({ i }) => kept.has(i));
    if (standing.length === 0 && gone.length > 0 && gone.length >= row.occurrences) {
      removed.push(row.id);
      const clearedHere = gone.filter((j) => cleared(j.replay));
      // only named in another finding: that finding says so; cleared alone: listed as not reported
      if (clearedHere.length === gone.length) {
        suppressed.push({
          findingId: row.id,
          check: row.data.check,
          operation: { method: String(row.data.operation.method).toUpperCase(), path: row.data.operation.path, operationId: row.data.operation.operationId },
          title: row.data.title,
          caseIds: clearedHere.map((j) => j.suspect.caseId),
          reason: clearedWhy(clearedHere[0], input.timeoutMs),
        });
      }
      continue;
    }
    const data = gone.length > 0 ? await correctEvidence(env, { runId: input.runId, model: input.model, cases }, row, gone.map((j) => ({ caseId: j.suspect.caseId, findings: [j.finding] }))) : { ...row.data };
    const notes: string[] = [];
    for (const { j, i } of standing.slice(0, 1)) {
      const others = [...namedBy].filter(([, by]) => by === i).map(([o]) => judged[o]);
      notes.push(standingNote(j, others));
      const triggers = others.map(inFlightTrigger).filter((t): t is FindingTrigger => t !== undefined);
      if (triggers.length > 0) data.triggers = [...(data.triggers ?? []), ...triggers];
    }
    const clearedHere = gone.filter((j) => cleared(j.replay));
    if (clearedHere.length > 0) notes.push(`${clearedHere.length} other request${clearedHere.length === 1 ? "" : "s"} of this operation in flight with it ${clearedHere.length === 1 ? "was" : "were"} answered when replayed alone and ${clearedHere.length === 1 ? "is" : "are"} not counted.`);
    data.message = `${data.message} ${notes.join(" ")}`.trim();
    await replaceFinding(env.DB, input.runId, row.id, data, Math.max(1, row.occurrences - gone.length));
  }
  if (removed.length > 0) await deleteFindings(env.DB, input.runId, removed);
  // a case whose request was answered alone, or that is only named in another's finding, got no
  // answer because the target had stopped: errored, not failed (unless another of its checks failed)
  const notJudged = (j: Judged) => !j.stored.checks.some((c) => c.status === "failed" && !(c.check === "max_response_time" && c.signature === STOPPED_SIGNATURE));
  for (const j of judged.filter((j) => cleared(j.replay) && notJudged(j))) {
    await markNotJudged(env.DB, input.runId, [j.suspect.caseId], `step ${j.suspect.stepId}: no answer in ${input.timeoutMs} ms while another request had stopped the target (replayed alone, ${aloneText(j, input.timeoutMs)})`, "errored");
  }
  for (const [i, by] of namedBy) {
    const j = judged[i];
    if (!notJudged(j)) continue;
    await markNotJudged(env.DB, input.runId, [j.suspect.caseId], `step ${j.suspect.stepId}: no answer: in flight when the target stopped, with ${judged[by].suspect.label} (case ${judged[by].suspect.caseId}), whose finding names it (${(j.replay as { why: string }).why})`, "errored");
  }
  if (suppressed.length > 0) await recordSuppressed(env.DB, input.runId, suppressed);
  return suppressed;
}
