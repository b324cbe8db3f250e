/**
 * Injection probes. Evidence is something the payload can only cause when it is interpreted:
 * an interpreter's error message, a computed marker, file or metadata content, a delay.
 * Two guards apply to every signature, which is what keeps these checks quiet on honest APIs:
 *  - reflection: text that also appears in the request (an echoed payload) is not evidence;
 *  - baseline: with `params.baselineStep` (the same request with a harmless value), a signature
 *    already present in the baseline response is not evidence either.
 * Time-based evidence (`params.delayMs`) is only judged against a baseline: the payload response
 * must take at least 90% of the delay, and the baseline less than half of it. SQL's differential
 * oracles (boolean and time pairs, with controls and repeats) are in injection-differential.ts.
 */
import { booleanPairVerdict, delayVerdict } from "./injection-differential";
import { isClientError, isSuccess, jsonValue, paramString, resultsKey, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";
import { SQL_ERRORS, type Signature } from "./error-signatures";

const NOSQL_ERRORS: Signature[] = [
  { name: "mongodb", pattern: /MongoServerError|MongoError|MongoNetworkError|MongoParseError/ },
  { name: "mongodb", pattern: /unknown (?:top level )?operator:?\s*\$\w+/i },
  { name: "mongodb", pattern: /\$where (?:is not allowed|clause)|cannot apply \$\w+|BadValue|errmsg.{0,40}\$(?:ne|gt|regex|where)/i },
  { name: "mongoose", pattern: /CastError: Cast to \w+ failed for value/ },
  { name: "couchdb", pattern: /"error"\s*:\s*"(?:query_parse_error|invalid_selector)"/ },
  // not JSON.parse errors ("Unexpected token ' in JSON at position 0"): a server parsing a JSON-typed input reports those honestly
  { name: "javascript", pattern: /SyntaxError: (?:Unexpected token|unterminated string literal|missing \) after)(?!.{0,120}(?:JSON|position \d))/ },
];

const COMMAND_OUTPUT: Signature[] = [
  { name: "id-output", pattern: /\buid=\d+\([\w.-]+\)\s+gid=\d+\([\w.-]+\)/ },
  { name: "windows-dir", pattern: /Volume Serial Number is [0-9A-F]{4}-[0-9A-F]{4}|Directory of [A-Z]:\\/ },
  { name: "windows-ipconfig", pattern: /Windows IP Configuration/ },
  { name: "uname", pattern: /\bLinux \S+ \d+\.\d+\.\d+\S* #\d+ SMP\b/ },
  // `; cat /etc/passwd` prints the file: its lines are command output too
  { name: "etc-passwd", pattern: /\broot:[x*!]?:0:0:/ },
];

const FILE_CONTENT: Signature[] = [
  { name: "etc-passwd", pattern: /\broot:[x*!]?:0:0:/ },
  { name: "etc-passwd", pattern: /\bdaemon:[x*]:1:1:/ },
  { name: "etc-shadow", pattern: /\broot:\$(?:1|5|6|y)\$[^:]{4,}:\d+:/ },
  { name: "win-ini", pattern: /; for 16-bit app support|\[fonts\][\s\S]{0,200}\[extensions\]/i },
  { name: "boot-ini", pattern: /\[boot loader\][\s\S]{0,200}\[operating systems\]/i },
  { name: "web-xml", pattern: /<web-app[\s>][\s\S]*<servlet(?:-mapping)?>/ },
  { name: "proc-environ", pattern: /(?:^|\0)(?:PATH|HOME|HOSTNAME)=\/[^\0]*\0(?:PATH|HOME|HOSTNAME|USER)=/ },
];

const METADATA_CONTENT: Signature[] = [
  { name: "aws-metadata", pattern: /\bami-id\b[\s\S]{0,400}\binstance-id\b|\binstance-id\b[\s\S]{0,400}\bami-id\b/ },
  { name: "aws-credentials", pattern: /"AccessKeyId"\s*:\s*"(?:ASIA|AKIA)[A-Z0-9]{12,}"/ },
  { name: "azure-metadata", pattern: /"azEnvironment"\s*:|"vmId"\s*:\s*"[0-9a-f-]{36}"[\s\S]{0,400}"subscriptionId"/ },
  { name: "gcp-metadata", pattern: /\bnumeric-project-id\b|"numericProjectId"\s*:|"serviceAccounts"\s*:\s*\{[\s\S]{0,200}"default"/ },
  { name: "digitalocean-metadata", pattern: /"droplet_id"\s*:\s*\d+/ },
  { name: "local-file", pattern: /\broot:[x*!]?:0:0:/ },
  { name: "internal-service", pattern: /SSH-2\.0-OpenSSH|\bredis_version:\d/ },
];

/** Everything the request carried, decoded, for the reflection guard. */
export function requestText(ctx: CheckContext): string {
  let url = ctx.request.url;
  try {
    url = decodeURIComponent(url.replace(/\+/g, " "));
  } catch {
    // keep the raw URL
  }
  return [url, ctx.request.body ?? "", ...Object.values(ctx.request.headers), paramString(ctx, "payload") ?? ""].join("\n");
}

function baselineResponse(ctx: CheckContext) {
  return stepRecord(ctx, paramString(ctx, "baselineStep"))?.exchange.response;
}

/** First signature match that is neither reflected from the request nor present in the baseline. */
function findEvidence(ctx: CheckContext, signatures: Signature[]): { name: string; text: string } | undefined {
  const body = ctx.response.body;
  const sent = requestText(ctx);
  const baseline = baselineResponse(ctx)?.body;
  for (const signature of signatures) {
    const match = signature.pattern.exec(body);
    if (!match) continue;
    if (sent.includes(match[0])) continue;
    if (baseline !== undefined && signature.pattern.test(baseline)) continue;
    return { name: signature.name, text: match[0] };
  }
  return undefined;
}

function quoted(text: string): string {
  const single = text.replace(/\s+/g, " ");
  return JSON.stringify(single.length > 80 ? single.slice(0, 79) + "…" : single);
}

export function sql_injection(ctx: CheckContext): CheckResult {
  const pair = booleanPairVerdict(ctx);
  if (pair && pair.status === "failed") return pair;
  const evidence = findEvidence(ctx, SQL_ERRORS);
  if (evidence) return fail(`SQL error from ${evidence.name} after an injection payload: ${quoted(evidence.text)}`, `error:${evidence.name}`);
  const delay = delayVerdict(ctx);
  const engine = paramString(ctx, "engine");
  if (delay) return fail(`time-based SQL injection${engine ? ` (${engine} sleep ${quoted(paramString(ctx, "payload") ?? "")} in ${paramString(ctx, "location") ?? "the input"})` : ""}: ${delay}`, "time-based");
  return pass("no database error or delay caused by the payload");
}

/**
 * Besides error signatures, behaviour: with `baselineStep` (same request, harmless literal),
 * an operator payload that turns a refusal into a 2xx (login bypass) fails; one that returns
 * more items (a bare array, or the results array of a wrapper such as { items, total }) fails
 * only when `controlStep` (a non-operator object in the same place) was refused or did not
 * return as many — otherwise the server simply ignores malformed filters.
 */
export function nosql_injection(ctx: CheckContext): CheckResult {
  const evidence = findEvidence(ctx, NOSQL_ERRORS);
  if (evidence) return fail(`NoSQL error from ${evidence.name} after an operator payload: ${quoted(evidence.text)}`, `error:${evidence.name}`);
  const baseline = baselineResponse(ctx);
  if (!baseline) return pass("no NoSQL error caused by the payload");
  const control = stepRecord(ctx, paramString(ctx, "controlStep"))?.exchange.response;
  const status = ctx.response.status;
  if (!isSuccess(baseline.status) && isSuccess(status)) {
    // without a control, a server that drops a value of the wrong type would look the same
    if (!control) return skip(`operator payload turned ${baseline.status} into ${status}, but no control step tells a dropped value from an injected one`);
    if (isSuccess(control.status)) return skip("a non-operator control value is accepted too");
    return fail(`operator payload turned ${baseline.status} into ${status} where a plain object got ${control.status}`, "behaviour:bypass");
  }
  const key = resultsKey(jsonValue(baseline));
  const before = results(jsonValue(baseline), key);
  const after = results(jsonValue(ctx.response), key);
  if (isSuccess(status) && Array.isArray(before) && Array.isArray(after) && after.length > before.length) {
    const controlled = control ? results(jsonValue(control), key) : undefined;
    // a plain object refused where the operator object was accepted: the operator was read as one
    if (control && isClientError(control.status)) return fail(`operator payload returned ${after.length} items where the literal returned ${before.length}, and a plain object in its place was refused (${control.status})`, "behaviour:more-results");
    if (!Array.isArray(controlled)) return skip(`payload returned ${after.length} items vs ${before.length}, but no control step tells an ignored filter from an injected one`);
    if (controlled.length >= after.length) return skip("the control value returns as many items: the filter is ignored, not injected");
    return fail(`operator payload returned ${after.length} items where the literal returned ${before.length} and a control value ${controlled.length}`, "behaviour:more-results");
  }
  return pass("the operator payload changed nothing");
}

function results(body: unknown, key: string | undefined): unknown {
  if (key === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  return (body as Record<string, unknown>)[key];
}

/** params: { expect?: text only the executed command produces, payload?, baselineStep?, delayMs? } */
export function command_injection(ctx: CheckContext): CheckResult {
  const expect = paramString(ctx, "expect");
  if (expect) {
    const baseline = baselineResponse(ctx)?.body ?? "";
    if (ctx.response.body.includes(expect) && !requestText(ctx).includes(expect) && !baseline.includes(expect)) {
      return fail(`the response contains ${quoted(expect)}, produced only by executing the injected command`, "marker");
    }
  }
  const evidence = findEvidence(ctx, COMMAND_OUTPUT);
  if (evidence) return fail(`command output in the response (${evidence.name}): ${quoted(evidence.text)}`, `output:${evidence.name}`);
  const delay = delayVerdict(ctx);
  if (delay) return fail(`time-based command injection: ${delay}`, "time-based");
  return pass("no sign the payload was executed");
}

export function path_traversal(ctx: CheckContext): CheckResult {
  const evidence = findEvidence(ctx, FILE_CONTENT);
  if (evidence) return fail(`the response contains server file content (${evidence.name}): ${quoted(evidence.text)}`, `file:${evidence.name}`);
  return pass("no file content in the response");
}

/** params: { canaryMarker?: text the canary URL serves (not part of the request), baselineStep? } */
export function ssrf(ctx: CheckContext): CheckResult {
  const marker = paramString(ctx, "canaryMarker");
  if (marker && ctx.response.body.includes(marker) && !requestText(ctx).includes(marker)) {
    return fail("the response contains the canary's content: the server fetched the URL it was given", "canary", "high");
  }
  const evidence = findEvidence(ctx, METADATA_CONTENT);
  if (evidence) return fail(`the response contains internal content (${evidence.name}): ${quoted(evidence.text)}`, `internal:${evidence.name}`, "critical");
  return pass("no fetched internal content in the response");
}

const ARITHMETIC = [/\{\{\s*(\d+)\s*\*\s*(\d+)\s*\}\}/, /\$\{\s*(\d+)\s*\*\s*(\d+)\s*\}/, /<%=\s*(\d+)\s*\*\s*(\d+)\s*%>/, /#\{\s*(\d+)\s*\*\s*(\d+)\s*\}/, /\{\s*(\d+)\s*\*\s*(\d+)\s*\}/];

/** The product an arithmetic template payload renders to, e.g. {{7*7191}} → "50337". */
export function expectedProduct(text: string): string | undefined {
  for (const pattern of ARITHMETIC) {
    const match = pattern.exec(text);
    if (match) return String(BigInt(match[1]) * BigInt(match[2]));
  }
  return undefined;
}

/**
 * params: { payload?, expect? (default: the product of the arithmetic payload), baselineStep? }.
 * Failed when the product appears in the response although the request never contained it (and
 * the baseline response doesn't either). An echo of the raw payload alone is only reflection.
 */
export function template_injection(ctx: CheckContext): CheckResult {
  const payload = paramString(ctx, "payload") ?? requestText(ctx);
  const expect = paramString(ctx, "expect") ?? expectedProduct(payload);
  if (!expect) return skip("no arithmetic payload to look for");
  if (requestText(ctx).includes(expect)) return skip(`the request itself contains ${expect}`);
  const baseline = baselineResponse(ctx)?.body ?? "";
  if (baseline.includes(expect)) return skip(`the baseline response already contains ${expect}`);
  if (!new RegExp(`(^|[^0-9])${expect}([^0-9]|$)`).test(ctx.response.body)) return pass("the payload was not evaluated");
  return fail(`the template payload was evaluated: the response contains ${expect}`, "evaluated");
}
