/**
 * What a pass that re-runs cases of a run after its tasks are done needs (own-writes.ts,
 * stopped-target.ts): the run, its spec and target, every case it planned, who to send them as
 * and the run's request limits. One shape, so the TestRun builds it once for either pass.
 */
import type { ApiModel, Identities, TestCase } from "../model";

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
