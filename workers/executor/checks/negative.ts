/**
 * Input handling: invalid data must be rejected, valid data accepted, required headers enforced,
 * undeclared methods refused. Each check fails only on the status that proves the bug and
 * skips the statuses that say nothing about it (5xx is not_a_server_error's; 429 is throttling).
 */
import type { ReceivedResponse } from "../../model";
import { getByPointer, grantsCredentials, recordIdentity, header, isClientError, isPlainObject, isRedirect, isServerError, isSuccess, jsonValue, listResults, operationLabel, operationsOnPath, paramString, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";
import { ALREADY_TAKEN } from "../../orchestrator/generate/unique";

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

/** `expectedStatuses: [400, "4XX"]` in params overrides the default judgement. */
function expectedStatuses(ctx: CheckContext): ((status: number) => boolean) | undefined {
  const raw = ctx.params.expectedStatuses;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const keys = raw.map((s) => String(s).toUpperCase());
  return (status) => keys.some((key) => key === String(status) || (/^[1-5]XX$/.test(key) && key[0] === String(status)[0]));
}

function describeInvalid(ctx: CheckContext): string {
  const { location, parameter, description } = ctx.params as { location?: string; parameter?: string; description?: string };
  const where = [parameter ? `${location ?? "parameter"} ${parameter}` : location, description].filter(Boolean).join(": ");
  return where ? ` (${where})` : "";
}

export function negative_data_rejection(ctx: CheckContext): CheckResult {
  if (ctx.params.invalid === false) return skip("step marked as valid data");
  if (ctx.testCase.kind !== "negative" && ctx.params.invalid !== true) return skip("not a negative case");
  const { status } = ctx.response;
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (status === 429) return skip("rate limited: no verdict");
  const expected = expectedStatuses(ctx);
  const { location, parameter } = ctx.params as { location?: string; parameter?: string };
  const signature = ["accepted", location, parameter].filter(Boolean).join(":");
  if (expected) return expected(status) ? pass(`${status} is an expected rejection`) : fail(`${label(ctx)} answered ${status} to invalid data${describeInvalid(ctx)}; expected ${String(ctx.params.expectedStatuses)}`, signature);
  if (isClientError(status)) return pass(`invalid data rejected with ${status}`);
  if (isRedirect(status)) return skip(`${status} redirect says nothing about validation`);
  const lenient = lenientVerdict(ctx);
  if (lenient) return lenient;
  return fail(`${label(ctx)} accepted invalid data with ${status}${describeInvalid(ctx)}`, signature);
}

/**
 * A value a server may tolerate (robustness principle) is judged by what it did with it, against
 * the same request without it (`ignoredStep`) and with the nearest valid value (`clampedStep`):
 * answering like either means the value was ignored or clamped — no bug; answering with other
 * records means the server used a value its spec forbids (`limit=-1` returning all but the last).
 * `echoProperty`: an undeclared property of a closed schema that comes back in the response was
 * stored, not ignored.
 */
function lenientVerdict(ctx: CheckContext): CheckResult | undefined {
  // `coercedValue`: a wrong type the response returns converted into the documented type (the
  // number 12345 for a string, stored as "12345"): the server's parser read it as a valid value
  // (Jackson, JSON::Validator, pydantic do by default), nothing invalid was kept
  const coerced = ctx.params.coercedValue;
  if (isPlainObject(coerced) && typeof coerced.pointer === "string" && coerced.pointer !== "") {
    const verdict = coercionVerdict(ctx, coerced.pointer, coerced.value);
    if (verdict) return verdict;
  }
  const echo = paramString(ctx, "echoProperty");
  if (echo !== undefined) {
    const body = jsonValue(ctx.response);
    const holders = [body, ...Object.values(isPlainObject(body) ? body : {})].filter(isPlainObject);
    if (holders.some((h) => Object.prototype.hasOwnProperty.call(h, echo))) return fail(`${label(ctx)} accepted and stored the undeclared property "${echo}" of a closed schema (additionalProperties: false): the response returns it`, `stored:${echo}`);
    return pass(`the undeclared property "${echo}" was ignored`);
  }
  const echoValue = ctx.params.echoValue;
  if (isPlainObject(echoValue) && typeof echoValue.pointer === "string") {
    const body = jsonValue(ctx.response);
    const holders = [body, ...Object.values(isPlainObject(body) ? body : {})].filter(isPlainObject);
    const stored = holders.some((h) => getByPointer(h, echoValue.pointer as string) === echoValue.value);
    if (stored) return fail(`${label(ctx)} accepted and stored ${JSON.stringify(echoValue.value)} at ${echoValue.pointer}, which violates its format: the response returns it`, `stored:${echoValue.pointer}`);
    return pass(`the value violating its format at ${echoValue.pointer} was not stored as sent`);
  }
  const ignoredId = paramString(ctx, "ignoredStep");
  const clampedId = paramString(ctx, "clampedStep");
  if (ignoredId === undefined && clampedId === undefined) return undefined;
  const ids = (response: ReceivedResponse | undefined) => {
    const list = response && isSuccess(response.status) ? listResults(jsonValue(response)) : undefined;
    return list?.map(recordIdentity);
  };
  const mine = ids(ctx.response);
  const before = ids(stepRecord(ctx, ignoredId)?.exchange.response);
  const after = ids(stepRecord(ctx, paramString(ctx, "ignoredAgainStep"))?.exchange.response) ?? before;
  const clamped = ids(stepRecord(ctx, clampedId)?.exchange.response);
  if (!mine || !before || !after || !clamped) return skip("no listing to compare: a tolerated value cannot be told from a used one");
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
  const reported = reportedUse(ctx, clampedId, ignoredId);
  if (reported) return reported;
  if (same(mine, before) || same(mine, clamped)) return pass("the invalid value was ignored or clamped to the nearest valid one");
  if (!same(before, after)) {
    // other requests in flight changed the collection. The records listed both before and after the
    // probe were there throughout, so ignoring the value would have listed at least as many of them
    // as the page without it holds, and clamping at least as many as the nearest valid value's page:
    // fewer than both is a used value, however much else was created or deleted meanwhile (a full
    // page shows no growth)
    const grown = new Set(after);
    const kept = before.filter((id) => grown.has(id)).length;
    if (mine.length < Math.min(before.length, kept) && mine.length < Math.min(clamped.length, kept)) return usedVerdict(ctx);
    // otherwise only plain growth still allows a verdict
    if (!(after.length > before.length && before.every((id) => grown.has(id)))) return skip("the collection changed while probing (other requests in flight): no verdict");
    const had = new Set(mine);
    if (before.every((id) => had.has(id)) && mine.every((id) => grown.has(id))) return pass("the invalid value was ignored (the collection grew meanwhile)");
    if (mine.length === clamped.length) return skip("as many records as the nearest valid value, while the collection grew: no verdict");
  }
  if (same(before, clamped)) return skip("omitting the value and its nearest valid one answer alike: nothing to tell apart");
  if (mine.length === clamped.length) return skip("as many records as the nearest valid value: no verdict");
  return usedVerdict(ctx);
}

/**
 * An answer that says which value it used: it reports the invalid number sent (`sentNumber`,
 * `page[size]=51` → `meta.page.size: 51`) at a place, outside the listed records, where the
 * answer to the nearest valid value (`clampedNumber`) reports that one and the answer without the
 * parameter does not report the invalid one. Told apart even when the collection is too small for
 * the records to differ.
 */
function reportedUse(ctx: CheckContext, clampedId: string | undefined, ignoredId: string | undefined): CheckResult | undefined {
  const sent = ctx.params.sentNumber;
  const near = ctx.params.clampedNumber;
  if (typeof sent !== "number" || typeof near !== "number") return undefined;
  const clampedBody = jsonValue(stepRecord(ctx, clampedId)?.exchange.response);
  const ignoredBody = jsonValue(stepRecord(ctx, ignoredId)?.exchange.response);
  for (const pointer of numberPointers(jsonValue(ctx.response), sent)) {
    if (getByPointer(clampedBody, pointer) === near && getByPointer(ignoredBody, pointer) !== sent) {
      return fail(
        `${label(ctx)} accepted invalid data with ${ctx.response.status}${describeInvalid(ctx)} and used it: the answer reports ${pointer} = ${sent}, where the nearest valid value's answer reports ${near}`,
        ["accepted", ctx.params.location, ctx.params.parameter].filter(Boolean).join(":"),
      );
    }
  }
  return undefined;
}

/** Pointers of the members equal to `value` in the objects of a JSON answer (arrays, the records, are not entered). */
function numberPointers(body: unknown, value: number, prefix = "", depth = 0): string[] {
  if (!isPlainObject(body) || depth > 4) return [];
  return Object.entries(body).flatMap(([key, member]) => {
    const pointer = `${prefix}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    return member === value ? [pointer] : numberPointers(member, value, pointer, depth + 1);
  });
}

function usedVerdict(ctx: CheckContext): CheckResult {
  const count = listResults(jsonValue(ctx.response))?.length ?? 0;
  return fail(
    `${label(ctx)} accepted invalid data with ${ctx.response.status}${describeInvalid(ctx)} and used it: ${count} records, unlike both the request without it and with the nearest valid value`,
    ["accepted", ctx.params.location, ctx.params.parameter].filter(Boolean).join(":"),
  );
}

/** The values at `pointer` of a JSON answer, or of one of its top-level members (an envelope's `data`). */
function valuesAt(response: ReceivedResponse | undefined, pointer: string): unknown[] {
  const body = response && isSuccess(response.status) ? jsonValue(response) : undefined;
  const holders = [body, ...Object.values(isPlainObject(body) ? body : {})].filter(isPlainObject);
  return holders.map((h) => getByPointer(h, pointer)).filter((v) => v !== undefined);
}

/**
 * A number sent for a string, judged by what the server kept: returned converted (by the write's
 * answer or the read-back step `readBackStep`), it was read as a valid value; read back as sent,
 * the wrong type was stored. An answer with no body shows neither: without a read-back that shows
 * the stored value there is no evidence either way, so no verdict (a 204 from a converting parser
 * looks exactly like one from a server that kept the number).
 */
function coercionVerdict(ctx: CheckContext, pointer: string, converted: unknown): CheckResult | undefined {
  const shownConverted = `the wrong type at ${pointer} was converted into its documented type`;
  const answered = valuesAt(ctx.response, pointer).find((v) => sameConverted(v, converted));
  if (answered !== undefined) return pass(`${shownConverted}: the response returns ${JSON.stringify(answered)}`);
  const readBack = stepRecord(ctx, paramString(ctx, "readBackStep"));
  const read = valuesAt(readBack?.exchange.response, pointer);
  if (read.some((v) => sameConverted(v, converted))) return pass(`${shownConverted}: the read-back returns ${JSON.stringify(converted)}`);
  const sent = getByPointer(ctx.request.resolved.body?.value, pointer);
  if (sent !== undefined && read.some((v) => JSON.stringify(v) === JSON.stringify(sent))) {
    return fail(`${label(ctx)} accepted invalid data with ${ctx.response.status}${describeInvalid(ctx)} and stored it: ${readBack!.request.method} ${pathOf(readBack!.request.url)} returns ${JSON.stringify(sent)} at ${pointer}`, ["accepted", ctx.params.location, ctx.params.parameter].filter(Boolean).join(":"));
  }
  if (jsonValue(ctx.response) === undefined) return skip(`the answer ${ctx.response.status} has no body and no read-back shows what was stored at ${pointer}: a converted value cannot be told from an accepted wrong type`);
  // a secret the server shows only masked ("**********"): the mask looks the same whatever was stored
  const shown = [...valuesAt(ctx.response, pointer), ...read];
  if (shown.length > 0 && shown.every(isMasked)) return skip(`the answer shows ${pointer} only masked (${JSON.stringify(shown[0])}): a converted value cannot be told from an accepted wrong type`);
  return undefined;
}

/**
 * The converted value, or the same number written as the store writes it: a number sent for a
 * string that a decimal column keeps answers `"12345.00"` for `"12345"`, still the documented type.
 */
function sameConverted(shown: unknown, converted: unknown): boolean {
  if (shown === converted) return true;
  const decimal = /^-?\d+(\.\d+)?$/;
  return typeof shown === "string" && typeof converted === "string" && decimal.test(shown) && decimal.test(converted) && Number(shown) === Number(converted);
}

/** A value a server puts in place of a secret it will not show: a run of mask characters only. */
function isMasked(value: unknown): boolean {
  return typeof value === "string" && /^[*•●]{3,}$/.test(value);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * params: { valid?, expectedStatuses?, baselineStep?, location?, description? }.
 * With `baselineStep` (the same request with ordinary values, sent just before) the verdict is
 * differential: a refusal only counts when the baseline was accepted, so what is refused is the
 * one value that differs (e.g. a string at its documented maxLength), not the rest of the data.
 */
/**
 * A refusal saying the deployment lacks a capability the value asks for ("no DNSSEC capable
 * backend was found", "signing is not enabled on this server"): a valid value this instance is
 * not set up for, not a value the API wrongly refuses.
 */
const LACKS_CAPABILITY = /\bno [\w-]*?[ -]?capable\b|\bcheck (?:your|the) (?:server |backend )?configuration\b|\bnot (?:enabled|configured) (?:on|in|for) (?:this|the) (?:server|instance|deployment|backend)\b|\b(?:backend|server|instance)s? (?:does not|doesn't|do not|cannot|can't) support\b/i;

export function positive_data_acceptance(ctx: CheckContext): CheckResult {
  if (ctx.params.valid === false) return skip("step marked as invalid data");
  if (ctx.testCase.kind !== "positive" && ctx.params.valid !== true) return skip("not a positive case");
  const { status } = ctx.response;
  const expected = expectedStatuses(ctx);
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  const baselineId = typeof ctx.params.baselineStep === "string" ? ctx.params.baselineStep : undefined;
  if (baselineId !== undefined) {
    const baseline = ctx.steps[baselineId]?.exchange.response;
    if (!baseline || !isSuccess(baseline.status)) return skip(`the baseline (${baselineId}) was not accepted: nothing to compare with`);
  }
  if (expected) return expected(status) ? pass(`${status} is expected`) : fail(`${label(ctx)} rejected schema-valid data with ${status}`, `rejected:${status}`);
  if (isSuccess(status) || isRedirect(status)) return pass(`valid data accepted with ${status}`);
  // statuses about credentials, existence, state, throttling or size limits, not about data validity
  if (status === 401 || status === 403) return skip(`${status}: credentials, not data`);
  if (status === 404 || status === 410) return skip(`${status}: the addressed resource may not exist`);
  if (status === 409 || status === 412 || status === 428) return skip(`${status}: resource state, not data`);
  if (status === 408 || status === 429) return skip(`${status}: throttled or slow`);
  if (status === 413 || status === 414 || status === 431) return skip(`${status}: size limit not expressed in the schema`);
  if ((status === 400 || status === 422) && grantsCredentials(ctx.step.request.path)) return skip(`${status} from a credential endpoint: unknown credentials are rejected as data`);
  if ((status === 400 || status === 422) && ALREADY_TAKEN.test(ctx.response.body.slice(0, 2000))) return skip(`${status} says a value is already taken: resource state, not data`);
  if (status >= 400 && status < 500 && LACKS_CAPABILITY.test(ctx.response.body.slice(0, 2000))) return skip(`${status} says this deployment lacks what the value asks for: configuration, not data`);
  const body = ctx.response.body.slice(0, 100).replace(/\s+/g, " ");
  if (baselineId === undefined) return fail(`${label(ctx)} rejected schema-valid data with ${status}: ${body}`, `rejected:${status}`);
  const detail = [ctx.params.location, ctx.params.description].filter((p): p is string => typeof p === "string");
  return fail(
    `${label(ctx)} rejected schema-valid data${describeInvalid(ctx)} with ${status} although the same request with ordinary values was accepted: ${body}`,
    ["rejected", status, ...detail].join(":"),
  );
}

export function missing_required_header(ctx: CheckContext): CheckResult {
  const name = typeof ctx.params.header === "string" ? ctx.params.header : undefined;
  if (!name) return skip("params.header names no header");
  if (header(ctx.request.headers, name) !== undefined) return skip(`the request still carried ${name}`);
  const { status } = ctx.response;
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (isSuccess(status)) return fail(`${label(ctx)} answered ${status} without the required header ${name}`, `header:${name.toLowerCase()}`);
  if (isClientError(status)) return pass(`missing ${name} rejected with ${status}`);
  return skip(`${status} says nothing about the header`);
}

/**
 * RFC 9110: a method the resource does not support gets 405 with an Allow header; 501 when the
 * server does not implement the method at all. Failures: 2xx (the undeclared method did
 * something: medium) and 405 without Allow (info: a protocol nit, not a risk).
 * Any other 4xx refused the method all the same — routers that match method and path together
 * answer 404 (Express, Rails), auth may run before routing (401/403), some answer 400 — so
 * it gets no verdict; neither do 429, redirects and 5xx (not_a_server_error's).
 */
export function unsupported_method(ctx: CheckContext): CheckResult {
  const method = ctx.request.method.toUpperCase();
  const path = ctx.step.request.path;
  const declared = operationsOnPath(ctx.model, path).map((op) => op.method.toUpperCase());
  if (declared.includes(method)) return skip(`${method} is documented for ${path}`);
  if (method === "OPTIONS") return skip("OPTIONS is answered by frameworks and CORS layers");
  if (method === "HEAD" && declared.includes("GET")) return skip("HEAD is implied by GET");
  const { status } = ctx.response;
  if (status === 405) {
    if (header(ctx.response.headers, "allow") === undefined) return fail(`${method} ${path} answered 405 without the Allow header RFC 9110 requires`, "405-without-allow", "info");
    return pass("405 with Allow");
  }
  if (status === 501) return pass("501: method not implemented");
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (status === 429) return skip("rate limited: no verdict");
  if (isRedirect(status)) return skip(`${status} redirect: no verdict`);
  if (isSuccess(status)) return fail(`undocumented method ${method} on ${path} was executed (${status}) instead of 405`, `${method}:executed`, "medium");
  if (isClientError(status)) return skip(`${status}: the method was refused, though not with 405`);
  return skip(`${status}: no verdict`);
}
