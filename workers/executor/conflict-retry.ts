/**
 * A create that collides with data already there (409, or a 400/422 saying "already exists") is
 * sent once more with fresh values in the fields that collided. Which fields: those the plan marked
 * unique (`unique`), those the error body names (problem+json `errors[].name|field|pointer`,
 * JSON:API `errors[].source.pointer`, RFC 7807's `invalid-params[].name`, FastAPI's `loc`, a
 * `{field: [messages]}` map, or a sent property named in the error's text), and when nothing is
 * named, the strings sent exactly as the spec's example or default (examples resent by every case
 * collide with the first one). Each fresh value is confirmed against the field's schema (pattern,
 * format, length): a value the schema refuses would only turn the conflict into a 400.
 */
import type { ApiModel, JsonSchema, Operation, ReceivedResponse, RequestTemplate, Step } from "../model";
import { flattenAllOf } from "../jsonschema/shape";
import { isObject } from "../jsonschema/types";
import { ModelValidator } from "../jsonschema/validate";
import { ALREADY_TAKEN, freshValue, reroll } from "../orchestrator/generate/unique";
import type { Rng } from "../orchestrator/generate/random";
import { cloneJson } from "../shared/json-clone";
import { namedInError } from "../shared/error-fields";

/** 409, or a 400/422 whose body says a value is already taken. */
export function isConflict(response: ReceivedResponse): boolean {
  if (response.status === 409) return true;
  return (response.status === 400 || response.status === 422) && ALREADY_TAKEN.test(response.body.slice(0, 2000));
}

/**
 * May the conflict of `step` re-roll more than the fields the plan marked unique? Not when a check
 * compares it with a baseline step (boundary and injection pairs): it must differ from that
 * baseline in the value under test only (and the unique ones both share by construction); a
 * conflict with what the baseline just made (the same room booked twice) is answered as is.
 */
export function mayVaryConflict(step: Step): boolean {
  return !step.checks.some((c) => typeof c.params?.baselineStep === "string");
}

function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function tokensOf(pointer: string): string[] {
  return pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function at(value: unknown, tokens: string[]): unknown {
  let node = value;
  for (const token of tokens) node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
  return node;
}

/** Every pointer of a scalar in the body, with its last token (objects to depth 4). */
function leaves(value: unknown): { pointer: string; key: string }[] {
  const out: { pointer: string; key: string }[] = [];
  const walk = (node: unknown, path: string, depth: number) => {
    if (depth > 4 || !isObject(node)) return;
    for (const [key, v] of Object.entries(node)) {
      const pointer = `${path}/${escapeToken(key)}`;
      if (isObject(v)) walk(v, pointer, depth + 1);
      else if (typeof v === "string" || typeof v === "number") out.push({ pointer, key });
    }
  };
  walk(value, "", 0);
  return out;
}

/** A name from an error body as a pointer into the sent body, when it names one of its values. */
function resolveName(name: string, body: unknown, fields: { pointer: string; key: string }[]): string | undefined {
  const exists = (pointer: string) => fields.some((f) => f.pointer === pointer);
  const raw = name.replace(/^#/, "");
  if (raw.startsWith("/")) {
    if (exists(raw)) return raw;
    // JSON:API: /data/attributes/<name> names the attribute of a body that may be sent flat
    const last = tokensOf(raw).pop();
    const byKey = fields.filter((f) => f.key === last);
    return byKey.length === 1 ? byKey[0].pointer : undefined;
  }
  // "user.email", "user[email]", "body.vin"
  const tokens = raw.replace(/\[(\w+)\]/g, ".$1").split(".").filter((t) => t !== "");
  const direct = "/" + (tokens[0] === "body" ? tokens.slice(1) : tokens).map(escapeToken).join("/");
  if (exists(direct)) return direct;
  const last = tokens[tokens.length - 1];
  const byKey = fields.filter((f) => f.key === last);
  return byKey.length === 1 && at(body, tokensOf(byKey[0].pointer)) !== undefined ? byKey[0].pointer : undefined;
}

/** Sent properties the error's text names as whole words ("a vehicle with VIN … already exists"). */
function namedInText(text: string, fields: { pointer: string; key: string }[]): string[] {
  if (!ALREADY_TAKEN.test(text)) return [];
  return fields.filter((f) => f.key.length >= 2 && new RegExp(`(^|[^A-Za-z0-9_])${f.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9_]|$)`, "i").test(text)).map((f) => f.pointer);
}

/** The schema of the value at `tokens` inside a body of `schema` (properties only). */
function schemaAt(schema: JsonSchema, tokens: string[], model: ApiModel): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const token of tokens) {
    const flat: unknown = node === undefined ? undefined : flattenAllOf(node, model.schemas);
    if (!isObject(flat) || !isObject(flat.properties)) return undefined;
    node = (flat.properties as Record<string, JsonSchema>)[token];
  }
  return node;
}

/** The property's own example or default (the value every case would send). */
function specValues(schema: JsonSchema | undefined, model: ApiModel): unknown[] {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, model.schemas);
  if (!isObject(flat)) return [];
  return [flat.example, flat.default, ...(Array.isArray(flat.examples) ? flat.examples : [])].filter((v) => v !== undefined);
}

/** The media example's value at `tokens`, when the operation's body documents one. */
function mediaExampleAt(op: Operation | undefined, contentType: string, tokens: string[]): unknown {
  const media = op?.requestBody?.content.find((m) => m.contentType.split(";")[0].trim().toLowerCase() === contentType.split(";")[0].trim().toLowerCase()) ?? op?.requestBody?.content[0];
  const example = media?.example ?? (Array.isArray(media?.examples) ? media?.examples[0] : undefined);
  return example === undefined ? undefined : at(example, tokens);
}

function bodySchema(op: Operation | undefined, contentType: string): JsonSchema | undefined {
  const content = op?.requestBody?.content ?? [];
  const base = contentType.split(";")[0].trim().toLowerCase();
  return (content.find((m) => m.contentType.split(";")[0].trim().toLowerCase() === base) ?? content[0])?.schema;
}

const validators = new WeakMap<ApiModel, ModelValidator>();
function validatorOf(model: ApiModel): ModelValidator {
  let v = validators.get(model);
  if (!v) validators.set(model, (v = new ModelValidator(model)));
  return v;
}

/** A fresh value for the value at a pointer: valid for its schema, else (no schema known) re-rolled. */
function fresh(current: unknown, schema: JsonSchema | undefined, rng: Rng, model: ApiModel): unknown {
  if (typeof current === "string") {
    if (schema === undefined) return reroll(current, rng);
    const flat = flattenAllOf(schema, model.schemas);
    if (isObject(flat) && (flat.enum !== undefined || flat.const !== undefined)) return undefined;
    return freshValue(current, schema, rng, model.schemas, validatorOf(model));
  }
  if (typeof current === "number" && Number.isInteger(current) && schema !== undefined) {
    const flat = flattenAllOf(schema, model.schemas);
    if (!isObject(flat) || flat.enum !== undefined || flat.const !== undefined) return undefined;
    const min = typeof flat.minimum === "number" ? Math.ceil(flat.minimum) : 1;
    const max = typeof flat.maximum === "number" ? Math.floor(flat.maximum) : min + 999_999;
    for (let attempt = 0; attempt < 4 && max > min; attempt++) {
      const candidate = rng.int(min, max);
      if (candidate !== current && validatorOf(model).check(candidate, schema) === "valid") return candidate;
    }
  }
  return undefined;
}

/**
 * The template once more with fresh values in the fields that collided; undefined when there is
 * no JSON-like body or nothing could be varied.
 */
export function varyConflicting(template: RequestTemplate, response: ReceivedResponse, model: ApiModel, operation: Operation | undefined, rng: Rng, onlyUnique = false): RequestTemplate | undefined {
  const value = template.body?.value;
  if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const fields = leaves(value);
  const contentType = template.body!.contentType ?? "application/json";
  const schema = bodySchema(operation, contentType);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (onlyUnique) return varied(template, value, new Set(template.unique ?? []), schema, model, rng);
  const named = new Set<string>();
  for (const name of namedInError(parsed)) {
    const pointer = resolveName(name, value, fields);
    if (pointer) named.add(pointer);
  }
  if (named.size === 0) for (const pointer of namedInText(response.body.slice(0, 2000), fields)) named.add(pointer);
  const targets = new Set<string>([...(template.unique ?? []), ...named]);
  if (named.size === 0) {
    // nothing named: the strings sent as the spec documents them (its example or default)
    for (const f of fields) {
      const tokens = tokensOf(f.pointer);
      const sent = at(value, tokens);
      if (typeof sent !== "string") continue;
      const documented = [...specValues(schema && schemaAt(schema, tokens, model), model), mediaExampleAt(operation, contentType, tokens)];
      if (documented.some((d) => d === sent)) targets.add(f.pointer);
    }
  }
  return varied(template, value, targets, schema, model, rng);
}

/** The template with fresh values at `targets`; undefined when none could be varied. */
function varied(template: RequestTemplate, value: object, targets: Set<string>, schema: JsonSchema | undefined, model: ApiModel, rng: Rng): RequestTemplate | undefined {
  const copy = cloneJson(value) as Record<string, unknown>;
  let changed = false;
  for (const pointer of targets) {
    const tokens = tokensOf(pointer);
    const holder = at(copy, tokens.slice(0, -1));
    const last = tokens[tokens.length - 1];
    if (!isObject(holder)) continue;
    let next = fresh(holder[last], schema && schemaAt(schema, tokens, model), rng.fork(pointer), model);
    // a field the plan marked unique is re-rolled even when its schema could not confirm a variant
    if (next === undefined && typeof holder[last] === "string" && template.unique?.includes(pointer)) next = reroll(holder[last], rng.fork(pointer));
    if (next === undefined) continue;
    holder[last] = next;
    changed = true;
  }
  return changed ? { ...template, body: { ...template.body!, value: copy } } : undefined;
}
