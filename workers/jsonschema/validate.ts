/**
 * JSON Schema (2020-12) validation of response bodies and headers with @cfworker/json-schema
 * (no code generation, so it runs in workerd).
 *
 * `#/components/schemas/Name` refs are rewritten to per-component absolute URIs and only the
 * components reachable from the validated schema are registered. Schemas are cloned and
 * adjusted first, so the model is never mutated and known false alarms are avoided:
 *  - `required` names whose property is writeOnly are dropped for responses (OpenAPI: required
 *    applies to requests only for writeOnly properties), readOnly ones for requests;
 *  - formats whose checkers disagree with common practice are dropped: `url` (the library
 *    rejects private hosts and localhost), `regex` (dialects differ); unknown formats are
 *    ignored by the library anyway;
 *  - `pattern`s that are not valid ECMAScript (`u` flag) are dropped rather than crash, and one
 *    written as a regex literal (`/^[a-z]+$/`, a common slip) is read as its body;
 *  - for responses, `oneOf` is read as `anyOf`: a body matching two overlapping branches
 *    (oneOf [Cat, Dog] of open objects) is an ambiguity of the spec, not a server bug;
 *  - example/examples/x-* annotations are not copied.
 * Validators are cached per model and schema object.
 */
import { Validator } from "@cfworker/json-schema";
import type { ApiModel, JsonSchema } from "../model";
import { decodeRefToken } from "./pointer";

export type Purpose = "response" | "request";

export interface SchemaViolation {
  keyword: string;
  /** JSON pointer into the instance, e.g. /items/0/name */
  instancePath: string;
  message: string;
}

export type SchemaVerdict =
  | { valid: true }
  | { valid: false; violations: SchemaViolation[] }
  /** the schema itself cannot be evaluated (unresolvable $ref, ...): no verdict */
  | { valid: "unknown"; reason: string };

const BASE = "https://sentinel.invalid/components/schemas/";
const COMPONENT_REF = /^#\/components\/schemas\/([^/#]+)(\/.*)?$/;
const DROPPED_FORMATS = new Set(["url", "regex"]);
const SKIPPED_KEYS = new Set(["example", "examples", "xml", "externalDocs", "discriminator"]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_ARRAY_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_KEYWORDS = new Set(["items", "additionalItems", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "not", "if", "then", "else", "contains", "propertyNames"]);
/** errors that only say "a subschema failed": the leaf error below them is the useful one */
const WRAPPER_KEYWORDS = new Set(["false", "properties", "patternProperties", "items", "prefixItems", "$ref", "allOf", "additionalItems", "dependentSchemas", "contains", "if", "then", "else", "unevaluatedItems"]);

interface ModelCache {
  components: Map<string, { schema: JsonSchema; refs: Set<string> }>;
  validators: Map<Purpose, WeakMap<object, { validator: Validator } | { error: string }>>;
}

const caches = new WeakMap<ApiModel, ModelCache>();

function cacheFor(model: ApiModel): ModelCache {
  let cache = caches.get(model);
  if (!cache) {
    cache = { components: new Map(), validators: new Map([["response", new WeakMap()], ["request", new WeakMap()]]) };
    caches.set(model, cache);
  }
  return cache;
}

export function validateSchema(model: ApiModel, schema: JsonSchema, instance: unknown, purpose: Purpose = "response"): SchemaVerdict {
  if (schema === true) return { valid: true };
  if (schema === false) return { valid: false, violations: [{ keyword: "false", instancePath: "", message: "no value is allowed here (schema is false)" }] };
  const cache = cacheFor(model);
  const perPurpose = cache.validators.get(purpose)!;
  let entry = perPurpose.get(schema);
  if (!entry) {
    try {
      entry = { validator: buildValidator(model, cache, schema, purpose) };
    } catch (error) {
      entry = { error: error instanceof Error ? error.message : String(error) };
    }
    perPurpose.set(schema, entry);
  }
  if ("error" in entry) return { valid: "unknown", reason: firstLine(entry.error) };
  try {
    const result = entry.validator.validate(instance);
    if (result.valid) return { valid: true };
    return { valid: false, violations: pickViolations(result.errors) };
  } catch (error) {
    return { valid: "unknown", reason: firstLine(error instanceof Error ? error.message : String(error)) };
  }
}

function buildValidator(model: ApiModel, cache: ModelCache, schema: JsonSchema, purpose: Purpose): Validator {
  const refs = new Set<string>();
  const root = prepare(model, schema, purpose, refs);
  const validator = new Validator(root as object, "2020-12", false);
  const pending = [...refs];
  const added = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (added.has(name)) continue;
    added.add(name);
    const component = componentFor(model, cache, name, purpose);
    if (!component) continue; // left unresolved: validation reports "unknown"
    validator.addSchema(component.schema as never, BASE + encodeURIComponent(name));
    for (const ref of component.refs) if (!added.has(ref)) pending.push(ref);
  }
  return validator;
}

function componentFor(model: ApiModel, cache: ModelCache, name: string, purpose: Purpose) {
  const key = `${purpose}:${name}`;
  let entry = cache.components.get(key);
  if (!entry) {
    const source = model.schemas[name];
    if (source === undefined) return undefined;
    const refs = new Set<string>();
    const schema = prepare(model, source, purpose, refs);
    // addSchema spreads the object, so booleans are wrapped
    entry = { schema: typeof schema === "boolean" ? (schema ? {} : { not: {} }) : schema, refs };
    cache.components.set(key, entry);
  }
  return entry;
}

/** Deep copy of a schema with refs rewritten and false-alarm sources removed. */
function prepare(model: ApiModel, schema: unknown, purpose: Purpose, refs: Set<string>, depth = 0): JsonSchema {
  if (typeof schema === "boolean") return schema;
  if (!schema || typeof schema !== "object" || Array.isArray(schema) || depth > 200) return {};
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (SKIPPED_KEYS.has(key) || key.startsWith("x-") || key === "$id" || key === "$schema") continue;
    if (key === "$ref" && typeof value === "string") {
      const match = COMPONENT_REF.exec(value);
      if (match) {
        const name = decodeRefToken(match[1]);
        refs.add(name);
        out.$ref = BASE + encodeURIComponent(name) + (match[2] ? "#" + match[2] : "");
      } else {
        out.$ref = value;
      }
    } else if (SCHEMA_MAP_KEYWORDS.has(key) && value && typeof value === "object" && !Array.isArray(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        if (key === "patternProperties" && !isValidPattern(name)) continue;
        map[name] = prepare(model, sub, purpose, refs, depth + 1);
      }
      out[key] = map;
    } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      const target = key === "oneOf" && purpose === "response" && !Array.isArray(source.anyOf) ? "anyOf" : key;
      out[target] = value.map((sub) => prepare(model, sub, purpose, refs, depth + 1));
    } else if (SCHEMA_KEYWORDS.has(key) && (typeof value === "object" || typeof value === "boolean")) {
      out[key] = Array.isArray(value) ? value.map((sub) => prepare(model, sub, purpose, refs, depth + 1)) : prepare(model, value, purpose, refs, depth + 1);
    } else if (key === "format" && typeof value === "string" && DROPPED_FORMATS.has(value)) {
      continue;
    } else if (key === "pattern" && typeof value === "string") {
      // a pattern written as a regex literal ("/^[a-z]+$/") means its body; invalid ones are dropped
      const body = /^\/(\^.*\$)\/[dgimsuy]*$/.exec(value)?.[1] ?? value;
      if (isValidPattern(body)) out[key] = body;
    } else {
      out[key] = cloneJson(value);
    }
  }
  if (Array.isArray(out.required) && out.properties && typeof out.properties === "object") {
    const flag = purpose === "response" ? "writeOnly" : "readOnly";
    const properties = source.properties as Record<string, unknown>;
    out.required = (out.required as unknown[]).filter((name) => typeof name !== "string" || !hasFlag(model, properties?.[name], flag));
  }
  return out;
}

function hasFlag(model: ApiModel, schema: unknown, flag: string): boolean {
  let current = schema;
  for (let i = 0; i < 10 && current && typeof current === "object"; i++) {
    const record = current as Record<string, unknown>;
    if (record[flag] === true) return true;
    const ref = typeof record.$ref === "string" ? COMPONENT_REF.exec(record.$ref) : null;
    if (!ref || ref[2]) return false;
    current = model.schemas[decodeRefToken(ref[1])];
  }
  return false;
}

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}


function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out;
  }
  return value;
}

interface RawError {
  instanceLocation: string;
  keyword: string;
  error: string;
}

/** Leaf errors first (the ones that say what is wrong), deepest instance path first. */
function pickViolations(errors: readonly RawError[]): SchemaViolation[] {
  const leaves = errors.filter((e) => !WRAPPER_KEYWORDS.has(e.keyword));
  const chosen = (leaves.length > 0 ? leaves : errors).map((e) => ({
    keyword: e.keyword,
    instancePath: e.instanceLocation.replace(/^#/, ""),
    message: e.error,
  }));
  const unique = new Map<string, SchemaViolation>();
  for (const v of chosen) if (!unique.has(`${v.keyword}|${v.instancePath}`)) unique.set(`${v.keyword}|${v.instancePath}`, v);
  return [...unique.values()].sort((a, b) => depthOf(b.instancePath) - depthOf(a.instancePath));
}

function depthOf(path: string): number {
  return path === "" ? 0 : path.split("/").length;
}

/** Instance path with array indices generalised, for dedupe signatures: /items/3/id → /items/*\/id */
export function generalisePath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, "/*");
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}
