import { describe, expect, it } from "vitest";
import { dueSlots, minuteSlot, nextFireAt, validateCron } from "./cron";

describe("cron schedules", () => {
  it("validates expressions", () => {
    expect(validateCron("*/5 * * * *")).toBeNull();
    expect(validateCron("61 * * * *")).not.toBeNull();
    expect(validateCron("* * *")).toMatch(/five fields/);
  });
  it("finds the due minute slots in a window", () => {
    const t = Date.UTC(2026, 0, 1, 0, 0);
    expect(dueSlots("*/5 * * * *", t, t + 11 * 60_000)).toEqual([minuteSlot(t) + 5, minuteSlot(t) + 10]);
    expect(dueSlots("0 3 * * *", t, t + 60 * 60_000)).toEqual([]);
  });
  it("says when an expression fires next", () => {
    const t = Date.UTC(2026, 0, 1, 0, 2, 30);
    expect(nextFireAt("*/5 * * * *", t)).toBe(Date.UTC(2026, 0, 1, 0, 5));
    expect(nextFireAt("0 3 * * *", t)).toBe(Date.UTC(2026, 0, 1, 3, 0));
  });
});
