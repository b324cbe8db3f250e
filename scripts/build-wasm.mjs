#!/usr/bin/env node
/**
 * Compiles every AssemblyScript agent agents-wasm/<name>/index.ts into
 * agents-wasm/build/<name>.wasm. Wasm agents are compiled here, at build time, because
 * Workers forbid compiling wasm at run time; the Worker imports the .wasm files as modules.
 *
 * A running `wrangler dev` (npm start) watches the .wasm files the Worker imports and reloads the
 * Worker when one is written, which strands the runs in flight. This script runs on every
 * `npx sentinel` (npm's `prepare`) and before `npm test`, so it never touches a .wasm file whose
 * inputs did not change: a fingerprint of the inputs (sources, asconfig, compiler version) is kept
 * outside the watched tree, the compiler writes to memory, and the file is replaced (write to a
 * temporary file, then rename) only when its bytes differ.
 *
 * Usage: node scripts/build-wasm.mjs [--out-dir dir] [name...]   (default: all agents, agents-wasm/build)
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const agentsDir = join(root, "agents-wasm");
const NOT_AGENTS = new Set(["build", "shared", "node_modules"]);
/** Fingerprints live under node_modules/.cache: never watched by wrangler, dropped with node_modules. */
const stampDir = join(root, "node_modules", ".cache", "sentinel-wasm");

async function agentNames() {
  const names = [];
  for (const entry of await readdir(agentsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || NOT_AGENTS.has(entry.name)) continue;
    const entryFile = join(agentsDir, entry.name, "index.ts");
    if (await stat(entryFile).then(() => true, () => false)) names.push(entry.name);
  }
  return names.sort();
}

async function sourceFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

/** Everything the output depends on: the agent's and the shared sources, the config, the compiler. */
async function fingerprint(name) {
  const hash = createHash("sha256");
  const compiler = JSON.parse(readFileSync(join(root, "node_modules/assemblyscript/package.json"), "utf8")).version;
  hash.update(`asc ${compiler}\n`);
  const files = [join(agentsDir, "asconfig.json"), ...(await sourceFiles(join(agentsDir, name))), ...(await sourceFiles(join(agentsDir, "shared")))].sort();
  for (const file of files) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

function stampFile(outFile) {
  return join(stampDir, `${createHash("sha256").update(resolve(outFile)).digest("hex").slice(0, 16)}.json`);
}

async function build(name, buildDir) {
  const outFile = join(buildDir, `${name}.wasm`);
  const inputs = await fingerprint(name);
  const stamp = stampFile(outFile);
  if (existsSync(outFile) && existsSync(stamp) && JSON.parse(readFileSync(stamp, "utf8")).inputs === inputs) {
    console.log(`build-wasm: ${relative(root, outFile)} up to date`);
    return;
  }
  const started = performance.now();
  // the compiler takes a second to load: only when something is to be built
  const { default: asc } = await import("assemblyscript/asc");
  let binary;
  const { error, stderr } = await asc.main(
    [relative(root, join(agentsDir, name, "index.ts")), "--config", relative(root, join(agentsDir, "asconfig.json")), "--target", "release", "--outFile", `${name}.wasm`],
    {
      stdout: process.stdout,
      stderr: process.stderr,
      baseDir: root,
      // keep the output in memory: it is written below only if it changed
      writeFile: (file, contents) => {
        if (file.endsWith(".wasm")) binary = typeof contents === "string" ? Buffer.from(contents) : Buffer.from(contents);
      },
    },
  );
  if (error) throw new Error(`asc failed for ${name}: ${error.message}\n${stderr.toString()}`);
  if (!binary) throw new Error(`asc produced no wasm for ${name}`);
  const current = existsSync(outFile) ? await readFile(outFile) : undefined;
  const changed = !current || !current.equals(binary);
  if (changed) {
    const temp = `${outFile}.${process.pid}.tmp`;
    await writeFile(temp, binary);
    await rename(temp, outFile);
  }
  await mkdir(stampDir, { recursive: true });
  await writeFile(stamp, JSON.stringify({ inputs, outFile: resolve(outFile) }));
  console.log(`build-wasm: ${relative(root, outFile)} ${binary.byteLength} bytes in ${Math.round(performance.now() - started)} ms${changed ? "" : " (unchanged, not rewritten)"}`);
}

const args = process.argv.slice(2);
const outAt = args.indexOf("--out-dir");
const buildDir = outAt >= 0 ? resolve(args[outAt + 1]) : join(agentsDir, "build");
const requested = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
const names = requested.length > 0 ? requested : await agentNames();
if (names.length === 0) {
  console.error("build-wasm: no agents found under agents-wasm/*/index.ts");
  process.exit(1);
}
await mkdir(buildDir, { recursive: true });
try {
  for (const name of names) await build(name, buildDir);
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
}
