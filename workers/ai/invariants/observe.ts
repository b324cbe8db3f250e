/**
 * What invariant inference keeps of one successful exchange: the request's scalar parameters and
 * a bounded summary of the JSON response (scalars and array sizes at shallow pointers, the fields
 * of list items). Small enough to store per exchange; no header, no credential-named parameter,
 * no value equal to a known secret.
 */
import { escapeSegment } from "../../jsonschema/pointer";

export type Scalar = string | number | boolean | null;

export interface Observation {
  operationId: string;
  /** "query.limit", "path.itemId", "body.name", "body.user/email" (a pointer into the body) → value sent */
  params: Record<string, Scalar>;
  /** JSON pointer → scalar value, objects only (never inside a list) */
  scalars: Record<string, Scalar>;
  /** JSON pointer → list length ("" when the body is a list) */
  arrays: Record<string, number>;
  /** list pointer → item field pointer → values of the first items */
  items: Record<string, Record<string, Scalar[]>>;
}

export interface ObserveInput {
  operationId: string;
  query: Record<string, unknown>;
  pathParams: Record<string, unknown>;
  requestBody: unknown;
  /** the parsed JSON response body */
  body: unknown;
  /** values that must never be kept (identity credentials) */
  secrets: readonly string[];
}

const MAX_DEPTH = 3;
const MAX_ENTRIES = 80;
const MAX_ITEMS = 20;
const MAX_STRING = 120;
/** parameter names that carry credentials: never kept */
const SENSITIVE = /(pass(word)?|secret|token|api[-_]?key|auth|session|cookie|credential|signature|private)/i;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function scalar(value: unknown, secrets: readonly string[]): Scalar | undefined {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.length > MAX_STRING) return undefined;
  return secrets.some((s) => s.length >= 4 && value.includes(s)) ? undefined : value;
}

function walk(value: unknown, pointer: string, depth: number, out: Observation, secrets: readonly string[]): void {
  if (Object.keys(out.scalars).length + Object.keys(out.arrays).length >= MAX_ENTRIES) return;
  if (Array.isArray(value)) {
    out.arrays[pointer] = value.length;
    const objects = value.slice(0, MAX_ITEMS).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v));
    if (objects.length === 0) return;
    const fields: Record<string, Scalar[]> = {};
    for (const item of objects) {
      for (const [key, field] of Object.entries(item)) {
        const s = scalar(field, secrets);
        if (s === undefined || SENSITIVE.test(key)) continue;
        (fields[`/${escapeSegment(key)}`] ??= []).push(s);
      }
    }
    if (Object.keys(fields).length > 0) out.items[pointer] = fields;
    return;
  }
  if (value === null || typeof value !== "object" || depth >= MAX_DEPTH) return;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (SENSITIVE.test(key)) continue;
    const at = `${pointer}/${escapeSegment(key)}`;
    const s = scalar(field, secrets);
    if (s !== undefined) out.scalars[at] = s;
    else walk(field, at, depth + 1, out, secrets);
  }
}

function addParams(into: Record<string, Scalar>, prefix: string, values: Record<string, unknown>, secrets: readonly string[]): void {
  for (const [name, value] of Object.entries(values)) {
    if (SENSITIVE.test(name)) continue;
    const s = scalar(Array.isArray(value) && value.length === 1 ? value[0] : value, secrets);
    if (s !== undefined) into[`${prefix}.${name}`] = s;
  }
}

export function observe(input: ObserveInput): Observation | undefined {
  if (input.body === undefined || (typeof input.body !== "object" && !Array.isArray(input.body)) || input.body === null) return undefined;
  const out: Observation = { operationId: input.operationId, params: {}, scalars: {}, arrays: {}, items: {} };
  addParams(out.params, "query", input.query, input.secrets);
  addParams(out.params, "path", input.pathParams, input.secrets);
  if (isRecord(input.requestBody)) {
    // body keys are JSON pointers without the leading slash: "body.name", and one level inside a
    // wrapper object ({"user": {"email": …}}) "body.user/email"
    for (const [name, value] of Object.entries(input.requestBody)) {
      if (SENSITIVE.test(name)) continue;
      if (!isRecord(value)) addParams(out.params, "body", { [escapeSegment(name)]: value }, input.secrets);
      else for (const [inner, v] of Object.entries(value)) if (!SENSITIVE.test(inner) && !isRecord(v)) addParams(out.params, "body", { [`${escapeSegment(name)}/${escapeSegment(inner)}`]: v }, input.secrets);
    }
  }
  walk(input.body, "", 0, out, input.secrets);
  return out;
}
