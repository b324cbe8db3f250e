/** The one Sentinel Worker: gateway (fetch), executor (queue), schedules (scheduled), Durable Objects. */
import { handleDeadLetterBatch, handleTaskBatch } from "./executor/consumer";
import { serveExecute } from "./executor/executor-process";
import { serveRunCall } from "./executor/process-client";
import { EXECUTE_PATH, RUN_CALL_PATH } from "./executor/process-protocol";
import { createApp } from "./gateway/app";
import { sendDueNotifications } from "./notifications/send-notifications";
import { runDueSchedules } from "./schedules/run-due-schedules";
import { log } from "./shared/log";

export { TestRun } from "../durable-objects/test-run";
export { RateLimiter } from "../durable-objects/rate-limiter";
export { LoadGenerator } from "../durable-objects/load-generator";

const app = createApp();

export default {
  fetch(req: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    // the local executor process's two routes (executor/process-protocol.ts); 404 unless its secret is set
    if (req.method === "POST") {
      const { pathname } = new URL(req.url);
      if (pathname === EXECUTE_PATH) return serveExecute(req, env, (work) => ctx.waitUntil(work));
      if (pathname === RUN_CALL_PATH) return serveRunCall(req, env);
    }
    return app.fetch(req, env, ctx);
  },
  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch, env);
    return handleTaskBatch(batch, env);
  },
  /** Every minute: start the runs of due schedules, and send (or retry) due run notifications. */
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const [schedules, notifications] = await Promise.allSettled([runDueSchedules(env, controller.scheduledTime), sendDueNotifications(env)]);
    log("info", "cron tick", {
      cron: controller.cron,
      scheduledTime: controller.scheduledTime,
      runsStarted: schedules.status === "fulfilled" ? schedules.value.started.length : null,
      scheduleFailures: schedules.status === "fulfilled" ? schedules.value.failed.length : null,
      notifications: notifications.status === "fulfilled" ? notifications.value : null,
    });
    for (const outcome of [schedules, notifications]) {
      if (outcome.status === "rejected") log("error", "cron task failed", { error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) });
    }
  },
} satisfies ExportedHandler<Env>;
