/**
 * security-injection: SQL, NoSQL, command, path traversal, SSRF, template and prompt injection
 * payloads in every free-form string input (query, path, header, body). Each case sends a baseline
 * (the same valid request) then the payload, so checks can compare timing and content; the
 * payload step carries the family's check with { payload, location, baselineStep, evidence }.
 * Reads also get differential SQL pairs (boolean and time-based, injection-pairs.ts), first.
 * Bounded by maxCasesPerOperation, families interleaved so a small cap still covers them.
 */
import { isCheckName, type CheckSpec, type JsonSchema, type Operation, type Step, type TestCase } from "../../model";
import { check, deferred, finishCases, opLabel, roundRobin, roundRobinLazy, take, type CaseDraft } from "./case-helpers";
import { familiesFor, FAMILY_CHECK, PAYLOADS, type Payload, type PayloadFamily } from "./payloads";
import { agentEnv, buildRequest, copy, opRng, settableParams, type AgentEnv, type BuiltRequest } from "./requests";
import { admittedTypes, flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaObject } from "../../jsonschema/types";
import type { Rng } from "../generate/random";
import type { Agent, AgentContext } from "./types";
import { fieldBase, locationLabel, queryMembers, setBodyValue, withBodyValue, withField, type Field } from "./injection-fields";
import { cloneJsonWith } from "../../shared/json-clone";
import { pairDrafts } from "./injection-pairs";
import { redosDrafts } from "./redos";

const NAME = "security-injection";
/** operations that get a catastrophic-backtracking case (each runs alone, after the rest) */
const REDOS_OPERATIONS = 16;

/**
 * A string input a payload may replace: any string but enums/consts. Fields with a pattern or a
 * format are included too (after the free-form ones): a server that enforces them answers 400,
 * which is no evidence, and one that does not is exactly where injections get through.
 */
function freeForm(schema: JsonSchema, env: AgentEnv): { ok: boolean; format?: string; constrained?: boolean } {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return { ok: flat === true };
  const types = admittedTypes(flat, env.model.schemas);
  if (types && !types.includes("string")) return { ok: false };
  if (flat.enum !== undefined || flat.const !== undefined) return { ok: false };
  const format = typeof flat.format === "string" ? flat.format : undefined;
  const constrained = flat.pattern !== undefined || (format !== undefined && !["uri", "url", "hostname", "password"].includes(format));
  return { ok: true, format, constrained };
}

/**
 * The free-form string fields of a body value, appended to `out` (each path once: `seen` holds
 * the joined tokens of the body fields in `out`, so no field list is searched per leaf).
 */
function bodyFields(env: AgentEnv, schema: JsonSchema, value: unknown, tokens: string[], out: Field[], depth = 0, seen = bodyFieldPaths(out)): void {
  if (depth > 4 || out.length > 40) return;
  const flat = flattenAllOf(schema, env.model.schemas);
  if (typeof value === "string") {
    const { ok, format, constrained } = freeForm(flat, env);
    const path = tokens.join("/");
    if (ok && tokens.length > 0 && !seen.has(path)) {
      out.push({ location: "body", name: tokens[tokens.length - 1], tokens, format, constrained });
      seen.add(path);
    }
    return;
  }
  if (!isObject(flat)) return;
  // a oneOf/anyOf body: the fields are those of the branch the value belongs to
  const union = Array.isArray(flat.oneOf) ? flat.oneOf : Array.isArray(flat.anyOf) ? flat.anyOf : undefined;
  if (union && (isObject(value) || Array.isArray(value))) {
    const branch = (union as JsonSchema[]).find((b) => env.validator.check(value, b) === "valid");
    if (branch !== undefined) bodyFields(env, branch, value, tokens, out, depth + 1, seen);
  }
  if (Array.isArray(value) && value.length > 0) {
    bodyFields(env, (flat as SchemaObject).items as JsonSchema ?? true, value[0], [...tokens, "0"], out, depth + 1, seen);
  } else if (isObject(value)) {
    const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    for (const [key, item] of Object.entries(value)) if (props[key] !== undefined) bodyFields(env, props[key], item, [...tokens, key], out, depth + 1, seen);
  }
}

function bodyFieldPaths(fields: Field[]): Set<string> {
  return new Set(fields.filter((f) => f.location === "body" && f.tokens !== undefined).map((f) => f.tokens!.join("/")));
}

function fieldsOf(env: AgentEnv, op: Operation, base: BuiltRequest): Field[] {
  const fields: Field[] = [];
  for (const param of op.parameters.filter((p) => p.in === "path")) {
    const { ok, format, constrained } = freeForm(param.schema, env);
    if (ok) fields.push({ location: "path", name: param.name, format, constrained });
  }
  for (const param of settableParams(env, op)) {
    if (param.in === "cookie") continue;
    const { ok, format, constrained } = freeForm(param.schema, env);
    if (ok) fields.push({ location: param.in as "query" | "header", name: param.name, format, constrained });
    if (param.in !== "query") continue;
    for (const member of queryMembers(env, param)) {
      const leaf = freeForm(member.schema, env);
      if (leaf.ok) fields.push({ location: "query", name: param.name, tokens: member.tokens, format: leaf.format, constrained: leaf.constrained });
    }
  }
  if (base.body && base.request.body?.value !== undefined) bodyFields(env, base.body.schema, base.body.value, [], fields);
  return [...fields.filter((f) => !f.constrained), ...fields.filter((f) => f.constrained)];
}

function injectionCheck(family: PayloadFamily): CheckSpec["name"] | undefined {
  const direct = FAMILY_CHECK[family];
  if (direct) return direct;
  // prompt injection gets its oracle as soon as the vocabulary has one
  return family === "prompt" && isCheckName("prompt_injection") ? ("prompt_injection" as CheckSpec["name"]) : undefined;
}

function payloadFits(field: Field, payload: Payload): boolean {
  const text = typeof payload.value === "string" ? payload.value : undefined;
  if (field.location !== "body" && text === undefined) return false; // operator objects only fit JSON bodies
  return !(field.location === "header" && text !== undefined && /[^\x20-\x7e]/.test(text));
}

/**
 * The base for an operator-object probe of a top-level body field: the body with only its
 * required properties and that field, when still valid. Other optional filters would narrow the
 * results an interpreted operator widens ({"title": {"$ne": null}} next to an unmatched genre).
 */
function operatorBase(env: AgentEnv, base: BuiltRequest, field: Field): BuiltRequest {
  const value = base.request.body?.value;
  if (!base.body || !isObject(value) || field.tokens?.length !== 1) return base;
  const flat = flattenAllOf(base.body.schema, env.model.schemas);
  const required = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const trimmed = Object.fromEntries(Object.entries(value).filter(([key]) => required.has(key) || key === field.tokens![0]));
  if (Object.keys(trimmed).length === Object.keys(value).length || env.validator.check(trimmed, base.body.schema) !== "valid") return base;
  const request = cloneJsonWith(base.request, { body: { contentType: base.request.body!.contentType, value: trimmed } });
  return { ...base, request };
}

function payloadDraft(env: AgentEnv, op: Operation, full: BuiltRequest, field: Field, payload: Payload): CaseDraft {
  const text = typeof payload.value === "string" ? payload.value : undefined;
  const base = text === undefined && field.location === "body" ? operatorBase(env, full, field) : full;
  const request = field.location === "body" ? withBodyValue(base.request, field.tokens!, payload.value) : text !== undefined ? withField(base, field, text) : copy(base.request);
  const location = locationLabel(field);
  const name = injectionCheck(payload.family);
  // a DELETE baseline would remove the resource the payload step then addresses
  const withBaseline = op.method !== "delete";
  const params: Record<string, unknown> = { payload: typeof payload.value === "string" ? payload.value : JSON.stringify(payload.value), location, family: payload.family };
  if (withBaseline) params.baselineStep = "baseline";
  if (payload.evidence) params.evidence = payload.evidence;
  const checks = [check("not_a_server_error")];
  if (name) checks.push(check(name, params));
  // a payload that breaks the server may make it print its stack (a database's words are the injection check's)
  checks.push(check("error_disclosure", { databaseErrors: false }));
  const steps: Step[] = [...base.setup];
  if (withBaseline) steps.push({ id: "baseline", request: copy(base.request), checks: [] });
  if (withBaseline && field.location === "body" && text === undefined && request.body) {
    // an operator object's control: a plain object in the same place tells "a value of the
    // wrong type was dropped" from "the operator was interpreted"
    const control = cloneJsonWith(base.request, { body: { contentType: request.body.contentType, value: setBodyValue(base.request.body!.value, field.tokens!, { sentinel: "control" }) } });
    steps.push({ id: "control", request: control, checks: [] });
    params.controlStep = "control";
  }
  steps.push({ id: "payload", request, checks });
  return { kind: "security", title: `${opLabel(op.method, op.path)}: ${payload.family} payload in ${location}`, steps, tags: ["injection", payload.family] };
}

/** The drafts of one operation, built as finishCases takes them (a small cap builds few). */
export function* injectionDrafts(env: AgentEnv, op: Operation, cap: number): Generator<CaseDraft> {
  const rng: Rng = opRng(env, NAME, op.operationId);
  const full = buildRequest(env, op, rng.fork("base"), { useExamples: true, optional: "all" });
  // a field's base is built when a chosen draft first needs it (most fields get none under a small cap)
  const bases = new Map<string, BuiltRequest>();
  const baseOf = (field: Field): BuiltRequest => {
    const label = locationLabel(field);
    let base = bases.get(label);
    if (!base) bases.set(label, (base = fieldBase(env, op, full, field)));
    return base;
  };
  const pairs = pairDrafts(env, op, full, rng.fork("pairs"), baseOf);
  // the pairs fill the cap: the signature payloads would all be cut (and use no Rng the pairs need)
  const fields = pairs.length >= cap ? [] : fieldsOf(env, op, full);
  if (fields.length === 0) {
    for (const draft of pairs) yield draft();
    return;
  }
  // one group per family; inside it every field gets its first payload before any gets a second.
  // Choose (field, payload) pairs first and build only the chosen drafts: copying big request
  // bodies for every pair would dominate planning time on large specs.
  // A field's payloads of a family are shuffled only when the cap reaches them (a few fields of a
  // big body are): every Rng is forked here, in order, and which payloads fit does not depend on it.
  const byFamily = new Map<PayloadFamily, Iterable<{ field: Field; payload: Payload }>[]>();
  for (const field of fields) {
    for (const family of familiesFor(field.location, field.tokens?.[field.tokens.length - 1] ?? field.name, field.format)) {
      const forked = rng.fork(`${locationLabel(field)}:${family}`);
      if (!PAYLOADS[family].some((payload) => payloadFits(field, payload))) continue;
      const pairs = deferred(() =>
        forked
          .shuffle(PAYLOADS[family])
          .filter((payload) => payloadFits(field, payload))
          .map((payload) => ({ field, payload })),
      );
      const perField = byFamily.get(family);
      if (perField) perField.push(pairs);
      else byFamily.set(family, [pairs]);
    }
  }
  const chosen = take(roundRobinLazy([...byFamily.values()].map((perField) => roundRobinLazy(perField))), Math.max(cap - pairs.length, 0));
  const payloads = chosen.map(({ field, payload }) => () => payloadDraft(env, op, baseOf(field), field, payload));
  for (const draft of roundRobin([pairs, payloads])) yield draft();
}

export const securityInjection: Agent = {
  name: NAME,
  description: "SQL, NoSQL, command, path traversal, SSRF, template and prompt injection payloads in every free-form string input",
  generate(ctx: AgentContext): TestCase[] {
    const env = agentEnv(ctx);
    const out: TestCase[] = [];
    let redos = 0;
    for (const op of ctx.model.operations) {
      if (op.method === "trace") continue;
      out.push(...finishCases(NAME, op.operationId, injectionDrafts(env, op, ctx.config.maxCasesPerOperation), ctx.config.maxCasesPerOperation));
      // the backtracking probes run alone at the end of the run: a bounded number of them, beside the cap
      if (redos >= REDOS_OPERATIONS) continue;
      const rng = opRng(env, NAME, `${op.operationId}:redos`);
      const probes = redosDrafts(env, op, buildRequest(env, op, rng.fork("base"), { useExamples: true, optional: "all" }), rng.fork("redos"));
      redos += probes.length;
      out.push(...finishCases(NAME, op.operationId, probes, 1, `${op.operationId}:redos`));
    }
    return out;
  },
};
