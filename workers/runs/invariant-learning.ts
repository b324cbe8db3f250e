/**
 * At a run's finalize: the invariants its observations support (workers/ai/invariants/infer.ts)
 * are stored for the spec as `inferred` oracles (a user's verdict on one is kept), so the next
 * run checks them with `inferred_invariant`. The run's observations are deleted afterwards.
 * Never fails the run.
 */
import { inferInvariants } from "../ai/invariants/infer";
import { oracleId, type StoredOracle } from "../ai/planner/propose-oracles";
import type { ApiModel } from "../model";
import { log } from "../shared/log";
import { deleteRunObservations, listRunObservations } from "../storage/observations-repo";
import { upsertInvariants } from "../storage/oracles-repo";
import { getSpec } from "../storage/specs-repo";

export async function learnInvariants(env: Env, input: { orgId: string; specId: string; runId: string; model: ApiModel | undefined }): Promise<number> {
  try {
    const observations = await listRunObservations(env.DB, input.orgId, input.runId);
    if (observations.length === 0 || !input.model) return 0;
    const spec = await getSpec(env.DB, input.orgId, input.specId);
    const inferred = inferInvariants(input.model, observations);
    const oracles: StoredOracle[] = await Promise.all(
      inferred.map(async (i) => ({
        id: await oracleId(i.operationId, i.assertion),
        operationId: i.operationId,
        source: "inferred" as const,
        sentence: i.sentence,
        assertion: i.assertion,
        status: "proposed" as const,
        observations: i.observations,
      })),
    );
    await upsertInvariants(env.DB, input.orgId, spec?.name ?? input.specId, oracles);
    await deleteRunObservations(env.DB, input.runId);
    if (oracles.length > 0) log("info", "invariants inferred", { runId: input.runId, invariants: oracles.length, observations: observations.length });
    return oracles.length;
  } catch (error) {
    log("warn", "invariants not inferred", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
    return 0;
  }
}
