/**
 * Per-principal rate limit (SENTINEL_RATE_LIMIT requests per minute, default 600) kept by one
 * RateLimiter Durable Object per API key or session user. When the limiter itself fails the
 * request goes through: limiting protects the service, it must not take it down.
 */
import type { MiddlewareHandler } from "hono";
import { log } from "../../shared/log";
import type { AppEnv } from "../context";
import { ProblemError } from "../problem";
import { parseRateLimit, type TakeResult } from "../../shared/token-bucket";

export function limiterName(auth: { keyId: string | null; userId: string | null }): string {
  return auth.keyId ? `key:${auth.keyId}` : `user:${auth.userId}`;
}

export async function takeRateLimit(env: Env, name: string, limit: number): Promise<TakeResult | null> {
  try {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
    return await stub.take(limit);
  } catch (err) {
    log("error", "rate limiter unavailable", { error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

export function throwIfLimited(result: TakeResult | null): void {
  if (result && !result.allowed) {
    throw new ProblemError(
      "rate-limited",
      `At most ${result.limit} requests per minute; retry in ${result.retryAfterSeconds} s`,
      { retryAfterSeconds: result.retryAfterSeconds },
      { "Retry-After": String(result.retryAfterSeconds), "RateLimit-Limit": String(result.limit), "RateLimit-Remaining": "0" },
    );
  }
}

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) return next();
    const result = await takeRateLimit(c.env, limiterName(auth), parseRateLimit(c.env.SENTINEL_RATE_LIMIT));
    throwIfLimited(result);
    await next();
    if (result) {
      c.header("RateLimit-Limit", String(result.limit));
      c.header("RateLimit-Remaining", String(result.remaining));
    }
  };
}
