/**
 * One RateLimiter object per principal (API key or session user): a token bucket in memory.
 * A Durable Object is single-threaded, so concurrent requests of one key cannot both take the
 * last token. If the object is evicted the bucket starts full again, which only ever errs on the
 * side of letting a client through.
 */
import { DurableObject } from "cloudflare:workers";
import { takeTokens, type Bucket, type TakeResult } from "../workers/shared/token-bucket";

export class RateLimiter extends DurableObject<Env> {
  private bucket: Bucket | undefined;

  /** Takes `cost` tokens from a bucket of `limit` per minute. */
  take(limit: number, cost = 1): TakeResult {
    const { bucket, result } = takeTokens(this.bucket, limit, Date.now(), cost);
    this.bucket = bucket;
    return result;
  }
}
