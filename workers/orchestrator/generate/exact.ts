/**
 * Schemas whose every generated value is valid by construction (data-mocking.ts honours each of
 * their keywords exactly), so the agents need not ask the validator about it. Deliberately
 * narrow: plain types, properties/required/additionalProperties, items with min/max/unique,
 * inclusive numeric bounds, lengths, scalar enums and consts, formats the validator does not
 * check, component `$ref`s without constraints beside them. Anything else (patterns, checked
 * formats, unions, allOf, exclusive bounds, multipleOf, discriminators …) keeps the validator as
 * the judge. A test generates values for every schema of real specs and holds the validator to
 * every "exact" this module claims.
 */
import type { JsonSchema } from "../../model";
import { ANNOTATIONS } from "../../jsonschema/keywords";
import { isObject, type SchemaMap, type SchemaObject } from "../../jsonschema/types";

const COMPONENT_REF = "#/components/schemas/";
/** the formats @cfworker/json-schema checks */
const CHECKED_FORMATS = new Set(["date", "time", "date-time", "duration", "uri", "uri-reference", "uri-template", "url", "email", "hostname", "ipv4", "ipv6", "regex", "uuid", "json-pointer", "json-pointer-uri-fragment", "relative-json-pointer"]);
/** of those, the ones formats.ts formatValue writes valid values for (a test holds it to that) */
export const TRUSTED_FORMATS: ReadonlySet<string> = new Set(["date", "time", "date-time", "duration", "uri", "uri-reference", "email", "hostname", "ipv4", "ipv6", "uuid"]);

/** Does the validator check this schema's format (so only formatValue's own value is known to pass)? */
export function checksFormat(s: SchemaObject): boolean {
  return typeof s.format === "string" && CHECKED_FORMATS.has(s.format);
}
const TYPES = new Set(["string", "integer", "number", "boolean", "object", "array", "null"]);
/** keywords that say nothing a value must satisfy (the generator reads `example`/`default` only through scalarFits) */
const NEUTRAL = new Set(["title", "description", "deprecated", "readOnly", "writeOnly", "nullable", "default", "$comment", ...ANNOTATIONS].filter((k) => k !== "discriminator"));
/** keywords the generator honours exactly, given the conditions checked below */
const HONOURED = new Set(["type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minimum", "maximum", "minLength", "maxLength", "format"]);

const verdicts = new WeakMap<SchemaMap, WeakMap<object, boolean>>();

/** Is every value generateValid makes for `schema` (request mode) valid under its request view? */
export function generatesExactly(schema: JsonSchema, schemas: SchemaMap): boolean {
  let memo = verdicts.get(schemas);
  if (!memo) verdicts.set(schemas, (memo = new WeakMap()));
  return exact(schema, schemas, memo);
}

function exact(schema: JsonSchema, schemas: SchemaMap, memo: WeakMap<object, boolean>): boolean {
  if (schema === true) return true;
  if (!isObject(schema)) return false;
  const known = memo.get(schema);
  if (known !== undefined) return known;
  // a cycle is exact if the rest is: the generator's depth bound is reported by the generator
  memo.set(schema, true);
  const verdict = own(schema, schemas, memo);
  memo.set(schema, verdict);
  return verdict;
}

function own(s: SchemaObject, schemas: SchemaMap, memo: WeakMap<object, boolean>): boolean {
  for (const key of Object.keys(s)) if (!NEUTRAL.has(key) && !HONOURED.has(key) && key !== "$ref" && !key.startsWith("x-")) return false;
  if (s.$ref !== undefined) {
    // only annotations beside it: the generator merges them over the target, the validator ignores them
    if (typeof s.$ref !== "string" || !s.$ref.startsWith(COMPONENT_REF) || Object.keys(s).some((k) => HONOURED.has(k))) return false;
    const name = s.$ref.slice(COMPONENT_REF.length);
    if (name.includes("/") || name.includes("~") || name.includes("%")) return false;
    const target = schemas[name];
    return target !== undefined && exact(target, schemas, memo);
  }
  const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? (s.type as unknown[]) : undefined;
  if (types === undefined) return Object.keys(s).every((k) => NEUTRAL.has(k) || k.startsWith("x-")); // {} and friends: anything is valid
  if (types.length === 0 || !types.every((t) => typeof t === "string" && TYPES.has(t))) return false;
  const fits = (value: unknown) => value !== null && types.some((t) => t === jsonKind(value) || (t === "number" && jsonKind(value) === "integer"));
  if (s.enum !== undefined || s.const !== undefined) {
    // the generator returns a member as it is: every member must be of the type, nothing else constrains
    const members = s.const !== undefined ? [s.const] : Array.isArray(s.enum) ? (s.enum as unknown[]) : [];
    const others = Object.keys(s).filter((k) => HONOURED.has(k) && k !== "type" && k !== "enum" && k !== "const");
    return others.length === 0 && members.length > 0 && members.every((m) => typeof m !== "object" && fits(m));
  }
  if (!bounded(s.minLength, s.maxLength) || !bounded(s.minItems, s.maxItems) || !bounded(s.minimum, s.maximum)) return false;
  if (typeof s.format === "string" && CHECKED_FORMATS.has(s.format) && !TRUSTED_FORMATS.has(s.format)) return false;
  if (s.format !== undefined && typeof s.format !== "string") return false;
  for (const bound of [s.minimum, s.maximum]) {
    if (bound === undefined) continue;
    if (Math.abs(bound as number) > Number.MAX_SAFE_INTEGER) return false;
    // the generator clamps to int32 and rounds into the integers: bounds past either are left to the validator
    if (s.format === "int32" && Math.abs(bound as number) > 2 ** 31 - 1) return false;
    if (types.includes("integer") && !Number.isInteger(bound)) return false;
  }
  if (s.items !== undefined && (Array.isArray(s.items) || !exact(s.items as JsonSchema, schemas, memo))) return false;
  if (s.uniqueItems !== undefined && typeof s.uniqueItems !== "boolean") return false;
  if (s.properties !== undefined) {
    if (!isObject(s.properties)) return false;
    for (const sub of Object.values(s.properties)) if (!exact(sub as JsonSchema, schemas, memo)) return false;
  }
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === "string"))) return false;
  const extra = s.additionalProperties;
  if (extra === false) {
    // a required name the properties do not declare cannot be generated
    const declared = isObject(s.properties) ? s.properties : {};
    if (Array.isArray(s.required) && s.required.some((r) => declared[r as string] === undefined)) return false;
  } else if (extra !== undefined && !exact(extra as JsonSchema, schemas, memo)) return false;
  return true;
}

/** both absent, or numbers with lower ≤ upper */
function bounded(lower: unknown, upper: unknown): boolean {
  if (lower !== undefined && (typeof lower !== "number" || !Number.isFinite(lower))) return false;
  if (upper !== undefined && (typeof upper !== "number" || !Number.isFinite(upper))) return false;
  return lower === undefined || upper === undefined || (lower as number) <= (upper as number);
}

function jsonKind(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
