/**
 * `npx sentinel …` runs the package's `prepare` script (CLI bundle + wasm agents) on every start.
 * A `wrangler dev` (npm start) running from the same checkout watches the Worker's sources and the
 * .wasm files it imports, and reloads the Worker — stranding the run in flight — whenever one is
 * written. So starting the CLI must leave every watched file untouched, and the wasm build only
 * writes a file when it is missing or its inputs changed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./cli-helpers";

/** Files a running `wrangler dev` of this checkout reloads on: the Worker's code and the built agents. */
function watchedFiles(): string[] {
  const dirs = ["agents-wasm/build", "workers", "durable-objects"];
  const files = dirs.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name)),
  );
  return [...files, path.join(ROOT, "wrangler.toml"), path.join(ROOT, "cli/dist/sentinel.mjs")];
}

function snapshot(files: string[]): Map<string, string> {
  return new Map(files.map((f) => {
    const s = statSync(f);
    return [f, `${s.ino}:${s.mtimeMs}`];
  }));
}

const temp = mkdtempSync(path.join(os.tmpdir(), "sentinel-wasm-build-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("starting the CLI rewrites nothing a running platform watches", () => {
  it("`npx sentinel --version` (which runs npm's prepare) leaves the Worker's files and the wasm agents untouched", () => {
    // bring the build up to date first (a source may have changed since npm install)
    execFileSync(process.execPath, ["scripts/build-wasm.mjs"], { cwd: ROOT, stdio: "pipe" });
    const files = watchedFiles();
    expect(files.some((f) => f.endsWith(".wasm"))).toBe(true);
    const before = snapshot(files);
    // a fresh npm cache: npx installs the checkout again and so runs `prepare`, as on a user's first `npx sentinel`
    const npmCache = path.join(temp, "npm-cache");
    const out = execFileSync("npx", ["sentinel", "--version"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_cache: npmCache } });
    expect(out).toMatch(/^sentinel \d+\.\d+\.\d+/m);
    const after = snapshot(files);
    const touched = files.filter((f) => before.get(f) !== after.get(f)).map((f) => path.relative(ROOT, f));
    expect(touched).toEqual([]);
  }, 60_000);

  it("the wasm build writes a missing agent, then leaves it alone while its inputs are unchanged", () => {
    const build = () => execFileSync(process.execPath, ["scripts/build-wasm.mjs", "--out-dir", temp, "robustness-fuzzer"], { cwd: ROOT, encoding: "utf8" });
    expect(build()).toMatch(/robustness-fuzzer\.wasm \d+ bytes/);
    const file = path.join(temp, "robustness-fuzzer.wasm");
    const first = snapshot([file]);
    expect(build()).toMatch(/up to date/);
    expect(snapshot([file])).toEqual(first);
  }, 90_000);
});
