/**
 * The spec's own way to get a user, found by general rules: a public operation that registers a
 * user-like resource (a password next to a username or an e-mail) and a public operation that
 * exchanges credentials for a token (a token-like field in its 2xx body, or a credential header /
 * cookie). Plus how the token is then sent (the secured operations' scheme) and the caller's own
 * profile (`/me`-like). Words in paths, operationIds and summaries only break ties.
 */
import type { ApiModel, JsonSchema, Operation, SecurityScheme } from "../../model";
import { isJsonMedia, preferredMedia } from "../agents/media";
import { fieldsOf, withRole, type Field } from "./fields";

export interface AuthOperation {
  operationId: string;
  method: string;
  path: string;
}

/** Where a credential goes on every request of an identity. */
export type CredentialPlacement = { in: "header"; name: string; prefix: string } | { in: "cookie"; name: string };

export interface AuthFlow {
  source: "inferred" | "config";
  signup?: { op: AuthOperation; body?: unknown };
  /** token: JSON pointer ("/token") or a response header name; absent = found by rule */
  login?: { op: AuthOperation; body?: unknown; token?: string };
  /** a refresh-token exchange (sentinel.yaml auth.refresh): tried before a full sign-in when a token expires */
  refresh?: { op: AuthOperation; body?: unknown; token?: string; refreshToken?: string };
  /** when the signup response itself carries the token (no login needed) */
  signupToken?: string;
  placement: CredentialPlacement;
  /** the caller's own profile: proves an identity works and tells its username */
  profile?: AuthOperation;
}

export type Inference = { flow: AuthFlow; reason?: undefined } | { flow?: undefined; reason: string };

export function isPublic(op: Operation): boolean {
  return op.security.length === 0 || op.security.some((alternative) => Object.keys(alternative).length === 0);
}

export function ref(op: Operation): AuthOperation {
  return { operationId: op.operationId, method: op.method, path: op.path };
}

function bodySchema(op: Operation): JsonSchema | undefined {
  const media = preferredMedia(op);
  return media && (isJsonMedia(media.contentType) || /x-www-form-urlencoded/i.test(media.contentType)) ? media.schema : undefined;
}

function successSchemas(op: Operation): JsonSchema[] {
  return op.responses
    .filter((r) => /^2/.test(r.status))
    .flatMap((r) => r.content.filter((m) => isJsonMedia(m.contentType)).map((m) => m.schema));
}

const CREDENTIAL_HEADER = /^(authorization|set-cookie|x-[a-z-]*(token|auth|session)[a-z-]*|[a-z-]*-token)$/i;

function words(op: Operation): string {
  return `${op.path} ${op.operationId} ${op.summary ?? ""}`.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
const LOGIN_WORDS = /\b(log[\s_-]?in|sign[\s_-]?in|signin|login|token|tokens|session|sessions|authenticate|auth)\b/;
const SIGNUP_WORDS = /\b(sign[\s_-]?up|signup|register|registration|join|users?|accounts?|members?)\b/;
/** recovery and change flows also carry passwords: never a way in */
const NOT_A_WAY_IN = /\b(reset|forgot|recover|change|verify|confirm|password|passwords|refresh|logout|log out|delete)\b/;

interface Candidate {
  op: Operation;
  fields: Field[];
  tokenInBody?: string;
  tokenHeader?: string;
}

function candidates(model: ApiModel): Candidate[] {
  const out: Candidate[] = [];
  for (const op of model.operations) {
    if (op.method !== "post" || !isPublic(op) || op.path.includes("{")) continue;
    if (NOT_A_WAY_IN.test(`${op.path} ${op.operationId}`.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase())) continue;
    const fields = fieldsOf(bodySchema(op), model.schemas);
    if (withRole(fields, "password").length === 0) continue;
    if (withRole(fields, "email").length === 0 && withRole(fields, "username").length === 0) continue;
    const tokenField = successSchemas(op).flatMap((s) => withRole(fieldsOf(s, model.schemas, 3), "token"))[0];
    const tokenHeader = op.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.headers.map((h) => h.name)).find((h) => CREDENTIAL_HEADER.test(h));
    out.push({ op, fields, ...(tokenField ? { tokenInBody: tokenField.pointer } : {}), ...(tokenHeader ? { tokenHeader } : {}) });
  }
  return out;
}

/** A login hands out a token; a signup creates (201, more fields than the credentials, or says so). */
function loginScore(c: Candidate): number {
  return (c.tokenInBody ? 4 : 0) + (c.tokenHeader ? 3 : 0) + (LOGIN_WORDS.test(words(c.op)) ? 2 : 0) - (SIGNUP_WORDS.test(words(c.op)) && !LOGIN_WORDS.test(words(c.op)) ? 2 : 0);
}

function signupScore(c: Candidate): number {
  const created = c.op.responses.some((r) => r.status === "201");
  const extra = c.fields.filter((f) => f.role === undefined).length;
  return (created ? 3 : 0) + (SIGNUP_WORDS.test(words(c.op)) ? 2 : 0) + (withRole(c.fields, "email").length > 0 && withRole(c.fields, "username").length > 0 ? 1 : 0) + Math.min(extra, 2) - (LOGIN_WORDS.test(words(c.op)) && !SIGNUP_WORDS.test(words(c.op)) ? 3 : 0);
}

/** How the secured operations take their credential (the first scheme they use that a token fits). */
export function placementFor(model: ApiModel): CredentialPlacement | undefined {
  const used = new Map<string, number>();
  for (const op of model.operations) {
    if (isPublic(op)) continue;
    for (const alternative of op.security) for (const name of Object.keys(alternative)) used.set(name, (used.get(name) ?? 0) + 1);
  }
  const ranked = [...used.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => model.securitySchemes[name]).filter((s): s is SecurityScheme => s !== undefined);
  for (const scheme of ranked) {
    if (scheme.type === "http" && (scheme.scheme ?? "").toLowerCase() === "bearer") return { in: "header", name: "Authorization", prefix: "Bearer " };
    if (scheme.type === "oauth2" || scheme.type === "openIdConnect") return { in: "header", name: "Authorization", prefix: "Bearer " };
    if (scheme.type === "apiKey" && scheme.paramName && scheme.in === "header") return { in: "header", name: scheme.paramName, prefix: "" };
    if (scheme.type === "apiKey" && scheme.paramName && scheme.in === "cookie") return { in: "cookie", name: scheme.paramName };
  }
  return undefined;
}

const PROFILE_WORDS = /(^|\/)(me|self|whoami|profile|account|current[-_]?user|user)$/i;

/** The caller's own record: a secured GET without path parameters at `/me`, `/profile`, `/account` …, answering an object. */
export function profileOperation(model: ApiModel): Operation | undefined {
  return model.operations.find(
    (op) =>
      op.method === "get" &&
      !isPublic(op) &&
      !op.path.includes("{") &&
      !op.parameters.some((p) => p.required && p.in === "query") &&
      (PROFILE_WORDS.test(op.path.replace(/\/+$/, "")) || /^(get)?(me|self|whoami|current[-_]?user|my[-_]?profile)$/i.test(op.operationId)) &&
      successSchemas(op).some((s) => fieldsOf(s, model.schemas, 2).some((f) => f.role === "username" || f.role === "email")),
  );
}

/**
 * The safe secured read that proves an identity works: the `/me`-like operation, else any
 * secured GET at a path of that shape, else any secured GET without path or required
 * parameters (a list). A 401 on it means the identity's credentials are not accepted.
 */
export function verificationOperation(model: ApiModel): { op: Operation; profile: boolean } | undefined {
  const profile = profileOperation(model);
  if (profile) return { op: profile, profile: true };
  const reads = model.operations.filter((op) => op.method === "get" && !isPublic(op) && !op.path.includes("{") && !op.parameters.some((p) => p.required && p.in === "query"));
  const own = reads.find((op) => PROFILE_WORDS.test(op.path.replace(/\/+$/, "")) || /^(get)?(me|self|whoami|current[-_]?user|my[-_]?profile)$/i.test(op.operationId));
  if (own) return { op: own, profile: true };
  const any = [...reads].sort((a, b) => a.path.split("/").length - b.path.split("/").length)[0];
  return any ? { op: any, profile: false } : undefined;
}

/** A public operation chosen to sign in or sign up, and where its 2xx answer carries a token. */
export interface SignInOperation {
  op: Operation;
  /** JSON pointer of a token-like field in its 2xx body */
  tokenInBody?: string;
  /** a credential header of its 2xx answer (Authorization, Set-Cookie, X-…-Token) */
  tokenHeader?: string;
}

/**
 * The one choice of the spec's sign-in and sign-up operations (provisioning, the account-takeover
 * cases and the sign-in abuse probes all use it): public POSTs taking a password next to a
 * username or an e-mail; the one that hands out a token and says so signs in, the one that
 * creates registers.
 */
export function signInOperations(model: ApiModel): { login?: SignInOperation; signup?: SignInOperation } {
  const found = candidates(model);
  const byLogin = [...found].sort((a, b) => loginScore(b) - loginScore(a));
  // an operation that looks more like a signup than a login is one, even when it hands out a token
  const login = byLogin.find((c) => loginScore(c) > 0 && loginScore(c) > signupScore(c) && (c.tokenInBody || c.tokenHeader || LOGIN_WORDS.test(words(c.op))));
  const signup = found.filter((c) => c !== login).sort((a, b) => signupScore(b) - signupScore(a)).find((c) => signupScore(c) > 0);
  const pick = (c: Candidate | undefined): SignInOperation | undefined => c && { op: c.op, ...(c.tokenInBody ? { tokenInBody: c.tokenInBody } : {}), ...(c.tokenHeader ? { tokenHeader: c.tokenHeader } : {}) };
  return { ...(login ? { login: pick(login) } : {}), ...(signup ? { signup: pick(signup) } : {}) };
}

/** The spec's signup + login flow, or why there is none. */
export function inferAuthFlow(model: ApiModel): Inference {
  const placement = placementFor(model);
  if (!placement) return { reason: "no secured operation takes a bearer token, an API key or a session cookie" };
  if (candidates(model).length === 0) return { reason: "no public operation takes a password together with a username or an e-mail (no signup or login to use)" };
  const { login, signup } = signInOperations(model);
  const profile = profileOperation(model);
  if (!signup) {
    return { reason: login ? `${login.op.method.toUpperCase()} ${login.op.path} logs in, but no public operation registers a user (no signup to make users with)` : "no public operation registers a user" };
  }
  const flow: AuthFlow = { source: "inferred", signup: { op: ref(signup.op) }, placement, ...(profile ? { profile: ref(profile) } : {}) };
  if (login) flow.login = { op: ref(login.op), ...(login.tokenInBody ? { token: login.tokenInBody } : login.tokenHeader ? { token: login.tokenHeader } : {}) };
  else if (signup.tokenInBody || signup.tokenHeader) flow.signupToken = signup.tokenInBody ?? signup.tokenHeader;
  else return { reason: `${signup.op.method.toUpperCase()} ${signup.op.path} registers users, but no public operation exchanges credentials for a token` };
  return { flow };
}

export function findOperation(model: ApiModel, ref: AuthOperation): Operation | undefined {
  return model.operations.find((op) => op.operationId === ref.operationId) ?? model.operations.find((op) => op.method === ref.method && op.path === ref.path);
}
