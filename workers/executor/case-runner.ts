/**
 * Running one case of a run, wherever it runs: in the queue consumer (consumer.ts) or in a local
 * executor process (executor-process.ts). What the run decides (the circuit's state, an identity's
 * health) comes through a RunPort: the TestRun's stub in the consumer, callbacks to the main
 * process in an executor process.
 */
import type { ApiModel, CaseResult, CaseStatus, CircuitFailure, CircuitView, Finding, IdentityVerdict, RunContext, TestCase } from "../model";
import { log } from "../shared/log";
import { renderCase, type RenderedOutcome } from "../storage/results-repo";
import { buildFindings } from "./findings";
import type { ObservationCollector } from "./observations";
import { unlessAborted, type disciplinedFetch } from "./outbound";
import { runCase, type IdentityGuard } from "./run-case";
import type { TargetWatch } from "./target-watch";

/** What running cases asks of the run (model/run.ts's TestRun contract, the part an executor needs per case). */
export interface RunPort {
  circuitState(): Promise<CircuitView>;
  identityTrouble(name: string, generation: number, status: number, answeredAt: number): Promise<IdentityVerdict>;
}

/** What a run's cases share where they run: context, the run's fetch, identity health, the target's watch and circuit. */
export interface CaseScope {
  ctx: RunContext;
  fetch: ReturnType<typeof disciplinedFetch>;
  guard: IdentityGuard;
  /** headers of identities signed in again since: still redacted */
  retired: Record<string, Record<string, string>>[];
  /** the run's requests in this isolate: which one the target stopped on (target-watch.ts) */
  target: TargetWatch;
  /** the target's circuit as last heard from the run */
  circuit: CircuitView;
  /** one poll loop while the circuit is open; every held case awaits it */
  verdict?: Promise<void>;
  /**
   * Aborted when the run is over for this executor (its deadline passed, or it was cancelled or
   * ended): requests in flight are aborted, no case starts, nothing more is reported; the run
   * records the unfinished cases itself (DEADLINE_REASON, CANCELLED_REASON).
   */
  stop: AbortController;
}

/** While the circuit is open, held cases ask the run this often whether the probes decided. */
const CIRCUIT_POLL_MS = 250;
/** A hold never outlasts this (the probes take ~25 s at most): then the case is sent anyway. */
const CIRCUIT_MAX_HOLD_MS = 60_000;

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}

/** The run decides about identities; this scope keeps what it learnt (new headers, dead ones). */
export function identityGuard(port: RunPort, ctx: RunContext, retired: Record<string, Record<string, string>>[]): IdentityGuard {
  const generations = { ...(ctx.generations ?? {}) };
  const dead = { ...(ctx.dead ?? {}) };
  return {
    generation: (name) => generations[name] ?? 0,
    dead: (name) => dead[name],
    async trouble(name, generation, status, answeredAt) {
      const verdict = await port.identityTrouble(name, generation, status, answeredAt);
      if (verdict.state === "dead") dead[name] = verdict.reason;
      else if (verdict.headers && verdict.generation > (generations[name] ?? 0)) {
        retired.push({ [name]: ctx.identities[name] ?? {} });
        ctx.identities[name] = verdict.headers;
        generations[name] = verdict.generation;
      }
      return verdict;
    },
  };
}

/** Whether a case may be sent: at once when the circuit is closed; after the probes' verdict when it is open; never once it tripped. */
export async function circuitAllows(port: RunPort, scope: CaseScope): Promise<boolean> {
  if (scope.circuit.state === "open") {
    scope.verdict ??= (async () => {
      const until = Date.now() + CIRCUIT_MAX_HOLD_MS;
      while (scope.circuit.state === "open" && Date.now() < until && !scope.stop.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, CIRCUIT_POLL_MS));
        try {
          scope.circuit = await port.circuitState();
        } catch (error) {
          log("warn", "circuit state unavailable", { runId: scope.ctx.runId, error: errorText(error) });
        }
      }
    })().finally(() => (scope.verdict = undefined));
    await scope.verdict;
  }
  return scope.circuit.state !== "tripped" && !scope.stop.signal.aborted;
}

/** The case's last request got no answer at all: reported to the run's circuit as a failure. */
export function noAnswer(result: CaseResult): boolean {
  const last = result.exchanges[result.exchanges.length - 1];
  return last?.failure !== undefined && !last.response;
}

/** Runs one case; a case that throws becomes an errored result; undefined when the run ended before it finished (its requests are aborted). */
export async function executeCase(testCase: TestCase, model: ApiModel, scope: CaseScope, observations: ObservationCollector): Promise<CaseResult | undefined> {
  const started = Date.now();
  const { ctx } = scope;
  try {
    return await unlessAborted(scope.stop.signal, runCase(testCase, {
      fetch: scope.fetch,
      guard: scope.guard,
      retired: scope.retired,
      baseUrl: ctx.baseUrl,
      identities: ctx.identities,
      defaultIdentity: ctx.defaultIdentity,
      model,
      config: { timeoutMs: ctx.limits.timeoutMs, maxBodyBytes: ctx.limits.maxBodyBytes, maxResponseTimeMs: ctx.limits.maxResponseTimeMs },
      onSuccess: observations.onSuccess,
      target: scope.target,
      signal: scope.stop.signal,
    }));
  } catch (error) {
    return {
      caseId: testCase.id,
      agent: testCase.agent,
      operationId: testCase.operationId,
      status: "errored",
      reason: `executor error: ${errorText(error)}`,
      exchanges: [],
      checks: [],
      durationMs: Date.now() - started,
    };
  }
}

/** What the run's storing side learns from a case besides its rows: counts, and what it tells the target's circuit. */
export interface CaseHead {
  caseId: string;
  status: CaseStatus;
  /** requests it sent (its exchanges) */
  requests: number;
  /** its last request got no answer at all: a failure for the circuit */
  noAnswer?: CircuitFailure;
  /** its last request was answered */
  answered: boolean;
}

/** A case ready to store: its rows as the INSERTs read them, its whole exchanges for R2 when a body was cut in its row. */
export interface StoredCase {
  head: CaseHead;
  outcome: RenderedOutcome;
  bodies?: { key: string; json: string };
}

/** A result's findings and rows, made where the case ran: the process that stores them only joins texts. */
export function storedCase(orgId: string, runId: string, result: CaseResult, testCase: TestCase, model: ApiModel): StoredCase {
  const last = result.exchanges[result.exchanges.length - 1];
  const head: CaseHead = { caseId: result.caseId, status: result.status, requests: result.exchanges.length, answered: Boolean(last?.response) };
  if (noAnswer(result)) head.noAnswer = { kind: last.failure!, message: last.error ?? "no response" };
  return { head, ...renderCase(orgId, runId, result, caseFindings(runId, result, testCase, model)) };
}

/** A failed case's findings (none for any other status); a builder that throws costs the case its findings, not the task. */
function caseFindings(runId: string, result: CaseResult, testCase: TestCase, model: ApiModel): Finding[] {
  if (result.status !== "failed") return [];
  try {
    return buildFindings(result, testCase, model);
  } catch (error) {
    log("error", "building findings failed", { runId, caseId: testCase.id, error: errorText(error) });
    return [];
  }
}
