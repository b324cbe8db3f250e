/**
 * Latency budget per response: `params.limitMs`, else the run's config.maxResponseTimeMs. Without
 * any budget, one thing still fails: a request that stopped the whole target (liveness evidence,
 * confirmed by a repeat; see executor/liveness.ts) — a denial of service, whatever the budget.
 */
import { operationLabel, paramNumber } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

export function max_response_time(ctx: CheckContext): CheckResult {
  const live = ctx.exchange.liveness;
  const took = ctx.response.durationMs;
  if (live?.confirmed) {
    const probe = live.probeStatus !== undefined ? `answered ${live.probeStatus} only after ${live.probeMs} ms` : `got no answer in ${live.probeMs} ms`;
    return fail(
      `${operationLabel(ctx.request.method, ctx.step.request.path)} stopped the whole target: while it was in flight (${Math.round(took)} ms) a probe GET ${live.probeUrl} ${probe}, released only when this request finished; sent again alone, the same (${live.repeatMs ?? "?"} ms). Denial of service: one such request blocks every client`,
      "liveness",
      "high",
    );
  }
  const limit = paramNumber(ctx, "limitMs") ?? ctx.config.maxResponseTimeMs;
  if (limit === undefined) return skip("no response time limit configured");
  if (took <= limit) return pass(`${Math.round(took)} ms within ${limit} ms`);
  return fail(`${operationLabel(ctx.request.method, ctx.step.request.path)} took ${Math.round(took)} ms, limit ${limit} ms`, "exceeded");
}
