/**
 * Run-finished notifications inside workerd: the run's end writes the rows and the Durable Object
 * makes the first attempt at once; failures are retried with backoff (by the cron handler or
 * sendDueNotifications), every POST is signed, and two senders never deliver the same attempt.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import type { RunFinishedEvent } from "../../workers/notifications/notify";
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../../workers/notifications/notify";
import { DEV_NOTIFY_SECRET, sendDueNotifications } from "../../workers/notifications/send-notifications";
import { verifyGenericSignature } from "../../workers/shared/signature";
import { postJson } from "./gateway-helpers";
import { FAST, OK_SPEC } from "./hooks-helpers";
import { ORG, targetUrl, waitForTerminal } from "./runs-helpers";

interface Recorded {
  method: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

interface NotificationRow {
  id: string;
  url: string;
  attempts: number;
  status: string;
  last_error: string | null;
  next_at: number;
}

async function recorded(name: string): Promise<Recorded[]> {
  return (await (await fetch(`${targetUrl()}/__records/${name}`)).json()) as Recorded[];
}

async function rows(runId: string): Promise<NotificationRow[]> {
  const { results } = await env.DB.prepare(`SELECT id, url, attempts, status, last_error, next_at FROM notifications WHERE run_id = ? ORDER BY url`).bind(runId).all<NotificationRow>();
  return results;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finishedRun(notify: string[]): Promise<string> {
  const res = await postJson("/api/v1/runs", { spec: { inline: OK_SPEC }, target: { url: targetUrl() }, notify, ...FAST });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForTerminal(id, 40_000);
  return id;
}

async function addNotification(runId: string, url: string, extra: { attempts?: number } = {}): Promise<string> {
  const id = `ntf_test_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare(`INSERT INTO notifications (id, org_id, run_id, url, attempts, next_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .bind(id, ORG, runId, url, extra.attempts ?? 0, Date.now() - 1000)
    .run();
  return id;
}

async function notification(id: string): Promise<NotificationRow> {
  return (await env.DB.prepare(`SELECT id, url, attempts, status, last_error, next_at FROM notifications WHERE id = ?`).bind(id).first<NotificationRow>())!;
}

describe("run notifications", () => {
  it("a run's end leads to a signed POST; a 500 is retried after the backoff delay", async () => {
    const url = `${targetUrl()}/record/run-end?fail=1`;
    const runId = await finishedRun([url]);

    // the Durable Object's immediate attempt meets the 500 and schedules a retry
    const [first] = await until("the first attempt", async () => (await recorded("run-end")).length >= 1 && recorded("run-end"));
    expect(first.status).toBe(500);
    const afterFirst = await until("the retry to be scheduled", async () => {
      const [row] = await rows(runId);
      return row?.attempts === 1 && row.last_error !== null && row;
    });
    expect(afterFirst).toMatchObject({ status: "pending", last_error: "HTTP 500" });
    expect(afterFirst.next_at).toBeGreaterThan(Date.now() + RETRY_DELAYS_MS[0] - 10_000);

    // not due yet: nothing is sent
    expect(await sendDueNotifications(env, { now: Date.now() })).toMatchObject({ sent: 0 });
    expect(await recorded("run-end")).toHaveLength(1);

    const later = Date.now() + RETRY_DELAYS_MS[0] + 1000;
    expect(await sendDueNotifications(env, { now: later })).toMatchObject({ sent: 1 });
    const requests = await recorded("run-end");
    expect(requests).toHaveLength(2);
    const delivered = requests[1];
    expect(delivered).toMatchObject({ method: "POST", status: 200 });
    expect(delivered.headers["content-type"]).toBe("application/json");

    const verdict = await verifyGenericSignature(
      DEV_NOTIFY_SECRET,
      new TextEncoder().encode(delivered.body),
      delivered.headers["x-sentinel-timestamp"],
      delivered.headers["x-sentinel-signature"],
      later,
    );
    expect(verdict).toEqual({ ok: true });
    const wrongKey = await verifyGenericSignature("another secret", new TextEncoder().encode(delivered.body), delivered.headers["x-sentinel-timestamp"], delivered.headers["x-sentinel-signature"], later);
    expect(wrongKey.ok).toBe(false);

    const event = JSON.parse(delivered.body) as RunFinishedEvent;
    expect(event.event).toBe("run.finished");
    expect(event.run).toMatchObject({ id: runId, target: targetUrl(), links: { self: `/api/v1/runs/${runId}`, report: `/api/v1/runs/${runId}/report` } });
    expect(["passed", "failed"]).toContain(event.run.status);
    expect(event.run.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(event.run.stats).toMatchObject({ cases: expect.any(Number) });
    expect(event.findings.total).toBe(Object.values(event.findings.bySeverity).reduce((a, b) => a + b, 0));

    const [row] = await rows(runId);
    expect(row).toMatchObject({ status: "sent", attempts: 2, last_error: null });
  });

  it("two cron events at once deliver a due notification once", async () => {
    const runId = await finishedRun([]);
    await addNotification(runId, `${targetUrl()}/record/concurrent`);
    const ticks = [0, 1].map(async () => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    });
    await Promise.all(ticks);
    expect(await recorded("concurrent")).toHaveLength(1);
  });

  it("refusals are final: a 4xx, an address the policy forbids, the last attempt", async () => {
    const runId = await finishedRun([]);
    const notFound = await addNotification(runId, `${targetUrl()}/nope`);
    const privateAddress = await addNotification(runId, "http://10.1.2.3/hook");
    const lastTry = await addNotification(runId, `${targetUrl()}/error/notify`, { attempts: MAX_ATTEMPTS - 1 });
    const summary = await sendDueNotifications(env, { runId });
    expect(summary).toMatchObject({ sent: 0, failed: 3, retrying: 0 });

    expect(await notification(notFound)).toMatchObject({ status: "failed", attempts: 1, last_error: "HTTP 404" });
    const refused = await notification(privateAddress);
    expect(refused).toMatchObject({ status: "failed", attempts: 1 });
    expect(refused.last_error).toMatch(/^not allowed: .*private/);
    expect(await notification(lastTry)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, last_error: "HTTP 500" });
  });
});
