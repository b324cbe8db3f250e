/**
 * `Authorization: Bearer <token>`: an API key (sk_…) looked up by its SHA-256, or a session JWT
 * whose user is re-read so role changes and deletions take effect at once.
 */
import type { MiddlewareHandler } from "hono";
import { log } from "../../shared/log";
import { findApiKeyByHash, touchApiKey } from "../../storage/keys-repo";
import { getUser } from "../../storage/users-repo";
import { hashApiKey, looksLikeApiKey } from "../auth/api-keys";
import { verifySession } from "../auth/sessions";
import type { AppEnv, AuthContext } from "../context";
import { ProblemError } from "../problem";

/**
 * Routes under /api/v1 that authenticate otherwise (or not at all). Only the two webhook delivery
 * endpoints are exempt (they verify signatures); managing hooks needs a bearer token like the rest.
 */
const PUBLIC_PATHS = [/^\/api\/v1\/auth\/login\/?$/, /^\/api\/v1\/openapi\.json$/, /^\/api\/v1\/hooks\/(?:github|generic)\/[^/]+\/?$/];

const TOUCH_EVERY_MS = 60_000;
const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="sentinel"' };

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.some((re) => re.test(path));
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError("unauthorized", detail, {}, CHALLENGE);
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("Send Authorization: Bearer <API key or session token>");
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!match) throw unauthorized("The Authorization header must be: Bearer <API key or session token>");
    const token = match[1];
    const auth = looksLikeApiKey(token) ? await fromApiKey(c, token) : await fromSession(c, token);
    if (!auth) throw unauthorized("The credentials are invalid, expired or revoked");
    c.set("auth", auth);
    return next();
  };
}

type Ctx = Parameters<MiddlewareHandler<AppEnv>>[0];

async function fromApiKey(c: Ctx, token: string): Promise<AuthContext | null> {
  const row = await findApiKeyByHash(c.env.DB, await hashApiKey(token));
  if (!row || row.revokedAt !== null) return null;
  const now = Date.now();
  if (row.lastUsedAt === null || row.lastUsedAt < now - TOUCH_EVERY_MS) {
    const touch = touchApiKey(c.env.DB, row.id, now, TOUCH_EVERY_MS).catch((err) =>
      log("warn", "could not record key use", { keyId: row.id, error: err instanceof Error ? err.message : String(err) }),
    );
    try {
      c.executionCtx.waitUntil(touch);
    } catch {
      await touch; // no execution context (direct app.request in tests)
    }
  }
  return { orgId: row.orgId, userId: row.userId, keyId: row.id, role: row.role, via: "api-key" };
}

async function fromSession(c: Ctx, token: string): Promise<AuthContext | null> {
  const claims = await verifySession(c.env, token);
  if (!claims) return null;
  const user = await getUser(c.env.DB, claims.orgId, claims.userId);
  if (!user) return null;
  return { orgId: user.orgId, userId: user.id, keyId: null, role: user.role, via: "session" };
}
