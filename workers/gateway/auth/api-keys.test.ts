import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./api-keys";

describe("api keys", () => {
  it("generates sk_ keys whose hash and prefix match", async () => {
    const k = await generateApiKey();
    expect(k.key).toMatch(/^sk_[0-9A-Za-z]{40}$/);
    expect(k.key.startsWith(k.prefix)).toBe(true);
    expect(k.prefix.length).toBeLessThan(k.key.length / 2);
    expect(k.hash).toBe(await hashApiKey(k.key));
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await generateApiKey()).key).not.toBe(k.key);
  });
  it("recognises key syntax", () => {
    expect(looksLikeApiKey("sk_test_bootstrap_admin_key_0000000000")).toBe(true);
    expect(looksLikeApiKey("sk_short")).toBe(false);
    expect(looksLikeApiKey("eyJhbGciOiJIUzI1NiJ9.e30.x")).toBe(false);
    expect(looksLikeApiKey("sk_" + "a".repeat(30) + " ")).toBe(false);
  });
});
