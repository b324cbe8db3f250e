import { describe, expect, it } from "vitest";
import { evaluateThresholds, parseThreshold, ThresholdError, type MetricSource } from "./thresholds";

function source(p: Record<number, number>, requests = 100, errors = 0, rps = 50): MetricSource {
  return { requests, errors, rps, latency: { mean: 12, min: 1, max: 900, p50: p[50] ?? 10 }, percentile: (x) => p[x] ?? 0 };
}

function errorOf(expression: string): ThresholdError {
  try {
    parseThreshold(expression);
  } catch (error) {
    if (error instanceof ThresholdError) return error;
    throw error;
  }
  throw new Error(`${expression} parsed`);
}

describe("threshold grammar", () => {
  it("reads k6-style expressions", () => {
    expect(parseThreshold("p(95)<300")).toMatchObject({ metric: { kind: "percentile", percentile: 95 }, op: "<", value: 300 });
    expect(parseThreshold("http_req_failed<0.01")).toMatchObject({ metric: { kind: "http_req_failed" }, op: "<", value: 0.01 });
    expect(parseThreshold("weur:p(99)<500")).toMatchObject({ region: "weur", metric: { percentile: 99 }, value: 500 });
    expect(parseThreshold(" p(99.9) <= 1.5s ")).toMatchObject({ metric: { percentile: 99.9 }, op: "<=", value: 1500 });
    expect(parseThreshold("avg<200ms")).toMatchObject({ metric: { kind: "avg" }, value: 200 });
    expect(parseThreshold("rps>=45")).toMatchObject({ metric: { kind: "rps" }, op: ">=", value: 45 });
  });

  it("says where a malformed expression goes wrong", () => {
    expect(errorOf("p(95<300")).toMatchObject({ position: 5, reason: 'expected ")"' });
    expect(errorOf("p(95)300")).toMatchObject({ position: 6 });
    expect(errorOf("p95<300").position).toBe(1);
    expect(errorOf("p(95)<").position).toBe(7);
    expect(errorOf("p(95)<300x")).toMatchObject({ position: 10 });
    expect(errorOf("mars:p(95)<1").reason).toContain("unknown region");
    expect(errorOf("p(0)<1").position).toBe(3);
    expect(errorOf("p(95)<300x").message).toBe('threshold "p(95)<300x": unexpected "x" at position 10');
  });

  it("evaluates per region and overall", () => {
    const results = evaluateThresholds(
      [parseThreshold("p(95)<300"), parseThreshold("weur:p(95)<300"), parseThreshold("http_req_failed<0.01"), parseThreshold("apac:p(95)<1")],
      source({ 95: 250 }, 200, 4),
      new Map([["weur", source({ 95: 320 })]]),
    );
    expect(results).toEqual([
      { expression: "p(95)<300", value: 250, ok: true },
      { expression: "weur:p(95)<300", region: "weur", value: 320, ok: false },
      { expression: "http_req_failed<0.01", value: 0.02, ok: false },
      { expression: "apac:p(95)<1", region: "apac", value: 0, ok: false },
    ]);
  });
});
