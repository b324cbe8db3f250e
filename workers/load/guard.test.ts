import { describe, expect, it } from "vitest";
import { distressReason, thresholdAbortReason } from "./guard";
import { encodeHistogram, newHistogram, recordMs } from "./histogram";
import { evaluate } from "./report";
import { parseThreshold } from "./thresholds";
import type { LoadWindow } from "./types";

function window(requests: number, byStatus: Record<string, number>, ms = 10): LoadWindow {
  const h = newHistogram();
  for (let i = 0; i < requests; i++) recordMs(h, ms);
  const http = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { region: "weur", colo: "local", index: 4, startMs: 4000, durationMs: 1000, requests, errors: { byStatus, byKind: http ? { http } : {} }, late: 0, dropped: 0, hdr: encodeHistogram(h), hdrUncorrected: encodeHistogram(h) };
}

describe("guards", () => {
  it("a window with too many 5xx or 429 is distress; 4xx other than 429 is not", () => {
    expect(distressReason(window(100, { 503: 40, 429: 20 }), 0.5)).toContain("60% of the requests of window 4 (weur)");
    expect(distressReason(window(100, { 404: 90 }), 0.5)).toBeNull();
    expect(distressReason(window(100, { 500: 50 }), 0.5)).toBeNull();
    expect(distressReason(window(5, { 500: 5 }), 0.5)).toBeNull();
  });

  it("abort-on-fail judges latency and error thresholds, not rates", () => {
    const ws = [window(100, {}, 400)];
    const thresholds = [parseThreshold("rps>1000"), parseThreshold("p(95)<300")];
    const e = evaluate(ws, ["weur"], { weur: "local" }, thresholds);
    expect(thresholdAbortReason(thresholds, e)).toMatch(/^threshold p\(95\)<300 failed/);
    expect(thresholdAbortReason([thresholds[0]], evaluate(ws, ["weur"], { weur: "local" }, [thresholds[0]]))).toBeNull();
  });
});
