/**
 * Response cache keyed by a hash of (provider, model, system, prompt, schema): a rerun with the
 * same seed sends the same prompts, so it is answered here for free and reproducibly. In R2 on
 * the platform, scoped per organization; a Map in tests and the CLI.
 */
import type { RawCompletion } from "./types";

export interface CompletionCache {
  get(key: string): Promise<RawCompletion | null>;
  put(key: string, value: RawCompletion): Promise<void>;
}

export function cacheKeyText(parts: { provider: string; model: string; system: string; prompt: string; schemaName: string }): string {
  return JSON.stringify([parts.provider, parts.model, parts.schemaName, parts.system, parts.prompt]);
}

/** The subset of R2Bucket the cache needs (so tests can pass the real local bucket). */
export interface BlobStore {
  get(key: string): Promise<{ text(): Promise<string> } | null>;
  put(key: string, value: string, options?: unknown): Promise<unknown>;
}

/** The R2-backed cache of completions, one folder per scope (an organization: no answer crosses orgs). */
export function r2Cache(bucket: BlobStore, scope: string): CompletionCache {
  const path = (key: string) => `llm-cache/${scope}/${key}.json`;
  return {
    async get(key) {
      const object = await bucket.get(path(key));
      if (!object) return null;
      try {
        const value = JSON.parse(await object.text()) as RawCompletion;
        return typeof value?.text === "string" ? value : null;
      } catch {
        return null;
      }
    },
    async put(key, value) {
      await bucket.put(path(key), JSON.stringify(value), { httpMetadata: { contentType: "application/json" } });
    },
  };
}

export function memoryCache(): CompletionCache & { size(): number } {
  const map = new Map<string, RawCompletion>();
  return {
    async get(key) {
      return map.get(key) ?? null;
    },
    async put(key, value) {
      map.set(key, value);
    },
    size: () => map.size,
  };
}
