import { describe, expect, it } from "vitest";
import { collectSecrets, placeholderName, redactRequest, redactResponse } from "./redact";

describe("redaction", () => {
  const identities = {
    alice: { Authorization: "Bearer alice-secret-token", Cookie: "sid=abcdef123456; theme=dark", Accept: "application/json" },
    bob: { "X-Api-Key": "bob-key-0001" },
  };
  const secrets = collectSecrets(identities);

  it("names placeholders after identity and header", () => {
    expect(placeholderName("alice", "X-Api-Key", true)).toBe("$SENTINEL_ALICE_X_API_KEY");
    expect(placeholderName("alice", "Authorization", false)).toBe("$SENTINEL_AUTHORIZATION");
  });

  it("replaces identity secrets everywhere in the request, keeping the auth scheme", () => {
    const out = redactRequest(
      {
        method: "POST",
        url: "http://api.test/x?key=bob-key-0001",
        headers: { Authorization: "Bearer alice-secret-token", "X-Api-Key": "bob-key-0001", Accept: "application/json", "X-Probe": "Bearer forged" },
        body: '{"token":"alice-secret-token"}',
      },
      secrets,
    );
    expect(out.headers.Authorization).toBe("Bearer $SENTINEL_ALICE_AUTHORIZATION");
    expect(out.headers["X-Api-Key"]).toBe("$SENTINEL_BOB_X_API_KEY");
    expect(out.headers.Accept).toBe("application/json");
    expect(out.headers["X-Probe"]).toBe("Bearer forged");
    expect(out.url).toBe("http://api.test/x?key=$SENTINEL_BOB_X_API_KEY");
    expect(out.body).not.toContain("alice-secret-token");
    expect(JSON.stringify(out)).not.toMatch(/alice-secret-token|bob-key-0001|abcdef123456/);
  });

  it("redacts echoed secrets and Set-Cookie values in responses", () => {
    const out = redactResponse({ status: 200, headers: { "set-cookie": "sid=zzz; Path=/; HttpOnly, other=1" }, body: "you sent abcdef123456", bodySize: 21, durationMs: 1 }, secrets);
    expect(out.headers["set-cookie"]).toBe("sid=[redacted]; Path=/; HttpOnly, other=[redacted]");
    expect(out.body).toBe("you sent $SENTINEL_ALICE_COOKIE");
  });

  it("redacts a JWT's signature segment on its own (echoed or spliced into another token)", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.k3Jd8s_Zq1xPqv0aAbCdEfGhIjKlMnOpQrStUv";
    const out = redactResponse({ status: 200, headers: {}, body: `sig=k3Jd8s_Zq1xPqv0aAbCdEfGhIjKlMnOpQrStUv full=${jwt}`, bodySize: 1, durationMs: 1 }, collectSecrets({ alice: { Authorization: `Bearer ${jwt}` } }));
    expect(out.body).toBe("sig=[redacted] full=$SENTINEL_AUTHORIZATION");
  });
});
