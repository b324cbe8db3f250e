/**
 * Oracles written in the AI layer's DSL (workers/ai/oracles/dsl.ts), carried in the check's params:
 * `llm_oracle` — a rule an LLM read in the spec's prose, with the sentence it came from;
 * `inferred_invariant` — a property every earlier observation of the operation agreed on.
 * Both judge successful (2xx) JSON responses only; an absent operand skips.
 */
import { evaluate, type Assertion, type OracleSubject } from "../../ai/oracles/dsl";
import { jsonValue } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

export interface OracleParams {
  id: string;
  assertion: Assertion;
  /** the spec sentence an LLM oracle came from */
  sentence?: string;
  /** proposed oracles are judged with lower confidence until a user accepts them */
  status?: "proposed" | "accepted";
  /** inferred invariants: how many observations agreed */
  observations?: number;
}

function subject(ctx: CheckContext): OracleSubject {
  const steps: Record<string, { body: unknown }> = {};
  for (const [id, record] of Object.entries(ctx.steps)) steps[id] = { body: jsonValue(record.exchange.response) };
  const resolved = ctx.request.resolved;
  return {
    status: ctx.response.status,
    body: jsonValue(ctx.response),
    headers: ctx.response.headers,
    query: resolved?.query ?? {},
    pathParams: resolved?.pathParams ?? {},
    requestHeaders: resolved?.headers ?? {},
    requestBody: resolved?.body?.value,
    steps,
  };
}

function judge(ctx: CheckContext): { params: OracleParams; verdict: ReturnType<typeof evaluate> } | CheckResult {
  const params = ctx.params.oracle as OracleParams | undefined;
  if (!params?.assertion || !params.id) return skip("no oracle in params");
  if (ctx.response.status < 200 || ctx.response.status >= 300) return skip(`status ${ctx.response.status}: the rule is about successful responses`);
  return { params, verdict: evaluate(params.assertion, subject(ctx)) };
}

export function llm_oracle(ctx: CheckContext): CheckResult {
  const judged = judge(ctx);
  if ("status" in judged) return judged;
  const { params, verdict } = judged;
  const rule = `"${params.sentence ?? params.id}"`;
  if (verdict.status === "skipped") return skip(`${rule}: ${verdict.detail}`);
  if (verdict.status === "passed") return pass(`${rule} holds`);
  const accepted = params.status === "accepted";
  return fail(
    `Documented rule broken: ${rule} — ${verdict.detail}${accepted ? "" : " (LLM-inferred oracle, not yet accepted: lower confidence)"}`,
    `oracle:${params.id}`,
    accepted ? "medium" : "low",
  );
}

export function inferred_invariant(ctx: CheckContext): CheckResult {
  const judged = judge(ctx);
  if ("status" in judged) return judged;
  const { params, verdict } = judged;
  if (verdict.status === "skipped") return skip(verdict.detail);
  if (verdict.status === "passed") return pass(`invariant ${params.id} holds`);
  const rule = params.sentence ? `"${params.sentence}"` : params.id;
  const accepted = params.status === "accepted";
  return fail(
    `Invariant ${rule}, which held in ${params.observations ?? "every"} earlier observations, is broken: ${verdict.detail}${accepted ? "" : " (inferred from observed responses, not yet accepted: lower confidence)"}`,
    `invariant:${params.id}`,
  );
}
