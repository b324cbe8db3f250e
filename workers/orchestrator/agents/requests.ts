/**
 * Building request templates for an operation: parameter values (examples first, then generated),
 * the request body in the preferred media type, and path parameters filled from setup steps that
 * create the resource (see resources.ts) so that no request ever carries a guessed id when a real
 * one can be had. Also records how sure we are that the request is valid, which decides whether an
 * agent may attach positive_data_acceptance.
 */
import type { ApiModel, BodyReference, CheckSpec, JsonSchema, MediaType, Operation, Parameter, RequestTemplate, Step } from "../../model";
import { firstUnion, generateValid, generateVouched } from "../generate/data-mocking";
import { deriveSeed, Rng } from "../generate/random";
import { createsByPut, pathPlaceholders, referencedResources, ResourceGraph, type Producer } from "./resources";
import { listedSetup } from "./listing";
import { selfSource } from "./self-params";
import { flattenAllOf } from "../../jsonschema/shape";
import { isIdLikeName } from "./names";
import { isObject } from "../../jsonschema/types";
import type { AgentContext, PlanConfig } from "./types";
import { freshenUnique } from "../generate/unique";
import { ModelValidator } from "../../jsonschema/validate";
import { fieldsOf, readPointer, writePointer } from "../auth/fields";
import { isJsonMedia, preferredMedia, wireContentType } from "./media";
import { cloneJson } from "../../shared/json-clone";
import { fillParameters, firstExample, parameterValue, requiredParts, validDraw, type BuiltParam, type ValueSource } from "./parameters";
import { requiresNothing as schemaRequiresNothing, setupBodies } from "./setup-body";
import { onCreatedValues } from "./created-values";
import { ownIdMember } from "./own-id";

export { isJsonMedia, preferredMedia, wireContentType } from "./media";
export { credentialParamNames, IGNORED_HEADERS, parameterValue, settableParams, type BuiltParam, type ValueSource } from "./parameters";

export interface AgentEnv {
  model: ApiModel;
  config: PlanConfig;
  seed: number;
  validator: ModelValidator;
  graph: ResourceGraph;
}

const envCache = new WeakMap<ApiModel, { validator: ModelValidator; graph: ResourceGraph; links: PlanConfig["links"] }>();

/** Shared per-model helpers (validator, resource graph), built once per model object (and its run's confirmed links). */
export function agentEnv(ctx: AgentContext): AgentEnv {
  let cached = envCache.get(ctx.model);
  if (!cached || cached.links !== ctx.config.links) {
    cached = { validator: cached?.validator ?? new ModelValidator(ctx.model), graph: new ResourceGraph(ctx.model, ctx.config.links), links: ctx.config.links };
    envCache.set(ctx.model, cached);
  }
  return { model: ctx.model, config: ctx.config, seed: ctx.seed, validator: cached.validator, graph: cached.graph };
}

/** The random stream of one agent for one operation (independent of the other operations). */
export function opRng(env: AgentEnv, agent: string, key: string): Rng {
  return new Rng(deriveSeed(env.seed, agent, key));
}

/**
 * Checks every single-request step carries (CHECK_PARAMS.md). `requestValid: false` (the
 * validator could not confirm the request is schema-valid) tells status_code_conformance that a
 * 4xx may simply be the rejection the spec calls for, documented or not.
 */
export function conformanceChecks(requestValid = true): CheckSpec[] {
  return [
    { name: "not_a_server_error" },
    requestValid ? { name: "status_code_conformance" } : { name: "status_code_conformance", params: { requestValid: false } },
    { name: "content_type_conformance" },
    { name: "response_schema_conformance" },
    { name: "response_headers_conformance" },
    { name: "error_disclosure" },
    { name: "max_response_time" },
  ];
}


export interface BuildOptions {
  /** spec examples for parameters and body (default false) */
  useExamples?: boolean;
  /** which optional parameters/properties to send (default "random") */
  optional?: "all" | "required" | "random";
  /** oneOf/anyOf branch of the body */
  branch?: number;
  /** identity of the main request and of its setup steps */
  identity?: string | null;
  /** fill id path parameters from setup steps creating the resource (default true) */
  chain?: boolean;
  /** path parameter → "{{var}}" already produced by earlier steps */
  known?: Record<string, string>;
  /** send the body even when it is optional (default: when optional !== "required") */
  includeBody?: boolean;
  /** depth of nested setup chains (internal) */
  depth?: number;
  /** give unique-looking body fields fresh values (default true; the spec-examples case keeps them) */
  varyUnique?: boolean;
  /** of a body example, keep only the required properties when that is still valid (setup steps) */
  exampleParts?: "all" | "required";
  /** a create other requests need: a body schema that requires nothing gets what a client sends (setup-body.ts) */
  setupCreate?: boolean;
  /** a listing of a sub-collection: one item created in it first (itemSetup) */
  withItem?: boolean;
}

export interface BuiltBody {
  media: MediaType;
  schema: JsonSchema;
  value: unknown;
  fromExample: boolean;
}


export interface BuiltRequest {
  setup: Step[];
  request: RequestTemplate;
  /** path parameter → how its value was obtained */
  pathSources: Record<string, ValueSource>;
  params: BuiltParam[];
  body?: BuiltBody;
  /** every value is schema-valid per the validator */
  valid: boolean;
  /** valid, no guessed id anywhere, serialisation unambiguous */
  certain: boolean;
  /**
   * `certain` but for guessed references in the body (an optional `depotId` the generator made
   * up): a request keeping only the body members free of them is certain.
   */
  certainButBodyReferences: boolean;
  /**
   * Every value comes from the spec itself (examples, enum/const values) or from earlier
   * responses — nothing generated. Only then may a lone request be judged by
   * positive_data_acceptance: a generated value a server refuses can be a business rule the
   * schema does not express (an unknown coupon code, `to` before `from`, a quantity over the
   * stock), which is no bug. Generated requests are judged differentially instead.
   */
  fromSpec: boolean;
  /** variables made by the setup steps: path parameter name → variable name */
  vars: Record<string, string>;
}

/** Does the body hold a generated reference to another resource (ownerId, category_id...)? */
export function hasGuessedReference(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (hasGuessedReference(item, depth + 1)) return true;
    return false;
  }
  if (!isObject(value)) return false;
  // (own keys walked without making the list of their entries: asked of every body built)
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if ((isIdLikeName(key) && !(depth === 0 && key === "id")) || hasGuessedReference(value[key], depth + 1)) return true;
  }
  return false;
}

/** Form bodies with nested values depend on serialisation conventions (deepObject ...). */
function flatForm(value: unknown): boolean {
  return isObject(value) && Object.values(value).every((v) => v === null || typeof v !== "object" || (Array.isArray(v) && v.every((i) => typeof i !== "object")));
}

export function buildRequest(env: AgentEnv, op: Operation, rng: Rng, options: BuildOptions = {}): BuiltRequest {
  const useExamples = options.useExamples ?? false;
  const optional = options.optional ?? "random";
  let valid = true;
  let certain = true;
  let fromSpec = true;
  let guessedBodyReference = false;

  // path parameters: real ids from setup steps when a producer exists, else examples or generated
  const setup: Step[] = [];
  const pathParams: Record<string, unknown> = {};
  const pathSources: Record<string, ValueSource> = {};
  const vars: Record<string, string> = {};
  const known: Record<string, string> = { ...(options.known ?? {}) };
  // the body the setup created the addressed resource with (the path's last parameter)
  let createdBody: unknown;
  const placeholders = pathPlaceholders(op.path);
  for (const name of placeholders) {
    if (known[name] !== undefined) {
      pathParams[name] = known[name];
      pathSources[name] = "chain";
      continue;
    }
    const producer = options.chain === false || (options.depth ?? 0) >= 3 ? undefined : env.graph.producerFor(op, name);
    if (producer) {
      const parent = buildRequest(env, producer.op, rng, { useExamples: true, optional: "required", identity: options.identity, known, depth: (options.depth ?? 0) + 1, includeBody: true, exampleParts: "required", setupCreate: true, ...keyedCreate(env, producer) });
      sendChosenKey(env, parent, producer, rng);
      setup.push(...parent.setup.filter((s) => !setup.some((t) => t.id === s.id)));
      for (const [made, variable] of Object.entries(parent.vars)) known[made] ??= `{{${variable}}}`;
      const variable = name; // one variable per path parameter name: unique within a path
      const step: Step = {
        id: `setup-${name}`,
        request: parent.request,
        extract: { [variable]: producer.extract },
        checks: [],
        requireSuccess: true,
      };
      // a create the server fails on (5xx): a read goes on with the first item the listing shows
      const listed = producer.op.method === "post" || producer.op.method === "put" ? listedSetup(env, op, name, known, options.identity) : undefined;
      if (listed) step.instead = { ...listed.step, extract: { [variable]: listed.step.extract![listed.variable], ...listed.step.extract } };
      setup.push(step);
      if (name === placeholders[placeholders.length - 1]) createdBody = parent.request.body?.value;
      known[name] = `{{${variable}}}`;
      vars[name] = variable;
      pathParams[name] = known[name];
      pathSources[name] = "chain";
      continue;
    }
    // an account's name or id that nothing creates: a read sees the caller's own, from its profile
    const self = options.chain === false || (op.method !== "get" && op.method !== "head") || env.config.identities.length === 0 ? undefined : selfSource(env.model, op, name);
    if (self) {
      const variable = `self_${name}`;
      setup.push({
        id: `setup-self-${name}`,
        request: { method: self.profile.method, path: self.profile.path, pathParams: {}, ...requiredParts(env, self.profile), ...(options.identity ? { identity: options.identity } : {}) },
        extract: { [variable]: { from: "body", pointer: self.pointer } },
        checks: [],
        requireSuccess: true,
      });
      known[name] = `{{${variable}}}`;
      pathParams[name] = known[name];
      pathSources[name] = "chain";
      continue;
    }
    // a resource nothing creates but the API lists (a server, a region): the first item its listing shows
    const listed = options.chain === false ? undefined : listedSetup(env, op, name, known, options.identity);
    if (listed) {
      setup.push(listed.step);
      known[name] = `{{${listed.variable}}}`;
      pathParams[name] = known[name];
      pathSources[name] = "chain";
      continue;
    }
    const param = op.parameters.find((p) => p.in === "path" && p.name === name) ?? { name, in: "path" as const, required: true, schema: { type: "string", minLength: 1 } };
    // a create-by-PUT names its new item by a fresh id of its own, not the example every case would share
    const fresh = options.setupCreate === true && name === placeholders[placeholders.length - 1] && createsByPut(op);
    const { value, source } = parameterValue(env, param, rng, !fresh);
    pathParams[name] = value;
    pathSources[name] = source;
    if (source === "generated") certain = false; // a guessed id legitimately gives 404
    if (source !== "example" && source !== "enum") fromSpec = false;
    if (env.validator.check(value, param.schema) !== "valid") valid = false;
  }
  const item = options.withItem ? itemSetup(env, op, rng, options, known) : undefined;
  if (item) setup.push(item);

  // query, header, cookie parameters; in an API that addresses nothing by path, the ids the query sends come from setup steps too
  const chained = options.chain === false || (options.depth ?? 0) >= 3 || !env.graph.queryAddressed ? undefined : queryChain(env, op, rng, options, { setup, known, vars });
  const filled = fillParameters(env, op, rng, { useExamples, optional, ...(chained ? { chained } : {}) });
  const { query, headers, cookies, queryStyles, params } = filled;
  if (!filled.valid) valid = false;
  if (!filled.certain) certain = false;
  if (!filled.fromSpec) fromSpec = false;

  // body
  let body: BuiltBody | undefined;
  const media = preferredMedia(op);
  // a body on GET/HEAD has no defined meaning (RFC 9110) and fetch refuses to send one (Stripe declares them)
  const bodyless = op.method === "get" || op.method === "head";
  const sendBody = media !== undefined && !bodyless && (op.requestBody?.required || (options.includeBody ?? optional !== "required"));
  const request: RequestTemplate = { method: op.method, path: op.path, pathParams, query, headers };
  if (Object.keys(cookies).length > 0) request.cookies = cookies;
  if (Object.keys(queryStyles).length > 0) request.queryStyles = queryStyles;
  if (options.identity !== undefined) request.identity = options.identity;
  if (sendBody && media) {
    const rawExample = useExamples ? firstExample(media) : undefined;
    const example = options.exampleParts === "required" && rawExample !== undefined ? requiredPart(env, rawExample, media.schema) : rawExample;
    const exampleOk = example !== undefined && env.validator.check(example, media.schema) === "valid";
    const drawn = exampleOk
      ? { value: example, valid: true }
      : validDraw(env, media.schema, rng, (r) => generateVouched(media.schema, { schemas: env.model.schemas, rng: r, mode: "request", optional, branch: options.branch, useExamples: true }));
    let value = drawn.value;
    // whether `value` is known valid (so the check below is answered without validating)
    let knownValid = drawn.valid;
    // an update of a resource the setup created: on the values it was created with (cross-field rules hold)
    const onCreated = !exampleOk && (op.method === "put" || op.method === "patch") && isJsonMedia(media.contentType) ? onCreatedValues(value, createdBody, media.schema, env.model.schemas, env.validator) : undefined;
    if (onCreated !== undefined) {
      value = onCreated;
      knownValid = true; // onCreatedValues returns valid bodies only
    }
    // a setup create whose schema requires nothing: not `{}`, but what names the resource (and a fuller body to retry with)
    const bodies = options.setupCreate && isJsonMedia(media.contentType) ? setupBodies(value, media.schema, { schemas: env.model.schemas, validator: env.validator, rng: rng.fork("setup-body") }) : {};
    if (bodies.lean) {
      value = bodies.lean;
      knownValid = false;
    }
    // unique-looking fields of a create get values of their own: examples resent collide (409)
    if (options.varyUnique !== false && op.method !== "get" && op.method !== "delete" && isJsonMedia(media.contentType)) {
      const fresh = freshenUnique(value, media.schema, rng.fork("unique"), env.model.schemas, env.validator, undefined, knownValid);
      knownValid = fresh.valid === true;
      if (fresh.pointers.length > 0) {
        value = fresh.value;
        request.unique = fresh.pointers;
        if (exampleOk) fromSpec = false;
      }
    }
    // the item the URL addresses, named in the body too (PUT /todos/{id} {"id": …}), is the path's (own-id.ts)
    const own = isJsonMedia(media.contentType) ? ownIdMember(op, value, media.schema, env.model.schemas, ownProducer(env, op)) : undefined;
    const ownVariable = own ? /^\{\{([^{}]+)\}\}$/.exec(String(pathParams[own.param]))?.[1] : undefined;
    if (own && ownVariable === undefined && env.validator.check(pathParams[own.param], own.schema) === "valid") {
      value = { ...(value as Record<string, unknown>), [own.key]: pathParams[own.param] };
      knownValid = false;
    }
    // members naming another resource (siteId) get the id of one a setup step creates
    const references = isJsonMedia(media.contentType) ? bindBodyReferences(env, op, value, media.schema, rng, options, known, setup) : undefined;
    if (references && references.bound.length > 0) request.references = references.bound;
    if (own && ownVariable !== undefined && !(request.references ?? []).some((r) => r.pointer === `/${escapeToken(own.key)}`)) {
      request.references = [...(request.references ?? []), { pointer: `/${escapeToken(own.key)}`, variable: ownVariable, planned: (value as Record<string, unknown>)[own.key] }];
    }
    // what the body guesses once the references setups fill are left out
    const guessable = references?.filled ?? value;
    body = { media, schema: media.schema, value, fromExample: exampleOk };
    if (bodies.lean || bodies.fuller) fromSpec = false;
    // an example's references (itemId: 1) name resources the target need not have
    if (!exampleOk || hasGuessedReference(guessable)) fromSpec = false;
    const contentType = wireContentType(media.contentType);
    if (isJsonMedia(media.contentType) || /x-www-form-urlencoded|multipart\/form-data/i.test(contentType)) {
      request.body = { contentType, value };
      const files = /multipart\/form-data/i.test(contentType) ? binaryParts(env, media.schema) : [];
      if (files.length > 0) request.body.files = files;
      // the fuller body keeps the lean one's (fresh) values
      if (bodies.fuller && isObject(value)) request.body.fuller = { ...bodies.fuller, ...value };
      // a union body: another branch, so that a crash on one kind does not stop what needs the resource
      else if (options.setupCreate && isJsonMedia(media.contentType)) {
        const other = otherBranchBody(env, media.schema, value, rng.fork("other-branch"));
        if (other !== undefined) request.body.fuller = other;
      }
      if (!knownValid && env.validator.check(value, media.schema) !== "valid") valid = false;
      if (!exampleOk && hasGuessedReference(guessable)) guessedBodyReference = true;
      if (/x-www-form-urlencoded|multipart/i.test(contentType) && !flatForm(value)) certain = false;
      if (/multipart/i.test(contentType) && JSON.stringify(media.schema).includes('"binary"')) certain = false;
    } else {
      // XML, binary, text: sent as raw text; we cannot vouch for its acceptance
      request.body = { contentType, raw: typeof value === "string" ? value : JSON.stringify(value ?? "sentinel") };
      certain = false;
    }
  }
  // the variable each name's value is extracted into (a reference's or a profile's differs from the name)
  for (const [name, value] of Object.entries(known)) if (options.known?.[name] === undefined) vars[name] = /^\{\{([^{}]+)\}\}$/.exec(value)?.[1] ?? name;
  return { setup, request, pathSources, params, body, valid, certain: certain && valid && !guessedBodyReference, certainButBodyReferences: certain && valid, fromSpec: fromSpec && certain && valid && !guessedBodyReference, vars };
}

/**
 * A create of one item in the sub-collection a GET lists (`POST /courses/{id}/enrollments` before
 * `GET /courses/{id}/enrollments`), once its parents are known: a parent the setup has just
 * created holds nothing, so item schemas and parameters like `include=` would only ever be judged
 * on an empty list. Not required to succeed: a create the caller may not make leaves the listing
 * to be judged as it is.
 */
function itemSetup(env: AgentEnv, op: Operation, rng: Rng, options: BuildOptions, known: Record<string, string>): Step | undefined {
  if (op.method !== "get" || op.path.endsWith("}") || (options.depth ?? 0) >= 3) return undefined;
  const parents = pathPlaceholders(op.path);
  const create = parents.length > 0 ? env.graph.collectionOperation("post", op.path) : undefined;
  if (!create || parents.some((name) => known[name] === undefined) || pathPlaceholders(create.path).some((name) => known[name] === undefined)) return undefined;
  const built = buildRequest(env, create, rng.fork("item"), { useExamples: true, optional: "required", identity: options.identity, known, depth: (options.depth ?? 0) + 1, includeBody: true, exampleParts: "required", setupCreate: true });
  if (built.setup.length > 0) return undefined; // the create needs more than the listing's parents
  return { id: "setup-item", request: built.request, checks: [] };
}

/**
 * The filler of an id-like query parameter from a setup step: the operation answering a member of
 * its name creates the resource first (its own id-like query parameters chained the same way, sent
 * even when optional: a create naming another resource needs a real one). A parameter the request
 * does not send stays out, except in a setup create.
 */
function queryChain(env: AgentEnv, op: Operation, rng: Rng, options: BuildOptions, into: { setup: Step[]; known: Record<string, string>; vars: Record<string, string> }): (param: Parameter, included: boolean) => string | undefined {
  const { setup, known, vars } = into;
  return (param, included) => {
    if (!isIdLikeName(param.name) || (!included && !options.setupCreate)) return undefined;
    if (known[param.name] !== undefined) return known[param.name];
    const producer = env.graph.queryProducerFor(op, param.name);
    if (!producer) return undefined;
    const parent = buildRequest(env, producer.op, rng, { useExamples: true, optional: "required", identity: options.identity, known, depth: (options.depth ?? 0) + 1, includeBody: true, exampleParts: "required", setupCreate: true });
    setup.push(...parent.setup.filter((s) => !setup.some((t) => t.id === s.id)));
    for (const [made, variable] of Object.entries(parent.vars)) known[made] ??= `{{${variable}}}`;
    setup.push({ id: `setup-${param.name}`, request: parent.request, extract: { [param.name]: producer.extract }, checks: [], requireSuccess: true });
    known[param.name] = `{{${param.name}}}`;
    vars[param.name] = param.name;
    return known[param.name];
  };
}

/**
 * Members of a JSON body that name another resource by its id (`siteId`, `site_id`, in an object,
 * in each element of an array body): a server checks that the resource exists (and is the
 * caller's), so a made-up id is refused and nothing built on the request is tested. Each gets the
 * id of a resource a setup step creates (resources.ts producerForReference), made once per name per
 * case (`known`: an id a path parameter of that name already has is used as is). The body keeps its
 * valid planned value; the executor puts the id there (RequestTemplate.references). A required
 * member's setup must succeed like a path parameter's; an optional one's may fail (the planned
 * value is sent). Returns the bindings and the body without the required members bound.
 */
function bindBodyReferences(env: AgentEnv, op: Operation, value: unknown, schema: JsonSchema, rng: Rng, options: BuildOptions, known: Record<string, string>, setup: Step[]): { bound: BodyReference[]; filled: unknown } {
  const bound: BodyReference[] = [];
  const depth = options.depth ?? 0;
  const siblings = new Map<Operation, RequestTemplate>();
  const visit = (node: unknown, at: JsonSchema | undefined, pointer: string, level: number): unknown => {
    if (at === undefined || level > 3) return node;
    const flat = flattenAllOf(at, env.model.schemas);
    if (!isObject(flat)) return node;
    if (Array.isArray(node)) return isObject(flat.items) ? node.map((item, i) => visit(item, flat.items as JsonSchema, `${pointer}/${i}`, level + 1)) : node;
    if (!isObject(node) || !isObject(flat.properties)) return node;
    const props = flat.properties as Record<string, JsonSchema>;
    const isRequired = (key: string) => Array.isArray(flat.required) && (flat.required as unknown[]).includes(key);
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(node)) {
      out[key] = member;
      const sub = props[key];
      if (sub === undefined) continue;
      if (typeof member !== "string" && typeof member !== "number") {
        out[key] = visit(member, sub, `${pointer}/${escapeToken(key)}`, level + 1);
        continue;
      }
      const resolved = flattenAllOf(sub, env.model.schemas);
      // a bare `id` is the resource's own; a member named after no resource is no reference
      if (referencedResources(key, sub).length === 0 || (isObject(resolved) && resolved.readOnly === true)) continue;
      let variable = /^\{\{([^{}]+)\}\}$/.exec(known[key] ?? "")?.[1];
      if (variable === undefined) {
        const producer = options.chain === false || depth >= 3 ? undefined : env.graph.producerForReference(op, key, sub);
        if (!producer) continue;
        // its own namespace: a path parameter of the same name (GET /stage-instances/{channel_id}
        // after a create whose body names a channel_id) is another resource's id and another step
        variable = `ref_${key.replace(/[^\w$]/g, "_")}`;
        // what a body names is used, not owned: the run's first identity (the one that can create
        // things) makes it — a leave policy an employee's request names is an administrator's to create
        const made = buildRequest(env, producer.op, rng.fork(`reference-${key}`), { useExamples: true, optional: "required", known, depth: depth + 1, includeBody: true, exampleParts: "required", setupCreate: true });
        setup.push(...made.setup.filter((s) => !setup.some((t) => t.id === s.id)));
        for (const [name, v] of Object.entries(made.vars)) known[name] ??= `{{${v}}}`;
        // resources one body names together (a transfer's two accounts) are made alike: a rule between
        // them (the same currency, the same kind) holds, as for a client picking two of its own
        const sibling = siblings.get(producer.op);
        if (sibling) alikeCreate(env, producer.op, made.request, sibling);
        else siblings.set(producer.op, made.request);
        const request = made.request;
        setup.push({ id: `setup-${variable}`, request, extract: { [variable]: producer.extract }, checks: [], requireSuccess: isRequired(key) });
        known[key] = `{{${variable}}}`;
      }
      bound.push({ pointer: `${pointer}/${escapeToken(key)}`, variable, planned: member });
      if (isRequired(key)) delete out[key];
    }
    return out;
  };
  const filled = visit(value, schema, "", 0);
  return { bound, filled };
}

/**
 * `request`'s body given the sibling create's choices from a fixed set (enum, const and boolean
 * members, top level): the kind of resource, its currency. Its own free values stay (a unique name
 * stays unique); the body is kept as it was when the result would not be valid.
 */
function alikeCreate(env: AgentEnv, op: Operation, request: RequestTemplate, sibling: RequestTemplate): void {
  const media = preferredMedia(op);
  const body = request.body;
  const chosen = sibling.body?.value;
  const flat = media ? flattenAllOf(media.schema, env.model.schemas) : undefined;
  if (!media || !body || !isObject(body.value) || !isObject(chosen) || !isObject(flat) || !isObject(flat.properties)) return;
  const value: Record<string, unknown> = { ...body.value };
  for (const [name, sub] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
    const member = flattenAllOf(sub, env.model.schemas);
    const fixedSet = isObject(member) && (Array.isArray(member.enum) || member.const !== undefined || member.type === "boolean");
    if (fixedSet && name in value && name in chosen) value[name] = chosen[name];
  }
  if (env.validator.check(value, media.schema) === "invalid") return;
  body.value = value;
  if (isObject(body.fuller)) body.fuller = { ...body.fuller, ...value };
}

/** Top-level parts of a multipart body the spec declares binary (`type: string, format: binary`): uploaded as files. */
function binaryParts(env: AgentEnv, schema: JsonSchema): string[] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties as Record<string, JsonSchema>)
    .filter(([, member]) => {
      const part = flattenAllOf(member, env.model.schemas);
      return isObject(part) && part.type === "string" && part.format === "binary";
    })
    .map(([name]) => name);
}

/** The create of the item a PUT/PATCH on an item path addresses (its last path parameter), if any. */
function ownProducer(env: AgentEnv, op: Operation): Producer | undefined {
  if ((op.method !== "put" && op.method !== "patch") || !op.path.endsWith("}")) return undefined;
  const names = pathPlaceholders(op.path);
  return env.graph.producerFor(op, names[names.length - 1]);
}

function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * A valid body of `schema` from the first branch of its union (firstUnion: the top one, or the first
 * along required properties) that `value` does not belong to; undefined without a union or such a draw.
 */
function otherBranchBody(env: AgentEnv, schema: JsonSchema, value: unknown, rng: Rng): unknown {
  const union = firstUnion(schema, env.model.schemas);
  if (!union || union.count < 2) return undefined;
  const flat = flattenAllOf(union.schema, env.model.schemas);
  const branches = (isObject(flat) ? (flat.oneOf ?? flat.anyOf) : undefined) as JsonSchema[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  let at: unknown = value;
  for (const token of union.tokens) at = isObject(at) ? at[token] : undefined;
  for (let index = 0; index < branches.length; index++) {
    if (env.validator.check(at, branches[index]) !== "invalid") continue; // value may be of this branch
    const drawn = validDraw(env, schema, rng.fork(`branch${index}`), (r) => generateVouched(schema, { schemas: env.model.schemas, rng: r, mode: "request", optional: "required", branch: index, useExamples: true }));
    if (drawn.valid) return drawn.value;
  }
  return undefined;
}

/** An object example with only its required properties, when that is still valid (else as is). */
function requiredPart(env: AgentEnv, example: unknown, schema: JsonSchema): unknown {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(example) || !isObject(flat) || !Array.isArray(flat.required)) return example;
  const required = new Set(flat.required as string[]);
  const trimmed = Object.fromEntries(Object.entries(example).filter(([key]) => required.has(key)));
  return env.validator.check(trimmed, schema) === "valid" ? trimmed : example;
}

/** Deep copy (templates are plain JSON). */
export function copy<T>(value: T): T {
  return cloneJson(value);
}

/**
 * A sign-up's account fields (username, e-mail, password) are sent even when the schema marks
 * none required: a schema without a `required` list says nothing about what the server needs, and
 * no account exists without them. Fills the missing ones in place (inside a wrapper only when the
 * wrapper was sent), marks usernames and e-mails unique (a taken one is re-rolled), and returns
 * the pointers it filled.
 */
function requiresNothing(env: AgentEnv, schema: JsonSchema | undefined): boolean {
  return schemaRequiresNothing(schema, env.model.schemas);
}

/**
 * How a create whose key the client chooses (producer via "request") is built: when its body
 * schema requires nothing (a spec that never says what is required), the whole documented record,
 * so the key and its companions are sent; else like any setup create.
 */
export function keyedCreate(env: AgentEnv, producer: Producer): Pick<BuildOptions, "optional" | "exampleParts"> {
  return producer.via === "request" && requiresNothing(env, preferredMedia(producer.op)?.schema) ? { optional: "all", exampleParts: "all" } : {};
}

/** The key a client-keyed create names its resource by is in the body it sends, fresh and re-rolled on a conflict. */
export function sendChosenKey(env: AgentEnv, built: BuiltRequest, producer: Producer, rng: Rng): void {
  if (producer.extract.from !== "request" || !built.body || !isObject(built.request.body?.value)) return;
  const pointer = producer.extract.pointer;
  const value = built.request.body!.value as Record<string, unknown>;
  const field = fieldsOf(built.body.schema, env.model.schemas, 1).find((f) => f.pointer === pointer);
  if (!field) return;
  if (typeof readPointer(value, pointer) !== "string") writePointer(value, pointer, generateValid(field.schema, { schemas: env.model.schemas, rng: rng.fork(`key${pointer}`), mode: "request", useExamples: false, name: field.name }));
  if (!(built.request.unique ?? []).includes(pointer)) built.request.unique = [...(built.request.unique ?? []), pointer];
}

export function fillAccountFields(env: AgentEnv, built: BuiltRequest, rng: Rng): string[] {
  const body = built.request.body?.value;
  if (!built.body || !isObject(body)) return [];
  const filled: string[] = [];
  for (const field of fieldsOf(built.body.schema, env.model.schemas)) {
    if (field.role === undefined || field.role === "token" || readPointer(body, field.pointer) !== undefined) continue;
    const flat = flattenAllOf(field.schema, env.model.schemas);
    if (isObject(flat) && flat.readOnly === true) continue;
    if (!isObject(readPointer(body, field.pointer.slice(0, field.pointer.lastIndexOf("/"))))) continue;
    writePointer(body, field.pointer, generateValid(field.schema, { schemas: env.model.schemas, rng: rng.fork(field.pointer), mode: "request", useExamples: true, name: field.name }));
    filled.push(field.pointer);
    if (field.role !== "password") built.request.unique = [...(built.request.unique ?? []), field.pointer];
  }
  return filled;
}
