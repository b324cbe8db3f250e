/**
 * Identity health during a run. When a request sent as an identity gets a 401 (or a 5xx), the
 * executor asks the run, and this decides: the identity still works (its `/me`-like operation
 * answers 2xx: the answer was the operation's own), it was signed in again (refresh token first,
 * then the flow's login with the password Sentinel chose: new headers, a new generation), or it is
 * dead (it cannot be checked or renewed: its cases stop, and the report says why instead of
 * reporting the consequences as findings).
 *
 * One check per identity at a time; a check that started after a request was answered vouches for
 * that answer, so a burst of failures costs one check. Pure: the network is injected.
 */
import type { ApiModel, Identities, IdentityVerdict } from "../../model";
import type { AuthFlow } from "./infer";
import { ref, profileOperation } from "./infer";
import { refreshSignIn, signIn, verifyIdentity, type Fetch, type SignInRecipe } from "./provision";

/** Sign-ins again per identity without a failed profile check to justify them (no `/me`-like operation): then 401s are taken as they come. */
export const MAX_RENEWALS = 100;

/** What is kept per identity (stored by the run between calls; secret: headers and recipe). */
export interface KeptIdentity {
  headers: Record<string, string>;
  generation: number;
  renewals: number;
  /** how to sign it in again (provisioned identities) */
  recipe?: SignInRecipe;
  /** set once it stopped working for good */
  dead?: string;
  /** the last check that found it working: its generation and when it started */
  lastOk?: { generation: number; startedAt: number };
}

export type KeeperState = Record<string, KeptIdentity>;

export interface KeeperOptions {
  model: ApiModel;
  baseUrl: string;
  fetch: Fetch;
  timeoutMs?: number;
  /** the provisioning flow (given identities have none: they can be checked, not renewed) */
  flow?: AuthFlow;
  clock?: () => number;
  /** told of every new token or refresh token (callers redact them) */
  onSecret?: (secret: string) => void;
}

export function keeperState(identities: Identities, recipes: Record<string, SignInRecipe> = {}): KeeperState {
  return Object.fromEntries(Object.entries(identities).map(([name, headers]) => [name, { headers, generation: 0, renewals: 0, ...(recipes[name] ? { recipe: recipes[name] } : {}) }]));
}

export class IdentityKeeper {
  private readonly inflight = new Map<string, { startedAt: number; done: Promise<void> }>();
  private readonly clock: () => number;

  constructor(
    readonly state: KeeperState,
    private readonly opts: KeeperOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
  }

  identities(): Identities {
    return Object.fromEntries(Object.entries(this.state).filter(([, kept]) => !kept.dead).map(([name, kept]) => [name, kept.headers]));
  }

  generations(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.state).map(([name, kept]) => [name, kept.generation]));
  }

  dead(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.state).flatMap(([name, kept]) => (kept.dead ? [[name, kept.dead]] : [])));
  }

  async trouble(name: string, generation: number, status: number, answeredAt: number): Promise<IdentityVerdict> {
    for (let round = 0; round < 3; round++) {
      const kept = this.state[name];
      if (!kept) return { state: "ok", generation };
      if (kept.dead) return { state: "dead", reason: kept.dead };
      if (generation < kept.generation) return { state: "ok", generation: kept.generation, headers: kept.headers };
      if (kept.lastOk && kept.lastOk.generation === kept.generation && kept.lastOk.startedAt >= answeredAt) return { state: "ok", generation: kept.generation };
      const running = this.inflight.get(name);
      if (running && running.startedAt >= answeredAt) {
        await running.done;
        continue;
      }
      if (running) await running.done; // an older check: wait for it, then check afresh
      else {
        const startedAt = this.clock();
        const done = this.check(name, status, startedAt).finally(() => this.inflight.delete(name));
        this.inflight.set(name, { startedAt, done });
        await done;
      }
    }
    const kept = this.state[name]!;
    return kept.dead ? { state: "dead", reason: kept.dead } : { state: "ok", generation: kept.generation, ...(kept.generation > generation ? { headers: kept.headers } : {}) };
  }

  /** Is it still working? If not: renew it or declare it dead. */
  private async check(name: string, status: number, startedAt: number): Promise<void> {
    const kept = this.state[name]!;
    const target = { model: this.opts.model, baseUrl: this.opts.baseUrl, fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs ?? 10_000 };
    const profile = this.opts.flow?.profile ?? (profileOperation(this.opts.model) ? ref(profileOperation(this.opts.model)!) : undefined);
    let failedCheck: string | undefined;
    if (profile) {
      const verified = await verifyIdentity(target, profile, kept.headers);
      if (verified.ok) {
        kept.lastOk = { generation: kept.generation, startedAt };
        return;
      }
      // the target itself stopped answering: the circuit breaker's business, not the identity's
      if (/ failed: /.test(verified.detail)) return;
      failedCheck = verified.detail;
    } else if (!kept.recipe || status >= 500) {
      // nothing to check it with: a 5xx or a given identity's 401 is taken as the operation's own answer
      kept.lastOk = { generation: kept.generation, startedAt };
      return;
    }
    const why = failedCheck ? `${failedCheck} after a ${status}` : `a ${status}`;
    if (!kept.recipe || !this.opts.flow?.login) {
      kept.dead = `stopped working during the run (${why}) and Sentinel cannot sign it in again (${kept.recipe ? "no login" : "given, not provisioned"})`;
      return;
    }
    if (kept.renewals >= MAX_RENEWALS && !failedCheck) {
      // nothing proves the token expired, and renewing has not helped so far: the answers are the operations' own
      kept.lastOk = { generation: kept.generation, startedAt };
      return;
    }
    const secrets: string[] = [];
    // the refresh token first (sentinel.yaml auth.refresh), then a full sign-in
    let renewed = kept.recipe.refreshToken && this.opts.flow.refresh ? await refreshSignIn(target, this.opts.flow, kept.recipe.refreshToken, secrets).catch((err: Error) => ({ failure: err.message })) : undefined;
    if (!renewed || "failure" in renewed) renewed = await signIn(target, this.opts.flow, kept.recipe, secrets).catch((err: Error) => ({ failure: err.message }));
    for (const secret of secrets) this.opts.onSecret?.(secret);
    if ("failure" in renewed) {
      kept.dead = `stopped working during the run (${why}); signing in again failed: ${renewed.failure}`;
      return;
    }
    kept.headers = renewed.headers;
    kept.generation += 1;
    kept.renewals += 1;
    if (renewed.refreshToken) kept.recipe = { ...kept.recipe, refreshToken: renewed.refreshToken };
    kept.lastOk = { generation: kept.generation, startedAt };
  }
}
