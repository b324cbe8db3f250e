/**
 * Mass assignment on sign-up: the account record (inside its wrapper, `{ user: {…} }`, when the
 * request wraps it) also carries one privileged property (admin=true, role=admin …) per probe. The
 * proof is the new account's own view of itself: it signs in with the password the case chose and
 * reads its profile with the token it got. A plain account signed up and read the same way before
 * it shows the server's default for the property.
 */
import type { Extraction, JsonSchema, Step } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { distinctiveValue, injections, PRIVILEGED_CANDIDATES, PRIVILEGED_NAME, privilegedExtras, successSchema } from "./mass-injections";
import { fieldsOf } from "../auth/fields";
import { buildRequest, opRng, type AgentEnv } from "./requests";
import { signInFlow, wrapperSchema, type SignInFlow } from "./sign-in";

function hasProperty(env: AgentEnv, schema: JsonSchema | undefined, name: string): boolean {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
  return isObject(flat) && isObject(flat.properties) && name in (flat.properties as object);
}

/** Where a property of the account record shows in an answer: under the wrapper when the answer has it too. */
function answerPointer(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined, name: string): string {
  return wrapper && wrapperSchema(env, schema, wrapper) !== undefined ? `/${wrapper}/${name}` : `/${name}`;
}

function recordResponseSchema(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined): JsonSchema | undefined {
  return (wrapper ? wrapperSchema(env, schema, wrapper) : undefined) ?? schema;
}

/** Where property `name` shows in the profile's answer: its own field when the schema has one (`/data/admin`), else beside the record. */
function profilePointer(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined, name: string): string {
  const field = fieldsOf(schema, env.model.schemas, 3).find((f) => f.name === name);
  return field?.pointer ?? answerPointer(env, schema, wrapper, name);
}

function probe(env: AgentEnv, flow: SignInFlow, [name, value]: [string, unknown]): CaseDraft | undefined {
  const signup = flow.signup!;
  // the account's own credential: the token of the sign-in's body, else its session cookie
  const credential: Extraction | undefined = flow.tokenPointer ? { from: "body", pointer: flow.tokenPointer } : flow.sessionCookie ? { from: "cookie", name: flow.sessionCookie } : undefined;
  if (!credential || !flow.profile) return undefined;
  const rng = opRng(env, "data-exposure:account", `${signup.op.operationId}:${name}`);
  const password = `Sn${rng.alnum(12)}7!`;
  const baselinePassword = `Sn${rng.alnum(12)}7!`;
  const account = flow.freshAccount(rng.fork("account"));
  const baselineAccount = flow.freshAccount(rng.fork("baseline"));
  // the real password: secret, and so is the token the answer hands out
  const signin = (id: string, who: string, secret: string, token: string): Step => ({
    id,
    request: { ...flow.loginRequest, body: { contentType: flow.loginRequest.body?.contentType ?? "application/json", value: flow.credentials(who, secret) }, secrets: [flow.passwordPointer] },
    extract: { [token]: credential },
    checks: [],
    requireSuccess: true,
  });
  const read = (id: string, token: string, checks: Step["checks"]): Step => {
    const request = buildRequest(env, flow.profile!.op, rng.fork(id), { optional: "required", identity: null, chain: false }).request;
    request.headers[flow.profile!.header] = `${flow.profile!.prefix}{{${token}}}`;
    return { id, request, checks };
  };
  // the server's default for the property, seen by a plain account's own read
  const baseline = { ...flow.signupStep!(baselineAccount, "baseline-signup", { password: baselinePassword }), requireSuccess: false };
  const write = flow.signupStep!(account, "signup", { password, extra: { [name]: value } });
  write.requireSuccess = false;
  const readSchema = successSchema(flow.profile.op);
  write.checks.push(
    check("mass_assignment", {
      property: `${signup.wrapper ? `/${signup.wrapper}` : ""}/${name}`,
      injected: value,
      baselineStep: "baseline-signup",
      responsePointer: answerPointer(env, successSchema(signup.op), signup.wrapper, name),
      readStep: "read-back",
      readPointer: profilePointer(env, readSchema, signup.wrapper, name),
      baselineReadStep: "baseline-read",
      // the echo of a sign-up proves nothing: only the new account's own read does
      requireRead: true,
    }),
  );
  const steps: Step[] = [
    baseline,
    { ...signin("baseline-signin", baselineAccount, baselinePassword, "baselineToken"), requireSuccess: false },
    read("baseline-read", "baselineToken", []),
    write,
    signin("signin", account, password, "accountToken"),
    read("read-back", "accountToken", [check("excessive_data_exposure")]),
  ];
  return { kind: "security", title: `${opLabel(signup.op.method, signup.op.path)} with the privileged property ${name}${signup.wrapper ? ` inside "${signup.wrapper}"` : ""}`, steps, tags: ["mass-assignment", "sign-up"] };
}

/** Most single-property probes on a sign-up (each signs up two accounts). */
const MAX_PROBES = 6;

/**
 * Privileged properties to try on a sign-up, one per probe (a server may refuse or ignore a body
 * with several unknown properties yet take one): those the account's own profile shows but the
 * sign-up does not take (admin, role …) first, then readOnly / server-set ones with a privileged
 * name, then the usual names (admin, is_admin, isAdmin, role …).
 */
function candidates(env: AgentEnv, flow: SignInFlow): [string, unknown][] {
  const record = flow.signup!.record;
  const response = recordResponseSchema(env, successSchema(flow.signup!.op), flow.signup!.wrapper);
  const profileFields = flow.profile ? fieldsOf(successSchema(flow.profile.op), env.model.schemas, 3) : [];
  const shown = profileFields.filter((f) => PRIVILEGED_NAME.test(f.name) && !hasProperty(env, record, f.name)).map((f): [string, unknown] => [f.name, distinctiveValue(f.name, f.schema, env)]);
  const all = [...shown, ...injections(env, record, response).filter(([n]) => PRIVILEGED_NAME.test(n)), ...privilegedExtras(env, record, response), ...PRIVILEGED_CANDIDATES];
  const out: [string, unknown][] = [];
  for (const [name, value] of all) {
    if (value === undefined || out.some(([n]) => n.toLowerCase() === name.toLowerCase())) continue;
    if (hasProperty(env, record, name) && !isReadOnly(env, record, name)) continue;
    out.push([name, value]);
  }
  return out.slice(0, MAX_PROBES);
}

function isReadOnly(env: AgentEnv, schema: JsonSchema, name: string): boolean {
  const flat = flattenAllOf(schema, env.model.schemas) as { properties?: Record<string, JsonSchema> };
  const prop = flat.properties?.[name];
  const resolved = prop === undefined ? undefined : flattenAllOf(prop, env.model.schemas);
  return isObject(resolved) && resolved.readOnly === true;
}

export function accountMassAssignmentDrafts(env: AgentEnv): { opId: string; drafts: CaseDraft[] } | undefined {
  const flow = signInFlow(env);
  if (!flow?.signup || !flow.signupStep) return undefined;
  const drafts = candidates(env, flow)
    .map((candidate) => probe(env, flow, candidate))
    .filter((d): d is CaseDraft => d !== undefined);
  return drafts.length > 0 ? { opId: flow.signup.op.operationId, drafts } : undefined;
}
