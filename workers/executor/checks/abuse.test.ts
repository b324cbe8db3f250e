import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { auth_rate_limit, user_enumeration, weak_jwt_secret } from "./abuse";
import { ctx, record, type StepSpec } from "./test-support";

const login = { method: "POST", path: "/login" };
const wrong = (id: string, username: string, status: number, body: unknown, extra: Partial<StepSpec> = {}) =>
  record({ id, ...login, status, body, requestBody: { username, password: "sentinel-wrong-1" }, identity: null, ...extra });

describe("user_enumeration", () => {
  const known = wrong("known", "anna_42", 401, { errors: [{ message: "wrong username or password" }] });
  const repeat = wrong("repeat", "anna_42", 401, { errors: [{ message: "wrong username or password" }] });
  const judge = (unknown: ReturnType<typeof record>, others = [known, repeat]) => user_enumeration(ctx(unknown, { others, params: { knownStep: "known", repeatStep: "repeat" } }));

  it("fails when an unknown account gets another status, body shape or message", () => {
    expect(judge(wrong("unknown", "nobody_9", 404, { errors: [{ field: "username", message: "no user with this username" }] }))).toMatchObject({ status: "failed", signature: "status:401-vs-404" });
    expect(judge(wrong("unknown", "nobody_9", 401, { errors: [{ field: "username", message: "wrong username or password" }] }))).toMatchObject({ status: "failed", signature: "body:shape" });
    expect(judge(wrong("unknown", "nobody_9", 401, { errors: [{ message: "unknown user" }] }))).toMatchObject({ status: "failed", signature: "body:message" });
  });
  it("passes on the same answer, even when it repeats the input or carries another request id", () => {
    const echo = (id: string, name: string) => wrong(id, name, 401, { message: `invalid credentials for ${name}`, requestId: `${id}-${name.length}7` });
    expect(judge(echo("unknown", "nobody_9"), [echo("known", "anna_42"), echo("repeat", "anna_42")]).status).toBe("passed");
    expect(judge(wrong("unknown", "nobody_9", 401, { errors: [{ message: "wrong username or password" }] })).status).toBe("passed");
  });
  it("skips throttled, failing or noisy answers", () => {
    expect(judge(wrong("unknown", "nobody_9", 429, { errors: [{ message: "slow down" }] })).status).toBe("skipped");
    expect(judge(wrong("unknown", "nobody_9", 500, "boom")).status).toBe("skipped");
    const noisy = wrong("repeat", "anna_42", 401, { errors: [{ message: "try again in a while" }] });
    expect(judge(wrong("unknown", "nobody_9", 401, { errors: [{ message: "unknown user" }] }), [known, noisy]).status).toBe("skipped");
  });
});

describe("auth_rate_limit on an OAuth 2.0 token endpoint", () => {
  const token = { method: "POST", path: "/oauth/token" };
  const attempt = (i: number, status: number, body: unknown) =>
    record({ id: `attempt-${i}`, ...token, status, body, requestBody: { grant_type: "client_credentials", client_id: "desk", client_secret: `Sentinel-wrong-${i}` }, identity: null });
  const judge = (steps: ReturnType<typeof record>[]) => auth_rate_limit(ctx(steps[steps.length - 1], { others: steps.slice(0, -1), params: { oauth: true } }));
  it("fails when 40 wrong client secrets all got invalid_client, passes on a 429 after 5", () => {
    expect(judge(Array.from({ length: 40 }, (_, i) => attempt(i, 401, { error: "invalid_client" })))).toMatchObject({ status: "failed", signature: "no-throttle" });
    expect(judge(Array.from({ length: 40 }, (_, i) => attempt(i, 400, { error: "invalid_client" }))).status).toBe("failed");
    expect(judge(Array.from({ length: 40 }, (_, i) => (i < 5 ? attempt(i, 401, { error: "invalid_client" }) : attempt(i, 429, { error: "too_many_requests" })))).status).toBe("passed");
  });
  it("skips a burst the endpoint refused as a malformed request, not as wrong credentials", () => {
    expect(judge(Array.from({ length: 40 }, (_, i) => attempt(i, 400, { error: "invalid_request" }))).status).toBe("skipped");
    expect(judge(Array.from({ length: 40 }, (_, i) => attempt(i, 415, { error: "unsupported media type" }))).status).toBe("skipped");
  });
});

describe("auth_rate_limit", () => {
  const burst = (n: number, at: (i: number) => Partial<StepSpec> = () => ({})) =>
    Array.from({ length: n }, (_, i) => wrong(`attempt-${i}`, "anna_42", 401, { errors: [{ message: "wrong username or password" }] }, at(i)));
  const judge = (steps: ReturnType<typeof record>[]) => auth_rate_limit(ctx(steps[steps.length - 1], { others: steps.slice(0, -1) }));

  it("fails when a whole burst of failed sign-ins got the same refusal", () => {
    const result = judge(burst(30));
    expect(result).toMatchObject({ status: "failed", signature: "no-throttle" });
    expect(result.message).toContain("30 failed sign-ins");
  });
  it("passes on a 429, a rate-limit header or a lockout", () => {
    expect(judge(burst(30, (i) => (i >= 10 ? { status: 429, body: { errors: [{ message: "too many" }] } } : {}))).status).toBe("passed");
    expect(judge(burst(30, (i) => (i === 0 ? { headers: { "RateLimit-Remaining": "9" } } : {}))).status).toBe("passed");
    expect(judge(burst(30, (i) => (i >= 5 ? { status: 423, body: { errors: [{ message: "account locked" }] } } : {}))).status).toBe("passed");
    expect(judge(burst(30, (i) => (i >= 5 ? { body: { errors: [{ message: "account locked for 15 minutes" }] } } : {}))).status).toBe("passed");
  });
  it("skips short bursts and 5xx", () => {
    expect(judge(burst(5)).status).toBe("skipped");
    expect(judge(burst(30, (i) => (i === 3 ? { status: 503, body: "down" } : {}))).status).toBe("skipped");
  });
});

describe("weak_jwt_secret", () => {
  const token = (secret: string, alg = "HS256") => new SignJWT({ sub: "anna" }).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
  const judge = async (authorization: string, status = 200) => weak_jwt_secret(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status, body: { id: 1 }, requestHeaders: { Authorization: authorization } }));

  it("fails on a token signed with a common secret, without naming it", async () => {
    const result = await judge(`Bearer ${await token("your-256-bit-secret")}`);
    expect(result).toMatchObject({ status: "failed", signature: "secret:HS256" });
    expect(result.message).toContain("common secret from Sentinel's dictionary");
    expect(result.message).not.toContain("your-256-bit-secret");
    expect((await judge(`Bearer ${await token("changeme", "HS512")}`)).signature).toBe("secret:HS512");
  });
  it("passes on a long random secret and skips requests without an HS* JWT", async () => {
    expect((await judge(`Bearer ${await token("ckbk-7f3e9a1c54d2b8e06a9f1d3c7b5e2a4f8c0d6e9b1a3f5c7e")}`)).status).toBe("passed");
    expect((await judge("Bearer not-a-jwt")).status).toBe("skipped");
    expect((await judge("Basic YWxpY2U6c2VjcmV0")).status).toBe("skipped");
  });
});
