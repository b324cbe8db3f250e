/**
 * Open-model arrival schedules, k6 ramping-arrival-rate style: the rate (arrivals per second)
 * moves linearly from one stage's target to the next, and arrival i is due when the integral of
 * the rate reaches i. Arrival times depend only on the schedule, never on how fast the target
 * answers: that is what makes the model open (and coordinated omission measurable).
 */

export interface Stage {
  /** length of the stage in milliseconds */
  durationMs: number;
  /** rate (arrivals/s) reached at the end of the stage; linear from the previous stage's target */
  target: number;
}

export interface Schedule {
  /** rate at t = 0 */
  startRate: number;
  stages: Stage[];
}

/** `rate` for `durationMs`, the first `rampMs` of it rising linearly from 0 (the ramp is part of the duration). */
export function constantSchedule(rate: number, durationMs: number, rampMs = 0): Schedule {
  const ramp = Math.min(Math.max(0, rampMs), durationMs);
  const stages: Stage[] = [];
  if (ramp > 0) stages.push({ durationMs: ramp, target: rate });
  if (durationMs - ramp > 0) stages.push({ durationMs: durationMs - ramp, target: rate });
  return { startRate: ramp > 0 ? 0 : rate, stages };
}

/** The same shape at `factor` times the rate (a region's share of the total). */
export function scaleSchedule(schedule: Schedule, factor: number): Schedule {
  return { startRate: schedule.startRate * factor, stages: schedule.stages.map((s) => ({ durationMs: s.durationMs, target: s.target * factor })) };
}

export function totalDurationMs(schedule: Schedule): number {
  return schedule.stages.reduce((sum, s) => sum + s.durationMs, 0);
}

interface Segment {
  t0: number; // ms
  t1: number;
  r0: number; // arrivals/s at t0
  r1: number;
  n0: number; // arrivals due before t0
}

function segments(schedule: Schedule): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  let r = schedule.startRate;
  let n = 0;
  for (const stage of schedule.stages) {
    if (stage.durationMs <= 0) {
      r = stage.target;
      continue;
    }
    const seg = { t0: t, t1: t + stage.durationMs, r0: r, r1: stage.target, n0: n };
    out.push(seg);
    n += ((r + stage.target) / 2) * (stage.durationMs / 1000);
    t = seg.t1;
    r = stage.target;
  }
  return out;
}

/** Precomputed view of a schedule: rate, cumulative arrivals and the inverse (arrival i → time). */
export class ArrivalPlan {
  private readonly segs: Segment[];
  readonly durationMs: number;
  /** number of arrivals in [0, duration) */
  readonly total: number;

  constructor(schedule: Schedule) {
    this.segs = segments(schedule);
    this.durationMs = totalDurationMs(schedule);
    this.total = this.firstAtOrAfter(this.durationMs);
  }

  rateAt(tMs: number): number {
    const seg = this.segs.find((s) => tMs < s.t1) ?? this.segs[this.segs.length - 1];
    if (!seg) return 0;
    const f = Math.min(1, Math.max(0, (tMs - seg.t0) / (seg.t1 - seg.t0)));
    return seg.r0 + (seg.r1 - seg.r0) * f;
  }

  /** Arrivals due in [0, t): the integral of the rate. */
  cumulative(tMs: number): number {
    if (tMs <= 0) return 0;
    for (const seg of this.segs) {
      if (tMs <= seg.t1) {
        const dt = (tMs - seg.t0) / 1000;
        const slope = (seg.r1 - seg.r0) / ((seg.t1 - seg.t0) / 1000);
        return seg.n0 + seg.r0 * dt + (slope / 2) * dt * dt;
      }
    }
    const last = this.segs[this.segs.length - 1];
    return last ? last.n0 + ((last.r0 + last.r1) / 2) * ((last.t1 - last.t0) / 1000) : 0;
  }

  /** Index of the first arrival due at or after t. */
  firstAtOrAfter(tMs: number): number {
    return Math.max(0, Math.ceil(this.cumulative(tMs) - 1e-9));
  }

  /** When arrival i (0-based) is due, in ms from the start; undefined past the end. */
  timeOf(i: number): number | undefined {
    if (i < 0) return undefined;
    for (const seg of this.segs) {
      const nEnd = seg.n0 + ((seg.r0 + seg.r1) / 2) * ((seg.t1 - seg.t0) / 1000);
      if (i >= nEnd - 1e-9) continue;
      const need = i - seg.n0;
      if (need <= 0) return seg.t0;
      const slope = (seg.r1 - seg.r0) / ((seg.t1 - seg.t0) / 1000);
      const dt = Math.abs(slope) < 1e-12 ? need / seg.r0 : (-seg.r0 + Math.sqrt(Math.max(0, seg.r0 * seg.r0 + 2 * slope * need))) / slope;
      return seg.t0 + dt * 1000;
    }
    return undefined;
  }
}

/**
 * Splits a total rate over regions: evenly, or by weights (`weur:70,wnam:30`). Returns each
 * region's share (sums to 1).
 */
export function regionShares(regions: { region: string; weight?: number }[]): Map<string, number> {
  const weights = regions.map((r) => (r.weight === undefined ? 1 : r.weight));
  const sum = weights.reduce((a, b) => a + b, 0);
  return new Map(regions.map((r, i) => [r.region, sum > 0 ? weights[i] / sum : 1 / regions.length]));
}
