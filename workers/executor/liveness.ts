/**
 * Liveness oracle (denial of service). A request still in flight after `stallMs` may be slow on
 * its own, or it may have stopped the whole target (catastrophic regex backtracking, a busy loop
 * on a single-threaded server). Telling them apart: a probe (GET of the base URL, no credentials,
 * any status counts) is sent meanwhile. A live target answers it in milliseconds; a blocked one
 * answers only when the request in flight releases it. That observation is repeated once with
 * nothing else in flight from this isolate (other requests wait at a gate, send-gate.ts), so a request that was
 * merely slowed down by another culprit is not named; there, its probe must also wait CONTROL_FACTOR
 * times as long as a probe sent alone just before (a saturated host slows every answer).
 */
import type { LivenessEvidence } from "../model";
import { now, type SendResult } from "./http-client";
import { alone, enter, enterNow, type Tenure } from "./send-gate";

/** a request in flight this long gets a probe */
export const DEFAULT_STALL_MS = 1500;
/** a probe of a live target answers far faster than this */
const MIN_PROBE_WAIT_MS = 250;
/** the probe's answer counts as "released by the request" within this margin of its end */
const RELEASE_SLACK_MS = 30;
/** the repeat's probe must wait this many times as long as a probe alone takes */
const CONTROL_FACTOR = 4;

export interface ProbeOutcome {
  status?: number;
  error?: string;
}

interface Observation {
  blocked: boolean;
  probeMs: number;
  probeStatus?: number;
  probeError?: string;
  durationMs: number;
}

// ---------- observation ----------

type StallWatch = (stallMs: number, onStall: () => void) => () => void;

/**
 * Calls `onStall` once `stallMs` passed, unless cancelled first. One timer serves the requests in
 * flight of one invocation (armed for the earliest of them), instead of a timer set and cleared per
 * request. Per invocation (its run's signal), never shared across them: workerd drops an
 * invocation's timers when it ends, and another's requests must not wait on those.
 */
function stallWatch(): StallWatch {
  const waiting = new Map<() => void, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = Infinity;
  const arm = () => {
    let first = Infinity;
    for (const due of waiting.values()) first = Math.min(first, due);
    if (first === armedFor) return;
    clearTimeout(timer);
    armedFor = first;
    timer = first === Infinity ? undefined : setTimeout(sweep, Math.max(1, first - Date.now()));
  };
  const sweep = () => {
    timer = undefined;
    armedFor = Infinity;
    const at = Date.now();
    for (const [onStall, due] of waiting) {
      if (due > at) continue;
      waiting.delete(onStall);
      onStall();
    }
    arm();
  };
  return (stallMs, onStall) => {
    const due = Date.now() + stallMs;
    waiting.set(onStall, due);
    if (due < armedFor) arm();
    return () => {
      waiting.delete(onStall);
      if (waiting.size === 0 && timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        armedFor = Infinity;
      }
    };
  };
}

const watches = new WeakMap<AbortSignal, StallWatch>();

/** The invocation's watch (by its run's signal); without a signal, a watch of the request's own. */
function watchFor(signal: AbortSignal | undefined): StallWatch {
  if (!signal) return stallWatch();
  let watch = watches.get(signal);
  if (!watch) watches.set(signal, (watch = stallWatch()));
  return watch;
}

async function observe(send: () => Promise<SendResult>, probe: () => Promise<ProbeOutcome>, stallMs: number, watch: StallWatch): Promise<{ sent: SendResult; observation?: Observation }> {
  const started = now();
  const request = send().then((sent) => ({ sent, end: now() }));
  let cancel = () => {};
  const stalled = await new Promise<boolean>((resolve, reject) => {
    cancel = watch(stallMs, () => resolve(true));
    request.then(() => resolve(false), reject);
  });
  cancel();
  if (!stalled) return { sent: (await request).sent };
  const probeStart = now();
  const probed = probe().then((outcome) => ({ outcome, end: now() }));
  const { sent, end } = await request;
  const { outcome, end: probeEnd } = await probed;
  const probeMs = probeEnd - probeStart;
  // no answer at all, or one that came only when the request in flight let go of the target
  const released = outcome.status === undefined || probeEnd >= end - RELEASE_SLACK_MS;
  const observation: Observation = { blocked: released && probeMs >= MIN_PROBE_WAIT_MS, probeMs: Math.round(probeMs), durationMs: Math.round(end - started) };
  if (outcome.status !== undefined) observation.probeStatus = outcome.status;
  if (outcome.error !== undefined) observation.probeError = outcome.error;
  return { sent, observation };
}

export interface WatchOptions {
  /** a request in flight this long gets a probe (default 1500; 0 = off) */
  stallMs?: number;
  /** how long the send and its probe hold their place in the gate at most (send-gate.ts) */
  tenure: Tenure;
}

/**
 * Sends through the gate; when the request stalls and the probe was blocked, repeats it alone to
 * confirm. Returns the first send's result with the evidence (none when it never stalled).
 */
export async function sendWatched(send: () => Promise<SendResult>, probe: () => Promise<ProbeOutcome>, probeUrl: string, options: WatchOptions): Promise<SendResult & { liveness?: LivenessEvidence }> {
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  if (stallMs <= 0) return send();
  const watch = watchFor(options.tenure.signal);
  const leave = enterNow(options.tenure) ?? (await enter(options.tenure));
  let first: Awaited<ReturnType<typeof observe>>;
  try {
    first = await observe(send, probe, stallMs, watch);
  } finally {
    leave();
  }
  const seen = first.observation;
  if (!seen) return first.sent;
  const liveness: LivenessEvidence = { probeUrl, probeMs: seen.probeMs, blocked: seen.blocked };
  if (seen.probeStatus !== undefined) liveness.probeStatus = seen.probeStatus;
  if (seen.probeError !== undefined) liveness.probeError = seen.probeError;
  // a request that got no answer at all is the circuit breaker's case (an unreachable or hung
  // target): repeating it alone would only serialise every other request behind more timeouts
  if (seen.blocked && first.sent.response !== undefined) {
    // alone, a probe first on its own: on a saturated host it is slow by itself, and a probe
    // "blocked" no longer than a few of those shows the host's load, not a stopped target
    // a probe alone, then the send and its probe: twice a place's tenure at most
    const again = await alone({ ...options.tenure, ms: 2 * options.tenure.ms }, async () => {
      const start = now();
      await probe();
      return { controlMs: now() - start, ...(await observe(send, probe, stallMs, watch)) };
    });
    liveness.repeatMs = again.observation?.durationMs ?? Math.round(again.sent.response?.durationMs ?? 0);
    liveness.controlMs = Math.round(again.controlMs);
    liveness.confirmed = again.observation?.blocked === true && again.observation.probeMs >= CONTROL_FACTOR * again.controlMs;
  }
  return { ...first.sent, liveness };
}
