/**
 * When a load test must stop by itself: the target is in distress (a window whose 5xx + 429 share
 * is above the limit: a load tool must not take a target down by accident), or, with
 * --abort-on-fail, a latency or error threshold has already failed.
 */
import type { Evaluation } from "./report";
import type { Threshold } from "./thresholds";
import type { LoadWindow } from "./types";

export const DEFAULT_DISTRESS_RATIO = 0.5;
/** fewer requests than this in a window say nothing about distress */
const DISTRESS_MIN_REQUESTS = 10;
/** abort-on-fail judges only after this many windows (the first seconds are noisy) */
export const ABORT_EVAL_MIN_WINDOWS = 3;

export function distressReason(window: LoadWindow, ratio: number): string | null {
  if (window.requests < DISTRESS_MIN_REQUESTS) return null;
  let bad = 0;
  for (const [status, n] of Object.entries(window.errors.byStatus)) if (Number(status) >= 500 || Number(status) === 429) bad += n;
  const share = bad / window.requests;
  if (share <= ratio) return null;
  return `target in distress: ${Math.round(share * 100)}% of the requests of window ${window.index} (${window.region}) answered 5xx or 429 (limit ${Math.round(ratio * 100)}%)`;
}

/** Thresholds that can be judged before the end (rates and counts only make sense at the end). */
export function abortable(t: Threshold): boolean {
  return t.metric.kind !== "rps" && t.metric.kind !== "http_reqs";
}

export function thresholdAbortReason(thresholds: readonly Threshold[], evaluation: Evaluation): string | null {
  const failed = evaluation.thresholds.find((r, i) => !r.ok && abortable(thresholds[i]));
  return failed ? `threshold ${failed.expression} failed (value ${failed.value}) with --abort-on-fail` : null;
}
