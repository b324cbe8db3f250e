/**
 * Sends due run-finished notifications (D1 `notifications`, written by the TestRun Durable Object
 * when a run ends, and by a load test that ends without passing). Called by the run's Durable Object right after the run ends, and every minute
 * by the cron handler for retries.
 *
 * A row is claimed by moving its next_at forward by a lease, guarded by the next_at just read
 * (`changes === 1` wins): two senders never deliver the same attempt, and a sender that dies
 * mid-delivery leaves the row due again once the lease is over. Attempts follow notify.ts'
 * backoff; after MAX_ATTEMPTS, or on a final refusal (4xx), the row is marked failed.
 */
import { deploymentPolicy } from "../runs/target-policy";
import { checkAddress } from "../shared/address-policy";
import { isProduction, log } from "../shared/log";
import type { RunStats } from "../model";
import { countFindingsBySeverity } from "../storage/findings-repo";
import { claimNotification, dueNotifications, settleNotification, type NotificationRow } from "../storage/notifications-repo";
import { getRun } from "../storage/runs-repo";
import { errorTotal } from "../load/aggregate";
import { getLoadTestById } from "../storage/load-tests-repo";
import { deliverNotification, MAX_ATTEMPTS, nextAttemptAt, type LoadFinishedEvent, type NotificationEvent } from "./notify";

/** Notification rows of load tests carry the load test's id (newId("load")) in run_id. */
const LOAD_ID_PREFIX = "load_";

export const NOTIFY_BATCH = 50;
const SEND_CONCURRENCY = 6;
/** Longer than one delivery attempt can take (deliverNotification times out at 10 s); rows are claimed one by one as they are sent. */
export const CLAIM_LEASE_MS = 60_000;
/** Local development only: receivers can verify signatures against this published value. */
export const DEV_NOTIFY_SECRET = "sentinel-local-development-notify-secret (not a secret)";

let warnedDevSecret = false;

/** The signing secret, or null when it is missing in production (nothing is sent then). */
export function notifySecret(env: Pick<Env, "SENTINEL_NOTIFY_SECRET" | "SENTINEL_ENV">): string | null {
  if (env.SENTINEL_NOTIFY_SECRET) return env.SENTINEL_NOTIFY_SECRET;
  if (isProduction(env)) return null;
  if (!warnedDevSecret) {
    warnedDevSecret = true;
    log("warn", "SENTINEL_NOTIFY_SECRET is not set: notifications are signed with the fixed local development secret");
  }
  return DEV_NOTIFY_SECRET;
}

export interface SendOptions {
  now?: number;
  /** only this run's notifications (the Durable Object, when the run has just ended) */
  runId?: string;
  fetcher?: typeof fetch;
}

export interface SendSummary {
  sent: number;
  retrying: number;
  failed: number;
  /** claimed by another sender meanwhile */
  lost: number;
}

/** A load test's notification (its row's run_id holds the load test id). */
async function buildLoadEvent(env: Env, orgId: string, testId: string): Promise<LoadFinishedEvent | null> {
  const row = await getLoadTestById(env.DB, testId);
  if (!row || row.orgId !== orgId) return null;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const overall = row.summary?.overall;
  const self = `/api/v1/load-tests/${row.id}`;
  return {
    event: "load.finished",
    load: {
      id: row.id,
      status: row.status,
      target: row.targetUrl,
      profile: row.config.profile,
      startedAt: iso(row.startedAt),
      finishedAt: iso(row.finishedAt),
      abortReason: row.abortReason,
      error: row.error,
      schedule: row.config.source ? { id: row.config.source.scheduleId, slot: row.config.source.slot } : null,
      overall: overall
        ? { requests: overall.requests, rps: overall.rps, errors: errorTotal(overall.errors), p95: overall.latency.p95, p99: overall.latency.p99 }
        : null,
      thresholds: row.summary?.thresholds ?? [],
      links: { self, report: `${self}/report` },
    },
  };
}

async function buildEvent(env: Env, orgId: string, runId: string): Promise<NotificationEvent | null> {
  if (runId.startsWith(LOAD_ID_PREFIX)) return buildLoadEvent(env, orgId, runId);
  const run = await getRun(env.DB, orgId, runId);
  if (!run) return null;
  const bySeverity = await countFindingsBySeverity(env.DB, orgId, runId);
  const self = `/api/v1/runs/${run.id}`;
  return {
    event: "run.finished",
    run: {
      id: run.id,
      status: run.status,
      target: run.targetUrl,
      startedAt: run.startedAt === null ? null : new Date(run.startedAt).toISOString(),
      finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
      stats: (run.stats as RunStats | null) ?? null,
      links: { self, report: `${self}/report` },
    },
    findings: { total: Object.values(bySeverity).reduce((sum, n) => sum + n, 0), bySeverity },
  };
}

async function settle(env: Env, row: NotificationRow, lease: number, patch: { status: "sent" | "failed" | "pending"; lastError: string | null; nextAt: number }): Promise<void> {
  await settleNotification(env.DB, row.id, lease, patch);
}

export async function sendDueNotifications(env: Env, options: SendOptions = {}): Promise<SendSummary> {
  const now = options.now ?? Date.now();
  const fetcher = options.fetcher ?? fetch;
  const summary: SendSummary = { sent: 0, retrying: 0, failed: 0, lost: 0 };
  const secret = notifySecret(env);
  if (secret === null) {
    log("error", "SENTINEL_NOTIFY_SECRET is not configured: run notifications are not sent");
    return summary;
  }
  const rows = await dueNotifications(env.DB, { now, limit: NOTIFY_BATCH, runId: options.runId });

  const events = new Map<string, Promise<NotificationEvent | null>>();
  const policy = deploymentPolicy(env);
  await eachWithLimit(rows, SEND_CONCURRENCY, async (row) => {
    // from the moment of the claim: rows further down the batch are claimed later
    const lease = Math.max(now, Date.now()) + CLAIM_LEASE_MS;
    if (!(await claimNotification(env.DB, row, lease))) {
      summary.lost++;
      return;
    }
    const attempts = row.attempts + 1;
    // checked again at send time: the policy may have been tightened since the run was started
    const verdict = checkAddress(row.url, policy);
    if (!verdict.ok) {
      await settle(env, row, lease, { status: "failed", lastError: `not allowed: ${verdict.reason}`, nextAt: now });
      summary.failed++;
      return;
    }
    const key = `${row.orgId}/${row.runId}`;
    if (!events.has(key)) events.set(key, buildEvent(env, row.orgId, row.runId));
    const event = await events.get(key)!;
    if (!event) {
      await settle(env, row, lease, { status: "failed", lastError: "the run no longer exists", nextAt: now });
      summary.failed++;
      return;
    }
    const outcome = await deliverNotification(fetcher, verdict.url.toString(), event, secret, now);
    if (outcome.ok) {
      await settle(env, row, lease, { status: "sent", lastError: null, nextAt: now });
      summary.sent++;
      return;
    }
    const next = outcome.retry && attempts < MAX_ATTEMPTS ? nextAttemptAt(attempts, now) : null;
    if (next === null) {
      await settle(env, row, lease, { status: "failed", lastError: outcome.error, nextAt: now });
      summary.failed++;
      log("warn", "notification given up", { notificationId: row.id, runId: row.runId, attempts, error: outcome.error });
    } else {
      await settle(env, row, lease, { status: "pending", lastError: outcome.error, nextAt: next });
      summary.retrying++;
    }
  });
  return summary;
}

/** Runs `fn` over items with at most `limit` in flight (a Worker has 6 outbound connections). */
async function eachWithLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
