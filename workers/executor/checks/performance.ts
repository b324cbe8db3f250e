/**
 * Latency budget per response: `params.limitMs`, else the run's config.maxResponseTimeMs. Without
 * any budget, one thing still fails: a request that stopped the whole target (liveness evidence,
 * confirmed by a repeat; see executor/liveness.ts) — a denial of service, whatever the budget —
 * unless the stop lasted no longer than a few of the operation's usual answers in the same run
 * (`typicalMs`): then it is what every call of it costs on this host (a password hash on a
 * saturated machine), which the absolute thresholds of the probe cannot tell from a spin.
 */
import { operationLabel, paramNumber } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

/** a stop counts only when both its observations last more than this many of the operation's usual answers */
export const TYPICAL_FACTOR = 4;

export function max_response_time(ctx: CheckContext): CheckResult {
  const live = ctx.exchange.liveness;
  const took = ctx.response.durationMs;
  const limit = paramNumber(ctx, "limitMs") ?? ctx.config.maxResponseTimeMs;
  if (live?.confirmed) {
    const shortest = Math.min(took, live.repeatMs ?? took);
    if (live.typicalMs === undefined || shortest > TYPICAL_FACTOR * live.typicalMs) {
      const probe = live.probeStatus !== undefined ? `answered ${live.probeStatus} only after ${live.probeMs} ms` : `got no answer in ${live.probeMs} ms`;
      return fail(
        `${operationLabel(ctx.request.method, ctx.step.request.path)} stopped the whole target: while it was in flight (${Math.round(took)} ms) a probe GET ${live.probeUrl} ${probe}, released only when this request finished; sent again alone, the same (${live.repeatMs ?? "?"} ms). Denial of service: one such request blocks every client`,
        "liveness",
        "high",
      );
    }
    if (limit === undefined) return skip(`${operationLabel(ctx.request.method, ctx.step.request.path)} held the target for ${Math.round(shortest)} ms, but its answers in this run usually take ${live.typicalMs} ms: its usual cost on this host, not this input's`);
  }
  if (limit === undefined) return skip("no response time limit configured");
  if (took <= limit) return pass(`${Math.round(took)} ms within ${limit} ms`);
  return fail(`${operationLabel(ctx.request.method, ctx.step.request.path)} took ${Math.round(took)} ms, limit ${limit} ms`, "exceeded");
}
