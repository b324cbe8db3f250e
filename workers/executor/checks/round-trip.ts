/**
 * round_trip: a resource's own representation, read and sent back unchanged (PUT or PATCH with the
 * read's writable fields and every value the server produced: version, checksum, ETag), must be
 * accepted and must change nothing.
 *  - on the write step (`readStep`): judged only when the body sent is a valid request body per
 *    the spec (a representation the write schema does not admit may be refused); 400/409/412/422
 *    are failures (the values are the server's own and current: no conflict, no stale version is
 *    possible), any other refusal (auth, 404, 428 …) no verdict, 5xx is not_a_server_error's;
 *  - on the read after it (`readStep` + `writeStep`): every field sent (members of an object
 *    sent, one by one) reads back as before, fields that change by nature (timestamps, version, etag, checksums and other tokens) aside.
 */
import { validateSchema } from "../../jsonschema/validate";
import { isVolatileKey, sameValue } from "./stateful";
import { header, isPlainObject, isServerError, isSuccess, jsonValue, operationLabel, paramString, stepRecord, truncate } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

const REFUSALS = new Set([400, 409, 412, 422]);

/** Concurrency tokens a write renews by nature (a checksum or lock over content and version). */
const TOKEN_KEY = /checksum|hash|digest|signature|lock|token|nonce|sequence|^seq$/i;

function label(ctx: CheckContext, record = ctx.steps[ctx.step.id]): string {
  return operationLabel(record?.request.method ?? ctx.request.method, record?.step.request.path ?? ctx.step.request.path);
}

function short(value: unknown): string {
  return truncate(JSON.stringify(value) ?? "undefined", 40);
}

export function round_trip(ctx: CheckContext): CheckResult {
  const readId = paramString(ctx, "readStep");
  const read = stepRecord(ctx, readId);
  if (!read?.exchange.response || !isSuccess(read.exchange.response.status)) return skip(`the read (${readId ?? "params.readStep missing"}) did not succeed`);
  const writeId = paramString(ctx, "writeStep");
  return writeId === undefined ? judgeWrite(ctx, readId!) : judgeReadBack(ctx, readId!, writeId);
}

function judgeWrite(ctx: CheckContext, readId: string): CheckResult {
  const sent = ctx.request.resolved.body?.value;
  if (!isPlainObject(sent)) return skip("no representation was sent back");
  const media = ctx.operation?.requestBody?.content.find((m) => /json/i.test(m.contentType) && !/json-patch/i.test(m.contentType));
  if (!media) return skip("the write documents no JSON body");
  const verdict = validateSchema(ctx.model, media.schema, sent, "request", true);
  if (verdict.valid !== true) {
    const why = verdict.valid === false ? `${verdict.violations[0]?.instancePath || "/"}: ${verdict.violations[0]?.message ?? "invalid"}` : verdict.reason;
    return skip(`the representation read back is not a valid request body (${why}): a refusal is no verdict`);
  }
  const { status } = ctx.response;
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (isSuccess(status)) return pass(`its own representation was accepted (${status})`);
  if (!REFUSALS.has(status)) return skip(`${status} is not about the representation`);
  // 412 says a precondition failed: only a refusal when the precondition was the read's own ETag
  if (status === 412) {
    const etag = header(ctx.steps[readId].exchange.response!.headers, "etag");
    if (etag === undefined || header(ctx.request.headers, "if-match") !== etag) return skip("412 without the read's ETag in If-Match: not about the representation");
  }
  const body = ctx.response.body.slice(0, 100).replace(/\s+/g, " ");
  return fail(`${label(ctx)} refused the resource's own unchanged representation (read by ${readId}, every field and produced value sent back as returned) with ${status}: ${body}`, `refused:${status}`);
}

function judgeReadBack(ctx: CheckContext, readId: string, writeId: string): CheckResult {
  const write = stepRecord(ctx, writeId);
  const status = write?.exchange.response?.status;
  if (!write || status === undefined || !isSuccess(status)) return skip(`the write (${writeId}) did not succeed`);
  if (!isSuccess(ctx.response.status)) return skip(`the read answered ${ctx.response.status}`);
  const sent = write.request.resolved.body?.value;
  const before = jsonValue(ctx.steps[readId].exchange.response);
  const after = jsonValue(ctx.response);
  if (!isPlainObject(sent) || !isPlainObject(before) || !isPlainObject(after)) return skip("no JSON objects to compare");
  const changed = changedFields(sent, before, after, "");
  if (changed.length === 0) return pass(`${Object.keys(sent).length} field(s) sent back read back unchanged`);
  const { field, was, now } = changed[0];
  return fail(
    `${label(ctx, write)} sent back ${field}=${short(was)} unchanged (${writeId}), yet ${label(ctx)} now returns ${short(now)}${changed.length > 1 ? ` (+${changed.length - 1} more fields)` : ""}`,
    `changed:${field}`,
  );
}

/**
 * The fields sent that read back otherwise than before, compared only as deep as what was sent:
 * an envelope sent back as `data.attributes` is compared member by member, so a timestamp the
 * read carries beside them (and the write never sent) is no change.
 */
function changedFields(sent: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>, prefix: string): { field: string; was: unknown; now: unknown }[] {
  return Object.keys(sent).flatMap((key) => {
    if (isVolatileKey(key) || TOKEN_KEY.test(key) || !(key in before)) return [];
    const field = `${prefix}${key}`;
    if (isPlainObject(sent[key]) && isPlainObject(before[key]) && isPlainObject(after[key])) return changedFields(sent[key], before[key], after[key], `${field}.`);
    const [s, b, a] = [sent[key], before[key], after[key]];
    // objects in a list, same length on both reads: item by item, as deep as sent
    if (Array.isArray(s) && Array.isArray(b) && Array.isArray(a) && s.length === b.length && b.length === a.length && s.every(isPlainObject)) {
      return s.flatMap((item, i) => (isPlainObject(b[i]) && isPlainObject(a[i]) ? changedFields(item, b[i] as Record<string, unknown>, a[i] as Record<string, unknown>, `${field}.${i}.`) : sameValue(b[i], a[i]) ? [] : [{ field: `${field}.${i}`, was: b[i], now: a[i] }]));
    }
    return sameValue(before[key], after[key]) ? [] : [{ field, was: before[key], now: after[key] }];
  });
}
