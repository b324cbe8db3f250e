/**
 * A spec-faithful mock target generated from any ApiModel (Node, node:http). It behaves the way
 * a correct implementation of the spec would, so every finding Sentinel raises against it is a
 * false alarm (or a place where this mock is unfaithful):
 *
 *  - routing: the most specific path template wins (fewest parameters, then most literal text);
 *    an undeclared method on a known path → 405 with Allow (HEAD follows GET, OPTIONS → 204);
 *    an unknown path → 404 problem+json;
 *  - security: an operation that requires credentials (non-empty security, no `{}` alternative)
 *    is served only when one alternative is fully satisfied by a configured identity's exact
 *    credential at the place its scheme names (header / cookie; query keys cannot be configured
 *    as identity headers, so they never match) → else 401. Operations Sentinel treats as
 *    privileged (the agents' isPrivileged) are refused with 403 to every identity but the first;
 *  - validation: path/query/header/cookie parameters (coerced from text by their schema and
 *    style, deepObject included) and the body (JSON, form, multipart; other media accepted as
 *    is) are validated with @cfworker/json-schema through workers/jsonschema/validate.ts in
 *    request view (readOnly properties allowed, not required, and never stored). Invalid → 400,
 *    or 422 when the operation documents 422 but not 400; an undeclared Content-Type → 415;
 *    malformed JSON → 400. A spec that documents no 4xx still gets 400: real servers do that,
 *    and Sentinel judges rejections of invalid data with negative_data_rejection (any 4xx) while
 *    status_code_conformance only runs on requests the agents hold valid — where a 400 is a
 *    disagreement worth seeing;
 *  - answers: the first documented 2xx (else 3xx, else `default` as 200), its documented media
 *    type, documented headers with generated values, and a body from Sentinel's own generateValid
 *    (retried until the executor's validator accepts it). Error statuses answer with their
 *    documented body when there is one, else application/problem+json;
 *  - light state: a successful create (POST, or PUT on an unknown item) stores the resource
 *    under its collection, with unique values for its id-like properties (and under a key the client chose in the body: requestKeyProperty;
 *    and under a literal collection whose items Sentinel's producer rule says it creates: `/items` for `POST /orders/{id}/items`); later requests on
 *    `collection/{id}` find it, see the fields written to it (writable, declared properties
 *    only), get 404 after a DELETE and 404/403 when another identity owns it. A path parameter
 *    value that names no stored resource → 404 when the operation documents 404, else answered.
 *    Bodies are generated from a seed per (operation, status), so equal requests get equal
 *    answers (idempotent PUTs, server defaults that do not depend on the request).
 */
import http from "node:http";
import type { ApiModel, JsonSchema, MediaType, Operation, Parameter, ResponseSpec, SecurityScheme } from "../../workers/model";
import { validateSchema } from "../../workers/jsonschema/validate";
import { findResponseSpec, isJsonMediaType, mediaTypeMatches, requiresAuth } from "../../workers/executor/checks/support";
import { generateValid } from "../../workers/orchestrator/generate/data-mocking";
import { requestKeyProperty, ResourceGraph } from "../../workers/orchestrator/agents/resources";
import { deriveSeed, Rng } from "../../workers/orchestrator/generate/random";
import { admittedTypes, flattenAllOf, resolve } from "../../workers/jsonschema/shape";
import { isIdLikeName } from "../../workers/orchestrator/agents/names";
import { isObject } from "../../workers/jsonschema/types";
import { isPrivileged } from "../../workers/orchestrator/agents/security-auth";
import { listenLoopback } from "../loopback-server";

export interface MockIdentity {
  name: string;
  /** header name → value, exactly as the identity sends them (Cookie included) */
  headers: Record<string, string>;
}

export interface SpecMockOptions {
  model: ApiModel;
  identities: MockIdentity[];
  seed?: number;
}

export interface MockLogEntry {
  method: string;
  path: string;
  status: number;
  /** why the mock answered that way (route, auth, validation message, state) */
  reason: string;
  /** the request body as text (debugging) */
  body: string;
}

export interface SpecMock {
  url: string;
  log: MockLogEntry[];
  /** bodies generateValid produced that the validator still rejected (mock unfaithfulness) */
  invalidGenerated: string[];
  close(): Promise<void>;
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  literal: number;
  ops: Operation[];
}

interface Resource {
  owner: string | null;
  state: Record<string, unknown>;
  deleted: boolean;
  keys: string[];
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface Caller {
  identity: string | null;
}

/** OpenAPI ignores the first three; HTTP clients manage the others (fetch sets Content-Length only with a body) */
const IGNORED_HEADER_PARAMS = new Set(["accept", "content-type", "authorization", "content-length", "host", "connection", "transfer-encoding", "expect"]);
const ID_LIKE_EXTRA = /^(name|slug|key|code|login|username|handle)$/i;

export async function startSpecMock(options: SpecMockOptions): Promise<SpecMock> {
  const mock = new SpecMockHandler(options);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
      mock
        .handle(req.method ?? "GET", req.url ?? "/", headers, Buffer.concat(chunks))
        .catch((error: unknown): Answer => ({ status: 500, headers: { "content-type": "text/plain" }, body: `mock crashed: ${error instanceof Error ? error.stack : String(error)}` }))
        .then((answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(req.method === "HEAD" ? undefined : answer.body);
        });
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url, log: mock.log, invalidGenerated: mock.invalidGenerated, close };
}

export class SpecMockHandler {
  readonly log: MockLogEntry[] = [];
  readonly invalidGenerated: string[] = [];
  private readonly model: ApiModel;
  private graph: ResourceGraph | undefined;
  private readonly identities: MockIdentity[];
  private readonly seed: number;
  private readonly routes: Route[];
  private readonly resources = new Map<string, Resource>();
  private readonly bodies = new Map<string, unknown>();
  private counter = 0;

  constructor(options: SpecMockOptions) {
    this.model = options.model;
    this.identities = options.identities;
    this.seed = options.seed ?? 1;
    const byPath = new Map<string, Operation[]>();
    // a template may carry a fixed query ("/responses/{id}?beta=true"): routed by its path part
    for (const op of this.model.operations) {
      const key = op.path.split("?")[0];
      byPath.set(key, [...(byPath.get(key) ?? []), op]);
    }
    this.routes = [...byPath].map(([template, ops]) => compileRoute(template, ops));
    // most specific first: fewer parameters, then more literal characters
    this.routes.sort((a, b) => a.names.length - b.names.length || b.literal - a.literal);
  }

  async handle(method: string, rawUrl: string, headers: Record<string, string>, body: Uint8Array): Promise<Answer> {
    const url = new URL(rawUrl, "http://mock.invalid");
    const path = url.pathname;
    const note = (answer: Answer, reason: string) => {
      this.log.push({ method, path: rawUrl, status: answer.status, reason, body: new TextDecoder().decode(body) });
      return answer;
    };
    const match = this.route(path);
    if (!match) return note(problem(404, "Not Found", `no path of the spec matches ${path}`), "no route");
    const { route, values } = match;
    const upper = method.toUpperCase();
    const fixedQuery = (o: Operation) => [...new URLSearchParams(o.path.split("?")[1] ?? "")];
    const candidates = route.ops.filter((o) => o.method.toUpperCase() === upper);
    let op: Operation | undefined = candidates.find((o) => fixedQuery(o).length > 0 && fixedQuery(o).every(([k, v]) => url.searchParams.get(k) === v)) ?? candidates.find((o) => fixedQuery(o).length === 0) ?? candidates[0];
    if (!op && upper === "HEAD") op = route.ops.find((o) => o.method === "get");
    const allow = [...new Set(route.ops.map((o) => o.method.toUpperCase()).concat(route.ops.some((o) => o.method === "get") ? ["HEAD"] : []))].join(", ");
    if (!op && upper === "OPTIONS") return note({ status: 204, headers: { allow } }, "OPTIONS");
    if (!op) return note({ ...problem(405, "Method Not Allowed", `${upper} is not declared for ${route.template}`), headers: { "content-type": "application/problem+json", allow } }, "405");

    // authentication, then authorisation
    const caller = this.authenticate(op, headers, url);
    if (!caller) return note(this.errorAnswer(op, 401, "credentials missing or not valid"), "401");
    if (caller.identity !== null && caller.identity !== this.identities[0]?.name && requiresAuth(op) && isPrivileged(this.model, op, { identities: this.identities.map((i) => i.name), maxCasesPerOperation: 1 })) {
      return note(this.errorAnswer(op, 403, "privileged operation"), "403 privileged");
    }

    // parameters
    const cookies = parseCookies(headers.cookie ?? "");
    for (const param of op.parameters) {
      const problemText = this.checkParameter(param, route, values, url.searchParams, headers, cookies);
      if (problemText) return note(this.invalidAnswer(op, problemText), `param ${param.in}.${param.name}: ${problemText}`);
    }

    // body
    const parsedBody = await this.readBody(op, headers, body);
    if ("error" in parsedBody) return note(parsedBody.status === 415 ? problem(415, "Unsupported Media Type", parsedBody.error) : this.invalidAnswer(op, parsedBody.error), `body: ${parsedBody.error}`);

    // state: resources named by path parameters
    const state = this.lookupState(route, values, path);
    if (state.deleted) return note(this.errorAnswer(op, 404, "the resource was deleted"), "deleted");
    const foreign = state.found.find((r) => r.owner !== null && requiresAuth(op) && r.owner !== caller.identity);
    if (foreign) {
      const status = documents(op, 404) || !documents(op, 403) ? 404 : 403;
      return note(this.errorAnswer(op, status, "the resource belongs to another identity"), "foreign");
    }
    const item = state.item;
    const isCreateByPut = op.method === "put" && !item && state.lastIsParam;
    if (state.unknown && documents(op, 404) && !isCreateByPut) return note(this.errorAnswer(op, 404, "no such resource"), "unknown id");

    return note(this.answer(op, path, caller, item, parsedBody.value, isCreateByPut ? state.itemKey : undefined), item ? "stored item" : "generated");
  }

  // ---------- routing ----------

  private route(path: string): { route: Route; values: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const values: Record<string, string> = {};
      route.names.forEach((name, i) => (values[name] = safeDecode(m[i + 1])));
      return { route, values };
    }
    return undefined;
  }

  // ---------- security ----------

  private authenticate(op: Operation, headers: Record<string, string>, url: URL): Caller | undefined {
    const matched = this.matchIdentity(op, headers, url);
    if (matched !== undefined) return { identity: matched };
    return requiresAuth(op) ? undefined : { identity: this.anyIdentity(headers) };
  }

  /** The identity satisfying one whole security alternative of the operation. */
  private matchIdentity(op: Operation, headers: Record<string, string>, url: URL): string | undefined {
    for (const alternative of op.security) {
      const names = Object.keys(alternative);
      if (names.length === 0) continue;
      for (const identity of this.identities) {
        if (names.every((name) => this.satisfies(this.model.securitySchemes[name], identity, headers, url))) return identity.name;
      }
    }
    return undefined;
  }

  /** For operations without required security: who is calling, if anyone we know. */
  private anyIdentity(headers: Record<string, string>): string | null {
    for (const identity of this.identities) {
      const entries = Object.entries(identity.headers);
      if (entries.length > 0 && entries.every(([name, value]) => headers[name.toLowerCase()] === value)) return identity.name;
    }
    return null;
  }

  private satisfies(scheme: SecurityScheme | undefined, identity: MockIdentity, headers: Record<string, string>, url: URL): boolean {
    if (!scheme) return false;
    const own = (name: string) => Object.entries(identity.headers).find(([h]) => h.toLowerCase() === name.toLowerCase())?.[1];
    if (scheme.type === "apiKey") {
      if (!scheme.paramName) return false;
      if (scheme.in === "header") {
        const expected = own(scheme.paramName);
        return expected !== undefined && headers[scheme.paramName.toLowerCase()] === expected;
      }
      if (scheme.in === "cookie") {
        const expected = parseCookies(own("cookie") ?? "")[scheme.paramName];
        return expected !== undefined && parseCookies(headers.cookie ?? "")[scheme.paramName] === expected;
      }
      // query keys: identities carry headers only
      void url;
      return false;
    }
    const expected = own("authorization");
    const got = headers.authorization;
    if (expected === undefined || got !== expected) return false;
    const kind = scheme.type === "http" ? (scheme.scheme ?? "").toLowerCase() : "bearer";
    if (kind === "basic") return /^basic\s/i.test(got);
    if (kind === "bearer") return /^bearer\s/i.test(got);
    return true;
  }

  // ---------- parameters ----------

  private checkParameter(param: Parameter, route: Route, values: Record<string, string>, query: URLSearchParams, headers: Record<string, string>, cookies: Record<string, string>): string | undefined {
    const schemas = this.model.schemas;
    let raw: unknown;
    if (param.in === "path") {
      if (!route.names.includes(param.name)) return undefined;
      raw = coerceText(values[param.name], param.schema, schemas, "simple", false);
    } else if (param.in === "query") {
      raw = readQuery(param, query, schemas);
    } else if (param.in === "header") {
      if (IGNORED_HEADER_PARAMS.has(param.name.toLowerCase())) return undefined;
      const text = headers[param.name.toLowerCase()];
      raw = text === undefined ? undefined : coerceText(text, param.schema, schemas, "simple", false);
    } else {
      const text = cookies[param.name];
      raw = text === undefined ? undefined : coerceText(text, param.schema, schemas, "form", false);
    }
    if (raw === undefined) return param.required ? `required ${param.in} parameter ${param.name} is missing` : undefined;
    const verdict = validateSchema(this.model, param.schema, raw, "request");
    if (verdict.valid === false) return `${param.in} parameter ${param.name}: ${verdict.violations[0].message}`;
    return undefined;
  }

  // ---------- body ----------

  private async readBody(op: Operation, headers: Record<string, string>, body: Uint8Array): Promise<{ value: unknown; media?: MediaType } | { error: string; status: number }> {
    const declared = op.requestBody;
    const contentType = headers["content-type"];
    if (!declared || declared.content.length === 0) return { value: undefined };
    if (body.length === 0) {
      // fetch cannot send a body with GET/HEAD: a declared one cannot be demanded
      if (declared.required && op.method !== "get" && op.method !== "head") return { error: "the request body is required", status: 400 };
      return { value: undefined };
    }
    const media = contentType ? declared.content.find((m) => mediaTypeMatches(m.contentType, contentType)) : undefined;
    if (!media || !contentType) return { error: `Content-Type ${contentType ?? "(none)"} is not one of ${declared.content.map((m) => m.contentType).join(", ")}`, status: 415 };
    const text = new TextDecoder().decode(body);
    let value: unknown;
    if (isJsonMediaType(contentType)) {
      try {
        value = JSON.parse(text);
      } catch {
        return { error: "malformed JSON", status: 400 };
      }
    } else if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
      value = formToObject([...new URLSearchParams(text)], media.schema, this.model.schemas);
    } else if (/^multipart\/form-data/i.test(contentType)) {
      try {
        const form = await new Request("http://mock.invalid/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) }).formData();
        const entries: [string, string][] = [];
        for (const [k, v] of form.entries()) entries.push([k, typeof v === "string" ? v : await v.text()]);
        value = formToObject(entries, media.schema, this.model.schemas);
      } catch (error) {
        return { error: `malformed multipart body: ${error instanceof Error ? error.message : String(error)}`, status: 400 };
      }
    } else {
      // text, XML, binary: accepted as sent
      return { value: text, media };
    }
    const verdict = validateSchema(this.model, media.schema, value, "request");
    if (verdict.valid === false) {
      const v = verdict.violations[0];
      return { error: `body${v.instancePath ? ` at ${v.instancePath}` : ""}: ${v.message}`, status: 400 };
    }
    return { value, media };
  }

  // ---------- state ----------

  private lookupState(route: Route, values: Record<string, string>, path: string) {
    const segments = path.split("/");
    const templateSegments = route.template.split("/");
    const found: Resource[] = [];
    let unknown = false;
    let deleted = false;
    let item: Resource | undefined;
    let itemKey: string | undefined;
    const lastIsParam = /\{[^{}]+\}/.test(templateSegments[templateSegments.length - 1] ?? "") && segments.length === templateSegments.length;
    if (segments.length === templateSegments.length) {
      templateSegments.forEach((segment, i) => {
        const m = /^\{([^{}]+)\}$/.exec(segment);
        if (!m) return;
        const key = resourceKey(segments.slice(0, i).join("/"), safeDecode(segments[i]));
        const resource = this.resources.get(key);
        if (resource) {
          found.push(resource);
          if (resource.deleted) deleted = true;
          if (i === templateSegments.length - 1) item = resource;
        } else {
          const param = route.ops[0].parameters.find((p) => p.in === "path" && p.name === m[1]);
          if (!param || !isEnumLike(param.schema, this.model.schemas)) unknown = true;
        }
        if (i === templateSegments.length - 1) itemKey = key;
      });
    } else {
      unknown = route.names.length > 0;
    }
    return { found, unknown, deleted, item, itemKey, lastIsParam };
  }

  // ---------- answers ----------

  private answer(op: Operation, path: string, caller: Caller, item: Resource | undefined, body: unknown, putCreateKey: string | undefined): Answer {
    const spec = successSpec(op);
    if (!spec) return { status: 200, headers: {} };
    const status = statusOf(spec);
    const media = pickMedia(spec);
    const headers = this.generateHeaders(op, spec, status);
    let value: unknown = media ? this.generateBody(op, spec, media) : undefined;
    const json = media !== undefined && isJsonMediaType(wireType(media.contentType));
    const writable = this.writableFields(op, body);

    if (op.method === "delete" && item) {
      item.deleted = true;
    } else if (item) {
      // reads and updates of a stored resource: its state over the generated representation
      item.state = merged(item.state, writable) as Record<string, unknown>;
      if (json) value = this.overlay(media!.schema, value, item.state);
    } else if (op.method === "post" || putCreateKey) {
      if (json && isObject(value)) value = this.overlay(media!.schema, value, writable);
      const ids = json ? this.uniqueIds(media!.schema, value) : [];
      const keys: string[] = putCreateKey ? [putCreateKey] : [];
      const collection = path.replace(/\/+$/, "");
      const fresh = `${++this.counter}`;
      for (const id of ids) keys.push(resourceKey(collection, id));
      // an item path keyed by a property the client chose in this body (a title, a slug): found by it too
      for (const key of this.chosenKeys(op, body)) keys.push(resourceKey(collection, key));
      // items a parent's sub-collection creates, served at their own top-level path too (Sentinel's producer rule)
      for (const other of this.elsewhere(op)) keys.push(resourceKey(other, ids[0] ?? fresh));
      const location = Object.keys(headers).find((h) => h.toLowerCase() === "location");
      if (location) {
        const id = ids[0] ?? fresh;
        headers[location] = `${collection}/${encodeURIComponent(id)}`;
        keys.push(resourceKey(collection, id));
      }
      if (keys.length > 0 && isSuccessStatus(status)) {
        const state = merged(isObject(value) ? value : {}, writable) as Record<string, unknown>;
        const resource: Resource = { owner: requiresAuth(op) ? caller.identity : null, state, deleted: false, keys };
        for (const key of keys) this.resources.set(key, resource);
      }
    }
    if (!media || value === undefined) return { status, headers };
    headers["content-type"] = wireType(media.contentType);
    return { status, headers, body: encodeBody(value, media) };
  }

  /** Literal collections (`/items`) whose item path `op` produces although it posts elsewhere (`/orders/{orderId}/items`). */
  private elsewhere(op: Operation): string[] {
    this.graph ??= new ResourceGraph(this.model);
    const out: string[] = [];
    for (const route of this.routes) {
      const m = /^(\/[^{}]*)\/\{([^{}]+)\}$/.exec(route.template);
      if (!m || m[1] === op.path) continue;
      if (route.ops.some((o) => this.graph!.producerFor(o, m[2])?.op === op)) out.push(m[1]);
    }
    return out;
  }

  /** Values of `body` that name the created resource on `op.path/{param}` (the same rule as Sentinel's producers). */
  private chosenKeys(op: Operation, body: unknown): string[] {
    if (!isObject(body)) return [];
    const out: string[] = [];
    for (const route of this.routes) {
      const m = /^\{([^{}]+)\}$/.exec(route.template.slice(op.path.length + 1));
      if (!route.template.startsWith(`${op.path}/`) || !m) continue;
      const paramSchema = route.ops[0].parameters.find((p) => p.in === "path" && p.name === m[1])?.schema ?? { type: "string" };
      const property = requestKeyProperty(op, m[1], paramSchema, op.path, this.model.schemas);
      const value = property === undefined ? undefined : body[property];
      if (typeof value === "string" && value !== "") out.push(value);
    }
    return out;
  }

  /** Writable top-level fields of a JSON/form body: declared, not readOnly. */
  private writableFields(op: Operation, body: unknown): Record<string, unknown> {
    if (!isObject(body)) return {};
    const media = op.requestBody?.content.find((m) => isJsonMediaType(wireType(m.contentType)) || /form/i.test(m.contentType));
    if (!media) return {};
    const flat = flattenAllOf(media.schema, this.model.schemas);
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      const prop = props[key];
      if (prop === undefined) continue;
      const r = flattenAllOf(prop, this.model.schemas);
      if (isObject(r) && r.readOnly === true) continue;
      out[key] = value;
    }
    return out;
  }

  /** Copies stored fields onto a generated body (top level, or one wrapper object down) where they stay valid. */
  private overlay(schema: JsonSchema, value: unknown, fields: Record<string, unknown>): unknown {
    if (!isObject(value) || Object.keys(fields).length === 0) return value;
    const apply = (target: Record<string, unknown>, root: Record<string, unknown>) => {
      for (const [key, field] of Object.entries(fields)) {
        if (!(key in target) && !this.declares(schema, root === target ? [] : [wrapperKey(root, target)], key)) continue;
        const before = target[key];
        target[key] = merged(before, field);
        if (validateSchema(this.model, schema, root, "response").valid === false) {
          if (before === undefined) delete target[key];
          else target[key] = before;
        }
      }
    };
    const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    // all at once first (one validation); field by field only when that is invalid
    const whole = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    const place = (target: Record<string, unknown>, path: string[]) => {
      for (const [key, field] of Object.entries(fields)) if (key in target || this.declares(schema, path, key)) target[key] = merged(target[key], field);
    };
    place(whole, []);
    if (Object.keys(whole).length <= 3) for (const [name, child] of Object.entries(whole)) if (isObject(child)) place(child, [name]);
    if (validateSchema(this.model, schema, whole, "response").valid !== false) return whole;
    apply(copy, copy);
    for (const child of Object.values(copy)) if (isObject(child) && Object.keys(copy).length <= 3) apply(child, copy);
    return copy;
  }

  private declares(schema: JsonSchema, path: string[], key: string): boolean {
    let s = flattenAllOf(schema, this.model.schemas);
    for (const token of path) {
      if (!isObject(s) || !isObject(s.properties)) return false;
      s = flattenAllOf((s.properties as Record<string, JsonSchema>)[token] ?? true, this.model.schemas);
    }
    return isObject(s) && isObject(s.properties) && key in (s.properties as Record<string, unknown>);
  }

  /**
   * Makes the id-like values of a created body unique (top level, or inside a wrapper object such as
   * { article: {...} }) when the body stays valid, and returns them. One validation per attempt.
   */
  private uniqueIds(schema: JsonSchema, value: unknown): string[] {
    if (!isObject(value)) return [];
    const targets: [Record<string, unknown>, string, string | number][] = [];
    const collect = (target: Record<string, unknown>) => {
      for (const [key, field] of Object.entries(target)) {
        if ((isIdLikeName(key) || ID_LIKE_EXTRA.test(key)) && (typeof field === "string" || typeof field === "number")) targets.push([target, key, field]);
      }
    };
    collect(value);
    if (Object.keys(value).length <= 3) for (const child of Object.values(value)) if (isObject(child)) collect(child);
    const n = ++this.counter;
    const variants: ((field: string | number) => string | number)[] = [
      (f) => (typeof f === "number" ? 100_000 + n : /^[0-9a-f]{8}-/i.test(f) ? uuidFor(n) : `${f}-${n}`),
      (f) => (typeof f === "number" ? 1000 + n : `${f}${n}`),
      (f) => (typeof f === "number" ? n : `s${n}`),
    ];
    for (const variant of variants) {
      for (const [target, key, field] of targets) target[key] = variant(field);
      if (validateSchema(this.model, schema, value, "response").valid !== false) return targets.map(([target, key]) => String(target[key]));
    }
    for (const [target, key, field] of targets) target[key] = field;
    return targets.map(([, , field]) => String(field));
  }

  private rng(op: Operation, status: string, what: string): Rng {
    return new Rng(deriveSeed(this.seed, "spec-mock", op.operationId, status, what));
  }

  /** Bodies are a function of (operation, status, media type): generated once, copied per answer. */
  private generateBody(op: Operation, spec: ResponseSpec, media: MediaType): unknown {
    const key = `${op.method} ${op.path}\u0000${spec.status}\u0000${media.contentType}`;
    if (!this.bodies.has(key)) this.bodies.set(key, this.freshBody(op, spec, media));
    const cached = this.bodies.get(key);
    return cached === undefined || cached instanceof Uint8Array ? cached : JSON.parse(JSON.stringify(cached));
  }

  private freshBody(op: Operation, spec: ResponseSpec, media: MediaType): unknown {
    const type = wireType(media.contentType);
    if (!isJsonMediaType(type)) {
      if (/^text\//i.test(type) || /xml/i.test(type)) {
        const v = generateValid(media.schema, { schemas: this.model.schemas, rng: this.rng(op, spec.status, "text"), mode: "response" });
        return typeof v === "string" ? v : /xml/i.test(type) ? "<sentinel/>" : "sentinel";
      }
      return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
    let last: unknown;
    for (let attempt = 0; attempt < 8; attempt++) {
      const value = generateValid(media.schema, { schemas: this.model.schemas, rng: this.rng(op, spec.status, `body${attempt}`), mode: "response", optional: attempt < 3 ? "all" : attempt < 6 ? "random" : "required" });
      if (validateSchema(this.model, media.schema, value, "response").valid !== false) return value;
      last = value;
    }
    const verdict = validateSchema(this.model, media.schema, last, "response");
    this.invalidGenerated.push(`${op.method.toUpperCase()} ${op.path} ${spec.status}: ${verdict.valid === false ? `${verdict.violations[0].instancePath} ${verdict.violations[0].message}` : ""}`);
    return last;
  }

  private generateHeaders(op: Operation, spec: ResponseSpec, status: number): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const definition of spec.headers) {
      const lower = definition.name.toLowerCase();
      if (lower === "content-type" || lower === "content-length" || lower === "transfer-encoding" || lower === "connection") continue;
      let text: string | undefined;
      for (let attempt = 0; attempt < 6 && text === undefined; attempt++) {
        const value = generateValid(definition.schema, { schemas: this.model.schemas, rng: this.rng(op, `${status}`, `header:${definition.name}:${attempt}`), wire: true, mode: "response", name: definition.name });
        const candidate = Array.isArray(value) ? value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",") : isObject(value) ? undefined : String(value ?? "");
        if (candidate !== undefined && /^[\x20-\x7e]*$/.test(candidate)) text = candidate;
      }
      if (text !== undefined) headers[definition.name] = text;
    }
    return headers;
  }

  private errorAnswer(op: Operation, status: number, detail: string): Answer {
    const spec = findResponseSpec(op, status);
    const media = spec ? pickMedia(spec) : undefined;
    if (!spec || !media || !isJsonMediaType(wireType(media.contentType))) {
      const answer = problem(status, statusTitle(status), detail);
      if (status === 401) answer.headers["www-authenticate"] = 'Bearer realm="mock"';
      return answer;
    }
    const headers: Record<string, string> = { ...this.generateHeaders(op, spec, status), "content-type": wireType(media.contentType) };
    if (status === 401) headers["www-authenticate"] = 'Bearer realm="mock"';
    return { status, headers, body: encodeBody(this.generateBody(op, spec, media), media) };
  }

  /** Invalid input: 400, or 422 when only 422 is documented. */
  private invalidAnswer(op: Operation, detail: string): Answer {
    const status = documents(op, 400) || !documents(op, 422) ? 400 : 422;
    return this.errorAnswer(op, status, detail);
  }
}

// ---------- helpers ----------

function compileRoute(template: string, ops: Operation[]): Route {
  const names: string[] = [];
  let literal = 0;
  const source = template
    .split(/(\{[^{}]+\})/)
    .map((part) => {
      const m = /^\{([^{}]+)\}$/.exec(part);
      if (m) {
        names.push(m[1]);
        return "([^/]+)";
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { template, regex: new RegExp(`^${source}$`), names, literal, ops };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function resourceKey(collection: string, id: string): string {
  return `${collection.replace(/\/+$/, "")}\u0000${id}`;
}

function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    out[part.slice(0, i).trim()] = safeDecode(part.slice(i + 1).trim());
  }
  return out;
}

function isEnumLike(schema: JsonSchema, schemas: ApiModel["schemas"]): boolean {
  const s = flattenAllOf(schema, schemas);
  return isObject(s) && (Array.isArray(s.enum) || s.const !== undefined);
}

function documents(op: Operation, status: number): boolean {
  return op.responses.some((r) => r.status === String(status) || (/X/i.test(r.status) && r.status[0] === String(status)[0]));
}

function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

function successSpec(op: Operation): ResponseSpec | undefined {
  return (
    op.responses.find((r) => /^2/.test(r.status)) ??
    op.responses.find((r) => /^3/.test(r.status)) ??
    op.responses.find((r) => r.status.toLowerCase() === "default")
  );
}

function statusOf(spec: ResponseSpec): number {
  if (/^\d{3}$/.test(spec.status)) return Number(spec.status);
  if (/^[1-5]XX$/i.test(spec.status)) return Number(spec.status[0]) * 100;
  return 200;
}

function pickMedia(spec: ResponseSpec): MediaType | undefined {
  return spec.content.find((m) => isJsonMediaType(wireType(m.contentType))) ?? spec.content[0];
}

/** A concrete media type for a documented range. */
function wireType(contentType: string): string {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  if (essence === "*/*" || essence === "application/*") return "application/json";
  if (essence.endsWith("/*")) return `${essence.slice(0, -2)}/${essence.startsWith("image") ? "png" : essence.startsWith("text") ? "plain" : "octet-stream"}`;
  return contentType;
}

function encodeBody(value: unknown, media: MediaType): string | Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (isJsonMediaType(wireType(media.contentType))) return JSON.stringify(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A written object updates the stored representation: properties it has take the written values,
 * server-set ones (its id) stay, and nested names the representation does not have are not added
 * (a write-only `password` inside `shared_link` is not echoed back).
 */
function merged(before: unknown, written: unknown, depth = 0): unknown {
  if (!isObject(before) || !isObject(written)) return written;
  const out: Record<string, unknown> = { ...before };
  for (const [key, value] of Object.entries(written)) if (key in before || depth === 0) out[key] = merged(before[key], value, depth + 1);
  return out;
}

function wrapperKey(root: Record<string, unknown>, child: Record<string, unknown>): string {
  return Object.entries(root).find(([, v]) => v === child)?.[0] ?? "";
}

function uuidFor(n: number): string {
  const hex = n.toString(16).padStart(12, "0").slice(-12);
  return `5e171e1a-0000-4000-8000-${hex}`;
}

function problem(status: number, title: string, detail: string): Answer {
  return { status, headers: { "content-type": "application/problem+json" }, body: JSON.stringify({ type: "about:blank", title, status, detail }) };
}

function statusTitle(status: number): string {
  return { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 415: "Unsupported Media Type", 422: "Unprocessable Content" }[status] ?? "Error";
}

/** Text from the wire read as the schema's type (numbers, booleans, comma lists). */
function coerceText(text: string, schema: JsonSchema, schemas: ApiModel["schemas"], style: string, explode: boolean): unknown {
  const types = admittedTypes(schema, schemas);
  if (types?.includes("array") && !types.includes("string")) {
    const items = arrayItems(schema, schemas);
    const separator = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
    return text === "" ? [] : text.split(separator).map((item) => coerceScalar(item, items, schemas));
  }
  if (types?.includes("object") && !types.includes("string")) {
    const parts = text.split(",");
    const out: Record<string, unknown> = {};
    const s = flattenAllOf(schema, schemas);
    const props = isObject(s) && isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {};
    if (explode) {
      for (const part of parts) {
        const [k, v = ""] = part.split("=");
        out[k] = coerceScalar(v, props[k] ?? true, schemas);
      }
    } else {
      for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]] = coerceScalar(parts[i + 1], props[parts[i]] ?? true, schemas);
    }
    return out;
  }
  return coerceScalar(text, schema, schemas);
}

function coerceScalar(text: string, schema: JsonSchema, schemas: ApiModel["schemas"]): unknown {
  const types = admittedTypes(schema, schemas);
  if (!types) return text;
  const numeric = types.includes("number") || types.includes("integer");
  if (numeric && !types.includes("string") && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim())) return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  if (types.includes("null") && text === "" && !types.includes("string")) return null;
  return text;
}

function readQuery(param: Parameter, query: URLSearchParams, schemas: ApiModel["schemas"]): unknown {
  const style = param.style ?? "form";
  const explode = param.explode ?? style === "form";
  const types = admittedTypes(param.schema, schemas);
  const flat = flattenAllOf(param.schema, schemas);
  if (types?.includes("object") && !types.includes("string") && !types.includes("array")) {
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    if (style === "deepObject") {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [key, value] of query) {
        if (!key.startsWith(`${param.name}[`)) continue;
        any = true;
        setDeep(out, bracketPath(key.slice(param.name.length)), value);
      }
      return any ? coerceDeep(out, param.schema, schemas) : undefined;
    }
    if (explode) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of query) if (key in props) out[key] = coerceScalar(value, props[key], schemas);
      return Object.keys(out).length > 0 ? out : query.has(param.name) ? coerceText(query.get(param.name)!, param.schema, schemas, style, false) : undefined;
    }
    return query.has(param.name) ? coerceText(query.get(param.name)!, param.schema, schemas, style, false) : undefined;
  }
  if (types?.includes("array") && !types.includes("string")) {
    const items = arrayItems(param.schema, schemas);
    const all = [...query.getAll(param.name), ...query.getAll(`${param.name}[]`)];
    if (all.length === 0) return undefined;
    if (explode && style === "form") return all.map((v) => coerceScalar(v, items, schemas));
    return coerceText(all[0], param.schema, schemas, style, false);
  }
  if (!query.has(param.name)) return undefined;
  return coerceScalar(query.get(param.name)!, param.schema, schemas);
}

/** The items schema of an array schema, looking into oneOf/anyOf branches (oneOf [Category, Category[]]). */
function arrayItems(schema: JsonSchema, schemas: ApiModel["schemas"], depth = 0): JsonSchema {
  const s = flattenAllOf(schema, schemas);
  if (!isObject(s) || depth > 4) return true;
  if (s.items !== undefined) return s.items as JsonSchema;
  for (const key of ["oneOf", "anyOf"]) {
    for (const branch of Array.isArray(s[key]) ? (s[key] as JsonSchema[]) : []) {
      if (admittedTypes(branch, schemas)?.includes("array")) return arrayItems(branch, schemas, depth + 1);
    }
  }
  return true;
}

function bracketPath(text: string): string[] {
  return [...text.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
}

function setDeep(target: Record<string, unknown>, path: string[], value: string): void {
  let node: Record<string, unknown> = target;
  path.forEach((token, i) => {
    const last = i === path.length - 1;
    if (last) {
      if (token === "") return;
      const existing = node[token];
      node[token] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    } else {
      if (!isObject(node[token])) node[token] = {};
      node = node[token] as Record<string, unknown>;
    }
  });
}

/** Form/deepObject values are text: read them back as the schema's types, arrays from "0","1" keys too. */
function coerceDeep(value: unknown, schema: JsonSchema, schemas: ApiModel["schemas"], depth = 0): unknown {
  const s = flattenAllOf(resolve(schema, schemas), schemas);
  const types = admittedTypes(schema, schemas);
  if (depth > 8) return value;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (types?.includes("array") && keys.every((k) => /^\d+$/.test(k))) {
      const items = arrayItems(schema, schemas);
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => coerceDeep(value[k], items, schemas, depth + 1));
    }
    const props = isObject(s) && isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {};
    const extra = isObject(s) && isObject(s.additionalProperties) ? (s.additionalProperties as JsonSchema) : true;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerceDeep(v, props[k] ?? extra, schemas, depth + 1);
    return out;
  }
  if (Array.isArray(value)) {
    const items = arrayItems(schema, schemas);
    return value.map((v) => coerceDeep(v, items, schemas, depth + 1));
  }
  if (typeof value === "string") {
    // multipart object parts arrive as JSON text
    if ((types?.includes("object") || types?.includes("array")) && !types.includes("string") && /^\s*[[{]/.test(value)) {
      try {
        return JSON.parse(value);
      } catch {
        // not JSON: read as text below
      }
    }
    if (types?.includes("array") && !types.includes("string")) {
      const items = arrayItems(schema, schemas);
      return [coerceScalar(value, items, schemas)];
    }
    return coerceScalar(value, schema, schemas);
  }
  return value;
}

/** Form fields (urlencoded or multipart) → an object shaped by the body schema. */
function formToObject(entries: [string, string][], schema: JsonSchema, schemas: ApiModel["schemas"]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const bracket = key.indexOf("[");
    if (bracket > 0) setDeep(raw, [key.slice(0, bracket), ...bracketPath(key.slice(bracket))], value);
    else {
      const existing = raw[key];
      raw[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  return coerceDeep(raw, schema, schemas) as Record<string, unknown>;
}
