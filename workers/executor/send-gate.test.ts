import { describe, expect, it } from "vitest";
import { alone, enter } from "./send-gate";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** resolves with how long `work` took, or rejects once `ms` passed (a wait that never ends fails the test) */
async function within<T>(ms: number, work: Promise<T>): Promise<{ value: T; tookMs: number }> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  try {
    return { value: await Promise.race([work, late]), tookMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe("the send gate", () => {
  it("runs a task alone once the sends in flight are done, and holds new sends back meanwhile", async () => {
    const order: string[] = [];
    const leave = await enter({ ms: 10_000 });
    const confirmation = alone({ ms: 10_000 }, async () => {
      order.push("alone");
      await sleep(50);
      order.push("alone done");
    });
    await sleep(30);
    const later = enter({ ms: 10_000 }).then((leaveLater) => {
      order.push("later send");
      leaveLater();
    });
    order.push("first send done");
    leave();
    await within(5000, Promise.all([confirmation, later]));
    expect(order).toEqual(["first send done", "alone", "alone done", "later send"]);
  });

  it("a send whose invocation ended (it never leaves) holds a task back only until its tenure is over", async () => {
    // workerd drops an ended invocation's pending work: its `leave` never runs
    await enter({ ms: 300 });
    const { value, tookMs } = await within(5000, alone({ ms: 10_000 }, async () => "ran"));
    expect(value).toBe("ran");
    expect(tookMs).toBeGreaterThanOrEqual(250);
  });

  it("a send of a run that stopped (cancelled, past its deadline) holds nothing back from then on", async () => {
    const stop = new AbortController();
    await enter({ ms: 60_000, signal: stop.signal });
    const confirmation = within(5000, alone({ ms: 10_000 }, async () => "ran"));
    await sleep(50);
    stop.abort(new Error("run over"));
    expect((await confirmation).value).toBe("ran");
  });

  it("a task alone that never ends holds new sends back only until its tenure is over, or its run stops", async () => {
    void alone({ ms: 300 }, () => new Promise<void>(() => {}));
    await sleep(10);
    const { tookMs } = await within(5000, enter({ ms: 1000 }).then((leave) => leave()));
    expect(tookMs).toBeGreaterThanOrEqual(250);

    const stop = new AbortController();
    void alone({ ms: 60_000, signal: stop.signal }, () => new Promise<void>(() => {}));
    await sleep(10);
    const send = within(5000, enter({ ms: 1000 }).then((leave) => leave()));
    stop.abort(new Error("run over"));
    await send;
  });

  it("two tasks never run alone at the same time", async () => {
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await sleep(20);
      running--;
    };
    await within(5000, Promise.all(Array.from({ length: 5 }, () => alone({ ms: 10_000 }, task))));
    expect(most).toBe(1);
  });
});
