/**
 * Stateful chains (create → read → update → delete → read). Each check names the step it relates
 * to in params (e.g. `deleteStep`, `createStep`, `compareWith`, `expectFrom`) or falls back to the
 * most recent matching step. A check only judges when its precondition step succeeded and the
 * current request provably addresses the same resource; otherwise it skips.
 */
import { isJsonPatch, jsonPatchEffect } from "../../shared/json-patch";
import { generalisePath } from "../../jsonschema/validate";
import { escapeRegExp } from "../../shared/regexp";
import { response_schema_conformance } from "./conformance";
import {
  deepEqual,
  header,
  isPlainObject,
  isRedirect,
  isServerError,
  isSuccess,
  getByPointer,
  jsonValue,
  objectShape,
  operationLabel,
  paramString,
  previousStep,
  resolveSchema,
  stepRecord,
  stepsBetween,
} from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult, type StepRecord } from "./types";

const READ_LIKE = new Set(["GET", "HEAD", "PATCH", "OPTIONS"]);

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

function pathOf(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, "");
}

function succeeded(record: StepRecord | undefined): record is StepRecord & { exchange: { response: NonNullable<StepRecord["exchange"]["response"]> } } {
  const status = record?.exchange.response?.status;
  return status !== undefined && isSuccess(status);
}

/** Shared caches can serve the pre-write state: say so in the message. */
function cacheHint(ctx: CheckContext): string {
  const age = header(ctx.response.headers, "age");
  if (age && /^\d+$/.test(age) && Number(age) > 0) return ` (served from a cache: Age ${age})`;
  const xCache = header(ctx.response.headers, "x-cache");
  return xCache && /hit/i.test(xCache) ? ` (served from a cache: X-Cache ${xCache})` : "";
}

export function use_after_free(ctx: CheckContext): CheckResult {
  const method = ctx.request.method;
  if (!READ_LIKE.has(method)) return skip(`${method} may re-create the resource: not a use`);
  const deletion = stepRecord(ctx, paramString(ctx, "deleteStep")) ?? previousStep(ctx, (r) => r.request.method === "DELETE");
  if (!deletion) return skip("no DELETE step before this one");
  if (!succeeded(deletion)) return skip(`the DELETE (${deletion.step.id}) did not succeed`);
  // 202 Accepted: deletion is queued (RFC 9110), the resource may legitimately live on a while
  if (deletion.exchange.response.status === 202) return skip("the DELETE was only accepted (202): deletion may be asynchronous");
  if (!deletion.step.request.path.includes("{")) return skip("the DELETE addressed a collection, not one resource");
  const deletedPath = pathOf(deletion.request.url);
  const usedPath = pathOf(ctx.request.url);
  if (usedPath !== deletedPath && !usedPath.startsWith(deletedPath + "/")) return skip("this request does not address the deleted resource");
  const recreated = stepsBetween(ctx, deletion.step.id).some(
    (r) => !READ_LIKE.has(r.request.method) && r.request.method !== "DELETE" && succeeded(r) && deletedPath.startsWith(pathOf(r.request.url)),
  );
  if (recreated) return skip("the resource was re-created after the DELETE");
  const { status } = ctx.response;
  if (status === 404 || status === 410) return pass(`deleted resource answers ${status}`);
  if (isSuccess(status) && isTombstone(jsonValue(ctx.response)) && !goneDocumented(ctx.operation, deletion.operation)) return pass(`deleted resource answers ${status} with a tombstone (marked deleted)`);
  if (isSuccess(status) || isRedirect(status)) {
    return fail(`${label(ctx)} answered ${status} for a resource deleted by ${deletion.request.method} ${deletion.step.request.path} (${deletion.step.id})${cacheHint(ctx)}`, `${method}:${Math.floor(status / 100)}xx`);
  }
  if (isServerError(status)) {
    // the same resource was read fine before the DELETE: the crash is what the delete left behind
    const readBefore = ctx.order.slice(0, Math.max(0, ctx.order.indexOf(deletion.step.id))).map((id) => ctx.steps[id]).find((r) => r !== undefined && READ_LIKE.has(r.request.method) && pathOf(r.request.url) === usedPath && succeeded(r));
    if (!readBefore) return skip(`${status} is judged by not_a_server_error`);
    return fail(
      `${label(ctx)} answered ${status} for a resource deleted by ${deletion.request.method} ${deletion.step.request.path} (${deletion.step.id}); it answered ${readBefore.exchange.response!.status} before the delete (${readBefore.step.id})`,
      `${method}:5xx`,
    );
  }
  return pass(`deleted resource not served (${status})`);
}

/**
 * Whether the spec says a deleted resource is no longer served: the read documents 410 Gone, or
 * a 404 that names deleted resources ("…or it was deleted"), or the DELETE's own text says what
 * reads answer afterwards ("reads answer 404"). Then a soft-deleted record served is a fault, not
 * a tombstone the API chose to show.
 */
function goneDocumented(read: StepRecord["operation"], deletion: StepRecord["operation"]): boolean {
  if (read?.responses.some((r) => r.status === "410")) return true;
  if (read?.responses.some((r) => r.status === "404" && /\b(deleted|removed)\b/i.test(r.description ?? ""))) return true;
  return /\b(404|410|not found)\b/i.test(`${deletion?.summary ?? ""} ${deletion?.description ?? ""}`);
}

/**
 * A representation that says the resource is gone: `deleted: true` (Stripe-style), `deletedAt`
 * set, or a status/state of deleted/removed/archived. Soft-deleting APIs legitimately serve it.
 */
export function isTombstone(body: unknown): boolean {
  if (!isPlainObject(body)) return false;
  for (const [key, value] of Object.entries(body)) {
    const k = key.toLowerCase().replace(/[^a-z]/g, "");
    if ((k === "deleted" || k === "isdeleted" || k === "archived" || k === "isarchived" || k === "removed") && value === true) return true;
    if ((k === "deletedat" || k === "deletedon" || k === "archivedat" || k === "removedat") && value !== null && value !== undefined && value !== "") return true;
    if ((k === "status" || k === "state" || k === "lifecyclestate") && typeof value === "string" && /^(deleted|removed|archived|deleting|pending[_-]?deletion|trashed|destroyed)$/i.test(value)) return true;
  }
  return false;
}

export function ensure_resource_availability(ctx: CheckContext): CheckResult {
  const creation = stepRecord(ctx, paramString(ctx, "createStep")) ?? previousStep(ctx, (r) => r.request.method === "POST" || r.request.method === "PUT");
  if (!creation) return skip("no create step before this one");
  const createStatus = creation.exchange.response?.status;
  if (createStatus === undefined || !(isSuccess(createStatus) || isRedirect(createStatus))) return skip(`the create (${creation.step.id}) did not succeed`);
  // 202 Accepted: creation is queued, the resource may appear later
  if (createStatus === 202) return skip(`the create (${creation.step.id}) was only accepted (202): creation may be asynchronous`);
  if (!addressesCreated(ctx, creation)) return skip("this request does not use a value from the create response");
  const deleted = stepsBetween(ctx, creation.step.id).some((r) => r.request.method === "DELETE" && succeeded(r));
  if (deleted) return skip("the resource was deleted in between");
  const { status } = ctx.response;
  if (isSuccess(status)) return pass(`created resource is available (${status})`);
  if (status === 404 || status === 410) {
    return fail(`${label(ctx)} answered ${status} for the resource just created by ${creation.request.method} ${creation.step.request.path} (${createStatus})${cacheHint(ctx)}`, `${status}`);
  }
  return skip(`${status} is not about availability`);
}

/** The read uses a variable the create step extracted, or the very same URL path (PUT-create). */
function addressesCreated(ctx: CheckContext, creation: StepRecord): boolean {
  const extracted = Object.keys(creation.step.extract ?? {});
  const template = JSON.stringify([ctx.step.request.path, ctx.step.request.pathParams, ctx.step.request.query]);
  if (extracted.some((name) => new RegExp(`\\{\\{\\s*${escapeRegExp(name)}\\s*\\}\\}`).test(template))) return true;
  return pathOf(ctx.request.url) === pathOf(creation.request.url) && creation.request.method === "PUT";
}

// ---------- idempotency ----------

/** Keys whose values legitimately change between identical requests. */
const VOLATILE_KEY = /(^|[_-])(at|time|timestamp|date|etag|version|revision|rev|nonce)$|(At|Time|Timestamp|Date|Etag|ETag|Version|Revision|On)$|^(created|updated|modified|last[_-]?modified|lastModified|expires|expiry|timestamp|etag|version|revision|request[_-]?id|requestId|trace[_-]?id|traceId|correlation[_-]?id|correlationId|nonce)$/;

export function isVolatileKey(key: string): boolean {
  return VOLATILE_KEY.test(key);
}

/** First differing JSON path, ignoring volatile keys; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = ""): string | undefined {
  if (a === b) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path || "/";
    for (let i = 0; i < a.length; i++) {
      const diff = firstDifference(a[i], b[i], `${path}/${i}`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (isVolatileKey(key)) continue;
      const diff = firstDifference(a[key], b[key], `${path}/${key}`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  return path || "/";
}

export function idempotency(ctx: CheckContext): CheckResult {
  const otherId = paramString(ctx, "compareWith");
  const other = stepRecord(ctx, otherId);
  if (!other?.exchange.response) return skip(`no response of step ${otherId ?? "(params.compareWith missing)"} to compare with`);
  const first = other.exchange.response;
  if (!isSuccess(first.status)) return skip(`the first request (${other.step.id}) did not succeed (${first.status})`);
  const method = ctx.request.method;
  const comparingReads = ctx.params.mode === "read";
  const keyed = !comparingReads && (method === "POST" || method === "PATCH");
  const key = keyed ? idempotencyKey(ctx.request.headers) : undefined;
  if (keyed && key === undefined) return skip(`${method} without Idempotency-Key is not idempotent by definition`);
  if (keyed && (key !== idempotencyKey(other.request.headers) || JSON.stringify(other.request.body) !== JSON.stringify(ctx.request.body))) {
    return skip(`the first request (${other.step.id}) had another key or body: not a replay`);
  }
  const { status } = ctx.response;
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (method === "DELETE" && !comparingReads) {
    return isSuccess(status) || status === 404 || status === 410 ? pass(`repeated DELETE answered ${status}`) : skip(`repeated DELETE answered ${status}`);
  }
  if (status === 409 || status === 412 || status === 428 || status === 429) return skip(`${status}: concurrency control or throttling, not a state change`);
  if (!isSuccess(status)) {
    return fail(`repeating ${label(ctx)} answered ${status} where the first answered ${first.status}`, `status:${first.status}->${Math.floor(status / 100)}xx`);
  }
  const a = jsonValue(first);
  const b = jsonValue(ctx.response);
  if (keyed) return judgeReplay(ctx, other, a, b);
  if (a === undefined || b === undefined) return pass(`both answered 2xx (${first.status}, ${status}); bodies not JSON, not compared`);
  const diff = firstDifference(a, b);
  if (diff === undefined) return pass("same outcome apart from volatile fields");
  const what = comparingReads ? "reads after repeating the request differ" : `repeating ${label(ctx)} changed the response`;
  return fail(`${what} at ${diff}: ${short(getByPointer(a, diff === "/" ? "" : diff))} vs ${short(getByPointer(b, diff === "/" ? "" : diff))}`, `body:${generalisePath(diff)}`);
}

function idempotencyKey(headers: Record<string, string>): string | undefined {
  return header(headers, "idempotency-key") ?? header(headers, "x-idempotency-key");
}

/**
 * A request retried with its Idempotency-Key is answered like the first: the same created
 * resource (its id at `params.idPointer`, else every `id`/`uuid` member outside arrays) and the
 * same Location. Other members may differ (a replay flag, a fresh timestamp); with no id and no
 * Location to compare, the bodies are compared apart from volatile fields.
 */
function judgeReplay(ctx: CheckContext, first: StepRecord, a: unknown, b: unknown): CheckResult {
  const what = `repeating ${label(ctx)} with the same Idempotency-Key`;
  const locations = [first.exchange.response?.headers, ctx.response.headers].map((h) => (h ? header(h, "location") : undefined));
  if (locations[0] !== undefined && locations[1] !== undefined && locations[0] !== locations[1]) {
    return fail(`${what} created another resource: Location ${locations[1]} where the first answered ${locations[0]}`, "key:location");
  }
  const idPointer = paramString(ctx, "idPointer");
  const pointers = idPointer !== undefined ? [idPointer] : idPointers(a);
  const compared = pointers.filter((p) => getByPointer(a, p) !== undefined && getByPointer(b, p) !== undefined);
  for (const pointer of compared) {
    const [x, y] = [getByPointer(a, pointer), getByPointer(b, pointer)];
    if (!deepEqual(x, y)) return fail(`${what} created another resource: ${pointer} ${short(y)} where the first answered ${short(x)}`, `key:${generalisePath(pointer)}`);
  }
  if (compared.length > 0 || locations.every((l) => l !== undefined)) return pass("the retry was answered with the same resource");
  if (a === undefined || b === undefined) return pass("both answered 2xx; bodies not JSON, not compared");
  const diff = firstDifference(a, b);
  if (diff === undefined) return pass("same outcome apart from volatile fields");
  return fail(`${what} changed the response at ${diff}: ${short(getByPointer(a, diff === "/" ? "" : diff))} vs ${short(getByPointer(b, diff === "/" ? "" : diff))}`, `body:${generalisePath(diff)}`);
}

/** Pointers of the members naming a resource (`id`, `uuid`, `_id`) in objects, arrays left out. */
function idPointers(value: unknown, path = "", depth = 0): string[] {
  if (!isPlainObject(value) || depth > 4) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    return /^(id|uuid|_id)$/i.test(key) && (typeof v === "string" || typeof v === "number") ? [at] : idPointers(v, at, depth + 1);
  });
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 40 ? text.slice(0, 39) + "…" : text;
}

// ---------- Location ----------

export function location_header(ctx: CheckContext): CheckResult {
  const createId = paramString(ctx, "createStep");
  if (createId === undefined) return judgeLocationValue(ctx);
  const creation = stepRecord(ctx, createId);
  const location = creation?.exchange.response && header(creation.exchange.response.headers, "location");
  if (!creation || !location) return skip(`step ${createId} returned no Location to follow`);
  let target: URL;
  try {
    target = new URL(location, creation.request.url);
  } catch {
    return skip(`Location ${JSON.stringify(location)} is malformed (judged on ${createId})`);
  }
  if (pathOf(ctx.request.url) !== target.pathname.replace(/\/+$/, "")) return skip("this step does not request the Location target");
  const { status } = ctx.response;
  if (isSuccess(status)) return pass(`Location ${location} answers ${status}`);
  if (status === 404 || status === 410) return fail(`Location ${location} returned by ${creation.request.method} ${creation.step.request.path} answers ${status}`, `target:${status}`);
  return skip(`${status} says nothing about the Location target`);
}

function judgeLocationValue(ctx: CheckContext): CheckResult {
  const { status } = ctx.response;
  if (!isSuccess(status) && !isRedirect(status)) return skip(`${status}: nothing was created`);
  const location = header(ctx.response.headers, "location");
  if (location === undefined) {
    return status === 201 ? pass("201 without Location: the request URI identifies the resource (RFC 9110)") : skip("no Location header");
  }
  let target: URL;
  try {
    target = new URL(location, ctx.request.url);
  } catch {
    return fail(`${label(ctx)} returned an unparseable Location ${JSON.stringify(location)}`, "malformed");
  }
  const decoded = safeDecode(target.pathname);
  if (/[{}]/.test(decoded)) return fail(`${label(ctx)} returned a Location with an unfilled template: ${location}`, "unfilled-template");
  if (/\/(undefined|null|NaN|None|nil|\[object%20Object\]|\[object Object\])(\/|$)/.test(decoded)) return fail(`${label(ctx)} returned a Location with a placeholder segment: ${location}`, "placeholder-segment");
  return pass(`Location ${location} is a valid URI`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------- invariants ----------

/**
 * With `expectFrom` (an update step): the fields that update sent must read back with the values
 * sent — fields the read does not return, readOnly/writeOnly fields, and server normalisations
 * (trimmed text, e-mail case, equal instants in another format) are not mismatches. With
 * `unchangedFrom` + `unchanged` as well, the fields the update left out must keep their values.
 * Without it: the read must still match its documented schema (signature prefixed `schema:`).
 */
export function stateful_invariant(ctx: CheckContext): CheckResult {
  const repeatOf = paramString(ctx, "repeatOf");
  if (repeatOf !== undefined) return repeatedTransition(ctx, repeatOf);
  const fromId = paramString(ctx, "expectFrom");
  if (fromId === undefined) {
    const result = response_schema_conformance(ctx);
    return result.status === "failed" ? { ...result, message: `after the chain, ${result.message}`, signature: `schema:${result.signature}` } : result;
  }
  const update = stepRecord(ctx, fromId);
  if (!succeeded(update)) return skip(`the update (${fromId}) did not succeed`);
  if (!isSuccess(ctx.response.status)) return skip(`the read answered ${ctx.response.status}`);
  // a JSON Patch document is compared by what its add/replace operations wrote
  const body = update.request.resolved.body?.value;
  const sent = isJsonPatch(body) ? jsonPatchEffect(body)?.value : body;
  if (!isPlainObject(sent)) return skip("the update sent no JSON object");
  const pointer = paramString(ctx, "pointer") ?? "";
  const read = getByPointer(jsonValue(ctx.response), pointer);
  if (!isPlainObject(read)) return skip("the read returned no JSON object to compare");
  const requestSchema = update.operation?.requestBody?.content.find((m) => m.contentType.includes("json"))?.schema;
  const properties = objectShape(ctx.model, requestSchema).properties;
  const fields = Array.isArray(ctx.params.fields) ? ctx.params.fields.filter((f): f is string => typeof f === "string") : Object.keys(sent);
  const mismatches: string[] = [];
  let compared = 0;
  const values = new Map<string, [unknown, unknown]>();
  for (const field of fields) {
    if (field.startsWith("/")) {
      // a member inside objects (an envelope's /data/attributes/capacity), by JSON pointer
      const [x, y] = [getByPointer(sent, field), getByPointer(read, field)];
      if (x === undefined || y === undefined || isVolatileKey(field.split("/").pop() ?? "") || !writableAt(ctx, requestSchema, field)) continue;
      values.set(field, [x, y]);
    } else {
      if (!(field in sent) || !(field in read)) continue;
      const schema = resolveSchema(ctx.model, properties[field]);
      if (schema && typeof schema === "object" && (schema.readOnly === true || schema.writeOnly === true)) continue;
      values.set(field, [sent[field], read[field]]);
    }
    compared++;
    const [x, y] = values.get(field)!;
    if (!sameValue(x, y)) mismatches.push(field);
  }
  const changed = changedWithoutBeingSent(ctx, sent, read, pointer);
  if (compared === 0 && changed.length === 0) return skip("the read returns none of the updated fields");
  if (mismatches.length === 0 && changed.length > 0) {
    const { field, before } = changed[0];
    return fail(
      `${update.request.method} ${update.step.request.path} (${fromId}) did not send ${field}, yet ${label(ctx)} returns ${short(read[field])} where it returned ${short(before)} before${changed.length > 1 ? ` (+${changed.length - 1} more fields)` : ""}`,
      `unchanged:${field}`,
    );
  }
  if (mismatches.length === 0) return pass(`${compared} updated field(s) read back as sent`);
  const field = mismatches[0];
  const [x, y] = values.get(field)!;
  return fail(`after ${update.request.method} ${update.step.request.path} (${fromId}) set ${field}=${short(x)}, ${label(ctx)} returns ${short(y)}${mismatches.length > 1 ? ` (+${mismatches.length - 1} more fields)` : ""}`, `field:${field}`);
}

/**
 * params.repeatOf (a state-transition action that succeeded): this step sends the same action again
 * on the same resource, now in the state that action left it in. The agent plans it only when the
 * spec documents a 409 for the action and says the action depends on the state (never when it
 * calls it idempotent): a second 2xx means the transition ran from a state it is documented to refuse.
 */
function repeatedTransition(ctx: CheckContext, repeatOf: string): CheckResult {
  const first = stepRecord(ctx, repeatOf);
  if (!succeeded(first)) return skip(`the first ${repeatOf} did not succeed`);
  if (first.request.url !== ctx.request.url || first.request.method !== ctx.request.method) return skip("the repeat addresses another resource");
  const status = ctx.response.status;
  if (!isSuccess(status)) return pass(`the repeated action answered ${status}`);
  return fail(`${label(ctx)} answered ${status} again right after it succeeded (${repeatOf} answered ${first.exchange.response.status}): the resource is no longer in the state the action leaves, where the spec documents 409`, `repeat:${repeatOf}`);
}

/** Whether the request schema leaves the member at `pointer` writable: neither it nor an object on the way readOnly/writeOnly. */
function writableAt(ctx: CheckContext, schema: Parameters<typeof objectShape>[1], pointer: string): boolean {
  let at = schema;
  for (const token of pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    at = objectShape(ctx.model, at).properties[token];
    const resolved = resolveSchema(ctx.model, at);
    if (resolved === undefined) return true;
    if (typeof resolved === "object" && (resolved.readOnly === true || resolved.writeOnly === true)) return false;
  }
  return true;
}

/**
 * params.unchangedFrom (a read before the update) and params.unchanged (writable fields): a partial
 * update (PATCH, merge semantics) leaves the fields it did not send as they were. Fields that had
 * a value before and read back different after are reported; volatile ones (updatedAt, version)
 * are not compared.
 */
function changedWithoutBeingSent(ctx: CheckContext, sent: Record<string, unknown>, read: Record<string, unknown>, pointer: string): { field: string; before: unknown }[] {
  const before = stepRecord(ctx, paramString(ctx, "unchangedFrom"));
  const names = Array.isArray(ctx.params.unchanged) ? ctx.params.unchanged.filter((f): f is string => typeof f === "string") : [];
  if (!succeeded(before) || names.length === 0) return [];
  const prior = getByPointer(jsonValue(before.exchange.response), pointer);
  if (!isPlainObject(prior)) return [];
  return names
    .filter((name) => !(name in sent) && !isVolatileKey(name) && prior[name] !== undefined && prior[name] !== null && !deepEqual(prior[name], read[name]))
    .map((name) => ({ field: name, before: prior[name] }));
}

/**
 * Numbers stored with less precision (DECIMAL(10,2), float32) read back rounded: 19.999 → 20,
 * 0.1 + 0.2 → 0.3. Equal when the sent value, rounded to the decimals the server returned, is
 * the returned value (or they agree to float32 precision).
 */
function sameNumber(sent: number, got: number): boolean {
  if (sent === got) return true;
  const decimals = (String(got).split(".")[1] ?? "").length;
  if (!Number.isInteger(sent) && decimals < (String(sent).split(".")[1] ?? "").length && Math.abs(Number(sent.toFixed(decimals)) - got) < 1e-9) return true;
  return Math.abs(sent - got) <= Math.abs(sent) * 1e-7;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([Tt ][\d:.]+([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Equality that tolerates the normalisations servers legitimately apply. */
export function sameValue(sent: unknown, got: unknown): boolean {
  if (sent === got) return true;
  if (typeof sent === "string" && typeof got === "string") {
    if (sent.trim() === got.trim()) return true;
    if (sent.includes("@") && sent.toLowerCase() === got.toLowerCase()) return true;
    if (ISO_DATE.test(sent) && ISO_DATE.test(got)) {
      const a = Date.parse(sent);
      const b = Date.parse(got);
      if (Number.isFinite(a) && a === b) return true;
      if (sent.length === 10 && got.startsWith(sent)) return true; // date sent, date-time returned
    }
    return false;
  }
  if (typeof sent === "number" && typeof got === "number") return sameNumber(sent, got);
  if ((typeof sent === "number" && typeof got === "string") || (typeof sent === "string" && typeof got === "number")) {
    return String(sent).trim() !== "" && Number.isFinite(Number(sent)) && Number.isFinite(Number(got)) && sameNumber(Number(sent), Number(got));
  }
  if (Array.isArray(sent) && Array.isArray(got)) {
    if (sent.length !== got.length) return false;
    const remaining = [...got];
    return sent.every((item) => {
      const index = remaining.findIndex((candidate) => sameValue(item, candidate));
      if (index < 0) return false;
      remaining.splice(index, 1);
      return true;
    });
  }
  if (isPlainObject(sent) && isPlainObject(got)) {
    return Object.keys(sent).every((key) => !(key in got) || sameValue(sent[key], got[key]));
  }
  return false;
}

// ---------- optimistic concurrency ----------

/**
 * A write conditioned on an outdated validator (If-Match with the ETag read before an earlier
 * update changed the resource) must be refused (412, RFC 9110 §13.1.1). Judged only when the
 * earlier update succeeded and the resource provably changed since (`staleStep` → `freshStep`):
 * its ETag changed, or it kept the same ETag although a field the update set reads back changed.
 * The latter is the fault itself (RFC 9110 §8.8.3: an entity tag changes with the representation;
 * a weak one may stay only for a semantically equivalent one, which a value the client changed is
 * not): every client's old If-Match still matches, so the stale write goes through.
 */
export function optimistic_concurrency(ctx: CheckContext): CheckResult {
  const update = stepRecord(ctx, paramString(ctx, "updateStep"));
  if (!succeeded(update)) return skip(`the first update (${paramString(ctx, "updateStep") ?? "params.updateStep missing"}) did not succeed`);
  const before = stepRecord(ctx, paramString(ctx, "staleStep"));
  const after = stepRecord(ctx, paramString(ctx, "freshStep"));
  const stale = etagOf(before);
  const fresh = etagOf(after);
  if (stale === undefined || fresh === undefined) return skip("no ETag before and after the update to compare");
  const change = stale === fresh ? changedField(update, before, after) : undefined;
  if (stale === fresh && !change) return skip(`the ETag did not change with the update (${stale}) and no field it set reads back changed: the old one is not stale`);
  const sent = header(ctx.request.headers, "if-match");
  if (sent !== stale) return skip("this request does not carry the outdated ETag in If-Match");
  const { status } = ctx.response;
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (status === 412) return pass("a write with the outdated ETag was refused (412)");
  if (!isSuccess(status)) return pass(`a write with the outdated ETag was refused (${status})`);
  if (change) {
    return fail(
      `${label(ctx)} accepted If-Match ${stale} (${status}), read before ${update.step.id} changed ${change.field} from ${short(change.before)} to ${short(change.after)}: the ETag stayed ${fresh}, so every outdated copy still matches and concurrent writers overwrite each other`,
      "etag-unchanged",
    );
  }
  return fail(`${label(ctx)} accepted If-Match ${stale} (${status}) although ${update.step.id} had already changed the resource (ETag now ${fresh}): concurrent writers overwrite each other`, "stale-etag-accepted");
}

/**
 * A value the update sent that the read before it did not show and the read after it shows: the
 * update changed the representation. Compared by JSON pointer, at the body's top or inside an
 * object the read wraps its record in (`{ "data": {…} }` answering a bare `{…}`).
 */
function changedField(update: StepRecord, before: StepRecord | undefined, after: StepRecord | undefined): { field: string; before: unknown; after: unknown } | undefined {
  const sent = update.request.resolved.body?.value;
  const was = jsonValue(before?.exchange.response);
  const now = jsonValue(after?.exchange.response);
  if (!isPlainObject(sent) || !isPlainObject(now)) return undefined;
  const bases = ["", ...Object.keys(now).filter((key) => !(key in sent) && isPlainObject(now[key])).map((key) => `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`)];
  for (const [pointer, value] of leaves(sent, "")) {
    for (const base of bases) {
      const [x, y] = [getByPointer(was, base + pointer), getByPointer(now, base + pointer)];
      if (x !== undefined && y !== undefined && sameValue(value, y) && !sameValue(value, x) && !deepEqual(x, y)) return { field: base + pointer, before: x, after: y };
    }
  }
  return undefined;
}

/** The scalar (and array) members of a JSON object, by pointer. */
function leaves(value: Record<string, unknown>, prefix: string): [string, unknown][] {
  return Object.entries(value).flatMap(([key, member]) => {
    const pointer = `${prefix}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    return isPlainObject(member) ? leaves(member, pointer) : [[pointer, member] as [string, unknown]];
  });
}

function etagOf(record: StepRecord | undefined): string | undefined {
  if (!succeeded(record)) return undefined;
  const value = header(record.exchange.response.headers, "etag");
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
