/** Latency budget per response: `params.limitMs`, else the run's config.maxResponseTimeMs. */
import { operationLabel, paramNumber } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

export function max_response_time(ctx: CheckContext): CheckResult {
  const limit = paramNumber(ctx, "limitMs") ?? ctx.config.maxResponseTimeMs;
  if (limit === undefined) return skip("no response time limit configured");
  const took = ctx.response.durationMs;
  if (took <= limit) return pass(`${Math.round(took)} ms within ${limit} ms`);
  return fail(`${operationLabel(ctx.request.method, ctx.step.request.path)} took ${Math.round(took)} ms, limit ${limit} ms`, "exceeded");
}
