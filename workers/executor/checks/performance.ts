/**
 * Latency budget per response: `params.limitMs`, else the run's config.maxResponseTimeMs; an
 * answer over it fails only when the slowness reproduces (the executor sends it again:
 * `exchange.retimedMs`, see run-case.ts retime). Without
 * any budget, one thing still fails: a request that stopped the whole target (liveness evidence,
 * confirmed by a repeat; see executor/liveness.ts) — a denial of service, whatever the budget —
 * unless the stop lasted no longer than a few of the operation's usual answers in the same run
 * (`typicalMs`): then it is what every call of it costs on this host (a password hash on a
 * saturated machine), which the absolute thresholds of the probe cannot tell from a spin. And a
 * catastrophic-backtracking probe (params.redos, agents/redos.ts) fails whose time grows
 * exponentially with its length.
 */
import { operationLabel, paramNumber, paramString, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

/** a stop counts only when both its observations last more than this many of the operation's usual answers */
export const TYPICAL_FACTOR = 4;

/** a probe must take at least this long, twice, to count: below it, timing noise on a busy machine */
const REDOS_MIN_MS = 150;
/** … and this many times the slower valid value of the same length (a slow target's spread stays under it) … */
const REDOS_OVER_VALID = 10;
/**
 * … and this many times the probe six characters shorter: polynomial work grows by at most ~2.2×
 * over six characters of 26, doubling per character by 64× (16× when the server checks only the
 * text's last characters)
 */
const REDOS_GROWTH = 4;

function durationOf(ctx: CheckContext, param: string): number | undefined {
  return stepRecord(ctx, paramString(ctx, param))?.exchange.response?.durationMs;
}

/**
 * The ReDoS verdict: the probe and its repeat both slow, both far slower than a valid value of the
 * same length (sent before each) and than the probe six characters shorter — time that grows
 * with a few characters more, not a slow operation or a busy target. A probe that only waited
 * behind another request (liveness saw the target blocked but the repeat alone was quick) is no
 * evidence.
 */
function redosVerdict(ctx: CheckContext): CheckResult {
  const probe = ctx.response.durationMs;
  const repeat = durationOf(ctx, "repeatStep");
  const valid = [durationOf(ctx, "controlStep"), durationOf(ctx, "repeatControlStep")];
  const shorter = durationOf(ctx, "shortStep");
  if (repeat === undefined || shorter === undefined || valid.some((d) => d === undefined)) return skip("a step of the backtracking probe has no response: no comparison");
  const live = ctx.exchange.liveness;
  if (live?.blocked && !live.confirmed) return skip("the probe waited behind another request (sent again alone, it was quick)");
  const slowestValid = Math.max(...(valid as number[]));
  const slow = (ms: number) => ms >= REDOS_MIN_MS && ms >= REDOS_OVER_VALID * slowestValid && ms >= REDOS_GROWTH * shorter;
  const where = paramString(ctx, "location") ?? "the input";
  const payload = paramString(ctx, "payload") ?? "";
  if (!slow(probe) || !slow(repeat)) return pass(`${where}: the ${payload.length}-character probe took ${Math.round(probe)} and ${Math.round(repeat)} ms, a valid value ${valid.map((d) => Math.round(d!)).join(" and ")} ms, the shorter probe ${Math.round(shorter)} ms`);
  const shown = payload.length > 12 ? `${payload.slice(0, 3)}…${payload.slice(-3)}` : payload;
  return fail(
    `${operationLabel(ctx.request.method, ctx.step.request.path)}: ${where} of ${payload.length} characters ("${shown}": a run of one character ending in another that breaks it) took ${Math.round(probe)} ms and again ${Math.round(repeat)} ms, the same probe ${paramNumber(ctx, "shorterLength") ?? "a few"} characters long ${Math.round(shorter)} ms and a valid value of the same length ${valid.map((d) => Math.round(d!)).join(" and ")} ms: the time grows exponentially with the input (catastrophic regex backtracking, ReDoS); a few such requests per second keep the server busy`,
    "redos",
    "medium",
  );
}

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
    if (ctx.params.redos === true) return redosVerdict(ctx);
    if (limit === undefined) return skip(`${operationLabel(ctx.request.method, ctx.step.request.path)} held the target for ${Math.round(shortest)} ms, but its answers in this run usually take ${live.typicalMs} ms: its usual cost on this host, not this input's`);
  }
  if (ctx.params.redos === true) return redosVerdict(ctx);
  if (limit === undefined) return skip("no response time limit configured");
  if (took <= limit) return pass(`${Math.round(took)} ms within ${limit} ms`);
  const label = operationLabel(ctx.request.method, ctx.step.request.path);
  // a finding must reproduce: the executor sent the slow request again (run-case.ts, retime)
  const repeats = ctx.exchange.retimedMs;
  if (repeats !== undefined) {
    const times = repeats.map((ms) => `${ms} ms`).join(" and ");
    if (repeats.length === 0) return skip(`${label} took ${Math.round(took)} ms (limit ${limit} ms); sent again, it never answered ${ctx.response.status} again: the slowness could not be measured twice`);
    if (repeats.some((ms) => ms <= limit)) return pass(`${label} took ${Math.round(took)} ms once, but sent again ${times}: within ${limit} ms, the slowness did not reproduce`);
    return fail(`${label} took ${Math.round(took)} ms, limit ${limit} ms; sent again, ${times}`, "exceeded");
  }
  return fail(`${label} took ${Math.round(took)} ms, limit ${limit} ms`, "exceeded");
}
