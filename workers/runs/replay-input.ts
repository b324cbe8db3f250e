/**
 * What a pass that re-runs cases of a run after its tasks are done needs (own-writes.ts,
 * stopped-target.ts): the run, its spec and target, every case it planned, who to send them as
 * and the run's request limits. One shape, so the TestRun builds it once for either pass.
 */
import type { ApiModel, Identities, TestCase } from "../model";
import type { FetchLike } from "../executor/http-client";
import type { RunEnv } from "../executor/run-case";

export interface ReplayInput {
  runId: string;
  orgId: string;
  model: ApiModel;
  baseUrl: string;
  /** every case of the run (the task bodies) */
  cases: readonly TestCase[];
  identities: Identities;
  defaultIdentity?: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** How a re-run pass sends a case: as the run did, through `fetch`, with its request limits. */
export function replayRunEnv(input: ReplayInput, fetch: FetchLike, stallMs?: number): RunEnv {
  return {
    fetch,
    baseUrl: input.baseUrl,
    identities: input.identities,
    ...(input.defaultIdentity ? { defaultIdentity: input.defaultIdentity } : {}),
    model: input.model,
    config: { timeoutMs: input.timeoutMs, maxBodyBytes: input.maxBodyBytes, ...(stallMs !== undefined ? { stallMs } : {}) },
  };
}
