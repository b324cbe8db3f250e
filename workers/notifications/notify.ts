/**
 * Run-finished (and load-finished) notifications: a signed JSON POST to each configured URL, retried with
 * exponential backoff. Pure: the caller persists attempts (D1 `notifications`) and schedules them.
 */
import { signGeneric } from "../shared/signature";

export interface RunFinishedEvent {
  event: "run.finished";
  run: {
    id: string;
    status: string;
    target: string;
    startedAt: string | null;
    finishedAt: string | null;
    stats: unknown;
    links: { self: string; report: string };
  };
  findings: { total: number; bySeverity: Record<string, number> };
}

/**
 * A load test (scheduled latency monitoring, or any load test given notify URLs) that did not
 * pass: a threshold breached, or stopped because the target was in distress.
 */
export interface LoadFinishedEvent {
  event: "load.finished";
  load: {
    id: string;
    status: string;
    target: string;
    profile: string;
    startedAt: string | null;
    finishedAt: string | null;
    abortReason: string | null;
    error: string | null;
    schedule: { id: string; slot: number } | null;
    overall: { requests: number; rps: number; errors: number; p95: number; p99: number } | null;
    thresholds: { expression: string; region?: string; value: number; ok: boolean }[];
    links: { self: string; report: string };
  };
}

export type NotificationEvent = RunFinishedEvent | LoadFinishedEvent;

/** Delays after attempt 1, 2, …: 30 s, 2 min, 10 min, 1 h, 6 h; then the notification is given up. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export function nextAttemptAt(attemptsMade: number, nowMs: number): number | null {
  const delay = RETRY_DELAYS_MS[attemptsMade - 1];
  return delay === undefined ? null : nowMs + delay;
}

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; error: string; retry: boolean };

/**
 * One attempt. 2xx is delivered; 4xx other than 408/429 is final (the receiver refuses it);
 * 5xx, 408, 429 and network errors are retried.
 */
export async function deliverNotification(
  fetcher: typeof fetch,
  url: string,
  event: NotificationEvent,
  secret: string,
  nowMs: number,
  timeoutMs = 10_000,
): Promise<DeliveryOutcome> {
  const body = JSON.stringify(event);
  const headers = { "content-type": "application/json", "user-agent": "Sentinel-Notifier/1", ...(await signGeneric(secret, body, nowMs)) };
  try {
    const res = await fetcher(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, error: `HTTP ${res.status}`, retry };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), retry: true };
  }
}
