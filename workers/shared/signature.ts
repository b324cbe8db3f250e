/**
 * HMAC-SHA256 signatures for incoming webhooks (GitHub's X-Hub-Signature-256 and Sentinel's
 * generic timestamped scheme) and for the notifications Sentinel sends when a run ends.
 * WebCrypto only, so it runs in workerd and in Node alike.
 */
import { bytesToHex } from "./encoding";

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const data = typeof message === "string" ? encoder.encode(message) : message;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
  return bytesToHex(mac);
}

/** Compares in time independent of where the strings differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`. */
export async function verifyGithubSignature(secret: string, rawBody: Uint8Array, header: string | null): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const expected = "sha256=" + (await hmacHex(secret, rawBody));
  return timingSafeEqual(expected, header.trim());
}

export const GENERIC_TOLERANCE_SECONDS = 300;

export type GenericVerdict = { ok: true } | { ok: false; reason: "missing" | "stale" | "mismatch" };

/**
 * Generic scheme: `X-Sentinel-Timestamp: <unix seconds>` and
 * `X-Sentinel-Signature: sha256=<hex HMAC of "<timestamp>.<raw body>">`. A timestamp more than
 * five minutes away from now is refused, so a captured request cannot be replayed later.
 */
export async function verifyGenericSignature(
  secret: string,
  rawBody: Uint8Array,
  timestampHeader: string | null,
  signatureHeader: string | null,
  nowMs: number,
  toleranceSeconds = GENERIC_TOLERANCE_SECONDS,
): Promise<GenericVerdict> {
  if (!timestampHeader || !signatureHeader?.startsWith("sha256=") || !/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: "missing" };
  }
  if (Math.abs(nowMs / 1000 - Number(timestampHeader)) > toleranceSeconds) return { ok: false, reason: "stale" };
  const expected = "sha256=" + (await signedPayloadHex(secret, timestampHeader, rawBody));
  return timingSafeEqual(expected, signatureHeader.trim()) ? { ok: true } : { ok: false, reason: "mismatch" };
}

async function signedPayloadHex(secret: string, timestamp: string, rawBody: Uint8Array): Promise<string> {
  const prefix = encoder.encode(timestamp + ".");
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix, 0);
  message.set(rawBody, prefix.length);
  return hmacHex(secret, message);
}

/** Headers for a body Sentinel sends (notifications), in the generic scheme. */
export async function signGeneric(secret: string, body: string, nowMs: number): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    "x-sentinel-timestamp": timestamp,
    "x-sentinel-signature": "sha256=" + (await signedPayloadHex(secret, timestamp, encoder.encode(body))),
  };
}

/** For tests and clients: GitHub-style signature of a body. */
export async function signGithub(secret: string, body: string): Promise<string> {
  return "sha256=" + (await hmacHex(secret, body));
}
