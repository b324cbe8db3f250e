/** Fixtures for the check tests: a small pets API model and CheckContext builders. */
import type { ApiModel, CaseKind, Operation, ReceivedResponse, Step, TestCase } from "../../model";
import type { BuiltRequest } from "../request-builder";
import { findOperation } from "./support";
import type { CheckContext, StepRecord } from "./types";

const bearer = [{ bearer: [] }];

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: `#/paths/${partial.path}`, ...partial };
}

const json = (schema: unknown) => [{ contentType: "application/json", schema: schema as never }];

export const model: ApiModel = {
  sourceVersion: "3.1.0",
  title: "Pets",
  version: "1",
  servers: [],
  securitySchemes: {
    bearer: { name: "bearer", type: "http", scheme: "bearer", bearerFormat: "JWT" },
    key: { name: "key", type: "apiKey", in: "header", paramName: "X-Api-Key" },
  },
  schemas: {
    Pet: {
      type: "object",
      required: ["id", "name", "password"],
      properties: {
        id: { type: "integer", readOnly: true },
        name: { type: "string", minLength: 1 },
        tag: { type: ["string", "null"] },
        role: { type: "string", readOnly: true },
        password: { type: "string", writeOnly: true },
        owner: { $ref: "#/components/schemas/Owner" },
        updatedAt: { type: "string", format: "date-time" },
      },
    },
    Owner: { type: "object", additionalProperties: false, properties: { name: { type: "string" }, homepage: { type: "string", format: "url" } } },
    Error: { type: "object", required: ["message"], properties: { message: { type: "string" } } },
  },
  operations: [
    op({
      operationId: "listPets",
      method: "get",
      path: "/pets",
      responses: [
        { status: "200", content: json({ type: "array", items: { $ref: "#/components/schemas/Pet" } }), headers: [{ name: "X-Total", required: true, schema: { type: "integer", minimum: 0 } }], links: [] },
        { status: "4XX", content: json({ $ref: "#/components/schemas/Error" }), headers: [], links: [] },
      ],
    }),
    op({
      operationId: "createPet",
      method: "post",
      path: "/pets",
      security: bearer,
      requestBody: { required: true, content: json({ $ref: "#/components/schemas/Pet" }) },
      parameters: [{ name: "X-Request-Id", in: "header", required: true, schema: { type: "string" } }],
      responses: [
        { status: "201", content: json({ $ref: "#/components/schemas/Pet" }), headers: [{ name: "Location", required: false, schema: { type: "string" } }], links: [] },
        { status: "400", content: json({ $ref: "#/components/schemas/Error" }), headers: [], links: [] },
      ],
    }),
    op({
      operationId: "getPet",
      method: "get",
      path: "/pets/{petId}",
      security: bearer,
      responses: [
        { status: "200", content: json({ $ref: "#/components/schemas/Pet" }), headers: [], links: [] },
        { status: "404", content: json({ $ref: "#/components/schemas/Error" }), headers: [], links: [] },
      ],
    }),
    op({ operationId: "updatePet", method: "put", path: "/pets/{petId}", security: bearer, requestBody: { required: true, content: json({ $ref: "#/components/schemas/Pet" }) }, responses: [{ status: "200", content: json({ $ref: "#/components/schemas/Pet" }), headers: [], links: [] }] }),
    op({ operationId: "deletePet", method: "delete", path: "/pets/{petId}", security: bearer, responses: [{ status: "204", content: [], headers: [], links: [] }] }),
    op({ operationId: "publicItems", method: "get", path: "/public/items", security: [{}, { bearer: [] }], responses: [{ status: "default", content: json({}), headers: [], links: [] }] }),
    op({ operationId: "login", method: "post", path: "/login", responses: [{ status: "200", content: json({ type: "object", properties: { token: { type: "string" } } }), headers: [], links: [] }] }),
    op({ operationId: "adminStats", method: "get", path: "/admin/stats", security: bearer, responses: [{ status: "200", content: json({ type: "object" }), headers: [], links: [] }] }),
    op({ operationId: "getSecret", method: "get", path: "/things/{id}", responses: [{ status: "200", content: json({ type: "object", additionalProperties: false, properties: { id: { type: "integer" } } }), headers: [], links: [] }] }),
  ],
};

export const BASE = "http://api.test";

export interface StepSpec {
  id?: string;
  method?: string;
  path?: string;
  /** concrete URL path (defaults to `path`) */
  urlPath?: string;
  query?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  durationMs?: number;
  requestHeaders?: Record<string, string>;
  requestBody?: unknown;
  identity?: string | null;
  extract?: Step["extract"];
  pathParams?: Record<string, unknown>;
}

export function record(spec: StepSpec = {}): StepRecord {
  const id = spec.id ?? "s1";
  const method = (spec.method ?? "GET").toUpperCase();
  const path = spec.path ?? "/pets";
  const url = BASE + (spec.urlPath ?? path) + (spec.query ? `?${spec.query}` : "");
  const bodyText = spec.body === undefined ? "" : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body);
  const headers: Record<string, string> = { ...(spec.body !== undefined && typeof spec.body !== "string" ? { "content-type": "application/json" } : {}), ...(spec.headers ?? {}) };
  const response: ReceivedResponse = { status: spec.status ?? 200, headers, body: bodyText, bodySize: new TextEncoder().encode(bodyText).byteLength, durationMs: spec.durationMs ?? 12 };
  const requestBodyText = spec.requestBody === undefined ? undefined : typeof spec.requestBody === "string" ? spec.requestBody : JSON.stringify(spec.requestBody);
  const request: BuiltRequest = {
    method,
    url,
    headers: spec.requestHeaders ?? {},
    body: requestBodyText,
    identity: spec.identity === undefined ? "alice" : spec.identity,
    identityHeaderNames: [],
    resolved: {
      pathParams: spec.pathParams ?? {},
      query: {},
      headers: spec.requestHeaders ?? {},
      cookies: {},
      body: spec.requestBody === undefined ? undefined : { contentType: "application/json", value: spec.requestBody },
    },
  };
  const step: Step = { id, request: { method: method.toLowerCase(), path, pathParams: spec.pathParams ?? {}, query: {}, headers: {} }, checks: [], extract: spec.extract };
  return { step, operation: findOperation(model, method, path), request, exchange: { stepId: id, request: { method, url, headers: request.headers, body: requestBodyText }, response } };
}

export interface ContextOptions {
  params?: Record<string, unknown>;
  kind?: CaseKind;
  /** earlier (and later) steps of the case; the current step is the last argument to ctx() */
  others?: StepRecord[];
  maxResponseTimeMs?: number;
  operationId?: string;
}

/** A CheckContext for `current`, with `others` executed before it (in order). */
export function ctx(current: StepRecord | StepSpec, options: ContextOptions = {}): CheckContext {
  const rec = "exchange" in current ? (current as StepRecord) : record(current as StepSpec);
  const all = [...(options.others ?? []), rec];
  const steps: Record<string, StepRecord> = {};
  for (const r of all) steps[r.step.id] = r;
  const testCase: TestCase = { id: "case-1", agent: "test", operationId: options.operationId ?? rec.operation?.operationId ?? "listPets", kind: options.kind ?? "positive", title: "t", steps: all.map((r) => r.step) };
  return {
    model,
    testCase,
    caseOperation: model.operations.find((o) => o.operationId === testCase.operationId),
    step: rec.step,
    operation: rec.operation,
    params: options.params ?? {},
    request: rec.request,
    exchange: rec.exchange,
    response: rec.exchange.response!,
    steps,
    order: all.map((r) => r.step.id),
    variables: {},
    config: { maxResponseTimeMs: options.maxResponseTimeMs },
  };
}
