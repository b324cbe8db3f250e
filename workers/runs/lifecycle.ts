/**
 * The life of a run as pure rules over the contract in model/run.ts: the status machine, limits
 * clamped to their bounds, how the final status follows from the counts, and the case cap. The
 * TestRun Durable Object applies these; nothing here touches storage.
 */
import { DEFAULT_LIMITS, LIMIT_BOUNDS, TERMINAL_STATUSES, type CaseCounts, type RunLimits, type RunLimitsInput, type RunStatus } from "../model";

export function isTerminal(status: RunStatus): boolean {
  return (TERMINAL_STATUSES as readonly RunStatus[]).includes(status);
}

/** Allowed forward moves; anything may end as errored or cancelled. */
const NEXT: Record<RunStatus, readonly RunStatus[]> = {
  queued: ["planning"],
  planning: ["running", "finalizing"],
  running: ["finalizing"],
  finalizing: ["passed", "failed", "errored"],
  passed: [],
  failed: [],
  errored: [],
  cancelled: [],
};

export function canMove(from: RunStatus, to: RunStatus): boolean {
  if (isTerminal(from)) return false;
  if (to === "errored" || to === "cancelled") return true;
  return NEXT[from].includes(to);
}

function clamp(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, value));
}

/** Defaults filled and every number clamped into its bounds (the API validates; this is the last guard). */
export function normalizeLimits(input: RunLimitsInput = {}): RunLimits {
  const limits: RunLimits = {
    maxCases: Math.floor(clamp(input.maxCases ?? DEFAULT_LIMITS.maxCases, LIMIT_BOUNDS.maxCases)),
    timeoutMs: Math.floor(clamp(input.timeoutMs ?? DEFAULT_LIMITS.timeoutMs, LIMIT_BOUNDS.timeoutMs)),
    concurrency: Math.floor(clamp(input.concurrency ?? DEFAULT_LIMITS.concurrency, LIMIT_BOUNDS.concurrency)),
    deadlineMs: Math.floor(clamp(input.deadlineMs ?? DEFAULT_LIMITS.deadlineMs, LIMIT_BOUNDS.deadlineMs)),
    maxBodyBytes: DEFAULT_LIMITS.maxBodyBytes,
    circuitBreaker: Math.floor(clamp(input.circuitBreaker ?? DEFAULT_LIMITS.circuitBreaker, LIMIT_BOUNDS.circuitBreaker)),
  };
  if (input.rps !== undefined) limits.rps = clamp(input.rps, LIMIT_BOUNDS.rps);
  if (input.maxResponseTimeMs !== undefined) limits.maxResponseTimeMs = Math.floor(clamp(input.maxResponseTimeMs, LIMIT_BOUNDS.maxResponseTimeMs));
  return limits;
}

/**
 * failed when anything was found; errored when nothing could be judged (no case, or every case
 * errored: the infrastructure or the target failed, not the API's behaviour); passed otherwise.
 */
export function finalStatus(counts: CaseCounts, findings: number): { status: "passed" | "failed" | "errored"; error?: string } {
  if (findings > 0 || counts.failed > 0) return { status: "failed" };
  if (counts.cases === 0) return { status: "errored", error: "the plan produced no test case" };
  if (counts.errored === counts.cases) return { status: "errored", error: `all ${counts.cases} cases errored` };
  return { status: "passed" };
}

/**
 * Keep at most `max` cases, taking them round-robin across operations so that a cap never
 * silently drops whole operations; the order inside each operation is kept.
 */
export function capCases<T extends { operationId: string }>(cases: readonly T[], max: number): T[] {
  if (cases.length <= max) return [...cases];
  const groups = new Map<string, T[]>();
  for (const c of cases) {
    const group = groups.get(c.operationId);
    if (group) group.push(c);
    else groups.set(c.operationId, [c]);
  }
  const picked = new Set<T>();
  for (let round = 0; picked.size < max; round++) {
    for (const group of groups.values()) {
      if (round < group.length && picked.size < max) picked.add(group[round]);
    }
  }
  // back to the planner's order, which is deterministic for a seed
  return cases.filter((c) => picked.has(c));
}
