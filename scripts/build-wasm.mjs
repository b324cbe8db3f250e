#!/usr/bin/env node
/**
 * Compiles every AssemblyScript agent agents-wasm/<name>/index.ts into
 * agents-wasm/build/<name>.wasm. Wasm agents are compiled here, at build time, because
 * Workers forbid compiling wasm at run time; the Worker imports the .wasm files as modules.
 * Usage: node scripts/build-wasm.mjs [name...]   (default: all agents)
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const agentsDir = join(root, "agents-wasm");
const buildDir = join(agentsDir, "build");
const NOT_AGENTS = new Set(["build", "shared", "node_modules"]);

async function agentNames() {
  const names = [];
  for (const entry of await readdir(agentsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || NOT_AGENTS.has(entry.name)) continue;
    const entryFile = join(agentsDir, entry.name, "index.ts");
    if (await stat(entryFile).then(() => true, () => false)) names.push(entry.name);
  }
  return names.sort();
}

async function build(name) {
  const entry = join(agentsDir, name, "index.ts");
  const outFile = join(buildDir, `${name}.wasm`);
  const started = performance.now();
  const { error, stderr } = await asc.main(
    [relative(root, entry), "--config", relative(root, join(agentsDir, "asconfig.json")), "--target", "release", "--outFile", relative(root, outFile)],
    { stdout: process.stdout, stderr: process.stderr, baseDir: root },
  );
  if (error) throw new Error(`asc failed for ${name}: ${error.message}\n${stderr.toString()}`);
  const { size } = await stat(outFile);
  console.log(`build-wasm: ${relative(root, outFile)} ${size} bytes in ${Math.round(performance.now() - started)} ms`);
}

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : await agentNames();
if (names.length === 0) {
  console.error("build-wasm: no agents found under agents-wasm/*/index.ts");
  process.exit(1);
}
await mkdir(buildDir, { recursive: true });
try {
  for (const name of names) await build(name);
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
}
