import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { randomToken } from "./session";

describe("randomToken (CSRF tokens and CSP nonces)", () => {
  it("is 24 random bytes in unpadded base64url: safe in a cookie, a form field and a CSP nonce", () => {
    const tokens = Array.from({ length: 200 }, randomToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(base64url.decode(token)).toHaveLength(24);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
