import { describe, expect, it } from "vitest";
import { toMarkdown } from "./markdown";
import { SAMPLE_FINDINGS, sampleReport } from "./test-fixtures";

describe("toMarkdown", () => {
  const md = toMarkdown({ report: sampleReport() });

  it("has a counts table with one number per severity", () => {
    const lines = md.split("\n");
    const header = lines.findIndex((l) => l.startsWith("| Cases passed"));
    expect(header).toBeGreaterThan(0);
    // passed, failed, errored, skipped, then one number per severity
    expect(lines[header + 2]).toBe("| 1 | 1 | 1 | 1 | 1 | 2 | 1 | 1 | 1 |");
  });

  it("lists top findings worst first without breaking the table", () => {
    const rows = md.split("\n").filter((l) => /^\| (🟥|🔴|🟠|🔵|⚪) /.test(l));
    expect(rows).toHaveLength(SAMPLE_FINDINGS.length);
    expect(rows[0]).toContain("critical");
    expect(rows[rows.length - 1]).toContain("info");
    // every row keeps exactly 4 cells even with | and ` in the title
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    expect(md).not.toContain("<script>");
  });

  it("limits the list and folds the curl lines", () => {
    const short = toMarkdown({ report: sampleReport() }, { top: 2 });
    expect(short).toContain("(2 of 6)");
    expect(short).toContain("<details><summary>Reproduce</summary>");
    // one curl block per finding, and one for the other triggers of the finding that has them
    expect(short.match(/```sh/g)).toHaveLength(3);
  });

  it("shows a chain finding's steps and its script, and the skipped cases with their reason", () => {
    expect(md).toContain("Steps (in order):");
    expect(md).toMatch(/1\. create \(as alice\): POST http:\/\/127\.0\.0\.1:8787\/pets → 201/);
    expect(md).toContain("```bash\n#!/usr/bin/env bash");
    expect(md).toContain("<details><summary>Skipped: 1 case</summary>");
    expect(md).toContain("| 1 | create returned 400 |");
  });

  it("reports a clean run", () => {
    expect(toMarkdown({ report: sampleReport([]) })).toContain("No findings.");
  });
});
