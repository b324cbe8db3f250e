/**
 * Heap a YAML spec needs, per MB of text: the smallest V8 old-space limit (--max-old-space-size,
 * bisected in fresh processes) under which parsing still succeeds, for the old parser (the `yaml`
 * package's Document + toJS) and Sentinel's (js-yaml events, workers/orchestrator/spec), on the
 * Stripe spec (4 MB) and a synthetic 8 MB spec. Run: npm run bench -- yaml-heap [parser...]
 * (needs the corpus beside the clone for Stripe; the synthetic spec is generated).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument as parseYamlPackage } from "yaml";
import { stringify } from "yaml";
import { generateSyntheticSpec, parseSpec } from "../workers/orchestrator/spec";
import { parseDocument } from "../workers/orchestrator/spec/parse-document";

type Parser = "yaml-package" | "sentinel-document" | "sentinel-parseSpec";

function parseOnce(parser: Parser, text: string): number {
  if (parser === "yaml-package") return Object.keys(parseYamlPackage(text, { merge: true }).toJS({ maxAliasCount: 100 }) as object).length;
  if (parser === "sentinel-document") {
    const doc = parseDocument(text, { maxYamlBytes: Number.POSITIVE_INFINITY, contentType: "application/yaml" });
    if (!doc.document) throw new Error(JSON.stringify(doc.problems.slice(0, 2)));
    return Object.keys(doc.document).length;
  }
  const spec = parseSpec(text, { maxYamlBytes: Number.POSITIVE_INFINITY, contentType: "application/yaml" });
  if (!spec.model) throw new Error(JSON.stringify(spec.problems.slice(0, 2)));
  return spec.model.operations.length;
}

if (process.argv[2] === "--child") {
  const [parser, file] = process.argv.slice(3) as [Parser, string];
  const text = readFileSync(file, "utf8");
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const n = parseOnce(parser, text);
  console.log(JSON.stringify({ ok: n, ms: Math.round(performance.now() - started), heapAfterMB: Math.round((process.memoryUsage().heapUsed - before) / 1e6) }));
  process.exit(0);
}

function runsWithin(limitMb: number, parser: Parser, file: string): { ok: boolean; ms?: number } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${limitMb}`, "--expose-gc", "--import", "tsx", import.meta.filename, "--child", parser, file], { encoding: "utf8" });
  if (r.status !== 0) return { ok: false };
  return { ok: true, ms: JSON.parse(r.stdout.trim().split("\n").pop()!).ms };
}

/** Smallest old-space limit (MB, 4 MB steps) under which the parse succeeds. */
function minimalHeap(parser: Parser, file: string): { mb: number; ms: number } {
  let lo = 4;
  let hi = 1024;
  let ms = 0;
  const top = runsWithin(hi, parser, file);
  if (!top.ok) throw new Error(`${parser} fails even with ${hi} MB`);
  ms = top.ms!;
  while (hi - lo > 4) {
    const mid = Math.round((lo + hi) / 2);
    const r = runsWithin(mid, parser, file);
    if (r.ok) {
      hi = mid;
      ms = r.ms!;
    } else lo = mid;
  }
  return { mb: hi, ms };
}

const dir = mkdtempSync(join(tmpdir(), "sentinel-yaml-heap-"));
try {
  const inputs: { label: string; file: string }[] = [];
  const stripe = join(import.meta.dirname, "../../shared/specs/real/stripe-2023-05-24.yaml");
  if (existsSync(stripe)) inputs.push({ label: "stripe-2023-05-24.yaml", file: stripe });
  // synthetic spec of ~8 MB of YAML (the gateway's YAML limit)
  let ops = 6000;
  let text = stringify(generateSyntheticSpec(ops));
  ops = Math.round((ops * 8 * 1024 * 1024 * 0.98) / Buffer.byteLength(text));
  text = stringify(generateSyntheticSpec(ops));
  const synthetic = join(dir, "synthetic.yaml");
  writeFileSync(synthetic, text);
  inputs.push({ label: `synthetic ${ops} ops`, file: synthetic });

  for (const input of inputs) {
    const mb = readFileSync(input.file).byteLength / (1024 * 1024);
    const wanted = process.argv.slice(2);
    for (const parser of (["yaml-package", "sentinel-document", "sentinel-parseSpec"] as Parser[]).filter((p) => wanted.length === 0 || wanted.includes(p))) {
      const { mb: heap, ms } = minimalHeap(parser, input.file);
      console.log(JSON.stringify({ spec: input.label, textMB: Number(mb.toFixed(2)), parser, minOldSpaceMB: heap, heapPerTextMB: Number((heap / mb).toFixed(1)), ms }));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
