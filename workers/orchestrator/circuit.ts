/**
 * The circuit breaker of a run's target, as pure rules. Executors running in parallel report
 * connection failures (refused, reset, DNS, TLS, timeouts: no response at all) and the TestRun
 * keeps one run-wide circuit:
 *
 *   closed ──N failures in a row──▶ open ──probe answers──▶ closed (the target recovered)
 *                                     │
 *                                     └──every probe fails──▶ tripped: the remaining cases are
 *                                        skipped ("target unreachable: …") and the run ends
 *
 * While open, executors hold their cases (they neither send nor skip) until the probes decide.
 * Any response (even a 500) closes the streak: the target is alive, its answers are the verdict.
 */
import type { CircuitFailure, CircuitState, CircuitView, FailureKind } from "../model";

export type { CircuitFailure, CircuitState, CircuitView };

export interface Circuit {
  state: CircuitState;
  /** connection failures in a row, run-wide */
  failures: number;
  last?: CircuitFailure;
  openedAt?: number;
  /** probes done since the circuit opened */
  probes: number;
  /** when the next probe is due (open only) */
  probeAt?: number;
  /** set once tripped: the one line that says why the run stopped */
  reason?: string;
  /** how many times the circuit opened in this run (outages noticed) */
  opened: number;
}


/** Delay before each probe after the circuit opened (half-open): a target that restarts gets a few seconds. */
export const PROBE_DELAYS_MS = [500, 1500, 3000] as const;
/** A probe waits at most this long for an answer (never longer than the run's own timeout). */
export const MAX_PROBE_TIMEOUT_MS = 2000;

export function closedCircuit(opened = 0): Circuit {
  return { state: "closed", failures: 0, probes: 0, opened };
}

export function viewOf(circuit: Circuit): CircuitView {
  const view: CircuitView = { state: circuit.state, failures: circuit.failures, opened: circuit.opened ?? 0 };
  if (circuit.reason) view.reason = circuit.reason;
  return view;
}

/** A connection failure: counts toward the threshold; the threshold reached opens the circuit. `threshold` 0 = never. */
export function recordFailure(circuit: Circuit, failure: CircuitFailure, threshold: number, now: number): Circuit {
  if (circuit.state === "tripped") return circuit;
  const failures = circuit.failures + 1;
  if (circuit.state === "closed" && threshold > 0 && failures >= threshold) {
    return { state: "open", failures, last: failure, openedAt: now, probes: 0, probeAt: now + PROBE_DELAYS_MS[0], opened: (circuit.opened ?? 0) + 1 };
  }
  return { ...circuit, failures, last: failure };
}

/** A response arrived: the streak is over (an open circuit stays open until its probe says so). */
export function recordSuccess(circuit: Circuit): Circuit {
  if (circuit.state !== "closed" || circuit.failures === 0) return circuit;
  return { ...circuit, failures: 0, last: undefined };
}

/** The outcome of one probe of an open circuit. */
export function afterProbe(circuit: Circuit, probe: { alive: true } | { alive: false; failure: CircuitFailure }, now: number, origin: string): Circuit {
  if (circuit.state !== "open") return circuit;
  if (probe.alive) return closedCircuit(circuit.opened);
  const probes = circuit.probes + 1;
  // the probe's kind is the better diagnosis (it tells refused from reset); for the same kind the requests' own text says more (their timeout)
  const last = circuit.last?.kind === probe.failure.kind ? circuit.last : probe.failure;
  if (probes < PROBE_DELAYS_MS.length) return { ...circuit, probes, last, probeAt: now + PROBE_DELAYS_MS[probes] };
  const tripped: Circuit = { ...circuit, state: "tripped", probes, last, probeAt: undefined };
  return { ...tripped, reason: unreachableReason(tripped, origin) };
}

const WHAT: Record<FailureKind, string> = {
  refused: "connection refused",
  reset: "connection reset",
  timeout: "no response (timeout)",
  dns: "DNS lookup failed",
  tls: "TLS handshake failed",
  lost: "connection lost",
  unknown: "connection failed",
};

export function describeFailureKind(kind: FailureKind): string {
  return WHAT[kind];
}

/** e.g. "target unreachable: connection refused at http://127.0.0.1:9 (5 requests failed in a row, then 3 probes)" */
export function unreachableReason(circuit: Circuit, origin: string): string {
  const last = circuit.last;
  const what = last ? describeFailureKind(last.kind) : "no answer";
  const detail = last?.kind === "timeout" ? ` within ${/(\d+) ms/.exec(last.message)?.[1] ?? "?"} ms` : "";
  return `target unreachable: ${what}${detail} at ${origin} (${circuit.failures} requests failed in a row, then ${circuit.probes} probes)`;
}

export const UNREACHABLE_PREFIX = "target unreachable:";
