/**
 * Values of an operation's query, header and cookie parameters: the one filler. Every request
 * Sentinel builds for a spec operation takes them from here, whether a case's (buildRequest) or
 * one made outside the cases — a setup step's read, a read-back, the identities' pre-flight and
 * re-check, a sign-in — so a parameter the spec requires (an `Accept-Version` header declared on
 * every path) is never missing from a request only because no agent built it.
 */
import type { ApiModel, JsonSchema, Operation, Parameter, RequestTemplate, SecurityScheme } from "../../model";
import { generateVouched } from "../generate/data-mocking";
import { deriveSeed, Rng } from "../generate/random";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { isIdLikeName } from "./names";
import type { ModelValidator } from "../../jsonschema/validate";

/** What the parameter filler needs of an AgentEnv. */
interface ParamEnv {
  model: ApiModel;
  validator: ModelValidator;
}

export type ValueSource = "chain" | "example" | "enum" | "generated";

export interface BuiltParam {
  param: Parameter;
  value: unknown;
  source: ValueSource;
}

/** OpenAPI ignores the first three; the HTTP client sets the others itself (fetch refuses them) */
export const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization", "content-length", "host", "connection", "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer"]);

/** Parameters the identity supplies (apiKey schemes): never generated, never mutated. */
export function credentialParamNames(model: ApiModel): Set<string> {
  const names = new Set<string>();
  for (const scheme of Object.values(model.securitySchemes ?? {}) as SecurityScheme[]) {
    if (scheme.type === "apiKey" && scheme.paramName) names.add(`${scheme.in}:${scheme.paramName.toLowerCase()}`);
  }
  return names;
}

/** Parameters an agent may set: not path, not credentials, not headers OpenAPI says to ignore. */
export function settableParams(env: ParamEnv, op: Operation): Parameter[] {
  const credentials = credentialParamNames(env.model);
  return op.parameters.filter((p) => {
    if (p.in === "path") return false;
    if (credentials.has(`${p.in}:${p.name.toLowerCase()}`)) return false;
    if (p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())) return false;
    return true;
  });
}

export function firstExample(holder: { example?: unknown; examples?: unknown[] }): unknown {
  if (holder.example !== undefined) return holder.example;
  if (Array.isArray(holder.examples) && holder.examples.length > 0) return holder.examples[0];
  return undefined;
}

/** A value for a non-body parameter: example, enum/const or generated (plain wire text). */
export function parameterValue(env: ParamEnv, param: Parameter, rng: Rng, useExamples: boolean): { value: unknown; source: ValueSource } {
  if (useExamples) {
    const example = firstExample(param);
    if (example !== undefined && env.validator.check(example, param.schema) === "valid") return { value: example, source: "example" };
  }
  const flat = flattenAllOf(param.schema, env.model.schemas);
  const enumLike = isObject(flat) && (flat.const !== undefined || Array.isArray(flat.enum));
  const generate = (r: Rng) => generateVouched(param.schema, { schemas: env.model.schemas, rng: r, wire: true, name: param.name, description: param.description, mode: "request", useExamples: true });
  const value = validGenerated(env, param.schema, rng, generate);
  return { value, source: enumLike ? "enum" : "generated" };
}

/**
 * Tries a few draws when the first is invalid (overlapping oneOf branches, unions inside allOf).
 * A draw valid by construction is vouched for instead of validated.
 */
function validGenerated(env: ParamEnv, schema: JsonSchema, rng: Rng, generate: (rng: Rng) => { value: unknown; valid: boolean }): unknown {
  return validDraw(env, schema, rng, generate).value;
}

/** validGenerated, and whether the value is known valid (vouched for or validated). */
export function validDraw(env: ParamEnv, schema: JsonSchema, rng: Rng, generate: (rng: Rng) => { value: unknown; valid: boolean }): { value: unknown; valid: boolean } {
  const verdict = (draw: { value: unknown; valid: boolean }) => (draw.valid ? (env.validator.vouch(draw.value, schema), "valid") : env.validator.check(draw.value, schema));
  const first = generate(rng);
  const firstVerdict = verdict(first);
  if (firstVerdict !== "invalid") return { value: first.value, valid: firstVerdict === "valid" };
  for (let attempt = 1; attempt <= 4; attempt++) {
    const draw = generate(rng.fork(`retry${attempt}`));
    if (verdict(draw) === "valid") return { value: draw.value, valid: true };
  }
  return { value: first.value, valid: false };
}

function headerText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.every((v) => typeof v !== "object" || v === null) ? value.map(String).join(",") : undefined;
  if (typeof value === "object") return undefined;
  return String(value);
}

export interface FilledParameters {
  query: Record<string, unknown>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  queryStyles: NonNullable<RequestTemplate["queryStyles"]>;
  params: BuiltParam[];
  /** every value is schema-valid */
  valid: boolean;
  /** no guessed id, serialisation unambiguous */
  certain: boolean;
  /** every value comes from the spec (example, enum/const) */
  fromSpec: boolean;
}

/**
 * How the executor sends a query parameter when not as form/explode: the style written in the spec
 * (deepObject, explode: false …), or, for one described by a JSON `content`, its value's JSON text
 * under its own name (`filter={"limit":5}`; OpenAPI 3 Parameter Object `content`), never its members
 * as keys of their own.
 */
export function querySerialisation(param: Parameter): NonNullable<RequestTemplate["queryStyles"]>[string] | undefined {
  if (param.contentType !== undefined && /json/i.test(param.contentType)) return { contentType: param.contentType };
  if ((param.style && param.style !== "form") || param.explode === false) return { style: param.style ?? "form", explode: param.explode ?? (param.style ?? "form") === "form" };
  return undefined;
}

/** The query, header and cookie parameters of a request to `op` (path parameters and the body are the caller's). */
export function fillParameters(
  env: ParamEnv,
  op: Operation,
  rng: Rng,
  options: {
    useExamples: boolean;
    optional: "all" | "required" | "random";
    /** a query value an earlier step produces ("{{var}}"), asked of every query parameter with whether it is sent anyway */
    chained?: (param: Parameter, included: boolean) => string | undefined;
  },
): FilledParameters {
  const out: FilledParameters = { query: {}, headers: {}, cookies: {}, queryStyles: {}, params: [], valid: true, certain: true, fromSpec: true };
  for (const param of settableParams(env, op)) {
    const include = param.required || (options.useExamples && firstExample(param) !== undefined) || options.optional === "all" || (options.optional === "random" && rng.bool(0.5));
    const chained = param.in === "query" ? options.chained?.(param, include) : undefined;
    if (chained !== undefined) {
      out.params.push({ param, value: chained, source: "chain" });
      out.query[param.name] = chained;
      continue;
    }
    if (!include) continue;
    const { value, source } = parameterValue(env, param, rng, options.useExamples);
    if (value === undefined) continue;
    out.params.push({ param, value, source });
    if (env.validator.check(value, param.schema) !== "valid") out.valid = false;
    if (source === "generated") out.fromSpec = false;
    if (source === "generated" && isIdLikeName(param.name)) out.certain = false;
    if (param.in === "query") {
      if (isObject(value)) out.certain = false;
      out.query[param.name] = value;
      // the executor serialises arrays and objects by the parameter's style (deepObject, explode: false ...), JSON content as its text
      const serialisation = querySerialisation(param);
      if (serialisation && (serialisation.contentType !== undefined || (value !== null && typeof value === "object"))) out.queryStyles[param.name] = serialisation;
    } else {
      const text = headerText(value);
      if (text === undefined) {
        out.certain = false;
        continue;
      }
      if (param.in === "header") out.headers[param.name] = text;
      else out.cookies[param.name] = text;
    }
  }
  return out;
}

/**
 * The parts of a request to `op` that carry its required query, header and cookie parameters
 * (example, enum/const, else a valid generated value; the same for a given operation and seed),
 * ready to spread into a RequestTemplate made outside buildRequest. `in` narrows the locations.
 */
export function requiredParts(env: ParamEnv & { seed: number }, op: Operation | undefined, locations: readonly Parameter["in"][] = ["query", "header", "cookie"]): Pick<RequestTemplate, "query" | "headers" | "cookies" | "queryStyles"> {
  if (!op) return { query: {}, headers: {} };
  const narrowed = { ...op, parameters: op.parameters.filter((p) => p.required && locations.includes(p.in)) };
  const filled = fillParameters(env, narrowed, new Rng(deriveSeed(env.seed, "required-parameters", `${op.method} ${op.path}`)), { useExamples: true, optional: "required" });
  return {
    query: filled.query,
    headers: filled.headers,
    ...(Object.keys(filled.cookies).length > 0 ? { cookies: filled.cookies } : {}),
    ...(Object.keys(filled.queryStyles).length > 0 ? { queryStyles: filled.queryStyles } : {}),
  };
}
