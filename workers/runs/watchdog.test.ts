import { describe, expect, it } from "vitest";
import { LEASE_MS, mayTake, stallMs, tasksToResend } from "./watchdog";

describe("task watchdog", () => {
  it("a live lease keeps a second delivery out; a dead one (no beat) is taken over", () => {
    expect(mayTake({ lease: null, beatAt: null }, "a", 0)).toBe(true);
    expect(mayTake({ lease: "a", beatAt: 1000 }, "a", 2000)).toBe(true);
    expect(mayTake({ lease: "a", beatAt: 1000 }, "b", 2000)).toBe(false);
    expect(mayTake({ lease: "a", beatAt: 1000 }, "b", 1000 + LEASE_MS)).toBe(true);
  });

  it("sends again dead leases at once, and unstarted tasks only when the whole run is silent", () => {
    const now = 100_000;
    const open = [
      { id: "running", sentAt: 0, lease: "x", beatAt: now - 1000 },
      { id: "dead", sentAt: 0, lease: "y", beatAt: now - LEASE_MS },
      { id: "queued", sentAt: now - 60_000, lease: null, beatAt: null },
    ];
    expect(tasksToResend(open, now - 500, now, 2000)).toEqual(["dead"]);
    expect(tasksToResend(open, now - stallMs(2000), now, 2000)).toEqual(["dead", "queued"]);
    // a task sent a moment ago is not lost, however silent the run
    expect(tasksToResend([{ id: "new", sentAt: now - 100, lease: null, beatAt: null }], 0, now, 2000)).toEqual([]);
    expect(stallMs(10_000)).toBe(20_000);
  });
});
