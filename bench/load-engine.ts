/**
 * The load engine alone in Node (no platform): 200 req/s for 90 s against a loopback target,
 * heap used after a forced GC every 10 s. Flat means the engine keeps nothing per window or
 * request once the window is handed over. Run: npm run bench -- load-engine
 */
import { ENGINE_DEFAULTS, runWindows } from "../workers/load/engine";
import { ArrivalPlan, constantSchedule } from "../workers/load/schedule";
import { startLoadTarget } from "../test/node/load-target";

const target = await startLoadTarget();
const plan = new ArrivalPlan(constantSchedule(200, 90_000));
const samples: number[] = [];
let windows = 0;
let requests = 0;
const gc = (globalThis as { gc?: () => void }).gc;
const timer = setInterval(() => {
  gc?.();
  samples.push(Math.round(process.memoryUsage().heapUsed / 1e5) / 10);
}, 10_000);
await runWindows(
  { ...ENGINE_DEFAULTS, plan, requests: [{ method: "GET", url: `${target.url}/fast`, headers: {} }], region: "local", colo: "local" },
  { fetch: (r) => fetch(r), now: () => performance.timeOrigin + performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  Date.now() + 100,
  0,
  1_000,
  async (w) => {
    windows++;
    requests += w.requests;
  },
);
clearInterval(timer);
console.log(JSON.stringify({ bench: "load-engine-heap", rate: 200, seconds: 90, windows, requests, heapUsedMbAfterGc: samples }));
await target.close();
