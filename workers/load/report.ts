/**
 * Builds the load report (the contract of issue 10) from stored windows: per-region figures, the
 * overall figures from the merged histograms, the window series, thresholds, and the stress
 * breaking point or the spike recovery when the profile asks for them.
 */
import { figures, mergedSeries, metricSource, totals, windowFigures, type Totals } from "./aggregate";
import { encodeHistogram, percentileMs } from "./histogram";
import { evaluateThresholds, type MetricSource, type Threshold } from "./thresholds";
import type { LoadProfile, LoadReport, LoadStatus, LoadWindow, RegionFigures } from "./types";

export interface ReportMeta {
  id: string;
  status: LoadStatus;
  profile: LoadProfile;
  target: string;
  operations: string[];
  startedAt: number | null;
  finishedAt: number | null;
  asked: { rate: number; durationMs: number; regions: string[] };
  /** region → colo the generator really ran in */
  colos: Record<string, string>;
  thresholds: Threshold[];
  stress?: { p95Ms: number; errorRate: number };
  /** spike: when the spike starts and ends, ms from the start */
  spike?: { startMs: number; endMs: number };
  abortReason?: string | null;
}

export interface Evaluation {
  regions: RegionFigures[];
  overall: RegionFigures;
  regionTotals: Map<string, Totals>;
  overallTotals: Totals;
  thresholds: ReturnType<typeof evaluateThresholds>;
}

/** Figures and thresholds over the windows so far (also used mid-test for --abort-on-fail). */
export function evaluate(windows: readonly LoadWindow[], regions: readonly string[], colos: Record<string, string>, thresholds: readonly Threshold[]): Evaluation {
  const regionTotals = new Map<string, Totals>();
  const regionFigures: RegionFigures[] = [];
  const sources = new Map<string, MetricSource>();
  for (const region of regions) {
    const t = totals(windows.filter((w) => w.region === region));
    const f = figures(region, colos[region] ?? "", t);
    regionTotals.set(region, t);
    regionFigures.push(f);
    sources.set(region, metricSource(f, t));
  }
  const overallTotals = totals(windows);
  // regions run side by side: the overall rate is the sum of theirs
  const overall = figures("overall", [...new Set(regionFigures.map((r) => r.colo).filter(Boolean))].join(","), overallTotals, regionFigures.reduce((a, r) => a + r.rps, 0));
  return { regions: regionFigures, overall, regionTotals, overallTotals, thresholds: evaluateThresholds(thresholds, metricSource(overall, overallTotals), sources) };
}

export function breakingPoint(windows: readonly LoadWindow[], limits: { p95Ms: number; errorRate: number }): NonNullable<LoadReport["load"]["breakingPoint"]> | null {
  for (const slot of mergedSeries(windows)) {
    const t = slot.totals;
    if (t.requests === 0) continue;
    const p95 = percentileMs(t.corrected, 95);
    const errorRate = t.errorCount / t.requests;
    if (p95 > limits.p95Ms || errorRate > limits.errorRate) {
      return { t: slot.startMs / 1000, rate: Math.round((t.requests / (t.durationMs / 1000)) * 100) / 100, p95, errorRate: Math.round(errorRate * 1e4) / 1e4 };
    }
  }
  return null;
}

/** Time from the spike's end until a window's p95 is back within 1.5× (or +20 ms of) the pre-spike p95. */
export function spikeRecovery(windows: readonly LoadWindow[], spikeStartMs: number, spikeEndMs: number): NonNullable<LoadReport["load"]["recovery"]> | null {
  const series = mergedSeries(windows);
  const before = series.filter((s) => s.startMs < spikeStartMs && s.totals.requests > 0);
  if (!before.length) return null;
  const baselineP95 = percentileMs(totals(windows.filter((w) => w.startMs < spikeStartMs)).corrected, 95);
  const limit = Math.max(baselineP95 * 1.5, baselineP95 + 20);
  const recovered = series.find((s) => s.startMs >= spikeEndMs && s.totals.requests > 0 && percentileMs(s.totals.corrected, 95) <= limit);
  return { baselineP95, recoveryMs: recovered ? recovered.startMs - spikeEndMs : null };
}

export function buildLoadReport(meta: ReportMeta, windows: readonly LoadWindow[]): LoadReport {
  const sorted = [...windows].sort((a, b) => a.index - b.index || a.region.localeCompare(b.region));
  const e = evaluate(sorted, meta.asked.regions, meta.colos, meta.thresholds);
  return {
    load: {
      id: meta.id,
      status: meta.status,
      profile: meta.profile,
      target: meta.target,
      operations: meta.operations,
      startedAt: meta.startedAt ? new Date(meta.startedAt).toISOString() : null,
      finishedAt: meta.finishedAt ? new Date(meta.finishedAt).toISOString() : null,
      asked: { rate: meta.asked.rate, duration: meta.asked.durationMs / 1000, regions: meta.asked.regions },
      regions: e.regions,
      overall: e.overall,
      windows: sorted.map(windowFigures),
      thresholds: e.thresholds,
      histogram: encodeHistogram(e.overallTotals.corrected),
      ...(meta.profile === "stress" && meta.stress ? { breakingPoint: breakingPoint(sorted, meta.stress) } : {}),
      ...(meta.profile === "spike" && meta.spike ? { recovery: spikeRecovery(sorted, meta.spike.startMs, meta.spike.endMs) } : {}),
      abort: meta.abortReason ? { reason: meta.abortReason } : null,
    },
  };
}
