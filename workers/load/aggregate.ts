/**
 * Window arithmetic: merging windows (by adding histograms and counts, never by averaging
 * percentiles) into per-region and overall figures, and the per-window series for charts.
 */
import { decodeHistogram, mergeHistograms, newHistogram, percentileMs, summarize, type Histogram } from "./histogram";
import type { MetricSource } from "./thresholds";
import type { ErrorCounts, LoadWindow, RegionFigures, WindowFigures } from "./types";

export interface Totals {
  requests: number;
  errors: ErrorCounts;
  errorCount: number;
  late: number;
  dropped: number;
  /** span of the schedule covered, ms */
  durationMs: number;
  corrected: Histogram;
  uncorrected: Histogram;
}

export function addErrors(into: ErrorCounts, from: ErrorCounts): ErrorCounts {
  for (const [k, v] of Object.entries(from.byStatus)) into.byStatus[k] = (into.byStatus[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.byKind)) into.byKind[k] = (into.byKind[k] ?? 0) + v;
  return into;
}

export const errorTotal = (e: ErrorCounts): number => Object.values(e.byKind).reduce((a, b) => a + b, 0);

export function totals(windows: readonly LoadWindow[]): Totals {
  const errors: ErrorCounts = { byStatus: {}, byKind: {} };
  let requests = 0;
  let late = 0;
  let dropped = 0;
  const spans = new Map<number, number>();
  for (const w of windows) {
    requests += w.requests;
    late += w.late;
    dropped += w.dropped;
    addErrors(errors, w.errors);
    spans.set(w.index, Math.max(spans.get(w.index) ?? 0, w.durationMs));
  }
  return {
    requests,
    errors,
    errorCount: errorTotal(errors),
    late,
    dropped,
    durationMs: [...spans.values()].reduce((a, b) => a + b, 0),
    corrected: windows.length ? mergeHistograms(windows.map((w) => w.hdr)) : newHistogram(),
    uncorrected: windows.length ? mergeHistograms(windows.map((w) => w.hdrUncorrected)) : newHistogram(),
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function figures(region: string, colo: string, t: Totals, rps = t.durationMs > 0 ? t.requests / (t.durationMs / 1000) : 0): RegionFigures {
  const arrivals = t.requests + t.dropped;
  return {
    region,
    colo,
    requests: t.requests,
    errors: t.errors,
    rps: round(rps),
    late: t.late,
    dropped: t.dropped,
    latency: summarize(t.corrected),
    latencyUncorrected: summarize(t.uncorrected),
    generatorLimited: arrivals > 0 && (t.late + t.dropped) / arrivals > 0.01,
  };
}

export function metricSource(f: RegionFigures, t: Totals): MetricSource {
  return { requests: f.requests, errors: t.errorCount, rps: f.rps, latency: f.latency, percentile: (p) => percentileMs(t.corrected, p) };
}

export function windowFigures(w: LoadWindow): WindowFigures {
  const h = decodeHistogram(w.hdr);
  return {
    t: w.startMs / 1000,
    region: w.region,
    requests: w.requests,
    errors: errorTotal(w.errors),
    rps: w.durationMs > 0 ? round(w.requests / (w.durationMs / 1000)) : 0,
    p50: percentileMs(h, 50),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
  };
}

/** Windows of all regions merged per time slot (for overall series: stress, spike). */
export function mergedSeries(windows: readonly LoadWindow[]): { index: number; startMs: number; totals: Totals }[] {
  const byIndex = new Map<number, LoadWindow[]>();
  for (const w of windows) byIndex.set(w.index, [...(byIndex.get(w.index) ?? []), w]);
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([index, ws]) => ({ index, startMs: ws[0].startMs, totals: totals(ws) }));
}
