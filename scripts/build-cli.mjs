#!/usr/bin/env node
/**
 * Bundles the `sentinel` CLI (cli/src/main.ts and the pure modules it imports from workers/)
 * into one ES module, cli/dist/sentinel.mjs, so the CLI starts without a TypeScript loader.
 * Runs as the package's `prepare` script and on the fly from cli/bin/sentinel.mjs.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_ENTRY = path.join(root, "cli/src/main.ts");
export const CLI_OUTFILE = path.join(root, "cli/dist/sentinel.mjs");

export async function buildCli({ quiet = false } = {}) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    write: false,
    entryPoints: [CLI_ENTRY],
    outfile: CLI_OUTFILE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: quiet ? "error" : "warning",
    // Bundled CommonJS dependencies may call require(); give them one in ESM output.
    banner: { js: "import { createRequire as __sentinelRequire } from 'node:module'; const require = __sentinelRequire(import.meta.url);" },
  });
  // Write-then-rename: a CLI started while another process rebuilds never reads half a file.
  // An unchanged file is not rewritten: `npx sentinel` runs this on every start (npm's prepare).
  for (const file of result.outputFiles) {
    if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  return CLI_OUTFILE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const out = await buildCli();
    console.log(`built ${path.relative(root, out)}`);
  } catch (err) {
    // `prepare` also runs on installs without devDependencies: the launcher builds later then.
    if (err && err.code === "ERR_MODULE_NOT_FOUND") console.warn("esbuild not installed; skipping the CLI build");
    else {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    }
  }
}
