import { describe, expect, it } from "vitest";
import type { Finding } from "../model";
import { buildRunReport } from "./run-report";
import { ReportSchema } from "./types";

function finding(id: string, severity: Finding["severity"], extra: Partial<Finding> = {}): Finding {
  return {
    id,
    check: "not_a_server_error",
    severity,
    operation: { method: "get", path: "/pets/{petId}", operationId: "getPet" },
    agent: "functional-positive",
    caseId: `case-${id}`,
    title: `title ${id}`,
    message: "500 Internal Server Error",
    signature: "5xx",
    request: { method: "GET", url: "http://127.0.0.1:9/pets/1", headers: { authorization: "[redacted]" } },
    response: { status: 500, headers: { "content-type": "text/plain" }, body: "boom", durationMs: 7 },
    curl: "curl -sS -X GET 'http://127.0.0.1:9/pets/1'",
    ...extra,
  };
}

const run = {
  id: "run_1",
  status: "failed",
  targetUrl: "http://127.0.0.1:9",
  seed: 42,
  config: { spec: { title: "Pets", version: "1.2.0", operations: 3 }, identities: ["a"], limits: {} },
  stats: { cases: 10, passed: 7, failed: 2, errored: 1, skipped: 0, requests: 14, findings: 2 },
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  finishedAt: Date.UTC(2026, 0, 2, 3, 4, 7, 500),
};

describe("buildRunReport", () => {
  it("follows the contract exactly", () => {
    const report = buildRunReport(run, [
      { severity: "low", occurrences: 1, data: finding("f-low", "low", { response: undefined }) },
      { severity: "critical", occurrences: 1, data: finding("f-crit", "critical", { check: "bola", request: { method: "POST", url: "http://127.0.0.1:9/pets", headers: {}, body: "{}" } }) },
    ]);
    expect(ReportSchema.strict().parse(report)).toEqual(report);
    expect(report.run).toEqual({
      id: "run_1",
      status: "failed",
      target: "http://127.0.0.1:9",
      spec: { title: "Pets", version: "1.2.0", operations: 3 },
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: "2026-01-02T03:04:07.500Z",
      durationMs: 2500,
      seed: 42,
      stats: { cases: 10, passed: 7, failed: 2, errored: 1, skipped: 0, requests: 14 },
    });
    expect(report.findings.map((f) => f.id)).toEqual(["f-crit", "f-low"]);
    // exactly the contract's keys: no caseId, signature or occurrences leak into it
    expect(Object.keys(report.findings[0]).sort()).toEqual(
      ["agent", "check", "curl", "id", "message", "operation", "request", "response", "severity", "source", "steps", "title"].sort(),
    );
    expect(report.findings[0].request.body).toBe("{}");
    expect(report.findings[1].response).toBeUndefined();
    expect("body" in report.findings[1].request).toBe(false);
  });

  it("reports a run that has not finished with nulls and zero stats", () => {
    const report = buildRunReport({ ...run, status: "running", stats: null, finishedAt: null }, []);
    expect(report.run.finishedAt).toBeNull();
    expect(report.run.durationMs).toBeNull();
    expect(report.run.stats).toEqual({ cases: 0, passed: 0, failed: 0, errored: 0, skipped: 0, requests: 0 });
    expect(ReportSchema.parse(report)).toEqual(report);
  });

  it("orders equal severities by occurrences", () => {
    const report = buildRunReport(run, [
      { severity: "high", occurrences: 1, data: finding("a", "high") },
      { severity: "high", occurrences: 5, data: finding("b", "high") },
    ]);
    expect(report.findings.map((f) => f.id)).toEqual(["b", "a"]);
  });

  it("adds up: cases = passed + failed + errored + skipped, skipped cases listed with their reason", () => {
    // the 1,300-case run of issue 9: 134 skipped cases were in the stats row but not in the report
    const stats = { cases: 1300, passed: 1131, failed: 35, errored: 0, skipped: 134, requests: 2000, findings: 12 };
    const skipped = [{ caseId: "c1", agent: "stateful", operation: { method: "post", path: "/pets", operationId: "createPet" }, reason: "step create (precondition) answered 400" }];
    const report = buildRunReport({ ...run, stats }, [], { skipped });
    const s = report.run.stats;
    expect(s.passed + s.failed + s.errored + s.skipped).toBe(s.cases);
    expect(s.skipped).toBe(134);
    expect(report.skipped).toEqual(skipped);
    // rows written before skipped was counted: the remainder is what was skipped
    const legacy = buildRunReport({ ...run, stats: { cases: 10, passed: 6, failed: 2, errored: 1, requests: 3 } }, []);
    expect(legacy.run.stats.skipped).toBe(1);
  });

  it("gives a chain finding every step and a script; timing percentiles over every response", () => {
    const steps = [
      { id: "create", request: { method: "POST", url: "http://127.0.0.1:9/pets", headers: {} }, response: { status: 201, headers: {}, body: '{"id":5}', durationMs: 3 }, extract: { petId: { from: "body" as const, pointer: "/id" } } },
      { id: "read", request: { method: "GET", url: "http://127.0.0.1:9/pets/5", headers: {} }, response: { status: 200, headers: {}, body: "{}", durationMs: 2 }, uses: { petId: "5" }, finding: true },
    ];
    const report = buildRunReport(run, [{ severity: "high", data: finding("chain", "high", { steps }) }], { latenciesMs: Array.from({ length: 100 }, (_, i) => i + 1) });
    expect(report.findings[0].steps.map((s) => s.id)).toEqual(["create", "read"]);
    expect(report.findings[0].script).toContain("jq -r 'getpath([\"id\"])'");
    expect(report.run.timing).toEqual({ requests: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, rps: 40 });
    expect(ReportSchema.strict().parse(report)).toEqual(report);
  });

  it("groups findings of one cluster with the worst as representative; the HTML lists the cluster", async () => {
    const op = (n: number) => ({ method: "get", path: `/r${n}/{id}`, operationId: `r${n}` });
    const members = [1, 2, 3].map((n) => ({ severity: n === 2 ? "critical" : "high", occurrences: 1, data: finding(`f${n}`, n === 2 ? "critical" : "high", { check: "jwt_weakness", operation: op(n), cluster: "cl_f2" }) }));
    const alone = { severity: "low", occurrences: 1, data: finding("f9", "low", { cluster: "cl_f9" }) };
    const report = buildRunReport(run, [...members, alone]);
    expect(ReportSchema.parse(report)).toEqual(report);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]).toMatchObject({ id: "cl_f2", check: "jwt_weakness", severity: "critical", representative: "f2", findings: ["f2", "f1", "f3"], operations: ["GET /r2/{id}", "GET /r1/{id}", "GET /r3/{id}"] });
    expect(report.clusters[0].explanation).toContain("3 jwt_weakness findings on 3 operations fail the same way with the same error");
    const { toHtml } = await import("./html");
    const html = toHtml({ report });
    expect(html).toContain("Likely root causes: 1");
    expect(html).toContain('href="#finding-f2"');
    expect(report.clusters[0].source).toBe("deterministic");
    expect(html).not.toContain("explained by the LLM");

    // the LLM's triage (runs.config.triage) replaces the fixed text and names the likely cause
    const triaged = buildRunReport({ ...run, config: { ...(run.config as object), triage: { cl_f2: { explanation: "Three reads accept a forged token.", likelyCause: "signature not verified" }, cl_gone: { explanation: "x", likelyCause: "y" } } } }, [...members, alone]);
    expect(ReportSchema.strict().parse(triaged)).toEqual(triaged);
    expect(triaged.clusters).toEqual([expect.objectContaining({ id: "cl_f2", explanation: "Three reads accept a forged token.", likelyCause: "signature not verified", source: "llm" })]);
    const triagedHtml = toHtml({ report: triaged });
    expect(triagedHtml).toContain("Likely cause: signature not verified.");
    expect(triagedHtml).toContain("explained by the LLM");
  });
});
