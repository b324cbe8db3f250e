/**
 * Distinct triggers of one finding accumulate in its D1 row through the same upsert that counts
 * occurrences: a new trigger is appended, a known one counted, a redelivered case changes nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseResult, Finding, FindingTrigger } from "../model";
import { findingHistory, listFindings, MAX_TRIGGERS, setFindingMemory } from "./findings-repo";
import { insertRun } from "./runs-repo";
import { writeCaseOutcomes } from "./results-repo";

const RUN = "run_triggers_test";

function trigger(key: string, caseId: string): FindingTrigger {
  return { key, agent: "functional-positive", kind: "positive", caseId, title: `case ${caseId}`, parameter: key, status: 500, curl: `curl 'http://t/x?${key}=1'`, count: 1 };
}

function finding(t: FindingTrigger): Finding {
  return {
    id: "f_0000000000000001",
    check: "not_a_server_error",
    severity: "high",
    operation: { method: "get", path: "/x", operationId: "listX" },
    agent: t.agent,
    caseId: t.caseId,
    title: "Server error on GET /x",
    message: "500",
    signature: "5xx",
    request: { method: "GET", url: "http://t/x", headers: {} },
    curl: t.curl,
    kind: t.kind,
    triggers: [t],
  };
}

function outcome(caseId: string, key: string) {
  const result: CaseResult = { caseId, agent: "functional-positive", operationId: "listX", status: "failed", exchanges: [], checks: [], durationMs: 1 };
  return { orgId: "org_default", runId: RUN, result, findings: [finding(trigger(key, caseId))], bodiesKey: null };
}

describe("finding triggers in D1", () => {
  it("appends new triggers, counts known ones, ignores redelivered cases, stops at the cap", async () => {
    await writeCaseOutcomes(env.DB, [outcome("c1", "query cursor"), outcome("c2", "query inStock"), outcome("c3", "query cursor")]);
    await writeCaseOutcomes(env.DB, [outcome("c2", "query inStock")]); // a redelivery
    let [row] = await listFindings(env.DB, "org_default", RUN);
    expect(row.occurrences).toBe(3);
    expect(row.data.triggers?.map((t) => [t.key, t.count, t.caseId])).toEqual([
      ["query cursor", 2, "c1"],
      ["query inStock", 1, "c2"],
    ]);
    expect(row.data.triggers?.[1].curl).toBe("curl 'http://t/x?query inStock=1'");
    await writeCaseOutcomes(env.DB, Array.from({ length: MAX_TRIGGERS + 3 }, (_, i) => outcome(`d${i}`, `query p${i}`)));
    [row] = await listFindings(env.DB, "org_default", RUN);
    expect(row.occurrences).toBe(3 + MAX_TRIGGERS + 3);
    expect(row.data.triggers).toHaveLength(MAX_TRIGGERS);
  });
});

describe("finding memory in D1", () => {
  it("adds firstSeen, seenInRuns, similar and a cluster when there is one, to this run's findings only", async () => {
    const run = "run_memory_test";
    const write = (runId: string, id: string, caseId: string) => {
      const f = { ...finding(trigger("query a", caseId)), id };
      return writeCaseOutcomes(env.DB, [{ ...outcome(caseId, "query a"), runId, findings: [f] }]);
    };
    await write(run, "f_a", "m1");
    await write(run, "f_b", "m2");
    await write("run_memory_other", "f_a", "m3");
    const similar = [{ findingId: "f_z", runId: "run_0", title: "it's \"alike\" — é", score: 0.912 }];
    await setFindingMemory(
      env.DB,
      "org_default",
      run,
      new Map([
        ["f_a", { firstSeen: "2026-01-02T03:04:05.000Z", seenInRuns: 3, similar, cluster: "cl_f_a" }],
        ["f_b", { firstSeen: "2026-02-02T00:00:00.000Z", seenInRuns: 1, similar: [] }],
      ]),
    );
    const byId = new Map((await listFindings(env.DB, "org_default", run)).map((r) => [r.id, r.data]));
    expect(byId.get("f_a")).toMatchObject({ firstSeen: "2026-01-02T03:04:05.000Z", seenInRuns: 3, similar, cluster: "cl_f_a", triggers: [{ caseId: "m1" }] });
    expect(byId.get("f_b")).toMatchObject({ firstSeen: "2026-02-02T00:00:00.000Z", seenInRuns: 1, similar: [] });
    expect(byId.get("f_b")).not.toHaveProperty("cluster");
    const [other] = await listFindings(env.DB, "org_default", "run_memory_other");
    expect(other.data).not.toHaveProperty("firstSeen");
    await setFindingMemory(env.DB, "org_default", run, new Map());
  });
});

describe("finding history in D1", () => {
  it("names, per finding id, the org's earliest run with it and how many runs had it, past one JSON batch of ids", async () => {
    const runs = ["run_history_a", "run_history_b"];
    await env.DB.prepare(`INSERT OR IGNORE INTO orgs (id, name) VALUES ('org_default', 'Default')`).run();
    for (const [i, id] of runs.entries()) {
      await insertRun(env.DB, { id, orgId: "org_default", specId: "spec_history", targetId: null, targetUrl: "http://127.0.0.1:9", seed: 1, config: {} as never, createdBy: null });
      await env.DB.prepare(`UPDATE runs SET created_at = ? WHERE id = ?`).bind(1_000 + i, id).run();
    }
    const write = (runId: string, id: string) => writeCaseOutcomes(env.DB, [{ ...outcome(`${runId}-${id}`, "query a"), runId, findings: [{ ...finding(trigger("query a", `${runId}-${id}`)), id }] }]);
    await write(runs[0], "f_h1");
    await write(runs[1], "f_h1");
    await write(runs[1], "f_h2");
    const many = ["f_h1", ...Array.from({ length: 40_000 }, (_, i) => `f_none_${i}`), "f_h2", "f_h3"];
    const history = await findingHistory(env.DB, "org_default", many);
    expect([...history]).toEqual([
      ["f_h1", { firstSeen: 1000, runs: 2 }],
      ["f_h2", { firstSeen: 1001, runs: 1 }],
    ]);
    expect((await findingHistory(env.DB, "org_other", ["f_h1"])).size).toBe(0);
  });
});
