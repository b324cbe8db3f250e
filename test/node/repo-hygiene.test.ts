/**
 * A bare clone passes `npm test`: only `*.corpus.test.ts` files (run by `npm run test:corpus`)
 * may reach the spec corpus beside the clone, and no file names a path of one machine.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SKIP_DIRS = new Set(["node_modules", ".git", ".wrangler", ".sentinel", "dist", "build"]);
/** git-ignored output at the root (`npm run test:mutation` writes reports/ and .stryker-tmp/); workers/reports/ is source */
const ROOT_OUTPUT = new Set(["reports", ".stryker-tmp"]);
const TEXT = /\.(ts|tsx|mts|mjs|js|json|md|toml|yaml|yml|sh)$|^run$/;

function sourceFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || (dir === ROOT && ROOT_OUTPUT.has(name)) || name === "package-lock.json") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (TEXT.test(name)) out.push(full);
  }
  return out;
}

const files = sourceFiles().map((full) => ({ rel: path.relative(ROOT, full), text: readFileSync(full, "utf8") }));

describe("repository hygiene", () => {
  it("reads the spec corpus only from *.corpus.test.ts files and test/corpus.ts", () => {
    const corpusRef = /["'`][^"'`\n]*shared\/specs/; // a path in code, not a comment
    const allowed = (rel: string) => rel.endsWith(".corpus.test.ts") || ["vitest.projects.ts", path.join("test", "corpus.ts")].includes(rel) || rel.endsWith(".md") || rel.startsWith("bench" + path.sep);
    expect(files.filter((f) => corpusRef.test(f.text) && !allowed(f.rel)).map((f) => f.rel)).toEqual([]);
  });

  it("names no absolute path of a developer's or CI's machine", () => {
    const machinePath = /["'`(\s=](\/work\/|\/home\/[a-z]|\/Users\/[A-Za-z]|\/root\/|C:\\\\Users)/;
    expect(files.filter((f) => machinePath.test(f.text)).map((f) => f.rel)).toEqual([]);
  });
});
