/**
 * The open-model load loop of one generator, pure: requests are due at the schedule's times
 * whatever the target does; at most maxInFlight are outstanding; an arrival that cannot start on
 * time (no free slot, or the loop behind) is late (counted beyond lateToleranceMs) and its latency
 * counts from its intended time (wrk2's
 * coordinated-omission correction; the uncorrected figure from the actual send time is kept
 * beside it); one later than dropAfterMs is dropped (counted, never sent), as k6 drops iterations.
 * Time is cut in windows; a window is handed to onWindow (to be stored) once all of its arrivals
 * are resolved, in order. Bodies are always read to the end or cancelled.
 */
import { encodeWindowHistogram, newHistogram, recordMs, type Histogram } from "./histogram";
import { ArrivalPlan } from "./schedule";
import type { ErrorCounts, LoadRequest, LoadWindow } from "./types";

export type { LoadRequest } from "./types";

export interface EngineConfig {
  plan: ArrivalPlan;
  /** requests cycled in order: arrival i sends requests[i % n] */
  requests: LoadRequest[];
  maxInFlight: number;
  windowMs: number;
  timeoutMs: number;
  /** started later than this after the intended time counts as late */
  lateToleranceMs: number;
  /** later than this: dropped */
  dropAfterMs: number;
  region: string;
  colo: string;
}

export interface EngineDeps {
  fetch: (request: Request) => Promise<Response>;
  /** ms, epoch-aligned, fractions allowed */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const ENGINE_DEFAULTS = { windowMs: 1000, timeoutMs: 10_000, lateToleranceMs: 10, dropAfterMs: 5000, maxInFlight: 6 } as const;

interface Acc {
  requests: number;
  errors: ErrorCounts;
  late: number;
  dropped: number;
  corrected: Histogram;
  uncorrected: Histogram;
  outstanding: number;
}

export interface SliceResult {
  /** the next window to run (== toWindow unless stopped early) */
  nextWindow: number;
  stopped: boolean;
  finished: boolean;
}

/**
 * Runs windows [fromWindow, toWindow) of a test whose t = 0 is startEpochMs. Returns when every
 * arrival of those windows is resolved and every window has been handed to onWindow.
 */
export async function runWindows(
  config: EngineConfig,
  deps: EngineDeps,
  startEpochMs: number,
  fromWindow: number,
  toWindow: number,
  onWindow: (window: LoadWindow) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<SliceResult> {
  const { plan, windowMs } = config;
  const lastWindow = Math.ceil(plan.durationMs / windowMs);
  const to = Math.min(toWindow, lastWindow);
  const accs = new Map<number, Acc>();
  // a window's histograms are reset and reused once it is encoded: a long test allocates a few, not two a second
  const spare: Histogram[] = [];
  const histogram = () => spare.pop() ?? newHistogram();
  const acc = (w: number): Acc => {
    let a = accs.get(w);
    if (!a) {
      a = { requests: 0, errors: { byStatus: {}, byKind: {} }, late: 0, dropped: 0, corrected: histogram(), uncorrected: histogram(), outstanding: 0 };
      accs.set(w, a);
    }
    return a;
  };
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  let launchedUpTo = fromWindow; // windows below this have had all their arrivals launched
  let nextToEmit = fromWindow;
  let storing: Promise<void> = Promise.resolve();
  let storeError: unknown;

  const emitReady = () => {
    while (nextToEmit < launchedUpTo && (accs.get(nextToEmit)?.outstanding ?? 0) === 0) {
      const w = nextToEmit++;
      const a = acc(w);
      accs.delete(w);
      const startMs = w * windowMs;
      const window: LoadWindow = {
        region: config.region,
        colo: config.colo,
        index: w,
        startMs,
        durationMs: Math.min(windowMs, plan.durationMs - startMs),
        requests: a.requests,
        errors: a.errors,
        late: a.late,
        dropped: a.dropped,
        hdr: encodeWindowHistogram(a.corrected),
        hdrUncorrected: encodeWindowHistogram(a.uncorrected),
      };
      for (const h of [a.corrected, a.uncorrected]) {
        h.reset();
        spare.push(h);
      }
      storing = storing.then(() => onWindow(window)).catch((error) => {
        storeError ??= error;
      });
    }
  };

  const send = async (request: LoadRequest, intended: number | undefined, w: number) => {
    const a = acc(w);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutMs);
    const sentAt = deps.now();
    try {
      const response = await deps.fetch(
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          redirect: "manual",
          signal: controller.signal,
        }),
      );
      await drain(response);
      const done = deps.now();
      a.requests++;
      recordMs(a.corrected, done - (intended ?? sentAt));
      recordMs(a.uncorrected, done - sentAt);
      if (response.status >= 400) {
        a.errors.byStatus[response.status] = (a.errors.byStatus[response.status] ?? 0) + 1;
        a.errors.byKind.http = (a.errors.byKind.http ?? 0) + 1;
      }
    } catch {
      a.requests++;
      const kind = controller.signal.aborted ? "timeout" : "network";
      a.errors.byKind[kind] = (a.errors.byKind[kind] ?? 0) + 1;
    } finally {
      clearTimeout(timer);
      a.outstanding--;
      inFlight--;
      slotFreed?.();
      emitReady();
    }
  };

  let stopped = false;
  let i = plan.firstAtOrAfter(fromWindow * windowMs);
  const end = Math.min(plan.total, plan.firstAtOrAfter(to * windowMs));
  while (i < end) {
    if (shouldStop()) {
      stopped = true;
      break;
    }
    const offset = plan.timeOf(i)!;
    const w = Math.floor(offset / windowMs);
    while (launchedUpTo < w) {
      launchedUpTo++;
      emitReady();
    }
    const intended = startEpochMs + offset;
    const wait = intended - deps.now();
    // on schedule: we slept until it was due. A timer that wakes a little late is jitter of the
    // generator, not a backlog; a request that had to wait for a slot or for earlier ones is behind
    // schedule, and its latency counts from its intended time (wrk2).
    let onSchedule = wait > 1;
    if (onSchedule) await deps.sleep(wait);
    while (inFlight >= config.maxInFlight) {
      onSchedule = false;
      await new Promise<void>((resolve) => (slotFreed = resolve));
      slotFreed = undefined;
    }
    const lateness = deps.now() - intended;
    const a = acc(w);
    i++;
    if (lateness > config.dropAfterMs) {
      a.dropped++;
      continue;
    }
    if (lateness > config.lateToleranceMs) a.late++;
    a.outstanding++;
    inFlight++;
    void send(config.requests[(i - 1) % config.requests.length], onSchedule ? undefined : intended, w);
  }
  while (inFlight > 0) {
    await new Promise<void>((resolve) => (slotFreed = resolve));
    slotFreed = undefined;
  }
  // a stopped slice ends with the window it was in; the rest is not run
  launchedUpTo = stopped ? Math.min(to, Math.floor((plan.timeOf(Math.max(0, i - 1)) ?? 0) / windowMs) + 1) : to;
  emitReady();
  await storing;
  if (storeError) throw storeError;
  const next = stopped ? launchedUpTo : to;
  return { nextWindow: next, stopped, finished: stopped || next >= lastWindow };
}

/** Reads a body to its end without keeping it (or cancels it), so connections are released. */
async function drain(response: Response): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
}
