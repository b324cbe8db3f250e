import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT, parseRateLimit, takeTokens, type Bucket } from "./token-bucket";

describe("token bucket", () => {
  it("allows a full burst then refuses with a retry delay", () => {
    let bucket: Bucket | undefined;
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      const step = takeTokens(bucket, 5, t0);
      expect(step.result.allowed).toBe(true);
      expect(step.result.remaining).toBe(4 - i);
      bucket = step.bucket;
    }
    const refused = takeTokens(bucket, 5, t0);
    expect(refused.result.allowed).toBe(false);
    // 5 per minute = one token every 12 s
    expect(refused.result.retryAfterSeconds).toBe(12);
    const later = takeTokens(refused.bucket, 5, t0 + 12_000);
    expect(later.result.allowed).toBe(true);
  });
  it("never refills beyond the limit and honours cost", () => {
    const step = takeTokens({ tokens: 2, updatedAt: 0 }, 10, 10 * 60_000, 10);
    expect(step.result.allowed).toBe(true);
    expect(step.result.remaining).toBe(0);
    expect(takeTokens(step.bucket, 10, 10 * 60_000).result.allowed).toBe(false);
  });
  it("parses the configured limit", () => {
    expect(parseRateLimit(undefined)).toBe(DEFAULT_RATE_LIMIT);
    expect(parseRateLimit("abc")).toBe(DEFAULT_RATE_LIMIT);
    expect(parseRateLimit("0")).toBe(DEFAULT_RATE_LIMIT);
    expect(parseRateLimit("120")).toBe(120);
  });
});
