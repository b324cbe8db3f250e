/**
 * Token bucket arithmetic (pure). A bucket holds up to `limit` tokens and refills `limit` per
 * minute continuously; a request takes `cost` tokens or is refused with the wait until it could.
 */

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface TakeResult {
  allowed: boolean;
  remaining: number;
  /** whole seconds until the request would be allowed (0 when allowed) */
  retryAfterSeconds: number;
  limit: number;
}

export const DEFAULT_RATE_LIMIT = 600;

export function parseRateLimit(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_RATE_LIMIT;
}

export function takeTokens(bucket: Bucket | undefined, limit: number, now: number, cost = 1): { bucket: Bucket; result: TakeResult } {
  const perMs = limit / 60_000;
  const start = bucket ?? { tokens: limit, updatedAt: now };
  const elapsed = Math.max(0, now - start.updatedAt);
  const tokens = Math.min(limit, start.tokens + elapsed * perMs);
  if (tokens >= cost) {
    const left = tokens - cost;
    return { bucket: { tokens: left, updatedAt: now }, result: { allowed: true, remaining: Math.floor(left), retryAfterSeconds: 0, limit } };
  }
  const waitMs = (cost - tokens) / perMs;
  return {
    bucket: { tokens, updatedAt: now },
    result: { allowed: false, remaining: Math.floor(tokens), retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), limit },
  };
}
