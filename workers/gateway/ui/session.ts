/**
 * The dashboard's session: the API key the user signed in with, sealed (JWE, dir + A256GCM, key
 * derived from the session secret) into an HttpOnly, Secure, SameSite=Strict cookie. Each request
 * re-authenticates that key through the REST API, so a revoked key or a changed role takes effect
 * at once, exactly as for API callers. The session also carries the CSRF token of its forms.
 */
import { base64url, EncryptJWT, jwtDecrypt } from "jose";
import { sessionKey, SESSION_TTL_SECONDS, type SessionEnv } from "../auth/sessions";

export const SESSION_COOKIE = "__Host-sentinel_session";
/** Double-submit token of the sign-in form (there is no session yet to hold it). */
export const LOGIN_CSRF_COOKIE = "__Host-sentinel_login";

export interface UiSession {
  apiKey: string;
  csrf: string;
}

const cryptoKeys = new WeakMap<Uint8Array, Promise<Uint8Array>>();

/** A 256-bit encryption key derived from the signing secret (a different use gets a different key). */
function encryptionKey(env: SessionEnv): Promise<Uint8Array> {
  const secret = sessionKey(env);
  let key = cryptoKeys.get(secret);
  if (!key) {
    const label = new TextEncoder().encode("sentinel dashboard session v1:");
    const input = new Uint8Array(label.length + secret.length);
    input.set(label);
    input.set(secret, label.length);
    key = crypto.subtle.digest("SHA-256", input).then((d) => new Uint8Array(d));
    cryptoKeys.set(secret, key);
  }
  return key;
}

export function randomToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(24)));
}

export async function sealSession(env: SessionEnv, session: UiSession, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new EncryptJWT({ k: session.apiKey, csrf: session.csrf })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .setAudience("sentinel-dashboard")
    .encrypt(await encryptionKey(env));
}

/** The session in a cookie value, or null when it is missing, tampered with, foreign or expired. */
export async function openSession(env: SessionEnv, value: string | undefined, now = Date.now()): Promise<UiSession | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtDecrypt(value, await encryptionKey(env), {
      audience: "sentinel-dashboard",
      currentDate: new Date(now),
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    if (typeof payload.k !== "string" || typeof payload.csrf !== "string") return null;
    return { apiKey: payload.k, csrf: payload.csrf };
  } catch {
    return null;
  }
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
