import {
  HTTP_METHODS,
  type ApiModel,
  type HttpMethod,
  type JsonSchema,
  type Link,
  type MediaType,
  type Operation,
  type Parameter,
  type ParameterLocation,
  type RequestBody,
  type ResponseHeader,
  type ResponseSpec,
  type SecurityRequirement,
  type SecurityScheme,
  type SpecProblem,
} from "../../model";
import type { Dialect } from "./dialect";
import { escapeSegment, joinPointer, resolvePointer, splitPointer, splitRef } from "../../jsonschema/pointer";
import { isObject } from "../../jsonschema/types";
import { ProblemList } from "./problems";
import { RefResolver } from "./refs";
import { Normaliser } from "./schema";

export interface BuildOptions {
  /** version as declared ("2.0", "3.0.3", "3.1.0") */
  sourceVersion: string;
  /** dialect of the original document; "2.0" means `doc` is the output of convertSwagger2 */
  dialect: Dialect;
  problems?: ProblemList;
}

type Obj = Record<string, unknown>;
const LOCATIONS: readonly string[] = ["path", "query", "header", "cookie"];
/** OpenAPI 3: header parameters with these names "SHALL be ignored" (they belong to content negotiation and security). */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);
const SCHEMA_PREFIX = "#/components/schemas/";

/**
 * Builds the operation model from an OpenAPI 3.x document (Swagger 2.0 converted first).
 * Non-schema `$ref`s are followed; schema `$ref`s stay references into `model.schemas`.
 */
export function buildApiModel(doc: Obj, opts: BuildOptions): { model: ApiModel; problems: SpecProblem[] } {
  const problems = opts.problems ?? new ProblemList();
  const model = new ModelBuilder(doc, opts.dialect, problems).build(opts.sourceVersion);
  return { model, problems: problems.toArray() };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `${method}_${path}` slugged: get /pets/{petId} → get_pets_petId. */
export function deriveOperationId(method: string, pathKey: string): string {
  return `${method}_${pathKey}`.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

class ModelBuilder {
  private readonly refs: RefResolver;
  private readonly normaliser: Normaliser;
  private readonly componentSchemas: Obj;
  /** schemas reached by `$ref`s that do not point at a component schema: target pointer → name */
  private readonly hoisted = new Map<string, string>();
  private readonly hoistedNames = new Set<string>();
  private readonly pendingHoists: { name: string; pointer: string }[] = [];
  private readonly schemas: Record<string, JsonSchema> = {};
  private readonly parameterMemo = new WeakMap<object, Parameter | null>();
  private readonly responseMemo = new WeakMap<object, Omit<ResponseSpec, "status">>();
  private readonly bodyMemo = new WeakMap<object, RequestBody>();

  constructor(
    private readonly doc: Obj,
    private readonly dialect: Dialect,
    private readonly problems: ProblemList,
  ) {
    this.refs = new RefResolver(doc, problems);
    this.normaliser = new Normaliser({ problems, mapRef: (ref, ptr) => this.mapSchemaRef(ref, ptr), itemsListIsUnion: dialect !== "3.1" });
    const components = isObject(doc.components) ? doc.components : {};
    this.componentSchemas = isObject(components.schemas) ? components.schemas : {};
  }

  build(sourceVersion: string): ApiModel {
    const info = isObject(this.doc.info) ? this.doc.info : {};
    for (const [name, schema] of Object.entries(this.componentSchemas)) {
      this.schemas[name] = this.schema(schema, joinPointer("/components/schemas", name));
    }
    const operations = this.operations();
    while (this.pendingHoists.length > 0) {
      const { name, pointer } = this.pendingHoists.shift()!;
      this.schemas[name] = this.schema(resolvePointer(this.doc, pointer), pointer);
    }
    this.breakEmptyRefCycles();
    const model: ApiModel = {
      sourceVersion,
      title: typeof info.title === "string" ? info.title : "",
      version: info.version === undefined || info.version === null ? "" : String(info.version),
      servers: this.servers(),
      operations,
      schemas: this.schemas,
      securitySchemes: this.securitySchemes(),
    };
    if (typeof info.description === "string" && info.description !== "") model.description = info.description;
    return model;
  }

  private schema(value: unknown, pointer: string): JsonSchema {
    return this.normaliser.schema(value, pointer, 0);
  }

  /** Component schema refs stay; refs elsewhere (deep pointers, paths, responses) become named entries. */
  private mapSchemaRef(ref: string, at: string): string | undefined {
    const { file, pointer, anchor } = splitRef(ref);
    if (file !== "") {
      this.problems.error(at, `external $ref "${ref}" is not resolved: bundle the spec with its files first`);
      return undefined;
    }
    if (anchor) {
      this.problems.warning(at, `$ref "${ref}" uses a plain-name anchor, which is not supported; treated as any value`);
      return undefined;
    }
    let target = pointer;
    if (this.dialect === "2.0" && target.startsWith("/definitions/")) target = "/components/schemas/" + target.slice("/definitions/".length);
    const segs = splitPointer(target);
    if (segs.length === 3 && segs[0] === "components" && segs[1] === "schemas" && Object.prototype.hasOwnProperty.call(this.componentSchemas, segs[2])) {
      return SCHEMA_PREFIX + escapeSegment(segs[2]);
    }
    if (resolvePointer(this.doc, target) === undefined) {
      this.problems.error(at, `$ref "${ref}" points to nothing`);
      return undefined;
    }
    let name = this.hoisted.get(target);
    if (name === undefined) {
      const base = segs[0] === "components" && segs[1] === "schemas" ? segs.slice(2).join("/") : segs.join("/");
      name = base || "root";
      for (let n = 2; Object.prototype.hasOwnProperty.call(this.componentSchemas, name) || this.hoistedNames.has(name); n++) name = `${base}_${n}`;
      this.hoisted.set(target, name);
      this.hoistedNames.add(name);
      this.pendingHoists.push({ name, pointer: target });
    }
    return SCHEMA_PREFIX + escapeSegment(name);
  }

  /** A schema that is only a `$ref` to itself (directly or around a loop) describes nothing. */
  private breakEmptyRefCycles(): void {
    const nameOf = (s: JsonSchema): string | undefined => {
      if (!isObject(s) || typeof s.$ref !== "string" || Object.keys(s).length !== 1) return undefined;
      return splitPointer(s.$ref.slice(SCHEMA_PREFIX.length - 1))[0];
    };
    for (const start of Object.keys(this.schemas)) {
      const seen = new Set<string>();
      let name: string | undefined = start;
      while (name !== undefined && !seen.has(name)) {
        seen.add(name);
        name = this.schemas[name] === undefined ? undefined : nameOf(this.schemas[name]);
      }
      if (name === start) {
        this.problems.error(joinPointer("/components/schemas", start), `schema $ref cycle: ${[...seen].join(" -> ")} -> ${start}`);
        for (const n of seen) this.schemas[n] = {};
      }
    }
  }

  private operations(): Operation[] {
    const paths = isObject(this.doc.paths) ? this.doc.paths : {};
    const found: { op: Obj; method: HttpMethod; pathKey: string; pointer: string; pathParams: unknown[]; pathParamsPtr: string }[] = [];
    for (const [pathKey, rawItem] of Object.entries(paths)) {
      if (pathKey.startsWith("x-")) continue;
      const itemPtr = joinPointer("/paths", pathKey);
      const item = this.refs.deref(rawItem, itemPtr, "path item");
      if (!item) continue;
      const pathParams = Array.isArray(item.node.parameters) ? item.node.parameters : [];
      const pathParamsPtr = joinPointer(item.pointer, "parameters");
      for (const method of HTTP_METHODS) {
        if (item.node[method] === undefined) continue;
        const pointer = joinPointer(itemPtr, method);
        // Some specs (DigitalOcean) make the operation itself a $ref.
        const op = this.refs.deref(item.node[method], pointer, "operation");
        if (op) found.push({ op: op.node, method, pathKey, pointer, pathParams, pathParamsPtr });
      }
    }

    const used = new Set<string>();
    const declared = new Set(found.map((f) => f.op.operationId).filter((id): id is string => typeof id === "string" && id !== ""));
    const unique = (base: string): string => {
      let id = base;
      for (let n = 2; used.has(id) || (id !== base && declared.has(id)); n++) id = `${base}_${n}`;
      used.add(id);
      return id;
    };
    return found.map((f) => {
      const ownId = typeof f.op.operationId === "string" && f.op.operationId !== "" ? f.op.operationId : undefined;
      let operationId: string;
      if (ownId !== undefined) {
        operationId = unique(ownId);
        if (operationId !== ownId) this.problems.warning(joinPointer(f.pointer, "operationId"), `operationId "${ownId}" is used more than once; this one is called "${operationId}"`);
      } else {
        let base = deriveOperationId(f.method, f.pathKey);
        if (declared.has(base)) base += "_op";
        operationId = unique(base);
      }
      return this.operation(f, operationId);
    });
  }

  private operation(
    { op, method, pathKey, pointer, pathParams, pathParamsPtr }: { op: Obj; method: HttpMethod; pathKey: string; pointer: string; pathParams: unknown[]; pathParamsPtr: string },
    operationId: string,
  ): Operation {
    const hash = pathKey.indexOf("#");
    const path = hash >= 0 ? pathKey.slice(0, hash) : pathKey;
    const result: Operation = {
      operationId,
      method,
      path,
      tags: strings(op.tags),
      deprecated: op.deprecated === true,
      parameters: this.parameters(path, pathParams, pathParamsPtr, op.parameters, pointer),
      responses: this.responses(op.responses, joinPointer(pointer, "responses")),
      security: this.security(op.security !== undefined ? op.security : this.doc.security),
      pointer,
    };
    if (typeof op.summary === "string") result.summary = op.summary;
    if (typeof op.description === "string" && op.description.trim() !== "") result.description = op.description.slice(0, 4000);
    const extensions = Object.entries(op).filter(([key]) => key.startsWith("x-"));
    if (extensions.length > 0) result.extensions = Object.fromEntries(extensions);
    if (op.requestBody !== undefined) {
      const body = this.requestBody(op.requestBody, joinPointer(pointer, "requestBody"));
      if (body) result.requestBody = body;
    }
    return result;
  }

  private parameters(path: string, pathParams: unknown[], pathParamsPtr: string, opParams: unknown, opPtr: string): Parameter[] {
    const merged = new Map<string, Parameter>();
    const add = (list: unknown[], listPtr: string) => {
      list.forEach((raw, i) => {
        const p = this.parameter(raw, joinPointer(listPtr, i));
        if (p) merged.set(`${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`, p);
      });
    };
    add(pathParams, pathParamsPtr);
    add(Array.isArray(opParams) ? opParams : [], joinPointer(opPtr, "parameters"));

    const templateNames = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    for (const name of templateNames) {
      if (!merged.has(`path:${name}`)) {
        this.problems.warning(opPtr, `path parameter "${name}" appears in the path but is not declared; assumed to be a string`);
        merged.set(`path:${name}`, { name, in: "path", required: true, schema: { type: "string" } });
      }
    }
    for (const [key, p] of merged) {
      if (p.in === "path" && !templateNames.includes(p.name)) {
        this.problems.warning(opPtr, `path parameter "${p.name}" is declared but does not appear in the path; ignored`);
        merged.delete(key);
      }
    }
    return [...merged.values()];
  }

  private parameter(raw: unknown, pointer: string): Parameter | undefined {
    const r = this.refs.deref(raw, pointer, "parameter");
    if (!r) return undefined;
    const memo = this.parameterMemo.get(r.node);
    if (memo !== undefined) return memo ?? undefined;
    const p = r.node;
    let result: Parameter | null = null;
    if (typeof p.name === "string" && typeof p.in === "string" && LOCATIONS.includes(p.in) && !(p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase()))) {
      let schema: JsonSchema = {};
      let contentType: string | undefined;
      if (p.schema !== undefined) schema = this.schema(p.schema, joinPointer(r.pointer, "schema"));
      else if (isObject(p.content)) {
        const [type, media] = Object.entries(p.content)[0] ?? [];
        contentType = type;
        if (type !== undefined && isObject(media) && media.schema !== undefined) schema = this.schema(media.schema, joinPointer(r.pointer, "content", type, "schema"));
      }
      result = { name: p.name, in: p.in as ParameterLocation, required: p.in === "path" || p.required === true, schema };
      if (contentType !== undefined) result.contentType = contentType;
      if (typeof p.style === "string") result.style = p.style;
      if (typeof p.explode === "boolean") result.explode = p.explode;
      if (p.deprecated === true) result.deprecated = true;
      if (typeof p.description === "string" && p.description.trim() !== "") result.description = p.description.slice(0, 1000);
      if (p.example !== undefined) result.example = p.example;
      const examples = this.exampleValues(p.examples, joinPointer(r.pointer, "examples"));
      if (examples) result.examples = examples;
    }
    this.parameterMemo.set(r.node, result);
    return result ?? undefined;
  }

  /** OpenAPI `examples` maps (Example objects, possibly `$ref`s) → their values. Values are data: never resolved. */
  private exampleValues(examples: unknown, pointer: string): unknown[] | undefined {
    if (!isObject(examples)) return undefined;
    const values: unknown[] = [];
    for (const [name, ex] of Object.entries(examples)) {
      const r = this.refs.deref(ex, joinPointer(pointer, name), "example");
      if (r && r.node.value !== undefined) values.push(r.node.value);
    }
    return values.length > 0 ? values : undefined;
  }

  private content(content: unknown, pointer: string): MediaType[] {
    if (!isObject(content)) return [];
    const out: MediaType[] = [];
    for (const [contentType, media] of Object.entries(content)) {
      if (!isObject(media)) continue;
      const mPtr = joinPointer(pointer, contentType);
      const m: MediaType = { contentType, schema: media.schema === undefined ? {} : this.schema(media.schema, joinPointer(mPtr, "schema")) };
      if (media.example !== undefined) m.example = media.example;
      const examples = this.exampleValues(media.examples, joinPointer(mPtr, "examples"));
      if (examples) m.examples = examples;
      out.push(m);
    }
    return out;
  }

  private requestBody(raw: unknown, pointer: string): RequestBody | undefined {
    const r = this.refs.deref(raw, pointer, "requestBody");
    if (!r) return undefined;
    let body = this.bodyMemo.get(r.node);
    if (!body) {
      body = { required: r.node.required === true, content: this.content(r.node.content, joinPointer(r.pointer, "content")) };
      this.bodyMemo.set(r.node, body);
    }
    return body;
  }

  private responses(raw: unknown, pointer: string): ResponseSpec[] {
    if (!isObject(raw)) return [];
    const out: ResponseSpec[] = [];
    for (const [status, value] of Object.entries(raw)) {
      if (status.startsWith("x-")) continue;
      const r = this.refs.deref(value, joinPointer(pointer, status), "response");
      if (!r) continue;
      let parts = this.responseMemo.get(r.node);
      if (!parts) {
        parts = {
          content: this.content(r.node.content, joinPointer(r.pointer, "content")),
          headers: this.headers(r.node.headers, joinPointer(r.pointer, "headers")),
          links: this.links(r.node.links, joinPointer(r.pointer, "links")),
        };
        if (typeof r.node.description === "string") parts.description = r.node.description;
        this.responseMemo.set(r.node, parts);
      }
      out.push({ status, ...parts });
    }
    return out;
  }

  private headers(raw: unknown, pointer: string): ResponseHeader[] {
    if (!isObject(raw)) return [];
    const out: ResponseHeader[] = [];
    for (const [name, value] of Object.entries(raw)) {
      // A response Content-Type header "SHALL be ignored" (OpenAPI 3).
      if (name.toLowerCase() === "content-type") continue;
      const r = this.refs.deref(value, joinPointer(pointer, name), "header");
      if (!r) continue;
      let schema: JsonSchema = {};
      if (r.node.schema !== undefined) schema = this.schema(r.node.schema, joinPointer(r.pointer, "schema"));
      else if (isObject(r.node.content)) schema = this.content(r.node.content, joinPointer(r.pointer, "content"))[0]?.schema ?? {};
      out.push({ name, required: r.node.required === true, schema });
    }
    return out;
  }

  private links(raw: unknown, pointer: string): Link[] {
    if (!isObject(raw)) return [];
    const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    const out: Link[] = [];
    for (const [name, value] of Object.entries(raw)) {
      const r = this.refs.deref(value, joinPointer(pointer, name), "link");
      if (!r) continue;
      const link: Link = { name, parameters: {} };
      if (typeof r.node.operationId === "string") link.operationId = r.node.operationId;
      if (typeof r.node.operationRef === "string") link.operationRef = r.node.operationRef;
      if (isObject(r.node.parameters)) for (const [k, v] of Object.entries(r.node.parameters)) link.parameters[k] = asText(v);
      if (r.node.requestBody !== undefined) link.requestBody = asText(r.node.requestBody);
      out.push(link);
    }
    return out;
  }

  private security(raw: unknown): SecurityRequirement[] {
    if (!Array.isArray(raw)) return [];
    return raw.filter(isObject).map((req) => {
      const out: SecurityRequirement = {};
      for (const [name, scopes] of Object.entries(req)) out[name] = strings(scopes);
      return out;
    });
  }

  private securitySchemes(): Record<string, SecurityScheme> {
    const components = isObject(this.doc.components) ? this.doc.components : {};
    const raw = isObject(components.securitySchemes) ? components.securitySchemes : {};
    const out: Record<string, SecurityScheme> = {};
    for (const [name, value] of Object.entries(raw)) {
      const r = this.refs.deref(value, joinPointer("/components/securitySchemes", name), "security scheme");
      if (!r) continue;
      const s = r.node;
      if (s.type === "apiKey") {
        const scheme: SecurityScheme = { name, type: "apiKey" };
        if (s.in === "query" || s.in === "header" || s.in === "cookie") scheme.in = s.in;
        if (typeof s.name === "string") scheme.paramName = s.name;
        out[name] = scheme;
      } else if (s.type === "http") {
        const scheme: SecurityScheme = { name, type: "http" };
        if (typeof s.scheme === "string") scheme.scheme = s.scheme.toLowerCase();
        if (typeof s.bearerFormat === "string") scheme.bearerFormat = s.bearerFormat;
        out[name] = scheme;
      } else if (s.type === "oauth2") {
        const scheme: SecurityScheme = { name, type: "oauth2" };
        const flows = isObject(s.flows) ? s.flows : {};
        // flows that exchange credentials at the token URL directly (no browser redirect)
        const tokenUrls = ["clientCredentials", "password"].map((flow) => (isObject(flows[flow]) ? flows[flow].tokenUrl : undefined)).filter((u): u is string => typeof u === "string" && u.length > 0);
        if (tokenUrls.length > 0) scheme.tokenUrls = [...new Set(tokenUrls)];
        out[name] = scheme;
      } else if (s.type === "openIdConnect" || s.type === "mutualTLS") {
        out[name] = { name, type: s.type };
      }
    }
    return out;
  }

  /** Server URLs with `{variables}` replaced by their defaults. */
  private servers(): string[] {
    if (!Array.isArray(this.doc.servers)) return [];
    const out: string[] = [];
    for (const server of this.doc.servers) {
      if (!isObject(server) || typeof server.url !== "string") continue;
      const vars = isObject(server.variables) ? server.variables : {};
      const url = server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
        const v = vars[name];
        return isObject(v) && v.default !== undefined ? String(v.default) : whole;
      });
      out.push(url.length > 1 ? url.replace(/\/+$/, "") : url);
    }
    return out;
  }
}
