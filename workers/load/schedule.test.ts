import { describe, expect, it } from "vitest";
import { ArrivalPlan, constantSchedule, regionShares, scaleSchedule } from "./schedule";

describe("arrival schedules", () => {
  it("a constant rate is evenly spaced, starting at t = 0 (k6 constant-arrival-rate)", () => {
    const plan = new ArrivalPlan(constantSchedule(50, 10_000));
    expect(plan.total).toBe(500);
    expect(plan.timeOf(0)).toBe(0);
    expect(plan.timeOf(1)).toBeCloseTo(20, 6);
    expect(plan.timeOf(499)).toBeCloseTo(9980, 6);
    expect(plan.timeOf(500)).toBeUndefined();
  });

  it("a ramp rises linearly from 0 and is part of the duration", () => {
    const plan = new ArrivalPlan(constantSchedule(100, 10_000, 4000));
    // 4 s ramp: 0.5 * 100 * 4 = 200 arrivals, then 6 s at 100/s = 600
    expect(plan.total).toBe(800);
    expect(plan.cumulative(2000)).toBeCloseTo(50, 6); // quarter of the ramp's area
    expect(plan.rateAt(2000)).toBeCloseTo(50, 6);
    for (const i of [1, 17, 199, 200, 201, 799]) {
      expect(plan.cumulative(plan.timeOf(i)!)).toBeCloseTo(i, 6);
    }
    // arrivals get denser during the ramp
    expect(plan.timeOf(2)! - plan.timeOf(1)!).toBeGreaterThan(plan.timeOf(150)! - plan.timeOf(149)!);
  });

  it("window boundaries partition the arrivals", () => {
    const plan = new ArrivalPlan({ startRate: 10, stages: [{ durationMs: 3000, target: 70 }, { durationMs: 2500, target: 5 }] });
    let sum = 0;
    for (let w = 0; w < 6; w++) sum += plan.firstAtOrAfter(Math.min(plan.durationMs, (w + 1) * 1000)) - plan.firstAtOrAfter(w * 1000);
    expect(sum).toBe(plan.total);
    for (let i = 0; i < plan.total; i++) expect(plan.timeOf(i)!).toBeLessThan(plan.durationMs);
  });

  it("splits a total rate evenly or by weight", () => {
    expect([...regionShares([{ region: "wnam" }, { region: "weur" }]).values()]).toEqual([0.5, 0.5]);
    expect(regionShares([{ region: "weur", weight: 70 }, { region: "wnam", weight: 30 }]).get("wnam")).toBeCloseTo(0.3);
    const half = new ArrivalPlan(scaleSchedule(constantSchedule(200, 10_000), 0.5));
    expect(half.total).toBe(1000);
  });
});
