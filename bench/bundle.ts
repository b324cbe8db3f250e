/**
 * The deployable bundle's size, as `wrangler deploy --dry-run` reports it (production env).
 * Run: npm run bench -- bundle
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = mkdtempSync(join(tmpdir(), "sentinel-bundle-"));
const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--env", "production", "--outdir", out], {
  cwd: join(import.meta.dirname, ".."),
  encoding: "utf8",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
const text = `${r.stdout}${r.stderr}`;
const m = /Total Upload:\s*([\d.]+ \w+)\s*\/\s*gzip:\s*([\d.]+ \w+)/.exec(text);
if (r.status !== 0 || !m) {
  console.error(text);
  process.exit(1);
}
console.log(JSON.stringify({ bench: "bundle", totalUpload: m[1], gzip: m[2] }));
