/**
 * The performance planner: which operations a load test sends, with what data, and the shape of
 * the rate over time for each profile. Read operations (GET, HEAD) only unless writes are allowed;
 * request data comes from the functional-positive generator (spec examples first, realistic
 * generated values otherwise), and ids the spec gives no value for come from the list operation
 * beside the item one (harvested before the test), so a load test asks what a real client would.
 */
import type { ApiModel, Operation, Parameter, RequestTemplate } from "../model";
import { positiveDrafts } from "../orchestrator/agents/functional-positive";
import type { CaseDraft } from "../orchestrator/agents/case-helpers";
import { agentEnv } from "../orchestrator/agents/requests";
import { constantSchedule, type Schedule } from "./schedule";
import type { LoadProfile } from "./types";

export const LOAD_PROFILES: readonly LoadProfile[] = ["load", "stress", "spike", "soak"];
const SAFE_METHODS = new Set(["get", "head"]);
/** at most this many operations share a test's rate (round robin) */
export const MAX_LOAD_OPERATIONS = 20;

export interface PlannedRequest {
  operationId: string;
  /** "GET /items/{id}" */
  label: string;
  template: RequestTemplate;
  /**
   * The path parameter has no value in the spec: real ids are read from this list operation's
   * response before the test (one GET), and the template is sent once per id.
   */
  harvest?: { param: string; list: RequestTemplate; listLabel: string };
}

export interface LoadPlan {
  requests: PlannedRequest[];
  /** operations left out, and why */
  skipped: { operation: string; reason: string }[];
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly selector?: string,
  ) {
    super(message);
    this.name = "PlanError";
  }
}

const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** `"GET /items"` or an operationId; case-insensitive method, exact path template. */
export function findOperation(model: ApiModel, selector: string): Operation | undefined {
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(selector);
  if (m) return model.operations.find((op) => op.method === m[1].toLowerCase() && op.path === m[2]);
  return model.operations.find((op) => op.operationId === selector.trim());
}

export function planLoad(model: ApiModel, options: { operations?: string[]; allowWrites?: boolean; seed: number }): LoadPlan {
  const skipped: LoadPlan["skipped"] = [];
  let chosen: Operation[];
  if (options.operations?.length) {
    chosen = options.operations.map((selector) => {
      const op = findOperation(model, selector);
      if (!op) throw new PlanError(`no operation "${selector}" in the spec (use "METHOD /path" or an operationId)`, selector);
      if (!SAFE_METHODS.has(op.method) && !options.allowWrites) {
        throw new PlanError(`${label(op)} writes: load it only with allowWrites (--allow-writes)`, selector);
      }
      return op;
    });
  } else {
    chosen = model.operations.filter((op) => !op.deprecated && (SAFE_METHODS.has(op.method) || options.allowWrites));
  }
  const env = agentEnv({ model, seed: options.seed, config: { identities: [], maxCasesPerOperation: 8 } });
  const requests: PlannedRequest[] = [];
  for (const op of chosen) {
    if (requests.length >= MAX_LOAD_OPERATIONS) {
      skipped.push({ operation: label(op), reason: `more than ${MAX_LOAD_OPERATIONS} operations` });
      continue;
    }
    const drafts = [...positiveDrafts(env, op)];
    // a path id the spec gives no value for: real ones from the list operation beside it
    const harvest = harvestSource(model, env, op, drafts);
    if (harvest) {
      requests.push({ operationId: op.operationId, label: label(op), template: harvest.template, harvest: harvest.from });
      continue;
    }
    // a single request (no setup chain) that needs no id only a write could make
    const draft = drafts.find((d) => d.steps.length === 1 && !JSON.stringify(d.steps[0].request).includes("{{"));
    if (!draft) {
      skipped.push({ operation: label(op), reason: "needs an id that only a create request would make and no list operation gives: give the path parameter an example in the spec" });
      continue;
    }
    requests.push({ operationId: op.operationId, label: label(op), template: draft.steps[0].request });
  }
  if (!requests.length) throw new PlanError(chosen.length ? "none of the operations can be loaded without writes (see skipped)" : "the spec has no read operation to load (name operations, or allow writes)");
  return { requests, skipped };
}

/** A value the spec itself names for a parameter (example, default, enum, const). */
function specGivesValue(p: Parameter): boolean {
  const schema = (typeof p.schema === "object" && p.schema !== null ? p.schema : {}) as Record<string, unknown>;
  return p.example !== undefined || (p.examples?.length ?? 0) > 0 || ["example", "default", "const", "enum", "examples"].some((k) => schema[k] !== undefined);
}

/**
 * `GET /items/{id}` whose last path parameter has no value in the spec, beside a `GET /items` that
 * can be sent alone: the list is read once before the test and the ids it returns fill {id}.
 */
function harvestSource(model: ApiModel, env: ReturnType<typeof agentEnv>, op: Operation, drafts: readonly CaseDraft[]): { template: RequestTemplate; from: NonNullable<PlannedRequest["harvest"]> } | undefined {
  const m = /^(\/.*)\/\{([^}/]+)\}$/.exec(op.path);
  if (!m || !SAFE_METHODS.has(op.method)) return undefined;
  const [, listPath, param] = m;
  const parameter = op.parameters.find((p) => p.in === "path" && p.name === param);
  if (!parameter || specGivesValue(parameter)) return undefined;
  const listOp = model.operations.find((o) => o.method === "get" && o.path === listPath);
  if (!listOp) return undefined;
  const list = [...positiveDrafts(env, listOp)].find((d) => d.steps.length === 1 && !JSON.stringify(d.steps[0].request).includes("{{"));
  // the item request itself: its last step, the id left for the harvest; nothing else may wait on a setup step
  const item = drafts.map((d) => d.steps[d.steps.length - 1].request).find((r) => !JSON.stringify({ ...r, pathParams: { ...r.pathParams, [param]: "" } }).includes("{{"));
  if (!list || !item) return undefined;
  return { template: { ...item, pathParams: { ...item.pathParams, [param]: "" } }, from: { param, list: list.steps[0].request, listLabel: label(listOp) } };
}

const ID_ARRAY_KEYS = ["items", "data", "results", "records", "content", "values", "entries", "list", "rows", "objects"];

/**
 * Ids from a list response: the array itself, or the array under a usual key (items, data, results
 * …) or the only array property; from each element the field named like the parameter, else `id`,
 * else `<singular>Id`; plain strings and numbers are ids themselves. At most `max`, distinct.
 */
export function harvestIds(body: unknown, param: string, max = 20): string[] {
  let array: unknown[] | undefined;
  if (Array.isArray(body)) array = body;
  else if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const key = ID_ARRAY_KEYS.find((k) => Array.isArray(record[k])) ?? Object.keys(record).filter((k) => Array.isArray(record[k])).at(0);
    if (key) array = record[key] as unknown[];
  }
  const ids = new Set<string>();
  const stem = param.replace(/[_-]?id$/i, "");
  for (const element of array ?? []) {
    if (ids.size >= max) break;
    let value: unknown = element;
    if (element && typeof element === "object") {
      const e = element as Record<string, unknown>;
      value = e[param] ?? e.id ?? e.ID ?? e._id ?? (stem ? (e[`${stem}Id`] ?? e[`${stem}_id`]) : undefined);
    }
    if ((typeof value === "string" && value !== "") || (typeof value === "number" && Number.isFinite(value))) ids.add(String(value));
  }
  return [...ids];
}

/** One request list in which every operation has the same share, each of its variants (ids) in turn. */
export function interleave<T>(variants: T[][]): T[] {
  const longest = Math.max(0, ...variants.map((v) => v.length));
  const out: T[] = [];
  for (let k = 0; k < longest; k++) for (const v of variants) if (v.length) out.push(v[k % v.length]);
  return out;
}

export interface ProfileShape {
  schedule: Schedule;
  /** spike: when the jump starts and ends (ms from the start) */
  spike?: { startMs: number; endMs: number };
}

/**
 * load / soak: the rate, after an optional ramp. stress: a linear climb from 5% to the rate over
 * the whole duration (the report names where it broke). spike: 20% of the rate, a jump to the
 * full rate for the middle fifth, then back (the report measures the recovery).
 */
export function profileShape(profile: LoadProfile, rate: number, durationMs: number, rampMs = 0): ProfileShape {
  switch (profile) {
    case "load":
    case "soak":
      return { schedule: constantSchedule(rate, durationMs, rampMs) };
    case "stress":
      return { schedule: { startRate: rate * 0.05, stages: [{ durationMs, target: rate }] } };
    case "spike": {
      const base = rate * 0.2;
      const startMs = Math.round(durationMs * 0.4);
      const endMs = Math.round(durationMs * 0.6);
      return {
        schedule: {
          startRate: base,
          stages: [
            { durationMs: startMs, target: base },
            { durationMs: 0, target: rate },
            { durationMs: endMs - startMs, target: rate },
            { durationMs: 0, target: base },
            { durationMs: durationMs - endMs, target: base },
          ],
        },
        spike: { startMs, endMs },
      };
    }
  }
}
