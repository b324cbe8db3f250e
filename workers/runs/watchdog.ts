/**
 * The watchdog of a run's tasks, as pure rules. A platform reload or a redeploy kills executor
 * invocations mid-task and can lose queue messages; without a watchdog the run waits for its
 * deadline (30 min) with cases that will never come back. So:
 *
 * - an executor takes a lease on a task before running it and renews it (a beat) while it runs;
 *   a second delivery of a task under a live lease is dropped (no duplicate requests);
 * - a lease without a beat for LEASE_MS belongs to a dead invocation: the task is sent again;
 * - a task sent but never started, while the whole run shows no sign of life for the stall
 *   time, was lost in the queue: it is sent again.
 *
 * Sending again is safe: results are written once per (run, case) and the first report of a task
 * counts, so a case re-run after a lost message is counted once.
 */

/** How often a running executor renews its lease. */
export const BEAT_MS = 2000;
/** A lease not renewed for this long is dead. */
export const LEASE_MS = 8000;
/** How often the run looks for dead work while tasks are outstanding. */
export const WATCHDOG_CHECK_MS = 5000;

/** No sign of life from any executor for this long means the queue lost work (a slow request is not silence: its beats go on). */
export function stallMs(timeoutMs: number): number {
  return Math.max(LEASE_MS, 2 * timeoutMs);
}

export interface TaskLease {
  id: string;
  sentAt: number | null;
  lease: string | null;
  beatAt: number | null;
}

/** Whether an executor holding `lease` may run a task now (its lease is granted or renewed). */
export function mayTake(task: Pick<TaskLease, "lease" | "beatAt">, lease: string, now: number): boolean {
  return task.lease === null || task.lease === lease || task.beatAt === null || now - task.beatAt >= LEASE_MS;
}

/** The tasks (sent, not done) to send again: dead leases, and never-started tasks when the whole run is silent. */
export function tasksToResend(open: readonly TaskLease[], lastSignOfLife: number, now: number, timeoutMs: number): string[] {
  const silent = now - lastSignOfLife >= stallMs(timeoutMs);
  return open
    .filter((t) => {
      if (t.lease !== null) return t.beatAt === null || now - t.beatAt >= LEASE_MS;
      return silent && t.sentAt !== null && now - t.sentAt >= stallMs(timeoutMs);
    })
    .map((t) => t.id);
}
