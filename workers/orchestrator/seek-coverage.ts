/**
 * A planner step after the agents: generation toward what the plan leaves uncovered.
 *  - Each enum member and each boolean value of a query parameter (required ones too) or of a
 *    top-level JSON body property is sent at least once, on a copy of the operation's plain
 *    positive case (its setup steps included): a flag that switches on a broken branch is reached
 *    even when no agent happened to pick it, or the agents' per-operation cap cut it.
 *  - A list is asked for with a free-text filter nothing matches: the empty collection (a
 *    documented 204, an empty 200) is reached on purpose, not by chance.
 * These requests are valid as far as the spec says, yet a combination it does not forbid may still
 * meet a business rule: they are judged by not_a_server_error, liveness and the conformance of the
 * answers the spec documents — never by a 4xx being undocumented (status_code_conformance told the
 * request is not known to be valid) nor by positive_data_acceptance.
 */
import { flattenAllOf } from "../jsonschema/shape";
import { isObject } from "../jsonschema/types";
import type { ApiModel, JsonSchema, Operation, Step, TestCase } from "../model";
import { agentEnv, conformanceChecks, isJsonMedia, settableParams, type AgentEnv } from "./agents/requests";
import { isIdLikeName } from "./agents/names";
import type { PlanConfig } from "./agents/types";
import { deriveSeed, Rng } from "./generate/random";

export const COVERAGE_AGENT = "coverage";

/** Cases added per operation, at most the agents' own cap (the run's total cap still applies afterwards). */
const MAX_PER_OPERATION = 12;

interface Slot {
  where: "query" | "body";
  name: string;
  /** the schema's values with the text a request carries for each */
  values: { value: unknown; text: string }[];
}

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Enum members or both booleans of a schema (of its items, for an array), as values; undefined when open. */
function finiteValues(schema: JsonSchema, model: ApiModel, depth = 0): unknown[] | undefined {
  const s = flattenAllOf(schema, model.schemas);
  if (!isObject(s)) return undefined;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).filter((v) => v !== null && typeof v !== "object").slice(0, 24);
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes("boolean") && types.every((t) => t === "boolean" || t === "null")) return [true, false];
  if (depth === 0 && types.includes("array") && s.items !== undefined) return finiteValues(s.items as JsonSchema, model, 1)?.map((v) => [v]);
  return undefined;
}

function jsonBody(op: Operation, model: ApiModel): { schema: JsonSchema; properties: Record<string, JsonSchema> } | undefined {
  const media = op.requestBody?.content.find((m) => isJsonMedia(m.contentType) && !/json-patch/i.test(m.contentType));
  const flat = media ? flattenAllOf(media.schema, model.schemas) : undefined;
  // a union at the top decides which properties belong together: leave it to the agents
  if (!media || !isObject(flat) || !isObject(flat.properties) || flat.oneOf !== undefined || flat.anyOf !== undefined) return undefined;
  return { schema: media.schema, properties: flat.properties as Record<string, JsonSchema> };
}

function slotsOf(env: AgentEnv, op: Operation): Slot[] {
  const slots: Slot[] = [];
  for (const p of settableParams(env, op)) {
    if (p.in !== "query") continue;
    const values = finiteValues(p.schema, env.model);
    if (values && values.length > 0) slots.push({ where: "query", name: p.name, values: values.map((value) => ({ value, text: text(value) })) });
  }
  const body = jsonBody(op, env.model);
  for (const [name, property] of Object.entries(body?.properties ?? {})) {
    const resolved = flattenAllOf(property, env.model.schemas);
    if (isObject(resolved) && resolved.readOnly === true) continue;
    const values = finiteValues(property, env.model);
    if (values && values.length > 0) slots.push({ where: "body", name, values: values.map((value) => ({ value, text: text(value) })) });
  }
  return slots;
}

/** Texts a planned request already sends for a slot. */
function sentValues(step: Step, slot: Slot): string[] {
  const body = step.request.body?.value;
  const raw = slot.where === "query" ? step.request.query[slot.name] : isObject(body) ? (body as Record<string, unknown>)[slot.name] : undefined;
  if (raw === undefined) return [];
  return [text(raw), ...(Array.isArray(raw) ? raw.map(text) : [])];
}

const stepKey = (method: string, path: string) => `${method.toLowerCase()} ${path}`;

/** The plain positive case of an operation to vary: required parts only, else any positive one. */
function baseCase(op: Operation, own: readonly TestCase[]): TestCase | undefined {
  const key = stepKey(op.method, op.path);
  const last = (c: TestCase) => c.steps[c.steps.length - 1].request;
  const positive = own.filter((c) => c.kind === "positive" && stepKey(last(c).method, last(c).path) === key && last(c).body?.raw === undefined);
  return positive.find((c) => c.tags?.includes("required-only")) ?? positive[0];
}

/** Paging, sorting and projection parameters: a value of ours there is no filter. */
const NOT_A_FILTER = /^(cursor|page|page[_-]?token|next|after|before|offset|limit|per[_-]?page|size|sort|sort[_-]?by|order|order[_-]?by|fields|expand|include|embed|format|callback|lang|locale)$/i;

/** An optional free-text query parameter of a list: a value nothing matches empties the collection. */
function freeTextFilter(env: AgentEnv, op: Operation): string | undefined {
  if (op.method !== "get" || /\}\/?$/.test(op.path)) return undefined;
  const lists = op.responses.some((r) => r.status === "204") || op.responses.some((r) => /^2/.test(r.status) && r.content.some((m) => isObject(flattenAllOf(m.schema, env.model.schemas)) && (flattenAllOf(m.schema, env.model.schemas) as { type?: unknown }).type === "array"));
  if (!lists) return undefined;
  for (const p of settableParams(env, op)) {
    if (p.in !== "query" || p.required || NOT_A_FILTER.test(p.name) || isIdLikeName(p.name)) continue;
    const s = flattenAllOf(p.schema, env.model.schemas);
    if (!isObject(s) || s.type !== "string" || s.enum !== undefined || s.const !== undefined || s.format !== undefined || s.pattern !== undefined) continue;
    const max = typeof s.maxLength === "number" ? s.maxLength : 40;
    if (max < 12 || (typeof s.minLength === "number" && s.minLength > 12)) continue;
    return p.name;
  }
  return undefined;
}

function coverageCase(op: Operation, base: TestCase, request: Step["request"], n: number, title: string, focus: string, tag: string): TestCase {
  const mainIndex = base.steps.length - 1;
  return {
    id: `${COVERAGE_AGENT}:${op.operationId}:${n}`,
    agent: COVERAGE_AGENT,
    operationId: op.operationId,
    kind: "positive",
    title,
    // a 4xx to a value the spec allows may be a business rule: not judged as undocumented
    steps: [...structuredClone(base.steps.slice(0, mainIndex)), { id: "request", request, checks: conformanceChecks(false) }],
    tags: ["coverage", tag],
    focus,
  };
}

/** Cases that send every enum member and boolean value the planned positive cases never send, and empty lists. */
export function seekUncovered(model: ApiModel, cases: readonly TestCase[], seed: number, config: PlanConfig): TestCase[] {
  const env = agentEnv({ model, seed, config });
  // one pass over the plan's positive cases (the only ones read: the planner builds the others
  // lazily, up to its cap): the main steps of plain requests (required parts, or required parts
  // and one optional part or value) by operation, every case by its operation. A value counts as
  // sent only there: sent beside other changes, a refusal or crash of another part may hide it.
  const stepsByOp = new Map<string, Step[]>();
  const casesByOp = new Map<string, TestCase[]>();
  for (const c of cases) {
    if (c.kind !== "positive") continue;
    const ofOp = casesByOp.get(c.operationId);
    if (ofOp) ofOp.push(c);
    else casesByOp.set(c.operationId, [c]);
    if (!c.tags?.some((t) => t === "required-only" || t === "isolated" || t === "coverage")) continue;
    const step = c.steps[c.steps.length - 1];
    const key = stepKey(step.request.method, step.request.path);
    const onPath = stepsByOp.get(key);
    if (onPath) onPath.push(step);
    else stepsByOp.set(key, [step]);
  }
  const cap = Math.min(MAX_PER_OPERATION, config.maxCasesPerOperation);
  const out: TestCase[] = [];
  for (const op of model.operations) {
    const base = baseCase(op, casesByOp.get(op.operationId) ?? []);
    if (!base) continue;
    const main = base.steps[base.steps.length - 1];
    const body = jsonBody(op, model);
    const bodyValue = main.request.body?.value;
    const slots = slotsOf(env, op).filter((s) => s.where === "query" || (body !== undefined && isObject(bodyValue)));
    const steps = stepsByOp.get(stepKey(op.method, op.path)) ?? [];
    let n = 0;
    for (const slot of slots) {
      const sent = new Set(steps.flatMap((step) => sentValues(step, slot)));
      for (const { value, text: label } of slot.values) {
        if (sent.has(label) || n >= cap) continue;
        const request = structuredClone(main.request);
        if (slot.where === "query") request.query[slot.name] = value;
        else {
          const next = { ...(bodyValue as Record<string, unknown>), [slot.name]: value };
          // otherwise valid: a value that makes the body break another rule of the schema is left out
          if (env.validator.check(next, body!.schema) === "invalid") continue;
          request.body = { ...request.body!, value: next };
        }
        out.push(coverageCase(op, base, request, n++, `${op.method.toUpperCase()} ${op.path} with ${slot.where} ${slot.name} = ${label.slice(0, 40)} (never sent otherwise)`, `${slot.where} ${slot.name}`, "value"));
        sent.add(label);
      }
    }
    const filter = freeTextFilter(env, op);
    if (filter !== undefined && n < cap) {
      const request = structuredClone(main.request);
      request.query[filter] = `zq${new Rng(deriveSeed(seed, COVERAGE_AGENT, op.operationId)).int(100000, 999999)}nomatch`;
      out.push(coverageCase(op, base, request, n++, `${op.method.toUpperCase()} ${op.path} with a ${filter} nothing matches (empty collection)`, `query ${filter}`, "empty-collection"));
    }
  }
  return out;
}
