/**
 * functional-positive: valid requests for every operation. Spec examples first, then generated
 * requests with only the required parts, with every optional part, and one per oneOf/anyOf
 * branch of the body. Id path parameters come from setup steps creating the resource.
 * positive_data_acceptance is attached to a lone request only when every value in it comes from
 * the spec (examples, enums) and it addresses no guessed id. Generated data is judged
 * differentially: a boundary case sends a valid request (baseline) and then the same request
 * with one plain string moved to its documented length limit (maxLength / minLength). Only
 * strings whose baseline value is made-up text ("Sentinel title x7k2") are moved: the server
 * accepted meaningless text there, so length is all that differs (an example or an e-mail-like
 * value carries meaning filler would lose). Generated numbers are moved to their documented
 * inclusive minimum / maximum, against a baseline one step inside it (maximum-1 / minimum+1), so
 * a business rule that refuses large values refuses the baseline too. When the baseline is
 * accepted and the boundary value is refused, the server's limit differs from the spec's — an
 * off-by-one.
 */
import type { JsonSchema, Operation, RequestTemplate, Step, TestCase } from "../../model";
import { cloneJsonWith } from "../../shared/json-clone";
import { finishCases, check, opLabel, roundRobinLazy, type CaseDraft } from "./case-helpers";
import { firstUnion, generateValid, setAt, unionBranchOf } from "../generate/data-mocking";
import { formatEdgeValues } from "../generate/formats";
import type { Rng } from "../generate/random";
import { agentEnv, buildRequest, conformanceChecks, copy, hasGuessedReference, isJsonMedia, opRng, preferredMedia, settableParams, type AgentEnv, type BuildOptions, type BuiltRequest } from "./requests";
import { flattenAllOf } from "../../jsonschema/shape";
import { bodyLeaves } from "./body-leaves";
import { isIdLikeName } from "./names";
import { requiresNothing } from "./setup-body";
import { isObject } from "../../jsonschema/types";
import type { Agent, AgentContext } from "./types";

const NAME = "functional-positive";

function hasExamples(op: Operation): boolean {
  return op.parameters.some((p) => p.example !== undefined || (p.examples?.length ?? 0) > 0) || (op.requestBody?.content ?? []).some((m) => m.example !== undefined || (m.examples?.length ?? 0) > 0);
}

/**
 * The positive drafts of an operation, in the order finishCases takes them, built lazily: with a
 * cap of one or two cases per operation (big specs) most of them are never built. Every Rng is
 * forked up front in the order the eager version forked them, so the cases are the same.
 */
export function positiveDrafts(env: AgentEnv, op: Operation): Iterable<CaseDraft> {
  const rng = opRng(env, NAME, op.operationId);
  const variants: { options: BuildOptions; label: string; tags: string[] }[] = [];
  if (hasExamples(op)) variants.push({ options: { useExamples: true, optional: "required", includeBody: true, varyUnique: false }, label: "spec examples", tags: ["examples"] });
  variants.push({ options: { optional: "required", includeBody: true }, label: "required parts only", tags: ["required-only"] });
  const media = preferredMedia(op);
  // a create whose schema requires nothing: `{}` is a weak test of it (a server needing a name refuses
  // it, and the success path is never seen); it also sends what a client names the new item by, as
  // a setup create does (setup-body.ts)
  if (op.method === "post" && media && isJsonMedia(media.contentType) && env.graph.hasItemPathBelow(op.path) && requiresNothing(media.schema, env.model.schemas)) {
    variants.push({ options: { optional: "required", includeBody: true, setupCreate: true }, label: "the fields that name the new item", tags: ["lean-create"] });
  }
  variants.push({ options: { optional: "all" }, label: "all optional parts", tags: ["all-optional"] });
  // the body's union at the top or inside an envelope (JSON:API data/attributes)
  const branches = media ? (firstUnion(media.schema, env.model.schemas)?.count ?? 0) : 0;
  for (let branch = 0; branch < Math.min(branches, 8); branch++) {
    variants.push({ options: { optional: "random", branch, includeBody: true }, label: `body branch ${branch}`, tags: [`branch[${branch}]`] });
  }
  variants.push({ options: { optional: "random" }, label: "random optional parts", tags: ["random"] });
  // a sub-collection's listing is read with one item in it (buildRequest's withItem)
  for (const variant of variants) variant.options.withItem = true;

  const boundaryRng = rng.fork("boundary");
  const variantRngs = variants.map((_, i) => rng.fork(`variant${i}`));
  const isolationRng = rng.fork("isolation");
  const isolatedRng = rng.fork("isolated");
  function* variantDrafts(): Generator<CaseDraft> {
    for (const [i, variant] of variants.entries()) {
      const built = buildRequest(env, op, variantRngs[i], variant.options);
      // nothing names the item: the same `{}` as the required parts
      const value = built.request.body?.value;
      if (variant.tags.includes("lean-create") && isObject(value) && Object.keys(value).length === 0) continue;
      const checks = conformanceChecks(built.valid);
      if (built.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
      const main: Step = { id: "request", request: built.request, checks };
      yield { kind: "positive", title: `${opLabel(op.method, op.path)} with ${variant.label}`, steps: [...built.setup, main], tags: variant.tags };
    }
    yield* formatEdgeDrafts(env, op);
    yield* branchDrafts(env, op);
  }
  function* isolated(): Generator<CaseDraft> {
    yield* isolationDrafts(env, op, buildRequest(env, op, isolationRng, { useExamples: true, optional: "all", includeBody: true, withItem: true }), isolatedRng);
  }
  function* boundaries(): Generator<CaseDraft> {
    // a union body: the limits of each branch's own members (an aliquot's volume, not only a transfer's)
    if (branches < 2) yield* boundaryDrafts(env, op, buildRequest(env, op, boundaryRng, { useExamples: true, optional: "all", includeBody: true }));
    else for (let branch = 0; branch < Math.min(branches, 8); branch++) {
      yield* boundaryDrafts(env, op, buildRequest(env, op, boundaryRng.fork(`branch${branch}`), { useExamples: true, optional: "all", includeBody: true, branch }));
    }
  }
  return roundRobinLazy([variantDrafts(), isolated(), boundaries()]);
}

/** Is a value one the spec itself names for this schema (example, default, enum, const) or a boolean? */
function specValue(schema: JsonSchema, value: unknown, env: AgentEnv): boolean {
  if (typeof value === "boolean") return true;
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s)) return false;
  const known = [s.example, s.default, s.const, ...(Array.isArray(s.examples) ? s.examples : []), ...(Array.isArray(s.enum) ? s.enum : [])].filter((v) => v !== undefined);
  const text = JSON.stringify(value);
  return known.some((k) => JSON.stringify(k) === text);
}

/** Wire values of an optional query/header parameter worth sending alone: each enum value, both booleans. */
function isolatedValues(env: AgentEnv, schema: JsonSchema, value: unknown): unknown[] {
  const s = flattenAllOf(schema, env.model.schemas);
  if (isObject(s) && Array.isArray(s.enum)) return (s.enum as unknown[]).filter((v) => v !== null && typeof v !== "object").slice(0, 8);
  if (isObject(s) && (s.type === "boolean" || typeof value === "boolean")) return [true, false];
  return [value];
}

/**
 * One bad field must not spoil a request: a baseline with the required parts only, then the same
 * request with one optional parameter or body property added (each enum value and both booleans of
 * an optional parameter on their own). A refusal is then attributable to that one value; it is
 * judged (positive_data_acceptance against the accepted baseline) when the value comes from the
 * spec itself — an example, a default, an enum member, a boolean — since a made-up value may
 * break a business rule the schema cannot express.
 */
function* isolationDrafts(env: AgentEnv, op: Operation, full: BuiltRequest, rng: Rng): Generator<CaseDraft> {
  if (op.method === "delete" || op.method === "head" || op.method === "options") return;
  const params = settableParams(env, op);
  const requiredNames = new Set(params.filter((p) => p.required).map((p) => `${p.in}:${p.name}`));
  const body = full.body;
  const flat = body ? flattenAllOf(body.schema, env.model.schemas) : undefined;
  const requiredProps = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const fromExample = new Set<string>();
  let bodyValue = body && full.request.body?.value !== undefined && isJsonMedia(body.media.contentType) && isObject(body.value) ? body.value : undefined;
  let trimmedBody: RequestTemplate["body"];
  if (bodyValue && body) {
    // an example rarely shows every optional property: the missing ones are generated
    const generated = generateValid(body.schema, { schemas: env.model.schemas, rng: rng.fork("optional"), mode: "request", optional: "all", useExamples: true });
    if (full.body?.fromExample) for (const name of Object.keys(bodyValue)) fromExample.add(name);
    if (isObject(generated)) bodyValue = { ...Object.fromEntries(Object.entries(generated).filter(([name]) => !requiredProps.has(name))), ...bodyValue };
    const trimmed = Object.fromEntries(Object.entries(bodyValue).filter(([name]) => requiredProps.has(name)));
    if (env.validator.check(trimmed, body.schema) !== "valid") return;
    trimmedBody = { contentType: full.request.body!.contentType, value: trimmed };
  }
  // the request with the required parts only (the full body, every optional part, is not copied to be replaced)
  const parts: Partial<RequestTemplate> = {
    query: Object.fromEntries(Object.entries(full.request.query).filter(([name]) => requiredNames.has(`query:${name}`))),
    headers: Object.fromEntries(Object.entries(full.request.headers).filter(([name]) => requiredNames.has(`header:${name}`))),
  };
  if (trimmedBody) parts.body = trimmedBody;
  const baseline = cloneJsonWith(full.request, parts);
  if (baseline.cookies) baseline.cookies = Object.fromEntries(Object.entries(baseline.cookies).filter(([name]) => requiredNames.has(`cookie:${name}`)));
  // a made-up reference among the optional members (depotId) goes out only in its own case, never
  // judged: it leaves the baseline and every other member's case certain
  const baselineBody = baseline.body?.value;
  const certain = full.certain || (full.certainButBodyReferences && !hasGuessedReference(baselineBody));
  const draft = (request: BuiltRequest["request"], where: string, judged: boolean, value: unknown): CaseDraft => {
    const checks = conformanceChecks();
    if (judged && certain) checks.push(check("positive_data_acceptance", { valid: true, baselineStep: "baseline", location: where, description: `optional ${where} = ${JSON.stringify(value)} on its own` }));
    return {
      kind: "positive",
      title: `${opLabel(op.method, op.path)} with only optional ${where} = ${JSON.stringify(value).slice(0, 40)}`,
      steps: [...full.setup, { id: "baseline", request: copy(baseline), checks: [] }, { id: "request", request, checks }],
      tags: ["isolated"],
    };
  };
  for (const built of full.params) {
    const { param } = built;
    if (param.required || (param.in !== "query" && param.in !== "header")) continue;
    for (const value of isolatedValues(env, param.schema, built.value)) {
      if (env.validator.check(value, param.schema) !== "valid") continue;
      const request = copy(baseline);
      if (param.in === "query") request.query[param.name] = value;
      else request.headers[param.name] = String(value);
      yield draft(request, `${param.in} ${param.name}`, !isIdLikeName(param.name) && (built.source !== "generated" || typeof value === "boolean" || value !== built.value), value);
    }
  }
  if (bodyValue && body && isObject(flat) && isObject(flat.properties)) {
    const props = flat.properties as Record<string, JsonSchema>;
    const trimmed = baseline.body!.value as Record<string, unknown>;
    for (const [name, value] of Object.entries(bodyValue)) {
      if (requiredProps.has(name) || props[name] === undefined) continue;
      const next = { ...trimmed, [name]: value };
      if (env.validator.check(next, body.schema) !== "valid") continue;
      const request = copy(baseline);
      request.body = { contentType: baseline.body!.contentType, value: next };
      // an example's reference (categoryId: 3) names a resource the target need not have
      const judged = !isIdLikeName(name) && !hasGuessedReference(value, 1) && (specValue(props[name], value, env) || (fromExample.has(name) && !isObject(value)));
      yield draft(request, `body ${name}`, judged, value);
    }
  }
}

/** Length boundaries of a plain string (no format, pattern, enum): the texts that are exactly at them. */
function lengthBoundaries(schema: JsonSchema, env: AgentEnv): { text: string; reason: string }[] {
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s) || s.format !== undefined || s.pattern !== undefined || s.enum !== undefined || s.const !== undefined) return [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (!types.includes("string")) return [];
  const out: { text: string; reason: string }[] = [];
  const filler = (n: number) => "sentinel".repeat(Math.ceil(n / 8)).slice(0, n);
  // an empty string is often refused as "blank" by rule: only lengths >= 1
  if (typeof s.maxLength === "number" && s.maxLength >= 1 && s.maxLength <= 10_000) out.push({ text: filler(s.maxLength), reason: `maxLength ${s.maxLength}` });
  if (typeof s.minLength === "number" && s.minLength >= 1 && s.minLength !== s.maxLength) out.push({ text: filler(s.minLength), reason: `minLength ${s.minLength}` });
  return out;
}

/** Text the generator made up (generic or name-based free text, no example, no e-mail/URL). */
const MADE_UP_TEXT = /^sentinel[\w -]*$/i;

/**
 * The values at the documented limits of a made-up value: a string at maxLength / minLength, or
 * a number at minimum / maximum (inclusive bounds: the spec says the limit itself is valid).
 * A number is moved whether or not it is the schema's example (an example is one point of the
 * range the spec admits; its limits are the ones a server mishandles), not an enum or const.
 * A number's baseline is the value one step inside the limit (`inner`): a business rule (a
 * quantity over the stock) refuses that one too, an off-by-one only the limit itself.
 */
function boundaryValues(schema: JsonSchema, value: unknown, env: AgentEnv): { value: unknown; inner?: number; reason: string; what: string }[] {
  if (typeof value === "string") return MADE_UP_TEXT.test(value) ? lengthBoundaries(schema, env).map((b) => ({ value: b.text, reason: b.reason, what: "string" })) : [];
  if (typeof value !== "number") return [];
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s) || s.enum !== undefined || s.const !== undefined) return [];
  const out: { value: unknown; inner?: number; reason: string; what: string }[] = [];
  // one step inside the limit: a multiple of multipleOf stays one
  const step = typeof s.multipleOf === "number" && s.multipleOf > 0 ? s.multipleOf : 1;
  for (const keyword of ["maximum", "minimum"] as const) {
    const limit = s[keyword];
    const inner = typeof limit === "number" ? (keyword === "maximum" ? limit - step : limit + step) : undefined;
    if (typeof limit === "number" && limit !== value && Math.abs(limit) < Number.MAX_SAFE_INTEGER) out.push({ value: limit, inner, reason: `${keyword} ${limit}`, what: "number" });
  }
  return out;
}

/**
 * Differential boundary cases, each differing from its baseline in one value: the baseline has
 * the required parts plus the field under test with its generated value, the boundary case the
 * same with that field at a documented limit (length, minimum, maximum).
 */
function* boundaryDrafts(env: AgentEnv, op: Operation, base: BuiltRequest): Generator<CaseDraft> {
  if (!base.certain || op.method === "delete" || op.method === "head") return;
  const draft = (baseline: BuiltRequest["request"], request: BuiltRequest["request"], where: string, reason: string, what = "string"): CaseDraft => {
    const checks = [...conformanceChecks(), check("positive_data_acceptance", { valid: true, baselineStep: "baseline", location: where, description: `${what} at ${reason}` })];
    return {
      kind: "positive",
      title: `${opLabel(op.method, op.path)} with ${where} at its ${reason}`,
      steps: [...base.setup, { id: "baseline", request: baseline, checks: [], requireSuccess: true }, { id: "request", request, checks }],
      tags: ["boundary"],
    };
  };
  const params = settableParams(env, op);
  const requiredQuery = new Set(params.filter((p) => p.in === "query" && p.required).map((p) => p.name));
  const onlyRequiredQuery = (keep: string) => Object.fromEntries(Object.entries(base.request.query).filter(([name]) => requiredQuery.has(name) || name === keep));
  const body = base.body;
  const flat = body ? flattenAllOf(body.schema, env.model.schemas) : undefined;
  const required = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const bodyValue = body && base.request.body?.value !== undefined && isJsonMedia(body.media.contentType) && isObject(body.value) ? body.value : undefined;
  // the body with only its required properties (and `keep`), when that is still valid; else as built
  const onlyRequiredBody = (keep: string) => {
    if (!bodyValue || !body) return base.request.body?.value;
    const trimmed = Object.fromEntries(Object.entries(bodyValue).filter(([name]) => required.has(name) || name === keep));
    return env.validator.check(trimmed, body.schema) === "valid" ? trimmed : bodyValue;
  };
  // a copy of the request with these query parameters and body value (the replaced ones not copied)
  const withParts = (query: Record<string, unknown>, value: unknown) => {
    const parts: Partial<RequestTemplate> = { query };
    if (base.request.body && value !== undefined) parts.body = { contentType: base.request.body.contentType, value };
    return cloneJsonWith(base.request, parts);
  };

  for (const param of params) {
    const value = base.request.query[param.name];
    if (param.in !== "query") continue;
    const limits = boundaryValues(param.schema, value, env);
    if (limits.length === 0) continue;
    const plain = withParts(onlyRequiredQuery(param.name), onlyRequiredBody(""));
    for (const limit of limits) {
      if (env.validator.check(limit.value, param.schema) !== "valid") continue;
      const baseline = limit.inner === undefined ? plain : withParts({ ...plain.query, [param.name]: limit.inner }, plain.body?.value);
      if (limit.inner !== undefined && env.validator.check(limit.inner, param.schema) !== "valid") continue;
      yield draft(baseline, withParts({ ...plain.query, [param.name]: limit.value }, plain.body?.value), `query ${param.name}`, limit.reason, limit.what);
    }
  }
  if (bodyValue && body) {
    for (const leaf of bodyLeaves(env, body.schema, bodyValue)) {
      const limits = boundaryValues(leaf.schema, leaf.value, env);
      if (limits.length === 0) continue;
      const baseValue = leaf.tokens.length === 1 ? (onlyRequiredBody(leaf.tokens[0]) as Record<string, unknown>) : trimAlong(env, body.schema, bodyValue, leaf.tokens);
      const plain = withParts(onlyRequiredQuery(""), baseValue);
      const where = leaf.tokens.length === 1 ? `body ${leaf.tokens[0]}` : `body ${leaf.tokens.join(".")}`;
      for (const limit of limits) {
        const next = setAt(baseValue, leaf.tokens, limit.value);
        if (env.validator.check(next, body.schema) !== "valid") continue;
        const innerValue = limit.inner === undefined ? undefined : setAt(baseValue, leaf.tokens, limit.inner);
        if (innerValue !== undefined && env.validator.check(innerValue, body.schema) !== "valid") continue;
        const baseline = innerValue === undefined ? plain : withParts(plain.query, innerValue);
        yield draft(baseline, withParts(plain.query, next), where, limit.reason, limit.what);
      }
    }
  }
}

/**
 * The body with, in every object on the way to `tokens`, only the required properties and the one
 * on the way (so one optional value cannot decide the case); the body as it is when that is invalid.
 */
function trimAlong(env: AgentEnv, schema: JsonSchema, value: Record<string, unknown>, tokens: string[]): unknown {
  const trim = (sub: JsonSchema, node: unknown, rest: string[]): unknown => {
    if (rest.length === 0 || node === null || typeof node !== "object") return node;
    const flat = flattenAllOf(sub, env.model.schemas);
    if (!isObject(flat)) return node;
    if (Array.isArray(node)) return node.map((item, i) => (String(i) === rest[0] && isObject(flat.items) ? trim(flat.items as JsonSchema, item, rest.slice(1)) : item));
    const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    const required = new Set(Array.isArray(flat.required) ? (flat.required as string[]) : []);
    const kept = Object.entries(node).filter(([key]) => required.has(key) || key === rest[0]);
    return Object.fromEntries(kept.map(([key, item]) => [key, key === rest[0] && props[key] !== undefined ? trim(props[key], item, rest.slice(1)) : item]));
  };
  const trimmed = trim(schema, value, tokens);
  return env.validator.check(trimmed, schema) === "valid" ? trimmed : value;
}

/** At most this many edge values per formatted parameter, and parameters per operation. */
const EDGE_VALUES = 10;
const EDGE_PARAMS = 2;

/**
 * Valid edge values of date/time-formatted path and query parameters (format.ts
 * formatEdgeValues), each on its own in the spec-examples request: a 5xx on a valid weekend date,
 * month end or offset is a server error the example never shows. Judged by not_a_server_error
 * only (a valid date may rightly find nothing: 404, an empty list, a refusal by business rule).
 */
function formatEdgeDrafts(env: AgentEnv, op: Operation): CaseDraft[] {
  const params = op.parameters.filter((p) => (p.in === "path" || p.in === "query") && p.schema !== undefined).flatMap((p) => {
    const flat = flattenAllOf(p.schema, env.model.schemas);
    return isObject(flat) && typeof flat.format === "string" && formatEdgeValues(flat.format, undefined).length > 0 ? [{ param: p, format: flat.format }] : [];
  });
  if (params.length === 0) return [];
  const base = buildRequest(env, op, opRng(env, NAME, `${op.operationId}:format-edges`), { useExamples: true, optional: "required", includeBody: true, varyUnique: false });
  if (!base.valid) return [];
  const drafts: CaseDraft[] = [];
  for (const { param, format } of params.slice(0, EDGE_PARAMS)) {
    const holder = param.in === "path" ? base.request.pathParams : base.request.query;
    const current = holder[param.name];
    for (const value of formatEdgeValues(format, current).slice(0, EDGE_VALUES)) {
      if (env.validator.check(value, param.schema) !== "valid") continue;
      const request = copy(base.request);
      (param.in === "path" ? request.pathParams : request.query)[param.name] = value;
      drafts.push({ kind: "positive", title: `${opLabel(op.method, op.path)} with ${param.in} ${param.name} ${value} (a valid ${format} edge)`, steps: [...base.setup, { id: "request", request, checks: [check("not_a_server_error")] }], tags: ["format-edge"] });
    }
  }
  return drafts;
}

/**
 * Each branch of a union body (oneOf card | bank transfer) against another branch: the
 * spec-examples request (its branch, required parts), then the other branch's request (its
 * required parts, spec examples where they fit, the values of the properties both share taken
 * from the first), then the first again. Each of the two branches is judged against an acceptance
 * of the other sent after it (so a refusal is not the effect of the other's request): refused
 * while the other is accepted, it is a valid request refused (positive_data_acceptance) — when
 * every value it does not share with the other comes from the spec (example, enum, default, the
 * discriminator's), since a made-up value may break a business rule.
 */
function branchDrafts(env: AgentEnv, op: Operation): CaseDraft[] {
  const media = preferredMedia(op);
  const schemas = env.model.schemas;
  // the union at the top of the body, or inside an envelope (JSON:API data/attributes)
  const at = media && isJsonMedia(media.contentType) ? firstUnion(media.schema, schemas) : undefined;
  if (!media || !at || at.count < 2 || op.method === "delete") return [];
  const base = buildRequest(env, op, opRng(env, NAME, `${op.operationId}:branches`), { useExamples: true, optional: "required", includeBody: true, varyUnique: false });
  const document = base.body?.value;
  const baseValue = at.tokens.reduce<unknown>((node, token) => (isObject(node) ? node[token] : undefined), document);
  if (!base.certain || !base.body || !isObject(baseValue) || base.request.body?.value === undefined) return [];
  const own = unionBranchOf(at.schema, baseValue, schemas, env.validator);
  if (own === undefined) return [];
  const union = flattenAllOf(at.schema, schemas);
  const tagName = isObject(union) && isObject(union.discriminator) && typeof union.discriminator.propertyName === "string" ? union.discriminator.propertyName : undefined;
  const kind = isObject(union) && Array.isArray(union.oneOf) ? "oneOf" : "anyOf";
  const propsOf = (schema: JsonSchema) => {
    const flat = flattenAllOf(schema, schemas);
    return isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
  };
  // every value of `value` not equal in `other` comes from the spec
  const fromSpec = (value: Record<string, unknown>, props: Record<string, JsonSchema>, other: Record<string, unknown>) =>
    Object.entries(value).every(([name, v]) => name === tagName || (name in other && JSON.stringify(other[name]) === JSON.stringify(v)) || (props[name] !== undefined && specValue(props[name], v, env)));
  const judge = (against: string, description: string) => check("positive_data_acceptance", { valid: true, baselineStep: against, location: "body", description });
  const named = (value: Record<string, unknown>, fallback: string) => (tagName !== undefined && typeof value[tagName] === "string" ? `the ${kind} branch ${tagName}=${String(value[tagName])}` : fallback);
  const seen = new Set([JSON.stringify(own)]);
  const rng = opRng(env, NAME, `${op.operationId}:branch-values`);
  const drafts: CaseDraft[] = [];
  for (let branch = 0; branch < Math.min(at.count, 8); branch++) {
    const value = generateValid(at.schema, { schemas, rng: rng.fork(`branch${branch}`), mode: "request", optional: "required", branch, useExamples: true });
    const belongs = isObject(value) ? unionBranchOf(at.schema, value, schemas, env.validator) : undefined;
    if (!isObject(value) || belongs === undefined || seen.has(JSON.stringify(belongs))) continue;
    seen.add(JSON.stringify(belongs));
    const body: Record<string, unknown> = { ...value };
    for (const name of Object.keys(body)) {
      if (name === tagName || !(name in baseValue)) continue;
      const shared = { ...body, [name]: baseValue[name] };
      if (env.validator.check(shared, belongs) === "valid") body[name] = baseValue[name];
    }
    const whole = setAt(document, at.tokens, body);
    if (env.validator.check(whole, media.schema) !== "valid") continue;
    const request = copy(base.request);
    request.body = { contentType: base.request.body.contentType, value: whole };
    const firstChecks = conformanceChecks();
    if (fromSpec(baseValue, propsOf(own), body)) firstChecks.push(judge("request", named(baseValue, `the ${kind} branch of the spec's examples`)));
    const checks = conformanceChecks();
    if (fromSpec(body, propsOf(belongs), baseValue)) checks.push(judge("again", named(body, `${kind} branch ${branch}`)));
    drafts.push({
      kind: "positive",
      title: `${opLabel(op.method, op.path)} with body branch ${branch}, each judged against the other`,
      steps: [...base.setup, { id: "first", request: copy(base.request), checks: firstChecks }, { id: "request", request, checks }, { id: "again", request: copy(base.request), checks: [] }],
      tags: ["branch-differential"],
    });
  }
  return drafts;
}

export const functionalPositive: Agent = {
  name: NAME,
  description: "Valid requests for every operation: examples, required-only, all-optional, each oneOf/anyOf branch",
  generate(ctx: AgentContext): TestCase[] {
    const env = agentEnv(ctx);
    const out: TestCase[] = [];
    for (const op of ctx.model.operations) {
      if (op.method === "trace") continue;
      out.push(...finishCases(NAME, op.operationId, positiveDrafts(env, op), ctx.config.maxCasesPerOperation));
    }
    return out;
  },
};
