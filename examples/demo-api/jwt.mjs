// HS256 JSON Web Tokens with node:crypto only: the demo API must run with no dependencies.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The fixed secret the demo server signs and checks tokens with (demo only, public on purpose). */
export const DEMO_JWT_SECRET = "sentinel-demo-api-secret-do-not-use-in-production";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

const encode = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function decodeJson(part) {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const hmac = (input, secret) => createHmac("sha256", secret).update(input).digest();

/** Signs `payload`; alg "none" produces an unsigned token (used by tests to probe the weakness). */
export function signJwt(payload, { secret = DEMO_JWT_SECRET, alg = "HS256" } = {}) {
  const input = `${encode({ alg, typ: "JWT" })}.${encode(payload)}`;
  const signature = alg === "none" ? "" : hmac(input, secret).toString("base64url");
  return `${input}.${signature}`;
}

/**
 * Verifies a compact JWT. Only HS256 with a valid signature, a string `sub` and an `exp` in the
 * future passes, unless `allowNone` (a seeded fault) lets unsigned tokens through.
 * @returns {{ ok: true, claims: Record<string, unknown> } | { ok: false, reason: string }}
 */
export function verifyJwt(token, { secret = DEMO_JWT_SECRET, allowNone = false, nowSeconds = Date.now() / 1000 } = {}) {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!header || !claims) return { ok: false, reason: "malformed token" };
  const unsignedAllowed = allowNone && typeof header.alg === "string" && header.alg.toLowerCase() === "none";
  if (!unsignedAllowed) {
    if (header.alg !== "HS256") return { ok: false, reason: "unsupported algorithm" };
    if (!BASE64URL.test(signaturePart)) return { ok: false, reason: "bad signature" };
    const given = Buffer.from(signaturePart, "base64url");
    const expected = hmac(`${headerPart}.${payloadPart}`, secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad signature" };
  }
  if (typeof claims.sub !== "string") return { ok: false, reason: "missing subject" };
  if (typeof claims.exp !== "number" || !(claims.exp > nowSeconds)) return { ok: false, reason: "token expired" };
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds) return { ok: false, reason: "token not yet valid" };
  return { ok: true, claims };
}
