/**
 * The pre-flight of identities, before a run starts: given identities are checked against the
 * spec's `/me`-like operation; with none given, users are provisioned through the `auth:` flow of
 * sentinel.yaml or the signup + login the spec itself offers. It says, on the terminal and in the
 * report, which identities work, how they were obtained, and why authorization between users
 * cannot be tested when fewer than two work. Passwords and tokens never leave this module except
 * as identity headers (which every output redacts).
 */
import type { ApiModel, Operation } from "../../workers/model";
import { findOperation, inferAuthFlow, placementFor, profileOperation, ref, verificationOperation, type AuthFlow, type AuthOperation, type CredentialPlacement } from "../../workers/orchestrator/auth/infer";
import { provisionIdentities, verifyIdentity, type Fetch, type IdentityStatus } from "../../workers/orchestrator/auth/provision";
import type { ReportPreflight } from "../../workers/reports/types";
import { clientCredentialsTokenUrl, obtainClientToken, resolveTokenUrl, type ClientCredentials } from "../../workers/orchestrator/auth/client-credentials";
import { CliError } from "./exit-codes";
import type { Identities } from "./identities";

/** The `auth:` section of sentinel.yaml, as written (operations by operationId or "METHOD /path"). */
export interface AuthConfig {
  signup?: { operation: string; body?: unknown };
  login?: { operation: string; body?: unknown; token?: string };
  /** "Header-Name: prefix ${token}" — how the token is sent (default: the spec's security scheme) */
  header?: string;
  /** how many users to make (default 2) */
  users?: number;
  /** OAuth2 client credentials, one identity per client, exchanged at the spec's clientCredentials tokenUrl */
  clients?: Record<string, ClientCredentials>;
}

export interface PreflightResult {
  identities?: Identities;
  report: ReportPreflight;
  /** one line per identity for the terminal */
  lines: string[];
}

function resolveOperation(model: ApiModel, text: string, where: string): AuthOperation {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(text.trim());
  const op: Operation | undefined = m
    ? model.operations.find((o) => o.method === m[1].toLowerCase() && o.path === m[2])
    : findOperation(model, { operationId: text.trim(), method: "", path: "" });
  if (!op) throw new CliError(`sentinel.yaml auth.${where}.operation: "${text}" is no operation of the spec (operationId or "METHOD /path")`, "usage");
  return ref(op);
}

function placementFromHeader(header: string): CredentialPlacement {
  const m = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s*(.*)\$\{token\}\s*$/.exec(header);
  if (!m) throw new CliError(`sentinel.yaml auth.header: expected "Header-Name: [prefix ]\${token}"`, "usage");
  return m[1].toLowerCase() === "cookie" ? { in: "cookie", name: m[2].replace(/=\s*$/, "").trim() } : { in: "header", name: m[1], prefix: m[2] };
}

/** The declared flow, operations resolved against the spec. */
export function flowFromConfig(model: ApiModel, config: AuthConfig): AuthFlow {
  const placement = config.header ? placementFromHeader(config.header) : placementFor(model);
  if (!placement) throw new CliError(`sentinel.yaml auth: the spec's secured operations name no bearer, API-key or cookie scheme; say how the token is sent with auth.header: "Authorization: Bearer \${token}"`, "usage");
  const profile = profileOperation(model);
  const flow: AuthFlow = { source: "config", placement, ...(profile ? { profile: ref(profile) } : {}) };
  if (config.signup) flow.signup = { op: resolveOperation(model, config.signup.operation, "signup"), ...(config.signup.body !== undefined ? { body: config.signup.body } : {}) };
  if (config.login) flow.login = { op: resolveOperation(model, config.login.operation, "login"), ...(config.login.body !== undefined ? { body: config.login.body } : {}), ...(config.login.token ? { token: config.login.token } : {}) };
  if (!flow.signup && !flow.login) throw new CliError("sentinel.yaml auth: needs signup, login or both", "usage");
  return flow;
}

const describe = (s: IdentityStatus) =>
  s.ok ? `${s.name}: works — ${s.source === "given" ? "given" : s.how}${s.detail ? ` (${s.detail})` : ""}` : `${s.name}: does not work: ${s.detail ?? "unverified"} — ${s.source === "given" ? "given" : s.how}`;

/**
 * Given identities the pre-flight proved refused (a 401 on a secured read): their secured
 * requests were all anonymous. When every given identity is refused the run tested nothing as a
 * signed-in user, so it must not pass (fatal); otherwise a warning.
 */
export function refusedIdentities(report: ReportPreflight): { message: string; fatal: boolean } | undefined {
  const given = report.identities.filter((s) => s.source === "given");
  const refused = given.filter((s) => !s.ok).map((s) => `${s.name} (${s.detail ?? "does not work"})`);
  if (refused.length === 0) return undefined;
  const fatal = refused.length === given.length;
  const what = fatal ? "no secured operation was tested as a signed-in user" : "their requests were sent without working credentials";
  return { fatal, message: `${fatal ? "error" : "warning"}: given identit${refused.length > 1 ? "ies" : "y"} not accepted by the target: ${refused.join("; ")} — ${what}` };
}

/** Why BOLA/BFLA between users cannot run, from what the pre-flight found; undefined when two identities work. */
function authorizationNote(statuses: IdentityStatus[], noFlowReason?: string): string | undefined {
  const working = statuses.filter((s) => s.ok);
  if (working.length >= 2) return undefined;
  const broken = statuses.filter((s) => !s.ok).map((s) => `${s.name}: ${s.detail ?? "does not work"}`);
  if (statuses.length === 0) return `authorization between users not tested: no identity given and none could be provisioned (${noFlowReason ?? "no signup/login flow"}); give two with --identity or declare auth: in sentinel.yaml`;
  if (working.length === 1) return `authorization between users not tested: only ${working[0].name} works${broken.length ? ` (${broken.join("; ")})` : " (give a second identity with --identity)"}`;
  return `authorization between users not tested: no identity works (${broken.join("; ")})`;
}

export async function runPreflight(opts: { model: ApiModel; target: string; identities?: Identities; auth?: AuthConfig; fetch?: Fetch; timeoutMs?: number }): Promise<PreflightResult> {
  const fetchFn: Fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  const check = verificationOperation(opts.model);
  if (opts.identities && Object.keys(opts.identities).length > 0) {
    const statuses: IdentityStatus[] = [];
    let unreachable = false;
    for (const [name, headers] of Object.entries(opts.identities)) {
      // a target that does not answer is the circuit breaker's business: one wait is enough
      if (unreachable) {
        statuses.push({ name, source: "given", ok: true, how: "given", detail: "not verified (the target did not answer the pre-flight)" });
        continue;
      }
      const verified = await verifyIdentity({ model: opts.model, baseUrl: opts.target, fetch: fetchFn, timeoutMs: opts.timeoutMs }, check ? ref(check.op) : undefined, headers, check?.profile ?? true);
      unreachable = / failed: /.test(verified.detail);
      statuses.push({ name, source: "given", ok: verified.ok || unreachable, how: "given", detail: verified.detail, ...(verified.account && Object.keys(verified.account).length ? { account: verified.account } : {}) });
    }
    const note = authorizationNote(statuses);
    // a given identity that fails its check is still used: the user chose it, the pre-flight only warns
    return { identities: opts.identities, report: { identities: statuses, ...(note ? { authorization: note } : {}) }, lines: [...statuses.map(describe), ...(note ? [note] : [])] };
  }
  if (opts.auth?.clients) return clientIdentities(opts.model, opts.target, opts.auth.clients, fetchFn, opts.timeoutMs);
  let flow: AuthFlow | undefined;
  let reason: string | undefined;
  if (opts.auth) flow = flowFromConfig(opts.model, opts.auth);
  else {
    const inferred = inferAuthFlow(opts.model);
    flow = inferred.flow;
    if (!inferred.flow) reason = inferred.reason;
  }
  if (!flow) {
    const note = authorizationNote([], reason);
    return { report: { identities: [], ...(note ? { authorization: note } : {}) }, lines: [`no identity given; no users provisioned: ${reason}`, ...(note ? [note] : [])] };
  }
  const count = Math.max(1, Math.min(opts.auth?.users ?? 2, 5));
  const names = Array.from({ length: count }, (_, i) => `user${i + 1}`);
  const provisioned = await provisionIdentities({ model: opts.model, flow, baseUrl: opts.target, fetch: fetchFn, names, timeoutMs: opts.timeoutMs });
  const note = authorizationNote(provisioned.statuses);
  const identities = Object.keys(provisioned.identities).length > 0 ? provisioned.identities : undefined;
  const origin = flow.source === "config" ? "the auth: flow of sentinel.yaml" : "the spec's signup/login (inferred)";
  return {
    ...(identities ? { identities } : {}),
    report: { identities: provisioned.statuses, ...(note ? { authorization: note } : {}) },
    lines: [`no identity given: users provisioned through ${origin}`, ...provisioned.statuses.map(describe), ...(note ? [note] : [])],
  };
}

/**
 * After the run: does every identity that worked before still work? One that stopped (a password
 * changed, a user deleted, a session revoked — by the run itself or the target) is named in the
 * report, so findings of its later cases can be read as possible consequences, not causes.
 */
export async function recheckIdentities(opts: { model: ApiModel; target: string; identities?: Identities; report: ReportPreflight; fetch?: Fetch; timeoutMs?: number }): Promise<string[]> {
  const check = verificationOperation(opts.model);
  if (!check || !opts.identities) return [];
  const fetchFn: Fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  const lines: string[] = [];
  for (const status of opts.report.identities) {
    const headers = opts.identities[status.name];
    if (!status.ok || !headers) continue;
    const verified = await verifyIdentity({ model: opts.model, baseUrl: opts.target, fetch: fetchFn, timeoutMs: opts.timeoutMs }, ref(check.op), headers, check.profile);
    if (verified.ok) continue;
    status.afterRun = `stopped working during the run (${verified.detail} afterwards): findings on its later requests may be consequences of that, not faults of their own`;
    lines.push(`${status.name} ${status.afterRun}`);
  }
  return lines;
}

/** One identity per OAuth2 client: a token from the spec's client-credentials token URL, then the same check as any identity. */
async function clientIdentities(model: ApiModel, target: string, clients: Record<string, ClientCredentials>, fetchFn: Fetch, timeoutMs?: number): Promise<PreflightResult> {
  const declared = clientCredentialsTokenUrl(model);
  if (!declared) throw new CliError("sentinel.yaml auth.clients: the spec declares no OAuth2 clientCredentials flow (securitySchemes.*.flows.clientCredentials.tokenUrl)", "usage");
  const tokenUrl = resolveTokenUrl(declared, target);
  const check = verificationOperation(model);
  const statuses: IdentityStatus[] = [];
  const identities: Identities = {};
  for (const [name, client] of Object.entries(clients)) {
    const how = `OAuth2 client credentials (client ${client.clientId})`;
    const token = await obtainClientToken({ fetch: fetchFn, tokenUrl, timeoutMs }, client);
    if (!token.ok) {
      statuses.push({ name, source: "provisioned", ok: false, how, detail: token.detail });
      continue;
    }
    const headers = { Authorization: `Bearer ${token.token}` };
    const verified = await verifyIdentity({ model, baseUrl: target, fetch: fetchFn, timeoutMs }, check ? ref(check.op) : undefined, headers, check?.profile ?? true);
    statuses.push({ name, source: "provisioned", ok: verified.ok, how, detail: `${token.detail}; ${verified.detail}` });
    if (verified.ok) identities[name] = headers;
  }
  const note = authorizationNote(statuses);
  return {
    ...(Object.keys(identities).length > 0 ? { identities } : {}),
    report: { identities: statuses, ...(note ? { authorization: note } : {}) },
    lines: ["identities from OAuth2 client credentials (sentinel.yaml auth.clients)", ...statuses.map(describe), ...(note ? [note] : [])],
  };
}
