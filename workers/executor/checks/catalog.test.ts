import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECK_CATALOG, CHECK_NAMES } from "../../model";
import { CHECK_FUNCTIONS } from "./index";

const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");

/** Rows of the markdown table that follows `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(heading);
  expect(start, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(start).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(1, -1).split(" | ").map((c) => c.trim()));
  }
  return rows;
}

describe("check catalog", () => {
  it("names every check once, each with a function", () => {
    expect(Object.keys(CHECK_CATALOG)).toEqual([...CHECK_NAMES]);
    expect(Object.keys(CHECK_FUNCTIONS).sort()).toEqual([...CHECK_NAMES].sort());
  });

  it("is what checks/README.md says: names, default severities and titles", () => {
    const rows = tableAfter("## Default severities, titles and signatures");
    expect(rows.map((r) => r[0]).sort()).toEqual([...CHECK_NAMES].sort());
    for (const [name, severity, title] of rows) {
      const info = CHECK_CATALOG[name as keyof typeof CHECK_CATALOG];
      expect(severity.split(" ")[0], `${name} severity`).toBe(info.severity);
      expect(title, `${name} title`).toBe(info.title);
    }
  });

  it("places every check in exactly one file of the README's family table", () => {
    const listed = tableAfter("grouped by family").flatMap((r) => r[1].split(", "));
    expect(listed.sort()).toEqual([...CHECK_NAMES].sort());
  });
});
