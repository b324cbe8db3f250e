/**
 * `npm run bench -- run-30 [spec file under ../shared/specs/real] [operations]`: how long `sentinel run`
 * takes on a 30-operation API, exactly as a user runs it (the CLI starting the local platform).
 *
 * The API: the first 30 operations, in document order, of a real spec (default: Gitea 1.16, the
 * self-hosted Git service), served by the spec-faithful mock of the corpus test
 * (test/node/spec-mock-server.ts) with two identities. Prints the run's own duration (from the
 * report: planning, every agent's cases, checks, reports) and the CLI's wall clock (platform start
 * included), with cases, requests and findings.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as yaml from "js-yaml";
import { parseSpec } from "../workers/orchestrator/spec";
import { corpusPath } from "../test/corpus";
import { identityHeaders } from "../test/node/spec-mock-identities";
import { startSpecMock } from "../test/node/spec-mock-server";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const specName = process.argv[2] ?? "gitea-1.16.0.yaml";
const wanted = Number(process.argv[3] ?? 30);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The spec with only its first `n` operations (whole path items, cut inside the last one). */
function firstOperations(doc: Record<string, unknown>, n: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  let taken = 0;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    if (taken >= n) break;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if (METHODS.includes(key)) {
        if (taken >= n) continue;
        taken++;
      }
      kept[key] = value;
    }
    paths[path] = kept;
  }
  // the mock serves the paths at its root: no base path for the CLI to append to the target
  const { servers: _servers, basePath: _basePath, ...rest } = doc;
  return { ...rest, paths };
}

async function main() {
  const text = readFileSync(corpusPath(`real/${specName}`), "utf8");
  const doc = (specName.endsWith(".json") ? JSON.parse(text) : yaml.load(text)) as Record<string, unknown>;
  const sliced = firstOperations(doc, wanted);
  const dir = mkdtempSync(join(os.tmpdir(), "sentinel-run-30-"));
  const specFile = join(dir, "openapi.json");
  writeFileSync(specFile, JSON.stringify(sliced));
  const parsed = parseSpec(JSON.stringify(sliced));
  if (!parsed.model) throw new Error(`spec: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  const model = parsed.model;
  const identities = ["alice", "bob"].map((name) => ({ name, headers: identityHeaders(model, name) }));
  const mock = await startSpecMock({ model, identities });
  const reportFile = join(dir, "report.json");
  const args = [join(ROOT, "cli/bin/sentinel.mjs"), "run", "--spec", specFile, "--target", mock.url, "--report-json", reportFile];
  for (const identity of identities) for (const [name, value] of Object.entries(identity.headers)) args.push("--identity", `${identity.name}:${name}: ${value}`);
  const started = Date.now();
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
      child.on("exit", resolve);
    });
    const wallMs = Date.now() - started;
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
      run: { durationMs: number | null; stats: { cases: number }; timing?: { requests: number } };
      findings: { check: string; severity: string; title: string; message: string; operation: { method: string; path: string } }[];
    };
    // every finding on a spec-faithful mock is a false alarm (or the mock's unfaithfulness): list them
    for (const f of report.findings) console.error(`finding: ${f.severity} ${f.check} ${f.operation.method} ${f.operation.path}: ${f.title} — ${f.message.slice(0, 300)}`);
    console.log(JSON.stringify({
      bench: "run-30", spec: specName, operations: model.operations.length, exit: code,
      runSeconds: Math.round((report.run.durationMs ?? 0) / 100) / 10, wallSeconds: Math.round(wallMs / 100) / 10,
      cases: report.run.stats.cases, requests: report.run.timing?.requests ?? null, findings: report.findings.length,
      loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
    }));
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
