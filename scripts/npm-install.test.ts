/**
 * `npm install` shows no warnings the user cannot act on. On Node 20 npm printed an EBADENGINE
 * warning for each package that declares Node >= 22 (wrangler, miniflare, vitest, ai), though
 * Sentinel runs them under its bundled node@22; .npmrc keeps them out of the install output.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("npm install", () => {
  it("prints no EBADENGINE warnings (the dependency tree is resolved as a real install does)", () => {
    // as a user's shell runs it: without the npm_config_* variables and the node_modules/.bin
    // PATH entries (whose `node` is the bundled node@22) that `npm test` passes down
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    env.PATH = (env.PATH ?? "").split(path.delimiter).filter((dir) => !dir.includes(`node_modules${path.sep}.bin`)).join(path.delimiter);
    const result = spawnSync("npm", ["install", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: ROOT, encoding: "utf8", env });
    expect(result.status, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/EBADENGINE|npm warn/i);
  }, 60_000);
});
