/**
 * Cron evaluation for schedules (croner, UTC). The scheduled handler runs every minute; a
 * schedule is due for a minute slot when its expression matches that minute. The slot number
 * (minutes since the epoch) is the idempotency key that makes overlapping events start one run.
 */
import { Cron } from "croner";

export function validateCron(expression: string): string | null {
  try {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5) return "a cron expression has five fields: minute hour day-of-month month day-of-week";
    new Cron(expression, { paused: true, timezone: "UTC" });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function minuteSlot(timeMs: number): number {
  return Math.floor(timeMs / 60_000);
}

/** Slots in (fromMs, toMs] where the expression fires: catches up when an event was late or missed. */
export function dueSlots(expression: string, fromMs: number, toMs: number, maxSlots = 60): number[] {
  const cron = new Cron(expression, { paused: true, timezone: "UTC" });
  const slots: number[] = [];
  for (let slot = minuteSlot(fromMs) + 1; slot <= minuteSlot(toMs) && slots.length < maxSlots; slot++) {
    if (cron.match(new Date(slot * 60_000))) slots.push(slot);
  }
  return slots;
}

/** When the expression next fires strictly after `afterMs` (UTC), or null if it never does. */
export function nextFireAt(expression: string, afterMs: number): number | null {
  const next = new Cron(expression, { paused: true, timezone: "UTC" }).nextRun(new Date(afterMs));
  return next ? next.getTime() : null;
}
