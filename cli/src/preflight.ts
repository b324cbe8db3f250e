/**
 * The CLI's side of the identity pre-flight (workers/orchestrator/auth/preflight.ts): given
 * identities are checked here before the run; users to provision are left to the run itself
 * (the platform provisions them, signs them in again when their tokens expire, and reports how).
 * A declared `auth:` flow is checked against the spec first, so a mistake is a usage error.
 */
import type { ApiModel, AuthConfig } from "../../workers/model";
import { AuthConfigError, flowFromConfig as resolveFlow } from "../../workers/orchestrator/auth/config";
import type { AuthFlow } from "../../workers/orchestrator/auth/infer";
import { ref, verificationOperation } from "../../workers/orchestrator/auth/infer";
import { authorizationNote, describeIdentity, recheckIdentities as recheck, runPreflight as preflight, type PreflightResult } from "../../workers/orchestrator/auth/preflight";
import { verifyIdentity, type Fetch, type IdentityStatus } from "../../workers/orchestrator/auth/provision";
import type { ReportPreflight } from "../../workers/reports/types";
import { clientCredentialsTokenUrl, obtainClientToken, resolveTokenUrl, type ClientCredentials } from "../../workers/orchestrator/auth/client-credentials";
import { CliError } from "./exit-codes";
import type { Identities } from "./identities";

export type { AuthConfig };

const nodeFetch: Fetch = (url, init) => fetch(url, init);

/** The declared flow, operations resolved against the spec; a mismatch is a usage error. */
export function flowFromConfig(model: ApiModel, config: AuthConfig): AuthFlow {
  try {
    return resolveFlow(model, config);
  } catch (err) {
    if (err instanceof AuthConfigError) throw new CliError(`sentinel.yaml ${err.message}`, "usage");
    throw err;
  }
}

export async function runPreflight(opts: { model: ApiModel; target: string; identities?: Identities; auth?: AuthConfig; roles?: Record<string, string>; fetch?: Fetch; timeoutMs?: number }): Promise<PreflightResult> {
  if (opts.auth?.clients && !(opts.identities && Object.keys(opts.identities).length > 0)) return clientIdentities(opts.model, opts.target, opts.auth.clients, opts.fetch ?? nodeFetch, opts.timeoutMs, opts.roles);
  if (opts.auth) flowFromConfig(opts.model, opts.auth);
  return preflight({ ...opts, fetch: opts.fetch ?? nodeFetch });
}

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

export async function recheckIdentities(opts: { model: ApiModel; target: string; identities?: Identities; report: ReportPreflight; fetch?: Fetch; timeoutMs?: number }): Promise<string[]> {
  return recheck({ ...opts, fetch: opts.fetch ?? nodeFetch });
}

/** The terminal lines of a run's own pre-flight (users the platform provisioned). */
export function preflightLines(report: ReportPreflight): string[] {
  const provisioned = report.identities.some((s) => s.source === "provisioned");
  return [
    ...(provisioned ? ["no identity given: users provisioned by the run"] : []),
    ...report.identities.map((s) => describeIdentity(s) + (s.afterRun ? `; ${s.afterRun}` : "")),
    ...(report.authorization ? [report.authorization] : []),
  ];
}

/** One identity per OAuth2 client: a token from the spec's client-credentials token URL, then the same check as any identity. */
async function clientIdentities(model: ApiModel, target: string, clients: Record<string, ClientCredentials>, fetchFn: Fetch, timeoutMs?: number, roles?: Record<string, string>): Promise<PreflightResult> {
  const declared = clientCredentialsTokenUrl(model);
  if (!declared) throw new CliError("sentinel.yaml auth.clients: the spec declares no OAuth2 clientCredentials flow (securitySchemes.*.flows.clientCredentials.tokenUrl)", "usage");
  const tokenUrl = resolveTokenUrl(declared, target);
  const check = verificationOperation(model);
  const statuses: IdentityStatus[] = [];
  const identities: Identities = {};
  const scopes: Record<string, string[]> = {};
  for (const [name, client] of Object.entries(clients)) {
    const how = `OAuth2 client credentials (client ${client.clientId})`;
    const token = await obtainClientToken({ fetch: fetchFn, tokenUrl, timeoutMs }, client);
    if (!token.ok) {
      statuses.push({ name, source: "provisioned", ok: false, how, detail: token.detail });
      continue;
    }
    const headers = { Authorization: `Bearer ${token.token}` };
    const verified = await verifyIdentity({ model, baseUrl: target, fetch: fetchFn, timeoutMs }, check ? ref(check.op) : undefined, headers, check?.profile ?? true);
    const role = roles?.[name] ?? verified.role;
    statuses.push({ name, source: "provisioned", ok: verified.ok, how, detail: `${token.detail}; ${verified.detail}`, ...(role !== undefined ? { role } : {}) });
    if (verified.ok) identities[name] = headers;
    if (verified.ok && token.scopes) scopes[name] = token.scopes;
  }
  const note = authorizationNote(statuses);
  return {
    ...(Object.keys(identities).length > 0 ? { identities } : {}),
    ...(Object.keys(scopes).length > 0 ? { scopes } : {}),
    report: { identities: statuses, ...(note ? { authorization: note } : {}) },
    lines: ["identities from OAuth2 client credentials (sentinel.yaml auth.clients)", ...statuses.map(describeIdentity), ...(note ? [note] : [])],
  };
}
