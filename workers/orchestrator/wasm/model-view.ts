/**
 * The compact, JSON-only view of the ApiModel that wasm agents receive (agents-wasm/README.md).
 * Wasm agents get no JSON Schema engine: the host resolves $refs, picks one type per input and
 * a valid-looking example for every parameter, and flattens JSON bodies to their string and
 * number properties (at any depth the base body reaches through objects: a JSON:API
 * `data.attributes.title` as much as a top-level `title`) plus a "base" body that already
 * satisfies the required ones.
 */
import type { ApiModel, JsonSchema, Operation, Parameter } from "../../model";
import { sampleValue, resolveSchema, schemaType, objectShape } from "./sample";
import { IGNORED_HEADERS, type BuiltRequest } from "../agents/requests";
import { baseBody } from "./positive-base";

export interface WasmParamView {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  /** string | integer | number | boolean | array | object */
  type: string;
  /** a valid-looking value: the spec's example, default, const, enum[0] or one derived from the schema */
  example?: unknown;
  enum?: unknown[];
}

export interface WasmPropView {
  /** the property's name, or the dotted path of a nested one (`data.attributes.title`) */
  name: string;
  /** of a nested property only: the member names from the body's top down to it */
  path?: string[];
  type: string;
  example?: unknown;
  enum?: unknown[];
}

export interface WasmBodyView {
  contentType: string;
  /** names of the required top-level properties */
  required: string[];
  stringProps: WasmPropView[];
  /** integer and number properties; `type` says which */
  numberProps: WasmPropView[];
  /** a valid-looking body (required properties filled); agents replace one property at a time */
  base: unknown;
}

export interface WasmOperationView {
  operationId: string;
  method: string;
  path: string;
  params: WasmParamView[];
  body?: WasmBodyView;
}

export interface WasmInput {
  /** the name the host registered the agent under; cases must carry it as `agent` */
  agent: string;
  /** unsigned 32-bit */
  seed: number;
  maxCasesPerOperation: number;
  operations: WasmOperationView[];
}

/** OpenAPI ignores header parameters with these names (they are governed elsewhere). */
const MAX_ENUM = 50;

/**
 * `bases` (positive-base.ts): per operation, the valid request whose values become the examples
 * and the body base, so a case differs from it in the fuzzed input only.
 */
export function toWasmInput(model: ApiModel, opts: { agent: string; seed: number; maxCasesPerOperation: number; bases?: Map<string, BuiltRequest> }): WasmInput {
  return {
    agent: opts.agent,
    seed: opts.seed >>> 0,
    maxCasesPerOperation: Math.max(0, Math.floor(opts.maxCasesPerOperation)),
    operations: model.operations.map((op) => operationView(op, model.schemas, opts.bases?.get(op.operationId))),
  };
}

function baseValue(base: BuiltRequest, p: Parameter): unknown {
  if (p.in === "path") return base.request.pathParams[p.name];
  if (p.in === "query") return base.request.query[p.name];
  if (p.in === "header") return base.request.headers[p.name];
  return base.request.cookies?.[p.name];
}

function operationView(op: Operation, schemas: ApiModel["schemas"], base?: BuiltRequest): WasmOperationView {
  const params = op.parameters
    .filter((p) => !(p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())))
    .map((p) => {
      const view = paramView(p, schemas);
      const value = base ? baseValue(base, p) : undefined;
      if (value !== undefined && value !== null) view.example = value;
      return view;
    });
  // A template variable the spec forgot to declare must still be filled: never send `{x}`.
  for (const name of pathTemplateNames(op.path)) {
    if (!params.some((p) => p.in === "path" && p.name === name)) {
      params.push({ name, in: "path", required: true, type: "string", example: "1" });
    }
  }
  const view: WasmOperationView = { operationId: op.operationId, method: op.method, path: op.path, params };
  const body = bodyView(op, schemas, base ? baseBody(base) : undefined);
  if (body) view.body = body;
  return view;
}

export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

function paramView(p: Parameter, schemas: ApiModel["schemas"]): WasmParamView {
  const schema = resolveSchema(p.schema, schemas);
  const view: WasmParamView = {
    name: p.name,
    in: p.in,
    required: p.in === "path" ? true : p.required,
    // Parameters without a declared type travel as text.
    type: schemaType(schema, schemas) ?? "string",
    example: p.example !== undefined ? p.example : p.examples && p.examples.length > 0 ? p.examples[0] : sampleValue(p.schema, schemas),
  };
  const enumValues = scalarEnum(schema);
  if (enumValues) view.enum = enumValues;
  return view;
}

function scalarEnum(schema: JsonSchema): unknown[] | undefined {
  if (typeof schema !== "object" || !Array.isArray(schema.enum)) return undefined;
  const values = schema.enum.filter((v) => v === null || typeof v !== "object").slice(0, MAX_ENUM);
  return values.length > 0 ? values : undefined;
}

function isJsonMediaType(contentType: string): boolean {
  const base = contentType.split(";")[0].trim().toLowerCase();
  return base === "application/json" || base.endsWith("+json") || base === "text/json";
}

/** fetch cannot send a body with these methods, so their request bodies are left out. */
const BODYLESS_METHODS = new Set(["get", "head"]);

/** How many objects deep a fuzzed property may sit (`data.attributes.title` is two). */
const MAX_BODY_DEPTH = 3;
/** At most this many nested properties of a body are listed (a Kubernetes object has hundreds); the top-level ones all are. */
const MAX_NESTED_PROPS = 16;

function bodyView(op: Operation, schemas: ApiModel["schemas"], valid: Record<string, unknown> | undefined): WasmBodyView | undefined {
  if (BODYLESS_METHODS.has(op.method)) return undefined;
  const media = op.requestBody?.content.find((m) => isJsonMediaType(m.contentType));
  if (!media) return undefined;
  const base = valid ?? (media.example !== undefined && isPlainObject(media.example) ? media.example : sampleValue(media.schema, schemas));
  const view: WasmBodyView = { contentType: media.contentType, required: [], stringProps: [], numberProps: [], base };
  const shape = objectShape(media.schema, schemas);
  if (!shape) return view;
  view.required = shape.required;
  addProps(view, shape.properties, base, [], schemas);
  const nested = [...view.stringProps, ...view.numberProps].filter((p) => p.path !== undefined).slice(MAX_NESTED_PROPS);
  if (nested.length > 0) {
    view.stringProps = view.stringProps.filter((p) => !nested.includes(p));
    view.numberProps = view.numberProps.filter((p) => !nested.includes(p));
  }
  return view;
}

/** The string and number properties of an object, and those of the objects the base holds in it. */
function addProps(view: WasmBodyView, properties: Record<string, JsonSchema>, base: unknown, above: string[], schemas: ApiModel["schemas"]): void {
  for (const [name, raw] of Object.entries(properties)) {
    const prop = resolveSchema(raw, schemas);
    // readOnly properties are not part of a request.
    if (typeof prop === "object" && prop.readOnly === true) continue;
    const type = schemaType(prop, schemas);
    const inner = isPlainObject(base) ? base[name] : undefined;
    if (type === "object" || (type === undefined && isPlainObject(inner))) {
      const shape = above.length + 1 < MAX_BODY_DEPTH && isPlainObject(inner) ? objectShape(raw, schemas) : undefined;
      if (shape) addProps(view, shape.properties, inner, [...above, name], schemas);
      continue;
    }
    if (type !== "string" && type !== "integer" && type !== "number") continue;
    // a formatted string (uri, email, date) a server need not enforce comes back as sent and breaks
    // the response's own format: its invalid values are functional-negative's (weak, not_a_server_error)
    if (type === "string" && typeof prop === "object" && typeof prop.format === "string") continue;
    const path = [...above, name];
    const propView: WasmPropView = { name: path.join("."), ...(above.length > 0 ? { path } : {}), type, example: sampleValue(raw, schemas) };
    const enumValues = scalarEnum(prop);
    if (enumValues) propView.enum = enumValues;
    (type === "string" ? view.stringProps : view.numberProps).push(propView);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
