/**
 * Which request stopped the target. One watch per run, shared by every case this isolate runs
 * for it (all its queue invocations): when the target last answered, which requests are in
 * flight since when, which got no answer in time.
 *
 * A server that stops answering everything — single-threaded and spinning, or spinning with a
 * global lock held — took its requests in the order they arrived, so the first request it got
 * and never answered is the one it is stuck on; those sent after it only wait behind it. Hence
 * a request that timed out is the culprit when the target was still answering when it was sent
 * (no later than SLACK after its last answer) and no request sent before it is still unanswered.
 * The others still in flight are counted, not named. Requests sent from other isolates are not
 * seen: the honest limit of this view.
 */

/** a request sent within this long of the target's last answer was sent while it still answered */
export const IN_FLIGHT_SLACK_MS = 250;

export interface Unanswered {
  /** the earliest request the target never answered, sent while it still answered others */
  culprit: boolean;
  /** requests sent after it that were still unanswered when it ended */
  behind: number;
}

export class TargetWatch {
  private lastAnswerAt?: number;
  private readonly inFlight = new Map<number, number>();
  /** send times of requests that timed out, until a request sent after them is answered */
  private silent: number[] = [];
  private next = 0;

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
    if (sentAt !== undefined) this.silent = this.silent.filter((t) => t > sentAt);
  }

  /** The request got no answer; `timeout`: none in time (not refused, reset …). */
  unanswered(ticket: number, timeout: boolean): Unanswered {
    const sentAt = this.inFlight.get(ticket);
    this.inFlight.delete(ticket);
    if (sentAt === undefined || !timeout) return { culprit: false, behind: 0 };
    const others = [...this.inFlight.values(), ...this.silent];
    this.silent.push(sentAt);
    const whileAnswering = this.lastAnswerAt !== undefined && sentAt <= this.lastAnswerAt + IN_FLIGHT_SLACK_MS;
    return { culprit: whileAnswering && !others.some((t) => t < sentAt), behind: others.filter((t) => t >= sentAt).length };
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
