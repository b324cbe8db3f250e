/**
 * The one JSON Schema (2020-12) validation of Sentinel, over @cfworker/json-schema (no code
 * generation, so it runs in workerd): the checks judge responses with it, the agents and the AI
 * planner confirm their requests with it, so "valid" means the same everywhere. What is validated
 * is a request or response view of the schema (views.ts); views are cached per model, purpose
 * and schema object.
 */
import { validate as cfValidate, type Schema } from "@cfworker/json-schema";
import type { JsonSchema } from "../model";
import { decodeRefToken } from "./pointer";
import { COMPONENT_BASE, validationView, type Purpose, type ViewModel } from "./views";


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

/** errors that only say "a subschema failed": the leaf error below them is the useful one */
const WRAPPER_KEYWORDS = new Set(["false", "properties", "patternProperties", "items", "prefixItems", "$ref", "allOf", "additionalItems", "dependentSchemas", "contains", "if", "then", "else", "unevaluatedItems"]);

interface ModelCache {
  /** views of components by purpose and name, made when a validation first reaches them */
  lookups: Map<Purpose, Lookup>;
  /** views of validated schemas by purpose */
  roots: Map<Purpose, WeakMap<object, JsonSchema>>;
}

type Lookup = Record<string, Schema | boolean>;
type Model = ViewModel;

const caches = new WeakMap<Model, ModelCache>();

function cacheFor(model: Model): ModelCache {
  let cache = caches.get(model);
  if (!cache) {
    cache = { lookups: new Map(), roots: new Map() };
    caches.set(model, cache);
  }
  return cache;
}

/**
 * Validates `instance` against the `purpose` view of `schema`. `firstErrorOnly` stops at the
 * first error (a verdict without all its violations, for callers that only need valid/invalid).
 */
export function validateSchema(model: Model, schema: JsonSchema, instance: unknown, purpose: Purpose = "response", firstErrorOnly = false): SchemaVerdict {
  if (schema === true) return { valid: true };
  if (schema === false) return { valid: false, violations: [{ keyword: "false", instancePath: "", message: "no value is allowed here (schema is false)" }] };
  const cache = cacheFor(model);
  let roots = cache.roots.get(purpose);
  if (!roots) cache.roots.set(purpose, (roots = new WeakMap()));
  let root = roots.get(schema);
  if (root === undefined) roots.set(schema, (root = validationView(model, schema, purpose)));
  try {
    const result = cfValidate(instance, root as Schema, "2020-12", lookupFor(model, cache, purpose), firstErrorOnly);
    if (result.valid) return { valid: true };
    return { valid: false, violations: pickViolations(result.errors) };
  } catch (error) {
    // an unresolvable $ref or a schema the library cannot evaluate: no verdict
    return { valid: "unknown", reason: firstLine(error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * The library looks `$ref`s up by their absolute URI (COMPONENT_BASE + name, with an optional
 * `#/pointer` into the component): answered lazily and cached, so a big spec's components are
 * viewed only when a validation reaches them.
 */
function lookupFor(model: Model, cache: ModelCache, purpose: Purpose): Lookup {
  let lookup = cache.lookups.get(purpose);
  if (lookup) return lookup;
  const components = new Map<string, JsonSchema | undefined>();
  const component = (name: string): JsonSchema | undefined => {
    if (!components.has(name)) {
      const source = model.schemas[name];
      components.set(name, source === undefined ? undefined : validationView(model, source, purpose));
    }
    return components.get(name);
  };
  const resolved = new Map<string, Schema | boolean | undefined>();
  const resolve = (key: string): Schema | boolean | undefined => {
    if (!key.startsWith(COMPONENT_BASE)) return undefined;
    const rest = key.slice(COMPONENT_BASE.length);
    const hash = rest.indexOf("#");
    const target = component(decodeURIComponent(hash < 0 ? rest : rest.slice(0, hash)));
    const pointer = hash < 0 ? "" : rest.slice(hash + 1);
    return (pointer === "" ? target : resolvePointer(target, pointer)) as Schema | boolean | undefined;
  };
  lookup = new Proxy(Object.create(null) as Lookup, {
    get(_target, key) {
      if (typeof key !== "string") return undefined;
      if (!resolved.has(key)) resolved.set(key, resolve(key));
      return resolved.get(key);
    },
  });
  cache.lookups.set(purpose, lookup);
  return lookup;
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointer.split("/").slice(1).map(decodeRefToken)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export type Verdict = "valid" | "invalid" | "unknown";

/**
 * The agents' question about a value they built: is it valid in the request view? "unknown"
 * when the schema cannot be evaluated. Agents claim positive_data_acceptance or
 * negative_data_rejection only after this agrees: a false alarm costs as much as a missed bug.
 */
export class ModelValidator {
  /** the last verdicts per schema object: agents ask about the same value again (built, then vouched for) */
  private readonly recent = new WeakMap<object, Recent>();
  /** per schema object: the types it asks for when that is all it asks of some values (typeRule; else null) */
  private readonly typesMemo = new WeakMap<object, TypeRule | null>();

  constructor(private readonly model: Model) {}

  /** per schema object: its object keywords when the validity of an object decomposes by property (else null) */
  private readonly partsMemo = new WeakMap<object, Parts | null>();
  /** per schema object: its array keywords when the validity of an array decomposes by item (else null) */
  private readonly itemsMemo = new WeakMap<object, Items | null>();

  check(value: unknown, schema: JsonSchema): Verdict {
    if (typeof schema === "object" && schema !== null) {
      if (isPlainObject(value)) {
        const parts = this.partsOf(schema);
        if (parts) return this.byParts(value, parts) ?? this.remember(value, schema, undefined);
      } else if (Array.isArray(value)) {
        const items = this.itemsOf(schema);
        if (items) return this.byItems(value, items) ?? this.remember(value, schema, undefined);
      }
    }
    return this.remember(value, schema, undefined);
  }

  /**
   * The verdict on an array asked item by item, in the validator's order: every item (a stop at
   * the first invalid one), then the length limits — the library evaluates every item even when
   * the length is wrong, so an item without a verdict sends the whole array to it first. Items
   * are remembered on their own: an array one item apart costs one item's validation.
   */
  private byItems(value: unknown[], items: Items): Verdict | undefined {
    for (let i = 0; i < value.length; i++) {
      const verdict = this.check(value[i], items.items);
      if (verdict !== "valid") return verdict === "invalid" ? "invalid" : undefined;
    }
    if (items.maxItems !== undefined && value.length > items.maxItems) return "invalid";
    if (items.minItems !== undefined && value.length < items.minItems) return "invalid";
    return "valid";
  }

  private itemsOf(schema: object): Items | null {
    let items = this.itemsMemo.get(schema);
    if (items === undefined) this.itemsMemo.set(schema, (items = arrayItems(this.model, schema as JsonSchema)));
    return items;
  }

  /**
   * The verdict on an object asked property by property, in the order the validator takes them
   * (a stop at the first invalid property, after `required`): each property's verdict is
   * remembered on its own, so objects one property apart (one added, one left out, one
   * replaced) cost one property's validation, not the whole object's. undefined when a part
   * has no verdict (the whole is then validated as one, which says where it stops).
   */
  private byParts(value: Record<string, unknown>, parts: Parts): Verdict | undefined {
    let missing = false;
    for (const name of parts.required) if (!Object.prototype.hasOwnProperty.call(value, name)) missing = true;
    for (const [key, sub] of parts.properties) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const verdict = this.check(value[key], sub);
      if (verdict !== "valid") return verdict === "invalid" ? "invalid" : undefined;
    }
    if (parts.additional !== undefined) {
      for (const key in value) {
        if (parts.declared.has(key) && Object.prototype.hasOwnProperty.call(value, key)) continue;
        const verdict = this.check(value[key], parts.additional);
        if (verdict !== "valid") return verdict === "invalid" ? "invalid" : undefined;
      }
    }
    return missing ? "invalid" : "valid";
  }

  private partsOf(schema: object): Parts | null {
    let parts = this.partsMemo.get(schema);
    if (parts === undefined) this.partsMemo.set(schema, (parts = objectParts(this.model, schema as JsonSchema)));
    return parts;
  }

  /**
   * Records that `value` is valid under `schema` without validating it: for a value valid by
   * construction (generate/exact.ts), so later questions about it are answered the same.
   */
  vouch(value: unknown, schema: JsonSchema): void {
    this.remember(value, schema, "valid");
  }

  private remember(value: unknown, schema: JsonSchema, given: Verdict | undefined): Verdict {
    if (typeof schema !== "object" || schema === null) return given ?? this.validate(value, schema);
    // a schema that asks for a type and nothing else of this value: the type is the verdict
    let types = this.typesMemo.get(schema);
    if (types === undefined) this.typesMemo.set(schema, (types = typeRule(this.model, schema)));
    if (types !== null) {
      const verdict = typeVerdict(value, types);
      if (verdict !== undefined) return verdict;
    }
    // the value as sent (JSON), so equal values share a verdict; non-JSON values are not memoised.
    // Strings are their own keys and objects their JSON, each in a map of its own (no key text built)
    const kind = typeof value === "string" ? 0 : isObjectLike(value) ? 1 : typeof value === "number" || typeof value === "boolean" || value === null ? 2 : undefined;
    if (kind === undefined) return given ?? this.validate(value, schema);
    const key = kind === 0 ? (value as string) : kind === 1 ? JSON.stringify(value) : value === null ? "null" : `${typeof value}${String(value)}`;
    let memo = this.recent.get(schema);
    if (!memo) this.recent.set(schema, (memo = { size: 0, byKind: [new Map(), new Map(), new Map()] }));
    const known = memo.byKind[kind].get(key);
    if (known !== undefined) return known;
    const verdict = given ?? this.validate(value, schema);
    if (memo.size >= RECENT_PER_SCHEMA) {
      for (const map of memo.byKind) map.clear();
      memo.size = 0;
    }
    memo.byKind[kind].set(key, verdict);
    memo.size++;
    return verdict;
  }

  private validate(value: unknown, schema: JsonSchema): Verdict {
    const verdict = validateSchema(this.model, schema, value, "request", true);
    return verdict.valid === true ? "valid" : verdict.valid === false ? "invalid" : "unknown";
  }
}

/** Remembered verdicts of one schema: strings, JSON of objects, other scalars; at most RECENT_PER_SCHEMA in all. */
interface Recent {
  size: number;
  byKind: [Map<string, Verdict>, Map<string, Verdict>, Map<string, Verdict>];
}

/**
 * A schema whose only assertion beside `type` are keywords the validator applies to other instance
 * types than some (minLength to strings, minimum to numbers, items to arrays...): for a value of
 * an unconstrained type, or of a type `type` refuses, the type alone is the verdict.
 */
interface TypeRule {
  /** `type` as written (undefined: any type) */
  type: string | string[] | undefined;
  /** instance types some keyword applies to (their values are validated) */
  constrained: Set<string>;
}

/** keywords the validator applies to values of one instance type only (@cfworker/json-schema's validate) */
const ONLY_FOR: Record<string, string> = {
  minLength: "string", maxLength: "string", pattern: "string", format: "string",
  minimum: "number", maximum: "number", exclusiveMinimum: "number", exclusiveMaximum: "number", multipleOf: "number",
  items: "array", prefixItems: "array", additionalItems: "array", unevaluatedItems: "array", contains: "array",
  minContains: "array", maxContains: "array", minItems: "array", maxItems: "array", uniqueItems: "array",
  required: "object", properties: "object", patternProperties: "object", additionalProperties: "object",
  unevaluatedProperties: "object", minProperties: "object", maxProperties: "object", propertyNames: "object",
  dependentRequired: "object", dependentSchemas: "object", dependencies: "object",
};

/**
 * A schema object with its asserting keywords (annotations and x- extensions left out), reached
 * through component `$ref`s that have only annotations beside them (at most 10 hops); null for a
 * non-object, any other reference, or a longer chain.
 */
function throughAnnotatedRefs(model: Model, schema: JsonSchema): { source: Record<string, unknown>; keys: string[] } | null {
  let current: unknown = schema;
  for (let hops = 0; hops <= 10; hops++) {
    if (!isObjectLike(current) || Array.isArray(current)) return null;
    const source = current as Record<string, unknown>;
    const keys = Object.keys(source).filter((k) => !INERT.has(k) && !k.startsWith("x-"));
    if (typeof source.$ref !== "string") return { source, keys };
    if (keys.length !== 1 || !source.$ref.startsWith(COMPONENT_REF)) return null;
    const name = source.$ref.slice(COMPONENT_REF.length);
    if (name.includes("/") || name.includes("~") || name.includes("%")) return null;
    current = model.schemas[name];
    if (current === undefined) return null;
  }
  return null;
}

/**
 * The TypeRule of a schema (through component `$ref`s with only annotations beside them), or
 * null when it asserts anything else (enum, const, a composition, a reference into a component).
 */
function typeRule(model: Model, schema: JsonSchema): TypeRule | null {
  const resolved = throughAnnotatedRefs(model, schema);
  if (!resolved) return null;
  const { source, keys } = resolved;
  const type = source.type;
  if (!(type === undefined || typeof type === "string" || (Array.isArray(type) && type.every((t) => typeof t === "string")))) return null;
  const constrained = new Set<string>();
  for (const key of keys) {
    if (key === "type") continue;
    const only = ONLY_FOR[key];
    if (only === undefined || !Object.prototype.hasOwnProperty.call(ONLY_FOR, key)) return null;
    constrained.add(only);
  }
  return { type: type as TypeRule["type"], constrained };
}

/** The verdict a TypeRule gives `value` on its own (the validator's type test), undefined when the value must be validated. */
function typeVerdict(value: unknown, rule: TypeRule): Verdict | undefined {
  const instance = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? typeof value : value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "object" ? "object" : undefined;
  // no JSON value (undefined, a function): the validator gives no verdict either
  if (instance === undefined) return undefined;
  const { type } = rule;
  // the library's own tests, kept as they are (a single "integer" and one in a list differ on Infinity)
  const matches = Array.isArray(type)
    ? type.some((t) => instance === t || (t === "integer" && instance === "number" && (value as number) % 1 === 0 && value === value))
    : type === "integer"
      ? !(instance !== "number" || (value as number) % 1 || value !== value)
      : type === undefined || instance === type;
  if (!matches) return "invalid";
  return rule.constrained.has(instance) ? undefined : "valid";
}

/** An object schema whose object validity decomposes by property (objectParts). */
interface Parts {
  /** `required` of the request view (readOnly names dropped) */
  required: string[];
  properties: [string, JsonSchema][];
  declared: Set<string>;
  additional?: JsonSchema;
}

/** keywords beside the four object ones that the validator reads as annotations only */
const INERT = new Set(["title", "description", "deprecated", "readOnly", "writeOnly", "default", "nullable", "$comment", "example", "examples", "xml", "externalDocs", "discriminator"]);
const OBJECT_KEYWORDS = new Set(["type", "properties", "required", "additionalProperties"]);
const COMPONENT_REF = "#/components/schemas/";
/** a `$ref` the validator resolves against the schema it starts from, or an anchor: its meaning depends on the root */
const ANCHORS = /"\$(?:anchor|dynamicAnchor|dynamicRef|recursiveRef|recursiveAnchor|id)"/;

function rootRelative(view: JsonSchema): boolean {
  const text = JSON.stringify(view);
  return ANCHORS.test(text) || text.split('"$ref":"').slice(1).some((rest) => !rest.startsWith(COMPONENT_BASE));
}

/**
 * The object keywords of a schema (through component `$ref`s with only annotations beside them)
 * when an object's validity is that of its properties taken one by one: nothing but type
 * (admitting objects), properties, required and additionalProperties, no reference whose target
 * depends on where validation starts. null otherwise (the whole object is validated as one).
 */
function objectParts(model: Model, schema: JsonSchema): Parts | null {
  const resolved = throughAnnotatedRefs(model, schema);
  if (!resolved) return null;
  const { source, keys } = resolved;
  if (!keys.every((k) => OBJECT_KEYWORDS.has(k))) return null;
  const type = source.type;
  if (!(type === "object" || (Array.isArray(type) && type.includes("object")))) return null;
  const view = validationView(model, source as JsonSchema, "request") as Record<string, unknown>;
  if (rootRelative(view)) return null;
  const properties = isObjectLike(source.properties) ? (Object.entries(source.properties) as [string, JsonSchema][]) : source.properties === undefined ? [] : undefined;
  const required = view.required === undefined ? [] : Array.isArray(view.required) && view.required.every((r) => typeof r === "string") ? (view.required as string[]) : undefined;
  if (properties === undefined || required === undefined) return null;
  return { required, properties, declared: new Set(properties.map(([k]) => k)), additional: source.additionalProperties as JsonSchema | undefined };
}

/** An array schema whose array validity decomposes by item (arrayItems). */
interface Items {
  items: JsonSchema;
  minItems?: number;
  maxItems?: number;
}

const ARRAY_KEYWORDS = new Set(["type", "items", "minItems", "maxItems"]);

/**
 * The array keywords of a schema (through component `$ref`s with only annotations beside them)
 * when an array's validity is that of its items taken one by one and its length: nothing but
 * type (admitting arrays), one `items` schema, numeric minItems/maxItems, no reference whose
 * target depends on where validation starts. null otherwise (the whole array is validated as one).
 */
function arrayItems(model: Model, schema: JsonSchema): Items | null {
  const resolved = throughAnnotatedRefs(model, schema);
  if (!resolved) return null;
  const { source, keys } = resolved;
  if (!keys.every((k) => ARRAY_KEYWORDS.has(k))) return null;
  const type = source.type;
  if (!(type === "array" || (Array.isArray(type) && type.includes("array")))) return null;
  const items = source.items;
  if (!(typeof items === "boolean" || (isObjectLike(items) && !Array.isArray(items)))) return null;
  const { minItems, maxItems } = source;
  if ((minItems !== undefined && typeof minItems !== "number") || (maxItems !== undefined && typeof maxItems !== "number")) return null;
  if (rootRelative(validationView(model, source as JsonSchema, "request"))) return null;
  return { items: items as JsonSchema, minItems: minItems as number | undefined, maxItems: maxItems as number | undefined };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Verdicts kept per schema object (bounded: a big spec's plan asks about ~50,000 values). */
const RECENT_PER_SCHEMA = 32;

function isObjectLike(value: unknown): value is object {
  return typeof value === "object" && value !== null;
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
