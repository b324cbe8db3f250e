/**
 * Abuse of authentication: telling which accounts exist (user_enumeration), guessing passwords
 * without being slowed down (auth_rate_limit) and forging tokens whose HMAC secret is a common one
 * (weak_jwt_secret). Each judges only evidence: a 429 or a 5xx anywhere leaves the comparison
 * unjudged, and two identical attempts that already answer differently make a difference noise.
 */
import { compactVerify } from "jose";
import { getByPointer, isPlainObject, isServerError, isSuccess, jsonValue, operationLabel, paramString, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult, type StepRecord } from "./types";
import { COMMON_JWT_SECRETS } from "./jwt-secrets";
import type { ReceivedResponse } from "../../model";

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

/** Strings the request sent (usernames, e-mails): a response that repeats them is not different for that. */
function sentStrings(records: StepRecord[]): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, depth: number) => {
    if (depth > 6) return;
    if (typeof value === "string" && value.length >= 3) out.add(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
    else if (isPlainObject(value)) Object.values(value).forEach((v) => walk(v, depth + 1));
  };
  for (const r of records) {
    walk(r.request.resolved.body?.value, 0);
    for (const v of Object.values(r.request.resolved.query)) walk(v, 0);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * What an answer says, minus what varies between identical requests: the status, the JSON shape
 * (key paths and value types) and its text with the caller's own input, numbers, ids and times
 * masked.
 */
export function answerFingerprint(response: ReceivedResponse, sent: string[]): { status: number; shape: string; text: string } {
  const mask = (text: string) => {
    let out = text;
    for (const s of sent) out = out.split(s).join("<input>");
    return out
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>")
      .replace(/\b[0-9a-f]{16,}\b/gi, "<hex>")
      .replace(/\d+/g, "#");
  };
  const body = jsonValue(response);
  if (body === undefined) return { status: response.status, shape: "text", text: mask(response.body.trim()) };
  const keys: string[] = [];
  const texts: string[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > 8 || keys.length > 500) return;
    if (Array.isArray(value)) {
      keys.push(`${path}[]`);
      value.slice(0, 20).forEach((v) => walk(v, `${path}[]`, depth + 1));
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value).sort()) walk(value[key], `${path}/${key}`, depth + 1);
    } else {
      keys.push(`${path}:${value === null ? "null" : typeof value}`);
      // request ids, timestamps and trace ids vary by nature
      if (typeof value === "string" && !/(request|trace|correlation|span)_?id|time|date|^\/?(at|ts)$/i.test(path.split("/").pop() ?? "")) texts.push(`${path}=${mask(value)}`);
    }
  };
  walk(body, "", 0);
  return { status: response.status, shape: [...new Set(keys)].sort().join(","), text: texts.join("\n") };
}

const JWT_LIKE = /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/;

/**
 * A 2xx that is a refusal in disguise: the sign-in documents where its token sits (`tokenPointer`)
 * and this answer has none there, sets no cookie and carries nothing shaped like a JWT. Without a
 * documented token place a 2xx may be a session of another kind: not judged.
 */
function refusedIn2xx(response: ReceivedResponse, tokenPointer: string | undefined): boolean {
  if (tokenPointer === undefined || !isSuccess(response.status)) return false;
  if (Object.keys(response.headers).some((name) => name.toLowerCase() === "set-cookie")) return false;
  const body = jsonValue(response);
  if (!isPlainObject(body)) return false;
  const token = getByPointer(body, tokenPointer);
  return (token === undefined || token === null || token === "") && !JWT_LIKE.test(response.body);
}

function unjudgeable(response: ReceivedResponse, what: string, tokenPointer?: string): CheckResult | undefined {
  if (response.status === 429) return skip(`${what} was throttled (429): no comparison`);
  if (isServerError(response.status)) return skip(`${what} answered ${response.status}: judged by not_a_server_error`);
  if (isSuccess(response.status) && !refusedIn2xx(response, tokenPointer)) return skip(`${what} answered ${response.status}: a wrong password was accepted, nothing to compare`);
  return undefined;
}

/**
 * params: { knownStep (the same attempt for an account that exists, wrong password),
 *           repeatStep? (that attempt once more: what varies between identical requests),
 *           tokenPointer? (where a successful sign-in's body carries the token) }.
 * The current step is the attempt for an account that does not exist. Failed when the two
 * answers differ in status, JSON shape or message, and the repeat does not differ likewise. A 2xx
 * is compared too when it carries no token where the sign-in documents one (a refusal answered
 * 200 `{"status": "fail", …}`).
 */
export function user_enumeration(ctx: CheckContext): CheckResult {
  const known = stepRecord(ctx, paramString(ctx, "knownStep"));
  if (!known?.exchange.response) return skip("params.knownStep names no answered step");
  const repeat = stepRecord(ctx, paramString(ctx, "repeatStep"));
  const answers: [ReceivedResponse, string][] = [[known.exchange.response, "the known account's attempt"], [ctx.response, "the unknown account's attempt"]];
  if (repeat?.exchange.response) answers.push([repeat.exchange.response, "the repeated attempt"]);
  for (const [response, what] of answers) {
    const verdict = unjudgeable(response, what, paramString(ctx, "tokenPointer"));
    if (verdict) return verdict;
  }
  const records = [known, ...(repeat ? [repeat] : []), ctx.steps[ctx.step.id] ?? { request: ctx.request } as StepRecord];
  const sent = sentStrings(records);
  const a = answerFingerprint(known.exchange.response, sent);
  const b = answerFingerprint(ctx.response, sent);
  const r = repeat?.exchange.response ? answerFingerprint(repeat.exchange.response, sent) : undefined;
  const differs = (x: typeof a, y: typeof a) => x.status !== y.status || x.shape !== y.shape || x.text !== y.text;
  if (r && differs(a, r)) return skip("two identical attempts for the known account answered differently: differences are noise");
  const where = `${label(ctx)} answered`;
  if (a.status !== b.status) return fail(`${where} ${b.status} for an account that does not exist and ${a.status} for an existing one with a wrong password: anyone can tell which accounts exist`, `status:${a.status}-vs-${b.status}`);
  if (a.shape !== b.shape) return fail(`${where} ${a.status} in both cases, but with a differently shaped body for an account that does not exist: anyone can tell which accounts exist`, "body:shape");
  if (a.text !== b.text) return fail(`${where} ${a.status} in both cases, but with another message for an account that does not exist: anyone can tell which accounts exist`, "body:message");
  return pass(`the same ${a.status} answer for an unknown account and for a wrong password`);
}

const RATE_HEADERS = /^(retry-after|(x-)?rate-?limit(-[a-z]+)?|x-ratelimit-[a-z]+)$/i;
/** Fewer completed attempts than this say nothing about a limit. */
export const MIN_BURST = 20;

/**
 * params: { attemptPrefix? (ids of the burst's steps start with it; default "attempt-") }.
 * The steps are a short burst of failed sign-ins. Passed on any sign of throttling: a 429, a
 * Retry-After or RateLimit header, or answers that change on the way (a lockout: 423, 403, another
 * message). Failed when every attempt got the same refusal.
 */
export function auth_rate_limit(ctx: CheckContext): CheckResult {
  const prefix = paramString(ctx, "attemptPrefix") ?? "attempt-";
  const attempts = ctx.order.filter((id) => id.startsWith(prefix)).map((id) => ctx.steps[id]).filter((r) => r?.exchange.response !== undefined);
  if (attempts.length < MIN_BURST) return skip(`only ${attempts.length} attempts completed (at least ${MIN_BURST} needed)`);
  const first = attempts[0].exchange.response!;
  // an OAuth 2.0 token endpoint refuses a wrong client secret with 401 or an invalid_client/invalid_grant error (RFC 6749 §5.2); anything else refused the request, not the credentials
  if (ctx.params.oauth === true && first.status !== 429 && !isServerError(first.status) && !isSuccess(first.status) && first.status !== 401 && !/"(invalid_client|invalid_grant|unauthorized_client)"/.test(first.body)) {
    return skip(`the first attempt answered ${first.status} without invalid_client: the request was refused, not the client's secret`);
  }
  const sent = sentStrings(attempts);
  const reference = answerFingerprint(first, sent);
  let ms = 0;
  for (const [n, record] of attempts.entries()) {
    const response = record.exchange.response!;
    ms += response.durationMs;
    if (response.status === 429) return pass(`throttled after ${n + 1} attempts (429)`);
    const advertised = Object.keys(response.headers).find((name) => RATE_HEADERS.test(name));
    if (advertised) return pass(`attempt ${n + 1} carries ${advertised}: a rate limit is in place`);
    if (isServerError(response.status)) return skip(`attempt ${n + 1} answered ${response.status}: judged by not_a_server_error`);
    if (isSuccess(response.status)) return skip(`attempt ${n + 1} answered ${response.status}: a wrong password was accepted`);
    const now = answerFingerprint(response, sent);
    if (now.status !== reference.status || now.text !== reference.text) return pass(`answers changed after ${n + 1} attempts (${reference.status} → ${now.status}): a lockout or a challenge`);
  }
  return fail(
    `${attempts.length} failed sign-ins in ${Math.max(1, Math.round(ms / 100) / 10)} s on ${label(ctx)} all answered ${first.status}, with no 429, Retry-After, rate-limit header or lockout: passwords can be guessed at full speed`,
    "no-throttle",
  );
}

const JWT = /([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{16,})/g;
const HMAC = new Set(["HS256", "HS384", "HS512"]);

function jwtAlg(token: string): string | undefined {
  try {
    const head = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    const parsed = JSON.parse(atob(head + "=".repeat((4 - (head.length % 4)) % 4)));
    return isPlainObject(parsed) && typeof parsed.alg === "string" ? parsed.alg.toUpperCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The HMAC-signed JWTs the request carries as credentials (any header or cookie). */
function carriedHmacTokens(ctx: CheckContext): { token: string; alg: string; where: string }[] {
  const out: { token: string; alg: string; where: string }[] = [];
  for (const [name, value] of Object.entries(ctx.request.headers)) {
    for (const m of value.matchAll(JWT)) {
      const alg = jwtAlg(m[0]);
      if (alg && HMAC.has(alg)) out.push({ token: m[0], alg, where: name });
    }
  }
  return out.slice(0, 4);
}

async function signedWith(token: string, secret: string): Promise<boolean> {
  try {
    await compactVerify(token, new TextEncoder().encode(secret));
    return true;
  } catch {
    return false;
  }
}

/**
 * params: none. Offline: each HS256/384/512 token the request carries is verified against a
 * dictionary of common secrets. A match is the finding; the secret itself is never reported.
 */
export async function weak_jwt_secret(ctx: CheckContext): Promise<CheckResult> {
  const tokens = carriedHmacTokens(ctx);
  if (tokens.length === 0) return skip("the request carries no HMAC-signed (HS*) JWT");
  const who = ctx.request.identity ? `identity "${ctx.request.identity}"` : "the request";
  for (const { token, alg, where } of tokens) {
    for (const secret of COMMON_JWT_SECRETS) {
      if (await signedWith(token, secret)) {
        const accepted = isSuccess(ctx.response.status) ? `, and ${label(ctx)} accepted it (${ctx.response.status})` : "";
        return fail(`the ${alg} JWT ${who} sends in ${where} is signed with a common secret from Sentinel's dictionary${accepted}: anyone can sign tokens for any user or role`, `secret:${alg}`);
      }
    }
  }
  return pass(`no common secret signs the ${tokens.map((t) => t.alg).join(", ")} token${tokens.length > 1 ? "s" : ""}`);
}
