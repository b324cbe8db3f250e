/**
 * Conformance: does the response match what the spec documents for this operation?
 * Every check skips (never fails) when the step hit no documented operation, and when the
 * spec documents nothing to compare against: absence of documentation is not a bug here.
 */
import { LISTED_VARIABLE_PREFIX, type JsonSchema, type Operation } from "../../model";
import { generalisePath, validateSchema } from "../../jsonschema/validate";
import {
  findResponseSpec,
  header,
  isJsonMediaType,
  isServerError,
  mediaTypeMatches,
  operationLabel,
  parseMediaType,
  resolveSchema,
  responseJson,
  responseSchemaFor,
  truncate,
} from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";
import { documentedAsStream } from "../streaming";
import { projectedOut } from "./projection";

const NO_BODY_STATUSES = new Set([204, 205, 304]);

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

function hasNoBody(ctx: CheckContext): boolean {
  return NO_BODY_STATUSES.has(ctx.response.status) || ctx.request.method === "HEAD" || (ctx.response.bodySize === 0 && !ctx.response.bodyTruncated);
}

export function not_a_server_error(ctx: CheckContext): CheckResult {
  const { status } = ctx.response;
  if (!isServerError(status)) return pass(`${status} is not a server error`);
  // 501 is the RFC 9110 answer for a method the server does not implement at all
  if (status === 501 && !ctx.operation) return pass(`501 for the undocumented method ${ctx.request.method}`);
  // RFC 9110: 503 + Retry-After announces a temporary overload or maintenance, not a failure to handle the request
  if (status === 503 && header(ctx.response.headers, "retry-after") !== undefined) return skip("503 with Retry-After: temporarily unavailable, no verdict");
  // RFC 9110: 502/504 say the server, acting as a gateway, got no valid answer from a server it
  // called on the request's behalf (e.g. an import from a URL); the operation documenting exactly
  // that status makes it the contract's answer to a failing upstream, not a crash of this server
  if ((status === 502 || status === 504) && ctx.operation?.responses.some((r) => r.status === String(status))) {
    return skip(`${status} is documented: an upstream server the operation called failed, no verdict`);
  }
  // RFC 9110 §15.6.2: 501 says the server does not support the functionality the request asks for
  // (a kernel, a backend that is not installed); an operation documenting it answers so by contract
  if (status === 501 && ctx.operation?.responses.some((r) => r.status === "501")) return skip("501 is documented: the operation does not support what the request asked for, no verdict");
  const detail = ctx.response.body ? `: ${truncate(ctx.response.body, 100)}` : "";
  const documented = ctx.operation ? undocumentedStatus(ctx.operation, status) : undefined;
  const note = documented === undefined ? "" : ` (not documented either; documented: ${documented})`;
  return fail(`${label(ctx)} answered ${status}${note}${detail}`, `status:${status}`);
}

/** The operation's documented statuses when `status` is not among them (nor under a range or `default`). */
function undocumentedStatus(op: Operation, status: number): string | undefined {
  if (op.responses.length === 0 || op.responses.some((r) => r.status.trim().toLowerCase() === "default")) return undefined;
  return findResponseSpec(op, status) ? undefined : op.responses.map((r) => r.status).join(", ");
}

/**
 * Statuses any HTTP server may answer for reasons outside the operation's contract, so an
 * undocumented one is no finding: refusals of the configured identity (401/403/407: they depend
 * on who calls, not on the API), throttling (429), overload (503 + Retry-After), and 404/410 for
 * a path whose ids were not obtained from the API itself (an example or generated id need not exist).
 */
function outsideContract(ctx: CheckContext, status: number): string | undefined {
  if (status === 401 || status === 403 || status === 407) return `${status} refuses the identity used, it says nothing about the contract`;
  if (status === 429) return "429: throttled";
  if (status === 503 && header(ctx.response.headers, "retry-after") !== undefined) return "503 with Retry-After: temporarily unavailable";
  if ((status === 404 || status === 410) && addressesUnknownId(ctx)) return `${status} for an id that was not obtained from the API`;
  return undefined;
}

/**
 * The path has parameters and at least one was not filled from a variable an earlier step
 * extracted, or only from a listing's first item (LISTED_VARIABLE_PREFIX; also a create's variable
 * the listing filled in its place, Step.instead, which extracts the listed variable beside it).
 */
function addressesUnknownId(ctx: CheckContext): boolean {
  const names = [...ctx.step.request.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
  return names.some((name) => {
    const value = ctx.step.request.pathParams?.[name];
    const variable = typeof value === "string" ? /\{\{\s*([\w$.-]+)\s*\}\}/.exec(value)?.[1] : undefined;
    return variable === undefined || variable.startsWith(LISTED_VARIABLE_PREFIX) || ctx.variables[`${LISTED_VARIABLE_PREFIX}${variable}`] !== undefined;
  });
}

/** "redirects to the cookie list", "Redirect to …", "redirects the client back to …"; not "Creates a redirect". */
const REDIRECT_PROSE = /\bredirect(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,3}?to\b/i;

/**
 * A 3xx with a Location from an operation whose own text says it redirects ("Sets a cookie and
 * redirects to the cookie list"): the status listed is where the redirect leads (what a browser or
 * the spec's own try-it-out console shows), and the prose documents the 3xx itself.
 */
function redirectInProse(ctx: CheckContext, op: Operation, status: number): string | undefined {
  if (status < 300 || status > 399 || status === 304 || header(ctx.response.headers, "location") === undefined) return undefined;
  const texts = [op.summary, op.description, ...op.responses.filter((r) => r.status.startsWith("2")).map((r) => r.description)];
  const said = texts.find((t): t is string => typeof t === "string" && REDIRECT_PROSE.test(t));
  return said === undefined ? undefined : `${status} with a Location: the operation says it redirects ("${truncate(said, 80)}")`;
}

export function status_code_conformance(ctx: CheckContext): CheckResult {
  const op = ctx.operation;
  if (!op) return skip(`no documented operation for ${label(ctx)}`);
  if (op.responses.length === 0) return skip("the operation documents no responses");
  if (op.responses.some((r) => r.status.trim().toLowerCase() === "default")) return pass("a default response covers every status");
  const { status } = ctx.response;
  const spec = findResponseSpec(op, status);
  if (spec) return pass(`${status} is documented (${spec.status})`);
  const outside = outsideContract(ctx, status);
  if (outside) return skip(outside);
  // one bug, one finding: an undocumented 5xx is a crash, and not_a_server_error on the same step
  // reports it (its message says the status is undocumented too); alone, this check still does
  if (isServerError(status) && ctx.step.checks.some((c) => c.name === "not_a_server_error")) return skip(`${status}: a server error, reported by not_a_server_error`);
  const redirect = redirectInProse(ctx, op, status);
  if (redirect) return pass(redirect);
  // the agent could not make this request schema-valid: a 4xx may be the rejection the spec implies
  if (ctx.params.requestValid === false && status >= 400 && status < 500) return skip(`${status} to a request that is not known to be schema-valid`);
  const documented = op.responses.map((r) => r.status).join(", ");
  return fail(`${label(ctx)} answered ${status}, which is not documented (documented: ${documented})`, `status:${status}`);
}

export function content_type_conformance(ctx: CheckContext): CheckResult {
  const op = ctx.operation;
  if (!op) return skip(`no documented operation for ${label(ctx)}`);
  const spec = findResponseSpec(op, ctx.response.status);
  if (!spec) return skip(`status ${ctx.response.status} is not documented`);
  if (spec.content.length === 0) return skip(`no media type documented for ${spec.status}`);
  if (hasNoBody(ctx)) return skip("the response has no body");
  const documented = spec.content.map((m) => m.contentType);
  const received = header(ctx.response.headers, "content-type");
  if (!received) return fail(`${label(ctx)} answered ${ctx.response.status} with a body but no Content-Type (documented: ${documented.join(", ")})`, "content-type:missing");
  if (!parseMediaType(received)) return fail(`${label(ctx)} answered with a malformed Content-Type ${JSON.stringify(received)}`, "content-type:malformed");
  if (documented.some((d) => mediaTypeMatches(d, received))) return pass(`${received} is documented`);
  const essence = received.split(";")[0].trim().toLowerCase();
  // a success whose every documented JSON type is a vendor type (application/vnd.api+json: JSON:API,
  // whose clients reject anything else) answered as plain application/json breaks its contract
  const json = documented.filter((d) => isJsonMediaType(d));
  if (essence === "application/json" && ctx.response.status < 300 && json.length > 0 && json.every((d) => /^application\/vnd\.[^;\s]+\+json$/i.test(d.split(";")[0].trim()))) {
    return fail(`${label(ctx)} answered ${ctx.response.status} with plain application/json, documented: ${documented.join(", ")}`, "content-type:application/json");
  }
  // JSON is JSON: application/problem+json (RFC 9457) for a documented application/json, or the reverse
  if (isJsonMediaType(received) && documented.some((d) => isJsonMediaType(d))) return pass(`${received} is JSON like the documented ${documented.filter((d) => isJsonMediaType(d)).join(", ")}`);
  return fail(`${label(ctx)} answered ${ctx.response.status} with ${essence}, documented: ${documented.join(", ")}`, `content-type:${essence}`);
}

export function response_schema_conformance(ctx: CheckContext): CheckResult {
  const op = ctx.operation;
  if (!op) return skip(`no documented operation for ${label(ctx)}`);
  const { spec, schema, contentType } = responseSchemaFor(op, ctx.response);
  if (!spec) return skip(`status ${ctx.response.status} is not documented`);
  if (schema === undefined || !contentType) return skip(`no schema documented for ${spec.status}`);
  if (!isJsonMediaType(contentType)) return skip(`documented media type ${contentType} is not JSON`);
  const received = header(ctx.response.headers, "content-type");
  // a body declared as another type is content_type_conformance's finding, not a schema one
  if (received && parseMediaType(received) && !isJsonMediaType(received)) return skip(`response is ${received}, not JSON`);
  if (NO_BODY_STATUSES.has(ctx.response.status) || ctx.request.method === "HEAD") return skip("the response has no body");
  if (ctx.response.bodyTruncated) return skip(`body truncated at ${ctx.response.bodySize} bytes: cannot validate`);
  if (documentedAsStream(spec.description)) {
    const messages = jsonSequence(ctx.response.body);
    if (messages) return streamVerdict(ctx, schema, spec.status, messages);
  }
  const parsed = responseJson(ctx.response);
  if (!parsed.ok) {
    const what = parsed.error === "empty body" ? "an empty body" : `a body that is not JSON (${truncate(parsed.error, 80)})`;
    return fail(`${label(ctx)} answered ${ctx.response.status} with ${what} where JSON is documented`, parsed.error === "empty body" ? "json:empty" : "json:invalid");
  }
  const verdict = validateSchema(ctx.model, schema, parsed.value, "response");
  if (verdict.valid === "unknown") return skip(`schema cannot be evaluated: ${verdict.reason}`);
  if (verdict.valid) return pass(`body matches the schema documented for ${spec.status}`);
  // a required member the request's field projection left out is absent by request (projection.ts)
  const leftOut = projectedOut(ctx.request.url);
  const missing = (v: { keyword: string; message: string }) => (v.keyword === "required" ? /required property "([^"]+)"/.exec(v.message)?.[1] : undefined);
  const violations = leftOut
    ? verdict.violations.filter((v) => {
        const name = missing(v);
        return name === undefined || !leftOut(name);
      })
    : verdict.violations;
  if (violations.length === 0) return pass(`body matches the schema documented for ${spec.status} but for members the request's projection left out`);
  const [first, ...rest] = violations;
  const where = first.instancePath || "/";
  const more = rest.length > 0 ? ` (+${rest.length} more)` : "";
  return fail(`${label(ctx)} ${ctx.response.status} body violates the schema at ${where}: ${first.message}${more}`, `${first.keyword}:${generalisePath(first.instancePath) || "/"}`);
}

/**
 * A response its spec documents as a stream (executor/streaming.ts) is a sequence of JSON texts,
 * one per line, each meeting the schema; a stream that ended (or was closed quiet) before its
 * first message is an empty body.
 */

/** The JSON texts of a newline-delimited sequence, or undefined when a line is not JSON. */
function jsonSequence(body: string): unknown[] | undefined {
  const out: unknown[] = [];
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      return undefined;
    }
  }
  return out;
}

function streamVerdict(ctx: CheckContext, schema: JsonSchema, status: string, messages: unknown[]): CheckResult {
  if (messages.length === 0) return pass(`an empty stream (no message) for ${status}, documented as streaming`);
  for (const [i, message] of messages.entries()) {
    const verdict = validateSchema(ctx.model, schema, message, "response");
    if (verdict.valid === "unknown") return skip(`schema cannot be evaluated: ${verdict.reason}`);
    if (verdict.valid) continue;
    const first = verdict.violations[0];
    return fail(`${label(ctx)} ${ctx.response.status} stream message ${i + 1} violates the schema at ${first.instancePath || "/"}: ${first.message}`, `${first.keyword}:${generalisePath(first.instancePath) || "/"}`);
  }
  return pass(`each of the ${messages.length} stream messages matches the schema documented for ${status}`);
}

export function response_headers_conformance(ctx: CheckContext): CheckResult {
  const op = ctx.operation;
  if (!op) return skip(`no documented operation for ${label(ctx)}`);
  const spec = findResponseSpec(op, ctx.response.status);
  if (!spec) return skip(`status ${ctx.response.status} is not documented`);
  // OpenAPI: a Content-Type response header definition is ignored
  const documented = spec.headers.filter((h) => h.name.toLowerCase() !== "content-type");
  if (documented.length === 0) return skip(`no headers documented for ${spec.status}`);
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const definition of documented) {
    const value = header(ctx.response.headers, definition.name);
    if (value === undefined) {
      if (definition.required) missing.push(definition.name);
      continue;
    }
    const schema = referenceHeaderSchema(ctx, definition.name, definition.schema);
    const verdict = validateSchema(ctx.model, schema, coerceHeader(ctx, value, schema), "response");
    if (verdict.valid === false) invalid.push(`${definition.name}=${JSON.stringify(truncate(value, 40))} (${verdict.violations[0].message})`);
  }
  if (missing.length === 0 && invalid.length === 0) return pass("documented headers present and valid");
  const parts: string[] = [];
  if (missing.length) parts.push(`missing required header${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (invalid.length) parts.push(`invalid ${invalid.join("; ")}`);
  const signature = missing.length
    ? `missing:${missing.map((h) => h.toLowerCase()).sort().join(",")}`
    : `invalid:${invalid.map((h) => h.split("=")[0].toLowerCase()).sort().join(",")}`;
  return fail(`${label(ctx)} ${ctx.response.status}: ${parts.join("; ")}`, signature);
}

/**
 * HTTP defines Location as a URI-reference (RFC 9110 §10.2.2) and Content-Location as an absolute
 * or partial URI (§8.7): a relative `Location: segments/15` is valid HTTP, so a documented
 * `format: uri` is read as `uri-reference` for these two headers.
 */
function referenceHeaderSchema(ctx: CheckContext, name: string, schema: JsonSchema): JsonSchema {
  if (!/^(content-)?location$/i.test(name)) return schema;
  const resolved = resolveSchema(ctx.model, schema);
  if (!resolved || typeof resolved !== "object" || resolved.format !== "uri") return schema;
  return { ...resolved, format: "uri-reference" };
}

/** Header values are text; read them as the schema's type before validating (as Schemathesis does). */
function coerceHeader(ctx: CheckContext, value: string, schema: JsonSchema): unknown {
  const resolved = resolveSchema(ctx.model, schema);
  const type = resolved && typeof resolved === "object" ? resolved.type : undefined;
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("string")) return value;
  const text = value.trim();
  if ((types.includes("integer") || types.includes("number")) && text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (types.includes("boolean") && /^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  if (types.includes("array")) return text === "" ? [] : text.split(",").map((item) => coerceItem(item.trim(), resolved));
  return value;
}

function coerceItem(item: string, schema: JsonSchema | undefined): unknown {
  const items = schema && typeof schema === "object" ? (schema.items as { type?: unknown } | undefined) : undefined;
  const type = items?.type;
  if ((type === "integer" || type === "number") && item !== "" && Number.isFinite(Number(item))) return Number(item);
  if (type === "boolean" && /^(true|false)$/i.test(item)) return item.toLowerCase() === "true";
  return item;
}
