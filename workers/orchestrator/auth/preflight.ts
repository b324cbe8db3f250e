/**
 * The pre-flight of identities, before a run's cases: given identities are checked against the
 * spec's `/me`-like operation; with none given, users are provisioned through the declared `auth`
 * flow or the signup + login the spec itself offers. It says which identities work, how they were
 * obtained, and why authorization between users cannot be tested when fewer than two work. Used
 * by the run pipeline (every run: API, hooks, schedules, the CLI) and by the CLI for given
 * identities. Passwords and tokens leave only as identity headers and sign-in recipes (secret).
 */
import type { ApiModel, AuthConfig, Identities } from "../../model";
import { flowFromConfig } from "./config";
import { inferAuthFlow, ref, verificationOperation, type AuthFlow } from "./infer";
import { provisionIdentities, verifyIdentity, type Fetch, type IdentityStatus, type SignInRecipe } from "./provision";

/** What the report says about identities (reports/types.ts ReportPreflight has this shape). */
export interface PreflightSummary {
  identities: (IdentityStatus & { afterRun?: string })[];
  /** why BOLA/BFLA between users did not run, when they did not */
  authorization?: string;
}

export interface PreflightResult {
  identities?: Identities;
  report: PreflightSummary;
  /** one line per identity for the terminal */
  lines: string[];
  /** the flow used to provision (absent for given identities or when there was none) */
  flow?: AuthFlow;
  /** per provisioned identity: how to sign it in again */
  recipes?: Record<string, SignInRecipe>;
  /** every password chosen and token obtained */
  secrets?: string[];
  /** OAuth scopes granted per identity, when its token answer said (client credentials) */
  scopes?: Record<string, string[]>;
}

export const describeIdentity = (s: IdentityStatus) =>
  s.ok ? `${s.name}: works — ${s.source === "given" ? "given" : s.how}${s.detail ? ` (${s.detail})` : ""}${s.role !== undefined ? `; role ${s.role}` : ""}` : `${s.name}: does not work: ${s.detail ?? "unverified"} — ${s.source === "given" ? "given" : s.how}`;

/** Why BOLA/BFLA between users cannot run, from what the pre-flight found; undefined when two identities work. */
export function authorizationNote(statuses: IdentityStatus[], noFlowReason?: string): string | undefined {
  const working = statuses.filter((s) => s.ok);
  if (working.length >= 2) return undefined;
  const broken = statuses.filter((s) => !s.ok).map((s) => `${s.name}: ${s.detail ?? "does not work"}`);
  if (statuses.length === 0) return `authorization between users not tested: no identity given and none could be provisioned (${noFlowReason ?? "no signup/login flow"}); give two with --identity or declare auth: in sentinel.yaml`;
  if (working.length === 1) return `authorization between users not tested: only ${working[0].name} works${broken.length ? ` (${broken.join("; ")})` : " (give a second identity with --identity)"}`;
  return `authorization between users not tested: no identity works (${broken.join("; ")})`;
}

export interface PreflightOptions {
  model: ApiModel;
  target: string;
  identities?: Identities;
  auth?: AuthConfig;
  fetch: Fetch;
  timeoutMs?: number;
  seed?: number;
  /** roles the user declared per identity: they win over the ones profiles name */
  roles?: Record<string, string>;
}

/** Throws AuthConfigError (auth/config.ts) when a declared flow does not fit the spec. */
export async function runPreflight(opts: PreflightOptions): Promise<PreflightResult> {
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
      const verified = await verifyIdentity({ model: opts.model, baseUrl: opts.target, fetch: opts.fetch, timeoutMs: opts.timeoutMs }, check ? ref(check.op) : undefined, headers, check?.profile ?? true);
      unreachable = / failed: /.test(verified.detail);
      const role = opts.roles?.[name] ?? verified.role;
      statuses.push({ name, source: "given", ok: verified.ok || unreachable, how: "given", detail: verified.detail, ...(verified.account && Object.keys(verified.account).length ? { account: verified.account } : {}), ...(role !== undefined ? { role } : {}) });
    }
    const note = authorizationNote(statuses);
    // a given identity that fails its check is still used: the user chose it, the pre-flight only warns
    return { identities: opts.identities, report: { identities: statuses, ...(note ? { authorization: note } : {}) }, lines: [...statuses.map(describeIdentity), ...(note ? [note] : [])] };
  }
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
  const provisioned = await provisionIdentities({ model: opts.model, flow, baseUrl: opts.target, fetch: opts.fetch, names, timeoutMs: opts.timeoutMs, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const note = authorizationNote(provisioned.statuses);
  const identities = Object.keys(provisioned.identities).length > 0 ? provisioned.identities : undefined;
  const origin = flow.source === "config" ? "the auth: flow of sentinel.yaml" : "the spec's signup/login (inferred)";
  return {
    ...(identities ? { identities } : {}),
    report: { identities: provisioned.statuses, ...(note ? { authorization: note } : {}) },
    lines: [`no identity given: users provisioned through ${origin}`, ...provisioned.statuses.map(describeIdentity), ...(note ? [note] : [])],
    flow,
    recipes: provisioned.recipes,
    secrets: provisioned.secrets,
  };
}

/**
 * After the run: does every identity that worked before still work? One that stopped (a password
 * changed, a user deleted, a session revoked — by the run itself or the target) is named in the
 * report, so findings of its later cases can be read as possible consequences, not causes.
 */
export async function recheckIdentities(opts: { model: ApiModel; target: string; identities?: Identities; report: PreflightSummary; fetch: Fetch; timeoutMs?: number }): Promise<string[]> {
  const check = verificationOperation(opts.model);
  if (!check || !opts.identities) return [];
  const lines: string[] = [];
  for (const status of opts.report.identities) {
    const headers = opts.identities[status.name];
    if (!status.ok || !headers || status.afterRun) continue;
    const verified = await verifyIdentity({ model: opts.model, baseUrl: opts.target, fetch: opts.fetch, timeoutMs: opts.timeoutMs }, ref(check.op), headers, check.profile);
    if (verified.ok) continue;
    status.afterRun = `stopped working during the run (${verified.detail} afterwards): findings on its later requests may be consequences of that, not faults of their own`;
    lines.push(`${status.name} ${status.afterRun}`);
  }
  return lines;
}
