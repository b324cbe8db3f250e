#!/usr/bin/env node
// Launcher of the `sentinel` CLI. Under Node < 22 it first re-runs itself with the project's
// node@22 (scripts/node22.mjs): the local platform's wrangler and Miniflare refuse older Nodes.
// It builds cli/dist/sentinel.mjs on the fly when missing (a checkout without `npm run prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

if (Number(process.versions.node.split(".")[0]) < 22) {
  const node22 = await import(new URL("../../scripts/node22.mjs", import.meta.url).href).catch(() => null);
  // Without the bundled binary, go on: --server mode works on older Nodes; local mode says what is missing.
  if (node22?.bundledNode()) await node22.ensureNode22();
}

const dist = fileURLToPath(new URL("../dist/sentinel.mjs", import.meta.url));
if (!existsSync(dist)) {
  try {
    const { buildCli } = await import(new URL("../../scripts/build-cli.mjs", import.meta.url).href);
    await buildCli({ quiet: true });
  } catch (err) {
    process.stderr.write(`sentinel: cannot build the CLI (is esbuild installed? run npm install): ${err instanceof Error ? err.message : err}\n`);
    process.exit(2);
  }
}
await import(pathToFileURL(dist).href);
