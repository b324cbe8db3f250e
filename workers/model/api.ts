/**
 * The operation model: what Sentinel knows about an API after parsing its description.
 * Produced by workers/orchestrator/spec, stored (R2 + D1), consumed by agents and checks.
 * Pure data: JSON-serialisable, no functions, no cycles.
 */

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export const HTTP_METHODS: readonly HttpMethod[] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * A JSON Schema (2020-12 dialect). The spec module normalises every dialect to it:
 * OpenAPI 3.0 `nullable` becomes a `type` array with "null", boolean exclusiveMinimum/Maximum
 * become numbers, Swagger 2.0 `x-nullable` likewise. Named component schemas stay as
 * `{ "$ref": "#/components/schemas/Name" }` and resolve against `ApiModel.schemas`, so
 * recursive schemas need no special form and big specs do not blow up by inlining.
 */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

export type ParameterLocation = "path" | "query" | "header" | "cookie";

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: JsonSchema;
  /** OpenAPI serialisation: style/explode as written (defaults applied by the consumer). */
  style?: string;
  explode?: boolean;
  /** described by `content` instead of a schema (OpenAPI 3): the value is sent as that media type's text, e.g. JSON */
  contentType?: string;
  deprecated?: boolean;
  example?: unknown;
  examples?: unknown[];
  /** prose of the spec (read by the AI layer: value domains, dependencies, business rules) */
  description?: string;
}

export interface MediaType {
  /** e.g. application/json, application/x-www-form-urlencoded, multipart/form-data */
  contentType: string;
  schema: JsonSchema;
  example?: unknown;
  examples?: unknown[];
}

export interface RequestBody {
  required: boolean;
  content: MediaType[];
}

export interface ResponseHeader {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface ResponseSpec {
  /** "200", "2XX", "default" as written in the spec */
  status: string;
  description?: string;
  content: MediaType[];
  headers: ResponseHeader[];
  /** OpenAPI links, dereferenced: name -> { operationId | operationRef, parameters, requestBody } */
  links: Link[];
}

export interface Link {
  name: string;
  operationId?: string;
  operationRef?: string;
  /** parameter name (optionally "path.id") -> runtime expression such as "$response.body#/id" */
  parameters: Record<string, string>;
  requestBody?: string;
}

/** One alternative of a security requirement: all schemes listed must be satisfied together. */
export type SecurityRequirement = Record<string, string[]>;

export interface SecurityScheme {
  name: string;
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS";
  /** apiKey */
  in?: "query" | "header" | "cookie";
  paramName?: string;
  /** http: basic, bearer, ... */
  scheme?: string;
  bearerFormat?: string;
  /** oauth2: token URLs of its clientCredentials and password flows (as written: absolute or relative) */
  tokenUrls?: string[];
}

export interface Operation {
  /** spec operationId, or a stable derived one: `${method}_${path}` slugged */
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. /pets/{petId} (fragments such as #foo removed from the URL part) */
  path: string;
  summary?: string;
  /** prose of the spec (read by the AI layer: business rules become oracles) */
  description?: string;
  tags: string[];
  deprecated: boolean;
  /** path-level and operation-level parameters merged, operation winning */
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: ResponseSpec[];
  /** effective security: operation-level or the document's; [] means none required; [{}] means optional */
  security: SecurityRequirement[];
  /** JSON pointer of the operation in the source document, for error messages */
  pointer: string;
  /** the operation's `x-*` extensions as written (e.g. x-sentinel-privileged), when any */
  extensions?: Record<string, unknown>;
}

export interface ApiModel {
  /** "2.0", "3.0.3", "3.1.0" as declared */
  sourceVersion: string;
  title: string;
  version: string;
  description?: string;
  servers: string[];
  operations: Operation[];
  /** normalised component schemas by name; `$ref`s in operation schemas point here */
  schemas: Record<string, JsonSchema>;
  securitySchemes: Record<string, SecurityScheme>;
}

/** A problem found in a spec: where (JSON pointer and, when known, line/column of the text) and what. */
export interface SpecProblem {
  severity: "error" | "warning";
  pointer: string;
  line?: number;
  column?: number;
  message: string;
}
