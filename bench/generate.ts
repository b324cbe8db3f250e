/**
 * Test generation: cases per second and peak heap of planRun (all TypeScript agents) for
 * synthetic specs of 100, 1,000 and 5,000 operations and the largest real spec.
 * Run: npm run bench -- generate [spec prefix | capped | digests [spec prefix]]
 * (`digests`: the SHA-1 of a matrix of plans instead of timings, bench/support/plan-digests.ts)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planRun } from "../workers/orchestrator/plan";
import { generateSyntheticSpec, parseSpec } from "../workers/orchestrator/spec";
import type { ApiModel } from "../workers/model";
import { printPlanDigests } from "./support/plan-digests";

const REAL = join(import.meta.dirname, "../../shared/specs/real");

function modelOf(bytes: Uint8Array | string): ApiModel {
  const { model, problems } = parseSpec(bytes);
  if (!model) throw new Error(problems.map((p) => p.message).join("; "));
  return model;
}

async function measure(label: string, model: ApiModel, maxTotalCases = 1_000_000) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const start = performance.now();
  const { cases } = await planRun({ model, seed: 1, config: { identities: ["alice", "bob"], maxCasesPerOperation: 20, maxTotalCases } });
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      spec: label,
      maxTotalCases,
      operations: model.operations.length,
      cases: cases.length,
      seconds: +seconds.toFixed(2),
      casesPerSecond: Math.round(cases.length / seconds),
      peakHeapMB: +((peak - before) / 1e6).toFixed(1),
    }),
  );
}

const which = process.argv[2];
if (which === "digests") {
  await printPlanDigests(process.argv[3]);
  process.exit(0);
}
const specs: Record<string, () => ApiModel> = {
  "synthetic-100": () => modelOf(JSON.stringify(generateSyntheticSpec(100))),
  "synthetic-1000": () => modelOf(JSON.stringify(generateSyntheticSpec(1000))),
  "synthetic-5000": () => modelOf(JSON.stringify(generateSyntheticSpec(5000))),
  "kubernetes (largest real)": () => modelOf(readFileSync(join(REAL, "kubernetes-v1.36.json"))),
};
for (const [label, load] of Object.entries(specs)) if (!which || label.startsWith(which)) await measure(label, load());
// What a run plans inside the TestRun Durable Object: the default cap of 5,000 cases.
if (!which || which === "capped") {
  await measure("synthetic-5000 capped as a run", specs["synthetic-5000"](), 5000);
  await measure("kubernetes capped as a run", specs["kubernetes (largest real)"](), 5000);
}
