/**
 * Abuse of authentication, planned for security-auth:
 *  - weak_jwt_secret: one authenticated request per identity (the tokens it carries are tested
 *    offline against common secrets);
 *  - user_enumeration: on the sign-in operation, a wrong password for an account that exists (one
 *    the case signs up itself) next to the same attempt for an account that does not, and the
 *    first attempt repeated (what varies between identical requests);
 *  - auth_rate_limit: a bounded burst of failed sign-ins for that account, tagged to run last and
 *    alone (a throttle it trips must not turn other cases' sign-ins into 429s), only where the spec
 *    promises throttling (promisesThrottling): an API that documents none is not wrong to have
 *    none. `authBurst: false` in the plan config opts out.
 */
import type { ApiModel, Operation, Step } from "../../model";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { parseJwtCredential } from "./jwt";
import { opRng, buildRequest, copy, preferredMedia, type AgentEnv } from "./requests";
import { pathPlaceholders } from "./resources";
import { isPublic } from "../auth/infer";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { signInFlow, type SignInFlow } from "./sign-in";

/** Failed sign-ins in the burst: enough to meet any sane limit, few enough to stay polite. */
export const BURST_SIZE = 40;
/** Cases with this tag run after every other case, one at a time (see plan.ts). */
export const RUN_LAST_TAG = "run-last";

/** The cheapest authenticated request: a secured GET without path parameters, else any secured GET. */
function cheapestSecured(env: AgentEnv): Operation | undefined {
  const secured = env.model.operations.filter((op) => !isPublic(op) && op.method === "get");
  return secured.find((op) => pathPlaceholders(op.path).length === 0) ?? secured[0];
}

export function weakSecretDrafts(env: AgentEnv): { op: Operation; drafts: CaseDraft[] } | undefined {
  const op = cheapestSecured(env);
  if (!op) return undefined;
  const names: (string | undefined)[] = env.config.identities.length > 0 ? env.config.identities.slice(0, 3) : [undefined];
  const drafts: CaseDraft[] = [];
  for (const identity of names) {
    const known = identity === undefined ? undefined : env.config.identityTokens?.[identity];
    // a credential known not to be an HMAC-signed JWT has nothing to test
    if (known !== undefined && !/^HS/i.test(String(parseJwtCredential(known)?.header.alg ?? ""))) continue;
    const built = buildRequest(env, op, opRng(env, "security-auth:weak-secret", `${op.operationId}:${identity ?? ""}`), { useExamples: true, optional: "required", identity });
    drafts.push({
      kind: "security",
      title: `the JWT ${identity ? `identity ${identity}` : "the default identity"} sends is not signed with a common secret`,
      steps: [...built.setup, { id: "authenticated", request: built.request, checks: [check("weak_jwt_secret")] }],
      tags: ["jwt", "weak-secret"],
    });
  }
  return drafts.length > 0 ? { op, drafts } : undefined;
}

/** Words of a description that promise throttling of attempts. */
const THROTTLE_PROSE = /rate[- ]?limit|throttl|too many (?:failed |requests|attempts|sign|log)|lock(?:ed)? ?out|locks? the account|account is locked|brute[- ]?force/i;
/** Response headers that announce a rate limit (RateLimit-*, X-RateLimit-*, X-Rate-Limit-*). */
const RATE_HEADER = /^(?:x-)?rate-?limit/i;

/**
 * Whether the spec promises that attempts on `op` are throttled: a 429 documented on it or
 * anywhere in the API, a rate-limit header on any of the API's answers, or prose (the operation's
 * or the API's) that says so. Missing throttling is judged only against such a promise.
 */
export function promisesThrottling(model: ApiModel, op: Operation): boolean {
  if ([op.summary, op.description, model.description].some((text) => typeof text === "string" && THROTTLE_PROSE.test(text))) return true;
  return model.operations.some((o) => o.responses.some((r) => r.status === "429" || r.headers.some((h) => RATE_HEADER.test(h.name))));
}

function attempt(flow: Pick<SignInFlow, "loginRequest" | "credentials">, id: string, account: string, password: string): Step {
  const request = copy(flow.loginRequest);
  request.body = { contentType: request.body?.contentType ?? "application/json", value: flow.credentials(account, password) };
  return { id, request, checks: [check("not_a_server_error")] };
}

/** The sign-up of the account the attempts are about; its username is known to the case. */
function accountSetup(flow: SignInFlow, account: string): Step[] {
  return flow.signupStep ? [flow.signupStep(account, "setup-account")] : [];
}

export function signInAbuseDrafts(env: AgentEnv): { op: Operation; drafts: CaseDraft[] } | undefined {
  const flow = signInFlow(env);
  if (!flow?.signupStep) return undefined;
  const rng = opRng(env, "security-auth:sign-in", flow.login.operationId);
  const account = flow.freshAccount(rng.fork("known"));
  const stranger = flow.freshAccount(rng.fork("unknown"));
  const label = opLabel(flow.login.method, flow.login.path);
  const drafts: CaseDraft[] = [
    {
      kind: "security",
      title: `${label} answers an unknown account like a wrong password`,
      steps: [
        ...accountSetup(flow, account),
        attempt(flow, "known", account, "Sentinel-wrong-1"),
        { ...attempt(flow, "unknown", stranger, "Sentinel-wrong-1"), checks: [check("not_a_server_error"), check("user_enumeration", { knownStep: "known", repeatStep: "known-again", ...(flow.tokenPointer ? { tokenPointer: flow.tokenPointer } : {}) })] },
        attempt(flow, "known-again", account, "Sentinel-wrong-1"),
      ],
      tags: ["user-enumeration"],
    },
  ];
  if (env.config.authBurst !== false && promisesThrottling(env.model, flow.login)) {
    const burstAccount = flow.freshAccount(rng.fork("burst"));
    const steps: Step[] = [...accountSetup(flow, burstAccount)];
    for (let n = 0; n < BURST_SIZE; n++) steps.push(attempt(flow, `attempt-${n}`, burstAccount, `Sentinel-wrong-${n}`));
    // a sign-in through an OAuth 2.0 token request (a grant_type member, RFC 6749 §4.3) is judged
    // as one: a refusal without 401 or invalid_grant refused the request (an unknown client), not the password
    steps[steps.length - 1].checks.push(check("auth_rate_limit", isTokenRequest(flow.loginRequest.body?.value) ? { oauth: true } : undefined));
    drafts.push({ kind: "security", title: `${label} slows down ${BURST_SIZE} failed sign-ins`, steps, tags: ["rate-limit", RUN_LAST_TAG] });
  }
  return { op: env.model.operations.find((o) => o.operationId === flow.login.operationId)!, drafts };
}


/** An OAuth 2.0 token request's body: its grant_type names the grant (RFC 6749 §4.1.3, §4.3.2, §4.4.2). */
function isTokenRequest(body: unknown): boolean {
  return typeof body === "object" && body !== null && typeof (body as Record<string, unknown>).grant_type === "string";
}

const CLIENT_ID = /^client[-_]?id$/i;
const CLIENT_SECRET = /^client[-_]?secret$/i;

/** The path of a token URL as written (absolute, or relative to the API). */
function urlPath(url: string): string {
  try {
    return new URL(url, "http://spec.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

/**
 * The OAuth 2.0 token endpoint of the spec's client-credentials or password flow: a public POST of
 * the spec at a `tokenUrl` of its securitySchemes (the servers' base path may prefix it), whose
 * body takes the client's id and secret.
 */
function tokenEndpoint(env: AgentEnv): { op: Operation; id: string; secret: string } | undefined {
  const paths = Object.values(env.model.securitySchemes).flatMap((scheme) => (scheme.tokenUrls ?? []).map(urlPath)).filter((p) => p.length > 1);
  for (const path of paths) {
    const op = env.model.operations.find((o) => o.method === "post" && isPublic(o) && !o.path.includes("{") && o.path.length > 1 && (path === o.path || path.endsWith(o.path)));
    const schema = op ? preferredMedia(op)?.schema : undefined;
    const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
    const names = isObject(flat) && isObject(flat.properties) ? Object.keys(flat.properties) : [];
    const id = names.find((n) => CLIENT_ID.test(n));
    const secret = names.find((n) => CLIENT_SECRET.test(n));
    if (op && id && secret) return { op, id, secret };
  }
  return undefined;
}

/**
 * auth_rate_limit on an OAuth 2.0 token endpoint: the client authentication is a sign-in, so a
 * bounded burst of wrong client secrets for one client id (the spec's example one, else a made-up
 * one) must meet a throttle. Run last and alone, like the sign-in burst; `authBurst: false` opts out.
 */
export function tokenEndpointAbuseDrafts(env: AgentEnv): { op: Operation; drafts: CaseDraft[] } | undefined {
  if (env.config.authBurst === false) return undefined;
  const endpoint = tokenEndpoint(env);
  if (!endpoint || signInFlow(env)?.login.operationId === endpoint.op.operationId || !promisesThrottling(env.model, endpoint.op)) return undefined;
  const rng = opRng(env, "security-auth:token-endpoint", endpoint.op.operationId);
  const built = buildRequest(env, endpoint.op, rng, { useExamples: true, optional: "required", includeBody: true, identity: null });
  const base = built.request.body && typeof built.request.body.value === "object" && built.request.body.value !== null ? (built.request.body.value as Record<string, unknown>) : undefined;
  if (!base) return undefined;
  const clientId = typeof base[endpoint.id] === "string" && base[endpoint.id] !== "" ? String(base[endpoint.id]) : `sentinel-${rng.alnum(8).toLowerCase()}`;
  const flow = {
    loginRequest: { ...copy(built.request), identity: null, unique: [] },
    credentials: (account: string, secret: string) => ({ ...base, [endpoint.id]: account, [endpoint.secret]: secret }),
  };
  const steps: Step[] = [];
  for (let n = 0; n < BURST_SIZE; n++) steps.push(attempt(flow, `attempt-${n}`, clientId, `Sentinel-wrong-${n}`));
  steps[steps.length - 1].checks.push(check("auth_rate_limit", { oauth: true }));
  const label = opLabel(endpoint.op.method, endpoint.op.path);
  return { op: endpoint.op, drafts: [{ kind: "security", title: `${label} slows down ${BURST_SIZE} failed client authentications`, steps, tags: ["rate-limit", RUN_LAST_TAG] }] };
}
