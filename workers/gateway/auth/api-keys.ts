/**
 * API keys: `sk_` + 40 random base62 characters (≈238 bits). Only the SHA-256 of the whole key is
 * stored, with a short visible prefix so people can tell their keys apart; the key itself is
 * shown once, at creation.
 */
import { randomBase62, sha256Hex } from "../../shared/encoding";

export const API_KEY_PREFIX = "sk_";
const RANDOM_CHARS = 40;
const VISIBLE_CHARS = 12;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export async function generateApiKey(): Promise<NewApiKey> {
  const key = API_KEY_PREFIX + randomBase62(RANDOM_CHARS);
  return { key, prefix: visiblePrefix(key), hash: await hashApiKey(key) };
}

export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_CHARS);
}

/** Cheap syntactic filter before any lookup; the bootstrap key may contain underscores. */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX) && /^sk_[A-Za-z0-9_]{20,200}$/.test(token);
}
