#!/usr/bin/env node
// `npm run bench [-- name]`: runs bench/<name>.ts (all when no name) under tsx.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv[2];
const benches = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
for (const name of benches.filter((b) => !wanted || b === wanted)) {
  console.log(`# ${name}`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(dir, `${name}.ts`), ...process.argv.slice(3)], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
