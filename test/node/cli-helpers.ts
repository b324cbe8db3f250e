/// <reference types="node" />
/** Runs the `sentinel` CLI the way a user does: `node cli/bin/sentinel.mjs …` in a child process. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(ROOT, "cli/bin/sentinel.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** called with stderr so far whenever it grows; may signal the child */
  onStderr?: (stderr: string, child: ChildProcess) => void;
}

export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, SENTINEL_SERVER: "", SENTINEL_TOKEN: "", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      reject(new Error(`sentinel did not finish in ${opts.timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Command lines of running processes that mention `text` (Linux/macOS `ps`). */
export function processesMentioning(text: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(text) && !line.includes("ps -eo"));
}

declare module "vitest" {
  export interface ProvidedContext {
    /** the local platform the *.platform.test.ts files share (platform-setup.ts): base URL, bootstrap API key */
    platform: { url: string; token: string };
  }
}

/** `--server <url> --token <key>` of the local platform the *.platform.test.ts files share (platform-setup.ts). */
export function sharedServer(): string[] {
  const { url, token } = inject("platform");
  return ["--server", url, "--token", token];
}
