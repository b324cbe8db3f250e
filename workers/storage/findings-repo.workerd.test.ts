/**
 * Distinct triggers of one finding accumulate in its D1 row through the same upsert that counts
 * occurrences: a new trigger is appended, a known one counted, a redelivered case changes nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CaseResult, Finding, FindingTrigger } from "../model";
import { listFindings, MAX_TRIGGERS } from "./findings-repo";
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
