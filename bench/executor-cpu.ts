/**
 * The executor's CPU per case, in plain Node: the bench's 1,000-case run (platform.ts: a synthetic
 * 200-operation spec, agents functional-positive + functional-negative, seed 1, maxCases 1000)
 * planned as the TestRun plans it, then every case run the way the executor process runs it
 * (executor-process.ts: the disciplined fetch, 6 in flight, executeCase, the group's observations,
 * storedCase and its answer lines), three times; CPU is this process's (process.cpuUsage).
 * Run: npm run bench -- executor-cpu [http] [runs=N]
 *  - default: the target answers in-process (a fetch returning the fast target's answer: 200,
 *    {"ok":true}), so the CPU is the executor's own and nothing else's;
 *  - `http`: Node's fetch to the same fast target in a child process (adds undici's CPU, which
 *    workerd's native fetch does not have).
 *  - `dump=<file>`: the last run's answer lines, their times blanked, sorted by case: two trees whose
 *    dumps are equal gave the same verdicts, findings and rows;
 *  - `prof=<file>`: a V8 CPU profile of the measured runs only (not the loading, not the planning),
 *    for hot spots (open it in Chrome's DevTools, or sum self time per function).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { ApiModel, CaseStatus, RunContext, TestCase } from "../workers/model";
import { DEFAULT_LIMITS } from "../workers/model";
import { planRun } from "../workers/orchestrator/plan";
import { generateSyntheticSpec, parseSpec } from "../workers/orchestrator/spec";
import { capCases } from "../workers/runs/lifecycle";
import { executeCase, identityGuard, noAnswer, storedCase, type CaseScope, type RunPort } from "../workers/executor/case-runner";
import { observationCollector } from "../workers/executor/observations";
import { abortableFetch, createThrottle, DEFAULT_CONCURRENCY, disciplinedFetch, mapWithConcurrency, Semaphore } from "../workers/executor/outbound";
import { caseLines } from "../workers/executor/process-protocol";
import { watchRegistry } from "../workers/executor/target-watch";
import { DEFAULT_CASES_PER_MESSAGE } from "../workers/runs/task-messages";

const httpMode = process.argv.includes("http");
const dumpFile = process.argv.find((a) => a.startsWith("dump="))?.slice(5);
const profFile = process.argv.find((a) => a.startsWith("prof="))?.slice(5);
const runs = Number(process.argv.find((a) => a.startsWith("runs="))?.slice(5) ?? 3);
const BODY = JSON.stringify({ ok: true });

/** The fast target of platform.ts, answered in-process. */
const memoryFetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  if (init?.body !== undefined && init.body !== null) void init.body; // the target reads and ignores it
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json", "content-length": String(BODY.length) } });
};

/** platform.ts's fast target in a child process: its CPU is not this process's. */
async function childTarget(): Promise<{ url: string; close: () => void }> {
  const code = `const b=JSON.stringify({ok:true});require("node:http").createServer((q,s)=>{q.resume();s.writeHead(200,{"content-type":"application/json","content-length":String(b.length)});s.end(b)}).listen(0,"127.0.0.1",function(){console.log(this.address().port)})`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

async function plan(): Promise<{ model: ApiModel; cases: TestCase[] }> {
  const { model, problems } = parseSpec(JSON.stringify(generateSyntheticSpec(200)));
  if (!model) throw new Error(problems.map((p) => p.message).join("; "));
  // as the TestRun plans the bench's run (no identities, no guidance; no link by meaning is confirmed
  // against a target that answers 200 to everything)
  const planned = await planRun({ model, seed: 1, agents: ["functional-positive", "functional-negative"], config: { identities: [], maxCasesPerOperation: 50, maxTotalCases: 1000, identityTokens: {} } });
  // the executor process gets both as JSON
  return { model: JSON.parse(JSON.stringify(model)) as ApiModel, cases: JSON.parse(JSON.stringify(capCases(planned.cases, 1000))) as TestCase[] };
}

const port: RunPort = {
  circuitState: async () => ({ state: "closed", failures: 0, opened: 0 }),
  identityTrouble: async (_name, generation) => ({ state: "ok", generation }),
};

/** One run of every case as executor-process.ts runs a batch; returns its stats and the answer's bytes. */
async function runAll(model: ApiModel, cases: TestCase[], baseUrl: string, fetchImpl: typeof fetch, runId: string, dump?: string[]) {
  const ctx: RunContext = { active: true, status: "running", runId, orgId: "org", specId: "spec", modelKey: "m", baseUrl, identities: {}, limits: { ...DEFAULT_LIMITS, maxCases: 1000 }, circuit: { state: "closed", failures: 0, opened: 0 } };
  const retired: Record<string, Record<string, string>>[] = [];
  const stop = new AbortController();
  const scope: CaseScope = {
    ctx,
    guard: identityGuard(port, ctx, retired),
    retired,
    target: watchRegistry()(runId),
    circuit: ctx.circuit,
    stop,
    fetch: disciplinedFetch(abortableFetch((input, init) => fetchImpl(input, init), stop.signal), {
      allowedOrigin: new URL(baseUrl).origin,
      semaphore: new Semaphore(DEFAULT_CONCURRENCY),
      throttle: createThrottle(undefined),
      maxHoldMs: ctx.limits.timeoutMs + 5000,
    }),
  };
  const groupSizes: number[] = [];
  for (let left = cases.length; left > 0; left -= DEFAULT_CASES_PER_MESSAGE) groupSizes.push(Math.min(DEFAULT_CASES_PER_MESSAGE, left));
  const groups = groupSizes.map((size) => ({ left: size, observations: observationCollector(ctx.identities) }));
  const groupOf = groupSizes.flatMap((size, group) => Array.from({ length: size }, () => group));
  const stats: Record<CaseStatus | "requests" | "answerBytes", number> = { passed: 0, failed: 0, errored: 0, skipped: 0, requests: 0, answerBytes: 0 };
  // distinct findings, as the run's stats count them
  const findings = new Set<string>();
  const slots = new Semaphore(ctx.limits.concurrency);
  await mapWithConcurrency(cases, cases.length, async (testCase, index) => {
    const group = groups[groupOf[index]!]!;
    const release = await slots.acquire();
    try {
      const result = await executeCase(testCase, model, scope, group.observations);
      if (!result) throw new Error("run stopped");
      noAnswer(result);
      const lines = caseLines(storedCase(ctx.orgId, ctx.runId, result, testCase, model));
      stats[result.status]++;
      stats.requests += result.exchanges.length;
      if (result.status === "failed") for (const [, id] of lines.matchAll(/\n\{"caseId":"[^"]*","id":"(f_[0-9a-f]+)"/g)) findings.add(id);
      stats.answerBytes += lines.length;
      dump?.push(lines);
    } finally {
      release();
    }
    if (--group.left === 0) stats.answerBytes += JSON.stringify({ group: groupOf[index], observations: group.observations.rows() }).length;
  });
  return { ...stats, findings: findings.size };
}

/** Answer lines without what differs between two runs of the same cases: times, and the run's id. */
function blankTimes(lines: string): string {
  return lines
    .replace(/"(durationMs|probeMs|repeatMs|controlMs)":[0-9.]+/g, '"$1":0')
    .replace(/"startedAt":"[^"]*"/g, '"startedAt":""')
    .replace(/run[0-9]+/g, "run");
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const { model, cases } = await plan();
const target = httpMode ? await childTarget() : { url: "http://127.0.0.1:9", close: () => {} };
const fetchImpl: typeof fetch = httpMode ? fetch : memoryFetch;
const gc = (globalThis as { gc?: () => void }).gc;
const perCase: number[] = [];
const inspector = profFile ? new Session() : undefined;
// one warm-up run (JIT, undici's connections), then the measured ones
for (let n = 0; n <= runs; n++) {
  gc?.();
  if (n === 1 && inspector) {
    inspector.connect();
    await inspector.post("Profiler.setSamplingInterval", { interval: 100 });
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
  }
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const dump = dumpFile && n === runs ? [] : undefined;
  const stats = await runAll(model, cases, target.url, fetchImpl, `run${n}`, dump);
  if (dump && dumpFile) writeFileSync(dumpFile, dump.map(blankTimes).sort().join(""));
  const cpu = cpuMs() - cpu0;
  const wall = performance.now() - t0;
  if (n > 0) perCase.push(cpu / cases.length);
  console.log(JSON.stringify({ bench: "executor-cpu", run: n === 0 ? "warm-up" : n, target: httpMode ? "http" : "in-process", cases: cases.length, ...stats, cpuMs: Math.round(cpu), wallMs: Math.round(wall), cpuMsPerCase: +(cpu / cases.length).toFixed(3) }));
}
if (inspector && profFile) {
  const { profile } = await inspector.post("Profiler.stop");
  writeFileSync(profFile, JSON.stringify(profile));
  inspector.disconnect();
}
perCase.sort((a, b) => a - b);
console.log(JSON.stringify({ bench: "executor-cpu", target: httpMode ? "http" : "in-process", medianCpuMsPerCase: +perCase[Math.floor(perCase.length / 2)]!.toFixed(3) }));
target.close();
