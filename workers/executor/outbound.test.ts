import { describe, expect, it } from "vitest";
import { abortableFetch, bodyFinished, createThrottle, disciplinedFetch, mapWithConcurrency, Semaphore, TargetPolicyError, unlessAborted } from "./outbound";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("Semaphore", () => {
  it("never lets more than its size through and wakes waiters in order", async () => {
    const sem = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const release = await sem.acquire();
        inside++;
        peak = Math.max(peak, inside);
        await tick();
        order.push(i);
        inside--;
        release();
        release(); // a second release is harmless
      }),
    );
    expect(peak).toBe(2);
    expect(order.length).toBe(7);
  });
});

describe("createThrottle", () => {
  it("spaces starts by 1/rps", async () => {
    let now = 0;
    const sleeps: number[] = [];
    const throttle = createThrottle(4, { now: () => now, sleep: async (ms) => void sleeps.push(ms) });
    await throttle();
    await throttle();
    await throttle();
    expect(sleeps).toEqual([250, 500]);
    now = 10_000;
    await throttle();
    expect(sleeps).toEqual([250, 500]);
  });
  it("does nothing without a ceiling", async () => {
    await expect(createThrottle(undefined)()).resolves.toBeUndefined();
  });
});

describe("disciplinedFetch", () => {
  it("refuses another origin before sending anything", async () => {
    let sent = 0;
    const f = disciplinedFetch(async () => (sent++, new Response("x")), {
      allowedOrigin: "http://127.0.0.1:9000",
      semaphore: new Semaphore(1),
    });
    await expect(f("http://169.254.169.254/latest")).rejects.toBeInstanceOf(TargetPolicyError);
    expect(sent).toBe(0);
  });

  it("holds a slot until the reader says the body is finished, then frees it", async () => {
    const sem = new Semaphore(1);
    const f = disciplinedFetch(async () => new Response("hello"), { allowedOrigin: "http://a.test", semaphore: sem });
    const first = await f("http://a.test/one");
    let secondStarted = false;
    const second = f("http://a.test/two").then((r) => ((secondStarted = true), r));
    await tick();
    expect(secondStarted).toBe(false);
    expect(await first.text()).toBe("hello");
    await tick();
    expect(secondStarted).toBe(false);
    bodyFinished(first);
    const r2 = await second;
    expect(secondStarted).toBe(true);
    bodyFinished(r2);
    bodyFinished(r2); // twice is harmless: the slot is not freed twice
    const r3 = await f("http://a.test/three");
    expect(r3.status).toBe(200);
    let fourthStarted = false;
    void f("http://a.test/four").then(() => (fourthStarted = true));
    await tick();
    expect(fourthStarted).toBe(false);
  });

  it("frees a slot whose body nobody finishes after maxHoldMs", async () => {
    const sem = new Semaphore(1);
    const f = disciplinedFetch(async () => new Response("hello"), { allowedOrigin: "http://a.test", semaphore: sem, maxHoldMs: 5 });
    await f("http://a.test/one");
    const second = await f("http://a.test/two");
    expect(second.status).toBe(200);
  });

  it("holds each abandoned slot its own maxHoldMs, then frees it (one backstop for all)", async () => {
    const sem = new Semaphore(2);
    const f = disciplinedFetch(async () => new Response("hello"), { allowedOrigin: "http://a.test", semaphore: sem, maxHoldMs: 60 });
    const t0 = Date.now();
    await f("http://a.test/a");
    await new Promise((r) => setTimeout(r, 30));
    const tb = Date.now();
    await f("http://a.test/b");
    await f("http://a.test/c"); // waits for a's slot
    expect(Date.now() - t0).toBeGreaterThanOrEqual(58);
    await f("http://a.test/d"); // waits for b's slot, taken later: freed later
    expect(Date.now() - tb).toBeGreaterThanOrEqual(58);
  });

  it("frees the slot at once for a response without a body", async () => {
    const sem = new Semaphore(1);
    const f = disciplinedFetch(async () => new Response(null, { status: 204 }), { allowedOrigin: "http://a.test", semaphore: sem });
    await f("http://a.test/one");
    expect((await f("http://a.test/two")).status).toBe(204);
  });

  it("frees the slot when the request fails", async () => {
    const sem = new Semaphore(1);
    const f = disciplinedFetch(async () => Promise.reject(new TypeError("connection reset")), { allowedOrigin: "http://a.test", semaphore: sem });
    await expect(f("http://a.test/")).rejects.toThrow("connection reset");
    await expect(f("http://a.test/")).rejects.toThrow("connection reset");
  });
});

describe("mapWithConcurrency", () => {
  it("keeps order and the limit", async () => {
    let inside = 0;
    let peak = 0;
    const out = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7, 8], 3, async (n) => {
      inside++;
      peak = Math.max(peak, inside);
      await tick();
      inside--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(peak).toBe(3);
    expect(await mapWithConcurrency([], 3, async (n: number) => n)).toEqual([]);
  });
});

/** A fetch that never answers on its own: it settles only when its signal aborts (as a hung target). */
function hangingFetch(seen: AbortSignal[]) {
  return (_input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      const signal = init!.signal!;
      seen.push(signal);
      signal.addEventListener("abort", () => reject(signal.reason));
    });
}

describe("abortableFetch", () => {
  it("aborts a request in flight when the run's signal aborts, keeping the request's own signal", async () => {
    const seen: AbortSignal[] = [];
    const stop = new AbortController();
    const guarded = abortableFetch(hangingFetch(seen), stop.signal);
    const own = new AbortController();
    const pending = guarded("http://t/x", { signal: own.signal });
    await tick();
    expect(seen[0].aborted).toBe(false);
    stop.abort(new Error("deadline exceeded"));
    await expect(pending).rejects.toThrow("deadline exceeded");
    expect(own.signal.aborted).toBe(false);
    // the request's own signal (its timeout) still aborts it alone
    const other = abortableFetch(hangingFetch(seen), new AbortController().signal)("http://t/y", { signal: own.signal });
    own.abort(new Error("timeout"));
    await expect(other).rejects.toThrow("timeout");
  });

  it("refuses a new request once the signal aborted, without calling fetch", async () => {
    const seen: AbortSignal[] = [];
    const stop = new AbortController();
    stop.abort(new Error("run over"));
    await expect(abortableFetch(hangingFetch(seen), stop.signal)("http://t/x")).rejects.toThrow("run over");
    expect(seen).toEqual([]);
  });
});

describe("unlessAborted", () => {
  it("gives the work's value when it ends first, undefined as soon as the signal aborts", async () => {
    const stop = new AbortController();
    expect(await unlessAborted(stop.signal, Promise.resolve(7))).toBe(7);
    await expect(unlessAborted(stop.signal, Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const never = new Promise<number>(() => {});
    const raced = unlessAborted(stop.signal, never);
    stop.abort();
    expect(await raced).toBeUndefined();
    // already aborted: undefined, and a later failure of the abandoned work is not unhandled
    expect(await unlessAborted(stop.signal, Promise.reject(new Error("late")))).toBeUndefined();
  });
});
