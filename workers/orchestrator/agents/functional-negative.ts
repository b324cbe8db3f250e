/**
 * functional-negative: requests that break the spec in exactly one place, on top of a valid-ish
 * base request (examples first, id path parameters from setup steps so the rejection is about the
 * broken value, not about a missing resource). Every mutation is confirmed invalid by the
 * validator. Some violations are `weak`: only not_a_server_error judges them, because servers
 * that follow their spec commonly tolerate them (the robustness principle), so accepting them
 * is no bug:
 *  - format violations (many servers do not enforce formats);
 *  - invalid values of OPTIONAL query/header/cookie parameters (ignored, defaulted or clamped:
 *    `limit=101` served as 100);
 *  - undeclared properties in a closed body schema (ignored by lenient deserialisers);
 *  - a missing required body when `{}` would be a valid one (read as an empty object);
 *  - `null` where leaving the member out (or an empty body) is valid: Go's encoding/json, protobuf's
 *    JSON mapping and JSON merge patch read null as "not given", so the request means a valid one;
 *  - JSON sent as text/plain (parsed regardless of the label).
 * Also: missing required parts, malformed JSON, missing required headers, one undeclared
 * method per path, and reads of an id that was never created.
 */
import type { HttpMethod, JsonSchema, Operation, Parameter, RequestTemplate, Step, TestCase } from "../../model";
import { check, deferred, finishedCases, opLabel, replayable, roundRobinLazy, where, type DraftOf } from "./case-helpers";
import { coerceWire, generateValid, invalidMutations, MUTATION_DEPTH, setAt, spreadMutations, unionBranchCount, unionBranchOf, type InvalidContext, type Mutation } from "../generate/data-mocking";
import { Rng } from "../generate/random";
import { agentEnv, buildRequest, conformanceChecks, copy, isJsonMedia, opRng, settableParams, type AgentEnv, type BuiltRequest } from "./requests";
import { requiredParts } from "./parameters";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import type { Agent, AgentContext, OperationCases } from "./types";
import { cloneJsonWith } from "../../shared/json-clone";
import { dateRanges, endsBeforeStart, type DateRange } from "../generate/date-range";

const NAME = "functional-negative";
/** every case of this agent is negative: the planner builds them lazily (types.ts byOperation) */
type CaseDraft = DraftOf<"negative">;
/** undeclared methods to probe, least destructive first; never TRACE/CONNECT */
const PROBE_METHODS: HttpMethod[] = ["patch", "put", "post", "delete"];
/** candidate mutations of a body's base value (deep bodies have a few per field) */
const BODY_MUTATIONS = 160;

function negativeStep(request: RequestTemplate, params: Record<string, unknown>, weak = false): Step {
  const checks = [check("not_a_server_error"), check("error_disclosure")];
  if (!weak) checks.push(check("negative_data_rejection", { invalid: true, ...params }));
  return { id: "request", request, checks };
}

function wireText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointer.split("/").slice(1)) {
    const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/**
 * Of a union body of object branches, one valid value per branch other than the one `value`
 * belongs to (required parts, spec examples where they fit), in branch order.
 */
function otherBranchValues(env: AgentEnv, schema: JsonSchema, value: unknown): unknown[] {
  const own = unionBranchOf(schema, value, env.model.schemas, env.validator);
  if (own === undefined) return [];
  const out: unknown[] = [];
  const seen = new Set([JSON.stringify(own)]);
  for (let branch = 0; branch < Math.min(unionBranchCount(schema, env.model.schemas), 8); branch++) {
    const other = generateValid(schema, { schemas: env.model.schemas, rng: new Rng(7 + branch), mode: "request", optional: "required", branch, useExamples: true });
    const belongs = unionBranchOf(schema, other, env.model.schemas, env.validator);
    if (belongs === undefined || env.validator.check(other, schema) !== "valid" || seen.has(JSON.stringify(belongs))) continue;
    seen.add(JSON.stringify(belongs));
    out.push(other);
  }
  return out;
}

/** At most this many optional properties absent from the base are added (each on its own) to be mutated. */
const ABSENT_SPOTS = 20;
/** … with at most this many mutations each. */
const PER_ABSENT_SPOT = 8;

/**
 * Optional properties the base leaves out, at any depth (an envelope's `data.attributes.tags`,
 * an array item's property): each with a valid value of its own, added where it lives while the
 * whole body stays valid. Objects are walked through their present properties, arrays through
 * their first item.
 */
function absentOptionals(env: AgentEnv, schema: JsonSchema, base: unknown): { tokens: string[]; withIt: unknown }[] {
  const out: { tokens: string[]; withIt: unknown }[] = [];
  const rng = new Rng(7);
  const walk = (sub: JsonSchema, node: unknown, tokens: string[], depth: number) => {
    if (out.length >= ABSENT_SPOTS || depth > MUTATION_DEPTH) return;
    const flat = flattenAllOf(unionBranchOf(sub, node, env.model.schemas, env.validator) ?? sub, env.model.schemas);
    if (!isObject(flat)) return;
    if (Array.isArray(node)) {
      if (node.length > 0 && flat.items !== undefined && typeof flat.items !== "boolean") walk(flat.items as JsonSchema, node[0], [...tokens, "0"], depth + 1);
      return;
    }
    if (!isObject(node) || !isObject(flat.properties)) return;
    const properties = flat.properties as Record<string, JsonSchema>;
    for (const [key, propSchema] of Object.entries(properties)) {
      if (out.length >= ABSENT_SPOTS) return;
      if (key in node) continue;
      // a readOnly property is no part of a request: a server rightly ignores whatever it holds
      const prop = flattenAllOf(propSchema, env.model.schemas);
      if (isObject(prop) && prop.readOnly === true) continue;
      const value = generateValid(propSchema, { schemas: env.model.schemas, rng: rng.fork(key), mode: "request", optional: "all", name: key });
      if (value === undefined) continue;
      const withIt = setAt(base, [...tokens, key], value);
      if (env.validator.check(withIt, schema) === "valid") out.push({ tokens: [...tokens, key], withIt });
    }
    for (const [key, value] of Object.entries(node)) if (properties[key] !== undefined) walk(properties[key], value, [...tokens, key], depth + 1);
  };
  walk(schema, base, [], 0);
  return out;
}

/** Mutations of the optional properties the base leaves out (at any depth), each added on its own. */
function absentOptionalSources(env: AgentEnv, schema: JsonSchema, base: unknown): InvalidContext[] {
  const pointer = (tokens: string[]) => tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  return absentOptionals(env, schema, base).map(({ tokens, withIt }) => ({ schemas: env.model.schemas, validator: env.validator, base: withIt, under: pointer(tokens), limit: PER_ABSENT_SPOT }));
}

/** The one key `after` has that `before` lacks (an added undeclared property). */
/**
 * The mutation with the other OPTIONAL top-level properties left out: an optional value of the
 * base (an example's) that the server refuses must not decide the case in place of the mutation.
 */
function alone(env: AgentEnv, schema: unknown, m: Mutation, base: unknown): unknown {
  // of a union body, the required properties are those of the branch the base belongs to
  const flat = flattenAllOf(unionBranchOf(schema as JsonSchema, base, env.model.schemas, env.validator) ?? (schema as never), env.model.schemas);
  const top = m.path.split("/")[1];
  if (!isObject(m.value) || !isObject(flat) || top === undefined || top === "") return m.value;
  const required = new Set(Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const key = top.replace(/~1/g, "/").replace(/~0/g, "~");
  const trimmed = Object.fromEntries(Object.entries(m.value).filter(([k]) => required.has(k) || k === key));
  // still invalid (or a weak mutation the validator cannot see), else keep it as generated
  return m.weak || env.validator.check(trimmed, schema as never) === "invalid" ? trimmed : m.value;
}

/**
 * Whether a `null` mutation means a valid request once null is read as "not given": the member
 * left out of its object is valid, or (at the root) an empty object or list is a valid body.
 */
function nullReadsAsAbsent(env: AgentEnv, schema: JsonSchema, sent: unknown, pointer: string): boolean {
  if (pointer === "") return ([{}, []] as unknown[]).some((empty) => env.validator.check(empty, schema) === "valid");
  const tokens = pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const without = copy(sent);
  let node: unknown = without;
  for (const token of tokens.slice(0, -1)) node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
  if (!isObject(node)) return false; // an item of a list has no "left out"
  delete node[tokens[tokens.length - 1]];
  return env.validator.check(without, schema) === "valid";
}

function addedProperty(before: unknown, after: unknown): string | undefined {
  if (!isObject(before) || !isObject(after)) return undefined;
  const added = Object.keys(after).filter((k) => !(k in before));
  return added.length === 1 ? added[0] : undefined;
}

/** Mutations of one non-body parameter, sent as text. */
function* parameterMutations(env: AgentEnv, base: BuiltRequest, param: Parameter, title: string): Generator<CaseDraft> {
  for (const m of invalidMutations(param.schema, { schemas: env.model.schemas, validator: env.validator, wire: true, limit: 12 })) {
    const text = wireText(m.value);
    if (param.in === "path" && (text === "" || text === "." || text === "..")) continue;
    if (param.in !== "path" && param.in !== "query" && /[^\x20-\x7e]/.test(text)) continue;
    // validated as the server would read the text back
    if (!m.weak && env.validator.check(coerceWire(text, param.schema, env.model.schemas), param.schema) !== "invalid") continue;
    const request = copy(base.request);
    if (param.in === "path") request.pathParams[param.name] = text;
    else if (param.in === "query") request.query[param.name] = text;
    else if (param.in === "header") request.headers[param.name] = text;
    else request.cookies = { ...(request.cookies ?? {}), [param.name]: text };
    const weak = m.weak || (param.in !== "path" && !param.required);
    const differential = weak && !m.weak && m.kind === "boundary" ? toleratedValueDraft(env, base, param, request, text, `${title}: ${param.in} ${param.name} ${m.reason}`, m.reason) : undefined;
    if (differential) {
      yield differential;
      continue;
    }
    yield {
      kind: "negative",
      title: `${title}: ${param.in} ${param.name} ${m.reason}`,
      steps: [...base.setup, negativeStep(request, { location: param.in, parameter: param.name, description: m.reason }, weak)],
      tags: [m.kind, ...(weak ? ["weak"] : [])],
    };
  }
}

/**
 * Mutations of each member of an object query parameter sent as deepObject (`page[size]=51`,
 * `filter[status]=x`), one member at a time beside the members the base sends: a wire value has
 * no object mutations, so its members' limits are tried as a plain parameter's are.
 */
function* memberMutations(env: AgentEnv, base: BuiltRequest, param: Parameter, title: string): Generator<CaseDraft> {
  const flat = param.in === "query" && param.style === "deepObject" ? flattenAllOf(param.schema, env.model.schemas) : undefined;
  if (!isObject(flat) || !isObject(flat.properties)) return;
  const sent = base.request.query[param.name];
  const others = isObject(sent) ? sent : {};
  for (const [name, schema] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
    for (const m of invalidMutations(schema, { schemas: env.model.schemas, validator: env.validator, wire: true, limit: 6 })) {
      const text = wireText(m.value);
      if (/[^\x20-\x7e]/.test(text)) continue;
      if (!m.weak && env.validator.check(coerceWire(text, schema, env.model.schemas), schema) !== "invalid") continue;
      const request = copy(base.request);
      request.query[param.name] = { ...others, [name]: text };
      request.queryStyles = { ...(request.queryStyles ?? {}), [param.name]: { style: "deepObject", explode: true } };
      const where = `${param.name}[${name}]`;
      const weak = m.weak || !param.required;
      const member = { name, schema, others };
      const differential = weak && !m.weak && m.kind === "boundary" ? toleratedValueDraft(env, base, param, request, text, `${title}: query ${where} ${m.reason}`, m.reason, member) : undefined;
      if (differential) {
        yield differential;
        continue;
      }
      yield {
        kind: "negative",
        title: `${title}: query ${where} ${m.reason}`,
        steps: [...base.setup, negativeStep(request, { location: "query", parameter: where, description: m.reason }, weak)],
        tags: [m.kind, ...(weak ? ["weak"] : [])],
      };
    }
  }
}

/** The nearest valid number to `value` under the schema's bounds (undefined when not numeric). */
function nearestValid(env: AgentEnv, schema: JsonSchema, value: number): number | undefined {
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s)) return undefined;
  const integer = s.type === "integer";
  const step = integer ? 1 : 1e-9;
  let out = value;
  if (typeof s.minimum === "number") out = Math.max(out, s.minimum);
  if (typeof s.exclusiveMinimum === "number" && out <= s.exclusiveMinimum) out = integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + step;
  if (typeof s.maximum === "number") out = Math.min(out, s.maximum);
  if (typeof s.exclusiveMaximum === "number" && out >= s.exclusiveMaximum) out = integer ? Math.ceil(s.exclusiveMaximum) - 1 : s.exclusiveMaximum - step;
  return out !== value && env.validator.check(out, schema) === "valid" ? out : undefined;
}

/**
 * An out-of-range value of an optional query parameter of a read (or of one `member` of a
 * deepObject one): servers may ignore or clamp it (no bug), so it is judged against the same
 * request without it and with the nearest valid value, both sent before it; the request without
 * it is sent again after, to see the collection held still.
 */
function toleratedValueDraft(env: AgentEnv, base: BuiltRequest, param: Parameter, request: RequestTemplate, text: string, title: string, reason: string, member?: { name: string; schema: JsonSchema; others: Record<string, unknown> }): CaseDraft | undefined {
  if (param.in !== "query" || (base.request.method !== "get" && base.request.method !== "head") || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const clamped = nearestValid(env, member?.schema ?? param.schema, Number(text));
  if (clamped === undefined) return undefined;
  const absent = copy(base.request);
  const near = copy(base.request);
  if (member) {
    const rest = Object.fromEntries(Object.entries(member.others).filter(([name]) => name !== member.name));
    if (Object.keys(rest).length > 0) absent.query[param.name] = rest;
    else delete absent.query[param.name];
    near.query[param.name] = { ...rest, [member.name]: String(clamped) };
    near.queryStyles = request.queryStyles;
  } else {
    delete absent.query[param.name];
    near.query[param.name] = String(clamped);
  }
  const parameter = member ? `${param.name}[${member.name}]` : param.name;
  // the value sent and its nearest valid one: an answer that reports the first where the other's reports the second used it
  const params = { invalid: true, location: param.in, parameter, description: reason, ignoredStep: "absent", clampedStep: "clamped", ignoredAgainStep: "absent-again", sentNumber: Number(text), clampedNumber: clamped };
  return {
    kind: "negative",
    title: `${title} (judged against omitting it and ${clamped})`,
    steps: [
      ...base.setup,
      { id: "absent", request: absent, checks: [] },
      { id: "clamped", request: near, checks: [] },
      { id: "request", request, checks: [check("not_a_server_error"), check("negative_data_rejection", params)] },
      { id: "absent-again", request: copy(absent), checks: [] },
    ],
    tags: ["boundary", "tolerated"],
  };
}

function* bodyMutations(env: AgentEnv, base: BuiltRequest, title: string, bodyRequired: boolean): Generator<CaseDraft> {
  const body = base.body;
  if (!body || !base.request.body || base.request.body.raw !== undefined) return;
  const form = !isJsonMedia(body.media.contentType);
  // optional properties on their own: JSON only (a form field is text, so most type mutations read back as valid)
  // each source in rounds of one mutation per constraint keyword (spreadByKeyword), the sources in
  // turn: a cap of a few dozen cases reaches every kind of constraint at every depth
  function mutations(): Iterable<Mutation & { base: unknown }> {
    const value = body!.value;
    const ctx = { schemas: env.model.schemas, validator: env.validator };
    const sources = [spreadMutations(body!.schema, [{ ...ctx, base: value, limit: BODY_MUTATIONS }], true)];
    // the optional properties the base leaves out, added one at a time (the mutation's base stays the body)
    function* absent(): Generator<Mutation & { base: unknown }> {
      for (const m of spreadMutations(body!.schema, absentOptionalSources(env, body!.schema, value), true)) yield { ...m, base: value };
    }
    if (!form) sources.push(absent());
    // a union body (oneOf card | bank transfer): each other branch mutated too, inside a valid value of its own
    for (const other of otherBranchValues(env, body!.schema, value)) sources.push(spreadMutations(body!.schema, [{ ...ctx, base: other, limit: 30 }], true));
    return roundRobinLazy(sources);
  }
  for (const m of mutations()) {
    // a form field is text on the wire: a number or null mutation would read back as valid text
    if (form && (m.kind === "type" || m.kind === "null") && typeof valueAt(m.value, m.path) !== "string") continue;
    if (form && m.path === "") continue;
    // an empty form serialises to no body at all, which an optional body allows
    const sent = alone(env, body.schema, m, m.base);
    const emptyForm = form && isObject(sent) && Object.keys(sent).length === 0 && !bodyRequired;
    const request = cloneJsonWith(base.request, { body: { contentType: base.request.body.contentType, value: sent } });
    const weak = m.weak || m.kind === "additional" || emptyForm || (m.kind === "null" && nullReadsAsAbsent(env, body.schema, sent, m.path));
    // an undeclared property may be ignored (no bug), but not stored: judged by its echo
    const echo = m.kind === "additional" && !m.weak && !emptyForm ? addedProperty(valueAt(m.base, m.path), valueAt(m.value, m.path)) : undefined;
    // a format a server may tolerate, but not store: judged by whether the response returns it
    const echoValue = m.weak && m.kind === "format" && typeof valueAt(m.value, m.path) === "string" ? { pointer: m.path, value: valueAt(m.value, m.path) } : undefined;
    // a wrong type converted into the documented one (12345 stored as "12345") was read, not accepted as sent
    const coercedValue = m.kind === "type" && m.coerced !== undefined ? { pointer: m.path, value: m.coerced } : undefined;
    const params = { invalid: true, location: "body", parameter: m.path || "/", description: m.reason, ...(echo ? { echoProperty: echo } : {}), ...(echoValue ? { echoValue } : {}) };
    // what a converting parser kept shows in the answer or, when the answer has no body, in a read-back
    const readBack = coercedValue && !weak ? readBackStep(env, request) : undefined;
    const step = echo || echoValue ? { id: "request", request, checks: [check("not_a_server_error"), check("negative_data_rejection", params)] } : negativeStep(request, { location: "body", parameter: m.path || "/", description: m.reason, ...(coercedValue ? { coercedValue } : {}), ...(readBack ? { readBackStep: readBack.id } : {}) }, weak);
    yield {
      kind: "negative",
      title: `${title}: body ${m.reason}`,
      steps: [...base.setup, step, ...(readBack ? [readBack] : [])],
      tags: [m.kind, ...(weak && !echo && !echoValue ? ["weak"] : [])],
    };
  }
}

/**
 * A read of what a write stored: the GET on the write's own path (PUT/PATCH of an item or a
 * singleton, a POST that addresses an item), same path values and identity. A POST on a
 * collection appends a new item the listing does not single out: no read-back.
 */
function readBackStep(env: AgentEnv, write: RequestTemplate): Step | undefined {
  const method = write.method.toLowerCase();
  if (method !== "put" && method !== "patch" && !(method === "post" && /\}\/?$/.test(write.path))) return undefined;
  const read = env.model.operations.find((o) => o.method === "get" && o.path === write.path);
  // a required query parameter may narrow what the read shows: only header and cookie ones are filled
  if (!read || settableParams(env, read).some((p) => p.required && p.in === "query")) return undefined;
  const request: RequestTemplate = { method: "get", path: read.path, pathParams: copy(write.pathParams), ...requiredParts(env, read, ["header", "cookie"]), ...(write.identity !== undefined ? { identity: write.identity } : {}) };
  return { id: "read-back", request, checks: [] };
}

function missingParts(env: AgentEnv, op: Operation, base: BuiltRequest, title: string): CaseDraft[] {
  const drafts: CaseDraft[] = [];
  for (const param of settableParams(env, op)) {
    if (!param.required) continue;
    const request = copy(base.request);
    if (param.in === "header") {
      const name = Object.keys(request.headers).find((h) => h.toLowerCase() === param.name.toLowerCase());
      if (name) delete request.headers[name];
      drafts.push({
        kind: "negative",
        title: `${title}: without required header ${param.name}`,
        steps: [...base.setup, { id: "request", request, checks: [check("not_a_server_error"), check("missing_required_header", { header: param.name })] }],
        tags: ["missing-header"],
      });
      continue;
    }
    if (param.in === "query") delete request.query[param.name];
    else if (param.in === "cookie" && request.cookies) delete request.cookies[param.name];
    drafts.push({
      kind: "negative",
      title: `${title}: without required ${param.in} parameter ${param.name}`,
      steps: [...base.setup, negativeStep(request, { location: param.in, parameter: param.name, description: "required parameter missing" })],
      tags: ["required"],
    });
  }
  const body = base.request.body;
  if (op.requestBody?.required && body && base.body) {
    const without = copy(base.request);
    delete without.body;
    const emptyIsValid = env.validator.check({}, base.body.schema) !== "invalid";
    drafts.push({ kind: "negative", title: `${title}: without the required body`, steps: [...base.setup, negativeStep(without, { location: "body", description: "required body missing" }, emptyIsValid)], tags: ["required", ...(emptyIsValid ? ["weak"] : [])] });
    if (isJsonMedia(base.body.media.contentType)) {
      const malformed = cloneJsonWith(base.request, { body: { contentType: body.contentType, raw: '{"sentinel": "unterminated' } });
      drafts.push({ kind: "negative", title: `${title}: malformed JSON body`, steps: [...base.setup, negativeStep(malformed, { location: "body", description: "malformed JSON" })], tags: ["malformed"] });
      const declared = (op.requestBody.content ?? []).map((m) => m.contentType.toLowerCase());
      if (!declared.some((c) => c.startsWith("text/") || c.includes("*"))) {
        const wrongType = cloneJsonWith(base.request, { body: { contentType: "text/plain", raw: JSON.stringify(base.body.value) } });
        drafts.push({
          kind: "negative",
          title: `${title}: undeclared Content-Type text/plain`,
          steps: [...base.setup, negativeStep(wrongType, { location: "header", parameter: "Content-Type", description: "Content-Type text/plain is not declared" }, true)],
          tags: ["content-type", "weak"],
        });
      }
    }
  }
  return drafts;
}

/**
 * A body whose date range (start_date/end_date …) ends before it starts, the other members as the
 * base has them: a rule specs mostly state in prose, judged only where the operation documents a
 * 400 or 422 for it to answer.
 */
function swappedDateRange(env: AgentEnv, op: Operation, base: BuiltRequest, title: string): CaseDraft[] {
  const body = base.body;
  if (!body || !base.request.body || base.request.body.raw !== undefined || !isObject(body.value)) return [];
  if (!op.responses.some((r) => /^(400|422|4XX)$/i.test(r.status))) return [];
  const flat = flattenAllOf(unionBranchOf(body.schema, body.value, env.model.schemas, env.validator) ?? body.schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  const drafts: CaseDraft[] = [];
  for (const range of dateRanges(flat.properties as Record<string, JsonSchema>, env.model.schemas)) {
    const sent = backwards(body.value, range);
    if (sent === undefined || env.validator.check(sent, body.schema) !== "valid") continue;
    const request = cloneJsonWith(base.request, { body: { contentType: base.request.body.contentType, value: sent } });
    const description = `${range.end} before ${range.start}`;
    drafts.push({
      kind: "negative",
      title: `${title}: body ${description}`,
      steps: [...base.setup, negativeStep(request, { location: "body", parameter: `/${range.end}`, description })],
      tags: ["date-range"],
    });
  }
  return drafts;
}

/** The value with the range's end a few days before its start (both kept in their own format). */
function backwards(value: Record<string, unknown>, range: DateRange): Record<string, unknown> | undefined {
  const start = value[range.start];
  const end = value[range.end];
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  const out = { ...value, [range.start]: end, [range.end]: start };
  if (endsBeforeStart(out, range)) return out;
  // equal ends: the end moved three days back
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(start)?.[1];
  if (day === undefined) return undefined;
  const earlier = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
  const moved = { ...value, [range.end]: earlier + start.slice(10) };
  return endsBeforeStart(moved, range) ? moved : undefined;
}

/** One case per path: a method the path does not declare. Attached to the first operation of the path. */
function unsupportedMethod(env: AgentEnv, op: Operation, base: BuiltRequest): CaseDraft[] {
  const onPath = env.model.operations.filter((o) => o.path === op.path);
  if (onPath[0] !== op) return [];
  const declared = new Set(onPath.map((o) => o.method));
  const method = PROBE_METHODS.find((m) => !declared.has(m));
  if (!method) return [];
  // the headers and cookies every declared method of the path requires (a version header): the undeclared method is the only difference
  const parts = requiredParts(env, op, ["header", "cookie"]);
  const everywhere = (where: "header" | "cookie") => ([name]: [string, string]) => onPath.every((o) => o.parameters.some((p) => p.in === where && p.required && p.name.toLowerCase() === name.toLowerCase()));
  const cookies = Object.fromEntries(Object.entries(parts.cookies ?? {}).filter(everywhere("cookie")));
  const request: RequestTemplate = { method, path: op.path, pathParams: copy(base.request.pathParams), query: {}, headers: Object.fromEntries(Object.entries(parts.headers).filter(everywhere("header"))), ...(Object.keys(cookies).length > 0 ? { cookies } : {}) };
  return [
    {
      kind: "negative",
      title: `${method.toUpperCase()} ${op.path} (undeclared method)`,
      steps: [...base.setup, { id: "request", request, checks: [check("not_a_server_error"), check("unsupported_method", { method: method.toUpperCase() })] }],
      tags: ["unsupported-method"],
    },
  ];
}

/**
 * A well-formed id that was never created: the last path parameter of a read replaced by a fresh
 * value of its schema (the largest allowed integer, a random uuid ...). The answer (a 404, as a
 * rule) is judged for conformance: error responses are documented too, and are otherwise never
 * seen because every other request addresses resources that exist.
 */
function unknownResource(env: AgentEnv, op: Operation, base: BuiltRequest, rng: Rng): CaseDraft[] {
  const last = /\{([^{}]+)\}$/.exec(op.path)?.[1];
  const param = last === undefined ? undefined : op.parameters.find((p) => p.in === "path" && p.name === last);
  if (op.method !== "get" || !param) return [];
  const flat = flattenAllOf(param.schema, env.model.schemas);
  if (!isObject(flat) || flat.enum !== undefined || flat.const !== undefined) return [];
  const candidates: unknown[] = [];
  if ((flat.type === "integer" || flat.type === "number") && typeof flat.maximum === "number" && flat.maximum <= Number.MAX_SAFE_INTEGER) candidates.push(flat.maximum);
  if (flat.type === "string" && flat.format === undefined && flat.pattern === undefined) candidates.push(`sentinel-unknown-${rng.alnum(8)}`);
  candidates.push(generateValid(param.schema, { schemas: env.model.schemas, rng: rng.fork("unknown-id"), wire: true, name: param.name, mode: "request" }));
  const value = candidates.find((v) => v !== undefined && env.validator.check(coerceWire(String(v), param.schema, env.model.schemas), param.schema) === "valid");
  if (value === undefined || value === base.request.pathParams[param.name]) return [];
  const request = copy(base.request);
  request.pathParams[param.name] = String(value);
  return [{ kind: "negative", title: `${opLabel(op.method, op.path)} for a ${param.name} that was never created`, steps: [...base.setup, { id: "request", request, checks: conformanceChecks() }], tags: ["unknown-id"] }];
}

/** One source after the other, lazily. */
function* chain<T>(...sources: Iterable<T>[]): Generator<T> {
  for (const source of sources) yield* source;
}

/**
 * The negative drafts of an operation, in the order finishCases takes them, built lazily: with a
 * cap of one or two cases per operation (big specs) most mutations are never built or validated.
 * The base request and every Rng are made up front, in the order the eager version made them.
 */
export function negativeDrafts(env: AgentEnv, op: Operation): Iterable<CaseDraft> {
  const rng = opRng(env, NAME, op.operationId);
  const base = buildRequest(env, op, rng, { useExamples: true, optional: "required", includeBody: true });
  const unknownRng = rng.fork("unknown");
  const title = opLabel(op.method, op.path);
  const paramGroups = [...op.parameters.filter((p) => p.in === "path"), ...settableParams(env, op)].map((p) => replayable(chain(parameterMutations(env, base, p, title), memberMutations(env, base, p, title))));
  const isWeak = (d: CaseDraft) => d.tags?.includes("weak") === true;
  const body = replayable(bodyMutations(env, base, title, op.requestBody?.required === true));
  const groups = [
    deferred(() => unsupportedMethod(env, op, base)),
    deferred(() => unknownResource(env, op, base, unknownRng)),
    deferred(() => missingParts(env, op, base, title)),
    deferred(() => swappedDateRange(env, op, base, title)),
    where(body, (d) => !isWeak(d)),
    ...paramGroups.map((g) => where(g, (d) => !isWeak(d))),
  ];
  // weak (format) cases come last: they only look for server errors
  const weak = [where(body, isWeak), ...paramGroups.map((g) => where(g, isWeak))];
  return (function* () {
    yield* roundRobinLazy(groups);
    yield* roundRobinLazy(weak);
  })();
}

export const functionalNegative: Agent = {
  name: NAME,
  description: "Invalid requests: boundaries, wrong types, missing required parts, bad enums, extra properties, malformed JSON, undeclared methods",
  generate(ctx: AgentContext): TestCase[] {
    return negativeByOperation(ctx).flatMap((group) => [...group.cases]);
  },
  byOperation: negativeByOperation,
};

/** Per operation, its cases built one at a time (an operation's base request only when its first case is asked for). */
function negativeByOperation(ctx: AgentContext): OperationCases[] {
  const env = agentEnv(ctx);
  const groups: OperationCases[] = [];
  for (const op of ctx.model.operations) {
    if (op.method === "trace") continue;
    groups.push({ operationId: op.operationId, cases: finishedCases(NAME, op.operationId, deferred(() => negativeDrafts(env, op)), ctx.config.maxCasesPerOperation) });
  }
  return groups;
}
