/**
 * The value generator every agent shares.
 *
 * generateValid(schema, ctx): a value that satisfies a JSON Schema 2020-12 schema of the operation
 * model (`$ref`s resolved against ApiModel.schemas, recursion bounded), realistic where the schema
 * or the property name says what it holds. Best effort: agents confirm validity with the
 * ModelValidator before claiming it.
 *
 * generateInvalid(schema, ctx): mutations of a valid value that violate the schema, each with a
 * reason. Only mutations that are certainly invalid are returned (checked by the validator when
 * one is given); format violations are `weak` because many servers do not enforce formats.
 */
import type { JsonSchema } from "../../model";
import { formatValue, invalidFormatValue, isNumericStringFormat, jsonTextFor, valueForName } from "./formats";
import type { Rng } from "./random";
import { compilePattern, generateFromPattern, patternLengthViolations } from "./regex-gen";
import { admittedTypes, deref, flattenAllOf, inferType, mergeSchemas, resolve } from "../../jsonschema/shape";
import { isObject, type SchemaMap, type SchemaObject } from "../../jsonschema/types";
import type { ModelValidator } from "../../jsonschema/validate";
import { cloneJson as clone } from "../../shared/json-clone";
import { checksFormat, generatesExactly } from "./exact";
import { codePointLength } from "../../jsonschema/string-length";
import { orderDateRanges } from "./date-range";
import { numericTextViolations } from "./numeric-text";

export interface GenContext {
  schemas: SchemaMap;
  rng: Rng;
  /** request: readOnly properties are left out; response: writeOnly ones are */
  mode?: "request" | "response";
  /** oneOf/anyOf branch to take at the first union met (later unions pick at random) */
  branch?: number;
  /** which optional properties to include (default: random) */
  optional?: "all" | "required" | "random";
  /** use schema-level example/default values for scalars when they fit (default true) */
  useExamples?: boolean;
  /** object nesting below which only required properties are generated (default 5) */
  maxDepth?: number;
  /** property or parameter name, for name heuristics at the top level */
  name?: string;
  /** the parameter's prose, for the top level when its schema has none (a JSON text it says it holds) */
  description?: string;
  /** the value travels in a URL or header: plain non-empty ASCII strings */
  wire?: boolean;
}

interface State {
  ctx: GenContext;
  branchUsed: boolean;
  /** false once a value fell short of its schema (depth bound, too few distinct items) */
  whole: boolean;
}

const HARD_DEPTH = 14;
const NO_EXAMPLES: readonly unknown[] = [];

export function generateValid(schema: JsonSchema, ctx: GenContext): unknown {
  return gen(schema, { ctx, branchUsed: false, whole: true }, 0, ctx.name);
}

/**
 * generateValid, and whether the value is valid by construction (generatesExactly, and nothing
 * fell short while generating it): then no validator need be asked. Request mode only.
 */
export function generateVouched(schema: JsonSchema, ctx: GenContext): { value: unknown; valid: boolean } {
  const state: State = { ctx, branchUsed: false, whole: true };
  const value = gen(schema, state, 0, ctx.name);
  return { value, valid: state.whole && (ctx.mode ?? "request") === "request" && generatesExactly(schema, ctx.schemas) };
}

/** Number of oneOf/anyOf alternatives at the top of a schema (0 when it is not a union). */
export function unionBranchCount(schema: JsonSchema, schemas: SchemaMap): number {
  const s = flattenAllOf(schema, schemas);
  if (!isObject(s)) return 0;
  if (Array.isArray(s.oneOf)) return s.oneOf.length;
  if (Array.isArray(s.anyOf)) return s.anyOf.length;
  return 0;
}

/**
 * The union a body's GenContext.branch picks in: the top when it is one, else the first union of
 * two or more object branches met along required, writable object properties in generation order
 * (a JSON:API document holds its `oneOf` at data/attributes). Its pointer tokens, schema and
 * branch count.
 */
export function firstUnion(schema: JsonSchema, schemas: SchemaMap, depth = 0): { tokens: string[]; schema: JsonSchema; count: number } | undefined {
  const count = unionBranchCount(schema, schemas);
  const s = flattenAllOf(schema, schemas);
  if (count > 0) {
    if (depth === 0) return { tokens: [], schema, count };
    // below the top only a union of objects (a nullable `anyOf: [X, null]` is no choice of body)
    const branches = (isObject(s) ? ((s.oneOf ?? s.anyOf) as JsonSchema[]) : []).filter((b) => admittedTypes(flattenAllOf(b, schemas), schemas)?.includes("object"));
    return branches.length >= 2 ? { tokens: [], schema, count } : undefined;
  }
  if (!isObject(s) || !isObject(s.properties) || depth >= MUTATION_DEPTH) return undefined;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  for (const [name, sub] of Object.entries(s.properties as Record<string, JsonSchema>)) {
    if (!required.has(name) || isReadOnly(sub, schemas)) continue;
    const inner = firstUnion(sub, schemas, depth + 1);
    if (inner) return { ...inner, tokens: [name, ...inner.tokens] };
  }
  return undefined;
}

function gen(schema: JsonSchema, state: State, depth: number, name?: string): unknown {
  const { ctx } = state;
  if (schema === false) {
    state.whole = false;
    return undefined;
  }
  if (schema === true) return "sentinel";
  if (depth > HARD_DEPTH) {
    state.whole = false;
    return "sentinel";
  }
  const { schema: target, name: refName } = deref(schema, ctx.schemas);
  const s = flattenAllOf(target, ctx.schemas);
  if (!isObject(s)) {
    if (s !== true) state.whole = false;
    return "sentinel";
  }

  if (s.const !== undefined) return clone(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return clone(pickEnum(s, state));

  const unionKey = Array.isArray(s.oneOf) ? "oneOf" : Array.isArray(s.anyOf) ? "anyOf" : undefined;
  if (unionKey) return genUnion(s, unionKey, state, depth, name);

  // (most schemas carry no example: no list is made for them)
  const examples = ctx.useExamples === false || (s.example === undefined && s.examples === undefined && s.default === undefined) ? NO_EXAMPLES : scalarExamples(s);
  for (const example of examples) {
    if (!scalarFits(example, s, ctx)) continue;
    // scalarFits does not check formats: an example is not known to be a valid date-time
    if (typeof example === "string" && checksFormat(s)) state.whole = false;
    return example;
  }

  const type = chooseType(s, state);
  switch (type) {
    case "string":
      return genString(s, state, name, typeof s.description === "string" ? s.description : depth === 0 ? ctx.description : undefined);
    case "integer":
      return genNumber(s, state, true);
    case "number":
      return genNumber(s, state, false);
    case "boolean":
      return state.ctx.rng.bool();
    case "null":
      return null;
    case "array":
      return genArray(s, state, depth);
    case "object":
      return genObject(s, state, depth, refName);
    default:
      return name ? (valueForName(name, ctx.rng) ?? "sentinel") : "sentinel";
  }
}

function pickEnum(s: SchemaObject, state: State): unknown {
  const values = (s.enum as unknown[]).filter((v) => v !== null);
  const pool = values.length > 0 ? values : (s.enum as unknown[]);
  const examples = state.ctx.useExamples === false ? [] : scalarExamples(s).filter((e) => pool.some((v) => JSON.stringify(v) === JSON.stringify(e)));
  if (examples.length > 0) return examples[0];
  return state.ctx.rng.pick(pool);
}

function chooseType(s: SchemaObject, state: State): string | undefined {
  if (Array.isArray(s.type)) {
    const nonNull = (s.type as string[]).filter((t) => t !== "null");
    if (nonNull.length === 0) return "null";
    return nonNull.length === 1 ? nonNull[0] : state.ctx.rng.pick(nonNull);
  }
  return inferType(s);
}

function genUnion(s: SchemaObject, key: "oneOf" | "anyOf", state: State, depth: number, name?: string): unknown {
  const branches = s[key] as JsonSchema[];
  let index: number;
  if (!state.branchUsed && state.ctx.branch !== undefined) {
    index = ((state.ctx.branch % branches.length) + branches.length) % branches.length;
    state.branchUsed = true;
  } else {
    // prefer a non-null alternative: null is rarely what a test wants to send
    const nonNull = branches.map((b, i) => [b, i] as const).filter(([b]) => {
      const r = resolve(b, state.ctx.schemas);
      return !(isObject(r) && r.type === "null");
    });
    index = nonNull.length > 0 ? state.ctx.rng.pick(nonNull)[1] : 0;
  }
  const { [key]: _drop, discriminator, ...base } = s;
  void _drop;
  const branch = branches[index];
  const merged = Object.keys(base).length > 0 ? mergeSchemas(base, branch, state.ctx.schemas) : branch;
  const value = gen(merged, state, depth, name);
  if (isObject(discriminator) && typeof discriminator.propertyName === "string" && isObject(value)) {
    const tag = discriminatorValue(discriminator as SchemaObject, branch);
    // without a mapping the tag defaults to the schema name, unless the branch pins the value itself
    const flat = flattenAllOf(branch, state.ctx.schemas);
    const pinned = isObject(flat) && isObject(flat.properties) ? flattenAllOf((flat.properties as Record<string, JsonSchema>)[discriminator.propertyName] ?? true, state.ctx.schemas) : true;
    const allowed = !isObject(pinned) || ((!Array.isArray(pinned.enum) || pinned.enum.includes(tag)) && (pinned.const === undefined || pinned.const === tag));
    if (tag !== undefined && allowed) value[discriminator.propertyName] = tag;
  }
  return value;
}

/** The discriminator value naming `branch`: the mapping key pointing at it, else its schema name. */
function discriminatorValue(discriminator: SchemaObject, branch: JsonSchema): string | undefined {
  const ref = isObject(branch) && typeof branch.$ref === "string" ? branch.$ref : undefined;
  if (!ref) return undefined;
  const mapping = isObject(discriminator.mapping) ? (discriminator.mapping as Record<string, string>) : {};
  const short = ref.split("/").pop()!;
  for (const [key, target] of Object.entries(mapping)) if (target === ref || target === short) return key;
  return short;
}

function scalarExamples(s: SchemaObject): unknown[] {
  const out: unknown[] = [];
  if (s.example !== undefined) out.push(s.example);
  if (Array.isArray(s.examples)) out.push(...s.examples);
  if (s.default !== undefined) out.push(s.default);
  return out.filter((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
}

/** A cheap local check that a scalar example respects the schema's own keywords. */
function scalarFits(value: unknown, s: SchemaObject, ctx: GenContext): boolean {
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : undefined;
  if (value === null) return false; // never send null when something else is allowed
  if (typeof value === "string") {
    if (types && !types.includes("string")) return false;
    if (ctx.wire && (value.length === 0 || /[\u0000-\u001f\u007f-\uffff]/.test(value))) return false;
    if (value.includes("{{")) return false;
    const length = codePointLength(value);
    if (typeof s.minLength === "number" && length < s.minLength) return false;
    if (typeof s.maxLength === "number" && length > s.maxLength) return false;
    if (typeof s.pattern === "string") {
      const re = compilePattern(s.pattern);
      if (!re || !re.test(value)) return false;
    }
    return true;
  }
  if (typeof value === "number") {
    if (types && !types.includes("number") && !(types.includes("integer") && Number.isInteger(value))) return false;
    return numberFits(value, s);
  }
  if (typeof value === "boolean") return !types || types.includes("boolean");
  return false;
}

function numberFits(value: number, s: SchemaObject): boolean {
  if (typeof s.minimum === "number" && value < s.minimum) return false;
  if (typeof s.maximum === "number" && value > s.maximum) return false;
  if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) return false;
  if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) return false;
  if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
    const q = value / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) return false;
  }
  return true;
}

function lengthFits(text: string, s: SchemaObject): boolean {
  const length = codePointLength(text);
  if (typeof s.minLength === "number" && length < s.minLength) return false;
  if (typeof s.maxLength === "number" && length > s.maxLength) return false;
  return true;
}

function genString(s: SchemaObject, state: State, name?: string, prose?: string): string {
  const { rng } = state.ctx;
  const minLength = Math.max(typeof s.minLength === "number" ? s.minLength : 0, state.ctx.wire ? 1 : 0);
  const maxLength = typeof s.maxLength === "number" ? s.maxLength : Infinity;
  const pattern = typeof s.pattern === "string" ? s.pattern : undefined;
  const regex = pattern ? compilePattern(pattern) : undefined;
  const fits = (text: string | undefined): text is string =>
    text !== undefined && lengthFits(text, { minLength, maxLength }) && (!regex || regex.test(text));

  if (typeof s.format === "string") {
    const value = formatValue(s.format, rng);
    if (fits(value)) return value;
  }
  // anything below is not known to match a format the validator checks
  if (checksFormat(s)) state.whole = false;
  const json = jsonTextFor(prose);
  if (fits(json) && !checksFormat(s)) return json;
  if (pattern) {
    const value = generateFromPattern(pattern, rng, { minLength, maxLength });
    if (value !== undefined && (!state.ctx.wire || /^[\x21-\x7e]+$/.test(value))) return value;
  }
  const named = valueForName(name, rng);
  if (fits(named) && (!state.ctx.wire || /^[\x21-\x7e]+$/.test(named))) return named;
  // generic: "sentinel" followed by random letters, cut to the allowed length
  const wanted = Math.min(Math.max(8 + rng.int(0, 4), minLength), maxLength);
  if (wanted <= 0) return "";
  // ("sentinel" + rng.alnum(wanted)).slice(0, wanted): every letter is drawn (the stream stays the
  // same), only those the cut keeps are written
  let text = wanted >= 8 ? "sentinel" : "sentinel".slice(0, wanted);
  for (let i = 0; i < wanted; i++) {
    const letter = rng.alnumLetter();
    if (8 + i < wanted) text += letter;
  }
  return text;
}

function decimals(n: number): number {
  const text = String(n);
  if (text.includes("e-")) return Number(text.split("e-")[1]);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

function genNumber(s: SchemaObject, state: State, integer: boolean): number {
  const { rng } = state.ctx;
  const format = typeof s.format === "string" ? s.format : undefined;
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (typeof s.minimum === "number") lo = s.minimum;
  if (typeof s.exclusiveMinimum === "number" && s.exclusiveMinimum >= lo) [lo, loOpen] = [s.exclusiveMinimum, true];
  if (typeof s.maximum === "number") hi = s.maximum;
  if (typeof s.exclusiveMaximum === "number" && s.exclusiveMaximum <= hi) [hi, hiOpen] = [s.exclusiveMaximum, true];
  // friendly default range: small positive numbers, like real ids and quantities
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) [lo, hi] = [1, 100];
  else if (!Number.isFinite(lo)) lo = hi >= 100 ? Math.max(1, hi - 100) : hi - 100;
  else if (!Number.isFinite(hi)) hi = lo + 100;
  if (format === "int32") [lo, hi] = [Math.max(lo, -2147483648), Math.min(hi, 2147483647)];
  if (format === "int64" || integer) [lo, hi] = [Math.max(lo, Number.MIN_SAFE_INTEGER), Math.min(hi, Number.MAX_SAFE_INTEGER)];

  const multipleOf = typeof s.multipleOf === "number" && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : undefined;
  if (multipleOf !== undefined) {
    const step = integer && !Number.isInteger(multipleOf) ? multipleOf : multipleOf;
    let kLo = Math.ceil(lo / step);
    let kHi = Math.floor(hi / step);
    if (loOpen && kLo * step <= lo) kLo++;
    if (hiOpen && kHi * step >= hi) kHi--;
    if (kLo > kHi) return lo; // unsatisfiable here; the validator will say so
    const k = rng.int(kLo, Math.min(kHi, kLo + 100));
    const value = Number((k * step).toFixed(Math.min(20, decimals(step))));
    return Object.is(value, -0) ? 0 : value;
  }
  // plain number: an integer when one fits strictly inside, else the midpoint
  const iLo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
  const iHi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
  if (iLo <= iHi) {
    const base = rng.int(iLo, Math.min(iHi, iLo + 100));
    return base + 0.5 < (hiOpen ? hi : hi + 1e-12) && rng.bool(0.5) && base + 0.5 <= hi ? base + 0.5 : base;
  }
  return (lo + hi) / 2;
}

function genArray(s: SchemaObject, state: State, depth: number): unknown[] {
  const { rng, optional } = state.ctx;
  const minItems = typeof s.minItems === "number" ? s.minItems : 0;
  const maxItems = typeof s.maxItems === "number" ? s.maxItems : Infinity;
  const deep = depth >= (state.ctx.maxDepth ?? 5);
  let count = deep || optional === "required" ? minItems : Math.max(minItems, rng.int(1, 2));
  count = Math.min(count, maxItems, Math.max(minItems, 50));
  const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as JsonSchema[]) : [];
  const itemSchema: JsonSchema = s.items === undefined ? true : (s.items as JsonSchema);
  const out: unknown[] = [];
  const seen = new Set<string>();
  let attempts = 0;
  while (out.length < count && attempts < count * 6 + 6) {
    attempts++;
    const i = out.length;
    const value = gen(i < prefix.length ? prefix[i] : itemSchema, state, depth + 1);
    if (value === undefined) break;
    if (s.uniqueItems === true) {
      const key = JSON.stringify(value);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(value);
  }
  if (out.length < minItems) state.whole = false;
  return out;
}

function isReadOnly(schema: JsonSchema, schemas: SchemaMap): boolean {
  const r = resolve(schema, schemas);
  return isObject(r) && r.readOnly === true;
}

function isWriteOnly(schema: JsonSchema, schemas: SchemaMap): boolean {
  const r = resolve(schema, schemas);
  return isObject(r) && r.writeOnly === true;
}

/** Object.entries of a schema's `properties`, and the Set of a `required` list, per schema part (schemas are not changed while planning). */
const propertyEntries = new WeakMap<object, [string, JsonSchema][]>();
const requiredSets = new WeakMap<object, Set<string>>();
const NO_PROPERTIES: Record<string, JsonSchema> = {};
const NO_REQUIRED = new Set<string>();

function genObject(s: SchemaObject, state: State, depth: number, refName?: string): Record<string, unknown> {
  const { rng, schemas, mode = "request", optional = "random" } = state.ctx;
  const properties = isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : NO_PROPERTIES;
  let entries = propertyEntries.get(properties);
  if (entries === undefined) propertyEntries.set(properties, (entries = Object.entries(properties)));
  let required = Array.isArray(s.required) ? requiredSets.get(s.required) : NO_REQUIRED;
  if (required === undefined) requiredSets.set(s.required as string[], (required = new Set(s.required as string[])));
  const deep = depth >= (state.ctx.maxDepth ?? 5);
  const out: Record<string, unknown> = {};
  // the number of own keys of `out` (what Object.keys(out).length says), kept as keys are set
  let size = 0;
  const put = (key: string, value: unknown) => {
    const had = Object.prototype.hasOwnProperty.call(out, key);
    out[key] = value;
    if (!had && Object.prototype.hasOwnProperty.call(out, key)) size++;
  };
  const skipped: string[] = [];
  for (const [name, sub] of entries) {
    if (mode === "request" && isReadOnly(sub, schemas)) continue;
    if (mode === "response" && isWriteOnly(sub, schemas)) continue;
    const include = required.has(name) || (!deep && (optional === "all" || (optional === "random" && rng.bool(0.5))));
    if (!include) {
      skipped.push(name);
      continue;
    }
    const value = gen(sub, state, depth + 1, name);
    if (value !== undefined) put(name, value);
  }
  // a required name the schema never declares (a spec slip: required [key], property blob_key)
  // still has to be present for the value to be valid
  for (const name of required) {
    if (name in out || name in properties || s.additionalProperties === false) continue;
    const extra = isObject(s.additionalProperties) ? (s.additionalProperties as JsonSchema) : true;
    const value = gen(extra, state, depth + 1, name);
    if (value !== undefined) put(name, value);
  }
  const minProperties = typeof s.minProperties === "number" ? s.minProperties : 0;
  for (const name of skipped) {
    if (size >= minProperties) break;
    const value = gen(properties[name], state, depth + 1, name);
    if (value !== undefined) put(name, value);
  }
  // maps (additionalProperties: {schema}) get one entry so the value is not trivially empty
  const extra = s.additionalProperties;
  const wantsEntry = entries.length === 0 && isObject(extra) && !deep && optional !== "required";
  let n = 1;
  while ((wantsEntry && n === 1) || (size < minProperties && extra !== false && n < 50)) {
    const key = `key${n++}`;
    if (key in out) continue;
    put(key, gen(isObject(extra) ? (extra as JsonSchema) : true, state, depth + 1, key));
  }
  // polymorphism through allOf: a subtype reached by $ref names itself in the discriminator
  if (isObject(s.discriminator) && typeof s.discriminator.propertyName === "string" && refName) {
    const prop = s.discriminator.propertyName;
    const mapping = isObject(s.discriminator.mapping) ? (s.discriminator.mapping as Record<string, string>) : {};
    const tag = Object.entries(mapping).find(([, target]) => target.split("/").pop() === refName)?.[0] ?? refName;
    const propSchema = flattenAllOf(properties[prop] ?? true, schemas);
    const allowed = !isObject(propSchema) || !Array.isArray(propSchema.enum) || propSchema.enum.includes(tag);
    if (allowed) out[prop] = tag;
  }
  // a range (start_date/end_date) drawn backwards is one a server refuses: its ends in order
  if (entries.length >= 2) orderDateRanges(out, properties, schemas);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Invalid values

export interface Mutation {
  /** the whole mutated value (the root document for bodies, the string for wire parameters) */
  value: unknown;
  /** what was broken, e.g. "maximum+1 at /quantity" */
  reason: string;
  /** JSON pointer of the broken spot ("" for the root) */
  path: string;
  /** a family tag: boundary, type, null, enum, format, pattern, required, additional, items */
  kind: string;
  /** invalid per the spec but commonly not enforced (formats): do not judge rejection on it */
  weak?: boolean;
  /**
   * A wrong type that parsers convert into the documented one (Jackson, JSON::Validator and
   * pydantic read the number 12345 for a string as "12345"): that converted value
   */
  coerced?: unknown;
}

export interface InvalidContext {
  schemas: SchemaMap;
  /** a valid value to mutate (objects and arrays need one to stay valid elsewhere) */
  base?: unknown;
  /** when given, every non-weak mutation must be reported invalid by the validator */
  validator?: ModelValidator;
  /** the value is sent as text (path, query, header): only mutations that survive stringification */
  wire?: boolean;
  /** how deep into nested properties and array items to mutate (default MUTATION_DEPTH) */
  maxDepth?: number;
  /** cap on the number of mutations (default 200) */
  limit?: number;
  /** only the mutations at this JSON pointer or below it (an optional property added to the base); the rest is only walked through */
  under?: string;
  /** order the mutations so every constraint keyword comes once before any comes twice (spreadByKeyword) */
  spread?: boolean;
}

/**
 * How deep mutations reach: an envelope (`data.attributes`) holding an array of objects
 * (`tiers[0].price`) puts a constraint five levels down.
 */
export const MUTATION_DEPTH = 6;

/** A mutation as collected: the replacement (or removal) at `path`, applied to the base only when yielded. */
interface Planned {
  path: string[];
  /** the new value at `path`; absent for a removed property */
  replacement?: unknown;
  remove?: true;
  reason: string;
  kind: string;
  weak?: boolean;
  coerced?: unknown;
}

/** Text on the wire as a server would read it back, for validating wire mutations. */
export function coerceWire(text: string, schema: JsonSchema, schemas: SchemaMap): unknown {
  const types = admittedTypes(schema, schemas);
  if (!types || types.includes("string")) return text;
  if ((types.includes("number") || types.includes("integer")) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  return text;
}

/** A copy of `root` with `value` at the pointer tokens `path` (every parent exists). */
export function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = clone(root) as Record<string, unknown> | unknown[];
  let node: Record<string, unknown> | unknown[] = copy;
  for (let i = 0; i < path.length - 1; i++) node = (node as Record<string, unknown>)[path[i]] as Record<string, unknown>;
  (node as Record<string, unknown>)[path[path.length - 1]] = value;
  return copy;
}

function deleteAt(root: unknown, path: string[]): unknown {
  const copy = clone(root) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]] as Record<string, unknown>;
  delete node[path[path.length - 1]];
  return copy;
}

function pointer(path: string[]): string {
  return path.map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function generateInvalid(schema: JsonSchema, ctx: InvalidContext): Mutation[] {
  return [...invalidMutations(schema, ctx)];
}

/**
 * generateInvalid, each mutation confirmed by the validator only when it is asked for: an agent
 * that keeps one or two cases per operation never validates the rest.
 */
export function* invalidMutations(schema: JsonSchema, ctx: InvalidContext): Generator<Mutation> {
  for (const { base: _base, ...m } of spreadMutations(schema, [ctx], ctx.spread === true)) yield m;
}

/**
 * The mutations of one or more bases of the same schema (a body, and the body with an optional
 * property added), deduplicated per base, in collection order or spread by keyword across all of
 * them (spreadByKeyword); each applied to its base and confirmed by the validator only when asked for.
 */
export function* spreadMutations(schema: JsonSchema, sources: readonly InvalidContext[], spread: boolean): Generator<Mutation & { base: unknown }> {
  const planned: { p: Planned; ctx: InvalidContext }[] = [];
  for (const ctx of sources) {
    const out: Planned[] = [];
    collect(schema, ctx.base, [], 0, ctx, out, ctx.limit ?? 200);
    // duplicates: same pointer and same whole value, i.e. (same base) the same replacement
    const seen = new Map<string, Set<string>>();
    for (const p of out) {
      const path = pointer(p.path);
      if (ctx.under !== undefined && path !== ctx.under && !path.startsWith(`${ctx.under}/`)) continue;
      const key = p.remove ? "" : JSON.stringify(p.replacement);
      let at = seen.get(path);
      if (at === undefined) seen.set(path, (at = new Set()));
      if (at.has(key)) continue;
      at.add(key);
      planned.push({ p, ctx });
    }
  }
  for (const { p, ctx } of spread ? spreadByKeyword(planned, ({ p }) => `${p.kind}:${p.reason}`) : planned) {
    const value = p.remove ? deleteAt(ctx.base, p.path) : ctx.wire ? p.replacement : setAt(ctx.base, p.path, p.replacement);
    const m = { value, reason: p.reason, path: pointer(p.path), kind: p.kind, weak: p.weak, ...(p.coerced === undefined ? {} : { coerced: p.coerced }), base: ctx.base };
    if (!ctx.validator) {
      yield m;
      continue;
    }
    const instance = ctx.wire && typeof m.value === "string" ? coerceWire(m.value, schema, ctx.schemas) : m.value;
    const verdict = ctx.validator.check(instance, schema);
    // a weak mutation the validator cannot see (unknown format) is kept, still weak
    if (m.weak ? verdict !== "unknown" : verdict === "invalid") yield m;
  }
}

/**
 * Items in rounds, one per constraint keyword each round (keywords in order of first appearance,
 * places in collection order): a cap of a few dozen cases then tries every kind of constraint a
 * body has (a multipleOf deep in an array item, uniqueItems) before it tries a second wrong type.
 * `describe` gives "kind:reason"; the place, names and numbers in the reason do not count.
 */
export function spreadByKeyword<T>(items: readonly T[], describe: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = describe(item).replace(/ at \/.*$/, "").replace(/\([^)]*\)|"[^"]*"|-?\d+(\.\d+)?/g, "#");
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const lists = [...groups.values()];
  const out: T[] = [];
  for (let round = 0; out.length < items.length; round++) for (const list of lists) if (round < list.length) out.push(list[round]);
  return out;
}

function collect(schema: JsonSchema, base: unknown, path: string[], depth: number, ctx: InvalidContext, out: Planned[], limit: number): void {
  if (out.length >= limit) return;
  const s = flattenAllOf(schema, ctx.schemas);
  if (!isObject(s)) return;
  const at = path.length === 0 ? "" : ` at ${pointer(path)}`;
  // with ctx.under, only that part is mutated: its ancestors are only walked through
  const under = ctx.under === undefined ? [] : ctx.under.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const within = path.length >= under.length && under.every((t, i) => path[i] === t);
  if (!within && !under.slice(0, path.length).every((t, i) => path[i] === t)) return;
  const next = within ? undefined : under[path.length];
  const push = (value: unknown, kind: string, reason: string, weak = false, coerced?: unknown) => {
    if (out.length >= limit || !within) return;
    out.push({ path, replacement: value, reason: `${reason}${at}`, kind, weak: weak || undefined, ...(coerced === undefined ? {} : { coerced }) });
  };
  const types = admittedTypes(s, ctx.schemas);
  const hasUnion = Array.isArray(s.oneOf) || Array.isArray(s.anyOf);
  const wire = ctx.wire === true;
  // an object of a union of objects (a oneOf body: card or bank transfer): mutated inside the
  // branch it belongs to, so a property missing from its branch is tried like any other
  const branch = hasUnion && !wire ? objectBranchOf(s, base, ctx) : undefined;
  if (branch !== undefined) return collect(branch, base, path, depth, ctx, out, limit);

  // enum / const: anything outside the list
  if (Array.isArray(s.enum) && s.enum.length > 0 && !hasUnion) {
    const listed = new Set((s.enum as unknown[]).map((v) => (wire ? String(v) : JSON.stringify(v))));
    const candidate = "sentinel_not_in_enum";
    if (!listed.has(wire ? candidate : JSON.stringify(candidate))) push(candidate, "enum", "value outside enum");
  } else if (s.const !== undefined && !hasUnion) {
    const candidate = "sentinel_not_const";
    if (JSON.stringify(s.const) !== JSON.stringify(candidate)) push(candidate, "enum", "value other than const");
  }

  if (types !== undefined && types.length > 0) {
    const numeric = types.includes("number") || types.includes("integer");
    if (wire) {
      if (!types.includes("string")) {
        if (numeric) push("sentinel-nan", "type", "non-numeric text for a number");
        else if (types.includes("boolean")) push("sentinel-notbool", "type", "non-boolean text for a boolean");
        if (types.includes("integer") && !types.includes("number")) push("1.5", "type", "fraction for an integer");
      }
    } else {
      const candidates: [string, unknown][] = [
        ["string", "sentinel-wrong-type"],
        ["integer", 12345],
        ["boolean", true],
        ["object", { sentinel: 1 }],
        ["array", ["sentinel"]],
      ];
      // a number is the same value as the text of a number (int64 as a string, the protobuf JSON
      // mapping, accepts both), so it is no wrong type there: the next candidate is
      const numericText = types.includes("string") && isNumericStringFormat(s.format);
      const wrong = candidates.find(([t]) => !types.includes(t) && !(t === "integer" && (types.includes("number") || numericText)));
      // a number for a string reads as its digits to a converting parser
      if (wrong) push(wrong[1], "type", `wrong type (${wrong[0]})`, false, types.includes("string") && typeof wrong[1] === "number" ? String(wrong[1]) : undefined);
      if (types.includes("integer") && !types.includes("number")) push(1.5, "type", "fraction for an integer");
      if (!types.includes("null") && !(Array.isArray(s.enum) && s.enum.includes(null))) push(null, "null", "null where not nullable");
    }

    if (numeric && !(wire && types.includes("string"))) {
      const integer = types.includes("integer") && !types.includes("number");
      const show = (n: number) => (wire ? String(n) : n);
      if (typeof s.minimum === "number") push(show(integer ? Math.ceil(s.minimum) - 1 : s.minimum - 1), "boundary", "minimum-1");
      if (typeof s.exclusiveMinimum === "number") push(show(integer ? Math.floor(s.exclusiveMinimum) : s.exclusiveMinimum), "boundary", "exclusiveMinimum");
      if (typeof s.maximum === "number") push(show(integer ? Math.floor(s.maximum) + 1 : s.maximum + 1), "boundary", "maximum+1");
      if (typeof s.exclusiveMaximum === "number") push(show(integer ? Math.ceil(s.exclusiveMaximum) : s.exclusiveMaximum), "boundary", "exclusiveMaximum");
      if (typeof s.multipleOf === "number" && Number.isInteger(s.multipleOf) && s.multipleOf >= 2) {
        const lo = typeof s.minimum === "number" ? s.minimum : 0;
        const valid = Math.ceil(lo / s.multipleOf) * s.multipleOf;
        push(show(valid + 1), "boundary", `not a multiple of ${s.multipleOf}`);
      }
      if (s.format === "int32" && typeof s.maximum !== "number") push(show(2147483648), "format", "int32 overflow", true);
    }

    if (types.includes("string")) {
      if (typeof s.minLength === "number" && s.minLength >= (wire ? 2 : 1)) push("a".repeat(s.minLength - 1), "boundary", "minLength-1");
      if (typeof s.maxLength === "number" && s.maxLength < 5000) push("a".repeat(s.maxLength + 1), "boundary", "maxLength+1");
      if (typeof s.pattern === "string") {
        const re = compilePattern(s.pattern);
        const candidate = re ? ["sentinel invalid value!", "!!", "~", "0", "A"].find((c) => !re.test(c)) : undefined;
        if (candidate !== undefined) push(candidate, "pattern", "value not matching pattern");
        // a number as text (money): the numbers the pattern forbids (negative, zero, a decimal too many)
        if (re) for (const { text, reason } of numericTextViolations(base, (t) => re.test(t))) push(text, "pattern", `${reason} not matching pattern`);
        // the pattern's own characters at a length its quantifier refuses, within minLength/maxLength
        for (const { text, short } of patternLengthViolations(s.pattern)) {
          const length = codePointLength(text);
          if (length < (typeof s.minLength === "number" ? s.minLength : 0) || length > (typeof s.maxLength === "number" ? s.maxLength : Infinity)) continue;
          push(text, "pattern", `pattern's characters, one ${short ? "short of" : "over"} its length (${length})`);
        }
      }
      if (typeof s.format === "string") {
        const bad = invalidFormatValue(s.format);
        if (bad !== undefined) push(bad, "format", `invalid ${s.format}`, true);
      }
    }
  }

  if (wire) return;

  if (Array.isArray(base) && types?.includes("array")) {
    if (typeof s.minItems === "number" && s.minItems >= 1) push(base.slice(0, s.minItems - 1), "items", "minItems-1");
    if (typeof s.maxItems === "number" && s.maxItems < 1000 && base.length > 0) {
      const grown = [...base];
      let i = 0;
      while (grown.length <= s.maxItems) grown.push(s.uniqueItems === true ? variant(base[0], i++) : base[0]);
      push(grown, "items", "maxItems+1");
    }
    if (s.uniqueItems === true && base.length > 0) push([base[0], base[0], ...base.slice(1)], "items", "duplicate items with uniqueItems");
    if (base.length > 0 && depth < (ctx.maxDepth ?? MUTATION_DEPTH) && (next === undefined || next === "0")) {
      const itemSchema = Array.isArray(s.prefixItems) && s.prefixItems.length > 0 ? (s.prefixItems[0] as JsonSchema) : s.items;
      if (itemSchema !== undefined) collect(itemSchema as JsonSchema, base[0], [...path, "0"], depth + 1, ctx, out, limit);
    }
  }

  if (isObject(base) && types?.includes("object")) {
    const properties = isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {};
    for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(name in base)) continue;
      if (properties[name] !== undefined && isReadOnly(properties[name], ctx.schemas)) continue;
      if (out.length < limit && within) out.push({ path: [...path, name], remove: true, reason: `missing required property "${name}"${at}`, kind: "required" });
    }
    if ((s.additionalProperties === false || s.unevaluatedProperties === false) && !isObject(s.patternProperties)) {
      const extra = { ...base, sentinelUnexpected: "sentinel" };
      push(extra, "additional", "unexpected additional property");
    }
    if (typeof s.maxProperties === "number" && s.additionalProperties !== false) {
      const grown: Record<string, unknown> = { ...base };
      for (let i = 0; Object.keys(grown).length <= s.maxProperties; i++) grown[`sentinelExtra${i}`] = "x";
      push(grown, "boundary", "maxProperties+1");
    }
    if (depth < (ctx.maxDepth ?? MUTATION_DEPTH)) {
      for (const [name, value] of Object.entries(base)) {
        if (properties[name] === undefined || (next !== undefined && name !== next)) continue;
        collect(properties[name], value, [...path, name], depth + 1, ctx, out, limit);
      }
    }
  }
}

/** The object branch of a union schema that `value` belongs to (see objectBranchOf), or undefined. */
export function unionBranchOf(schema: JsonSchema, value: unknown, schemas: SchemaMap, validator?: ModelValidator): JsonSchema | undefined {
  const s = flattenAllOf(schema, schemas);
  if (!isObject(s) || (!Array.isArray(s.oneOf) && !Array.isArray(s.anyOf))) return undefined;
  return objectBranchOf(s, value, { schemas, validator });
}

/**
 * The branch (merged with the union's own keywords) that an object value belongs to, for a union
 * of at least two object branches (`nullable` wrappers, `anyOf: [X, null]`, are not such a
 * union): the discriminator's mapping when the value names one, else the first branch the
 * validator accepts it under.
 */
function objectBranchOf(s: SchemaObject, base: unknown, ctx: InvalidContext): JsonSchema | undefined {
  if (!isObject(base)) return undefined;
  const key = Array.isArray(s.oneOf) ? "oneOf" : "anyOf";
  // a branch that is a union itself is left alone (no walk through nested or cyclic unions)
  const branches = (s[key] as JsonSchema[]).filter((b) => {
    const flat = flattenAllOf(b, ctx.schemas);
    return isObject(flat) && !Array.isArray(flat.oneOf) && !Array.isArray(flat.anyOf) && admittedTypes(flat, ctx.schemas)?.includes("object");
  });
  if (branches.length < 2) return undefined;
  const { [key]: _drop, discriminator, ...rest } = s;
  void _drop;
  const merged = (branch: JsonSchema) => (Object.keys(rest).length > 0 ? mergeSchemas(rest, branch, ctx.schemas) : branch);
  const tag = isObject(discriminator) && typeof discriminator.propertyName === "string" ? base[discriminator.propertyName] : undefined;
  const mapped = typeof tag === "string" && isObject(discriminator) && isObject(discriminator.mapping) ? (discriminator.mapping as Record<string, unknown>)[tag] : undefined;
  const named = typeof mapped === "string" ? branches.find((b) => isObject(b) && typeof b.$ref === "string" && (b.$ref === mapped || b.$ref.endsWith(`/${mapped}`))) : undefined;
  if (named !== undefined) return merged(named);
  if (!ctx.validator) return undefined;
  return branches.map(merged).find((b) => ctx.validator!.check(base, b) === "valid");
}

/** a distinct variant of a sample item (for growing unique arrays) */
function variant(sample: unknown, i: number): unknown {
  if (typeof sample === "string") return `${sample}${i}`;
  if (typeof sample === "number") return sample + i + 1;
  if (isObject(sample)) return { ...sample, sentinelVariant: i };
  return [sample, i];
}
