/// <reference types="node" />
import { describe, expect, it } from "vitest";
import { createProgress, snapshotOf } from "../../cli/src/progress";
import { formatSummary } from "../../cli/src/summary";
import { sampleReport } from "../../workers/reports/test-fixtures";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream };
}

describe("summary on stdout", () => {
  it("prints counts and a findings table, worst first", () => {
    const text = formatSummary(sampleReport(), { failOn: "medium", failing: 3, written: ["out/report.json"] });
    const lines = text.split("\n");
    expect(lines[0]).toBe("Sentinel: Pet <Store> & Co 1.0.0 — run run_01 failed in 2.5 s");
    expect(text).toContain("Findings: 5 (1 critical, 1 high, 1 medium, 1 low, 1 info)");
    const header = lines.findIndex((l) => /^SEVERITY\s+CHECK\s+OPERATION\s+TITLE$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^CRITICAL\s+bola\s+GET \/pets\/\{petId\}\s+BOLA/);
    expect(lines[header + 5]).toMatch(/^INFO\s+status_code_conformance\s+GET \/pets\s/);
    expect(text).toContain("Reports: out/report.json");
    expect(text).toContain("Result: FAIL — 3 findings at or above medium");
  });

  it("says PASS when nothing reaches --fail-on", () => {
    expect(formatSummary(sampleReport([]), { failOn: "low", failing: 0, written: [] })).toContain("Result: PASS — no finding at or above low");
  });
});

describe("progress on stderr", () => {
  it("says ERROR, never PASS, when the run errored", () => {
    const report = sampleReport([]);
    report.run.status = "errored";
    report.run.stats.errored = report.run.stats.cases;
    const text = formatSummary(report, { failOn: "low", failing: 0, written: [] });
    expect(text).toContain("Result: ERROR — the run errored");
    expect(text).not.toContain("PASS");
  });

  it("draws one rewritten line on a terminal", () => {
    const { chunks, stream } = fakeStream(true);
    const progress = createProgress(stream);
    progress.update({ status: "running", total: 10, done: 5, findings: 1 });
    progress.done();
    expect(chunks[0]).toMatch(/^\r\x1b\[2K\[#+\.+\] running · 5\/10 cases · 1 finding$/);
    expect(chunks.at(-1)).toBe("\r\x1b[2K");
  });

  it("prints plain lines in CI, on status changes and at most every few seconds", () => {
    const { chunks, stream } = fakeStream(false);
    let now = 0;
    const progress = createProgress(stream, { now: () => now });
    progress.update({ status: "planning", total: 0, done: 0 });
    progress.update({ status: "running", total: 10, done: 1 });
    now = 1_000;
    progress.update({ status: "running", total: 10, done: 2 });
    now = 6_000;
    progress.update({ status: "running", total: 10, done: 7 });
    progress.update({ status: "passed", total: 10, done: 10 });
    expect(chunks).toEqual(["planning\n", "running · 1/10 cases\n", "running · 7/10 cases\n", "passed · 10/10 cases\n"]);
  });

  it("is silent with --quiet", () => {
    const { chunks, stream } = fakeStream(true);
    const progress = createProgress(stream, { quiet: true });
    progress.update({ status: "running", total: 1, done: 0 });
    progress.log("hello");
    expect(chunks).toEqual([]);
  });

  it("reads progress from the run resource", () => {
    expect(snapshotOf({ id: "r", status: "running", cases: 40, done: 12, stats: null })).toEqual({ status: "running", total: 40, done: 12, findings: undefined });
    expect(snapshotOf({ id: "r", status: "passed", stats: { cases: 40, findings: 3 } })).toMatchObject({ total: 40, done: 40, findings: 3 });
  });
});
