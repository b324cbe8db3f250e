/**
 * Spec parsing in plain Node (the same pure module the Worker runs): wall time and heap growth
 * for the largest real specs and synthetic specs. Run: npm run bench -- spec-parse
 * Each figure is the median of several runs in a fresh process per spec (heap measured with
 * --expose-gc so earlier garbage does not count).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSyntheticSpec, parseSpec } from "../workers/orchestrator/spec";

const REAL = join(import.meta.dirname, "../../shared/specs/real");

function measure(label: string, bytes: Uint8Array, runs = 5) {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  let peakHeap = 0;
  let operations = 0;
  for (let i = 0; i < runs; i++) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const start = performance.now();
    const result = parseSpec(bytes, { maxYamlBytes: Number.POSITIVE_INFINITY });
    times.push(performance.now() - start);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, peak - before);
    operations = result.model?.operations.length ?? -1;
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({ spec: label, bytes: bytes.length, operations, medianMs: Math.round(times[Math.floor(runs / 2)]), peakHeapMB: +(peakHeap / 1e6).toFixed(1) }),
  );
}

const which = process.argv[2];
const enc = new TextEncoder();
const cases: Record<string, () => Uint8Array> = {
  kubernetes: () => readFileSync(join(REAL, "kubernetes-v1.36.json")),
  stripe: () => readFileSync(join(REAL, "stripe-2023-05-24.yaml")),
  github: () => readFileSync(join(REAL, "github-rest-1.1.4.yaml")),
  "synthetic-1000": () => enc.encode(JSON.stringify(generateSyntheticSpec(1000))),
  "synthetic-5000": () => enc.encode(JSON.stringify(generateSyntheticSpec(5000))),
};
for (const [label, load] of Object.entries(cases)) if (!which || which === label) measure(label, load());
