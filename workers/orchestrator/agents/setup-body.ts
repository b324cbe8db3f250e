/**
 * The body of a create sent to make a resource other requests need (a setup step), when its
 * schema has no `required` list. Such a schema says nothing about what the server needs, and `{}`
 * — all that "required properties only" gives — is refused by any server that needs a name, so
 * every case built on the resource was skipped. A client would send what names and classifies
 * the resource: the lean body fills the properties that look like its identity (a name, a title, a
 * slug …), those with a fixed set of values (the first enum value, a const) and those whose schema
 * gives an example or a default. When the server refuses that (400/422), the step is sent once more
 * with the fuller body: every property that is not readOnly (RequestTemplate.fuller).
 *
 * A string property's example may be written in its description only ("Name of the zone (e.g.
 * “example.com.”)"): it is used when the schema admits it, as the spec's own hint of the form.
 */
import type { JsonSchema } from "../../model";
import { generateValid } from "../generate/data-mocking";
import type { Rng } from "../generate/random";
import { looksUnique } from "../generate/unique";
import { admittedTypes, flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";
import type { ModelValidator } from "../../jsonschema/validate";
import { isIdLikeName } from "./names";
import { cloneJson } from "../../shared/json-clone";

/** An object schema without a `required` list (or with an empty one). */
export function requiresNothing(schema: JsonSchema | undefined, schemas: SchemaMap): boolean {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, schemas);
  return isObject(flat) && !(Array.isArray(flat.required) && flat.required.length > 0);
}

/** "(e.g. “example.com.”)", "for example `eu-west-1`", "Example: 'abc'": the quoted text. */
const PROSE_EXAMPLE = /\b(?:e\.\s?g\.|for example|example:|such as)\s*,?\s*[“"'`‘]([^”"'`’\n]{1,120})[”"'`’]/i;

/** The example a string property's description gives in words, when its schema admits it. */
export function proseExample(schema: JsonSchema, schemas: SchemaMap, validator: ModelValidator): string | undefined {
  const flat = flattenAllOf(schema, schemas);
  if (!isObject(flat) || typeof flat.description !== "string") return undefined;
  if (!admittedTypes(schema, schemas)?.includes("string")) return undefined;
  const match = PROSE_EXAMPLE.exec(flat.description);
  const text = match?.[1].trim();
  return text && validator.check(text, schema) === "valid" ? text : undefined;
}

function readOnly(schema: JsonSchema, schemas: SchemaMap): boolean {
  const r = resolve(schema, schemas);
  return isObject(r) && r.readOnly === true;
}

/** A property a client names or classifies the new resource by, or whose value the spec gives. */
function leanProperty(name: string, schema: JsonSchema, schemas: SchemaMap): boolean {
  const flat = flattenAllOf(schema, schemas);
  if (!isObject(flat)) return false;
  if (flat.const !== undefined || (Array.isArray(flat.enum) && flat.enum.some((v) => v !== null))) return true;
  if (flat.example !== undefined || flat.default !== undefined || (Array.isArray(flat.examples) && flat.examples.length > 0)) return true;
  // ids are the server's to assign
  return !isIdLikeName(name) && looksUnique(name, schema, schemas);
}

interface BodyContext {
  schemas: SchemaMap;
  validator: ModelValidator;
  rng: Rng;
}

function propertyValue(name: string, schema: JsonSchema, ctx: BodyContext, optional: "required" | "all"): unknown {
  const prose = proseExample(schema, ctx.schemas, ctx.validator);
  if (prose !== undefined) return prose;
  const flat = flattenAllOf(schema, ctx.schemas);
  // a set of values: the first one the spec lists (a random one may be a kind that needs more)
  if (isObject(flat) && flat.const === undefined && Array.isArray(flat.enum) && flat.example === undefined && flat.default === undefined) {
    const first = flat.enum.find((v) => v !== null);
    if (first !== undefined) return cloneJson(first);
  }
  return generateValid(schema, { schemas: ctx.schemas, rng: ctx.rng.fork(name), mode: "request", optional, useExamples: true, name });
}

function properties(schema: JsonSchema, schemas: SchemaMap): [string, JsonSchema][] {
  const flat = flattenAllOf(schema, schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties as Record<string, JsonSchema>).filter(([, sub]) => !readOnly(sub, schemas));
}

/**
 * The lean and the fuller body of a setup create whose schema requires nothing, built on `value`
 * (what the builder made: an example's part, or `{}`), whose own properties are kept. Either is
 * undefined when it adds nothing or is not valid for the schema.
 */
export function setupBodies(value: unknown, schema: JsonSchema, ctx: BodyContext): { lean?: Record<string, unknown>; fuller?: Record<string, unknown> } {
  if (!isObject(value) || !requiresNothing(schema, ctx.schemas)) return {};
  const props = properties(schema, ctx.schemas);
  const lean: Record<string, unknown> = { ...value };
  for (const [name, sub] of props) {
    if (lean[name] !== undefined || !leanProperty(name, sub, ctx.schemas)) continue;
    const v = propertyValue(name, sub, ctx, "required");
    if (v !== undefined) lean[name] = v;
  }
  const fuller: Record<string, unknown> = { ...lean };
  for (const [name, sub] of props) {
    if (fuller[name] !== undefined) continue;
    const v = propertyValue(name, sub, ctx, "all");
    if (v !== undefined) fuller[name] = v;
  }
  const valid = (body: Record<string, unknown>) => ctx.validator.check(body, schema) !== "invalid";
  const grew = (body: Record<string, unknown>, than: Record<string, unknown>) => Object.keys(body).length > Object.keys(than).length;
  const out: { lean?: Record<string, unknown>; fuller?: Record<string, unknown> } = {};
  if (grew(lean, value) && valid(lean)) out.lean = lean;
  const base = out.lean ?? value;
  if (grew(fuller, base) && valid(fuller)) out.fuller = fuller;
  return out;
}
