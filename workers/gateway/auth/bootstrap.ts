/**
 * Local/test bootstrap: when SENTINEL_BOOTSTRAP_KEY is set, make sure a "default" org exists with
 * that key as an admin API key. Runs once per isolate; INSERT OR IGNORE makes concurrent isolates
 * safe, and a revoked bootstrap key stays revoked. Refused in production unless
 * SENTINEL_ALLOW_BOOTSTRAP="true", because a key in configuration is a weak secret.
 */
import { isProduction, log } from "../../shared/log";
import { ensureApiKey } from "../../storage/keys-repo";
import { DEFAULT_ORG_ID, ensureOrg } from "../../storage/orgs-repo";
import { hashApiKey, looksLikeApiKey, visiblePrefix } from "./api-keys";

let done: Promise<void> | undefined;

export function ensureBootstrap(env: Env): Promise<void> {
  done ??= applyBootstrap(env).catch((err) => {
    done = undefined; // try again on the next request (e.g. migrations were not applied yet)
    log("error", "bootstrap failed", { error: err instanceof Error ? err.message : String(err) });
  });
  return done;
}

/** The bootstrap itself (idempotent); ensureBootstrap runs it once per isolate. */
export async function applyBootstrap(env: Env): Promise<void> {
  const key = env.SENTINEL_BOOTSTRAP_KEY;
  if (!key) return;
  if (isProduction(env) && env.SENTINEL_ALLOW_BOOTSTRAP !== "true") {
    log("warn", "SENTINEL_BOOTSTRAP_KEY is ignored in production (set SENTINEL_ALLOW_BOOTSTRAP=true to allow it)");
    return;
  }
  if (!looksLikeApiKey(key)) {
    log("warn", "SENTINEL_BOOTSTRAP_KEY is ignored: it must look like sk_ followed by at least 20 letters, digits or underscores");
    return;
  }
  const hash = await hashApiKey(key);
  await ensureOrg(env.DB, DEFAULT_ORG_ID, "default");
  await ensureApiKey(env.DB, {
    id: `key_boot_${hash.slice(0, 16)}`,
    orgId: DEFAULT_ORG_ID,
    name: "bootstrap",
    prefix: visiblePrefix(key),
    hash,
    role: "admin",
  });
  log("info", "bootstrap key ensured", { orgId: DEFAULT_ORG_ID, prefix: visiblePrefix(key) });
}
