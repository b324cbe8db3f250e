/**
 * The local executor process (README, "Executor process"): a second workerd of the same Worker
 * that runs the cases of the main process's task messages, so a local run uses a second core. The
 * main process keeps storage, the TestRun and the queue; the executor process only sends requests
 * and judges answers. Both share a secret generated per start (SENTINEL_EXECUTOR_SECRET); without
 * it neither route exists (the deployed Worker: queue consumers scale out there instead).
 *
 *  - main → executor: POST EXECUTE_PATH with a batch of one run's cases — every case of the task
 *    messages of one queue invocation, in groups (one per task), run as one pool so that no task's
 *    last cases leave the others' slots idle; the answer streams one JSON line per case as it ends
 *    (its result, or that the tripped circuit skipped it), beats while cases are held, and each
 *    group's observations once its last case ended (the main process then stores that task).
 *  - executor → main: POST RUN_CALL_PATH to ask the run what only it knows mid-batch: the circuit's
 *    state while it is open, and an identity's health (re-sign-in).
 */
import type { ApiModel, RunContext, TestCase } from "../model";
import type { Observation } from "../ai/invariants/observe";
import { timingSafeEqual } from "../shared/signature";
import type { CaseHead, StoredCase } from "./case-runner";

export const EXECUTE_PATH = "/internal/executor/execute";
export const RUN_CALL_PATH = "/internal/executor/run-call";

export interface ExecuteRequest {
  ctx: RunContext;
  /** the operation model, sent when the executor process does not hold it yet (it answers 409 then) */
  model?: ApiModel;
  cases: TestCase[];
  /** how many of `cases`, in order, each group (task) holds; they add up to cases.length */
  groups: number[];
  /** requests in flight for this batch (its share of the run's concurrency) */
  concurrency: number;
  /** requests per second for this batch (its share of the run's rate), if the run limits it */
  rps?: number;
}

/** One line of the execute answer. */
export type ExecuteLine =
  /**
   * A case ended: its head, then (caseLines) one line each for its result row, its `findings`
   * finding rows and, when `bodies` names the R2 key, its whole exchanges — JSON texts rendered
   * here as they are stored, so the main process's one thread parses only the head.
   */
  | { case: CaseHead; findings: number; bodies?: string }
  /** the circuit tripped before this case was sent: the run records it as skipped */
  | { skipped: string }
  /** every case of group `group` ended (its lines came before): its observations */
  | { group: number; observations: { id: string; observation: Observation }[] }
  /** still working (cases held while the circuit is open send nothing else) */
  | { beat: 1 };

/** A stored case as execute-answer lines (JSON.stringify writes no raw line break, so each text is one line). */
export function caseLines({ head, outcome, bodies }: StoredCase): string {
  const line: ExecuteLine = { case: head, findings: outcome.findingRows.length, ...(bodies ? { bodies: bodies.key } : {}) };
  return `${[JSON.stringify(line), outcome.row, ...outcome.findingRows, ...(bodies ? [bodies.json] : [])].join("\n")}\n`;
}

/** While a batch runs, the executor process writes at least one line this often. */
export const BEAT_INTERVAL_MS = 1_000;

export type RunCall =
  | { runId: string; call: "circuitState" }
  | { runId: string; call: "identityTrouble"; name: string; generation: number; status: number; answeredAt: number };

/** Whether a request carries the processes' shared secret (compared in constant time). */
export function carriesSecret(request: Request, secret: string | undefined): boolean {
  if (!secret) return false;
  const header = request.headers.get("authorization") ?? "";
  return timingSafeEqual(header, `Bearer ${secret}`);
}
