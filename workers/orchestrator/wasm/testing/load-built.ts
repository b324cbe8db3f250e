/**
 * Node-only test helper: compiles agents-wasm/build/<name>.wasm, (re)building it first when it
 * is missing or older than its AssemblyScript sources. Node may compile wasm at run time; the
 * Worker imports the same file precompiled.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileInNode } from "./compile-in-node";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

export function builtWasmPath(name: string): string {
  return `${root}agents-wasm/build/${name}.wasm`;
}

function newestSource(dirs: string[]): number {
  let newest = statSync(`${root}agents-wasm/asconfig.json`).mtimeMs;
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

export async function loadBuiltWasm(name: string): Promise<WebAssembly.Module> {
  const path = builtWasmPath(name);
  const stale = !existsSync(path) || statSync(path).mtimeMs < newestSource([`${root}agents-wasm/${name}`, `${root}agents-wasm/shared`]);
  if (stale) execFileSync(process.execPath, [`${root}scripts/build-wasm.mjs`, name], { cwd: root, stdio: "inherit" });
  return compileInNode(readFileSync(path));
}
