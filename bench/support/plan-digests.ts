/**
 * SHA-1 of `JSON.stringify(planRun(...).cases)` for a fixed matrix of plans: six real specs and
 * synthetic ones, the run's two functional agents and all agents, capped and uncapped. A change
 * meant to make planning faster, not different, leaves every line equal (compare the output of
 * the tree before and after: `npm run bench -- generate digests`).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planRun } from "../../workers/orchestrator/plan";
import { generateSyntheticSpec, parseSpec } from "../../workers/orchestrator/spec";
import type { ApiModel } from "../../workers/model";

const REAL = join(import.meta.dirname, "../../../shared/specs/real");

function modelOf(bytes: Uint8Array | string): ApiModel {
  const { model, problems } = parseSpec(bytes);
  if (!model) throw new Error(problems.map((p) => p.message).join("; "));
  return model;
}

const SPECS: Record<string, () => ApiModel> = {
  kubernetes: () => modelOf(readFileSync(join(REAL, "kubernetes-v1.36.json"))),
  stripe: () => modelOf(readFileSync(join(REAL, "stripe-2023-05-24.yaml"))),
  zoom: () => modelOf(readFileSync(join(REAL, "zoom-meeting-2023-07-10.json"))),
  twilio: () => modelOf(readFileSync(join(REAL, "twilio-api-v2010-2.6.7.json"))),
  gitea: () => modelOf(readFileSync(join(REAL, "gitea-1.16.0.yaml"))),
  vampi: () => modelOf(readFileSync(join(REAL, "vampi-0.1.yaml"))),
  synthetic200: () => modelOf(JSON.stringify(generateSyntheticSpec(200))),
  synthetic1000: () => modelOf(JSON.stringify(generateSyntheticSpec(1000))),
  synthetic5000: () => modelOf(JSON.stringify(generateSyntheticSpec(5000))),
};

/** [spec, agents (undefined: all), cases per operation, total cap] */
type PlanRow = [string, string[] | undefined, number, number];

function matrix(): PlanRow[] {
  const functional = ["functional-positive", "functional-negative"];
  const rows: PlanRow[] = [];
  // what a run asks of the functional agents (50 per operation), small and large caps
  for (const spec of ["kubernetes", "stripe", "zoom", "twilio", "gitea", "vampi", "synthetic200"]) for (const cap of [1000, 20_000]) rows.push([spec, functional, 50, cap]);
  for (const spec of ["stripe", "gitea", "vampi", "synthetic200"]) rows.push([spec, undefined, 50, 20_000]);
  // the generation bench's plans (20 per operation), whole and capped as a run
  rows.push(["kubernetes", undefined, 20, 1_000_000], ["kubernetes", undefined, 20, 5000], ["synthetic1000", undefined, 20, 1_000_000], ["synthetic5000", undefined, 20, 1_000_000], ["synthetic5000", undefined, 20, 5000]);
  return rows;
}

/** Prints one line per plan: spec, agents, per-operation cap, total cap, cases, SHA-1. `only` keeps specs starting with it. */
export async function printPlanDigests(only?: string): Promise<void> {
  const models: Record<string, ApiModel> = {};
  for (const [spec, agents, perOperation, total] of matrix()) {
    if (only && !spec.startsWith(only)) continue;
    const model = (models[spec] ??= SPECS[spec]());
    const { cases } = await planRun({ model, seed: 1, ...(agents ? { agents } : {}), config: { identities: ["alice", "bob"], maxCasesPerOperation: perOperation, maxTotalCases: total } });
    const sha = createHash("sha1").update(JSON.stringify(cases)).digest("hex");
    console.log(`${spec} ${agents ? "two" : "all"} ${perOperation} ${total} ${cases.length} ${sha}`);
  }
}
