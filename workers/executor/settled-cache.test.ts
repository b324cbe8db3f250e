import { describe, expect, it } from "vitest";
import { settledCache } from "./settled-cache";

describe("settledCache", () => {
  it("does not make a caller wait on another caller's load that never settles (an invocation killed mid-load)", async () => {
    const cache = settledCache<string>(4);
    let loads = 0;
    // the first invocation's read never answers: workerd dropped it with its invocation
    void cache.get("model", () => {
      loads++;
      return new Promise<string>(() => {});
    });
    const later = cache.get("model", async () => {
      loads++;
      return "parsed";
    });
    const outcome = await Promise.race([later, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 200))]);
    expect(outcome).toBe("parsed");
    expect(loads).toBe(2);
  });

  it("shares a loaded value: later callers do not load again", async () => {
    const cache = settledCache<{ ops: number }>(4);
    const first = await cache.get("k", async () => ({ ops: 3 }));
    const again = await cache.get("k", async () => {
      throw new Error("loaded twice");
    });
    expect(again).toBe(first);
  });

  it("keeps the first value when two cold callers load at once", async () => {
    const cache = settledCache<string>(4);
    let finishSlow = (_: string) => {};
    const slow = cache.get("k", () => new Promise<string>((resolve) => (finishSlow = resolve)));
    const fast = await cache.get("k", async () => "fast");
    finishSlow("slow");
    expect(fast).toBe("fast");
    expect(await slow).toBe("fast");
  });

  it("does not keep a failed load, and forgets the oldest value past its size", async () => {
    const cache = settledCache<string>(2);
    await expect(cache.get("a", async () => Promise.reject(new Error("R2 down")))).rejects.toThrow("R2 down");
    expect(await cache.get("a", async () => "a1")).toBe("a1");
    await cache.get("b", async () => "b1");
    await cache.get("c", async () => "c1");
    expect(await cache.get("a", async () => "a2")).toBe("a2");
    expect(await cache.get("c", async () => "c2")).toBe("c1");
  });
});
