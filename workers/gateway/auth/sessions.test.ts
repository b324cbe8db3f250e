import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { SESSION_TTL_SECONDS, MissingSecretError, signSession, verifySession } from "./sessions";

const env = { SENTINEL_JWT_SECRET: "an-hs256-secret-that-is-long-enough-0123456789" };
const claims = { userId: "usr_1", orgId: "org_1", role: "tester" as const };

describe("sessions", () => {
  it("signs and verifies a 12h token", async () => {
    const now = Date.UTC(2026, 0, 1);
    const { token, expiresAt } = await signSession(env, claims, now);
    expect(expiresAt).toBe(now + SESSION_TTL_SECONDS * 1000);
    expect(await verifySession(env, token, now + 1000)).toEqual(claims);
    expect(await verifySession(env, token, expiresAt + 1000)).toBeNull();
  });
  it("rejects other keys, tampering, alg none and garbage", async () => {
    const { token } = await signSession(env, claims);
    expect(await verifySession({ SENTINEL_JWT_SECRET: "x".repeat(40) }, token)).toBeNull();
    const [h, p, s] = token.split(".");
    const forged = btoa(JSON.stringify({ ...JSON.parse(atob(p)), role: "admin" })).replace(/=+$/, "");
    expect(await verifySession(env, `${h}.${forged}.${s}`)).toBeNull();
    const none = `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${p}.`;
    expect(await verifySession(env, none)).toBeNull();
    expect(await verifySession(env, "garbage")).toBeNull();
  });
  it("rejects a token missing Sentinel's claims", async () => {
    const key = new TextEncoder().encode(env.SENTINEL_JWT_SECRET);
    const t = await new SignJWT({ role: "root" }).setProtectedHeader({ alg: "HS256" }).setSubject("u").setIssuer("sentinel").setAudience("sentinel-api").setExpirationTime("1h").sign(key);
    expect(await verifySession(env, t)).toBeNull();
  });
  it("uses a per-boot key locally and refuses production without a secret", async () => {
    const { token } = await signSession({}, claims);
    expect(await verifySession({}, token)).toEqual(claims);
    await expect(signSession({ SENTINEL_ENV: "production" }, claims)).rejects.toBeInstanceOf(MissingSecretError);
    await expect(signSession({ SENTINEL_JWT_SECRET: "short" }, claims)).rejects.toBeInstanceOf(MissingSecretError);
  });
});
