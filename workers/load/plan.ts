/**
 * The performance planner: which operations a load test sends, with what data, and the shape of
 * the rate over time for each profile. Read operations (GET, HEAD) only unless writes are allowed;
 * request data comes from the functional-positive generator (spec examples first, realistic
 * generated values otherwise), so a load test asks what a real client would.
 */
import type { ApiModel, Operation, RequestTemplate } from "../model";
import { positiveDrafts } from "../orchestrator/agents/functional-positive";
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
    // a single request (no setup chain) that needs no id only a write could make
    const draft = positiveDrafts(env, op).find((d) => d.steps.length === 1 && !JSON.stringify(d.steps[0].request).includes("{{"));
    if (!draft) {
      skipped.push({ operation: label(op), reason: "needs an id that only a create request would make: give the path parameter an example in the spec" });
      continue;
    }
    requests.push({ operationId: op.operationId, label: label(op), template: draft.steps[0].request });
  }
  if (!requests.length) throw new PlanError(chosen.length ? "none of the operations can be loaded without writes (see skipped)" : "the spec has no read operation to load (name operations, or allow writes)");
  return { requests, skipped };
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
