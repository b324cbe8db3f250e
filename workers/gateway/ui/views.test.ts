import { describe, expect, it } from "vitest";
import type { Finding, Run } from "./api-types";
import { parseIdentities } from "./form";
import { groupFindings, novelty, stepsOf } from "./pages/findings";
import { latencySeries } from "./pages/load-tests";
import { trends } from "./pages/runs";
import { specContentType } from "./pages/specs";

function finding(id: string, check: string, severity: string, path: string, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    check,
    severity,
    operation: { method: "get", path, operationId: path },
    agent: "a",
    title: id,
    message: "",
    request: { method: "GET", url: "http://x" + path, headers: {} },
    curl: "curl",
    occurrences: 1,
    ...extra,
  };
}

describe("dashboard views", () => {
  it("groups findings by check then operation, worst first", () => {
    const groups = groupFindings([
      finding("a", "status_code_conformance", "low", "/a"),
      finding("b", "bola", "critical", "/b"),
      finding("c", "status_code_conformance", "high", "/c"),
      finding("d", "status_code_conformance", "medium", "/a"),
    ]);
    expect(groups.map((g) => [g.check, g.worst])).toEqual([
      ["bola", "critical"],
      ["status_code_conformance", "high"],
    ]);
    expect(groups[1].operations.map((o) => [o.label, o.items.map((f) => f.id)])).toEqual([
      ["GET /c", ["c"]],
      ["GET /a", ["d", "a"]],
    ]);
  });

  it('says "new" or "seen before" only when the finding has history', () => {
    expect(novelty({}, "run_1")).toBeNull();
    expect(novelty({ seenInRuns: 1 }, "run_1")).toEqual({ label: "new", isNew: true });
    expect(novelty({ seenInRuns: 4 }, "run_1")).toEqual({ label: "seen before (in 4 runs)", isNew: false });
    expect(novelty({ firstSeen: "run_1", seenInRuns: 1 }, "run_1")?.isNew).toBe(true);
    expect(novelty({ firstSeen: "run_0", seenInRuns: 2 }, "run_1")?.isNew).toBe(false);
  });

  it("takes chain steps from the finding, else from its case's exchanges", () => {
    const own = finding("a", "bola", "high", "/a", { steps: [{ id: "s1", identity: "alice", request: { method: "POST", url: "u", headers: {} } }, { id: "s2", identity: "bob", request: { method: "GET", url: "u", headers: {} }, finding: true }] });
    expect(stepsOf(own, null).map((s) => s.identity)).toEqual(["alice", "bob"]);
    const plain = finding("b", "bola", "high", "/b");
    expect(stepsOf(plain, [{ stepId: "x", request: { method: "GET", url: "u", headers: {} } }])).toEqual([{ id: "x", request: { method: "GET", url: "u", headers: {} }, response: undefined, error: undefined }]);
    expect(stepsOf(plain, null)).toEqual([]);
  });

  it("builds one trend per spec and target from finished runs, oldest first", () => {
    const run = (id: string, title: string, url: string, status: string, findings: number) =>
      ({ id, status, spec: { title }, target: { url }, stats: { findings, cases: 1, passed: 0, failed: 1, errored: 0 }, progress: null }) as unknown as Run;
    const t = trends([run("r3", "A", "u", "running", 0), run("r2", "A", "u", "failed", 5), run("r1", "A", "u", "passed", 0), run("q1", "B", "u", "failed", 2)]);
    expect(t.map((x) => [x.spec, x.failures, x.last.id, x.total])).toEqual([
      ["A", [0, 5], "r3", 3],
      ["B", [2], "q1", 1],
    ]);
  });

  it("turns load windows into one latency series per region", () => {
    const series = latencySeries(
      [
        { t: 1, region: "weur", requests: 1, errors: 0, p50: 1, p95: 9, p99: 10 },
        { t: 0, region: "weur", requests: 1, errors: 0, p50: 1, p95: 5, p99: 6 },
        { t: 0, region: "wnam", requests: 1, errors: 0, p50: 1, p95: 7, p99: 8 },
      ],
      "p95",
    );
    expect(series.map((s) => [s.name, s.points])).toEqual([
      ["weur p95", [{ x: 0, y: 5 }, { x: 1, y: 9 }]],
      ["wnam p95", [{ x: 0, y: 7 }]],
    ]);
  });

  it("reads identity lines like the CLI's --identity and names a bad line", () => {
    expect(parseIdentities("alice:Authorization: Bearer a:b\n\nbob:X-Key: k")).toEqual({ identities: { alice: { Authorization: "Bearer a:b" }, bob: { "X-Key": "k" } } });
    expect(parseIdentities("alice Authorization").error).toMatch(/line 1/);
  });

  it("sends an uploaded file with the media type the API expects", () => {
    expect(specContentType("api.yml", "openapi: 3.0.0")).toBe("application/yaml");
    expect(specContentType("api.json", "{")).toBe("application/json");
    expect(specContentType("spec", '  {"openapi"')).toBe("application/json");
    expect(specContentType("spec", "openapi: 3.1.0")).toBe("application/yaml");
  });
});
