/**
 * Account takeover (BOLA on user records): a signed-in identity calls the password change of
 * another user's account. The victim is a user the case signs up itself through the spec's own
 * signup (so no identity of the run is ever damaged); the attacker sets a new password on the
 * victim's identifier (username, e-mail or id — whatever the path uses), and the victim's login
 * with that new password is the evidence that the change took effect. Passwords Sentinel chose
 * are marked secret (never recorded in clear).
 */
import type { JsonSchema, Operation, RequestTemplate, Step } from "../../model";
import { fieldsOf, readPointer, withRole, writePointer, type Field } from "../auth/fields";
import { findOperation, inferAuthFlow, isPublic } from "../auth/infer";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import type { Rng } from "../generate/random";
import { buildRequest, fillAccountFields, opRng, preferredMedia, wireContentType, type AgentEnv } from "./requests";
import { pathPlaceholders } from "./resources";
import { requiredParts } from "./parameters";
import { accountField, profileOf, selfSource } from "./self-params";
import { signInFlow } from "./sign-in";

const NAME = "security-auth:account";

/** The response field of the signup that fills path parameter `param`: same name, else same role, else the id of a user path. */
function victimField(env: AgentEnv, signup: Operation, param: string, path: string): Field | undefined {
  const schemas = signup.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.content.map((m) => m.schema));
  return accountField(schemas.flatMap((s) => fieldsOf(s, env.model.schemas, 3)), param, path, env.model.schemas);
}

/** A password change: a write whose body carries a password, addressing one user by a path parameter. */
function passwordWrites(env: AgentEnv): Operation[] {
  return env.model.operations.filter((op) => {
    if (!["put", "patch", "post"].includes(op.method) || isPublic(op)) return false;
    if (pathPlaceholders(op.path).length !== 1) return false;
    const media = preferredMedia(op);
    return withRole(fieldsOf(media?.schema, env.model.schemas), "password").length > 0;
  });
}

function setPasswords(value: unknown, schema: JsonSchema | undefined, env: AgentEnv, password: string): string[] {
  const fields = withRole(fieldsOf(schema, env.model.schemas), "password");
  const present = fields.filter((f) => readPointer(value, f.pointer) !== undefined);
  const chosen = present.length > 0 ? present : fields.slice(0, 1);
  if (value !== null && typeof value === "object") for (const f of chosen) writePointer(value as Record<string, unknown>, f.pointer, password);
  return chosen.map((f) => f.pointer);
}

function password(rng: Rng): string {
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let core = "";
  for (let i = 0; i < 14; i++) core += alphabet[rng.int(0, alphabet.length - 1)];
  return `Sn${core}7!`;
}

/**
 * A throw-away account for path parameter `param` of `op`: the step that signs it up through the
 * spec's own signup (anonymous, a password of Sentinel's choosing), extracting its identifier as
 * `victim`. A privileged write on an account (a role change) then touches no identity of the run.
 */
export function throwAwayAccount(env: AgentEnv, op: Operation, param: string, rng: Rng): Step | undefined {
  const flow = inferAuthFlow(env.model).flow;
  const signup = flow?.signup ? findOperation(env.model, flow.signup.op) : undefined;
  const field = signup ? victimField(env, signup, param, op.path) : undefined;
  if (!signup || !field) return undefined;
  const created = buildRequest(env, signup, rng.fork("signup"), { useExamples: true, optional: "required", includeBody: true, identity: null, chain: false });
  fillAccountFields(env, created, rng.fork("fields"));
  const secrets = setPasswords(created.request.body?.value, created.body?.schema, env, password(rng.fork("password")));
  if (secrets.length === 0) return undefined;
  return { id: "account-signup", request: { ...created.request, secrets }, extract: { victim: { from: "body", pointer: field.pointer } }, checks: [], requireSuccess: true };
}

/** Cases where the run's identity changes the password of a user the case signed up. */
export function accountTakeoverDrafts(env: AgentEnv): { opId: string; idKey: string; drafts: CaseDraft[] }[] {
  const identities = env.config.identities;
  const attacker = identities[1] ?? identities[0];
  if (!attacker) return [];
  const inferred = inferAuthFlow(env.model);
  const flow = inferred.flow;
  if (!flow?.signup || !flow.login) return [];
  const signup = findOperation(env.model, flow.signup.op);
  const login = findOperation(env.model, flow.login.op);
  if (!signup || !login) return [];
  const out: { opId: string; idKey: string; drafts: CaseDraft[] }[] = [];
  const confirm = tokenEvidence(flow.login.token);
  for (const op of passwordWrites(env)) {
    const param = pathPlaceholders(op.path)[0];
    const field = victimField(env, signup, param, op.path);
    if (!field) {
      // the sign-up does not answer the account's name: the case chose it, so it knows it
      const chosen = chosenVictimDraft(env, op, param, attacker, confirm);
      if (chosen) out.push(chosen);
      continue;
    }
    const rng = opRng(env, NAME, op.operationId);

    // 1. the victim signs up (anonymous), with a password of Sentinel's choosing
    const created = buildRequest(env, signup, rng.fork("signup"), { useExamples: true, optional: "required", includeBody: true, identity: null, chain: false });
    fillAccountFields(env, created, rng.fork("fields"));
    const oldPassword = password(rng.fork("old"));
    const signupSecrets = setPasswords(created.request.body?.value, created.body?.schema, env, oldPassword);
    if (signupSecrets.length === 0) continue;
    const signupRequest: RequestTemplate = { ...created.request, secrets: signupSecrets };
    // the victim's username / e-mail as the target stored them (a taken name is re-rolled on the way)
    const account: Record<string, string> = {};
    const extract: NonNullable<Step["extract"]> = { victim: { from: "body", pointer: field.pointer } };
    const answered = signup.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.content.map((m) => m.schema)).flatMap((s) => fieldsOf(s, env.model.schemas, 3));
    for (const role of ["username", "email"] as const) {
      const sent = withRole(fieldsOf(created.body?.schema, env.model.schemas), role)[0];
      const back = withRole(answered, role)[0];
      const value = sent ? readPointer(created.request.body?.value, sent.pointer) : undefined;
      if (back) {
        extract[`victim_${role}`] = { from: "body", pointer: back.pointer };
        account[role] = `{{victim_${role}}}`;
      } else if (typeof value === "string") account[role] = value;
    }

    // 2. the attacker sets a new password on the victim's identifier
    const change = buildRequest(env, op, rng.fork("change"), { useExamples: false, optional: "required", includeBody: true, identity: attacker, known: { [param]: "{{victim}}" }, chain: false });
    const newPassword = password(rng.fork("new"));
    const changeSecrets = setPasswords(change.request.body?.value, change.body?.schema, env, newPassword);
    const changeRequest: RequestTemplate = { ...change.request, secrets: changeSecrets };
    delete changeRequest.unique;

    // 3. the victim logs in with the attacker's password: success proves the takeover
    const loginMedia = preferredMedia(login);
    const loginFields = fieldsOf(loginMedia?.schema, env.model.schemas);
    const loginBody: Record<string, unknown> = {};
    for (const f of loginFields) {
      if (f.role === "password") writePointer(loginBody, f.pointer, newPassword);
      else if (f.role === "username" && account.username !== undefined) writePointer(loginBody, f.pointer, account.username);
      else if (f.role === "email" && account.email !== undefined) writePointer(loginBody, f.pointer, account.email);
    }
    if (!Object.keys(loginBody).length || !loginFields.some((f) => f.role === "password")) continue;
    const loginRequest: RequestTemplate = {
      method: login.method,
      path: login.path,
      pathParams: {},
      ...requiredParts(env, login),
      identity: null,
      body: { contentType: wireContentType(loginMedia?.contentType ?? "application/json"), value: loginBody },
      secrets: loginFields.filter((f) => f.role === "password").map((f) => f.pointer),
    };
    // the victim's own login before the change: the account works (else nothing is proven)
    const before: RequestTemplate = { ...structuredClone(loginRequest) };
    setPasswords(before.body!.value, loginMedia?.schema, env, oldPassword);

    const steps: Step[] = [
      { id: "create", request: signupRequest, extract, checks: [], requireSuccess: true },
      { id: "victim-login", request: before, checks: [], requireSuccess: true },
      {
        id: "attacker-update",
        request: changeRequest,
        checks: [check("not_a_server_error"), check("bola", { ownerStep: "create", action: "update", confirmStep: "victim-login-new", ...confirm, owner: "a user Sentinel signed up", attacker })],
      },
      { id: "victim-login-new", request: loginRequest, checks: [] },
    ];
    out.push({
      opId: op.operationId,
      idKey: `account:${op.operationId}`,
      drafts: [{ kind: "security", title: `${attacker} changes the password of another user's account (${opLabel(op.method, op.path)})`, steps, tags: ["bola", "account"] }],
    });
  }
  return out;
}

/** What a sign-in that worked carries: the token at this body pointer, or this header. */
function tokenEvidence(token: string | undefined): Record<string, string> {
  if (token === undefined) return {};
  return token.startsWith("/") ? { confirmPointer: token } : { confirmHeader: token };
}

/**
 * The takeover when the sign-up answers no account name (`{"status": "success"}`): the victim signs
 * up under a fresh name the case chose (never re-rolled), which is the path parameter when the
 * sign-up's account field is the one the path names. Evidence: the victim's login with the new
 * password works (a token where the sign-in puts one) and, for good measure, the old one no longer does.
 */
function chosenVictimDraft(env: AgentEnv, op: Operation, param: string, attacker: string, confirm: Record<string, string>): { opId: string; idKey: string; drafts: CaseDraft[] } | undefined {
  const flow = signInFlow(env);
  if (!flow?.signup || !flow.signupStep) return undefined;
  const rng = opRng(env, NAME, `${op.operationId}:chosen`);
  const victim = flow.freshAccount(rng.fork("victim"));
  const oldPassword = password(rng.fork("old"));
  const create = flow.signupStep(victim, "create", { password: oldPassword });
  const holder = accountField(fieldsOf(flow.signup.record, env.model.schemas, 1), param, op.path, env.model.schemas);
  const pointer = holder ? `${flow.signup.wrapper ? `/${flow.signup.wrapper}` : ""}${holder.pointer}` : undefined;
  if (!pointer || readPointer(create.request.body?.value, pointer) !== victim) return undefined;
  const evidence: Record<string, string> = flow.tokenPointer ? { confirmPointer: flow.tokenPointer } : confirm;
  const login = (id: string, secret: string): Step => ({
    id,
    request: { ...structuredClone(flow.loginRequest), body: { contentType: flow.loginRequest.body?.contentType ?? "application/json", value: flow.credentials(victim, secret) }, secrets: [flow.passwordPointer] },
    checks: [],
  });
  const before = login("victim-login", oldPassword);
  before.requireSuccess = true;
  // a 200 that refuses (`{"status": "fail"}`) is no sign-in: the token must be there
  if (evidence.confirmPointer) before.extract = { victimToken: { from: "body", pointer: evidence.confirmPointer } };
  const change = buildRequest(env, op, rng.fork("change"), { useExamples: false, optional: "required", includeBody: true, identity: attacker, known: { [param]: victim }, chain: false });
  const newPassword = password(rng.fork("new"));
  const changeSecrets = setPasswords(change.request.body?.value, change.body?.schema, env, newPassword);
  const changeRequest: RequestTemplate = { ...change.request, secrets: changeSecrets };
  delete changeRequest.unique;
  const steps: Step[] = [
    create,
    before,
    {
      id: "attacker-update",
      request: changeRequest,
      checks: [check("not_a_server_error"), check("bola", { ownerStep: "create", action: "update", confirmStep: "victim-login-new", staleStep: "victim-login-old", ...evidence, owner: "a user Sentinel signed up", attacker })],
    },
    login("victim-login-new", newPassword),
    login("victim-login-old", oldPassword),
  ];
  return {
    opId: op.operationId,
    idKey: `account:${op.operationId}`,
    drafts: [{ kind: "security", title: `${attacker} changes the password of another user's account (${opLabel(op.method, op.path)})`, steps, tags: ["bola", "account"] }],
  };
}

/**
 * BOLA on another identity's own user record: the owner's profile names its account, the attacker
 * sets a fresh e-mail on it (a write with one path parameter that names the account, whose body
 * takes an e-mail and nothing else required), the owner's profile read afterwards shows whether it
 * took effect, and the owner sets its e-mail back.
 */
export function accountEmailDrafts(env: AgentEnv): { opId: string; idKey: string; drafts: CaseDraft[] }[] {
  const [owner, attacker] = env.config.identities;
  const { profile, fields } = profileOf(env.model);
  const profileEmail = withRole(fields, "email")[0];
  if (!owner || !attacker || !profile || !profileEmail) return [];
  const out: { opId: string; idKey: string; drafts: CaseDraft[] }[] = [];
  for (const op of env.model.operations) {
    if (!["put", "patch", "post"].includes(op.method) || isPublic(op)) continue;
    const params = pathPlaceholders(op.path);
    const self = params.length === 1 ? selfSource(env.model, op, params[0]) : undefined;
    const media = preferredMedia(op);
    if (!self || !media || !/json/i.test(media.contentType)) continue;
    const body = fieldsOf(media.schema, env.model.schemas, 1);
    const email = withRole(body, "email")[0];
    const required = ((media.schema as { required?: unknown }).required ?? []) as unknown[];
    if (!email || withRole(body, "password").length > 0 || (Array.isArray(required) && required.some((r) => r !== email.name))) continue;
    const rng = opRng(env, `${NAME}:email`, op.operationId);
    const fresh = `sentinel.${rng.int(100000, 999999)}@example.com`;
    if (env.validator.check(fresh, email.schema) !== "valid") continue;
    const read = (identity: string): RequestTemplate => ({ method: profile.method, path: profile.path, pathParams: {}, ...requiredParts(env, profile), identity });
    const write = (identity: string, value: string): RequestTemplate => ({
      method: op.method,
      path: op.path,
      pathParams: { [params[0]]: "{{victim}}" },
      ...requiredParts(env, op),
      identity,
      body: { contentType: wireContentType(media.contentType), value: { [email.name]: value } },
    });
    const steps: Step[] = [
      { id: "owner-profile", request: read(owner), extract: { victim: { from: "body", pointer: self.pointer }, victim_email: { from: "body", pointer: profileEmail.pointer } }, checks: [], requireSuccess: true },
      {
        id: "attacker-update",
        request: write(attacker, fresh),
        checks: [check("not_a_server_error"), check("bola", { ownerStep: "owner-profile", action: "update", effectStep: "owner-after", effectPointer: profileEmail.pointer, effectValue: fresh, owner, attacker })],
      },
      { id: "owner-after", request: read(owner), checks: [] },
      // whatever happened, the owner's own e-mail goes back to what it was
      { id: "restore", request: write(owner, "{{victim_email}}"), checks: [] },
    ];
    out.push({ opId: op.operationId, idKey: `account-email:${op.operationId}`, drafts: [{ kind: "security", title: `${attacker} changes the e-mail of ${owner}'s own account (${opLabel(op.method, op.path)})`, steps, tags: ["bola", "account"] }] });
  }
  return out;
}
