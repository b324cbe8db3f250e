/**
 * HDR histograms of latency, one fixed configuration fleet-wide so that any two histograms (two
 * windows, two regions) merge by adding counts. Values are recorded in microseconds and reported
 * in milliseconds. Imports the pure-JS classes of hdr-histogram-js directly: the package root also
 * loads its WebAssembly build, and Workers forbid compiling wasm at run time.
 */
import * as byteBufferModule from "hdr-histogram-js/dist/ByteBuffer";
import * as int32Module from "hdr-histogram-js/dist/Int32Histogram";
import type { JsHistogram } from "hdr-histogram-js/dist/JsHistogram";
// this module also installs encodeIntoCompressedBase64 on JsHistogram.prototype
import { decompress, doDecode } from "hdr-histogram-js/dist/JsHistogram.encoding";
import * as zigZagModule from "hdr-histogram-js/dist/ZigZagEncoding";
import { base64ToBytes, bytesToBase64 } from "../shared/encoding";

export type Histogram = JsHistogram;

// CommonJS interop differs between bundlers: Vite hands over exports.default, esbuild in Node mode
// (package type "module") hands over module.exports itself, whose .default is the export.
function cjsDefault<T>(module: unknown): T {
  const interop = module as { default: T | { default: T } };
  return typeof interop.default === "object" && interop.default !== null && "default" in interop.default ? interop.default.default : (interop.default as T);
}

type Int32HistogramClass = new (lowest: number, highest: number, digits: number) => JsHistogram;
const Int32Histogram = cjsDefault<Int32HistogramClass>(int32Module);

interface ByteBuffer {
  position: number;
  data: Uint8Array;
  putInt32(value: number): void;
  putInt64(value: number): void;
}
const ByteBufferClass = cjsDefault<{ allocate(size?: number): ByteBuffer }>(byteBufferModule);
const ZigZag = cjsDefault<{ encode(buffer: ByteBuffer, value: number): void }>(zigZagModule);

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

/** V2 (uncompressed) cookie with the TLZE bit; the compressed one is V2_COOKIE + 1. */
const V2_COOKIE = 0x1c849313;
/** one growing scratch buffer: encoding a window allocates only its base64 text */
let scratch: ByteBuffer | undefined;

/**
 * The plain V2 encoding (ZigZag LEB128 counts, runs of zeros folded), base64: what the compressed
 * form deflates. Used for the windows a generator stores every second: the pure-JS deflate (pako,
 * the only one in workerd) allocates a few hundred KB per call, which a long test at one window a
 * second turns into steady memory growth; a window's plain encoding is a few hundred bytes anyway.
 * decodeHistogram reads both forms.
 */
export function encodeWindowHistogram(h: Histogram): string {
  const buffer = (scratch ??= ByteBufferClass.allocate(1024));
  buffer.position = 0;
  buffer.putInt32(V2_COOKIE);
  buffer.putInt32(0); // payload length, filled in below
  buffer.putInt32(1); // normalizingIndexOffset
  buffer.putInt32(h.numberOfSignificantValueDigits);
  buffer.putInt64(h.lowestDiscernibleValue);
  buffer.putInt64(h.highestTrackableValue);
  buffer.putInt64(1); // integerToDoubleValueConversionRatio, as hdr-histogram-js writes it
  const payloadStart = buffer.position;
  const limit = h.totalCount === 0 ? 0 : h.countsArrayIndex(h.maxValue) + 1;
  for (let i = 0; i < limit; ) {
    const count = h.getCountAtIndex(i++);
    if (count !== 0) {
      ZigZag.encode(buffer, count);
      continue;
    }
    let zeros = 1;
    while (i < limit && h.getCountAtIndex(i) === 0) {
      zeros++;
      i++;
    }
    ZigZag.encode(buffer, zeros > 1 ? -zeros : 0);
  }
  const end = buffer.position;
  buffer.position = 4;
  buffer.putInt32(end - payloadStart);
  buffer.position = end;
  return bytesToBase64(buffer.data.subarray(0, end));
}

export function decodeHistogram(encoded: string): Histogram {
  const bytes = base64ToBytes(encoded);
  const cookie = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const histogram = doDecode(cookie === V2_COOKIE ? bytes : decompress(bytes), 32, HDR_CONFIG.highestUs) as Histogram;
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
