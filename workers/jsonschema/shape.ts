/**
 * Shapes of the normalised JSON Schema of the operation model: `$ref` following (siblings
 * merged), allOf merging and flattening, the set of types a schema admits, the type a schema
 * implies. Pure functions, no caching of their own (callers are cheap enough).
 */
import type { JsonSchema } from "../model";
import { isObject, type SchemaMap, type SchemaObject } from "./types";
import { lookupRef, refName } from "./refs";

/**
 * Follow `$ref` chains (bounded) and return the target; sibling keywords of a `$ref` (allowed in
 * 2020-12) are kept by merging them over the target. `name` is the last component name met.
 */
export function deref(schema: JsonSchema, schemas: SchemaMap): { schema: JsonSchema; name?: string } {
  let current: JsonSchema = schema;
  let name: string | undefined;
  for (let hops = 0; hops < 16; hops++) {
    if (!isObject(current) || typeof current.$ref !== "string") return { schema: current, name };
    const target = lookupRef(current.$ref, schemas);
    name = refName(current.$ref) ?? name;
    if (target === undefined) return { schema: true, name };
    if (!isObject(target) || !hasKeyBesideRef(current)) {
      current = target;
      continue;
    }
    const { $ref: _ref, ...siblings } = current;
    void _ref;
    current = mergeSchemas(target, siblings, schemas);
  }
  return { schema: true, name };
}

/** Has the schema an own enumerable key beside `$ref` (what the siblings' Object.keys would list)? Asked without copying them. */
function hasKeyBesideRef(schema: SchemaObject): boolean {
  for (const key in schema) if (key !== "$ref" && Object.prototype.hasOwnProperty.call(schema, key)) return true;
  return false;
}

export function resolve(schema: JsonSchema, schemas: SchemaMap): JsonSchema {
  return deref(schema, schemas).schema;
}

function intersectTypes(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const la = Array.isArray(a) ? a : [a];
  const lb = Array.isArray(b) ? b : [b];
  const out = la.filter((t) => lb.includes(t) || (t === "integer" && lb.includes("number")));
  for (const t of lb) if (t === "integer" && la.includes("number") && !out.includes("integer")) out.push("integer");
  return out.length === 1 ? out[0] : out;
}

/**
 * Merge two schemas that must both hold (allOf semantics, approximately): properties and required
 * are unioned, numeric bounds tightened, enums intersected, types intersected. Good enough to
 * generate data; the validator remains the judge of the result.
 */
export function mergeSchemas(a: JsonSchema, b: JsonSchema, schemas: SchemaMap, depth = 0): JsonSchema {
  if (a === true || (isObject(a) && Object.keys(a).length === 0)) return b;
  if (b === true || (isObject(b) && Object.keys(b).length === 0)) return a;
  if (a === false || b === false) return false;
  const ra = depth < 8 ? flattenAllOf(resolve(a, schemas), schemas, depth + 1) : a;
  const rb = depth < 8 ? flattenAllOf(resolve(b, schemas), schemas, depth + 1) : b;
  if (!isObject(ra)) return rb;
  if (!isObject(rb)) return ra;
  const out: SchemaObject = { ...ra };
  for (const [key, value] of Object.entries(rb)) {
    const existing = out[key];
    if (existing === undefined) {
      out[key] = value;
      continue;
    }
    switch (key) {
      case "type":
        out.type = intersectTypes(existing, value);
        break;
      case "properties": {
        const merged: SchemaObject = { ...(existing as SchemaObject) };
        for (const [name, sub] of Object.entries(value as SchemaObject)) {
          if (merged[name] === undefined) {
            merged[name] = sub;
            continue;
          }
          const before = merged[name] as JsonSchema;
          const combined = mergeSchemas(before, sub as JsonSchema, schemas, depth + 1);
          // a property one part marks readOnly and another requires as plain input is an input
          if (isObject(combined) && combined.readOnly === true && !(isReadOnlyFlag(before, schemas) && isReadOnlyFlag(sub as JsonSchema, schemas))) {
            const { readOnly: _r, ...rest } = combined;
            void _r;
            merged[name] = rest;
          } else merged[name] = combined;
        }
        out.properties = merged;
        break;
      }
      case "required":
        out.required = [...new Set([...(existing as string[]), ...(value as string[])])];
        break;
      case "minimum":
      case "exclusiveMinimum":
      case "minLength":
      case "minItems":
      case "minProperties":
        out[key] = Math.max(existing as number, value as number);
        break;
      case "maximum":
      case "exclusiveMaximum":
      case "maxLength":
      case "maxItems":
      case "maxProperties":
        out[key] = Math.min(existing as number, value as number);
        break;
      case "enum":
        out.enum = (existing as unknown[]).filter((e) => (value as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(e)));
        break;
      case "items":
        out.items = mergeSchemas(existing as JsonSchema, value as JsonSchema, schemas, depth + 1);
        break;
      case "additionalProperties":
        out.additionalProperties = existing === false || value === false ? false : mergeSchemas(existing as JsonSchema, value as JsonSchema, schemas, depth + 1);
        break;
      case "readOnly":
      case "writeOnly":
        out[key] = existing === true || value === true;
        break;
      default:
        // first wins (format, pattern, discriminator, oneOf ...)
        break;
    }
  }
  return out;
}

function isReadOnlyFlag(schema: JsonSchema, schemas: SchemaMap): boolean {
  const r = resolve(schema, schemas);
  return isObject(r) && r.readOnly === true;
}

/**
 * Resolve a schema and fold its allOf into one object schema (oneOf/anyOf are left for the caller).
 * The result is shared, never to be changed: a schema object is flattened once per schema map
 * (planning a big spec asks about the same `allOf: [$ref]` property tens of thousands of times,
 * and a fresh merge each time also defeated every cache keyed by the flattened schema).
 */
export function flattenAllOf(schema: JsonSchema, schemas: SchemaMap, depth = 0): JsonSchema {
  if (depth !== 0 || !isObject(schema)) return flattenFresh(schema, schemas, depth);
  // nothing to resolve or fold: the schema itself (most are)
  if (typeof schema.$ref !== "string" && !Array.isArray(schema.allOf)) return schema;
  let known = flattened.get(schemas);
  if (!known) flattened.set(schemas, (known = new WeakMap()));
  let flat = known.get(schema);
  if (flat === undefined) known.set(schema, (flat = flattenFresh(schema, schemas, 0)));
  return flat;
}

/** flattenAllOf's results by schema map and schema object (schemas are not changed while they are read) */
const flattened = new WeakMap<SchemaMap, WeakMap<object, JsonSchema>>();

function flattenFresh(schema: JsonSchema, schemas: SchemaMap, depth: number): JsonSchema {
  const resolved = resolve(schema, schemas);
  if (!isObject(resolved) || !Array.isArray(resolved.allOf) || depth > 8) return resolved;
  const { allOf, ...rest } = resolved;
  let merged: JsonSchema = rest;
  for (const part of allOf as JsonSchema[]) merged = mergeSchemas(merged, flattenAllOf(part, schemas, depth + 1), schemas, depth + 1);
  return merged;
}

const ALL_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"];

/** Types a (resolved, flattened) schema admits; undefined means "any". Looks through oneOf/anyOf. */
export function admittedTypes(schema: JsonSchema, schemas: SchemaMap, depth = 0): string[] | undefined {
  const s = flattenAllOf(schema, schemas);
  if (s === true) return undefined;
  if (s === false) return [];
  if (depth > 6) return undefined;
  let own: string[] | undefined;
  if (typeof s.type === "string") own = [s.type];
  else if (Array.isArray(s.type)) own = s.type as string[];
  else if (s.const !== undefined) own = [jsonType(s.const)];
  else if (Array.isArray(s.enum)) own = [...new Set((s.enum as unknown[]).map(jsonType))];
  const unions = [s.oneOf, s.anyOf].filter(Array.isArray) as JsonSchema[][];
  for (const branches of unions) {
    let union: string[] = [];
    for (const branch of branches) {
      const t = admittedTypes(branch, schemas, depth + 1);
      if (t === undefined) {
        union = ALL_TYPES;
        break;
      }
      union.push(...t);
    }
    own = own === undefined ? [...new Set(union)] : own.filter((t) => union.includes(t) || (t === "integer" && union.includes("number")));
  }
  if (own && own.includes("number") && !own.includes("integer")) own = [...own, "integer"];
  return own;
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The concrete type to generate when a schema does not say: guessed from its keywords. */
export function inferType(s: SchemaObject): string | undefined {
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) {
    const nonNull = (s.type as string[]).filter((t) => t !== "null");
    return nonNull[0] ?? "null";
  }
  if (s.properties || s.additionalProperties !== undefined || s.required) return "object";
  if (s.items || s.prefixItems) return "array";
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern || s.format) return "string";
  if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) return "number";
  return undefined;
}

/**
 * The finite set of values a schema admits, as the text a request carries: an enum's members
 * (or an array's item enum), both booleans; undefined when the set is open. Coverage reports and
 * the planner use it to say and to seek "each value at least once".
 */
export function finiteDomain(schema: JsonSchema, schemas: SchemaMap): string[] | undefined {
  const s = flattenAllOf(schema, schemas);
  if (!isObject(s)) return undefined;
  if (Array.isArray(s.enum)) return [...new Set((s.enum as unknown[]).filter((v) => v !== null).map((v) => (typeof v === "string" ? v : JSON.stringify(v))))];
  if (s.const !== undefined) return undefined;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes("boolean") && types.every((t) => t === "boolean" || t === "null")) return ["true", "false"];
  if (types.includes("array") && s.items !== undefined) return finiteDomain(s.items as JsonSchema, schemas);
  return undefined;
}
