import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const repos = readdirSync(here).filter((f) => f.endsWith("-repo.ts"));

/** Every exported function that reaches D1 takes it as its first parameter, `db: D1Database`. */
describe("one repository signature", () => {
  it("finds the repositories", () => expect(repos.length).toBeGreaterThan(10));

  for (const file of repos) {
    it(`${file}: functions that use the database take (db: D1Database, …)`, () => {
      const source = readFileSync(join(here, file), "utf8");
      const offenders: string[] = [];
      for (const match of source.matchAll(/export (?:async )?function (\w+)(?:<[^>]*>)?\(([^)]*)\)[^{]*\{/g)) {
        const [, name, params] = match;
        const body = source.slice(match.index + match[0].length, source.indexOf("\n}", match.index));
        const usesDb = /\bdatabase\(|\bdb\.|\bdb\b,|\(db\)/.test(body) || /\bD1Database\b/.test(params);
        if (usesDb && !/^\s*db: D1Database\b/.test(params)) offenders.push(`${name}(${params.trim().split(",")[0]}, …)`);
      }
      expect(offenders).toEqual([]);
    });
  }
});
