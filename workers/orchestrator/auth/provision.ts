/**
 * Provisioning: users made through the target's own signup + login (inferred or declared in
 * sentinel.yaml), before the run, so that authorization between users is tested without setup.
 * Every password it chose and every token it obtained is returned in `secrets`: callers keep
 * them out of every output. The network is injected (`fetch`), so this stays pure and testable.
 */
import type { ApiModel, Identities, Operation } from "../../model";
import { agentEnv, buildRequest, fillAccountFields, wireContentType, preferredMedia } from "../agents/requests";
import { cookieHeader, credentialedRequest } from "../../executor/identity-credentials";
import { requiredParts } from "../agents/parameters";
import { Rng } from "../generate/random";
import { ALREADY_TAKEN, reroll } from "../generate/unique";
import { fieldsOf, findToken, readPointer, withRole, writePointer, type Field } from "./fields";
import { roleOf } from "./roles";
import { findOperation, type AuthFlow, type AuthOperation, type CredentialPlacement } from "./infer";

/** How one identity was obtained and whether it works: the pre-flight's line. */
export interface IdentityStatus {
  name: string;
  source: "given" | "provisioned";
  ok: boolean;
  /** "signed up with POST /auth/signup, logged in with POST /auth/login" */
  how: string;
  /** why it does not work, or what proved it works ("GET /users/me → 200") */
  detail?: string;
  /** the account's own username / e-mail (not secret): owner of what it creates */
  account?: Record<string, string>;
  /** the role its profile names (auth/roles.ts: `role`, `is_admin`, `permissions` …): peers for BFLA */
  role?: string;
}

/** How to sign an identity in again (a token expired): the account and the password Sentinel chose. Secret. */
export interface SignInRecipe {
  account: Record<string, string>;
  password: string;
  /** the refresh token of the last sign-in, when the flow declares a refresh */
  refreshToken?: string;
}

export interface ProvisionResult {
  identities: Identities;
  statuses: IdentityStatus[];
  /** passwords chosen and tokens obtained: never to be shown */
  secrets: string[];
  /** per identity made: how to sign it in again (absent when the flow has no login) */
  recipes: Record<string, SignInRecipe>;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ProvisionOptions {
  model: ApiModel;
  flow: AuthFlow;
  baseUrl: string;
  fetch: Fetch;
  /** identity names to make (default user1, user2) */
  names?: string[];
  /** randomness of the run-unique values (default: from the clock) */
  seed?: number;
  timeoutMs?: number;
}

const RANDOM = /\$\{random\}/g;

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
  json?: unknown;
}

type Target = Pick<ProvisionOptions, "baseUrl" | "fetch" | "timeoutMs">;

async function send(opts: Target, op: AuthOperation, model: ApiModel, body: unknown, headers: Record<string, string> = {}, query: Record<string, string> = {}): Promise<Exchange> {
  const operation = findOperation(model, op);
  const media = operation ? preferredMedia(operation) : undefined;
  const contentType = media ? wireContentType(media.contentType) : "application/json";
  const form = /x-www-form-urlencoded/i.test(contentType);
  // the operation's required parameters (a version header, a tenant in the query), as its cases send them
  const required = requiredParts(agentEnv({ model, seed: 0, config: { identities: [], maxCasesPerOperation: 1 } }), operation);
  const init: RequestInit = {
    method: op.method.toUpperCase(),
    headers: { accept: "application/json", ...(body !== undefined ? { "content-type": contentType } : {}), ...withRequired(headers, required.headers, required.cookies) },
    redirect: "manual",
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  };
  if (body !== undefined) init.body = form ? new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString() : JSON.stringify(body);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(required.query)) if (query[name] === undefined) for (const item of Array.isArray(value) ? value : [value]) search.append(name, typeof item === "object" ? JSON.stringify(item) : String(item));
  for (const [name, value] of Object.entries(query)) search.append(name, value);
  const search0 = search.toString();
  const response = await opts.fetch(joinUrl(opts.baseUrl, op.path) + (search0 ? `?${search0}` : ""), init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The caller's headers (credentials) with the required ones it does not give; required cookies join its Cookie header. */
function withRequired(callers: Record<string, string>, required: Record<string, string>, cookies: Record<string, string> | undefined): Record<string, string> {
  const given = new Set(Object.keys(callers).map((h) => h.toLowerCase()));
  const out: Record<string, string> = { ...Object.fromEntries(Object.entries(required).filter(([h]) => !given.has(h.toLowerCase()))), ...callers };
  const jar = cookieHeader(cookies ?? {});
  if (!jar) return out;
  const own = Object.keys(out).find((h) => h.toLowerCase() === "cookie");
  out[own ?? "Cookie"] = own !== undefined ? `${out[own]}; ${jar}` : jar;
  return out;
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

const label = (op: AuthOperation) => `${op.method.toUpperCase()} ${op.path}`;

/** A password most policies accept: letters of both cases, digits, a symbol; within the schema's length. */
function strongPassword(rng: Rng, field: Field | undefined): string {
  const schema = (field?.schema ?? {}) as { minLength?: number; maxLength?: number };
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let core = "";
  for (let i = 0; i < 14; i++) core += alphabet[rng.int(0, alphabet.length - 1)];
  let password = `Sn${core}7!`;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : 64;
  while (password.length < min) password += alphabet[rng.int(0, alphabet.length - 1)];
  if (password.length > max) password = password.slice(0, Math.max(max - 2, 1)) + "7!";
  return password.slice(0, Math.max(max, 1));
}

/** A signup body for one user: the spec's request shape, fresh unique values, a chosen password. */
function inferredSignupBody(model: ApiModel, op: Operation, rng: Rng): { body: unknown; password: string; fields: Field[] } {
  const env = agentEnv({ model, seed: rng.int(1, 2 ** 31), config: { identities: [], maxCasesPerOperation: 1 } });
  const built = buildRequest(env, op, rng.fork("signup"), { useExamples: true, optional: "required", includeBody: true, identity: null, chain: false });
  fillAccountFields(env, built, rng.fork("account"));
  const body = (built.request.body?.value ?? {}) as Record<string, unknown>;
  const fields = fieldsOf(built.body?.schema, model.schemas);
  const password = strongPassword(rng.fork("password"), withRole(fields, "password")[0]);
  const passwords = withRole(fields, "password");
  const present = passwords.filter((field) => readPointer(body, field.pointer) !== undefined);
  for (const field of present.length > 0 ? present : passwords.slice(0, 1)) writePointer(body, field.pointer, password);
  // usernames and e-mails are run-unique: a second run against the same target must not collide
  for (const field of [...withRole(fields, "username"), ...withRole(fields, "email")]) {
    const value = readPointer(body, field.pointer);
    if (typeof value === "string" && value.length > 0) writePointer(body, field.pointer, reroll(value, rng.fork(field.pointer), 6));
  }
  return { body, password, fields };
}

/** The login body: the login's credential fields filled from what the signup sent, by role. */
function loginBody(model: ApiModel, op: Operation | undefined, account: Record<string, string>, password: string): unknown {
  const media = op ? preferredMedia(op) : undefined;
  const fields = fieldsOf(media?.schema, model.schemas);
  const body: Record<string, unknown> = {};
  const required = requiredPointers(model, media?.schema);
  let identifier = false;
  for (const field of fields) {
    if (field.role === "password") writePointer(body, field.pointer, password);
    else if (field.role === "username" && account.username !== undefined) ((identifier = true), writePointer(body, field.pointer, account.username));
    else if (field.role === "email" && account.email !== undefined) ((identifier = true), writePointer(body, field.pointer, account.email));
  }
  // a login that names its identifier otherwise ("identifier", "login") takes the username, else the e-mail
  if (!identifier) {
    const other = fields.find((f) => f.role === "username" || f.role === "email" || required.has(f.pointer));
    if (other && other.role !== "password") writePointer(body, other.pointer, account.username ?? account.email ?? "");
  }
  return body;
}

function requiredPointers(model: ApiModel, schema: unknown): Set<string> {
  const out = new Set<string>();
  const flat = schema as { required?: unknown; $ref?: string } | undefined;
  const resolved = flat?.$ref ? model.schemas[flat.$ref.split("/").pop() ?? ""] : flat;
  const required = (resolved as { required?: unknown } | undefined)?.required;
  if (Array.isArray(required)) for (const name of required) out.add(`/${String(name)}`);
  return out;
}

/** The account a body names: its username and e-mail, read by role. */
function accountOf(body: unknown, fields: Field[]): Record<string, string> {
  const account: Record<string, string> = {};
  for (const role of ["username", "email"] as const) {
    for (const field of withRole(fields, role)) {
      const value = readPointer(body, field.pointer);
      if (typeof value === "string" && account[role] === undefined) account[role] = value;
    }
  }
  return account;
}

/** The token of an exchange: at the declared JSON pointer or header, else any token-like field, Authorization or a session cookie. */
function tokenOf(exchange: Exchange, where: string | undefined): { value: string; cookie?: string } | undefined {
  if (where?.startsWith("/")) {
    const value = readPointer(exchange.json, where);
    if (typeof value === "string" && value !== "") return { value };
  } else if (where) {
    if (where.toLowerCase() === "set-cookie") return sessionCookie(exchange.headers);
    const value = exchange.headers.get(where);
    if (value) return { value: value.replace(/^Bearer\s+/i, "") };
  }
  const found = findToken(exchange.json);
  if (found) return { value: found.value };
  const auth = exchange.headers.get("authorization");
  if (auth) return { value: auth.replace(/^Bearer\s+/i, "") };
  return sessionCookie(exchange.headers);
}

function sessionCookie(headers: Headers): { value: string; cookie: string } | undefined {
  const raw = (headers as Headers & { getSetCookie?: () => string[] }).getSetCookie?.() ?? (headers.get("set-cookie") ? [headers.get("set-cookie")!] : []);
  for (const line of raw) {
    const m = /^\s*([^=;\s]+)=([^;]*)/.exec(line);
    if (m && m[2].length >= 8) return { value: m[2], cookie: m[1] };
  }
  return undefined;
}

function credentialHeaders(placement: CredentialPlacement, token: { value: string; cookie?: string }): Record<string, string> {
  if (token.cookie) return { Cookie: `${token.cookie}=${token.value}` };
  if (placement.in === "cookie") return { Cookie: `${placement.name}=${token.value}` };
  return { [placement.name]: `${placement.prefix}${token.value}` };
}

/** Text of a failed exchange for the pre-flight: status and the start of the body, secrets removed. */
function failure(step: string, exchange: Exchange, secrets: readonly string[]): string {
  let text = exchange.text.replace(/\s+/g, " ").slice(0, 160);
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join("[redacted]");
  return `${step} answered ${exchange.status}${text ? `: ${text}` : ""}`;
}

/** Substitutes `${random}` (one value per user) in a declared body. */
function expand(template: unknown, random: string): unknown {
  if (typeof template === "string") return template.replace(RANDOM, random);
  if (Array.isArray(template)) return template.map((v) => expand(v, random));
  if (template !== null && typeof template === "object") return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, expand(v, random)]));
  return template;
}

/** Checks an identity against the caller's profile operation: 2xx proves it, and names the account. */
/**
 * Does an identity work? One safe secured read with its headers: the `/me`-like operation (any
 * non-2xx fails), or — `ownRecord: false` — another secured read, where only a 401 proves the
 * credentials refused (a 403 or 404 there may be the identity's scope or data, not its token).
 */
export async function verifyIdentity(
  opts: Target & { model: ApiModel },
  profile: AuthOperation | undefined,
  headers: Record<string, string>,
  ownRecord = true,
): Promise<{ ok: boolean; detail: string; account?: Record<string, string>; role?: string }> {
  if (!profile) return { ok: true, detail: "not verified (the spec has no secured GET without required parameters)" };
  try {
    // credentials go where a case request puts them (an apiKey in a cookie or the query, too)
    const op = findOperation(opts.model, profile);
    const placed = credentialedRequest(opts.model, op, headers);
    const exchange = await send(opts, profile, opts.model, undefined, placed.headers, placed.query);
    if (exchange.status >= 200 && exchange.status < 300) {
      const schema = op?.responses.find((r) => /^2/.test(r.status))?.content[0]?.schema;
      // only the caller's own record tells its role (another secured read may list anyone's)
      const role = ownRecord ? roleOf(exchange.json) : undefined;
      return { ok: true, detail: `${label(profile)} → ${exchange.status}`, account: accountOf(exchange.json, fieldsOf(schema, opts.model.schemas)), ...(role !== undefined ? { role } : {}) };
    }
    if (!ownRecord && exchange.status !== 401) return { ok: true, detail: `not verified (${label(profile)} → ${exchange.status})` };
    // 403 is "understood, not allowed" (RFC 9110 §15.5.4) — for credentials the target accepted only
    // if the same read without them is refused otherwise (401): then a permission or scope is missing
    if (exchange.status === 403) {
      const anonymous = await send(opts, profile, opts.model, undefined);
      if (anonymous.status === 401) return { ok: true, detail: `credentials accepted (${label(profile)} → 403 with them, 401 without: a permission or scope it lacks, not its credentials)` };
      return { ok: false, detail: `403 on ${label(profile)}, and ${anonymous.status} without credentials: whether its credentials work is unknown` };
    }
    return { ok: false, detail: `${exchange.status} on ${label(profile)}` };
  } catch (err) {
    return { ok: false, detail: `${label(profile)} failed: ${(err as Error).message}` };
  }
}

/** What a sign-in gave: the credential headers to send, and what to keep for the next one. */
export type SignedIn = { headers: Record<string, string>; token: { value: string; cookie?: string }; refreshToken?: string } | { failure: string };

/**
 * Signs an account in through the flow's login (the provisioning's, and again when a token
 * expired mid-run). Every token obtained is pushed to `secrets`.
 */
export async function signIn(opts: Target & { model: ApiModel }, flow: AuthFlow, recipe: SignInRecipe, secrets: string[]): Promise<SignedIn> {
  if (!flow.login) return { failure: "the flow has no login" };
  const op = findOperation(opts.model, flow.login.op);
  const body = flow.login.body !== undefined ? expandLogin(flow.login.body, recipe.account, recipe.password) : loginBody(opts.model, op, recipe.account, recipe.password);
  const exchange = await send(opts, flow.login.op, opts.model, body);
  return tokensOf(exchange, flow.login.token, flow, `login ${label(flow.login.op)}`, secrets);
}

/**
 * A new access token from the flow's refresh operation and the refresh token of the last sign-in
 * (sentinel.yaml auth.refresh): tried before a full sign-in when a token expires.
 */
export async function refreshSignIn(opts: Target & { model: ApiModel }, flow: AuthFlow, refreshToken: string, secrets: string[]): Promise<SignedIn> {
  if (!flow.refresh) return { failure: "the flow has no refresh" };
  const body = flow.refresh.body !== undefined ? fillRefresh(flow.refresh.body, refreshToken) : { refresh_token: refreshToken };
  const exchange = await send(opts, flow.refresh.op, opts.model, body);
  return tokensOf(exchange, flow.refresh.token, flow, `refresh ${label(flow.refresh.op)}`, secrets);
}

function tokensOf(exchange: Exchange, where: string | undefined, flow: AuthFlow, step: string, secrets: string[]): SignedIn {
  if (exchange.status < 200 || exchange.status >= 300) return { failure: failure(step, exchange, secrets) };
  const token = tokenOf(exchange, where);
  if (!token) return { failure: `${step} answered ${exchange.status} without a token (no token field, Authorization header or session cookie)` };
  secrets.push(token.value);
  const refreshToken = flow.refresh ? refreshTokenOf(exchange.json, flow.refresh.refreshToken) : undefined;
  if (refreshToken) secrets.push(refreshToken);
  return { headers: credentialHeaders(flow.placement, token), token, ...(refreshToken ? { refreshToken } : {}) };
}

const REFRESH_NAME = /^refresh[-_]?token$/i;

/** The refresh token of a sign-in answer: at the declared pointer, else a `refresh_token`-like field (depth ≤ 2). */
function refreshTokenOf(json: unknown, pointer: string | undefined): string | undefined {
  if (pointer) {
    const value = readPointer(json, pointer);
    return typeof value === "string" && value !== "" ? value : undefined;
  }
  const walk = (node: unknown, depth: number): string | undefined => {
    if (depth > 2 || node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) if (REFRESH_NAME.test(key) && typeof value === "string" && value !== "") return value;
    for (const value of Object.values(node as Record<string, unknown>)) {
      const inner = walk(value, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(json, 0);
}

/** A declared refresh body: `${refreshToken}` is the refresh token of the last sign-in. */
function fillRefresh(template: unknown, refreshToken: string): unknown {
  if (typeof template === "string") return template.replace(/\$\{refresh_?[tT]oken\}/g, refreshToken);
  if (Array.isArray(template)) return template.map((v) => fillRefresh(v, refreshToken));
  if (template !== null && typeof template === "object") return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillRefresh(v, refreshToken)]));
  return template;
}

async function provisionOne(opts: ProvisionOptions, name: string, rng: Rng, secrets: string[]): Promise<{ status: IdentityStatus; headers?: Record<string, string>; recipe?: SignInRecipe }> {
  const { model, flow } = opts;
  const how: string[] = [];
  const fail = (detail: string): { status: IdentityStatus } => ({ status: { name, source: "provisioned", ok: false, how: how.join(", ") || "not obtained", detail } });
  let password = "";
  let account: Record<string, string> = {};
  let signupExchange: Exchange | undefined;
  try {
    if (flow.signup) {
      const op = findOperation(model, flow.signup.op);
      for (let attempt = 0; attempt < 3; attempt++) {
        const random = `${Date.now().toString(36).slice(-4)}${rng.int(0, 36 ** 4).toString(36)}`;
        let body: unknown;
        let fields: Field[];
        if (flow.signup.body !== undefined) {
          body = expand(flow.signup.body, random);
          fields = fieldsOf(op ? preferredMedia(op)?.schema : undefined, model.schemas);
          if (fields.length === 0) fields = inferFields(body);
          password = String(withRole(fields, "password").map((f) => readPointer(body, f.pointer)).find((v) => typeof v === "string") ?? "");
        } else {
          if (!op) return fail(`signup operation ${flow.signup.op.operationId} is not in the spec`);
          ({ body, password, fields } = inferredSignupBody(model, op, rng.fork(`attempt${attempt}`)));
        }
        if (password) secrets.push(password);
        account = accountOf(body, fields);
        signupExchange = await send(opts, flow.signup.op, model, body);
        if (signupExchange.status >= 200 && signupExchange.status < 300) break;
        // a taken name (a former run's user) is re-rolled; anything else is final
        if (!(signupExchange.status === 409 || ALREADY_TAKEN.test(signupExchange.text))) break;
      }
      how.push(`signed up with ${label(flow.signup.op)}`);
      if (!signupExchange || signupExchange.status < 200 || signupExchange.status >= 300) return fail(failure(`signup ${label(flow.signup.op)}`, signupExchange!, secrets));
    }
    let token: { value: string; cookie?: string } | undefined;
    let refreshToken: string | undefined;
    if (flow.login) {
      how.push(`logged in with ${label(flow.login.op)}`);
      const signedIn = await signIn(opts, flow, { account, password }, secrets);
      if ("failure" in signedIn) return fail(signedIn.failure);
      token = signedIn.token;
      refreshToken = signedIn.refreshToken;
    } else if (signupExchange) {
      token = tokenOf(signupExchange, flow.signupToken);
      if (!token) return fail(`signup ${label(flow.signup!.op)} answered ${signupExchange.status} without a token, and no login is known`);
    }
    if (!token) return fail("no signup or login configured");
    if (!secrets.includes(token.value)) secrets.push(token.value);
    const headers = credentialHeaders(flow.placement, token);
    const verified = await verifyIdentity(opts, flow.profile, headers);
    const status: IdentityStatus = { name, source: "provisioned", ok: verified.ok, how: how.join(", "), detail: verified.detail, account: { ...account, ...verified.account }, ...(verified.role !== undefined ? { role: verified.role } : {}) };
    const recipe: SignInRecipe | undefined = flow.login ? { account, password, ...(refreshToken ? { refreshToken } : {}) } : undefined;
    return verified.ok ? { status, headers, ...(recipe ? { recipe } : {}) } : { status };
  } catch (err) {
    return fail(`${how.length ? "after " + how.join(", ") + ": " : ""}${(err as Error).message}`);
  }
}

/** A declared login body: `${random}` is not known here, so `${username}`, `${email}`, `${password}` name the signup's values. */
function expandLogin(template: unknown, account: Record<string, string>, password: string): unknown {
  const fill = (text: string) => text.replace(/\$\{(username|email|password)\}/g, (_m, key: string) => (key === "password" ? password : (account[key] ?? "")));
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return fill(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(template);
}

/** Roles of a declared body's fields by name when the spec has no schema for it. */
function inferFields(body: unknown, prefix = ""): Field[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    const pointer = `${prefix}/${key}`;
    if (value !== null && typeof value === "object") return inferFields(value, pointer);
    return fieldsOf({ type: "object", properties: { [key]: { type: "string" } } }, {}).map((f) => ({ ...f, pointer }));
  });
}

/** Makes the users of `flow` one after the other (default: two, user1 and user2). */
export async function provisionIdentities(opts: ProvisionOptions): Promise<ProvisionResult> {
  const names = opts.names ?? ["user1", "user2"];
  const rng = new Rng(opts.seed ?? (Date.now() ^ Math.floor(Math.random() * 2 ** 31)));
  const secrets: string[] = [];
  const identities: Identities = {};
  const statuses: IdentityStatus[] = [];
  const recipes: Record<string, SignInRecipe> = {};
  for (const name of names) {
    const { status, headers, recipe } = await provisionOne(opts, name, rng.fork(name), secrets);
    statuses.push(status);
    if (headers) identities[name] = headers;
    if (headers && recipe) recipes[name] = recipe;
  }
  return { identities, statuses, secrets, recipes };
}
