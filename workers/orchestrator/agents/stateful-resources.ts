/**
 * Resources the stateful agents work on: the collection/item pairs with the operation that creates
 * them, requests that create and address one, and which of its fields a read-back can compare.
 * Shared by stateful.ts, stateful-chains.ts, security-auth.ts and data-exposure.ts.
 */
import { isJsonPatch, jsonPatchEffect } from "../../shared/json-patch";
import type { JsonSchema, Operation, Step } from "../../model";
import { check } from "./case-helpers";
import { buildRequest, conformanceChecks, isJsonMedia, keyedCreate, sendChosenKey, type AgentEnv, type BuiltRequest } from "./requests";
import type { Rng } from "../generate/random";
import { pathPlaceholders, type Producer } from "./resources";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isIdLikeName } from "./names";
import { isObject } from "../../jsonschema/types";
import { onCreatedValues } from "./created-values";

/** A resource reachable at `itemPath` = `collection/{param}` and the operation that creates it. */
export interface ResourceTarget {
  itemPath: string;
  param: string;
  producer: Producer;
  read?: Operation;
  put?: Operation;
  patch?: Operation;
  del?: Operation;
}

export function resourceTargets(env: AgentEnv): ResourceTarget[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of env.model.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const out: ResourceTarget[] = [];
  for (const [path, ops] of byPath) {
    const last = path.split("/").pop() ?? "";
    const m = /^\{([^{}]+)\}$/.exec(last);
    if (!m) continue;
    const param = m[1];
    const producer = ops.map((op) => env.graph.producerFor(op, param)).find((p) => p !== undefined);
    if (!producer) continue;
    const find = (method: string) => ops.find((op) => op.method === method);
    out.push({ itemPath: path, param, producer, read: find("get"), put: find("put"), patch: find("patch"), del: find("delete") });
  }
  return out;
}

export interface CreatedResource {
  /** parent setup steps followed by the create step (id "create") */
  steps: Step[];
  create: BuiltRequest;
  /** path parameters later requests on the item path reuse: parents and the new id as "{{var}}" */
  known: Record<string, string>;
}

/** Steps creating the resource of `target` (parents first); the create step is `createId`. */
export function createResource(env: AgentEnv, target: ResourceTarget, rng: Rng, options: { identity?: string | null; createId?: string; checks?: boolean; optional?: "all" | "required"; useExamples?: boolean } = {}): CreatedResource {
  const optional = options.optional ?? "required";
  // like a setup step, only the example's required part: an optional example value the server
  // refuses (a business rule, a bug of its own) must not stop every chain built on the create
  const create = buildRequest(env, target.producer.op, rng, { useExamples: options.useExamples ?? true, optional, includeBody: true, identity: options.identity, exampleParts: optional, setupCreate: optional === "required", ...keyedCreate(env, target.producer) });
  sendChosenKey(env, create, target.producer, rng);
  const checks = options.checks ? conformanceChecks(create.valid) : [];
  if (options.checks && create.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
  const createStep: Step = {
    id: options.createId ?? "create",
    request: create.request,
    extract: { [target.param]: target.producer.extract },
    checks,
    requireSuccess: true,
  };
  const known: Record<string, string> = {};
  for (const [name, value] of Object.entries(create.request.pathParams)) if (typeof value === "string") known[name] = value;
  // what the create's setups made for its body (its site, of `siteId`): an update names the same
  for (const [name, variable] of Object.entries(create.vars)) known[name] ??= `{{${variable}}}`;
  known[target.param] = `{{${target.param}}}`;
  return { steps: [...create.setup, createStep], create, known };
}

/** A request on the item path addressing the created resource. */
export function itemRequest(env: AgentEnv, op: Operation, rng: Rng, known: Record<string, string>, identity?: string | null, idProperty?: string, optional: "all" | "required" = "required"): BuiltRequest {
  const built = buildRequest(env, op, rng, { known, optional, includeBody: true, chain: false, identity });
  if (optional === "all") dropGuessedReferences(env, built);
  // the body names the same resource as the URL (PUT /pets/{id} with { id, ... })
  const value = built.body?.value;
  const param = pathPlaceholders(op.path).pop();
  if (idProperty && param && isObject(value) && bodyHasProperty(env, built.body!.schema, idProperty)) {
    value[idProperty] = known[param];
    if (built.request.body) built.request.body.value = value;
  }
  return built;
}

/**
 * An update of the created resource sent on the values it was created with (created-values.ts),
 * when its body is JSON, was generated (not the spec's example) and the result is valid.
 */
export function onCreatedResource(env: AgentEnv, update: BuiltRequest, create: BuiltRequest): void {
  const body = update.body;
  if (!body || body.fromExample || !update.request.body || !("value" in update.request.body) || !isJsonMedia(body.media.contentType)) return;
  const value = onCreatedValues(body.value, create.request.body?.value, body.schema, env.model.schemas, env.validator);
  if (value === undefined) return;
  body.value = value;
  update.request.body.value = value;
}

/**
 * Which optional body parts an update sends: only the required ones when there are some (an
 * optional field can trip a business rule — an unknown coupon — and block the whole lifecycle),
 * all of them when nothing is required (a PATCH body of optional fields).
 */
export function updateOptional(env: AgentEnv, op: Operation): "all" | "required" {
  const media = op.requestBody?.content.find((m) => isJsonMedia(m.contentType));
  const flat = media ? flattenAllOf(media.schema, env.model.schemas) : undefined;
  return isObject(flat) && Array.isArray(flat.required) && flat.required.length > 0 ? "required" : "all";
}

/**
 * An optional reference to another resource (assigneeId, category_id) holds a made-up id the
 * target need not have: an update refused for it says nothing about the resource, and would stop
 * the chain. Left out while the body stays valid, at any depth (an envelope's `data.id`, which
 * must name the path's item, is a guess too).
 */
function dropGuessedReferences(env: AgentEnv, built: BuiltRequest): void {
  const body = built.body;
  if (!body || !isObject(body.value) || !built.request.body || !("value" in built.request.body)) return;
  const without = (node: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(node).filter(([k]) => k !== key));
  // the object `node` without its guessed references; `place` puts a version of it into the whole body
  const trim = (node: Record<string, unknown>, schema: JsonSchema | undefined, place: (n: Record<string, unknown>) => Record<string, unknown>, depth: number): Record<string, unknown> => {
    const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
    const required = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    let current = node;
    for (const key of Object.keys(node)) {
      if (isIdLikeName(key) && !required.has(key) && env.validator.check(place(without(current, key)), body.schema) === "valid") {
        current = without(current, key);
        continue;
      }
      const child = current[key];
      if (!isObject(child) || depth >= 4) continue;
      const inner = trim(child, props[key], (n) => place({ ...current, [key]: n }), depth + 1);
      current = { ...current, [key]: inner };
    }
    return current;
  };
  const value = trim(body.value, body.schema, (n) => n, 0);
  body.value = value;
  built.request.body.value = value;
}

function bodyHasProperty(env: AgentEnv, schema: JsonSchema, name: string): boolean {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return false;
  const prop = (flat.properties as Record<string, JsonSchema>)[name];
  if (prop === undefined) return false;
  const r = resolve(prop, env.model.schemas);
  return !(isObject(r) && r.readOnly === true);
}

export function responseProperties(env: AgentEnv, op: Operation | undefined): Record<string, JsonSchema> {
  if (!op) return {};
  for (const response of op.responses.filter((r) => /^2/.test(r.status))) {
    const media = response.content.find((m) => isJsonMedia(m.contentType));
    if (!media) continue;
    const flat = flattenAllOf(media.schema, env.model.schemas);
    if (isObject(flat) && isObject(flat.properties)) return flat.properties as Record<string, JsonSchema>;
  }
  return {};
}

/**
 * Fields of an update body whose read-back must equal what was sent: plain scalars the read
 * returns, no formats but a calendar date (servers normalise instants, URIs), no ids, no secrets, nothing readOnly or
 * writeOnly on either side. Top-level fields by name; fields inside objects (an envelope's
 * `data.attributes.capacity`) as JSON pointers, where the read documents the same path.
 */
export function comparableFields(env: AgentEnv, body: unknown, bodySchema: JsonSchema, read: Operation | undefined): string[] {
  // a JSON Patch document (RFC 6902): the members its add/replace operations write, as the read describes them
  if (isJsonPatch(body)) {
    const effect = jsonPatchEffect(body);
    const schema = readSchema(env, read);
    return effect && schema ? comparableAt(env, effect.value, schema, schema, "", 0) : [];
  }
  return comparableAt(env, body, bodySchema, readSchema(env, read), "", 0);
}

/** The JSON schema of the read's first 2xx answer that documents properties. */
export function readSchema(env: AgentEnv, op: Operation | undefined): JsonSchema | undefined {
  if (!op) return undefined;
  for (const response of op.responses.filter((r) => /^2/.test(r.status))) {
    const media = response.content.find((m) => isJsonMedia(m.contentType));
    const flat = media ? flattenAllOf(media.schema, env.model.schemas) : undefined;
    if (isObject(flat) && isObject(flat.properties)) return media!.schema;
  }
  return undefined;
}

function propertiesOf(env: AgentEnv, schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
  return isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
}

function comparableAt(env: AgentEnv, body: unknown, bodySchema: JsonSchema | undefined, readAt: JsonSchema | undefined, prefix: string, depth: number): string[] {
  if (!isObject(body) || depth > 4) return [];
  const readProps = propertiesOf(env, readAt);
  const props = propertiesOf(env, bodySchema);
  return Object.entries(body).flatMap(([key, value]) => {
    if (!(key in readProps) || props[key] === undefined) return [];
    const s = flattenAllOf(props[key], env.model.schemas);
    const r = flattenAllOf(readProps[key], env.model.schemas);
    if (!isObject(s) || s.readOnly === true || s.writeOnly === true || (isObject(r) && (r.readOnly === true || r.writeOnly === true))) return [];
    if (/pass|secret|token|key$/i.test(key)) return [];
    const at = `${prefix}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (isObject(value)) return comparableAt(env, value, props[key], readProps[key], at, depth + 1);
    if (!["string", "number", "boolean"].includes(typeof value)) return [];
    if (typeof value === "string" && value.includes("{{")) return [];
    if (isIdLikeName(key) || !comparableFormat(s.format, value) || (isObject(r) && !comparableFormat(r.format, value))) return [];
    return [depth === 0 ? key : at];
  });
}

/**
 * Formatted values are normalised by servers (an instant in another zone, a URI's case) and are
 * not compared; a calendar date (`format: date`, YYYY-MM-DD) has one spelling and reads back as sent.
 */
function comparableFormat(format: unknown, value: unknown): boolean {
  return format === undefined || (format === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value));
}
