/**
 * Past findings guide generation: the payload families that found bugs on operations like this
 * one (in earlier runs of the same org, retrieved by operation embedding: ai/embeddings/guidance.ts)
 * are tried first. A family is the agent with the case's tags ("security-injection:injection,sql");
 * a case without tags belongs to none. Guidance only reorders: it adds no case and removes none,
 * so the total cap (capFairly keeps each group's first cases) keeps the guided ones.
 */
import type { TestCase } from "../model";

/** operationId → families that found bugs on similar operations, most similar first */
export type Guidance = ReadonlyMap<string, readonly string[]>;

/** Tags that say how sure a case is, not what it sends. */
const NOT_A_FAMILY = new Set(["weak", "tolerated"]);

export function caseFamily(testCase: Pick<TestCase, "agent" | "tags">): string | undefined {
  const tags = (testCase.tags ?? []).filter((t) => !NOT_A_FAMILY.has(t));
  return tags.length > 0 ? `${testCase.agent}:${tags.join(",")}` : undefined;
}

/**
 * The cases of guided operations whose family found a bug on a similar operation move to the front
 * of the plan, best-ranked family first; every other case keeps its place and order.
 */
export function guidedOrder(cases: readonly TestCase[], guidance: Guidance): TestCase[] {
  if (guidance.size === 0) return [...cases];
  const rank = (c: TestCase): number => {
    const families = guidance.get(c.operationId);
    const family = families ? caseFamily(c) : undefined;
    const at = family ? families!.indexOf(family) : -1;
    return at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  const ranked = cases.map((c, i) => ({ c, i, r: rank(c) }));
  const first = ranked.filter((x) => x.r !== Number.POSITIVE_INFINITY).sort((a, b) => a.r - b.r || a.i - b.i);
  return [...first.map((x) => x.c), ...ranked.filter((x) => x.r === Number.POSITIVE_INFINITY).map((x) => x.c)];
}
