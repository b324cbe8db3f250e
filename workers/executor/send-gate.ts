/**
 * The gate that lets a confirmation run alone (liveness.ts, run-case.ts): sends pass through it
 * (`enter`), and `alone` waits until none of them is in flight, holding new ones back meanwhile.
 *
 * It is shared by the whole isolate, so it must never wait on another invocation: workerd drops
 * an invocation's pending I/O and timers when the invocation ends (a run cancelled or past its
 * deadline abandons its requests in flight; a reload kills them), and a send that entered then
 * never leaves. So every place in the gate has a tenure: it ends when its work's own bound has
 * passed or when its run stops (the signal), whichever comes first; and every wait runs on the
 * waiter's own timer, woken early when a place is given up.
 */

export interface Tenure {
  /** the longest the work holding the place can take (its timeouts, retries, probes) */
  ms: number;
  /** the run being over for this executor: its places are void at once */
  signal?: AbortSignal;
}

interface Place {
  until: number;
  signal?: AbortSignal;
}

const inFlight = new Set<Place>();
let holder: Place | undefined;
const wakers = new Set<() => void>();

const held = (place: Place, now: number) => now < place.until && !place.signal?.aborted;

function wakeAll(): void {
  if (wakers.size > 0) for (const wake of [...wakers]) wake();
}

/** Signals whose abort wakes every waiter: listened to once each (a run's places share one). */
const watched = new WeakSet<AbortSignal>();

/** Until woken (a place was given up) or `ms` passed, on the caller's own timer. */
async function nap(ms: number): Promise<void> {
  let wake = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve) => {
      wake = resolve;
      wakers.add(wake);
      timer = setTimeout(resolve, Math.max(1, ms));
    });
  } finally {
    wakers.delete(wake);
    clearTimeout(timer);
  }
}

function place(tenure: Tenure, until: number): Place {
  const taken: Place = { until, signal: tenure.signal };
  if (tenure.signal && !watched.has(tenure.signal)) {
    watched.add(tenure.signal);
    tenure.signal.addEventListener("abort", wakeAll, { once: true });
  }
  return taken;
}

/** The confirmation running alone now, if its tenure still holds. */
function currentHolder(now: number): Place | undefined {
  if (holder && !held(holder, now)) holder = undefined;
  return holder;
}

/** Takes a place for a send once no confirmation runs alone; the returned function gives it up. */
export async function enter(tenure: Tenure): Promise<() => void> {
  for (let h = currentHolder(Date.now()); h; h = currentHolder(Date.now())) await nap(h.until - Date.now());
  // checked and taken in one synchronous step: nothing can slip in between
  return takePlace(tenure);
}

/** enter without a promise, as for nearly every send: the place when no confirmation runs alone, else undefined. */
export function enterNow(tenure: Tenure): (() => void) | undefined {
  return currentHolder(Date.now()) ? undefined : takePlace(tenure);
}

function takePlace(tenure: Tenure): () => void {
  const taken = place(tenure, Date.now() + tenure.ms);
  inFlight.add(taken);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    inFlight.delete(taken);
    wakeAll(); // a place given up: waiters look again
  };
}

/** The end of the latest place still held in the gate (0: none), forgetting the places whose tenure is over. */
function lastInFlight(now: number): number {
  let last = 0;
  for (const taken of inFlight) {
    if (held(taken, now)) last = Math.max(last, taken.until);
    else inFlight.delete(taken);
  }
  return last;
}

/** Runs `task` once nothing else of this isolate is in flight; new sends wait until it is done (or its tenure is over). */
export async function alone<T>(tenure: Tenure, task: () => Promise<T>): Promise<T> {
  for (let h = currentHolder(Date.now()); h; h = currentHolder(Date.now())) await nap(h.until - Date.now());
  const mine = place(tenure, Date.now() + tenure.ms);
  holder = mine;
  try {
    for (let last = lastInFlight(Date.now()); last > 0 && held(mine, Date.now()); last = lastInFlight(Date.now())) {
      // the hold lasts through the drain: the task's own tenure starts once it runs
      mine.until = last + tenure.ms;
      await nap(last - Date.now());
    }
    mine.until = Date.now() + tenure.ms;
    return await task();
  } finally {
    if (holder === mine) holder = undefined;
    wakeAll(); // a place given up: waiters look again
  }
}
