/** The one Sentinel Worker: gateway (fetch), executor (queue), schedules (scheduled), Durable Objects. */
import type { Env } from "./env";
import { handleDeadLetterBatch, handleTaskBatch } from "./executor/consumer";

export { TestRun } from "../durable-objects/test-run";
export { RateLimiter } from "../durable-objects/rate-limiter";

export default {
  async fetch(_req: Request, _env: Env): Promise<Response> {
    return new Response("ok");
  },
  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch, env);
    return handleTaskBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;
