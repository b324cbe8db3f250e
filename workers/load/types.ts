/** Shapes shared by the load engine, the generators, storage and the report (no logic here). */
import type { LatencySummary } from "./histogram";
import type { Schedule } from "./schedule";
import type { ThresholdResult } from "./thresholds";

/** Failed requests by HTTP status (4xx/5xx) and by kind: `http`, `timeout`, `network`. */
export interface ErrorCounts {
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
}

/** One generator's figures for one time window; histograms are HDR compressed base64. */
export interface LoadWindow {
  region: string;
  colo: string;
  /** window number from the test's start */
  index: number;
  /** window start, ms from the test's start */
  startMs: number;
  durationMs: number;
  requests: number;
  errors: ErrorCounts;
  /** requests sent later than their intended time (max-in-flight reached or the generator behind) */
  late: number;
  /** arrivals never sent because they were too late (k6's dropped_iterations) */
  dropped: number;
  /** latency from each request's intended send time (coordinated-omission corrected) */
  hdr: string;
  /** latency from the actual send time (what a closed-loop tool would report) */
  hdrUncorrected: string;
}

export interface RegionFigures {
  region: string;
  colo: string;
  requests: number;
  errors: ErrorCounts;
  rps: number;
  late: number;
  dropped: number;
  latency: LatencySummary;
  latencyUncorrected: LatencySummary;
  /** the generator could not keep the asked rate (late or dropped arrivals beyond 1%) */
  generatorLimited: boolean;
}

export interface WindowFigures {
  /** seconds from the test's start */
  t: number;
  region: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export type LoadProfile = "load" | "stress" | "spike" | "soak";

/** What a load test asks for besides spec and target: POST /load-tests and a load schedule's template. */
export interface LoadTestOptions {
  operations?: string[];
  profile?: LoadProfile;
  rate?: number;
  /** seconds */
  duration?: number;
  ramp?: number;
  /** "weur", or "weur:70" for a weighted share of the rate */
  regions?: string[];
  maxInFlight?: number;
  thresholds?: string[];
  abortOnFail?: boolean;
  allowWrites?: boolean;
  timeoutMs?: number;
  distressRatio?: number;
  seed?: number;
  stress?: { p95Ms?: number; errorRate?: number };
}
export type LoadStatus = "queued" | "running" | "passed" | "failed" | "aborted" | "errored";

export interface LoadReport {
  load: {
    id: string;
    status: LoadStatus;
    profile: LoadProfile;
    target: string;
    operations: string[];
    startedAt: string | null;
    finishedAt: string | null;
    asked: { rate: number; duration: number; regions: string[] };
    regions: RegionFigures[];
    overall: RegionFigures;
    windows: WindowFigures[];
    thresholds: ThresholdResult[];
    /** HDR compressed base64 of the overall corrected latency (microseconds) */
    histogram: string;
    /** stress: the first window where p95 or the error rate crossed the limit */
    breakingPoint?: { t: number; rate: number; p95: number; errorRate: number } | null;
    /** spike: ms after the spike until p95 came back near the baseline (null: it did not) */
    recovery?: { baselineP95: number; recoveryMs: number | null } | null;
    abort?: { reason: string } | null;
  };
}

/** One request a generator cycles through (credentials already placed). */
export interface LoadRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What starting a load test (workers/runs/load-tests.ts) hands each LoadGenerator Durable Object. `requests` carry credentials: stored encrypted. */
export interface GeneratorInit {
  testId: string;
  region: string;
  /** every region of the test (for thresholds judged mid-test) */
  regions: string[];
  schedule: Schedule;
  requests: LoadRequest[];
  maxInFlight: number;
  timeoutMs: number;
  startAt: number;
  thresholds: string[];
  abortOnFail: boolean;
  distressRatio: number;
}
