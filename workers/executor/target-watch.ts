/**
 * Which requests the target stopped on. One watch per run, shared by every case this isolate
 * runs for it (all its queue invocations): when the target last answered, which requests are in
 * flight since when, which got no answer in time.
 *
 * A request that timed out while the target stopped answering everything is a suspect when it
 * was sent while the target still answered (no later than SLACK after its last answer): it was
 * in flight when the target stopped. From outside, the suspects cannot be told apart: on a
 * single-threaded server the first one it took is the culprit, but on a threaded one whose spin
 * holds a global lock (Python's GIL) a request sent earlier can be frozen half-way while a later
 * one spins (seen on VAmPI). So every suspect is named, each saying how many others were in
 * flight with it; requests sent after the target had stopped are not. Requests sent from other
 * isolates are not seen: the honest limit of this view.
 *
 * A target that dies (its process exits: every connection in flight is closed without an answer,
 * then connections are refused) is seen the same way: a request whose connection was closed
 * without an answer is a suspect when it was sent while the target still answered AND before the
 * first connection of this outage closed (a request sent after that went to a target already
 * gone, even over a pooled connection that had not noticed yet).
 */

/** a request sent within this long of the target's last answer was sent while it still answered */
export const IN_FLIGHT_SLACK_MS = 250;
/** an operation's typical answer time is known once this many of its answers were seen */
export const TYPICAL_MIN_SAMPLES = 5;
/** answer times kept per operation (the latest) */
const TYPICAL_WINDOW = 64;

/** How a request got no answer: none in time; its connection closed without one (reset, lost); anything else. */
export type NoAnswer = "timeout" | "dropped" | "other";

export interface Unanswered {
  /** sent while the target still answered: in flight when it stopped */
  suspect: boolean;
  /** other requests sent while it still answered that got (or are still getting) no answer */
  alongside: number;
}

export class TargetWatch {
  private lastAnswerAt?: number;
  private readonly inFlight = new Map<number, number>();
  /** send times of requests that timed out, until a request sent after them is answered */
  private silent: number[] = [];
  private next = 0;
  /** the earliest close without an answer since the target last answered a request sent after it */
  private droppedSince?: number;
  /** answer times per operation ("GET /items/{id}"), the latest TYPICAL_WINDOW */
  private readonly times = new Map<string, number[]>();

  /** a request goes out now: its ticket */
  sent(at = Date.now()): number {
    const ticket = this.next++;
    this.inFlight.set(ticket, at);
    return ticket;
  }

  answered(ticket: number, at = Date.now()): void {
    const sentAt = this.inFlight.get(ticket);
    this.inFlight.delete(ticket);
    this.lastAnswerAt = Math.max(this.lastAnswerAt ?? at, at);
    // the target answered a request sent after them: those timeouts did not stop it
    if (sentAt !== undefined) {
      this.silent = this.silent.filter((t) => t > sentAt);
      if (this.droppedSince !== undefined && sentAt > this.droppedSince) this.droppedSince = undefined;
    }
  }

  /** An answer of `operation` took `ms`: the run's own baseline of that operation's latency. */
  took(operation: string, ms: number): void {
    const list = this.times.get(operation) ?? [];
    list.push(ms);
    if (list.length > TYPICAL_WINDOW) list.shift();
    this.times.set(operation, list);
  }

  /** The median answer time of `operation` in this run so far; undefined below TYPICAL_MIN_SAMPLES answers. */
  typical(operation: string): number | undefined {
    const list = this.times.get(operation);
    if (!list || list.length < TYPICAL_MIN_SAMPLES) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** A connection closed without an answer now (told at once, before any retry of its request). */
  closed(at = Date.now()): void {
    this.droppedSince = Math.min(this.droppedSince ?? at, at);
  }

  /** The request got no answer: `how` (see NoAnswer). */
  unanswered(ticket: number, how: NoAnswer): Unanswered {
    const sentAt = this.inFlight.get(ticket);
    this.inFlight.delete(ticket);
    if (sentAt === undefined || how === "other" || this.lastAnswerAt === undefined) return { suspect: false, alongside: 0 };
    const answering = this.lastAnswerAt + IN_FLIGHT_SLACK_MS;
    // an outage that began with a closed connection: in flight means sent before that close
    const cutoff = this.droppedSince !== undefined ? Math.min(answering, this.droppedSince) : answering;
    const inTime = (t: number) => (how === "dropped" ? t < cutoff : t <= answering);
    const others = [...this.inFlight.values(), ...this.silent].filter(inTime);
    this.silent.push(sentAt);
    return { suspect: inTime(sentAt), alongside: others.length };
  }
}

/** One watch per run in this isolate; the oldest forgotten beyond `max` runs. */
export function watchRegistry(max = 16): (runId: string) => TargetWatch {
  const watches = new Map<string, TargetWatch>();
  return (runId) => {
    let watch = watches.get(runId);
    if (!watch) {
      watch = new TargetWatch();
      watches.set(runId, watch);
      while (watches.size > max) watches.delete(watches.keys().next().value!);
    }
    return watch;
  };
}
