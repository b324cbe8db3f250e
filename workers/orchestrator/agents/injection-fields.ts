/**
 * The inputs an injection probe replaces, and the requests around them: a field's location and
 * name (JSON pointer tokens in a body), the base request for probing it, and the request with it
 * set to a text. Shared by the signature payloads (security-injection.ts) and the differential
 * pairs (injection-pairs.ts).
 */
import type { JsonSchema, Operation, Parameter, RequestTemplate } from "../../model";
import { cloneJsonWith } from "../../shared/json-clone";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { generateValid } from "../generate/data-mocking";
import { Rng } from "../generate/random";
import { copy, isJsonMedia, settableParams, type AgentEnv, type BuiltRequest } from "./requests";
import { querySerialisation } from "./parameters";

export interface Field {
  location: "query" | "path" | "header" | "body";
  /** pattern or format the server may enforce: tried after the free-form fields */
  constrained?: boolean;
  /** parameter name, or JSON pointer tokens for body fields */
  name: string;
  /** body: the pointer tokens; query: the member of an object-valued parameter (`filter[label]`) */
  tokens?: string[];
  format?: string;
}

export function setBodyValue(root: unknown, tokens: string[], value: unknown): unknown {
  const out = copy(root) as Record<string, unknown>;
  let node: Record<string, unknown> = out;
  for (const token of tokens.slice(0, -1)) node = node[token] as Record<string, unknown>;
  node[tokens[tokens.length - 1]] = value;
  return out;
}

export function locationLabel(field: Field): string {
  if (field.location === "body") return `body.${(field.tokens ?? []).join(".")}`;
  return `${field.location}.${field.name}${field.location === "query" && field.tokens ? field.tokens.map((t) => `[${t}]`).join("") : ""}`;
}

/**
 * The scalar members of an object-valued query parameter (`filter[label]`, `page[size]` of a
 * deepObject, or the keys of an exploded form object): each is an input of its own, sent as the
 * parameter's style says (the executor serialises the object).
 */
export function queryMembers(env: AgentEnv, param: Parameter): { tokens: string[]; schema: JsonSchema }[] {
  const flat = flattenAllOf(param.schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties as Record<string, JsonSchema>).map(([key, schema]) => ({ tokens: [key], schema }));
}

/** The query parameter a member field belongs to, with the parameter's style kept for the executor. */
function withQueryMember(op: Operation, request: BuiltRequest["request"], field: Field, value: unknown): void {
  const current = request.query[field.name];
  request.query[field.name] = setBodyValue(isObject(current) ? current : {}, field.tokens!, value);
  const param = op.parameters.find((p) => p.in === "query" && p.name === field.name);
  const serialisation = param ? querySerialisation(param) : undefined;
  if (serialisation && !request.queryStyles?.[field.name]) request.queryStyles = { ...(request.queryStyles ?? {}), [field.name]: serialisation };
}

/**
 * The base for one field: the required parts plus that field only. Any other optional value (an
 * invalid cursor, a filter that matches nothing) could spoil every probe of the field.
 */
export function fieldBase(env: AgentEnv, op: Operation, full: BuiltRequest, field: Field): BuiltRequest {
  const required = new Set(settableParams(env, op).filter((p) => p.required).map((p) => `${p.in}:${p.name}`));
  // the trimmed body is copied alone: the full one (every optional part) is not copied to be cut
  const trimmedBody = trimmedBodyFor(env, full, field);
  const request = trimmedBody ? cloneJsonWith(full.request, { body: trimmedBody }) : copy(full.request);
  const keep = (where: string, name: string) => required.has(`${where}:${name}`) || (field.location === where && field.name === name);
  request.query = Object.fromEntries(Object.entries(request.query).filter(([name]) => keep("query", name)));
  if (field.location === "query" && field.tokens) {
    // the member alone in its object (other members would narrow what a payload widens), valid
    const member = queryMembers(env, op.parameters.find((p) => p.in === "query" && p.name === field.name)!).find((m) => m.tokens.join("/") === field.tokens!.join("/"));
    const current = fieldValue({ ...full, request }, field);
    const value = typeof current === "string" || typeof current === "number" ? current : member ? generateValid(member.schema, { schemas: env.model.schemas, rng: new Rng(1), mode: "request", useExamples: true, name: field.tokens[field.tokens.length - 1] }) : "sentinel";
    request.query[field.name] = {};
    withQueryMember(op, request, field, value);
  }
  request.headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => keep("header", name)));
  return { ...full, request };
}

/** A field base's body: the required properties and the field's own, when that is valid (a fresh copy); else undefined (the body as built). */
function trimmedBodyFor(env: AgentEnv, full: BuiltRequest, field: Field): RequestTemplate["body"] {
  const sent = full.request.body?.value;
  // (what a copy of the request would hold: a value that writes itself as JSON is copied first)
  const value = isObject(sent) && typeof sent.toJSON === "function" ? copy(sent) : sent;
  // JSON bodies only: a form body trimmed to nothing is no body at all
  if (!full.body || !isObject(value) || !isJsonMedia(full.body.media.contentType)) return undefined;
  const flat = flattenAllOf(full.body.schema, env.model.schemas);
  const props = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const trimmed = copy(Object.fromEntries(Object.entries(value).filter(([key]) => props.has(key) || (field.location === "body" && field.tokens?.[0] === key))));
  return env.validator.check(trimmed, full.body.schema) === "valid" ? { contentType: full.request.body!.contentType, value: trimmed } : undefined;
}

export function fieldValue(base: BuiltRequest, field: Field): unknown {
  if (field.location === "path") return base.request.pathParams[field.name];
  if (field.location === "query") {
    const value = base.request.query[field.name];
    return field.tokens ? field.tokens.reduce<unknown>((node, token) => (isObject(node) ? node[token] : undefined), value) : value;
  }
  if (field.location === "header") return base.request.headers[field.name];
  let node: unknown = base.request.body?.value;
  for (const token of field.tokens ?? []) node = isObject(node) ? node[token] : Array.isArray(node) ? node[Number(token)] : undefined;
  return node;
}

export function withField(base: BuiltRequest, field: Field, text: string) {
  if (field.location === "body") return withBodyValue(base.request, field.tokens!, text);
  const request = copy(base.request);
  if (field.location === "path") request.pathParams[field.name] = text;
  else if (field.location === "query" && field.tokens) request.query[field.name] = setBodyValue(isObject(request.query[field.name]) ? request.query[field.name] : {}, field.tokens, text);
  else if (field.location === "query") request.query[field.name] = text;
  else if (field.location === "header") request.headers[field.name] = text;
  else if (request.body) request.body = { contentType: request.body.contentType, value: setBodyValue(request.body.value, field.tokens!, text) };
  return request;
}

/** A copy of `request` with the body member at `tokens` set to `value`, the old body not copied first (setBodyValue copies it). */
export function withBodyValue(request: RequestTemplate, tokens: string[], value: unknown): RequestTemplate {
  const body = request.body;
  return body ? cloneJsonWith(request, { body: { contentType: body.contentType, value: setBodyValue(body.value, tokens, value) } }) : copy(request);
}
