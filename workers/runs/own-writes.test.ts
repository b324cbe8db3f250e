import { describe, expect, it } from "vitest";
import type { CaseResult, Exchange, TestCase } from "../model";
import { ownWrites, writeBehind } from "./own-writes";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function exchange(stepId: string, method: string, path: string, start: number, durationMs: number, status = 200): Exchange {
  return { stepId, startedAt: at(start), request: { method, url: `http://t${path}`, headers: {} }, response: { status, headers: {}, body: "", bodySize: 0, durationMs } };
}

function result(caseId: string, exchanges: Exchange[], status: CaseResult["status"] = "failed"): CaseResult {
  return { caseId, agent: "a", operationId: "op", status, exchanges, checks: [], durationMs: 0 };
}

function testCase(id: string, steps: [string, string, string][]): TestCase {
  return { id, agent: "a", operationId: "op", kind: "positive", title: id, steps: steps.map(([sid, method, path]) => ({ id: sid, request: { method, path, pathParams: {}, query: {}, headers: {} }, checks: [] })) } as unknown as TestCase;
}

const DESTRUCTIVE = new Set(["POST /admin/reset"]);

describe("own-request attribution", () => {
  const cases = new Map([
    ["reset", testCase("reset", [["s0", "post", "/admin/reset"]])],
    ["chain", testCase("chain", [["s0", "post", "/admin/reset"], ["s1", "get", "/items"]])],
    ["read", testCase("read", [["s0", "get", "/items"]])],
  ]);

  it("knows the run's destructive requests by operation, whatever they answered, in time order", () => {
    const writes = ownWrites(
      [result("chain", [exchange("s0", "POST", "/admin/reset", 500, 20), exchange("s1", "GET", "/items", 530, 5)]), result("reset", [exchange("s0", "POST", "/admin/reset", 100, 10, 500)]), result("read", [exchange("s0", "GET", "/items", 0, 5)])],
      cases,
      DESTRUCTIVE,
    );
    expect(writes.map((w) => [w.caseId, w.stepId, w.label, w.start - Date.parse(at(0)), w.end - Date.parse(at(0))])).toEqual([
      ["reset", "s0", "POST /admin/reset", 100, 110],
      ["chain", "s0", "POST /admin/reset", 500, 520],
    ]);
  });

  it("suspects a case still running when another case's write began, or one whose own earlier step wrote; not one that ended before", () => {
    const writes = ownWrites([result("reset", [exchange("s0", "POST", "/admin/reset", 100, 10)])], cases, DESTRUCTIVE);
    expect(writeBehind(result("read", [exchange("s0", "GET", "/items", 0, 50)]), writes)).toBeUndefined();
    expect(writeBehind(result("read", [exchange("s0", "GET", "/items", 60, 50)]), writes)?.caseId).toBe("reset");
    expect(writeBehind(result("read", [exchange("s0", "GET", "/items", 300, 5)]), writes)?.caseId).toBe("reset");
    // the write itself is its own case's evidence, not something that came before it
    expect(writeBehind(result("reset", [exchange("s0", "POST", "/admin/reset", 100, 10)]), writes)).toBeUndefined();
    const chain = result("chain", [exchange("s0", "POST", "/admin/reset", 0, 10), exchange("s1", "GET", "/items", 12, 5)]);
    expect(writeBehind(chain, ownWrites([chain], cases, DESTRUCTIVE))?.stepId).toBe("s0");
  });
});
