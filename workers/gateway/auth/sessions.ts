/**
 * Session tokens: HS256 JWTs (jose) valid for 12 hours. The signing key is SENTINEL_JWT_SECRET;
 * locally, when it is missing, a random key per isolate is used (sessions then end when the
 * isolate does) and a warning is logged. Production without a secret is refused.
 */
import { SignJWT, jwtVerify } from "jose";
import type { Role } from "../../storage/schema";
import { ROLES } from "../../storage/schema";
import { isProduction, log } from "../../shared/log";

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = "sentinel";
const AUDIENCE = "sentinel-api";

export interface SessionClaims {
  userId: string;
  orgId: string;
  role: Role;
}

export interface SessionEnv {
  SENTINEL_ENV?: string;
  SENTINEL_JWT_SECRET?: string;
}

export class MissingSecretError extends Error {}

let bootKey: Uint8Array | undefined;

export function sessionKey(env: SessionEnv): Uint8Array {
  if (env.SENTINEL_JWT_SECRET) {
    const key = new TextEncoder().encode(env.SENTINEL_JWT_SECRET);
    if (key.length < 32) throw new MissingSecretError("SENTINEL_JWT_SECRET must be at least 32 bytes");
    return key;
  }
  if (isProduction(env)) throw new MissingSecretError("SENTINEL_JWT_SECRET is not configured");
  if (!bootKey) {
    bootKey = crypto.getRandomValues(new Uint8Array(32));
    log("warn", "SENTINEL_JWT_SECRET is not set: session tokens are signed with a random per-boot key");
  }
  return bootKey;
}

export async function signSession(env: SessionEnv, claims: SessionClaims, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + SESSION_TTL_SECONDS;
  const token = await new SignJWT({ org: claims.orgId, role: claims.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(sessionKey(env));
  return { token, expiresAt: exp * 1000 };
}

/** The claims of a valid token, or null (bad signature, wrong algorithm, expired, malformed). */
export async function verifySession(env: SessionEnv, token: string, now = Date.now()): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, sessionKey(env), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(now),
    });
    const role = payload.role as Role;
    if (typeof payload.sub !== "string" || typeof payload.org !== "string" || !ROLES.includes(role)) return null;
    return { userId: payload.sub, orgId: payload.org, role };
  } catch (err) {
    if (err instanceof MissingSecretError) throw err;
    return null;
  }
}
