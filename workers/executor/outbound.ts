/**
 * Outbound traffic discipline for one executor invocation: at most N requests in flight (Workers
 * allow 6 simultaneous connections), an optional requests-per-second ceiling, and a guard that
 * lets requests go only to the run's target origin. Pure: works on any fetch function.
 */

/** Workers' limit of simultaneous outbound connections per invocation. */
export const DEFAULT_CONCURRENCY = 6;

export class Semaphore {
  private available: number;
  private readonly waiters: (() => void)[] = [];
  constructor(readonly size: number) {
    this.available = Math.max(1, Math.floor(size));
  }
  async acquire(): Promise<() => void> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.available++;
    };
  }
}

/**
 * Spaces request starts so that no more than `rps` start per second (a leaky bucket without
 * bursts: the simplest way to be a polite client).
 */
export function createThrottle(
  rps: number | undefined,
  clock: { now(): number; sleep(ms: number): Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): () => Promise<void> {
  if (!rps || !Number.isFinite(rps) || rps <= 0) return async () => {};
  const interval = 1000 / rps;
  let nextSlot = 0;
  return async () => {
    const now = clock.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await clock.sleep(slot - now);
  };
}

export class TargetPolicyError extends Error {
  override name = "TargetPolicyError";
}

export interface OutboundOptions {
  /** requests must stay on this origin (scheme, host and port of the run's base URL) */
  allowedOrigin: string;
  semaphore: Semaphore;
  throttle?: () => Promise<void>;
  /** give the slot back after this long even if the caller abandons the body without cancelling it */
  maxHoldMs?: number;
}

type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** The connection slot each response of a disciplined fetch holds until its body is finished. */
const heldSlots = new WeakMap<Response, () => void>();

/**
 * The reader of a response from `disciplinedFetch` calls this once the body is read to the end,
 * cut or cancelled: that frees its connection slot. (A native body read directly is several times
 * cheaper in workerd than one wrapped in a JavaScript ReadableStream that could notice the end.)
 */
export function bodyFinished(response: Response): void {
  heldSlots.get(response)?.();
}

/**
 * Wrap fetch: refuse other origins, wait for a connection slot and the throttle. The slot is held
 * until the reader reports the body finished (`bodyFinished`), because an unread body keeps its
 * connection open; `maxHoldMs` frees it anyway if a reader never does.
 */
export function disciplinedFetch(base: FetchLike, opts: OutboundOptions): FetchLike {
  const backstop = opts.maxHoldMs ? holdBackstop(opts.maxHoldMs) : undefined;
  const originSlash = `${opts.allowedOrigin}/`;
  return async (input, init) => {
    const href = input instanceof Request ? input.url : String(input);
    // a URL that starts with the origin and a "/" has that origin (the authority ends there); any other is parsed
    if (!href.startsWith(originSlash)) {
      const url = new URL(href);
      if (url.origin !== opts.allowedOrigin) throw new TargetPolicyError(`request to ${url.origin} refused: the run may only send to ${opts.allowedOrigin}`);
    }
    const releaseSlot = await opts.semaphore.acquire();
    backstop?.hold(releaseSlot);
    const release = () => {
      backstop?.done(releaseSlot);
      releaseSlot();
    };
    try {
      if (opts.throttle) await opts.throttle();
      const response = await base(input, init);
      if (!response.body) release();
      else heldSlots.set(response, release);
      return response;
    } catch (error) {
      release();
      throw error;
    }
  };
}

/**
 * Frees slots held longer than `maxHoldMs`, with one timer for all of them instead of a timer set
 * and cleared per request: every slot is held for the same time, so the oldest expires first.
 */
function holdBackstop(maxHoldMs: number): { hold(release: () => void): void; done(release: () => void): void } {
  // release → deadline, in the order the slots were taken (so deadlines ascend)
  const held = new Map<() => void, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const first = held.values().next();
    timer = first.done ? undefined : setTimeout(sweep, Math.max(1, first.value - Date.now()));
  };
  const sweep = () => {
    const now = Date.now();
    for (const [release, deadline] of held) {
      if (deadline > now) break;
      held.delete(release);
      release();
    }
    arm();
  };
  return {
    hold(release) {
      held.set(release, Date.now() + maxHoldMs);
      if (!timer) arm();
    },
    done(release) {
      held.delete(release);
      if (held.size === 0 && timer) {
        clearTimeout(timer);
        timer = undefined;
      }
    },
  };
}

/** Run `fn` over items with at most `limit` running at once; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Bind fetch to `signal` (the run being over): once it aborts, requests in flight are aborted
 * and new ones refused, so a run past its deadline or cancelled holds no connection until its
 * per-request timeout.
 */
export function abortableFetch(base: FetchLike, signal: AbortSignal): FetchLike {
  return (input, init) => {
    if (signal.aborted) return Promise.reject(signal.reason);
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  };
}

/** `work`'s value, or undefined as soon as `signal` aborts (the work is abandoned; a later failure of it is ignored). */
export async function unlessAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T | undefined> {
  work.catch(() => undefined);
  if (signal.aborted) return undefined;
  const waiting = abandoners(signal);
  return new Promise<T | undefined>((resolve, reject) => {
    const abandon = () => resolve(undefined);
    waiting.add(abandon);
    work.then(
      (value) => {
        waiting.delete(abandon);
        resolve(value);
      },
      (error: unknown) => {
        waiting.delete(abandon);
        reject(error);
      },
    );
  });
}

/** The works awaited under `signal` (unlessAborted), abandoned together by one listener per signal. */
const abandonersBySignal = new WeakMap<AbortSignal, Set<() => void>>();
function abandoners(signal: AbortSignal): Set<() => void> {
  let waiting = abandonersBySignal.get(signal);
  if (!waiting) {
    const all = (waiting = new Set());
    abandonersBySignal.set(signal, all);
    signal.addEventListener("abort", () => {
      for (const abandon of all) abandon();
      all.clear();
    }, { once: true });
  }
  return waiting;
}
