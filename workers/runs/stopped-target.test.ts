import { describe, expect, it } from "vitest";
import type { CaseResult, CheckOutcome, Exchange } from "../model";
import { replayVerdict, stoppedSuspects } from "./stopped-target";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function unanswered(stepId: string, path: string, start: number, liveness?: Exchange["liveness"]): Exchange {
  const e: Exchange = { stepId, startedAt: at(start), request: { method: "GET", url: `http://t${path}`, headers: {} }, error: "timeout after 2000 ms", failure: "timeout" };
  if (liveness) e.liveness = liveness;
  return e;
}

function answered(stepId: string, path: string, start: number, status = 200, durationMs = 12): Exchange {
  return { stepId, startedAt: at(start), request: { method: "GET", url: `http://t${path}`, headers: {} }, response: { status, headers: {}, body: "", bodySize: 0, durationMs } };
}

const stopped = (stepId: string): CheckOutcome => ({ check: "max_response_time", stepId, status: "failed", signature: "liveness", severity: "high", message: "stopped" });

function result(caseId: string, exchanges: Exchange[], checks: CheckOutcome[], status: CaseResult["status"] = "failed"): CaseResult {
  return { caseId, agent: "a", operationId: "op", status, exchanges, checks, durationMs: 0 };
}

describe("requests in flight when the target stopped", () => {
  it("are the unanswered steps with a stopped-target failure, in send order; each stop's earliest is marked", () => {
    const suspects = stoppedSuspects(
      [
        result("b", [unanswered("s1", "/b", 1_150)], [stopped("s1")]),
        result("a", [answered("s0", "/login", 900), unanswered("s1", "/a/7", 1_000)], [stopped("s1")]),
        // answered slowly and confirmed alone by the executor: not a suspect
        result("slow", [answered("s1", "/slow", 1_050, 200, 4_000)], [stopped("s1")]),
        // another failure without the signature, and a passed liveness check: not suspects
        result("other", [unanswered("s1", "/other", 1_100)], [{ check: "max_response_time", stepId: "s1", status: "failed", signature: "exceeded" }]),
        result("ok", [unanswered("s1", "/ok", 1_120)], [{ ...stopped("s1"), status: "passed" }], "errored"),
        // a second stop, much later
        result("c", [unanswered("s1", "/c", 30_000)], [stopped("s1")]),
        result("d", [unanswered("s1", "/d", 30_500)], [stopped("s1")]),
      ],
      2_000,
    );
    expect(suspects.map((s) => [s.caseId, s.stepId, s.label, s.first])).toEqual([
      ["a", "s1", "GET /a/7", true],
      ["b", "s1", "GET /b", false],
      ["c", "s1", "GET /c", true],
      ["d", "s1", "GET /d", false],
    ]);
  });

  it("a replay that stops the target again, one answered alone, one slow alone while the target answers, one that cannot be judged", () => {
    const blocked = { probeUrl: "http://t/", probeMs: 2_000, blocked: true, probeError: "timeout" };
    expect(replayVerdict(result("a", [unanswered("s1", "/a", 0, blocked)], [stopped("s1")]), "s1")).toEqual({ kind: "stopped", ms: 2_000 });
    expect(replayVerdict(result("a", [answered("s1", "/a", 0, 404, 8.4)], [], "passed"), "s1")).toEqual({ kind: "answered", status: 404, ms: 8 });
    expect(replayVerdict(result("a", [unanswered("s1", "/a", 0, { probeUrl: "http://t/", probeMs: 3, probeStatus: 200, blocked: false })], [], "errored"), "s1")).toEqual({ kind: "slow", probe: "answered 200 in 3 ms" });
    // the probe was answered once the request was given up: the target still answers, the run's
    // criterion for a stop (no answer at all) is not met
    expect(replayVerdict(result("a", [unanswered("s1", "/a", 0, { probeUrl: "http://t/", probeMs: 1_900, probeStatus: 200, blocked: true })], [], "errored"), "s1").kind).toBe("slow");
    expect(replayVerdict(result("a", [{ ...unanswered("s1", "/a", 0), failure: "refused", error: "connection refused" }], [], "errored"), "s1")).toEqual({ kind: "unjudged", why: "the replay got no answer (connection refused), and no probe tells why" });
    expect(replayVerdict(result("a", [unanswered("s1", "/a", 0)], [], "errored"), "s1").kind).toBe("unjudged");
    const stoppedEarlier = { ...result("a", [answered("s0", "/login", 0, 401)], [], "skipped"), reason: "step s0 (precondition) answered 401" };
    expect(replayVerdict(stoppedEarlier, "s1")).toEqual({ kind: "unjudged", why: "the replay stopped before that request (step s0 (precondition) answered 401)" });
  });
});
