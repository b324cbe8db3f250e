/** The one Sentinel Worker: gateway (fetch), executor (queue), schedules (scheduled), Durable Objects. */
import type { Env } from "./env";
import { handleDeadLetterBatch, handleTaskBatch } from "./executor/consumer";
import { createApp } from "./gateway/app";
import { log } from "./shared/log";

export { TestRun } from "../durable-objects/test-run";
export { RateLimiter } from "../durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch(req: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(req, env, ctx);
  },
  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch, env);
    return handleTaskBatch(batch, env);
  },
  async scheduled(controller: ScheduledController, _env: Env, _ctx: ExecutionContext): Promise<void> {
    // Due schedules start runs here once the schedules module exists; the tick is logged meanwhile.
    log("debug", "cron tick", { cron: controller.cron, scheduledTime: controller.scheduledTime });
  },
} satisfies ExportedHandler<Env>;
