#!/usr/bin/env node
// Creates the Cloudflare resources wrangler cannot provision by itself on deploy: the task
// queue, its dead-letter queue and the Vectorize index. Idempotent: "already exists" is success.
// Usage: node scripts/setup-cloudflare.mjs [--dry-run]
import { spawnSync } from "node:child_process";

const dryRun = process.argv.includes("--dry-run");

export const RESOURCES = [
  ["queues", "create", "sentinel-tasks"],
  ["queues", "create", "sentinel-tasks-dlq"],
  // bge-base-en-v1.5 embeddings (Workers AI) have 768 dimensions
  ["vectorize", "create", "sentinel-findings", "--dimensions=768", "--metric=cosine"],
  // queries filter on these (org isolation, one embedder per comparison)
  ["vectorize", "create-metadata-index", "sentinel-findings", "--property-name=orgId", "--type=string"],
  ["vectorize", "create-metadata-index", "sentinel-findings", "--property-name=embedder", "--type=string"],
];

function wrangler(args) {
  const result = spawnSync("npx", ["wrangler", ...args], { encoding: "utf8", shell: false });
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

export function setup({ dryRun: dry = dryRun } = {}) {
  for (const args of RESOURCES) {
    // a dry run touches nothing, so it cannot know whether the resource exists: it says what it would do
    if (dry) {
      console.log(`[dry-run] would create unless it exists: wrangler ${args.join(" ")}`);
      continue;
    }
    const { status, output } = wrangler(args);
    if (status === 0) console.log(`created: ${args.slice(0, 3).join(" ")}`);
    else if (/already exists|already taken|duplicate/i.test(output)) console.log(`exists:  ${args.slice(0, 3).join(" ")}`);
    else {
      console.error(output);
      throw new Error(`wrangler ${args.join(" ")} failed`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) setup();
