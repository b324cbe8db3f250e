/**
 * Client-chosen keys unique per request (an `Idempotency-Key` header, or a header the spec describes
 * as unique): the plan's value is fixed by its seed and shared by the cases of one operation, so a
 * server that remembers keys refuses every other body sent with one (422 "key reused") or replays
 * an earlier run's answer, and nothing downstream of the write runs. Each request sends its own:
 * every planned value gets a fresh one of the same shape, valid for the header's schema, per request: a
 * step that repeats an earlier one's request (a replay: the same key with the same body) repeats
 * its key, another body with the same planned key (an injection probe after its baseline) gets its
 * own. A value that is not a plain token (an injection payload) or not valid for the schema (a
 * negative case) is sent as planned.
 */
import type { ApiModel, Parameter, Step, TestCase } from "../model";
import { ModelValidator } from "../jsonschema/validate";
import { freshKey, uniquePerRequest } from "../orchestrator/generate/unique";
import type { Rng } from "../orchestrator/generate/random";

interface KeyHeaders {
  validator: ModelValidator;
  /** "get /path" → the operation's unique-per-request headers */
  byOperation: Map<string, Parameter[]>;
}

/** null: the spec has no such header */
const cache = new WeakMap<ApiModel, KeyHeaders | null>();

function keyHeadersOf(model: ApiModel): KeyHeaders | null {
  let known = cache.get(model);
  if (known === undefined) {
    const byOperation = new Map<string, Parameter[]>();
    for (const op of model.operations) {
      const headers = op.parameters.filter(uniquePerRequest);
      if (headers.length > 0) byOperation.set(`${op.method} ${op.path}`, headers);
    }
    known = byOperation.size > 0 ? { validator: new ModelValidator(model), byOperation } : null;
    cache.set(model, known);
  }
  return known;
}

const TOKEN = /^[A-Za-z0-9_.:@+-]+$/;

/**
 * The case's steps with fresh values in their unique-per-request headers (the same steps when none
 * has one). `rng` is asked for only then: most specs have no such header, and most cases draw nothing.
 */
export function withFreshKeys(testCase: TestCase, model: ApiModel, rng: () => Rng): Step[] {
  const known = keyHeadersOf(model);
  if (!known) return testCase.steps;
  let random: Rng | undefined;
  const fresh = new Map<string, string>();
  const refresh = (step: Step): Step => {
    const params = known.byOperation.get(`${String(step.request.method).toLowerCase()} ${step.request.path}`);
    if (!params) return step;
    let headers: Record<string, string> | undefined;
    for (const [name, value] of Object.entries(step.request.headers)) {
      const param = params.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (!param || !TOKEN.test(value) || known.validator.check(value, param.schema) !== "valid") continue;
      const request = `${value}\u0000${JSON.stringify([step.request.pathParams, step.request.query, step.request.body?.value ?? null])}`;
      let next = fresh.get(request);
      if (next === undefined) {
        next = freshKey(value, param.schema, (random ??= rng()), model.schemas, known.validator) ?? value;
        fresh.set(request, next);
      }
      (headers ??= { ...step.request.headers })[name] = next;
    }
    const instead = step.instead ? refresh(step.instead) : undefined;
    if (!headers && instead === step.instead) return step;
    return { ...step, request: headers ? { ...step.request, headers } : step.request, ...(instead ? { instead } : {}) };
  };
  return testCase.steps.map(refresh);
}
