#!/usr/bin/env node
/**
 * `npm start`: the whole platform on this machine. Applies the local D1 migrations, then runs
 * `wrangler dev` on 127.0.0.1:8787 with local D1/R2/Queues/Durable Objects persisted under
 * .wrangler/state, and a bootstrap admin API key (printed below).
 *
 * Environment: PORT (8787), SENTINEL_STATE_DIR (.wrangler/state), SENTINEL_BOOTSTRAP_KEY
 * (default: the fixed local development key below — local use only).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

const migrate = await exited(run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]));
if (migrate !== 0) {
  console.error(`Applying the local D1 migrations failed (exit ${migrate}).`);
  process.exit(migrate);
}

console.log(
  [
    "",
    `  Sentinel is starting on http://127.0.0.1:${port}`,
    `  API key (admin, local):  ${bootstrapKey}`,
    `  Try:  curl -H "Authorization: Bearer ${bootstrapKey}" http://127.0.0.1:${port}/api/v1/specs`,
    `  API document: http://127.0.0.1:${port}/api/v1/openapi.json`,
    "",
  ].join("\n"),
);

const dev = run(
  ["dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", stateDir, "--var", `SENTINEL_BOOTSTRAP_KEY:${bootstrapKey}`, "--show-interactive-dev-session=false"],
  { stdin: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => dev.kill(signal));
process.exit(await exited(dev));
