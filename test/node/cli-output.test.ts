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
    expect(text).toContain("Findings: 6 (1 critical, 2 high, 1 medium, 1 low, 1 info)");
    expect(text).toContain("4 cases (1 passed, 1 failed, 1 errored, 1 skipped)");
    expect(text).toContain("Timing: 6 requests · p50 4 ms · p95 12 ms · p99 12 ms · max 12 ms · 2.4 req/s");
    const header = lines.findIndex((l) => /^SEVERITY\s+CHECK\s+OPERATION\s+TITLE$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^CRITICAL\s+bola\s+GET \/pets\/\{petId\}\s+BOLA/);
    expect(lines[header + 6]).toMatch(/^INFO\s+status_code_conformance\s+GET \/pets\s/);
    // per finding, as Schemathesis prints it: what came back, a body excerpt, the curl line
    const first = lines.findIndex((l) => l.startsWith("1. [CRITICAL] bola · GET /pets/{petId}"));
    expect(first).toBeGreaterThan(header);
    expect(lines[first + 2]).toBe("   Received: HTTP 500 in 12 ms");
    expect(lines[first + 3]).toMatch(/^ {3}Body: <script>alert\("x"\)<\/script>/);
    expect(lines[first + 4]).toBe("   Reproduce: curl -sS -X GET 'http://127.0.0.1:8787/pets/1' -H 'accept: application/json'");
    expect(text).toContain("   Steps: create 201 → delete 204 → read-after-delete 200 ← (the reports hold a script of every step)");
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
