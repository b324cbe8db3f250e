/**
 * Oracles become checks: each oracle that is not rejected is attached to cases of its operation
 * (LLM oracles: positive cases; inferred invariants: any case, as they were learnt from any 2xx),
 * preferring cases that send the parameters the rule names, at most a few per oracle to keep
 * queue messages small.
 */
import type { ApiModel, TestCase } from "../../model";
import { references } from "../oracles/dsl";
import type { StoredOracle } from "./propose-oracles";

const CASES_PER_ORACLE = 6;
const CASES_PER_INVARIANT = 16;

/** How many of the query and path parameters an oracle refers to a step of the case on its operation sends. */
function carries(testCase: TestCase, target: { method: string; path: string }, oracle: StoredOracle): number {
  const refs = references(oracle.assertion);
  let best = 0;
  for (const step of testCase.steps) {
    if (String(step.request.method).toLowerCase() !== target.method || step.request.path !== target.path) continue;
    const query = step.request.query ?? {};
    const path = step.request.pathParams ?? {};
    best = Math.max(best, refs.query.filter((q) => query[q] !== undefined).length + refs.path.filter((p) => path[p] !== undefined).length);
  }
  return best;
}

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
    const inferred = oracle.source === "inferred";
    const candidates = out
      .map((c, index) => ({ c, index }))
      // an invariant was learnt from every successful response of its operation, whoever asked: it is
      // checked on the same population (the check judges 2xx responses only)
      .filter(({ c }) => (inferred ? c.kind !== "security" : c.kind === "positive") && c.steps.some((s) => String(s.request.method).toLowerCase() === target.method && s.request.path === target.path))
      // LLM cases first, then cases whose requests carry the parameters the rule names (else it would
      // only skip), then the ones most likely to be answered 2xx: positive, then chains (a boundary
      // case's accepted step)
      .sort(
        (a, b) =>
          Number(b.c.agent === "llm") - Number(a.c.agent === "llm") ||
          carries(b.c, target, oracle) - carries(a.c, target, oracle) ||
          Number(b.c.kind === "positive") - Number(a.c.kind === "positive") ||
          b.c.steps.length - a.c.steps.length,
      )
      .slice(0, inferred ? CASES_PER_INVARIANT : CASES_PER_ORACLE);
    for (const { c, index } of candidates) {
      const name = oracle.source === "llm" ? ("llm_oracle" as const) : ("inferred_invariant" as const);
      const params = {
        oracle: {
          id: oracle.id,
          assertion: oracle.assertion,
          sentence: oracle.sentence,
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
