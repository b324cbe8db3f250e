/**
 * The spec's sign-in and sign-up, as far as the abuse probes need them: a public POST whose body
 * carries an account name (username, login, e-mail …) and a password and whose name or answer says
 * it signs in (a token in the 2xx body, login/signin/token/session words); a public POST that takes
 * the same kind of account name and a password to register one. General rules only: names and
 * formats of fields, words of paths and operationIds.
 */
import type { JsonSchema, Operation, RequestTemplate, Step } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import type { Rng } from "../generate/random";
import { freshValue } from "../generate/unique";
import { fieldRole } from "../auth/fields";
import { isPublic } from "../auth/infer";
import { check } from "./case-helpers";
import { buildRequest, copy, fillAccountFields, isJsonMedia, opRng, preferredMedia, type AgentEnv } from "./requests";

type Role = "password" | "email" | "username";

/** The account role of a string field, by the one vocabulary of auth/fields (tokens are no credential to send). */
function role(name: string, schema: JsonSchema, env: AgentEnv): Role | undefined {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || (flat.type !== undefined && flat.type !== "string")) return undefined;
  const found = fieldRole(name, schema, env.model.schemas);
  return found === "token" ? undefined : found;
}

/**
 * Where the account name and the password sit in a body: top level or inside wrappers, at most two
 * deep (`{ user: {…} }`, a JSON:API `{ data: { type, attributes: {…} } }`). `wrapper` is the path of
 * wrapper names joined by "/" ("user", "data/attributes"), so `/${wrapper}/${name}` is the pointer.
 */
interface CredentialFields {
  wrapper?: string;
  account: { name: string; role: Role; schema: JsonSchema };
  password: string;
  /** the body's union branch that carries them (an OAuth token endpoint's password grant among its other grants) */
  branch?: number;
  /** the body schema they were found in: the branch when there is one */
  body: JsonSchema;
}

/** Wrapper levels searched below the body's top level. */
const MAX_WRAPPERS = 2;

/** The object-valued properties of a schema (the wrappers a record may sit in). */
function objectProperties(env: AgentEnv, schema: JsonSchema): [string, JsonSchema][] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties as Record<string, JsonSchema>).filter(([, sub]) => {
    const f = flattenAllOf(sub, env.model.schemas);
    return isObject(f) && isObject(f.properties);
  });
}

/** The schema at a wrapper path ("data/attributes") of a body schema. */
export function wrapperSchema(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined): JsonSchema | undefined {
  let node = schema;
  for (const name of wrapper ? wrapper.split("/") : []) {
    const found = node === undefined ? undefined : objectProperties(env, node).find(([n]) => n === name);
    if (!found) return undefined;
    node = found[1];
  }
  return node;
}

/**
 * The account name and password of a body: in the body itself, else in the first branch of its
 * top-level union (oneOf/anyOf) that has both, with what the branches share. One token endpoint
 * serves several grants (RFC 6749 §4.3 password, §6 refresh_token): only the password grant signs in.
 */
function credentialFields(env: AgentEnv, schema: JsonSchema, prefer?: Role): CredentialFields | undefined {
  const whole = recordFields(env, schema, prefer);
  if (whole) return { ...whole, body: schema };
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return undefined;
  const union = (flat.oneOf ?? flat.anyOf) as JsonSchema[] | undefined;
  if (!Array.isArray(union)) return undefined;
  const shared = Object.fromEntries(Object.entries(flat).filter(([key]) => key !== "oneOf" && key !== "anyOf" && key !== "discriminator"));
  for (const [index, branch] of union.entries()) {
    const body: JsonSchema = Object.keys(shared).length > 0 ? { allOf: [shared, branch] } : branch;
    const found = recordFields(env, body, prefer);
    if (found) return { ...found, branch: index, body };
  }
  return undefined;
}

function recordFields(env: AgentEnv, schema: JsonSchema, prefer?: Role): Omit<CredentialFields, "body" | "branch"> | undefined {
  const search = (s: JsonSchema, wrapper: string | undefined, depth: number): Omit<CredentialFields, "body" | "branch"> | undefined => {
    const flat = flattenAllOf(s, env.model.schemas);
    if (!isObject(flat) || !isObject(flat.properties)) return undefined;
    const props = flat.properties as Record<string, JsonSchema>;
    const roles = Object.entries(props).map(([name, sub]) => ({ name, schema: sub, role: role(name, sub, env) }));
    const password = roles.find((r) => r.role === "password");
    const accounts = roles.filter((r): r is { name: string; schema: JsonSchema; role: Role } => r.role === "username" || r.role === "email");
    const account = accounts.find((a) => a.role === prefer) ?? accounts.find((a) => a.role === "username") ?? accounts[0];
    if (password && account) return { ...(wrapper ? { wrapper } : {}), account, password: password.name };
    if (depth >= MAX_WRAPPERS) return undefined;
    // the one object-valued property that holds the record: { user: { username, password } }, { data: { attributes: {…} } }
    const found = objectProperties(env, s)
      .map(([name, sub]) => search(sub, wrapper ? `${wrapper}/${name}` : name, depth + 1))
      .filter((f): f is Omit<CredentialFields, "body" | "branch"> => f !== undefined);
    return found.length === 1 ? found[0] : undefined;
  };
  return search(schema, undefined, 0);
}

const words = (op: Operation) => `${op.path} ${op.operationId}`.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const SIGN_IN = /\b(log[_-]?in|logon|sign[_-]?in|signin|login|tokens?|sessions?|authenticate)\b/;
const SIGN_UP = /\b(sign[_-]?up|signup|register|registration|join|users?|accounts?|members?)\b/;
const NOT_ACCOUNT = /\b(reset|forgot|recover|change|verify|confirm|refresh|logout|password)\b/;

/** The body schema of a JSON or HTML-form (`application/x-www-form-urlencoded`) body: both carry credentials. */
function credentialBody(op: Operation): JsonSchema | undefined {
  const media = preferredMedia(op);
  return media && (isJsonMedia(media.contentType) || /^application\/x-www-form-urlencoded\b/i.test(media.contentType)) ? media.schema : undefined;
}

function issuesToken(op: Operation): boolean {
  return op.responses.some((r) => /^2/.test(r.status) && (r.headers.some((h) => /^set-cookie$/i.test(h.name)) || r.content.some((m) => JSON.stringify(m.schema ?? {}).match(/"(access_?token|token|jwt|id_?token)"/i))));
}

export interface SignInFlow {
  login: Operation;
  /** the sign-in request without credentials in its body */
  loginRequest: RequestTemplate;
  /** a sign-in body for this account name and password */
  credentials(account: string, password: string): unknown;
  /** where the password sits in that body */
  passwordPointer: string;
  /** a sign-up step registering this account name, with `extra` in the account record */
  signupStep?: (account: string, id: string, options?: SignupOptions) => Step;
  /** the sign-up operation and the wrapper property of its account record ({ user: {…} }), if any */
  signup?: { op: Operation; wrapper?: string; record: JsonSchema };
  /** where the sign-in's 2xx body carries the token */
  tokenPointer?: string;
  /**
   * the session cookie the sign-in sets instead (its 2xx documents Set-Cookie, the API's security
   * has an apiKey cookie): the cookie's name
   */
  sessionCookie?: string;
  /** the caller's own profile (a secured GET without path parameters) and how the token goes there */
  profile?: { op: Operation; header: string; prefix: string };
  /** an account name no one has: valid for both bodies */
  freshAccount(rng: Rng): string;
}

export interface SignupOptions {
  /** the password to sign up with (default: generated); marked secret either way */
  password?: string;
  /** more properties of the account record (mass assignment probes) */
  extra?: Record<string, unknown>;
}

const TOKEN_NAME = /^(access_?token|token|jwt|id_?token|auth_?token|bearer_?token)$/i;

function tokenPointer(env: AgentEnv, op: Operation): string | undefined {
  for (const response of op.responses.filter((r) => /^2/.test(r.status))) {
    for (const media of response.content.filter((m) => isJsonMedia(m.contentType))) {
      const flat = flattenAllOf(media.schema, env.model.schemas);
      if (!isObject(flat) || !isObject(flat.properties)) continue;
      const props = flat.properties as Record<string, JsonSchema>;
      const direct = Object.keys(props).find((k) => TOKEN_NAME.test(k));
      if (direct) return `/${direct}`;
      for (const [key, sub] of Object.entries(props)) {
        const inner = flattenAllOf(sub, env.model.schemas);
        const nested = isObject(inner) && isObject(inner.properties) ? Object.keys(inner.properties as object).find((k) => TOKEN_NAME.test(k)) : undefined;
        if (nested) return `/${key}/${nested}`;
      }
    }
  }
  return undefined;
}

const PROFILE_WORDS = /\/(me|self|whoami|current|profile|account|user)(\/|$)/i;

/** The cookie an apiKey scheme of the API names, when a sign-in documents Set-Cookie (a session). */
function sessionCookie(env: AgentEnv, login: Operation): string | undefined {
  if (!login.responses.some((r) => /^2/.test(r.status) && r.headers.some((h) => /^set-cookie$/i.test(h.name)))) return undefined;
  const names = Object.values(env.model.securitySchemes).filter((s) => s.type === "apiKey" && s.in === "cookie" && s.paramName).map((s) => s.paramName!);
  return names.length === 1 ? names[0] : undefined;
}

function profileOperation(env: AgentEnv, cookie?: string): SignInFlow["profile"] {
  const candidates = env.model.operations.filter((op) => op.method === "get" && !isPublic(op) && !/\{/.test(op.path));
  const op = candidates.find((o) => PROFILE_WORDS.test(o.path)) ;
  if (!op) return undefined;
  for (const name of Object.keys(op.security[0] ?? {})) {
    const scheme = env.model.securitySchemes[name];
    if (scheme?.type === "http" && (scheme.scheme ?? "").toLowerCase() === "bearer") return { op, header: "Authorization", prefix: "Bearer " };
    if (scheme?.type === "apiKey" && scheme.in === "header" && scheme.paramName) return { op, header: scheme.paramName, prefix: "" };
    // a session cookie the sign-in set goes back in the Cookie header
    if (scheme?.type === "apiKey" && scheme.in === "cookie" && scheme.paramName === cookie) return { op, header: "Cookie", prefix: `${cookie}=` };
  }
  return undefined;
}

function place(fields: CredentialFields, body: Record<string, unknown>, values: Record<string, unknown>): unknown {
  const put = (node: Record<string, unknown>, path: string[]): Record<string, unknown> => {
    if (path.length === 0) return { ...node, ...values };
    const [head, ...rest] = path;
    const inner = isObject(node[head]) ? (node[head] as Record<string, unknown>) : {};
    return { ...node, [head]: put(inner, rest) };
  };
  return put(body, fields.wrapper ? fields.wrapper.split("/") : []);
}

export function signInFlow(env: AgentEnv): SignInFlow | undefined {
  const candidates = env.model.operations.filter((op) => op.method === "post" && isPublic(op) && !NOT_ACCOUNT.test(words(op)) && !/\{/.test(op.path));
  const withFields = candidates.map((op) => ({ op, schema: credentialBody(op) })).filter((c): c is { op: Operation; schema: JsonSchema } => c.schema !== undefined).map((c) => ({ ...c, fields: credentialFields(env, c.schema) })).filter((c) => c.fields !== undefined);
  const login = withFields.find((c) => SIGN_IN.test(words(c.op)) && !SIGN_UP.test(words(c.op).replace(/\b(users?|accounts?|members?)\b/g, ""))) ?? withFields.find((c) => issuesToken(c.op) && !SIGN_UP.test(words(c.op)));
  if (!login?.fields) return undefined;
  const loginFields = login.fields;
  const signup = withFields.find((c) => c.op !== login.op && SIGN_UP.test(words(c.op)) && !SIGN_IN.test(words(c.op)));
  const signupFields = signup ? credentialFields(env, signup.schema, loginFields.account.role) : undefined;
  const branch = loginFields.branch === undefined ? {} : { branch: loginFields.branch };
  let built = buildRequest(env, login.op, opRng(env, "sign-in", login.op.operationId), { useExamples: true, optional: "required", includeBody: true, identity: null, ...branch });
  // the spec's example may be another grant: then the password grant's own fields, drawn
  if (loginFields.branch !== undefined && env.validator.check(built.request.body?.value, loginFields.body) === "invalid") {
    built = buildRequest(env, login.op, opRng(env, "sign-in", login.op.operationId), { useExamples: false, optional: "required", includeBody: true, identity: null, ...branch });
  }
  const loginRequest = { ...copy(built.request), identity: null, unique: [] };
  const base = isObject(built.request.body?.value) ? (built.request.body!.value as Record<string, unknown>) : {};
  const flow: SignInFlow = {
    login: login.op,
    loginRequest,
    credentials: (account, password) => place(loginFields, base, { [loginFields.account.name]: account, [loginFields.password]: password }),
    passwordPointer: `${loginFields.wrapper ? `/${loginFields.wrapper}` : ""}/${loginFields.password}`,
    freshAccount: (rng) => freshAccount(env, [loginFields.account.schema, ...(signupFields && signupFields.account.role === loginFields.account.role ? [signupFields.account.schema] : [])], loginFields.account.role, rng),
  };
  const token = tokenPointer(env, login.op);
  if (token) flow.tokenPointer = token;
  const cookie = token ? undefined : sessionCookie(env, login.op);
  if (cookie) flow.sessionCookie = cookie;
  const profile = profileOperation(env, cookie);
  if (profile) flow.profile = profile;
  if (signup && signupFields && signupFields.account.role === loginFields.account.role) {
    const prefix = signupFields.wrapper ? `/${signupFields.wrapper}` : "";
    const wrapped = wrapperSchema(env, signupFields.body, signupFields.wrapper) ?? signupFields.body;
    flow.signup = { op: signup.op, record: wrapped, ...(signupFields.wrapper ? { wrapper: signupFields.wrapper } : {}) };
    flow.signupStep = (account, id, options = {}) => {
      const made = buildRequest(env, signup.op, opRng(env, "sign-in", `${signup.op.operationId}:${account}`), { useExamples: false, optional: "required", includeBody: true, identity: null, ...(signupFields.branch === undefined ? {} : { branch: signupFields.branch }) });
      fillAccountFields(env, made, opRng(env, "sign-in", `${signup.op.operationId}:${account}:fields`));
      const request = { ...copy(made.request), identity: null };
      const body = isObject(request.body?.value) ? (request.body!.value as Record<string, unknown>) : {};
      const values: Record<string, unknown> = { ...(options.extra ?? {}), [signupFields.account.name]: account };
      if (options.password !== undefined) values[signupFields.password] = options.password;
      if (request.body) request.body.value = place(signupFields, body, values);
      // the account name must stay what the later attempts use: never re-rolled
      if (request.unique) request.unique = request.unique.filter((p) => p !== `${prefix}/${signupFields.account.name}`);
      // the password is Sentinel's choice: never recorded in clear
      request.secrets = [`${prefix}/${signupFields.password}`];
      return { id, request, checks: [check("not_a_server_error")], requireSuccess: true };
    };
  }
  return flow;
}

/** A fresh account name valid for every schema given (the sign-in's and the sign-up's). */
function freshAccount(env: AgentEnv, schemas: JsonSchema[], kind: Role, rng: Rng): string {
  const valid = (v: string) => schemas.every((s) => env.validator.check(v, s) === "valid");
  const letters = () => rng.alnum(8).toLowerCase().replace(/[^a-z0-9]/g, "x");
  const candidates = kind === "email" ? [`sentinel-${letters()}@example.com`] : [`sentinel_${letters()}`, `sn${letters()}`, `sentinel-${letters()}`, `Sentinel${letters()}`];
  return candidates.find(valid) ?? freshValue(candidates[0], schemas[0], rng, env.model.schemas, env.validator) ?? candidates[0];
}
