/**
 * Planning: spec model + config → the run's test cases. Deterministic for a given seed (every
 * agent draws from its own seeded stream), with stable case ids (`${agent}:${operationId}:${n}`),
 * a per-operation cap inside each agent and a total cap that keeps every operation represented.
 * A case whose path would leave a `{param}` unfilled is dropped with a warning: no request is ever
 * sent with a literal placeholder. This is also the one place where operations are chosen for every
 * agent: `--include`/`--exclude` filters, and destructive operations held back unless allowed —
 * then their cases come last, to be run alone after every other case.
 */
import type { ApiModel, TestCase } from "../model";
import { operationKey, selectOperations, type HeldBackOperation, type OperationSelection } from "./operation-filter";
import { AGENTS, getAgent } from "./agents";
import { RUN_LAST_TAG } from "./agents/auth-abuse";
import { placeholdersOf } from "./agents/resources";
import { endsSession } from "./ends-session";
import type { Agent, PlanConfig } from "./agents/types";
import { COVERAGE_AGENT, seekUncovered } from "./seek-coverage";
import { guidedOrder, type Guidance } from "./guided-order";
import { AgentFailure, buildAll, capRuns, runsOf, type Run } from "./plan-groups";

export interface PlanInput {
  model: ApiModel;
  seed: number;
  /** agent names to run (default: all TypeScript agents) */
  agents?: string[];
  config: PlanConfig;
  /** more agents (e.g. wasm agents loaded by the caller), selectable by name like the others */
  extraAgents?: Agent[];
  /** include/exclude filters and the destructive-operation opt-in */
  selection?: OperationSelection;
  /** payload families that found bugs on similar operations before: their cases are tried first */
  guidance?: Guidance;
}

export interface PlanResult {
  cases: TestCase[];
  warnings: string[];
  /** operations not tested because they are destructive (and not allowed) */
  heldBack: HeldBackOperation[];
  /** the last `destructiveCases` of `cases` run alone, after the rest: bursts tagged run-last, destructive ones, then sign-outs */
  destructiveCases: number;
  /** include/exclude filters that matched no operation */
  unmatchedFilters: string[];
}

const DEFAULT_TOTAL_CAP = 20_000;

/** Steps whose path still has a `{param}` without a value. */
export function unfilledPlaceholders(testCase: TestCase): string[] {
  const problems: string[] = [];
  for (const step of testCase.steps) {
    for (const name of placeholdersOf(step.request.path)) {
      const value = step.request.pathParams?.[name];
      if (value === undefined || value === null || value === "") problems.push(`${step.id}: {${name}}`);
    }
  }
  return problems;
}

/** Keep at most `cap` cases, taking the n-th case of every (agent, operation) before any (n+1)-th. */
export function capFairly(cases: TestCase[], cap: number): TestCase[] {
  if (cases.length <= cap) return cases;
  const groups = new Map<string, TestCase[]>();
  for (const c of cases) {
    const key = `${c.agent}\u0000${c.operationId}`;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const keep = new Set<TestCase>();
  for (let round = 0; keep.size < cap; round++) {
    let added = false;
    for (const group of groups.values()) {
      if (round < group.length && keep.size < cap) {
        keep.add(group[round]);
        added = true;
      }
    }
    if (!added) break;
  }
  return cases.filter((c) => keep.has(c)); // original order
}

export async function planRun(input: PlanInput): Promise<PlanResult> {
  const warnings: string[] = [];
  const config: PlanConfig = { ...input.config, maxCasesPerOperation: Math.max(1, Math.floor(input.config.maxCasesPerOperation || 1)) };
  const available = new Map<string, Agent>(AGENTS.map((a) => [a.name, a]));
  for (const agent of input.extraAgents ?? []) available.set(agent.name, agent);
  const names = input.agents && input.agents.length > 0 ? input.agents : [...available.keys()];
  const selected: Agent[] = [];
  for (const name of names) {
    const agent = available.get(name) ?? getAgent(name);
    if (!agent) warnings.push(`unknown agent "${name}" ignored`);
    else if (!selected.includes(agent)) selected.push(agent);
  }

  // Memory: generating far more cases than the total cap and trimming afterwards would not fit a
  // Worker (128 MB) on specs with thousands of operations, so the per-operation budget shrinks
  // with the spec: about twice the cap in all, leaving capFairly room to choose.
  const chosen = selectOperations(input.model.operations, input.selection);
  const model: ApiModel = { ...input.model, operations: chosen.operations };

  const totalCap = config.maxTotalCases ?? DEFAULT_TOTAL_CAP;
  const operations = Math.max(1, model.operations.length);
  const perOperationBudget = Math.max(1, Math.floor((2 * totalCap) / (operations * Math.max(1, selected.length))));
  config.maxCasesPerOperation = Math.min(config.maxCasesPerOperation, perOperationBudget);

  // every agent's cases as runs of one (agent, operation) group; a lazy agent's are built later
  const drop = (testCase: TestCase) => {
    const unfilled = unfilledPlaceholders(testCase);
    return unfilled.length > 0 ? `case ${testCase.id} dropped: unfilled path placeholder ${unfilled.join(", ")}` : undefined;
  };
  const perAgent: { failed?: string; warnings: string[]; runs: Run[] }[] = [];
  const ctx = { model, seed: input.seed, config };
  for (const [index, agent] of selected.entries()) {
    try {
      if (agent.byOperation) {
        perAgent.push({ warnings: [], runs: agent.byOperation(ctx).map((group) => ({ key: `${agent.name}\u0000${group.operationId}`, agent: index, cases: [], rest: group.cases[Symbol.iterator](), room: config.maxCasesPerOperation, warnings: [] })) });
        continue;
      }
      const produced = await agent.generate(ctx);
      const warnings: string[] = [];
      const cases = produced.filter((testCase) => {
        const warning = drop(testCase);
        if (warning !== undefined) warnings.push(warning);
        return warning === undefined;
      });
      perAgent.push({ warnings, runs: runsOf(cases, index) });
    } catch (error) {
      perAgent.push({ failed: `agent ${agent.name} failed: ${error instanceof Error ? error.message : String(error)}`, warnings: [], runs: [] });
    }
  }
  const fail = (failure: AgentFailure) => {
    const error = failure.error;
    perAgent[failure.agent] = { failed: `agent ${selected[failure.agent].name} failed: ${error instanceof Error ? error.message : String(error)}`, warnings: [], runs: [] };
  };

  // Lazily, the cap builds only the cases it keeps: when no guidance reorders the plan, and the
  // ids come out as numbering every case would give them (no other case's id in a lazy agent's
  // `${agent}:` namespace, one group per operation). Otherwise every case is built first.
  const lazyAgents = selected.filter((agent, i) => agent.byOperation && !agent.name.includes(":") && agent.name !== COVERAGE_AGENT && !perAgent[i].failed);
  const lazyRuns = () => perAgent.flatMap((a) => a.runs.filter((run) => run.rest));
  const inLazyNamespace = (id: string) => lazyAgents.some((agent) => id.startsWith(`${agent.name}:`));
  const eagerCases = () => perAgent.flatMap((a, i) => (selected[i].byOperation ? [] : a.runs.flatMap((run) => run.cases)));
  let lazy =
    (!input.guidance || input.guidance.size === 0) &&
    lazyAgents.length === selected.filter((agent, i) => agent.byOperation && !perAgent[i].failed).length &&
    perAgent.every((a, i) => !selected[i].byOperation || new Set(a.runs.map((run) => run.key)).size === a.runs.length) &&
    !eagerCases().some((c) => inLazyNamespace(c.id));
  // …and only when the cap can bind
  if (lazy) lazy = eagerCases().length + lazyRuns().reduce((sum, run) => sum + run.room, 0) > totalCap;

  let cases: TestCase[];
  let kept: TestCase[];
  let more: boolean;
  if (!lazy) {
    for (;;) {
      try {
        for (const run of lazyRuns()) buildAll(run, drop);
        break;
      } catch (error) {
        if (!(error instanceof AgentFailure)) throw error;
        fail(error);
      }
    }
    cases = numbered(perAgent.flatMap((a) => a.runs.flatMap((run) => run.cases)), new Set());
    cases.push(...coverageCases(selected, model, cases, input.seed, config, new Set(cases.map((c) => c.id))));
    kept = capFairly(input.guidance ? guidedOrder(cases, input.guidance) : cases, totalCap);
    more = kept.length < cases.length;
  } else {
    // lazy agents' ids need no renumbering: unique within their namespace, which no other case is in
    const ids = new Set<string>();
    for (const [i, a] of perAgent.entries()) if (!selected[i].byOperation) for (const run of a.runs) run.cases = numbered(run.cases, ids);
    const coverage = coverageCases(selected, model, eagerCases(), input.seed, config, ids);
    for (;;) {
      try {
        ({ kept, more } = capRuns([...perAgent.flatMap((a) => a.runs), ...runsOf(coverage, selected.length)], totalCap, drop));
        break;
      } catch (error) {
        if (!(error instanceof AgentFailure)) throw error;
        fail(error);
      }
    }
    cases = perAgent.flatMap((a) => a.runs.flatMap((run) => run.cases)).concat(coverage);
  }
  for (const a of perAgent) {
    if (a.failed) warnings.push(a.failed);
    else warnings.push(...a.warnings, ...a.runs.flatMap((run) => run.warnings));
  }
  if (more) warnings.push(lazy ? `planned at least ${cases.length} cases, kept ${kept.length} (total cap ${totalCap})` : `planned ${cases.length} cases, kept ${kept.length} (total cap ${totalCap})`);
  const guarded = guardDestructive(input.model, input.selection, kept);
  for (const op of chosen.heldBack) warnings.push(`${op.method} ${op.path} (${op.operationId}) not tested: ${op.reason} (--allow-destructive runs it)`);
  return { ...guarded, warnings, heldBack: chosen.heldBack, unmatchedFilters: chosen.unmatched };
}

/** Ids made unique in plan order: a repeated one gets `~2`, `~3` … (`ids` holds those given before). */
function numbered(cases: readonly TestCase[], ids: Set<string>): TestCase[] {
  return cases.map((testCase) => {
    let id = testCase.id;
    for (let n = 2; ids.has(id); n++) id = `${testCase.id}~${n}`;
    ids.add(id);
    return id === testCase.id ? testCase : { ...testCase, id };
  });
}

/** Toward what the agents left uncovered (every enum member and boolean sent once, empty lists), with new ids only. */
function coverageCases(selected: readonly Agent[], model: ApiModel, cases: readonly TestCase[], seed: number, config: PlanConfig, ids: Set<string>): TestCase[] {
  if (!selected.some((agent) => agent.name === "functional-positive")) return [];
  const out: TestCase[] = [];
  for (const testCase of seekUncovered(model, cases, seed, config)) {
    if (ids.has(testCase.id)) continue;
    ids.add(testCase.id);
    out.push(testCase);
  }
  return out;
}

/**
 * The last word on destructive operations for any list of cases (the planner's, or with cases
 * added later, e.g. by the AI layer): a case with a step on an operation the selection does not
 * test is dropped, and the cases touching an allowed destructive operation move to the end; after
 * them, last of all, the cases of operations that end the caller's session (a sign-out sent early
 * would leave every later case of its identity without credentials).
 */
export function guardDestructive(model: ApiModel, selection: OperationSelection | undefined, cases: readonly TestCase[]): { cases: TestCase[]; destructiveCases: number } {
  const chosen = selectOperations(model.operations, selection);
  const tested = new Set(chosen.operations.map((op) => operationKey(op.method, op.path)));
  const known = new Set(model.operations.map((op) => operationKey(op.method, op.path)));
  const ordinary: TestCase[] = [];
  const last: TestCase[] = [];
  const destructive: TestCase[] = [];
  const signOut: TestCase[] = [];
  const endingSession = new Set(chosen.operations.filter((op) => endsSession(op) !== undefined).map((op) => operationKey(op.method, op.path)));
  const keyOf = operationKeys();
  for (const c of cases) {
    let untested = false;
    let touchesDestructive = false;
    let touchesSignOut = false;
    for (const step of c.steps) {
      const key = keyOf(step.request.method, step.request.path);
      // a step outside the spec's operations (an agent's own probe URL) is not the selection's business
      if (known.has(key) && !tested.has(key)) untested = true;
      if (chosen.destructive.has(key)) touchesDestructive = true;
      if (endingSession.has(key)) touchesSignOut = true;
    }
    if (untested) continue;
    // a burst that may trip a throttle or a lockout goes after the others too, alone
    (touchesDestructive ? destructive : touchesSignOut ? signOut : c.tags?.includes(RUN_LAST_TAG) ? last : ordinary).push(c);
  }
  return { cases: [...ordinary, ...last, ...destructive, ...signOut], destructiveCases: last.length + destructive.length + signOut.length };
}

/** operationKey, one text per (method, path) made once: a plan asks it of every step of every case. */
function operationKeys(): (method: string, path: string) => string {
  const byMethod = new Map<string, Map<string, string>>();
  return (method, path) => {
    let byPath = byMethod.get(method);
    if (!byPath) byMethod.set(method, (byPath = new Map()));
    let key = byPath.get(path);
    if (key === undefined) byPath.set(path, (key = operationKey(method, path)));
    return key;
  };
}
