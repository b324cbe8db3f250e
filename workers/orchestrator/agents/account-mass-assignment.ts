/**
 * Mass assignment on sign-up: the account record (inside its wrapper, `{ user: {…} }`, when the
 * request wraps it) also carries privileged properties (role=admin, isAdmin …). The proof is the
 * new account's own view of itself: it signs in with the password the case chose and reads its
 * profile with the token it got; the write's echo only counts when no such read is possible.
 * A plain sign-up before it shows the server's default for each property.
 */
import type { JsonSchema, Step } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { injections, PRIVILEGED_NAME, privilegedExtras, successSchema } from "./mass-injections";
import { buildRequest, opRng, type AgentEnv } from "./requests";
import { signInFlow, type SignInFlow } from "./sign-in";

function hasProperty(env: AgentEnv, schema: JsonSchema | undefined, name: string): boolean {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
  return isObject(flat) && isObject(flat.properties) && name in (flat.properties as object);
}

/** Where a property of the account record shows in an answer: under the wrapper when the answer has it too. */
function answerPointer(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined, name: string): string {
  return wrapper && hasProperty(env, schema, wrapper) ? `/${wrapper}/${name}` : `/${name}`;
}

function recordResponseSchema(env: AgentEnv, schema: JsonSchema | undefined, wrapper: string | undefined): JsonSchema | undefined {
  if (!wrapper || !hasProperty(env, schema, wrapper)) return schema;
  return (flattenAllOf(schema!, env.model.schemas) as { properties: Record<string, JsonSchema> }).properties[wrapper];
}

function probe(env: AgentEnv, flow: SignInFlow, injected: [string, unknown][], key: string): CaseDraft | undefined {
  const signup = flow.signup!;
  if (!flow.tokenPointer || !flow.profile) return undefined;
  const rng = opRng(env, "data-exposure:account", `${signup.op.operationId}:${key}`);
  const password = `Sn${rng.alnum(12)}7!`;
  const account = flow.freshAccount(rng.fork("account"));
  const steps: Step[] = [{ ...flow.signupStep!(flow.freshAccount(rng.fork("baseline")), "baseline-signup"), requireSuccess: false }];
  const write = flow.signupStep!(account, "signup", { password, extra: Object.fromEntries(injected) });
  write.requireSuccess = false;
  steps.push(write);
  const created = successSchema(signup.op);
  let readStep: string | undefined;
  {
    // the real password: secret, and so is the token the answer hands out
    const login = { ...flow.loginRequest, body: { contentType: flow.loginRequest.body?.contentType ?? "application/json", value: flow.credentials(account, password) }, secrets: [flow.passwordPointer] };
    steps.push({ id: "signin", request: login, extract: { accountToken: { from: "body", pointer: flow.tokenPointer! } }, checks: [], requireSuccess: true });
    const read = buildRequest(env, flow.profile!.op, rng.fork("read"), { optional: "required", identity: null, chain: false }).request;
    read.headers[flow.profile!.header] = `${flow.profile!.prefix}{{accountToken}}`;
    steps.push({ id: "read-back", request: read, checks: [check("excessive_data_exposure")] });
    readStep = "read-back";
  }
  const readSchema = flow.profile ? successSchema(flow.profile.op) : undefined;
  write.checks.push(
    ...injected.map(([name, value]) =>
      check("mass_assignment", {
        property: `${signup.wrapper ? `/${signup.wrapper}` : ""}/${name}`,
        injected: value,
        baselineStep: "baseline-signup",
        responsePointer: answerPointer(env, created, signup.wrapper, name),
        ...(readStep ? { readStep, readPointer: answerPointer(env, readSchema, signup.wrapper, name) } : {}),
        // the echo of a sign-up proves nothing: only the new account's own read does
        requireRead: true,
      }),
    ),
  );
  return { kind: "security", title: `${opLabel(signup.op.method, signup.op.path)} with privileged properties${signup.wrapper ? ` inside "${signup.wrapper}"` : ""}`, steps, tags: ["mass-assignment", "sign-up"] };
}

export function accountMassAssignmentDrafts(env: AgentEnv): { opId: string; drafts: CaseDraft[] } | undefined {
  const flow = signInFlow(env);
  if (!flow?.signup || !flow.signupStep) return undefined;
  const response = recordResponseSchema(env, successSchema(flow.signup.op), flow.signup.wrapper);
  const drafts: CaseDraft[] = [];
  // on a sign-up only privileges matter: server-issued fields (a token, an id) are no escalation
  const open = injections(env, flow.signup.record, response).filter(([name]) => PRIVILEGED_NAME.test(name));
  const closed = privilegedExtras(env, flow.signup.record, response);
  for (const [set, key] of [[open, "open"], [closed, "closed"]] as const) {
    const draft = set.length > 0 ? probe(env, flow, [...set], key) : undefined;
    if (draft) drafts.push(draft);
  }
  return drafts.length > 0 ? { opId: flow.signup.op.operationId, drafts } : undefined;
}
