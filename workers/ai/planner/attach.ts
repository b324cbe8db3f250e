/**
 * Oracles become checks: each oracle that is not rejected is attached to the positive cases of its
 * operation (LLM cases first), at most a few per oracle to keep queue messages small.
 */
import type { ApiModel, TestCase } from "../../model";
import type { StoredOracle } from "./propose-oracles";

const CASES_PER_ORACLE = 6;

export function attachOracles(model: ApiModel, cases: TestCase[], oracles: readonly StoredOracle[]): { cases: TestCase[]; attached: number } {
  const live = oracles.filter((o) => o.status !== "rejected");
  if (live.length === 0) return { cases, attached: 0 };
  const byOperation = new Map<string, { method: string; path: string }>();
  for (const op of model.operations) byOperation.set(op.operationId, { method: op.method.toLowerCase(), path: op.path });
  const out = cases.map((c) => c);
  let attached = 0;
  for (const oracle of live) {
    const target = byOperation.get(oracle.operationId);
    if (!target) continue;
    const candidates = out
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.kind === "positive" && c.steps.some((s) => String(s.request.method).toLowerCase() === target.method && s.request.path === target.path))
      .sort((a, b) => Number(b.c.agent === "llm") - Number(a.c.agent === "llm"))
      .slice(0, CASES_PER_ORACLE);
    for (const { c, index } of candidates) {
      const name = oracle.source === "llm" ? ("llm_oracle" as const) : ("inferred_invariant" as const);
      const params = {
        oracle: {
          id: oracle.id,
          assertion: oracle.assertion,
          ...(oracle.source === "llm" ? { sentence: oracle.sentence } : {}),
          status: oracle.status === "accepted" ? "accepted" : "proposed",
          ...(oracle.observations !== undefined ? { observations: oracle.observations } : {}),
        },
      };
      out[index] = {
        ...c,
        steps: c.steps.map((s) =>
          String(s.request.method).toLowerCase() === target.method && s.request.path === target.path ? { ...s, checks: [...s.checks, { name, params }] } : s,
        ),
      };
      attached += 1;
    }
  }
  return { cases: out, attached };
}
