#!/usr/bin/env node
/**
 * `npm start`: the whole platform on this machine. Applies the local D1 migrations, then runs
 * `wrangler dev` on 127.0.0.1:8787 with local D1/R2/Queues/Durable Objects persisted under
 * .wrangler/state, and a bootstrap admin API key (printed below). wrangler dev never fires cron
 * triggers, so this script does, every minute (scripts/cron-ticker.mjs): schedules run locally.
 *
 * Beside it, a second `wrangler dev` of the same Worker runs the cases of every run (the executor
 * process, README): a run then uses two cores. Both start together; they share a secret made here
 * per start and handed over in a file only they read.
 *
 * Environment: PORT (8787), SENTINEL_STATE_DIR (.wrangler/state), SENTINEL_BOOTSTRAP_KEY
 * (default: the fixed local development key below — local use only), SENTINEL_CRON_TICK_MS
 * (default: at each minute), SENTINEL_RATE_LIMIT and SENTINEL_ALLOW_PRIVATE (passed to the Worker
 * when set), SENTINEL_EXECUTOR_PROCESS (0: no executor process, every case runs in the main one),
 * SENTINEL_TIMELINE (1: both processes print the run pipeline's timeline lines, for the bench).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startCronTicker } from "./cron-ticker.mjs";
import { whileWaiting } from "./elapsed.mjs";
import { ensureNode22 } from "./node22.mjs";

await ensureNode22();

export const LOCAL_DEV_KEY = "sk_local_dev_sentinel_admin_key_0000000000";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT ?? "8787";
const stateDir = path.resolve(root, process.env.SENTINEL_STATE_DIR ?? ".wrangler/state");
const bootstrapKey = process.env.SENTINEL_BOOTSTRAP_KEY || LOCAL_DEV_KEY;

const env = {
  ...process.env,
  // no telemetry, and no fetch of Cloudflare's request.cf data (offline-friendly, no warning)
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // wrangler's local tracing wraps every request, D1 call and fetch in spans nobody reads here:
  // it doubles workerd's CPU per gateway request (bench/RESULTS.md); set it to "true" to get it back
  X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false",
};

function wranglerScript() {
  const pkg = JSON.parse(readFileSync(path.join(root, "node_modules/wrangler/package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin.wrangler;
  return path.join(root, "node_modules/wrangler", bin);
}

function run(args, { stdin = "ignore" } = {}) {
  // stdin not a TTY: wrangler takes its defaults instead of prompting (e.g. "apply migrations?")
  const child = spawn(process.execPath, [wranglerScript(), ...args], { cwd: root, env, stdio: [stdin, "inherit", "inherit"] });
  return child;
}

function exited(child) {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const say = (line) => console.log(`[sentinel] ${line}`);
let stopping = false;
const baseUrl = `http://127.0.0.1:${port}`;
// the executor process starts while the migrations apply: start-up takes no longer with it
const executor = process.env.SENTINEL_EXECUTOR_PROCESS === "0" ? undefined : await startExecutorProcess(baseUrl);
const migrate = await whileWaiting("applying the local D1 migrations", exited(run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir])), say);
if (migrate !== 0) {
  console.error(`Applying the local D1 migrations failed (exit ${migrate}).`);
  process.exit(migrate);
}

const passVars = ["SENTINEL_RATE_LIMIT", "SENTINEL_ALLOW_PRIVATE", "SENTINEL_TIMELINE"].flatMap((name) => (process.env[name] ? ["--var", `${name}:${process.env[name]}`] : []));
const dev = run(
  ["dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", stateDir, "--var", `SENTINEL_BOOTSTRAP_KEY:${bootstrapKey}`, ...passVars, ...(executor?.mainArgs ?? []), "--show-interactive-dev-session=false"],
  { stdin: "inherit" },
);
const devExited = exited(dev);
let stopTicker = () => {};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopping = true;
    stopTicker();
    dev.kill(signal);
    executor?.child.kill(signal);
  });
}
process.on("exit", () => {
  executor?.child.kill("SIGKILL");
  executor?.cleanup();
});

const started = Promise.all([untilHealthy(baseUrl), executor ? untilHealthy(executor.url) : true]).then(() => true);
const ready = await whileWaiting(`starting wrangler dev on ${baseUrl}${executor ? ` and its executor process on ${executor.url}` : ""}`, Promise.race([started, devExited.then(() => false)]), say);
if (ready) {
  console.log(
    [
      "",
      `  Sentinel is ready on ${baseUrl}`,
      `  API key (admin, local):  ${bootstrapKey}`,
      `  Try:  curl -H "Authorization: Bearer ${bootstrapKey}" ${baseUrl}/api/v1/specs`,
      `  API document: ${baseUrl}/api/v1/openapi.json`,
      "  Schedules: the cron trigger fires every minute while this runs.",
      "",
    ].join("\n"),
  );
  const tickMs = Number(process.env.SENTINEL_CRON_TICK_MS) || undefined;
  stopTicker = startCronTicker(baseUrl, { intervalMs: tickMs, log: say });
}
const code = await devExited;
stopTicker();
stopping = true;
if (executor) {
  executor.child.kill("SIGTERM");
  await Promise.race([executor.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
}
process.exit(code);

/**
 * The executor process: `wrangler dev` of the same Worker on a free port with its own scratch
 * state (it stores nothing), told the main process's URL; the secret goes to both through an
 * env file in a private temporary directory. Returns what the main process's `wrangler dev` adds.
 */
async function startExecutorProcess(mainUrl) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "sentinel-executor-"));
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  const secrets = path.join(scratch, "executor.env");
  writeFileSync(secrets, `SENTINEL_EXECUTOR_SECRET=${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  const executorPort = await freePort();
  const url = `http://127.0.0.1:${executorPort}`;
  // its timeline lines are console.log lines: shown only at wrangler's "log" level
  const timeline = process.env.SENTINEL_TIMELINE === "1" ? ["--var", "SENTINEL_TIMELINE:1"] : [];
  const logLevel = timeline.length > 0 ? "log" : "warn";
  const child = run(["dev", "--ip", "127.0.0.1", "--port", String(executorPort), "--inspector-port", String(await freePort()), "--persist-to", path.join(scratch, "state"), "--env-file", secrets, "--var", `SENTINEL_MAIN_URL:${mainUrl}`, ...timeline, "--show-interactive-dev-session=false", "--log-level", logLevel]);
  const childExited = exited(child);
  childExited.then((code) => {
    if (!stopping) say(`the executor process ended (exit ${code}); cases run in the main process`);
  });
  return { url, child, exited: childExited, cleanup, mainArgs: ["--env-file", secrets, "--var", `SENTINEL_EXECUTOR_URL:${url}`] };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}

/** Resolves true once GET /health answers 200 (wrangler dev is up and the Worker loaded). */
async function untilHealthy(url) {
  for (;;) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
