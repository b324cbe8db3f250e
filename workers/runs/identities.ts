/**
 * Identities inside the run pipeline (every run: the API, hooks, schedules and the CLI): the
 * pre-flight before planning (given identities checked; with none, users provisioned through the
 * declared `auth` flow or the spec's own signup/login), and the keeper that watches them during
 * the run (orchestrator/auth/keeper.ts). Traffic goes only to the run's target origin.
 */
import type { ApiModel, AuthConfig, Identities } from "../model";
import { profileOperation, type AuthFlow } from "../orchestrator/auth/infer";
import { IdentityKeeper, keeperState, type KeeperState } from "../orchestrator/auth/keeper";
import { recheckIdentities, runPreflight, type PreflightSummary } from "../orchestrator/auth/preflight";
import type { Fetch } from "../orchestrator/auth/provision";
import { mergeRoles } from "../orchestrator/auth/roles";
import { log } from "../shared/log";
import { setRunPreflight } from "../storage/runs-repo";

/** The roles the run plans with: the declared ones, else what each identity's profile named at the pre-flight. */
export function runRoles(declared: Record<string, string> | undefined, summary: PreflightSummary | undefined): Record<string, string> | undefined {
  const inferred = Object.fromEntries((summary?.identities ?? []).filter((s) => s.ok && s.role !== undefined).map((s) => [s.name, s.role!]));
  return mergeRoles(declared, inferred);
}

/** The pre-flight waits less than a case would: a dead target is the circuit breaker's to report. */
export const PREFLIGHT_TIMEOUT_MS = 5_000;

/** fetch that refuses every origin but the target's (the executor's rule for the run's own traffic). */
export function targetFetch(baseUrl: string): Fetch {
  const origin = new URL(baseUrl).origin;
  return (url, init) => {
    if (new URL(url).origin !== origin) return Promise.reject(new Error(`request to ${new URL(url).origin} refused: the run may only send to ${origin}`));
    return fetch(url, init);
  };
}

/** What the run keeps of its identities (encrypted: headers, passwords, tokens). */
export interface KeptIdentities {
  state: KeeperState;
  flow?: AuthFlow;
}

export interface IdentityPreflight {
  identities: Identities;
  kept: KeptIdentities;
  summary: PreflightSummary;
}

/**
 * Before planning. A declared flow that does not fit the spec throws (auth/config.ts
 * AuthConfigError: the caller's mistake); a target that answers nothing leaves given identities as they are.
 */
export async function identityPreflight(env: Env, input: { runId: string; model: ApiModel; baseUrl: string; identities: Identities; auth?: AuthConfig; roles?: Record<string, string>; timeoutMs: number; seed: number }): Promise<IdentityPreflight> {
  const fetchFn = targetFetch(input.baseUrl);
  const result = await runPreflight({ model: input.model, target: input.baseUrl, identities: input.identities, ...(input.auth ? { auth: input.auth } : {}), ...(input.roles ? { roles: input.roles } : {}), fetch: fetchFn, timeoutMs: Math.min(input.timeoutMs, PREFLIGHT_TIMEOUT_MS), seed: input.seed });
  const identities = result.identities ?? {};
  const summary = result.report;
  await setRunPreflight(env.DB, input.runId, summary);
  log("info", "identities pre-flight", { runId: input.runId, identities: summary.identities.map((s) => `${s.name}: ${s.ok ? "works" : "does not work"} (${s.source})`), authorization: summary.authorization });
  return { identities, kept: { state: keeperState(identities, result.recipes), ...(result.flow ? { flow: result.flow } : {}) }, summary };
}

export function identityKeeper(kept: KeptIdentities, model: ApiModel, baseUrl: string, timeoutMs: number): IdentityKeeper {
  return new IdentityKeeper(kept.state, { model, baseUrl, fetch: targetFetch(baseUrl), timeoutMs: Math.min(timeoutMs, PREFLIGHT_TIMEOUT_MS), ...(kept.flow ? { flow: kept.flow } : {}) });
}

/**
 * After the run: identities that stopped working during it are named in the report, with why;
 * the others are checked once more (one that stopped silently at the end is named too).
 */
export async function recordIdentitiesAfterRun(env: Env, input: { runId: string; model: ApiModel; baseUrl: string; timeoutMs: number; summary: PreflightSummary | undefined; keeper: IdentityKeeper; recheck: boolean }): Promise<void> {
  const { summary, keeper } = input;
  if (!summary) return;
  if (input.recheck && profileOperation(input.model)) {
    // provisioned identities: checked as during the run (an expired token is renewed, not a loss)
    for (const [name, kept] of Object.entries(keeper.state)) if (kept.recipe && !kept.dead) await keeper.trouble(name, kept.generation, 401, Date.now());
  }
  const dead = keeper.dead();
  for (const status of summary.identities) {
    if (dead[status.name]) status.afterRun = `${dead[status.name]}: its cases after that were not run, and their answers are not reported as findings`;
  }
  if (input.recheck) {
    const given = Object.fromEntries(Object.entries(keeper.state).filter(([, kept]) => !kept.recipe && !kept.dead).map(([name, kept]) => [name, kept.headers]));
    await recheckIdentities({ model: input.model, target: input.baseUrl, identities: given, report: summary, fetch: targetFetch(input.baseUrl), timeoutMs: Math.min(input.timeoutMs, PREFLIGHT_TIMEOUT_MS) });
  }
  await setRunPreflight(env.DB, input.runId, summary);
}
