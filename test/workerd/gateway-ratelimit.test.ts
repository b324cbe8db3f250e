import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseRateLimit } from "../../workers/shared/token-bucket";
import { api, keyWithRole, newOrgWithKey, problem } from "./gateway-helpers";

describe("RateLimiter Durable Object", () => {
  it("enforces a per-name token bucket", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("unit-test"));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await stub.take(3));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3].retryAfterSeconds).toBe(20); // 3 per minute → one token per 20 s
    // another name has its own bucket
    const other = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("unit-test-2"));
    expect((await other.take(3)).allowed).toBe(true);
  });
});

describe("gateway rate limiting", () => {
  it("answers 429 with Retry-After once a key's bucket is empty, per key", async () => {
    const limited = await keyWithRole("viewer");
    const ok = await api("/api/v1/specs", { token: limited.key });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-limit")).toBe(String(parseRateLimit(env.SENTINEL_RATE_LIMIT)));

    // Drain the key's bucket through the same Durable Object the gateway uses.
    const limit = parseRateLimit(env.SENTINEL_RATE_LIMIT);
    const bucket = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`key:${limited.id}`));
    for (const cost of [100, 10, 1]) while ((await bucket.take(limit, cost)).allowed);

    // The bucket refills 10 tokens a second, so a few may trickle in; most of a burst must be refused.
    const burst = await Promise.all([0, 1, 2, 3, 4, 5].map(() => api("/api/v1/specs", { token: limited.key })));
    const refused = burst.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    const res = refused[0];
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await problem(res);
    expect(body.type).toMatch(/rate-limited$/);

    // other principals are unaffected
    expect((await api("/api/v1/specs")).status).toBe(200);
    const other = await newOrgWithKey();
    expect((await api("/api/v1/specs", { token: other.key })).status).toBe(200);
  });
});
