import { describe, expect, it } from "vitest";
import type { CaseResult, CheckOutcome, Exchange } from "../model";
import { blame, replayVerdict, stoppedSuspects, type Replay, type Suspect } from "./stopped-target";

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
    expect(suspects.map((s) => [s.caseId, s.stepId, s.label, s.first, s.stop])).toEqual([
      ["a", "s1", "GET /a/7", true, 0],
      ["b", "s1", "GET /b", false, 0],
      ["c", "s1", "GET /c", true, 1],
      ["d", "s1", "GET /d", false, 1],
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
    // cut off without an answer, and the target answered nothing after: it took the target down again
    const cut = { ...unanswered("s1", "/a", 0), failure: "lost" as const, error: "network error: Network connection lost." };
    expect(replayVerdict(result("a", [cut], [], "errored"), "s1", true)).toEqual({ kind: "died", failure: "network error: Network connection lost." });
    expect(replayVerdict(result("a", [cut], [], "errored"), "s1", false).kind).toBe("unjudged");
    const stoppedEarlier = { ...result("a", [answered("s0", "/login", 0, 401)], [], "skipped"), reason: "step s0 (precondition) answered 401" };
    expect(replayVerdict(stoppedEarlier, "s1")).toEqual({ kind: "unjudged", why: "the replay stopped before that request (step s0 (precondition) answered 401)" });
  });
});

describe("one stop, one finding", () => {
  const suspect = (caseId: string, stop: number, first = false): Suspect => ({ caseId, stepId: "s1", sentAt: 0, label: `GET /${caseId}`, first, stop });
  const unjudged: Replay = { kind: "unjudged", why: "the target did not answer again within 10 s" };

  it("a stop nobody could be replayed for stands on its earliest suspect; the others are only named in its finding", () => {
    const judged = [
      { suspect: suspect("a", 0, true), replay: unjudged },
      { suspect: suspect("b", 0), replay: unjudged },
      { suspect: suspect("c", 0), replay: unjudged },
      { suspect: suspect("d", 1, true), replay: unjudged },
    ];
    const { kept, namedBy } = blame(judged);
    expect([...kept]).toEqual([0, 3]);
    expect([...namedBy]).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it("a proved culprit stands and names the unjudged rest of its stop; cleared ones are neither", () => {
    const judged = [
      { suspect: suspect("a", 0, true), replay: { kind: "answered", status: 200, ms: 3 } as Replay },
      { suspect: suspect("b", 0), replay: { kind: "died", failure: "lost" } as Replay },
      { suspect: suspect("c", 0), replay: unjudged },
    ];
    const { kept, namedBy } = blame(judged);
    expect([...kept]).toEqual([1]);
    expect([...namedBy]).toEqual([[2, 1]]);
    // the earliest cleared: the earliest unjudged stands
    const { kept: k2 } = blame([judged[0], { ...judged[2] }]);
    expect([...k2]).toEqual([1]);
  });
});
