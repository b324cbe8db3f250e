/**
 * The planner's cases as runs of one (agent, operation) group each, in plan order, and the total
 * cap over them. A lazy agent's run (types.ts byOperation) is built only as far as the cap asks:
 * the cap keeps the n-th case of every group before any (n+1)-th, so with a small cap most cases
 * past it are never built. What is kept, and its order, is what capping the whole list keeps.
 */
import type { TestCase } from "../model";

/** Consecutive cases of one group, in plan order. */
export interface Run {
  key: string;
  /** index of the agent in the plan's order (an agent failing while built drops all its runs) */
  agent: number;
  /** the cases built so far, kept by the placeholder check */
  cases: TestCase[];
  /** the cases still to build (lazy agents); undefined once done */
  rest?: Iterator<TestCase>;
  /** the most cases the rest may still give */
  room: number;
  /** cases dropped while built, in order */
  warnings: string[];
}

/** An agent threw while one of its lazy runs was built. */
export class AgentFailure extends Error {
  constructor(
    readonly agent: number,
    readonly error: unknown,
  ) {
    super("agent failed");
  }
}

export const groupKey = (c: Pick<TestCase, "agent" | "operationId">) => `${c.agent}\u0000${c.operationId}`;

/** Runs of consecutive cases sharing a group. */
export function runsOf(cases: readonly TestCase[], agent: number): Run[] {
  const runs: Run[] = [];
  let last: Run | undefined;
  for (const c of cases) {
    const key = groupKey(c);
    if (last?.key === key) last.cases.push(c);
    else runs.push((last = { key, agent, cases: [c], room: 0, warnings: [] }));
  }
  return runs;
}

/** Builds the next case of a lazy run that the placeholder check keeps; false when there is none. */
export function buildNext(run: Run, drop: (c: TestCase) => string | undefined): boolean {
  while (run.rest) {
    let next: IteratorResult<TestCase>;
    try {
      next = run.rest.next();
    } catch (error) {
      throw new AgentFailure(run.agent, error);
    }
    if (next.done) {
      run.rest = undefined;
      run.room = 0;
      return false;
    }
    run.room--;
    const warning = drop(next.value);
    if (warning !== undefined) run.warnings.push(warning);
    else {
      run.cases.push(next.value);
      return true;
    }
  }
  return false;
}

/** Builds every case of a lazy run. */
export function buildAll(run: Run, drop: (c: TestCase) => string | undefined): void {
  while (buildNext(run, drop));
}

/**
 * At most `cap` cases, the n-th case of every group before any (n+1)-th, groups in the order they
 * first appear, kept in plan order; cases of lazy runs are built only when their turn comes.
 * `more`: a case past the kept ones exists (one more is built to tell).
 */
export function capRuns(runs: readonly Run[], cap: number, drop: (c: TestCase) => string | undefined): { kept: TestCase[]; more: boolean } {
  const groups = new Map<string, { runs: Run[]; keep: number }>();
  for (const run of runs) {
    const group = groups.get(run.key);
    if (group) group.runs.push(run);
    else groups.set(run.key, { runs: [run], keep: 0 });
  }
  // does the group have an n-th case (counting from 0)? Earlier runs are built out first.
  const has = (group: { runs: Run[] }, n: number): boolean => {
    let before = 0;
    for (const run of group.runs) {
      while (run.rest && before + run.cases.length <= n) buildNext(run, drop);
      before += run.cases.length;
      if (before > n) return true;
    }
    return false;
  };
  let kept = 0;
  for (let round = 0; kept < cap; round++) {
    let added = false;
    for (const group of groups.values()) {
      if (kept >= cap) break;
      if (has(group, round)) {
        group.keep = round + 1;
        kept++;
        added = true;
      }
    }
    if (!added) break;
  }
  let more = false;
  for (const group of groups.values()) if ((more = has(group, group.keep))) break;
  const out: TestCase[] = [];
  const left = new Map([...groups].map(([key, group]) => [key, group.keep]));
  for (const run of runs) {
    const take = Math.min(run.cases.length, left.get(run.key)!);
    for (let i = 0; i < take; i++) out.push(run.cases[i]);
    left.set(run.key, left.get(run.key)! - take);
  }
  return { kept: out, more };
}
