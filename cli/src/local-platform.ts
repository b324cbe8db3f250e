/**
 * The embedded local platform: `wrangler dev` of the Sentinel Worker on a free loopback port,
 * with local D1/R2/Queues/Durable Objects persisted in a state directory (temporary unless
 * kept), D1 migrations applied first, and a random bootstrap API key. Wrangler runs in its own
 * process group so that stopping it also stops workerd.
 *
 * The Worker is bundled once up front (`wrangler deploy --dry-run --outdir`) and served with
 * `--no-bundle`: `wrangler dev` has no switch to stop watching sources, and a source edit
 * during a run would restart the Worker and strand the run's queued work.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { whileWaiting } from "../../scripts/elapsed.mjs";
import { CliError } from "./exit-codes";
import { bundledNodeBinary, MIN_NODE_MAJOR, nodeMajor } from "./node22";

export interface LocalPlatform {
  url: string;
  token: string;
  stateDir: string;
  /** wrangler's DevTools inspector for the Worker (benchmarks read the isolate's heap through it) */
  inspectorPort: number;
  /** the executor process, when cases run in a second workerd (README, "Executor process"): its URL and wrangler's pid (it leads its process group) */
  executor?: { url: string; pid: number };
  /** the last lines each process printed (labelled main/executor, colours removed), for error messages */
  recentLogs(perProcess?: number): string[];
  stop(): Promise<void>;
  /** synchronous last resort for process "exit" handlers */
  killNow(): void;
}

export interface LocalPlatformOptions {
  packageRoot: string;
  /** keep data here; default: a temporary directory removed on stop */
  stateDir?: string;
  /** progress lines (stderr) */
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /** run cases in a second workerd process; default: SENTINEL_EXECUTOR_PROCESS (see executorProcessWanted) */
  executor?: boolean;
}

const LOG_LINES = 200;

/** Kill switches of everything started here and still alive: a Ctrl-C during start-up must not leak wrangler. */
const live = new Set<() => void>();

/** Stops at once every wrangler process this module started (signal and exit handlers). */
export function killLocalPlatforms(): void {
  // newest first: a running wrangler is killed before the files it writes are removed
  for (const kill of [...live].reverse()) kill();
}

/** A free TCP port on loopback (closed again before wrangler binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** `sk_` + 40 base62 characters, the API key format the gateway accepts. */
export function randomApiKey(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let key = "sk_local_";
  while (key.length < 49) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely
      if (byte < 248 && key.length < 49) key += alphabet[byte % 62];
    }
  }
  return key;
}

function wranglerScript(root: string): string {
  const pkgFile = path.join(root, "node_modules", "wrangler", "package.json");
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin?.wrangler ?? "bin/wrangler.js");
    return path.join(path.dirname(pkgFile), bin);
  } catch {
    throw new CliError(`wrangler is not installed in ${root} (run npm install there)`, "infrastructure");
  }
}

function nodeForWrangler(root: string): string {
  if (nodeMajor() >= MIN_NODE_MAJOR) return process.execPath;
  const bundled = bundledNodeBinary(root);
  if (bundled) return bundled;
  throw new CliError(`the local platform needs Node ${MIN_NODE_MAJOR}+ (this is ${process.version}); install dependencies in ${root} or use --server`, "infrastructure");
}

function wranglerEnv(stateDir: string, tmpDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // wrangler's and Miniflare's own temporary files land in our scratch directory, removed with it
    TMPDIR: tmpDir,
    TMP: tmpDir,
    TEMP: tmpDir,
    WRANGLER_SEND_METRICS: "false",
    // no fetch of Cloudflare's request.cf data: works offline, no warning
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    // wrangler's local tracing spans cost workerd CPU on every request, D1 call and fetch; unused here
    X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false",
    WRANGLER_LOG_PATH: path.join(stateDir, "logs"),
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
}

/** Stops a child and everything it started (workerd under wrangler): it leads its own process group. */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Runs a wrangler command to completion; fails with its last output lines. */
function runWrangler(node: string, script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script, ...args], { cwd, env: { ...env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const kill = () => killTree(child, "SIGKILL");
    live.add(kill);
    child.on("exit", () => live.delete(kill));
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => reject(new CliError(`cannot run wrangler (${what}): ${err.message}`, "infrastructure")));
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new CliError(`wrangler ${what} failed (exit ${code})`, "infrastructure", lastLines(output, 15)));
    });
  });
}

const lastLines = (text: string, n: number) =>
  text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(-n)
    .map((l) => `  ${l}`);

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const root = options.packageRoot;
  const log = options.log ?? (() => {});
  const node = nodeForWrangler(root);
  const script = wranglerScript(root);
  // One scratch directory holds the bundle, the state (unless kept elsewhere) and every temporary
  // file of wrangler and Miniflare: removing it leaves nothing behind, even after a Ctrl-C.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "sentinel-"));
  const stateDir = options.stateDir ?? path.join(scratch, "state");
  const bundleDir = path.join(scratch, "worker");
  const tmpDir = path.join(scratch, "tmp");
  for (const dir of [stateDir, bundleDir, tmpDir]) mkdirSync(dir, { recursive: true });
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  // Ctrl-C while wrangler bundles or migrates: runWrangler's own kill switch stops the child; this one removes the files.
  live.add(cleanup);

  const config = path.join(root, "wrangler.toml");
  const env = wranglerEnv(stateDir, tmpDir);
  const token = randomApiKey();

  let entry: string;
  try {
    await whileWaiting("building the Worker", runWrangler(node, script, ["deploy", "--dry-run", "--outdir", bundleDir, "--config", config], root, env, "deploy --dry-run (bundle)"), log);
    entry = path.join(bundleDir, "index.js");
    if (!existsSync(entry)) throw new CliError(`wrangler produced no ${entry}`, "infrastructure");
  } catch (err) {
    live.delete(cleanup);
    cleanup();
    throw err;
  }

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const mainUrl = `http://127.0.0.1:${port}`;
  // The executor process (README): a second workerd of the same Worker that runs the cases, so a
  // run uses a second core. It starts while the migrations apply, so start-up takes no longer; the
  // shared secret is per start and goes through a file only the two processes read (not their
  // command lines, not any log).
  const executor = executorProcessWanted(options.executor);
  const executorPort = executor ? await freePort() : 0;
  const secretsFile = path.join(scratch, "executor.env");
  if (executor) writeFileSync(secretsFile, `SENTINEL_EXECUTOR_SECRET=${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  const devArgs = (listen: number, inspector: number, persistTo: string, vars: string[]) => [
    script, "dev", entry,
    "--no-bundle",
    "--config", config,
    "--ip", "127.0.0.1",
    "--port", String(listen),
    "--inspector-port", String(inspector),
    "--persist-to", persistTo,
    "--show-interactive-dev-session=false",
    "--log-level", "warn",
    ...(executor ? ["--env-file", secretsFile] : []),
    ...vars,
  ];
  const children: DevProcess[] = [];
  const killAll = (signal: NodeJS.Signals) => children.forEach((c) => c.kill(signal));
  const killSwitch = () => {
    killAll("SIGKILL");
    cleanup();
  };
  live.delete(cleanup);
  live.add(killSwitch);
  const executorProcess = executor ? startDev(node, devArgs(executorPort, await freePort(), path.join(scratch, "executor-state"), ["--var", `SENTINEL_MAIN_URL:${mainUrl}`]), root, env) : undefined;
  if (executorProcess) children.push(executorProcess);
  try {
    await whileWaiting("applying D1 migrations", runWrangler(node, script, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir, "--config", config], root, env, "d1 migrations apply"), log);
  } catch (err) {
    live.delete(killSwitch);
    killSwitch();
    throw err;
  }
  const main = startDev(node, devArgs(port, inspectorPort, stateDir, [
    "--var", `SENTINEL_BOOTSTRAP_KEY:${token}`,
    // The user's own machine: its loopback and private networks (CI service containers) are fair targets.
    "--var", "SENTINEL_ALLOW_LOOPBACK:true",
    "--var", "SENTINEL_ALLOW_PRIVATE:true",
    ...(executor ? ["--var", `SENTINEL_EXECUTOR_URL:http://127.0.0.1:${executorPort}`] : []),
  ]), root, env);
  children.unshift(main);

  let stopped = false;
  const platform: LocalPlatform = {
    url: mainUrl,
    inspectorPort,
    token,
    stateDir,
    executor: executorProcess ? { url: `http://127.0.0.1:${executorPort}`, pid: executorProcess.pid } : undefined,
    // each process's own tail: a tail of all lines together showed only the executor's start-up
    // warnings and hid the main process's error line (the one that says why a request failed)
    recentLogs: (perProcess = LOG_LINES) => labelledTails(children.map((c) => ({ label: c === main ? "main" : "executor", lines: c.logs })), perProcess),
    killNow: () => {
      live.delete(killSwitch);
      killSwitch();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      live.delete(killSwitch);
      killAll("SIGTERM");
      const timer = setTimeout(() => killAll("SIGKILL"), 5_000);
      await Promise.race([Promise.all(children.map((c) => c.exited)), new Promise((r) => setTimeout(r, 6_000))]);
      clearTimeout(timer);
      killAll("SIGKILL");
      cleanup();
    },
  };

  try {
    const anyExited = () => children.some((c) => c.hasExited());
    const ready = Promise.all(children.map((c, i) => waitForHealth(i === 0 ? mainUrl : `http://127.0.0.1:${executorPort}`, options.startTimeoutMs ?? 120_000, anyExited)));
    await whileWaiting(`starting the local platform on 127.0.0.1:${port}${executor ? ` (executor process on :${executorPort})` : ""}`, ready, log);
  } catch (err) {
    const details = lastLines(platform.recentLogs().join("\n"), 20);
    await platform.stop();
    throw new CliError(`the local platform did not start: ${(err as Error).message}`, "infrastructure", details);
  }
  return platform;
}

/** The last `perProcess` lines of each process, each line labelled with its process and without terminal colours. */
export function labelledTails(processes: { label: string; lines: readonly string[] }[], perProcess: number): string[] {
  return processes.flatMap(({ label, lines }) => lines.slice(-perProcess).map((line) => `[${label}] ${stripVTControlCharacters(line)}`));
}

/** SENTINEL_EXECUTOR_PROCESS=0 runs every case in the main process (one workerd); =1 or unset: a second one runs them. */
export function executorProcessWanted(option: boolean | undefined, envValue = process.env.SENTINEL_EXECUTOR_PROCESS): boolean {
  if (option !== undefined) return option;
  return envValue !== "0";
}

interface DevProcess {
  pid: number;
  logs: string[];
  exited: Promise<void>;
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
}

/** One `wrangler dev` in its own process group (workerd under it stops with it); its last lines kept. */
function startDev(node: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): DevProcess {
  const child: ChildProcess = spawn(node, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const logs: string[] = [];
  // SENTINEL_DEBUG=1 streams the platform's own log (wrangler, workerd, console.* of the Worker) to stderr.
  const debug = process.env.SENTINEL_DEBUG === "1";
  const collect = (chunk: Buffer) => {
    if (debug) process.stderr.write(chunk);
    for (const line of chunk.toString("utf8").split(/\r?\n/)) {
      if (!line.trim()) continue;
      logs.push(line);
      if (logs.length > LOG_LINES) logs.shift();
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let done = false;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", () => {
      done = true;
      resolve();
    }),
  );
  child.on("error", (err) => logs.push(`spawn error: ${err.message}`));
  return {
    pid: child.pid ?? -1,
    logs,
    exited,
    hasExited: () => done,
    kill: (signal) => {
      if (!done) killTree(child, signal);
    },
  };
}

async function waitForHealth(url: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error("wrangler exited");
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${url}/health within ${Math.round(timeoutMs / 1000)} s`);
}
