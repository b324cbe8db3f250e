/**
 * Load generator benchmarks (issue 10). Run: npm run bench -- load [soakSeconds] [soak]
 *  1. rate accuracy: asked 50, 200, 500 req/s for 10 s (one region, local) → achieved, late, dropped;
 *  2. max sustained rate of `sentinel load` (one region, 6 in flight, the edge's limit): the
 *     ladder goes on (1000, 1500, 2000 …) while the achieved rate stays within 5% of the asked
 *     one without the generator being the limit; beside autocannon's closed-loop maximum on the
 *     same target with the same 6 connections (ratio);
 *  3. soak: workerd's resident memory sampled every 10 s during a long test (default 180 s at
 *     200 req/s) and its slope (bounded histograms: windows are encoded and stored, not kept).
 * The platform is started with the CLI's own start-up code (wrangler dev, local D1/DOs).
 */
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { startLocalPlatform } from "../cli/src/local-platform";
import { startLoadTarget } from "../test/node/load-target";
import type { LoadReport } from "../workers/load/types";
import { ENGINE_DEFAULTS } from "../workers/load/engine";
import { connectIsolateHeap } from "./support/isolate-heap";

const ROOT = join(import.meta.dirname, "..");
const soakSeconds = Number(process.argv[2] ?? 180);
/** `npm run bench -- load 600 soak`: the soak alone */
const soakOnly = process.argv[3] === "soak";
/** `npm run bench -- load 150 soak 100`: the soak's rate (default 200 req/s) */
const soakRate = Number(process.argv[4] ?? 200);
/** how often the bench asks whether a test is over (LOAD_BENCH_POLL_MS; the soak's growth depends on it) */
const pollMs = Number(process.env.LOAD_BENCH_POLL_MS ?? 500);

const spec = { openapi: "3.0.3", info: { title: "bench", version: "1" }, paths: { "/fast": { get: { responses: { "200": { description: "ok" } } } } } };

async function main() {
  const target = await startLoadTarget();
  const platform = await startLocalPlatform({ packageRoot: ROOT });
  const api = (path: string, init: RequestInit = {}) => fetch(`${platform.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${platform.token}`, "content-type": "application/json" } });

  async function loadTest(rate: number, duration: number, maxInFlight = 6): Promise<LoadReport["load"]> {
    const res = await api("/load-tests", { method: "POST", body: JSON.stringify({ spec: { inline: spec }, target: { url: target.url }, rate, duration, maxInFlight }) });
    if (res.status !== 202) throw new Error(`start: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const row = (await (await api(`/load-tests/${id}`)).json()) as { status: string };
      if (!["queued", "running"].includes(row.status)) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return ((await (await api(`/load-tests/${id}/report`)).json()) as LoadReport).load;
  }

  const line = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
  try {
    // 1 + 2: the ladder
    // 50, 200 and 500 are always measured (the acceptance's steps); above, the ladder goes on while every step held
    let best = 0;
    let held = true;
    for (const rate of soakOnly ? [] : [50, 200, 500, 1000, 1500, 2000, 3000]) {
      if (rate > 500 && !held) break;
      const l = await loadTest(rate, 10);
      const o = l.overall;
      // Sustained: the asked rate achieved (±5%), nothing dropped, and the median request started on
      // time (corrected p50 within the late tolerance of the uncorrected one). Late starts beyond that
      // are reported beside it; their latency already counts from the intended time (wrk2).
      const onTime = o.latency.p50 - o.latencyUncorrected.p50 <= ENGINE_DEFAULTS.lateToleranceMs;
      const ok = Math.abs(o.rps - rate) / rate <= 0.05 && o.dropped === 0 && onTime;
      line({ bench: "load-rate", asked: rate, achieved: o.rps, requests: o.requests, late: o.late, dropped: o.dropped, generatorLimited: o.generatorLimited, p50: o.latency.p50, p99: o.latency.p99, p50Uncorrected: o.latencyUncorrected.p50, p99Uncorrected: o.latencyUncorrected.p99, sustained: ok, loadAverage: os.loadavg()[0] });
      held &&= ok;
      if (held) best = rate;
    }
    const ac = soakOnly ? undefined : await autocannon({ url: `${target.url}/fast`, connections: 6, duration: 10 });
    if (ac) line({ bench: "load-max", sentinelMaxSustainedRps: best, autocannonRps: Math.round(ac.requests.average), ratio: Math.round((best / ac.requests.average) * 1000) / 1000, connections: 6 });

    // 3: soak memory (`npm run bench -- load 0`: the ladder only)
    if (soakSeconds <= 0) return;
    const port = new URL(platform.url).port;
    const pids = workerdPids(port);
    const samples: { t: number; rssMb: number; heapMb: number }[] = [];
    const heap = await connectIsolateHeap(platform.inspectorPort);
    const started = Date.now();
    const sampler = setInterval(() => {
      const rss = rssMb(pids);
      void heap.usedMb().then((heapMb) => {
        if (!rss) return;
        samples.push({ t: Math.round((Date.now() - started) / 1000), rssMb: rss, heapMb });
        console.error(`soak t=${samples[samples.length - 1].t}s rss=${rss} MB worker heap=${heapMb} MB`);
      });
    }, 10_000);
    const soak = await loadTest(soakRate, soakSeconds);
    clearInterval(sampler);
    heap.close();
    const slope = slopePerMinute(samples.slice(1)); // the first sample includes warm-up
    const heapSlope = slopePerMinute(samples.slice(1).map((s) => ({ t: s.t, rssMb: s.heapMb })));
    line({
      bench: "load-soak", workerdProcesses: pids.length, seconds: soakSeconds, rate: soakRate, requests: soak.overall.requests, windows: soak.windows.length,
      rssSamplesMb: samples.map((s) => s.rssMb), rssSlopeMbPerMin: Math.round(slope * 100) / 100,
      // the Worker isolate's JS heap: what Sentinel's generator and Durable Objects hold
      workerHeapSamplesMb: samples.map((s) => s.heapMb), workerHeapSlopeMbPerMin: Math.round(heapSlope * 100) / 100,
    });
  } finally {
    await platform.stop();
    await target.close();
  }
}

/**
 * The platform's workerd processes: the one serving its port and its siblings under the same
 * wrangler (the user Worker with the Durable Objects runs in one of them).
 */
function workerdPids(port: string): number[] {
  const procs = readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map((e) => {
      try {
        return { pid: Number(e), cmd: readFileSync(`/proc/${e}/cmdline`, "utf8"), ppid: Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${e}/status`, "utf8"))?.[1]) };
      } catch {
        return undefined;
      }
    })
    .filter((p): p is { pid: number; cmd: string; ppid: number } => !!p && p.cmd.includes("workerd"));
  const own = procs.find((p) => p.cmd.includes(`127.0.0.1:${port}`));
  return own ? procs.filter((p) => p.ppid === own.ppid).map((p) => p.pid) : [];
}

function rssMb(pids: number[]): number | undefined {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb ? Math.round((kb / 1024) * 10) / 10 : undefined;
}

function slopePerMinute(samples: { t: number; rssMb: number }[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.t, 0) / n;
  const my = samples.reduce((a, s) => a + s.rssMb, 0) / n;
  const num = samples.reduce((a, s) => a + (s.t - mx) * (s.rssMb - my), 0);
  const den = samples.reduce((a, s) => a + (s.t - mx) ** 2, 0);
  return den ? (num / den) * 60 : 0;
}

await main();
