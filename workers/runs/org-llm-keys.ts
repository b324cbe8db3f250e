/**
 * An organization's LLM keys, encrypted at rest with the deployment's key (secret-box, purpose
 * "org-llm-key"). Opened only in memory for a run's LLM client; never logged or returned.
 */
import type { LlmProviderKind } from "../ai/types";
import { decryptJson, encryptJson, type EncryptionEnv } from "../shared/secret-box";
import { deleteLlmKey, listSealedLlmKeys, putSealedLlmKey } from "../storage/llm-keys-repo";

const PURPOSE = "org-llm-key";

type KeysEnv = EncryptionEnv & { DB: D1Database };

export async function setOrgLlmKey(env: KeysEnv, orgId: string, provider: LlmProviderKind, apiKey: string): Promise<void> {
  await putSealedLlmKey(env.DB, orgId, provider, await encryptJson(env, `${PURPOSE}:${orgId}:${provider}`, { apiKey }));
}

export function clearOrgLlmKey(env: KeysEnv, orgId: string, provider: LlmProviderKind): Promise<boolean> {
  return deleteLlmKey(env.DB, orgId, provider);
}

/** Which providers have a key (never the keys). */
export async function orgLlmKeyProviders(env: KeysEnv, orgId: string): Promise<{ provider: string; updatedAt: string }[]> {
  return (await listSealedLlmKeys(env.DB, orgId)).map((r) => ({ provider: r.provider, updatedAt: new Date(r.updatedAt).toISOString() }));
}

/** The org's keys in clear, for one run's client (a key that no longer opens is skipped). */
export async function openOrgLlmKeys(env: KeysEnv, orgId: string): Promise<Partial<Record<LlmProviderKind, string>>> {
  const out: Partial<Record<LlmProviderKind, string>> = {};
  for (const row of await listSealedLlmKeys(env.DB, orgId)) {
    try {
      out[row.provider as LlmProviderKind] = (await decryptJson<{ apiKey: string }>(env, `${PURPOSE}:${orgId}:${row.provider}`, row.sealed)).apiKey;
    } catch {
      // sealed under another deployment key: unusable, the run goes without it
    }
  }
  return out;
}
