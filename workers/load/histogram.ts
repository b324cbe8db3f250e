/**
 * HDR histograms of latency, one fixed configuration fleet-wide so that any two histograms (two
 * windows, two regions) merge by adding counts. Values are recorded in microseconds and reported
 * in milliseconds. Imports the pure-JS classes of hdr-histogram-js directly: the package root also
 * loads its WebAssembly build, and Workers forbid compiling wasm at run time.
 */
import * as int32Module from "hdr-histogram-js/dist/Int32Histogram";
import type { JsHistogram } from "hdr-histogram-js/dist/JsHistogram";
// this module also installs encodeIntoCompressedBase64 on JsHistogram.prototype
import { decompress, doDecode } from "hdr-histogram-js/dist/JsHistogram.encoding";
import { base64ToBytes } from "../shared/encoding";

export type Histogram = JsHistogram;

type Int32HistogramClass = new (lowest: number, highest: number, digits: number) => JsHistogram;
// CommonJS interop differs between bundlers: Vite hands over exports.default, esbuild in Node mode
// (package type "module") hands over module.exports itself, whose .default is the class.
const interop = int32Module as unknown as { default: Int32HistogramClass | { default: Int32HistogramClass } };
const Int32Histogram: Int32HistogramClass = "default" in interop.default ? interop.default.default : interop.default;

/** 1 µs … 120 s at 3 significant digits: 0.1% resolution; slower samples are clamped to the top. */
export const HDR_CONFIG = { lowestUs: 1, highestUs: 120_000_000, significantDigits: 3 } as const;

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function newHistogram(): Histogram {
  return new Int32Histogram(HDR_CONFIG.lowestUs, HDR_CONFIG.highestUs, HDR_CONFIG.significantDigits);
}

/** Records one latency given in milliseconds (fractions kept to the microsecond). */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(Math.max(0, ms) * 1000);
  h.recordValue(Math.min(HDR_CONFIG.highestUs, Math.max(HDR_CONFIG.lowestUs, us)));
}

/** Compressed V2 HDR encoding in base64: readable by every HdrHistogram implementation. */
export function encodeHistogram(h: Histogram): string {
  return (h as Histogram & { encodeIntoCompressedBase64(level?: number): string }).encodeIntoCompressedBase64();
}

export function decodeHistogram(encoded: string): Histogram {
  const histogram = doDecode(decompress(base64ToBytes(encoded)), 32, HDR_CONFIG.highestUs) as Histogram;
  if (histogram.lowestDiscernibleValue !== HDR_CONFIG.lowestUs || histogram.numberOfSignificantValueDigits !== HDR_CONFIG.significantDigits) {
    throw new Error("histogram has a different configuration than Sentinel's");
  }
  return histogram;
}

/** Merging is adding counts: percentiles of the sum are exact over the union of samples. */
export function mergeHistograms(parts: Iterable<Histogram | string>): Histogram {
  const total = newHistogram();
  for (const part of parts) total.add(typeof part === "string" ? decodeHistogram(part) : part);
  return total;
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  // bucket bounds, not raw extremes: a decoded or merged histogram only knows buckets
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    min: ms(h.lowestEquivalentValue(h.minNonZeroValue)),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.highestEquivalentValue(h.maxValue)),
  };
}

/** Value at an arbitrary percentile (thresholds accept any p(N)), in milliseconds. */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : ms(h.getValueAtPercentile(percentile));
}
