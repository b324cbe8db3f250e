/**
 * Wrangler and the tests need Node 22+. When started by an older Node, re-run the same script
 * with the node@22 binary the project installs (the `node` devDependency), passing arguments,
 * stdio, exit code and signals through. Usage, first thing in a script:
 *   import { ensureNode22 } from "./node22.mjs"; await ensureNode22();
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MIN_NODE_MAJOR = 22;
const REEXEC_MARK = "SENTINEL_NODE22_REEXEC";

export function nodeMajor(version = process.versions.node) {
  return Number(version.split(".")[0]);
}

/** The node@22 binary installed with the project, or null. */
export function bundledNode() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const candidates = [];
  try {
    candidates.push(createRequire(import.meta.url).resolve("node/bin/node"));
  } catch {
    // not resolvable as a module path; try the conventional location
  }
  candidates.push(path.join(root, "node_modules", "node", "bin", "node"));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Returns when this Node is recent enough; otherwise runs the current script under node@22 and
 * exits with its status (never returns in that case).
 */
export async function ensureNode22() {
  if (nodeMajor() >= MIN_NODE_MAJOR) return;
  const binary = bundledNode();
  if (!binary || process.env[REEXEC_MARK]) {
    console.error(`Sentinel needs Node ${MIN_NODE_MAJOR} or later (this is ${process.version}); run npm install to get the bundled node@22.`);
    process.exit(2);
  }
  const child = spawn(binary, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [REEXEC_MARK]: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 128 + 1 : 1))));
  process.exit(code);
}
