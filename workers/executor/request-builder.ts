/**
 * RequestTemplate (+ base URL, variables, identities) → the concrete request the executor sends.
 *
 * Guarantees: no request leaves with a literal `{param}` or an unresolved `{{variable}}` of the
 * case in its URL; header names/values are ones fetch accepts; the body is serialised by its
 * content type and recorded as the exact text sent (multipart included, so curl can replay it).
 */
import type { RequestTemplate, TemplateValue } from "../model";
import { cookieHeader } from "./identity-credentials";
import { splitPointer } from "../jsonschema/pointer";

export type RequestBuildErrorReason =
  | "missing-variable" // a variable some step extracts has no value (precondition failed)
  | "unknown-identity"
  | "invalid-request"; // the template cannot become a faithful request

export class RequestBuildError extends Error {
  constructor(
    message: string,
    readonly reason: RequestBuildErrorReason,
    /** the identity an "unknown-identity" error names */
    readonly identity?: string,
  ) {
    super(message);
    this.name = "RequestBuildError";
  }
}

export interface BuildOptions {
  baseUrl: string;
  variables: Record<string, unknown>;
  /**
   * Names extracted by some step of the case. A reference to one of them without a value is an
   * error; a `{{name}}` that is neither known nor declared stays literal text (payloads such as
   * template-injection probes legitimately contain braces).
   */
  declaredVariables?: Iterable<string>;
  identities?: Record<string, Record<string, string>>;
  /** identity used when the template leaves `identity` undefined; else the first configured one */
  defaultIdentity?: string;
  /**
   * Where the chosen identity's credentials go for this request's operation (see
   * identity-credentials.ts): some headers may become query parameters or cookies. Values the
   * template sets itself win over them.
   */
  placeCredentials?: (identityHeaders: Record<string, string>) => { headers: Record<string, string>; query: Record<string, string>; cookies: Record<string, string> };
}

/** The template after `{{var}}` substitution, before serialisation: what checks reason about. */
export interface ResolvedTemplate {
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  body?: { contentType: string; value?: unknown; raw?: string; files?: string[] };
}

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** identity whose credentials were attached, null for none */
  identity: string | null;
  /** lower-case names of headers whose values came from the identity (credentials) */
  identityHeaderNames: string[];
  resolved: ResolvedTemplate;
}

const VARIABLE = /\{\{\s*([A-Za-z_$][\w$.-]*)\s*\}\}/g;
const WHOLE_VARIABLE = /^\{\{\s*([A-Za-z_$][\w$.-]*)\s*\}\}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** headers fetch manages itself or refuses; setting them would make the record lie */
const UNSETTABLE_HEADERS = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer"]);
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);
const UNSENDABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/** Substitutes `{{var}}` references in any template value (strings, arrays, objects). */
export function substituteVariables(value: TemplateValue, variables: Record<string, unknown>, declared: ReadonlySet<string> = new Set()): unknown {
  if (typeof value === "string") return substituteString(value, variables, declared);
  if (Array.isArray(value)) return value.map((item) => substituteVariables(item, variables, declared));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteVariables(item, variables, declared);
    return out;
  }
  return value;
}

function substituteString(text: string, variables: Record<string, unknown>, declared: ReadonlySet<string>): unknown {
  const whole = WHOLE_VARIABLE.exec(text);
  if (whole) {
    const name = whole[1];
    if (hasValue(variables, name)) return variables[name];
    if (declared.has(name)) throw missingVariable(name);
    return text;
  }
  return text.replace(VARIABLE, (match, name: string) => {
    if (hasValue(variables, name)) return stringify(variables[name]);
    if (declared.has(name)) throw missingVariable(name);
    return match;
  });
}

/**
 * The body with each member that names another resource set to the id its setup step created
 * (RequestTemplate.references), where the body still holds the planned value: a case that changed
 * or left out the member sends what it chose, and a setup that made nothing leaves the planned value.
 */
function bindReferences(value: unknown, references: unknown, variables: Record<string, unknown>): unknown {
  if (!Array.isArray(references) || value === null || typeof value !== "object") return value;
  for (const reference of references as unknown[]) {
    if (reference === null || typeof reference !== "object") continue;
    const { pointer, variable, planned } = reference as Record<string, unknown>;
    if (typeof pointer !== "string" || typeof variable !== "string" || !hasValue(variables, variable)) continue;
    const tokens = splitPointer(pointer);
    const last = tokens.pop();
    let parent: unknown = value;
    for (const token of tokens) parent = parent !== null && typeof parent === "object" ? (parent as Record<string, unknown>)[token] : undefined;
    if (last === undefined || parent === null || typeof parent !== "object" || !Object.prototype.hasOwnProperty.call(parent, last)) continue;
    const holder = parent as Record<string, unknown>;
    if (JSON.stringify(holder[last]) === JSON.stringify(planned)) holder[last] = variables[variable];
  }
  return value;
}

function hasValue(variables: Record<string, unknown>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined;
}

function missingVariable(name: string): RequestBuildError {
  return new RequestBuildError(`variable "${name}" has no value (an earlier extraction found nothing)`, "missing-variable");
}

function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return value === null ? "null" : "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Builds the concrete request. Throws RequestBuildError rather than send something unfaithful. */
export async function buildRequest(template: RequestTemplate, options: BuildOptions): Promise<BuiltRequest> {
  const given = options.declaredVariables;
  const declared: ReadonlySet<string> = given instanceof Set ? given : new Set(given ?? []);
  const vars = options.variables;
  const sub = (value: unknown) => substituteVariables(value, vars, declared);

  const method = String(template.method).toUpperCase();
  if (UNSENDABLE_METHODS.has(method)) throw new RequestBuildError(`fetch cannot send ${method} requests`, "invalid-request");

  const resolved: ResolvedTemplate = {
    pathParams: sub(template.pathParams ?? {}) as Record<string, unknown>,
    query: sub(template.query ?? {}) as Record<string, unknown>,
    headers: mapStrings(sub(template.headers ?? {}) as Record<string, unknown>),
    cookies: mapStrings(sub(template.cookies ?? {}) as Record<string, unknown>),
  };
  if (template.body) {
    resolved.body = { contentType: template.body.contentType, ...(template.body.files ? { files: template.body.files } : {}) };
    if (template.body.raw !== undefined) resolved.body.raw = stringify(sub(template.body.raw));
    else if (template.body.value !== undefined) resolved.body.value = bindReferences(sub(template.body.value), template.references, vars);
  }

  const { identity, headers: pickedHeaders } = pickIdentity(template, options);
  const removed = new Set((template.removeHeaders ?? []).map((name) => name.toLowerCase()));
  const kept = Object.fromEntries(Object.entries(pickedHeaders).filter(([name]) => !removed.has(name.toLowerCase())));
  const placed = identity !== null && options.placeCredentials ? options.placeCredentials(kept) : { headers: kept, query: {}, cookies: {} };
  const identityHeaders = placed.headers;
  const url = buildUrl(options.baseUrl, String(sub(template.path)), resolved.pathParams, { ...placed.query, ...resolved.query }, template.queryStyles ?? {});

  const headers = new HeaderBag();
  const identityHeaderNames: string[] = [];
  for (const [name, value] of Object.entries(identityHeaders)) {
    if (removed.has(name.toLowerCase())) continue;
    headers.set(name, value);
    identityHeaderNames.push(name.toLowerCase());
  }
  for (const [name, value] of Object.entries(resolved.headers)) {
    headers.set(name, value);
    const index = identityHeaderNames.indexOf(name.toLowerCase());
    if (index >= 0) identityHeaderNames.splice(index, 1); // the template's value is a probe, not the identity's secret
  }
  const cookie = cookieHeader({ ...placed.cookies, ...resolved.cookies });
  if (cookie) headers.set("Cookie", [headers.get("cookie"), cookie].filter(Boolean).join("; "));

  let body: string | undefined;
  if (resolved.body && (resolved.body.raw !== undefined || resolved.body.value !== undefined)) {
    if (BODYLESS_METHODS.has(method)) throw new RequestBuildError(`fetch cannot send a body with ${method}`, "invalid-request");
    const serialised = await serialiseBody(resolved.body);
    body = serialised.text;
    // a generated multipart boundary must win; otherwise an explicit template header wins
    if (serialised.contentType.startsWith("multipart/") && resolved.body.raw === undefined) headers.set("Content-Type", serialised.contentType);
    else if (!headers.get("content-type") && serialised.contentType) headers.set("Content-Type", serialised.contentType);
  }

  const finalHeaders = headers.toRecord();
  for (const [name, value] of Object.entries(finalHeaders)) validateHeader(name, value);
  return { method, url, headers: finalHeaders, body, identity, identityHeaderNames, resolved };
}

function mapStrings(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = stringify(value);
  return out;
}

function pickIdentity(template: RequestTemplate, options: BuildOptions): { identity: string | null; headers: Record<string, string> } {
  const identities = options.identities ?? {};
  if (template.identity === null) return { identity: null, headers: {} };
  const name = template.identity ?? options.defaultIdentity ?? Object.keys(identities)[0];
  if (name === undefined) return { identity: null, headers: {} };
  const headers = identities[name];
  if (!headers) throw new RequestBuildError(`identity "${name}" is not configured`, "unknown-identity", name);
  return { identity: name, headers };
}

// ---------- URL ----------

function buildUrl(baseUrl: string, path: string, pathParams: Record<string, unknown>, query: Record<string, unknown>, styles: NonNullable<RequestTemplate["queryStyles"]>): string {
  const filled = path.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(pathParams, name) || pathParams[name] === undefined) {
      throw new RequestBuildError(`path parameter {${name}} in ${path} has no value`, "invalid-request");
    }
    return encodePathValue(name, pathParams[name]);
  });
  const leftover = /\{[^}]*\}|\{\{|\}\}/.exec(filled);
  if (leftover) throw new RequestBuildError(`unfilled placeholder "${leftover[0]}" in path ${path}`, "invalid-request");

  let url: URL;
  if (/^https?:\/\//i.test(filled)) {
    // absolute URLs come from Location headers; never leave the target's origin
    url = new URL(filled);
    if (url.origin !== new URL(baseUrl).origin) throw new RequestBuildError(`refusing to send to ${url.origin}: not the target ${new URL(baseUrl).origin}`, "invalid-request");
  } else {
    url = new URL(baseUrl.replace(/\/+$/, "") + (filled.startsWith("/") ? filled : `/${filled}`));
  }
  if (url.search !== "") {
    for (const [name, value] of Object.entries(query)) appendQuery(url.searchParams, name, value, styles[name]);
    return url.toString();
  }
  // the query serialised once, not again after every parameter as url.searchParams does: the same
  // text (form encoding leaves nothing the URL's query setter would encode)
  const params = new URLSearchParams();
  for (const name in query) appendQuery(params, name, query[name], styles[name]);
  const search = params.toString();
  if (search !== "") url.search = search;
  return url.toString();
}

function encodePathValue(name: string, value: unknown): string {
  const text = Array.isArray(value)
    ? value.map(stringify).join(",")
    : value !== null && typeof value === "object"
      ? Object.entries(value).flatMap(([k, v]) => [k, stringify(v)]).join(",")
      : stringify(value);
  // an empty or dot-segment value would silently route the request to another resource
  if (text === "") throw new RequestBuildError(`path parameter {${name}} is empty: the request would hit a different route`, "invalid-request");
  if (text === "." || text === "..") throw new RequestBuildError(`path parameter {${name}} is "${text}": URL normalisation would remove it`, "invalid-request");
  return encodeURIComponent(text);
}

const DELIMITERS: Record<string, string> = { form: ",", spaceDelimited: " ", pipeDelimited: "|" };
const JSON_MEDIA = /json/i;

/** OpenAPI query serialisation: form/explode by default, else the parameter's style. */
function appendQuery(params: URLSearchParams, name: string, value: unknown, serialisation?: { style?: string; explode?: boolean; contentType?: string }): void {
  if (value === undefined) return;
  // a parameter described by a JSON `content`: its value's JSON text under its own name
  if (serialisation?.contentType !== undefined && JSON_MEDIA.test(serialisation.contentType)) {
    params.append(name, JSON.stringify(value));
    return;
  }
  const style = serialisation?.style ?? "form";
  const explode = serialisation?.explode ?? style === "form";
  if (style === "deepObject" && value !== null && typeof value === "object") {
    appendBracketed(name, value, (k, v) => params.append(k, v));
    return;
  }
  if (!explode && DELIMITERS[style] !== undefined && value !== null && typeof value === "object") {
    const items = Array.isArray(value) ? value : Object.entries(value).flat();
    params.append(name, items.map((item) => (item === null ? "" : stringify(item))).join(DELIMITERS[style]));
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) params.append(name, item === null ? "" : stringify(item));
  } else if (value !== null && typeof value === "object") {
    // form style, explode: each property becomes its own key
    for (const [key, item] of Object.entries(value)) if (item !== undefined) params.append(key, item === null ? "" : stringify(item));
  } else {
    params.append(name, value === null ? "" : stringify(value));
  }
}

// ---------- headers ----------

class HeaderBag {
  private readonly entries = new Map<string, { name: string; value: string }>();
  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), { name, value });
  }
  get(lowerName: string): string | undefined {
    return this.entries.get(lowerName)?.value;
  }
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.entries.values()) out[name] = value;
    return out;
  }
}

function validateHeader(name: string, value: string): void {
  if (!HEADER_NAME.test(name)) throw new RequestBuildError(`header name ${JSON.stringify(name)} is not a valid HTTP token`, "invalid-request");
  if (UNSETTABLE_HEADERS.has(name.toLowerCase())) throw new RequestBuildError(`header ${name} is managed by fetch and cannot be set`, "invalid-request");
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 0xff) {
      throw new RequestBuildError(`header ${name} has a character fetch cannot send (code ${code})`, "invalid-request");
    }
  }
}

// ---------- body ----------

function mediaType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

export function isJsonMediaType(contentType: string): boolean {
  const type = mediaType(contentType);
  return type === "application/json" || type.endsWith("+json") || type === "text/json";
}

async function serialiseBody(body: { contentType: string; value?: unknown; raw?: string; files?: string[] }): Promise<{ text: string; contentType: string }> {
  const contentType = body.contentType;
  if (body.raw !== undefined) return { text: body.raw, contentType };
  const value = body.value;
  const type = mediaType(contentType);
  if (isJsonMediaType(contentType)) return { text: JSON.stringify(value) ?? "null", contentType };
  if (type === "application/x-www-form-urlencoded") {
    if (!isPlainObject(value)) return { text: stringify(value), contentType };
    const params = new URLSearchParams();
    for (const [name, item] of Object.entries(value)) appendFormValue(name, item, (k, v) => params.append(k, v));
    return { text: params.toString(), contentType };
  }
  if (type === "multipart/form-data") {
    if (!isPlainObject(value)) return { text: stringify(value), contentType };
    const form = new FormData();
    const files = new Set(body.files ?? []);
    for (const [name, item] of Object.entries(value)) {
      // a binary part is a file upload: a name of its own (never the part's text, which probes vary) and octet-stream
      if (files.has(name) && typeof item === "string") form.append(name, new Blob([item], { type: "application/octet-stream" }), `sentinel-${name.replace(/[^\w.-]/g, "_")}.bin`);
      else appendFormValue(name, item, (k, v) => form.append(k, v), "json");
    }
    // serialising through Response yields the exact bytes and boundary fetch would send
    const response = new Response(form);
    return { text: await response.text(), contentType: response.headers.get("content-type") ?? contentType };
  }
  return { text: stringify(value), contentType };
}

/**
 * Form fields: arrays of scalars as repeated keys (form, explode). Nested values: bracket notation
 * in urlencoded bodies, JSON text in multipart parts (OpenAPI's default for object parts).
 */
function appendFormValue(name: string, value: unknown, append: (name: string, value: string) => void, nested: "brackets" | "json" = "brackets"): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== "object")) for (const item of value) append(name, item === null ? "" : stringify(item));
  else if (value !== null && typeof value === "object") {
    if (nested === "json") append(name, stringify(value));
    else appendBracketed(name, value, append);
  }
  else append(name, value === null ? "" : stringify(value));
}

/** name[key][0]=v: the deepObject / bracket convention (Rails, PHP, Stripe) for nested values. */
function appendBracketed(prefix: string, value: unknown, append: (name: string, value: string) => void, depth = 0): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || depth > 16) {
    append(prefix, value === null ? "" : stringify(value));
    return;
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
  for (const [key, item] of entries) appendBracketed(`${prefix}[${key}]`, item, append, depth + 1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
