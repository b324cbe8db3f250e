import { describe, expect, it } from "vitest";
import { canMove, finalStatus, isTerminal, normalizeLimits } from "./lifecycle";

describe("status machine", () => {
  it("moves forward only, and never out of a terminal status", () => {
    expect(canMove("queued", "planning")).toBe(true);
    expect(canMove("planning", "running")).toBe(true);
    expect(canMove("running", "finalizing")).toBe(true);
    expect(canMove("finalizing", "failed")).toBe(true);
    expect(canMove("running", "planning")).toBe(false);
    expect(canMove("queued", "passed")).toBe(false);
    expect(canMove("running", "cancelled")).toBe(true);
    expect(canMove("cancelled", "errored")).toBe(false);
    expect(canMove("passed", "cancelled")).toBe(false);
    expect(isTerminal("failed")).toBe(true);
    expect(isTerminal("finalizing")).toBe(false);
  });
});

describe("normalizeLimits", () => {
  it("fills defaults", () => {
    expect(normalizeLimits()).toEqual({ maxCases: 5000, timeoutMs: 10_000, concurrency: 6, deadlineMs: 1_800_000, maxBodyBytes: 1_048_576, circuitBreaker: 5 });
  });
  it("clamps into bounds and keeps optional ceilings", () => {
    const limits = normalizeLimits({ concurrency: 50, timeoutMs: 1, rps: 5, maxResponseTimeMs: 300, deadlineMs: 5000, maxCases: 0 });
    expect(limits).toMatchObject({ concurrency: 6, timeoutMs: 100, rps: 5, maxResponseTimeMs: 300, deadlineMs: 5000, maxCases: 1 });
  });
});

describe("finalStatus", () => {
  const counts = { cases: 10, passed: 10, failed: 0, errored: 0, skipped: 0 };
  it("passes a clean run, fails on any finding or failed case", () => {
    expect(finalStatus(counts, 0)).toEqual({ status: "passed" });
    expect(finalStatus(counts, 1).status).toBe("failed");
    expect(finalStatus({ ...counts, passed: 9, failed: 1 }, 0).status).toBe("failed");
  });
  it("errors when nothing could be judged", () => {
    expect(finalStatus({ ...counts, passed: 0, errored: 10 }, 0)).toEqual({ status: "errored", error: "all 10 cases errored" });
    expect(finalStatus({ cases: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }, 0).status).toBe("errored");
    expect(finalStatus({ ...counts, passed: 1, errored: 9 }, 0).status).toBe("passed");
  });
});

describe("capCases", () => {
  it("keeps every operation represented and the original order", async () => {
    const { capCases } = await import("./lifecycle");
    const cases = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, operationId: "a" })),
      ...Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, operationId: "b" })),
      { id: "c0", operationId: "c" },
    ];
    expect(capCases(cases, 5).map((c) => c.id)).toEqual(["a0", "a1", "b0", "b1", "c0"]);
    expect(capCases(cases, 100)).toHaveLength(13);
    expect(capCases(cases, 2).map((c) => c.id)).toEqual(["a0", "b0"]);
  });
});
