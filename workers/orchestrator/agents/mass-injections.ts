/**
 * What mass-assignment probes inject: readOnly and server-controlled properties with values a
 * server default would hardly produce, and privilege-looking extras (role=admin, isAdmin=true);
 * shared by the resource lifecycles (data-exposure.ts) and sign-up (account-mass-assignment.ts).
 */
import type { JsonSchema, Operation } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaObject } from "../../jsonschema/types";
import { isJsonMedia, type AgentEnv } from "./requests";
import { generateFromPattern } from "../generate/regex-gen";
import { hashString, Rng } from "../generate/random";

const PRIVILEGED_FLAG = /(admin|verified|approved|staff|superuser|premium|privileged|owner)/i;

/** Privileged-looking extras, injected only when the request schema does not declare them. */
const EXTRAS: [string, unknown][] = [
  ["role", "admin"],
  ["isAdmin", true],
  ["is_admin", true],
];
/** Privileged properties a sign-up is tried with, one at a time, when no schema names them. */
export const PRIVILEGED_CANDIDATES: [string, unknown][] = [
  ["admin", true],
  ["is_admin", true],
  ["isAdmin", true],
  ["role", "admin"],
  ["roles", ["admin"]],
  ["permissions", ["admin"]],
];
/** Names of properties that grant rights: worth injecting even into a closed schema, on their own. */
export const PRIVILEGED_NAME = /^(roles?|is_?admin|admin|is_?staff|is_?superuser|permissions?|scopes?|groups?|privileges?|access_?level|user_?type|account_?type|tier|plan)$/i;

/**
 * Privilege extras for a closed request schema, sent in a probe of their own (a closed schema
 * refuses the whole write, so they cannot ride along with the readOnly probes): the usual extras
 * and the privilege-named properties the response returns but the request does not declare.
 */
export function privilegedExtras(env: AgentEnv, schema: JsonSchema, responseSchema?: JsonSchema): [string, unknown][] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isClosed(flat)) return [];
  const declared = new Set(Object.keys(isObject(flat.properties) ? (flat.properties as object) : {}).map((k) => k.toLowerCase()));
  const out: [string, unknown][] = [];
  const response = responseSchema !== undefined ? flattenAllOf(responseSchema, env.model.schemas) : undefined;
  if (isObject(response) && isObject(response.properties)) {
    for (const [name, sub] of Object.entries(response.properties as Record<string, JsonSchema>)) {
      if (!PRIVILEGED_NAME.test(name) || declared.has(name.toLowerCase())) continue;
      const value = distinctiveValue(name, sub, env);
      if (value !== undefined) out.push([name, value]);
    }
  }
  for (const [name, value] of EXTRAS) if (!declared.has(name.toLowerCase()) && !out.some(([n]) => n.toLowerCase() === name.toLowerCase())) out.push([name, value]);
  return out;
}

/**
 * The resource's readOnly properties a closed request schema does not declare (a PATCH body of its
 * own, `{nickname}`, for an Account whose `balance` is readOnly): they live in the response schema,
 * the representation the write changes. Top-level ones, the weightiest first, each with a
 * distinctive value; a server that stores one lets a client set what only it may.
 */
export function closedReadOnlyExtras(env: AgentEnv, schema: JsonSchema, responseSchema?: JsonSchema): [string, unknown][] {
  const flat = flattenAllOf(schema, env.model.schemas);
  const response = responseSchema !== undefined ? flattenAllOf(responseSchema, env.model.schemas) : undefined;
  if (!isObject(flat) || !isClosed(flat) || !isObject(response)) return [];
  const declared = new Set(Object.keys(isObject(flat.properties) ? (flat.properties as object) : {}).map((k) => k.toLowerCase()));
  return byWeight(readOnlyInjections(env, response, []).filter(([name]) => !name.startsWith("/") && !declared.has(name.toLowerCase())));
}

/** A value for a readOnly property that a server default would hardly produce; undefined to skip. */
export function distinctiveValue(name: string, schema: JsonSchema, env: AgentEnv): unknown {
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s)) return undefined;
  if (Array.isArray(s.enum)) {
    const candidates = (s.enum as unknown[]).filter((v) => v !== null && JSON.stringify(v) !== JSON.stringify(s.default));
    // the first listed value is the usual default even when the spec does not say so; a value that
    // grants something (admin, approved, verified) is the one a server must never take from a client
    const privileged = candidates.find((v) => typeof v === "string" && PRIVILEGED_FLAG.test(v));
    return s.enum.length >= 2 && candidates.length > 0 ? (privileged ?? candidates[candidates.length - 1]) : undefined;
  }
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== "null") : (s.type as string | undefined);
  switch (type) {
    case "boolean":
      if (typeof s.default === "boolean") return !s.default;
      return PRIVILEGED_FLAG.test(name) ? true : undefined;
    case "integer":
    case "number": {
      let value = 987654;
      if (typeof s.maximum === "number" && value > s.maximum) value = Math.floor(s.maximum);
      if (typeof s.minimum === "number" && value < s.minimum) return undefined;
      return value === s.default ? undefined : value;
    }
    case "string": {
      if (typeof s.pattern === "string") return patternValue(name, s);
      if (s.pattern !== undefined) return undefined;
      const byFormat: Record<string, string> = {
        "date-time": "2001-02-03T04:05:06Z",
        date: "2001-02-03",
        uuid: "5e171e1a-0000-4000-8000-000000000001",
        email: "sentinel-mass-assignment@example.com",
        uri: "https://example.com/sentinel-mass-assignment",
      };
      if (typeof s.format === "string") return byFormat[s.format];
      const text = "sentinel-mass-assignment";
      return typeof s.maxLength === "number" ? (s.maxLength >= 8 ? text.slice(0, s.maxLength) : undefined) : text;
    }
    default:
      return undefined;
  }
}

/**
 * A value of a string property with a pattern (a version such as 2.1.0, a code): one the
 * pattern and the length bounds admit, drawn from the property's name (the same in every plan), and
 * never the spec's default or example (what a server may store on its own); undefined when none is found.
 */
function patternValue(name: string, s: SchemaObject): string | undefined {
  const usual = new Set([s.default, s.example, ...(Array.isArray(s.examples) ? s.examples : [])].filter((v) => typeof v === "string"));
  const rng = new Rng(hashString(`mass-assignment:${name}`));
  const bounds = { ...(typeof s.minLength === "number" ? { minLength: s.minLength } : {}), ...(typeof s.maxLength === "number" ? { maxLength: s.maxLength } : {}) };
  for (let attempt = 0; attempt < 5; attempt++) {
    const value = generateFromPattern(s.pattern as string, rng, bounds);
    if (value === undefined) return undefined;
    if (!usual.has(value)) return value;
  }
  return undefined;
}

/** additionalProperties/unevaluatedProperties false: undeclared properties only earn a 400. */
function isClosed(flat: SchemaObject): boolean {
  return (flat.additionalProperties === false || flat.unevaluatedProperties === false) && !isObject(flat.patternProperties);
}

/**
 * Properties to inject into a body of `schema`: readOnly ones, server-controlled ones (returned by
 * `responseSchema` but not accepted by the request schema), and undeclared privileged extras.
 * Undeclared names are only injected when the request schema is open: a closed schema makes the
 * server refuse the whole write, which would hide the readOnly probes.
 */
export function injections(env: AgentEnv, schema: JsonSchema, responseSchema?: JsonSchema): [string, unknown][] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return [];
  const types = flat.type;
  if (types !== undefined && types !== "object" && !(Array.isArray(types) && types.includes("object"))) return [];
  const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
  const out: [string, unknown][] = byWeight(readOnlyInjections(env, flat, []));
  if (isClosed(flat)) return out.slice(0, 6);
  const declared = new Set(Object.keys(props).map((k) => k.toLowerCase()));
  const response = responseSchema !== undefined ? flattenAllOf(responseSchema, env.model.schemas) : undefined;
  if (isObject(response) && isObject(response.properties)) {
    for (const [name, sub] of Object.entries(response.properties as Record<string, JsonSchema>)) {
      if (declared.has(name.toLowerCase()) || out.some(([n]) => n === name)) continue;
      const value = distinctiveValue(name, sub, env);
      if (value !== undefined) out.push([name, value]);
    }
  }
  for (const [name, value] of EXTRAS) if (!declared.has(name.toLowerCase())) out.push([name, value]);
  // privileged extras are the point: keep them when the list is long
  const extras = out.filter(([n]) => EXTRAS.some(([e]) => e === n));
  return [...out.filter(([n]) => !EXTRAS.some(([e]) => e === n)).slice(0, 6 - extras.length), ...extras];
}

/**
 * The readOnly probes that matter most first, so a cap keeps them: a privilege or a state (an enum,
 * a flag) a client must not set before free values, ids (seldom taken, never telling) last.
 */
function byWeight(found: [string, unknown][]): [string, unknown][] {
  const weight = ([at, value]: [string, unknown]) => {
    const name = at.split("/").pop() ?? at;
    if (PRIVILEGED_NAME.test(name) || (typeof value === "string" && PRIVILEGED_FLAG.test(value)) || typeof value === "boolean") return 0;
    return /^id$|_id$|[a-z]Id$/.test(name) ? 2 : 1;
  };
  return found.map((f, i) => [f, i] as const).sort(([a, i], [b, j]) => weight(a) - weight(b) || i - j).map(([f]) => f);
}

/** How deep readOnly properties are looked for (an envelope's `data.attributes.featured` is two down). */
const READ_ONLY_DEPTH = 4;

/**
 * The readOnly properties of an object schema and of the objects nested in it (through $ref and
 * allOf), each with a distinctive value: a top-level one by name, a nested one by JSON pointer
 * (`/data/attributes/featured`), injected where it lives. A readOnly boolean with no default is
 * injected as true: the baseline write shows when that is the server's own value.
 */
function readOnlyInjections(env: AgentEnv, flat: SchemaObject, tokens: string[]): [string, unknown][] {
  const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
  const out: [string, unknown][] = [];
  for (const [name, sub] of Object.entries(props)) {
    const r = flattenAllOf(sub, env.model.schemas);
    if (!isObject(r)) continue;
    const at = tokens.length === 0 ? name : "/" + [...tokens, name].map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
    if ((r as SchemaObject).readOnly === true) {
      const value = distinctiveValue(name, sub, env) ?? (r.type === "boolean" && r.default === undefined ? true : undefined);
      if (value !== undefined) out.push([at, value]);
    } else if (tokens.length + 1 < READ_ONLY_DEPTH && (r.type === "object" || isObject(r.properties))) {
      out.push(...readOnlyInjections(env, r as SchemaObject, [...tokens, name]));
    }
  }
  return out;
}

export function successSchema(op: Operation): JsonSchema | undefined {
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    const media = response.content.find((m) => isJsonMedia(m.contentType));
    if (media) return media.schema;
  }
  return undefined;
}

