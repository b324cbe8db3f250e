/**
 * Small schema helpers for the wasm model view: $ref resolution against ApiModel.schemas,
 * one effective type per schema, and a valid-looking sample value (spec examples first).
 * Deliberately shallow: the samples fill the inputs a wasm agent is NOT fuzzing, so they
 * only need to look plausible, not to explore the schema.
 */
import type { JsonSchema } from "../../model";
import { followRef } from "../../jsonschema/refs";

type Schemas = Record<string, JsonSchema>;
type SchemaObject = { [keyword: string]: unknown };

const MAX_DEPTH = 4;

const FORMAT_SAMPLES: Record<string, string> = {
  uuid: "00000000-0000-4000-8000-000000000001",
  date: "2024-01-01",
  "date-time": "2024-01-01T00:00:00Z",
  time: "00:00:00Z",
  email: "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  byte: "MQ==",
};

/** Follows component refs; one that cannot be followed (dangling, a cycle, external) becomes `true`. */
export function resolveSchema(schema: JsonSchema, schemas: Schemas): JsonSchema {
  const target = followRef(schema, schemas);
  return target === undefined || (typeof target === "object" && typeof target.$ref === "string") ? true : target;
}

function asObject(schema: JsonSchema): SchemaObject | undefined {
  return typeof schema === "object" && schema !== null ? schema : undefined;
}

function jsonTypeOf(value: unknown): string | undefined {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "array";
  if (value !== null && typeof value === "object") return "object";
  return undefined;
}

/** The one type a wasm agent should treat the schema as, or undefined when nothing says. */
export function schemaType(schema: JsonSchema, schemas: Schemas, depth = 0): string | undefined {
  const s = asObject(resolveSchema(schema, schemas));
  if (!s || depth > MAX_DEPTH) return undefined;
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) return s.type.find((t): t is string => typeof t === "string" && t !== "null");
  if (Array.isArray(s.enum) && s.enum.length > 0) return jsonTypeOf(s.enum.find((v) => v !== null));
  if ("const" in s) return jsonTypeOf(s.const);
  if (s.properties !== undefined) return "object";
  if (s.items !== undefined) return "array";
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const list = s[key];
    if (Array.isArray(list)) {
      for (const member of list) {
        const t = schemaType(member as JsonSchema, schemas, depth + 1);
        if (t) return t;
      }
    }
  }
  return undefined;
}

/** Top-level properties and required names of an object schema, with allOf members merged. */
export function objectShape(
  schema: JsonSchema,
  schemas: Schemas,
  depth = 0,
): { properties: Record<string, JsonSchema>; required: string[] } | undefined {
  const s = asObject(resolveSchema(schema, schemas));
  if (!s || depth > MAX_DEPTH) return undefined;
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  let found = false;
  if (s.properties && typeof s.properties === "object") {
    Object.assign(properties, s.properties);
    found = true;
  }
  if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === "string") required.add(r);
  if (Array.isArray(s.allOf)) {
    for (const member of s.allOf) {
      const shape = objectShape(member as JsonSchema, schemas, depth + 1);
      if (!shape) continue;
      found = true;
      for (const [k, v] of Object.entries(shape.properties)) if (!(k in properties)) properties[k] = v;
      for (const r of shape.required) required.add(r);
    }
  }
  if (!found && schemaType(s, schemas) !== "object") return undefined;
  return { properties, required: [...required] };
}

function firstExample(s: SchemaObject): { value: unknown } | undefined {
  if (s.example !== undefined) return { value: s.example };
  if (Array.isArray(s.examples) && s.examples.length > 0) return { value: s.examples[0] };
  if (s.default !== undefined) return { value: s.default };
  if ("const" in s) return { value: s.const };
  if (Array.isArray(s.enum) && s.enum.length > 0) return { value: s.enum[0] };
  return undefined;
}

function sampleNumber(s: SchemaObject, integer: boolean): number {
  let lo = typeof s.minimum === "number" ? s.minimum : -Infinity;
  let hi = typeof s.maximum === "number" ? s.maximum : Infinity;
  if (typeof s.exclusiveMinimum === "number") lo = Math.max(lo, integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum);
  if (typeof s.exclusiveMaximum === "number") hi = Math.min(hi, integer ? Math.ceil(s.exclusiveMaximum) - 1 : s.exclusiveMaximum);
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  // 1 when allowed, else the nearest bound; the midpoint keeps exclusive number bounds honest.
  if (1 >= lo && 1 <= hi && !(1 === s.exclusiveMinimum || 1 === s.exclusiveMaximum)) return 1;
  if (Number.isFinite(lo) && Number.isFinite(hi)) return integer ? lo : (lo + hi) / 2;
  if (Number.isFinite(lo)) return lo === s.exclusiveMinimum ? lo + 1 : lo;
  if (Number.isFinite(hi)) return hi === s.exclusiveMaximum ? hi - 1 : hi;
  return 1;
}

function sampleString(s: SchemaObject): string {
  if (typeof s.format === "string" && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format];
  const minLength = typeof s.minLength === "number" ? Math.min(s.minLength, 256) : 1;
  const maxLength = typeof s.maxLength === "number" ? s.maxLength : Infinity;
  return "1".repeat(Math.max(0, Math.min(Math.max(minLength, 1), maxLength)));
}

/** A valid-looking value: the schema's own example/default/const/enum, else one built from its type. */
export function sampleValue(schema: JsonSchema, schemas: Schemas, depth = 0): unknown {
  const s = asObject(resolveSchema(schema, schemas));
  if (!s) return "1";
  const example = firstExample(s);
  if (example) return example.value;
  for (const key of ["oneOf", "anyOf"]) {
    const list = s[key];
    if (Array.isArray(list) && list.length > 0 && depth < MAX_DEPTH) return sampleValue(list[0] as JsonSchema, schemas, depth + 1);
  }
  switch (schemaType(s, schemas)) {
    case "integer":
      return sampleNumber(s, true);
    case "number":
      return sampleNumber(s, false);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      if (depth >= MAX_DEPTH || s.items === undefined || typeof s.items !== "object") return [];
      const count = typeof s.minItems === "number" ? Math.min(Math.max(s.minItems, 1), 5) : 1;
      return Array.from({ length: count }, () => sampleValue(s.items as JsonSchema, schemas, depth + 1));
    }
    case "object": {
      const shape = objectShape(s, schemas);
      const out: Record<string, unknown> = {};
      if (!shape || depth >= MAX_DEPTH) return out;
      for (const name of shape.required) {
        out[name] = name in shape.properties ? sampleValue(shape.properties[name], schemas, depth + 1) : "1";
      }
      return out;
    }
    default:
      return sampleString(s);
  }
}
