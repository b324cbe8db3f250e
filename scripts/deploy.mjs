#!/usr/bin/env node
// `npm run deploy`: create the resources wrangler cannot provision (queues, Vectorize), deploy
// the Worker (wrangler provisions D1 and R2 on the first deploy), then apply D1 migrations.
// `npm run deploy -- --dry-run` bundles and checks everything without touching Cloudflare.
import { spawnSync } from "node:child_process";

const dryRun = process.argv.includes("--dry-run");

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const result = spawnSync(cmd, args, { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(process.execPath, ["scripts/setup-cloudflare.mjs", ...(dryRun ? ["--dry-run"] : [])]);
if (dryRun) {
  run("npx", ["wrangler", "deploy", "--env", "production", "--dry-run", "--outdir", "dist/worker"]);
  console.log("[dry-run] would run: wrangler d1 migrations apply DB --remote --env production");
} else {
  run("npx", ["wrangler", "deploy", "--env", "production"]);
  run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--remote", "--env", "production"]);
}
