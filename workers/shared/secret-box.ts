/**
 * AES-256-GCM encryption of small secrets at rest (target credentials, hook secrets).
 * Key: SENTINEL_ENCRYPTION_KEY, 32 bytes in base64. Locally, without it, a fixed development key
 * derived from a constant is used with a warning — it protects nothing, and production refuses it.
 * Ciphertext form: "v1.<iv base64>.<ciphertext+tag base64>"; the purpose string is bound as
 * additional data so a ciphertext cannot be moved between purposes (e.g. target → hook).
 */
import { isProduction, log } from "./log";
import { base64ToBytes, bytesToBase64 } from "./encoding";

export interface EncryptionEnv {
  SENTINEL_ENV?: string;
  SENTINEL_ENCRYPTION_KEY?: string;
}

export class EncryptionKeyError extends Error {}

const DEV_KEY_SEED = "sentinel-local-development-encryption-key-v1 (not a secret)";
let devKey: Promise<CryptoKey> | undefined;
const keyCache = new Map<string, Promise<CryptoKey>>();

function importAes(raw: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

export function encryptionKey(env: EncryptionEnv): Promise<CryptoKey> {
  const configured = env.SENTINEL_ENCRYPTION_KEY;
  if (configured) {
    let key = keyCache.get(configured);
    if (!key) {
      let raw: Uint8Array;
      try {
        raw = base64ToBytes(configured);
      } catch {
        throw new EncryptionKeyError("SENTINEL_ENCRYPTION_KEY is not valid base64");
      }
      if (raw.length !== 32) throw new EncryptionKeyError("SENTINEL_ENCRYPTION_KEY must be 32 bytes (base64)");
      key = importAes(raw);
      keyCache.set(configured, key);
    }
    return key;
  }
  if (isProduction(env)) throw new EncryptionKeyError("SENTINEL_ENCRYPTION_KEY is not configured");
  if (!devKey) {
    log("warn", "SENTINEL_ENCRYPTION_KEY is not set: using the fixed local development key (never use this in production)");
    devKey = crypto.subtle.digest("SHA-256", new TextEncoder().encode(DEV_KEY_SEED)).then(importAes);
  }
  return devKey;
}

export async function encryptJson(env: EncryptionEnv, purpose: string, value: unknown): Promise<string> {
  const key = await encryptionKey(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(value));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(purpose) }, key, plaintext);
  return `v1.${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(sealed))}`;
}

/** Throws when the ciphertext was altered, sealed for another purpose or under another key. */
export async function decryptJson<T>(env: EncryptionEnv, purpose: string, sealed: string): Promise<T> {
  const [version, ivText, dataText] = sealed.split(".");
  if (version !== "v1" || !ivText || !dataText) throw new Error("unknown ciphertext format");
  const key = await encryptionKey(env);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64ToBytes(ivText), additionalData: new TextEncoder().encode(purpose) },
    key,
    base64ToBytes(dataText),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}
