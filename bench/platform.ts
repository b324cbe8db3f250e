/**
 * Platform benchmarks against the Worker as a user runs it (`npm start`: wrangler dev, workerd,
 * local D1/R2/Queues/DOs). Run: npm run bench -- platform
 *  1. spec upload (parse + store) time and workerd peak RSS for the largest real spec and a
 *     generated 5,000-operation spec;
 *  2. end-to-end cases per second for a 1,000-case run against a fast local target, beside
 *     autocannon's requests per second against the same target (ratio);
 *  3. wall time from POST /runs to the first stored result (its own 100-case run).
 * `npm run bench -- platform run` skips the spec uploads (1); `npm run bench -- platform upload` does
 * only them: each 4 MB real spec is uploaded, then planned by a run (POST /runs, 1,000 cases, until
 * the run leaves planning; then cancelled), each step with its workerd CPU seconds.
 * `npm run bench -- platform timeline` runs the 1,000-case run twice (cold, warm) with both processes
 * printing their timeline lines, and prints where each run's clock went (bench/support/run-timeline.ts).
 *
 * The 1,000-case run is timed by the platform's own clock (the run's createdAt → finishedAt) and
 * polled only every 250 ms: in wrangler dev each gateway request costs workerd milliseconds of
 * CPU, and a tight poll loop competes with the run it measures for the same workerd thread.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { TERMINAL_STATUSES } from "../workers/model";
import { generateSyntheticSpec } from "../workers/orchestrator/spec";
import { summarizeTimeline, threadSampler, timelineCollector } from "./support/run-timeline";

const ROOT = join(import.meta.dirname, "..");
const runOnly = process.argv.includes("run");
const uploadOnly = process.argv.includes("upload");
const timelineOnly = process.argv.includes("timeline");
const timelineEvents = timelineCollector();
const PORT = await freePort();
const BASE = `http://127.0.0.1:${PORT}`;
const KEY = "sk_bench_admin_key_000000000000000000";
const auth = { authorization: `Bearer ${KEY}` };

/** A port nobody listens on now: other sessions on this machine run their own platforms. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startPlatform(): ChildProcess {
  const state = mkdtempSync(join(tmpdir(), "sentinel-bench-"));
  const child = spawn(process.execPath, [join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), SENTINEL_STATE_DIR: state, SENTINEL_BOOTSTRAP_KEY: KEY, ...(timelineOnly ? { SENTINEL_TIMELINE: "1" } : {}) },
    stdio: ["ignore", timelineOnly ? "pipe" : "ignore", "inherit"],
    detached: true,
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => timelineEvents.feed(chunk));
  return child;
}

async function waitHealthy(timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("platform did not start");
}

/** The workerd processes started by our platform (not another session's): descendants of `root`. */
function workerdsOf(root: number): number[] {
  const parent = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(entry), ppid);
      names.set(Number(entry), name);
    } catch {
      /* exited meanwhile */
    }
  }
  const descends = (pid: number) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  const pids = [...names].filter(([p, name]) => name === "workerd" && descends(p)).map(([p]) => p);
  if (pids.length === 0) throw new Error("workerd of this platform not found");
  return pids;
}

/** Which process a workerd serves: the executor process's wrangler is the one told the main URL (SENTINEL_MAIN_URL). */
function roleOf(pid: number): "main" | "executor" {
  for (let p = pid; p > 1; ) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes("SENTINEL_MAIN_URL:")) return "executor";
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      p = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      break;
    }
  }
  return "main";
}

/** Per workerd: its role, CPU seconds, and its main thread's (the one running every isolate). */
function cpuByProcess(pids: number[]): Map<number, { role: string; cpu: number; mainThread: number }> {
  return new Map(
    pids.map((pid) => {
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [pid, { role: roleOf(pid), cpu: workerdCpuSeconds([pid]), mainThread: (Number(fields[11]) + Number(fields[12])) / 100 }];
    }),
  );
}

/** Per role between two snapshots: CPU seconds of its workerds, and of the busiest main thread among them. */
function cpuDelta(after: ReturnType<typeof cpuByProcess>, before: ReturnType<typeof cpuByProcess>) {
  const roles: Record<string, { cpuSeconds: number; mainThreadSeconds: number }> = {};
  for (const [pid, a] of after) {
    const b = before.get(pid) ?? { cpu: 0, mainThread: 0 };
    const role = (roles[a.role] ??= { cpuSeconds: 0, mainThreadSeconds: 0 });
    role.cpuSeconds = +(role.cpuSeconds + a.cpu - b.cpu).toFixed(2);
    role.mainThreadSeconds = +Math.max(role.mainThreadSeconds, a.mainThread - b.mainThread).toFixed(2);
  }
  return roles;
}

/** The largest workerd's resident memory (the one running Sentinel), current and peak (VmRSS / VmHWM), in MB. */
function workerdMemory(pids: number[]): { rssMB: number; peakMB: number } {
  const all = pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMB: Math.round(kb("VmRSS") / 1024), peakMB: Math.round(kb("VmHWM") / 1024) };
  });
  return all.reduce((a, b) => (b.peakMB > a.peakMB ? b : a));
}

/** CPU seconds (user + system) the workerd processes used so far: robust to a machine shared with other work. */
function workerdCpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

async function uploadSpec(name: string, body: Uint8Array | string, contentType: string) {
  const start = performance.now();
  const res = await fetch(`${BASE}/api/v1/specs?name=${name}`, { method: "POST", headers: { ...auth, "content-type": contentType }, body });
  const ms = performance.now() - start;
  const json = (await res.json()) as { id?: string; operations?: number; title?: string };
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${JSON.stringify(json)}`);
  return { ms: Math.round(ms), id: json.id!, operations: json.operations };
}

function startFastTarget(): Promise<{ url: string; close: () => void }> {
  const body = JSON.stringify({ ok: true });
  const server = createServer((_req, res) => {
    _req.resume();
    res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    }),
  );
}

async function startRun(specId: string, target: string, cases: number): Promise<string> {
  const res = await fetch(`${BASE}/api/v1/runs`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ spec: { id: specId }, target: { url: target }, agents: ["functional-positive", "functional-negative"], seed: 1, limits: { maxCases: cases } }),
  });
  const run = (await res.json()) as { id: string };
  if (res.status !== 202) throw new Error(`run: ${res.status} ${JSON.stringify(run)}`);
  return run.id;
}

interface RunView {
  status: string;
  stats?: { cases?: number; requests?: number };
  createdAt: string;
  finishedAt: string | null;
}

async function untilTerminal(runId: string, pollMs: number): Promise<RunView> {
  for (;;) {
    const s = (await (await fetch(`${BASE}/api/v1/runs/${runId}`, { headers: auth })).json()) as RunView;
    if ((TERMINAL_STATUSES as readonly string[]).includes(s.status)) return s;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function runBench(specId: string, target: string, cases: number, cpu: () => number) {
  const cpu0 = cpu();
  const t0 = performance.now();
  const id = await startRun(specId, target, cases);
  const s = await untilTerminal(id, 250);
  const observedSeconds = (performance.now() - t0) / 1000;
  const seconds = (Date.parse(s.finishedAt ?? "") - Date.parse(s.createdAt)) / 1000;
  const cpuSeconds = +(cpu() - cpu0).toFixed(2);
  return { status: s.status, cases: s.stats?.cases, requests: s.stats?.requests, seconds: +seconds.toFixed(2), observedSeconds: +observedSeconds.toFixed(2), workerdCpuSeconds: cpuSeconds };
}

/** Wall time from POST /runs to the first stored result, polled tightly (a run of its own). */
async function firstResultBench(specId: string, target: string, cases: number) {
  const t0 = performance.now();
  const id = await startRun(specId, target, cases);
  let firstResultMs: number | null = null;
  while (firstResultMs === null) {
    const r = (await (await fetch(`${BASE}/api/v1/runs/${id}/results?limit=1`, { headers: auth })).json()) as { items?: unknown[] };
    if ((r.items ?? []).length > 0) firstResultMs = performance.now() - t0;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await untilTerminal(id, 250);
  return { cases, firstResultMs: Math.round(firstResultMs) };
}

/** Whether any process of the platform's group (start.mjs, wrangler, workerd) is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM to the platform's process group, SIGKILL to whatever is left after 5 s: nothing outlives the bench. */
async function stopGroup(pgid: number): Promise<void> {
  signalGroup(pgid, "SIGTERM");
  const end = Date.now() + 5_000;
  while (groupAlive(pgid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
}

async function main() {
  const platform = startPlatform();
  const pgid = platform.pid!;
  // the platform leads its own process group (detached), so a Ctrl-C or a kill of the bench does
  // not reach it: stop it ourselves, then end as the signal would have
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.once(signal, () => void stopGroup(pgid).finally(() => process.exit(code)));
  }
  process.on("exit", () => {
    if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
  });
  try {
    await waitHealthy();
    const workerd = workerdsOf(platform.pid!);
    const memory = () => workerdMemory(workerd);
    console.log(JSON.stringify({ bench: "machine", cores: availableParallelism(), loadAverage: loadavg().map((l) => +l.toFixed(2)) }));
    const idle = memory();
    console.log(JSON.stringify({ bench: "workerd-idle", ...idle }));

    if (timelineOnly) return await timelines(workerd);
    if (!runOnly) await uploads(memory, () => workerdCpuSeconds(workerd));
    if (uploadOnly) return;

    const target = await startFastTarget();
    const small = await uploadSpec("bench-run", JSON.stringify(generateSyntheticSpec(200)), "application/json");
    const perProcess0 = cpuByProcess(workerd);
    const run = await runBench(small.id, target.url, 1000, () => workerdCpuSeconds(workerd));
    console.log(
      JSON.stringify({
        bench: "run-1000",
        ...run,
        // per process (the executor process runs the cases when it is on) and its busiest (main) thread
        cpuByProcess: cpuDelta(cpuByProcess(workerd), perProcess0),
        loadAverage: loadavg().map((l) => +l.toFixed(2)),
        casesPerSecond: run.cases ? +(run.cases / run.seconds).toFixed(1) : null,
        // what the run would reach with the workerd process alone on one core
        casesPerCpuSecond: run.cases && run.workerdCpuSeconds ? +(run.cases / run.workerdCpuSeconds).toFixed(1) : null,
        ...memory(),
      }),
    );

    const ac = await autocannon({ url: `${target.url}/items`, connections: 6, duration: 10 });
    const rps = ac.requests.average;
    console.log(JSON.stringify({ bench: "autocannon", connections: 6, durationS: 10, requestsPerSecond: rps }));
    const requestsPerSecond = run.requests ? run.requests / run.seconds : null;
    console.log(
      JSON.stringify({
        bench: "ratio",
        sentinelRequestsPerSecond: requestsPerSecond && +requestsPerSecond.toFixed(1),
        sentinelCasesPerSecond: run.cases && +(run.cases / run.seconds).toFixed(1),
        autocannonRequestsPerSecond: rps,
        ratio: requestsPerSecond && +(requestsPerSecond / rps).toFixed(4),
      }),
    );
    console.log(JSON.stringify({ bench: "first-result", ...(await firstResultBench(small.id, target.url, 100)) }));
    target.close();
  } finally {
    await stopGroup(pgid);
  }
}

/** Two 1,000-case runs (cold, warm), each with its timeline and its main threads' CPU sampled. */
async function timelines(workerd: number[]) {
  const threads = Object.fromEntries(workerd.map((pid) => [roleOf(pid), pid]));
  const target = await startFastTarget();
  const small = await uploadSpec("bench-run", JSON.stringify(generateSyntheticSpec(200)), "application/json");
  for (const label of ["cold", "warm"]) {
    timelineEvents.events.length = 0;
    const sampler = threadSampler(threads);
    const id = await startRun(small.id, target.url, 1000);
    const s = await untilTerminal(id, 250);
    await new Promise((r) => setTimeout(r, 200)); // the last lines through wrangler's logger
    const samples = sampler.stop();
    const createdAt = Date.parse(s.createdAt);
    const finishedAt = Date.parse(s.finishedAt ?? "");
    const { lines, figures } = summarizeTimeline(timelineEvents.events, samples, createdAt, finishedAt);
    console.log(`# ${label} run: ${s.stats?.cases} cases in ${finishedAt - createdAt} ms (load ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
    for (const line of lines) console.log(line);
    console.log(JSON.stringify({ bench: "run-timeline", run: label, seconds: (finishedAt - createdAt) / 1000, stats: s.stats, ...figures }));
  }
  target.close();
}

async function uploads(memory: () => { rssMB: number; peakMB: number }, cpu: () => number) {
  const timed = async (name: string, body: Uint8Array | string, contentType: string) => {
    const cpu0 = cpu();
    const up = await uploadSpec(name, body, contentType);
    return { ...up, workerdCpuSeconds: +(cpu() - cpu0).toFixed(2) };
  };
  const target = await startFastTarget();
  const plan = async (specId: string) => {
    const cpu0 = cpu();
    const t0 = performance.now();
    const id = await startRun(specId, target.url, 1000);
    for (;;) {
      const s = (await (await fetch(`${BASE}/api/v1/runs/${id}`, { headers: auth })).json()) as RunView;
      if (s.status !== "queued" && s.status !== "planning") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const planned = { planMs: Math.round(performance.now() - t0), planWorkerdCpuSeconds: +(cpu() - cpu0).toFixed(2) };
    await fetch(`${BASE}/api/v1/runs/${id}/cancel`, { method: "POST", headers: auth });
    await untilTerminal(id, 250);
    return planned;
  };
  for (const [file, contentType, label] of [
    ["kubernetes-v1.36.json", "application/json", "largest real, 4.1 MB JSON"],
    ["stripe-2023-05-24.yaml", "application/yaml", "4.0 MB YAML"],
  ]) {
    const up = await timed(file.replace(/[^\w-]/g, "-"), readFileSync(join(ROOT, "../shared/specs/real", file)), contentType);
    console.log(JSON.stringify({ bench: "spec-upload", spec: `${file} (${label})`, ...up, ...(await plan(up.id)), ...memory() }));
  }
  target.close();
  const synthetic = JSON.stringify(generateSyntheticSpec(5000));
  const up2 = await timed("synthetic5000", synthetic, "application/json");
  console.log(JSON.stringify({ bench: "spec-upload", spec: `synthetic 5,000 operations (${(synthetic.length / 1e6).toFixed(1)} MB)`, ...up2, ...memory() }));
}

await main();
process.exit(0);
