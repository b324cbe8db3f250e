/**
 * The target policy: the address policy with this deployment's switches and the org's allowlist.
 * Used by the targets and spec-import routes, webhooks, notifications and starting a run, before
 * any traffic. A refusal is a RunError "target-not-allowed" (422 problem+json at the gateway).
 */
import { checkAddress, type AddressPolicy } from "../shared/address-policy";
import { getOrg } from "../storage/orgs-repo";
import { RunError } from "./errors";

type PolicyEnv = Pick<Env, "DB" | "SENTINEL_ALLOW_LOOPBACK" | "SENTINEL_ALLOW_PRIVATE">;

export function deploymentPolicy(env: Pick<Env, "SENTINEL_ALLOW_LOOPBACK" | "SENTINEL_ALLOW_PRIVATE">, allowlist: readonly string[] = []): AddressPolicy {
  return {
    allowLoopback: env.SENTINEL_ALLOW_LOOPBACK === "true",
    allowPrivate: env.SENTINEL_ALLOW_PRIVATE === "true",
    allowlist,
  };
}

/**
 * Throws a target-not-allowed RunError unless Sentinel may send traffic to `url` for this org.
 * `org` is the org row (anything with targetAllowlist) or its id.
 */
export async function assertTargetAllowed(env: PolicyEnv, org: { targetAllowlist: readonly string[] } | string, url: string): Promise<URL> {
  const allowlist = typeof org === "string" ? ((await getOrg(env.DB, org))?.targetAllowlist ?? []) : org.targetAllowlist;
  const verdict = checkAddress(url, deploymentPolicy(env, allowlist));
  if (!verdict.ok) throw new RunError("target-not-allowed", verdict.reason, { url });
  return verdict.url;
}

/** The same network rules for fetching documents (spec import); the org's target allowlist does not apply. */
export function assertFetchAllowed(env: Pick<Env, "SENTINEL_ALLOW_LOOPBACK" | "SENTINEL_ALLOW_PRIVATE">, url: string): URL {
  const verdict = checkAddress(url, deploymentPolicy(env));
  if (!verdict.ok) throw new RunError("target-not-allowed", verdict.reason, { url });
  return verdict.url;
}
