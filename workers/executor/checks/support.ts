/** Small helpers shared by the check families: statuses, media types, JSON, $ref, steps, security. */
import type { ApiModel, JsonSchema, Operation, ReceivedResponse, ResponseSpec } from "../../model";
import type { CheckContext, StepRecord } from "./types";
import { followRef } from "../../jsonschema/refs";

// ---------- statuses ----------

export const isSuccess = (status: number) => status >= 200 && status < 300;
export const isRedirect = (status: number) => status >= 300 && status < 400;
export const isClientError = (status: number) => status >= 400 && status < 500;
export const isServerError = (status: number) => status >= 500 && status < 600;

/** Does a documented status key ("200", "2XX", "default") cover `status`? "default" is not matched here. */
export function statusKeyMatches(key: string, status: number): boolean {
  const code = String(status);
  const normalised = key.trim().toUpperCase();
  if (!/^[1-5][0-9X]{2}$/.test(normalised)) return false;
  return [...normalised].every((ch, i) => ch === "X" || ch === code[i]);
}

/** The response documented for a status: exact code first, then range (4XX), then default. */
export function findResponseSpec(operation: Operation, status: number): ResponseSpec | undefined {
  const exact = operation.responses.find((r) => r.status.trim() === String(status));
  if (exact) return exact;
  const range = operation.responses.find((r) => /X/i.test(r.status) && statusKeyMatches(r.status, status));
  if (range) return range;
  return operation.responses.find((r) => r.status.trim().toLowerCase() === "default");
}

// ---------- operations ----------

export function findOperation(model: ApiModel, method: string, path: string): Operation | undefined {
  return indexOf(model.operations).byRoute.get(`${method.toLowerCase()} ${path}`);
}

/** The operation with this operationId (the first, as a scan would find it). */
export function operationById(model: ApiModel, operationId: string): Operation | undefined {
  return indexOf(model.operations).byId.get(operationId);
}

interface OperationIndex {
  size: number;
  byRoute: Map<string, Operation>;
  byId: Map<string, Operation>;
}

/**
 * Operations by route and by id, built once per operation list: a run looks operations up several
 * times per request (building, sending, judging, reporting it). A list that grew or shrank since
 * (built up in place) is indexed again; the first of equal keys wins, as in a scan.
 */
const operationIndexes = new WeakMap<readonly Operation[], OperationIndex>();
function indexOf(operations: readonly Operation[]): OperationIndex {
  const known = operationIndexes.get(operations);
  if (known && known.size === operations.length) return known;
  const index: OperationIndex = { size: operations.length, byRoute: new Map(), byId: new Map() };
  for (const op of operations) {
    const route = `${op.method} ${op.path}`;
    if (!index.byRoute.has(route)) index.byRoute.set(route, op);
    if (!index.byId.has(op.operationId)) index.byId.set(op.operationId, op);
  }
  operationIndexes.set(operations, index);
  return index;
}

/** A step path that is a whole URL the API handed out (`{{location}}`, a link), not a spec path. */
export function isHandedOutPath(path: string): boolean {
  return /^\{\{\s*[\w$.-]+\s*\}\}$/.test(path.trim());
}

/**
 * The documented operation a URL addresses (a Location or link the API handed out): the URL's path
 * below the target's base path, matched segment by segment against each template of the method, a
 * `{name}` standing for one non-empty segment (or part of one). The template with the most literal
 * segments wins (`/tokens/validate` before `/tokens/{token}`). Undefined for another origin or when
 * no template matches.
 */
export function operationAddressed(model: ApiModel, method: string, url: string, baseUrl: string): Operation | undefined {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (target.origin !== base.origin) return undefined;
  const prefix = base.pathname.replace(/\/+$/, "");
  if (prefix !== "" && target.pathname !== prefix && !target.pathname.startsWith(`${prefix}/`)) return undefined;
  const segments = pathSegments(target.pathname.slice(prefix.length)).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const m = method.toLowerCase();
  let best: { op: Operation; literals: number } | undefined;
  for (const op of model.operations) {
    if (op.method !== m) continue;
    const template = pathSegments(op.path);
    if (template.length !== segments.length) continue;
    if (!template.every((t, i) => (t.includes("{") ? segmentPattern(t).test(segments[i]) : t === segments[i]))) continue;
    const literals = template.filter((t) => !t.includes("{")).length;
    if (best === undefined || literals > best.literals) best = { op, literals };
  }
  return best?.op;
}

function pathSegments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** `{id}` → one non-empty segment; `{name}.json` → the literal parts kept. */
function segmentPattern(template: string): RegExp {
  const source = template
    .split(/\{[^{}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${source}$`);
}

export function operationsOnPath(model: ApiModel, path: string): Operation[] {
  return model.operations.filter((op) => op.path === path);
}

export function operationLabel(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

// ---------- headers & media types ----------

export function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export interface MediaTypeParts {
  type: string;
  subtype: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseMediaType(value: string): MediaTypeParts | undefined {
  const essence = value.split(";")[0].trim().toLowerCase();
  const [type, subtype, extra] = essence.split("/");
  if (extra !== undefined || !type || !subtype || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  return { type, subtype };
}

/** `documented` may use wildcards (`*\/*`, `application/*`); parameters are ignored on both sides. */
export function mediaTypeMatches(documented: string, received: string): boolean {
  const d = parseMediaType(documented);
  const r = parseMediaType(received);
  if (!d || !r) return false;
  return (d.type === "*" || d.type === r.type) && (d.subtype === "*" || d.subtype === r.subtype);
}

export function isJsonMediaType(value: string): boolean {
  const parts = parseMediaType(value);
  if (!parts) return false;
  return (parts.type === "application" && parts.subtype === "json") || parts.subtype.endsWith("+json") || (parts.type === "text" && parts.subtype === "json");
}

// ---------- JSON ----------

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

const parseCache = new WeakMap<ReceivedResponse, JsonParse>();

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The response body as JSON, parsed once per response. */
export function responseJson(response: ReceivedResponse): JsonParse {
  let parsed = parseCache.get(response);
  if (!parsed) {
    parsed = response.body.trim() === "" ? { ok: false, error: "empty body" } : parseJson(response.body);
    parseCache.set(response, parsed);
  }
  return parsed;
}

export function jsonValue(response: ReceivedResponse | undefined): unknown {
  if (!response) return undefined;
  const parsed = responseJson(response);
  return parsed.ok ? parsed.value : undefined;
}

/** RFC 6901 pointer lookup; "" is the whole document. undefined when absent. */
export function getByPointer(document: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "#") return document;
  const path = pointer.startsWith("#") ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (!path.startsWith("/")) return getByPointer(document, "/" + path);
  let current: unknown = document;
  for (const raw of path.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === "object") {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((item, i) => deepEqual(item, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---------- schemas ----------

/** Follows `$ref`s to model.schemas (cycle-safe). Returns the schema itself when it has none. */
export function resolveSchema(model: ApiModel, schema: JsonSchema | undefined): JsonSchema | undefined {
  return schema === undefined ? undefined : followRef(schema, model.schemas);
}

export interface ObjectShape {
  /** property name → its (unresolved) schema */
  properties: Record<string, JsonSchema>;
  /** true when undocumented properties are forbidden (additionalProperties/unevaluatedProperties false) */
  closed: boolean;
  /** patternProperties / additionalProperties schemas make any name documented */
  open: boolean;
}

/** Merges properties across allOf/anyOf/oneOf so a property documented in any branch counts. */
export function objectShape(model: ApiModel, schema: JsonSchema | undefined, depth = 0): ObjectShape {
  const shape: ObjectShape = { properties: {}, closed: false, open: false };
  const resolved = resolveSchema(model, schema);
  if (!resolved || typeof resolved !== "object" || depth > 20) {
    shape.open = resolved !== false;
    return shape;
  }
  if (isPlainObject(resolved.properties)) Object.assign(shape.properties, resolved.properties);
  if (isPlainObject(resolved.patternProperties) && Object.keys(resolved.patternProperties).length > 0) shape.open = true;
  const additional = resolved.additionalProperties;
  if (additional === false || resolved.unevaluatedProperties === false) shape.closed = true;
  else if (additional !== undefined && additional !== true) shape.open = true;
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    const branches = resolved[keyword];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const sub = objectShape(model, branch as JsonSchema, depth + 1);
      // a property several branches declare differently admits each of their schemas
      for (const [name, schema] of Object.entries(sub.properties)) {
        const existing = shape.properties[name];
        shape.properties[name] = existing === undefined || existing === schema ? schema : keyword === "allOf" ? { allOf: [existing, schema] } : { anyOf: [existing, schema] };
      }
      shape.open ||= sub.open;
      if (keyword === "allOf") shape.closed ||= sub.closed;
    }
  }
  // a closed schema with pattern/additional schemas still admits those names
  if (shape.open) shape.closed = false;
  return shape;
}

/** The schema documented for a response with this status and content type. */
export function responseSchemaFor(operation: Operation, response: ReceivedResponse): { spec?: ResponseSpec; schema?: JsonSchema; contentType?: string } {
  const spec = findResponseSpec(operation, response.status);
  if (!spec) return {};
  const received = header(response.headers, "content-type") ?? "";
  const media =
    spec.content.find((m) => received && mediaTypeMatches(m.contentType, received)) ??
    (spec.content.length === 1 ? spec.content[0] : spec.content.find((m) => isJsonMediaType(m.contentType)));
  return { spec, schema: media?.schema, contentType: media?.contentType };
}

// ---------- steps & params ----------

export function paramString(ctx: CheckContext, name: string): string | undefined {
  const value = ctx.params[name];
  return typeof value === "string" ? value : undefined;
}

export function paramNumber(ctx: CheckContext, name: string): number | undefined {
  const value = ctx.params[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function stepRecord(ctx: CheckContext, id: string | undefined): StepRecord | undefined {
  return id === undefined ? undefined : ctx.steps[id];
}

/** The most recent executed step before the current one matching `predicate`. */
export function previousStep(ctx: CheckContext, predicate: (record: StepRecord) => boolean): StepRecord | undefined {
  const index = ctx.order.indexOf(ctx.step.id);
  for (let i = (index < 0 ? ctx.order.length : index) - 1; i >= 0; i--) {
    const record = ctx.steps[ctx.order[i]];
    if (record && predicate(record)) return record;
  }
  return undefined;
}

/** Step ids executed strictly between `fromId` and the current step. */
export function stepsBetween(ctx: CheckContext, fromId: string): StepRecord[] {
  const start = ctx.order.indexOf(fromId);
  const end = ctx.order.indexOf(ctx.step.id);
  if (start < 0 || end < 0) return [];
  return ctx.order.slice(start + 1, end).map((id) => ctx.steps[id]).filter(Boolean);
}

// ---------- security ----------

/** Secured = at least one requirement and none of the alternatives is `{}` (anonymous allowed). */
export function requiresAuth(operation: Operation | undefined): boolean {
  if (!operation || operation.security.length === 0) return false;
  return !operation.security.some((alternative) => Object.keys(alternative).length === 0);
}

export interface CredentialLocation {
  in: "header" | "query" | "cookie";
  name: string;
}

/** Where the operation's security schemes put credentials (Authorization for http schemes). */
export function credentialLocations(model: ApiModel, operation: Operation): CredentialLocation[] {
  const out: CredentialLocation[] = [];
  for (const alternative of operation.security) {
    for (const schemeName of Object.keys(alternative)) {
      const scheme = model.securitySchemes[schemeName];
      if (!scheme) continue;
      if (scheme.type === "apiKey" && scheme.in && scheme.paramName) out.push({ in: scheme.in, name: scheme.paramName });
      else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") out.push({ in: "header", name: "Authorization" });
    }
  }
  return out;
}

/** Login/token endpoints legitimately answer 400/401/422 to well-formed but unknown credentials. */
export function grantsCredentials(path: string): boolean {
  return /(^|\/)(login|logon|signin|sign-in|sign_in|token|tokens|oauth2?|auth|authenticate|session|sessions)(\/|$|\.)/i.test(path);
}

export function truncate(text: string, max = 120): string {
  const single = text.replace(/\s+/g, " ").trim();
  return single.length > max ? single.slice(0, max - 1) + "…" : single;
}

/**
 * Where a listing keeps its results: the body itself when it is an array, else the one array-valued
 * property of a wrapper ({ items: [...], total }), or the conventional name when there are several.
 */
export function resultsKey(body: unknown): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const arrays = Object.entries(body).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
  if (arrays.length === 1) return arrays[0];
  return arrays.find((k) => /^(items|data|results|records|entries|hits|rows|content|list)$/i.test(k));
}

/**
 * The results array of a listing (see resultsKey), or undefined when the body holds none. A HAL
 * listing keeps its page one level down, in `_embedded` (`{ _embedded: { orders: [...] }, total }`).
 */
export function listResults(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  const key = resultsKey(body);
  if (key === undefined) {
    const embedded = isPlainObject(body) ? body._embedded : undefined;
    const inner = isPlainObject(embedded) ? resultsKey(embedded) : undefined;
    return inner === undefined ? undefined : ((embedded as Record<string, unknown>)[inner] as unknown[]);
  }
  const list = (body as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : undefined;
}

const TOTAL_KEY = /^(total|count|total_?count|total_?items|total_?results|total_?size|total_?elements|num_?found|num_?results)$/i;
const MORE_KEY = /^(next|next_?page|next_?cursor|next_?page_?token|next_?link|has_?more|has_?next|has_?next_?page)$/i;

/** The number of matching records a listing wrapper reports besides its page ({ items, total }). */
export function listingTotal(body: unknown): number | undefined {
  const key = resultsKey(body) ?? "_embedded";
  const list = listResults(body);
  if (!list || !isPlainObject(body)) return undefined;
  const total = Object.entries(body).find(([k, v]) => k !== key && TOTAL_KEY.test(k) && typeof v === "number" && Number.isInteger(v) && v >= list.length);
  return total ? (total[1] as number) : undefined;
}

/**
 * Whether a listing answered with everything it holds for the caller ("complete"), or only a
 * page of more ("truncated": a full page of `pageSize`, a reported total above the page, a next
 * link or cursor, `hasMore`), or cannot tell. An answer without a body (204) is complete and empty.
 */
export function listingExtent(response: ReceivedResponse | undefined, pageSize?: number): "complete" | "truncated" | "unknown" {
  if (!response || !isSuccess(response.status)) return "unknown";
  if (response.status === 204 || response.body.trim() === "") return "complete";
  const body = jsonValue(response);
  const list = listResults(body);
  if (!list) return "unknown";
  const total = listingTotal(body);
  const more = isPlainObject(body) && Object.entries(body).some(([k, v]) => MORE_KEY.test(k) && v !== null && v !== false && v !== "");
  const linkNext = /rel="?next"?/i.test(header(response.headers, "link") ?? "");
  if ((pageSize !== undefined && list.length >= pageSize) || (total !== undefined && total > list.length) || more || linkNext) return "truncated";
  if ((pageSize !== undefined && list.length < pageSize) || total === list.length) return "complete";
  return "unknown";
}

/** The identity of a listed record: its id-like field, else the whole record. */
export function recordIdentity(item: unknown): string {
  if (isPlainObject(item)) {
    const key = Object.keys(item).find((k) => /^(id|uuid|key|slug|sku|code|name|number)$/i.test(k) || /(Id|_id|Key|_key)$/.test(k));
    if (key !== undefined && (typeof item[key] === "string" || typeof item[key] === "number")) return `${key}=${String(item[key])}`;
  }
  return JSON.stringify(item);
}
