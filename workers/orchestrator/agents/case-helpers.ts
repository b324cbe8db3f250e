/**
 * Assembling cases: stable ids (`${agent}:${operationId}:${n}`), dedupe of identical requests,
 * and a per-operation cap that keeps variety (round-robin over the families of cases).
 */
import type { CaseKind, CheckSpec, Step, TestCase } from "../../model";
import { jsonHash } from "../../shared/json-hash";

export interface CaseDraft {
  kind: CaseKind;
  title: string;
  steps: Step[];
  tags?: string[];
}

/** Interleave groups (one per family) so a cap keeps some of each. */
export function roundRobin<T>(groups: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  for (let i = 0; i < longest; i++) for (const group of groups) if (i < group.length) out.push(group[i]);
  return out;
}

/** roundRobin over lazy groups: a group's next item is computed only when its turn comes. */
export function* roundRobinLazy<T>(groups: Iterable<T>[]): Generator<T> {
  let live = groups.map((g) => g[Symbol.iterator]());
  while (live.length > 0) {
    const next: Iterator<T>[] = [];
    for (const it of live) {
      const step = it.next();
      if (step.done) continue;
      yield step.value;
      next.push(it);
    }
    live = next;
  }
}

/** A lazy sequence read by several consumers: each item is computed once, when first asked for. */
export function replayable<T>(source: Iterable<T>): Iterable<T> {
  const cache: T[] = [];
  let it: Iterator<T> | undefined;
  let done = false;
  return {
    *[Symbol.iterator]() {
      for (let i = 0; ; i++) {
        if (i < cache.length) {
          yield cache[i];
          continue;
        }
        if (done) return;
        it ??= source[Symbol.iterator]();
        const step = it.next();
        if (step.done) {
          done = true;
          return;
        }
        cache.push(step.value);
        yield step.value;
      }
    },
  };
}

/** A group computed whole, but only when its first item is asked for. */
export function* deferred<T>(build: () => Iterable<T>): Generator<T> {
  yield* build();
}

/** The first `count` items of a lazy sequence (no more of it is computed). */
export function take<T>(source: Iterable<T>, count: number): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  for (const item of source) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}

/** The items of a lazy sequence that pass a test, tested as they are asked for. */
export function* where<T>(source: Iterable<T>, test: (item: T) => boolean): Generator<T> {
  for (const item of source) if (test(item)) yield item;
}

/** A draft whose kind the type system knows (a lazy agent's drafts are never positive: types.ts). */
export type DraftOf<K extends CaseKind> = CaseDraft & { kind: K };

/**
 * Number the drafts of one operation into cases, dropping exact duplicates, up to `cap`. Lazy
 * drafts are built only until the cap is reached (a big spec leaves ~1 case per operation).
 */
export function finishCases(agent: string, operationId: string, drafts: Iterable<CaseDraft>, cap: number, idKey = operationId): TestCase[] {
  return [...finishedCases(agent, operationId, drafts, cap, idKey)];
}

/**
 * finishCases one case at a time: each case is numbered and checked for a duplicate when asked
 * for, so the planner's total cap builds only the cases it keeps (plan.ts). Asked for a case
 * after the cap-th, it ends without building a draft.
 */
export function* finishedCases<K extends CaseKind>(agent: string, operationId: string, drafts: Iterable<DraftOf<K>>, cap: number, idKey = operationId): Generator<TestCase & { kind: K }> {
  // kept drafts by signature; their whole JSON is written only when a later draft shares the signature
  const kept = new Map<number, { steps: Step[]; json?: string }[]>();
  let count = 0;
  if (cap <= 0) return;
  for (const draft of drafts) {
    const sig = signature(draft.steps);
    const alike = kept.get(sig);
    if (alike === undefined) kept.set(sig, [{ steps: draft.steps }]);
    else {
      const json = JSON.stringify(draft.steps);
      if (alike.some((other) => (other.json ??= JSON.stringify(other.steps)) === json)) continue;
      alike.push({ steps: draft.steps, json });
    }
    const testCase: TestCase & { kind: K } = { id: `${agent}:${idKey}:${count}`, agent, operationId, kind: draft.kind, title: draft.title, steps: draft.steps };
    if (draft.tags && draft.tags.length > 0) testCase.tags = draft.tags;
    count++;
    yield testCase;
    // stop before the next draft is built
    if (count >= cap) return;
  }
}

/**
 * A number equal for any two step lists with equal JSON (jsonHash of their number and, of every
 * step with checks, the checks and the top of the request: method, path, parameters, the body's
 * members with their scalar values): duplicates share it, and distinct drafts rarely do (a
 * check's payload, reason or location, or a value of the request differs), so the whole JSON is
 * rarely needed.
 */
function signature(steps: Step[]): number {
  let h = jsonHash(steps.length);
  // checks are required by the type; a foreign agent's step without them still gets a signature
  for (const step of steps) {
    if (!(step.checks?.length > 0)) continue;
    h = jsonHash(step.checks, h);
    h = jsonHash(step.request, h, REQUEST_DEPTH);
  }
  return h;
}

/** request → body → value → its members: scalars there are read, deeper objects count by kind */
const REQUEST_DEPTH = 4;

export function check(name: CheckSpec["name"], params?: Record<string, unknown>): CheckSpec {
  return params ? { name, params } : { name };
}

/** "get /pets/{petId}" for titles */
export function opLabel(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
