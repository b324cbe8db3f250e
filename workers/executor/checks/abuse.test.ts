import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { answerFingerprint, auth_rate_limit, user_enumeration, weak_jwt_secret } from "./abuse";
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

describe("user_enumeration on a sign-in that refuses with 200", () => {
  const fail200 = (id: string, name: string, message: string, extra: Record<string, unknown> = {}) => wrong(id, name, 200, { status: "fail", message, ...extra });
  const judge = (unknown: ReturnType<typeof record>, others: ReturnType<typeof record>[], tokenPointer: string | null = "/auth_token") =>
    user_enumeration(ctx(unknown, { others, params: { knownStep: "known", repeatStep: "repeat", ...(tokenPointer ? { tokenPointer } : {}) } }));
  const known = fail200("known", "anna_42", "Password is wrong for this user.");
  const repeat = fail200("repeat", "anna_42", "Password is wrong for this user.");
  it("fails when the 200 refusals carry no token and say different things", () => {
    expect(judge(fail200("unknown", "nobody_9", "No such user."), [known, repeat])).toMatchObject({ status: "failed", signature: "body:message" });
  });
  it("passes when they differ only by the echoed name, a time or a request id", () => {
    const echo = (id: string, name: string) => fail200(id, name, `Wrong credentials for ${name} at 2026-12-06T23:0${id.length}:00Z`, { request_id: `r-${id}` });
    expect(judge(echo("unknown", "nobody_9"), [echo("known", "anna_42"), echo("repeat", "anna_42")]).status).toBe("passed");
  });
  it("skips a 200 that signed in (a token, a cookie) or a sign-in with no documented token place", () => {
    expect(judge(fail200("unknown", "nobody_9", "No such user."), [wrong("known", "anna_42", 200, { auth_token: "opaque-session-1234" }), repeat]).status).toBe("skipped");
    expect(judge(fail200("unknown", "nobody_9", "No such user."), [fail200("known", "anna_42", "Password is wrong for this user.", { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl" }), repeat]).status).toBe("skipped");
    expect(judge(fail200("unknown", "nobody_9", "No such user."), [wrong("known", "anna_42", 200, { status: "fail", message: "Password is wrong for this user." }, { headers: { "set-cookie": "sid=1" } }), repeat]).status).toBe("skipped");
    expect(judge(fail200("unknown", "nobody_9", "No such user."), [known, repeat], null).status).toBe("skipped");
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

describe("abuse: details", () => {
  const known = wrong("known", "anna_42", 401, { message: "wrong username or password" });
  it("user_enumeration: without an answered known step nothing is compared; a 2xx is a wrong password accepted", () => {
    expect(user_enumeration(ctx(wrong("unknown", "nobody_9", 401, { message: "x" }), { params: { knownStep: "known" } })).status).toBe("skipped");
    expect(user_enumeration(ctx(wrong("unknown", "nobody_9", 401, { message: "x" }))).status).toBe("skipped");
    const accepted = user_enumeration(ctx(wrong("unknown", "nobody_9", 200, { token: "t" }), { others: [known], params: { knownStep: "known" } }));
    expect(accepted.status).toBe("skipped");
    expect(accepted.message).toContain("a wrong password was accepted");
    expect(user_enumeration(ctx(wrong("unknown", "nobody_9", 401, { message: "wrong username or password" }), { others: [wrong("known", "anna_42", 503, "down")], params: { knownStep: "known" } })).status).toBe("skipped");
    const noisyRepeat = wrong("repeat", "anna_42", 429, { message: "slow" });
    expect(user_enumeration(ctx(wrong("unknown", "nobody_9", 401, { message: "wrong username or password" }), { others: [known, noisyRepeat], params: { knownStep: "known", repeatStep: "repeat" } })).status).toBe("skipped");
  });
  it("user_enumeration masks the caller's input, ids, hex, numbers and times; not other text", () => {
    const judge = (a: unknown, b: unknown, status = 401) => user_enumeration(ctx(wrong("unknown", "nobody_9", status, b), { others: [wrong("known", "anna_42", status, a)], params: { knownStep: "known" } })).status;
    expect(judge({ message: "no login for anna_42" }, { message: "no login for nobody_9" })).toBe("passed");
    expect(judge({ message: "ref 3f2b8a90-1c2d-4e5f-8a9b-0c1d2e3f4a5b" }, { message: "ref 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b" })).toBe("passed");
    expect(judge({ message: "ref 0123456789abcdef01" }, { message: "ref fedcba98765432100f" })).toBe("passed");
    expect(judge({ message: "attempt 3 of 5" }, { message: "attempt 4 of 5" })).toBe("passed");
    expect(judge({ message: "x", timestamp: "2024-01-01" }, { message: "x", timestamp: "2025-02-02" })).toBe("passed");
    expect(judge({ message: "x", trace_id: "a" }, { message: "x", trace_id: "b" })).toBe("passed");
    expect(judge({ message: "x", at: "a" }, { message: "x", at: "b" })).toBe("passed");
    expect(judge({ message: "x", kind: "a" }, { message: "x", kind: "b" })).toBe("failed");
    expect(judge({ message: "x", flag: true }, { message: "x", flag: "true" })).toBe("failed");
    expect(judge({ message: "x", list: [] }, { message: "x" })).toBe("failed");
    expect(judge({ message: "x", v: null }, { message: "x", v: 1 })).toBe("failed");
    expect(judge("Wrong password for anna_42", "Wrong password for nobody_9")).toBe("passed");
    expect(judge("Wrong password", "No such user")).toBe("failed");
    expect(judge({ message: "x" }, "x")).toBe("failed");
    expect(user_enumeration(ctx(wrong("unknown", "nobody_9", 404, { m: 1 }), { others: [wrong("known", "anna_42", 401, { m: 1 })], params: { knownStep: "known" } })).message).toBe(
      "POST /login answered 404 for an account that does not exist and 401 for an existing one with a wrong password: anyone can tell which accounts exist",
    );
  });
  it("auth_rate_limit: the burst's prefix, rate headers by name, a success inside the burst, the duration", () => {
    const burst = (n: number, prefix = "attempt-", at: (i: number) => Partial<StepSpec> = () => ({})) =>
      Array.from({ length: n }, (_, i) => wrong(`${prefix}${i}`, "anna_42", 401, { message: "wrong" }, { durationMs: 100, ...at(i) }));
    const judge = (steps: ReturnType<typeof record>[], params: Record<string, unknown> = {}) => auth_rate_limit(ctx(steps[steps.length - 1], { others: steps.slice(0, -1), params }));
    expect(judge(burst(20)).status).toBe("failed");
    expect(judge(burst(19)).message).toBe("only 19 attempts completed (at least 20 needed)");
    expect(judge(burst(25, "try-"), { attemptPrefix: "try-" }).status).toBe("failed");
    expect(judge(burst(25, "try-")).status).toBe("skipped");
    expect(judge(burst(25)).message).toBe("25 failed sign-ins in 2.5 s on POST /login all answered 401, with no 429, Retry-After, rate-limit header or lockout: passwords can be guessed at full speed");
    for (const name of ["Retry-After", "X-RateLimit-Remaining", "RateLimit-Limit", "x-rate-limit-reset", "ratelimit"]) expect(judge(burst(25, "attempt-", (i) => (i === 7 ? { headers: { [name]: "1" } } : {}))).status, name).toBe("passed");
    expect(judge(burst(25, "attempt-", (i) => (i === 7 ? { headers: { "x-ratelimiter": "1" } } : {}))).status).toBe("failed");
    expect(judge(burst(25, "attempt-", (i) => (i === 7 ? { status: 200, body: { token: "t" } } : {}))).status).toBe("skipped");
    expect(judge(burst(25, "attempt-", (i) => (i === 7 ? { status: 403 } : {}))).message).toContain("answers changed after 8 attempts (401 → 403)");
  });
  it("auth_rate_limit on a token endpoint judges refusals that name the client: 401, invalid_grant, unauthorized_client; a 429 first is throttling", () => {
    const tokenBurst = (status: number, body: unknown) => Array.from({ length: 25 }, (_, i) => record({ id: `attempt-${i}`, method: "POST", path: "/oauth/token", status, body, identity: null }));
    const judge = (steps: ReturnType<typeof record>[]) => auth_rate_limit(ctx(steps[steps.length - 1], { others: steps.slice(0, -1), params: { oauth: true } })).status;
    expect(judge(tokenBurst(400, { error: "invalid_grant" }))).toBe("failed");
    expect(judge(tokenBurst(400, { error: "unauthorized_client" }))).toBe("failed");
    expect(judge(tokenBurst(401, { error: "whatever" }))).toBe("failed");
    expect(judge(tokenBurst(429, { error: "slow_down" }))).toBe("passed");
    expect(judge(tokenBurst(500, "boom"))).toBe("skipped");
    expect(judge(tokenBurst(200, { access_token: "t" }))).toBe("skipped");
  });
  it("weak_jwt_secret: tokens in any header or cookie, at most four, named in the message", async () => {
    const { SignJWT } = await import("jose");
    const sign = (secret: string, alg = "HS256") => new SignJWT({ sub: "anna" }).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
    const judge = (requestHeaders: Record<string, string>, identity: string | null = "alice", status = 200) => weak_jwt_secret(ctx({ method: "GET", path: "/pets", status, requestHeaders, identity }));
    const weak = await sign("secret", "HS384");
    const inCookie = await judge({ Cookie: `session=${weak}` }, null, 401);
    expect(inCookie).toMatchObject({ status: "failed", signature: "secret:HS384" });
    expect(inCookie.message).toBe("the HS384 JWT the request sends in Cookie is signed with a common secret from Sentinel's dictionary: anyone can sign tokens for any user or role");
    expect((await judge({ Authorization: `Bearer ${weak}` })).message).toContain('identity "alice" sends in Authorization');
    expect((await judge({ Authorization: `Bearer ${weak}` })).message).toContain("and GET /pets accepted it (200)");
    const strong = await sign("ckbk-7f3e9a1c54d2b8e06a9f1d3c7b5e2a4f8c0d6e9b1a3f5c7e");
    const two = await judge({ Authorization: `Bearer ${strong}`, "X-Refresh": strong });
    expect(two).toMatchObject({ status: "passed", message: "no common secret signs the HS256, HS256 tokens" });
    const many = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`x-t${i}`, strong]));
    expect((await judge({ ...many, "x-t9": weak })).status).toBe("passed");
    const rs = `${btoa(JSON.stringify({ alg: "RS256" })).replace(/=+$/, "")}.${btoa(JSON.stringify({ sub: "a" })).replace(/=+$/, "")}.${"s".repeat(20)}`;
    expect((await judge({ Authorization: `Bearer ${rs}` })).status).toBe("skipped");
  });
});

describe("abuse: what the mutation run showed unpinned", () => {
  const answer = (status: number, body: unknown) => record({ status, body }).exchange.response!;
  const judge = (known: ReturnType<typeof record>, unknown: ReturnType<typeof record>, others: ReturnType<typeof record>[] = [], params: Record<string, unknown> = {}) =>
    user_enumeration(ctx(unknown, { others: [known, ...others], params: { knownStep: "known", ...(others.length ? { repeatStep: "repeat" } : {}), ...params } }));
  const named = (id: string, requestBody: unknown, body: unknown, status = 401) => record({ id, ...login, status, body, requestBody, identity: null });

  it("answerFingerprint: status, sorted key paths with value types, texts with input, ids, hex and numbers masked", () => {
    const body = { z: "no login for anna_42 (attempt 12, ref 3f2b8a90-1c2d-4e5f-8a9b-0c1d2e3f4a5b, 0123456789abcdef01)", a: [{ v: null }, 1], requestId: "r-1" };
    expect(answerFingerprint(answer(401, body), ["anna_42"])).toEqual({ status: 401, shape: "/a[],/a[]/v:null,/a[]:number,/requestId:string,/z:string", text: "/z=no login for <input> (attempt #, ref <id>, <hex>)" });
    expect(answerFingerprint(answer(401, "  Wrong password 42 \n"), [])).toEqual({ status: 401, shape: "text", text: "Wrong password #" });
    expect(answerFingerprint(answer(401, { b: "y", a: "x" }), []).text).toBe("/a=x\n/b=y");
  });
  it("answerFingerprint: 20 items of a list, 500 key paths and 8 levels are compared; what lies beyond is not", () => {
    const list = (last: string) => answer(401, { items: [...Array.from({ length: 20 }, () => "same"), last] });
    expect(answerFingerprint(list("a"), []).text).toBe(answerFingerprint(list("b"), []).text);
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { x: nest(depth - 1, leaf) });
    expect(answerFingerprint(answer(401, nest(8, "a")), []).text).not.toBe(answerFingerprint(answer(401, nest(8, "b")), []).text);
    expect(answerFingerprint(answer(401, nest(9, "a")), []).text).toBe(answerFingerprint(answer(401, nest(9, "b")), []).text);
    const wide = (at: number, value: string) => answer(401, Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${String(i).padStart(3, "0")}`, i === at ? value : "v"])));
    expect(answerFingerprint(wide(500, "a"), []).text).not.toBe(answerFingerprint(wide(500, "b"), []).text);
    expect(answerFingerprint(wide(501, "a"), []).text).toBe(answerFingerprint(wide(501, "b"), []).text);
  });
  it("answerFingerprint: only a key named at or ts (or a time, date or request id) is volatile, not one ending or starting with those letters", () => {
    expect(answerFingerprint(answer(401, { format: "a" }), []).text).toBe("/format=a");
    expect(answerFingerprint(answer(401, { atlas: "a" }), []).text).toBe("/atlas=a");
    expect(answerFingerprint(answer(401, { ts: "a", at: "b", span_id: "c", expiry_date: "d" }), []).text).toBe("");
  });
  it("user_enumeration masks what the requests sent: at least 3 characters, in lists, up to 6 levels deep, the longest first", () => {
    const echo = (id: string, sent: unknown, name: string) => named(id, sent, { message: `no login for ${name}` });
    expect(judge(echo("known", { username: "ab" }, "ab"), echo("unknown", { username: "cd" }, "cd")).status).toBe("failed");
    expect(judge(echo("known", { username: "abc" }, "abc"), echo("unknown", { username: "cde" }, "cde")).status).toBe("passed");
    expect(judge(echo("known", { usernames: ["anna_42"] }, "anna_42"), echo("unknown", { usernames: ["nobody_9"] }, "nobody_9")).status).toBe("passed");
    const deep = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { x: deep(depth - 1, leaf) });
    expect(judge(echo("known", deep(6, "anna_42"), "anna_42"), echo("unknown", deep(6, "nobody_9"), "nobody_9")).status).toBe("passed");
    expect(judge(echo("known", deep(7, "anna_42"), "anna_42"), echo("unknown", deep(7, "nobody_9"), "nobody_9")).status).toBe("failed");
    expect(judge(echo("known", { username: "anna_42" }, "anna_42"), echo("unknown", { username: "anna_42x" }, "anna_42x")).status).toBe("passed");
    const inQuery = (r: ReturnType<typeof record>, name: string) => ((r.request.resolved.query = { user: name }), r);
    expect(judge(inQuery(echo("known", undefined, "anna_42"), "anna_42"), inQuery(echo("unknown", undefined, "nobody_9"), "nobody_9")).status).toBe("passed");
  });
  it("user_enumeration: each skip and verdict says which answer and why", () => {
    const refusal = (id: string, status = 401, body: unknown = { errors: [{ message: "wrong username or password" }] }) => wrong(id, id === "unknown" ? "nobody_9" : "anna_42", status, body);
    expect(judge(refusal("known"), refusal("unknown", 429)).message).toBe("the unknown account's attempt was throttled (429): no comparison");
    expect(judge(refusal("known", 503), refusal("unknown")).message).toBe("the known account's attempt answered 503: judged by not_a_server_error");
    expect(judge(refusal("known"), refusal("unknown"), [refusal("repeat", 429)]).message).toBe("the repeated attempt was throttled (429): no comparison");
    expect(user_enumeration(ctx(refusal("unknown"), { params: { knownStep: "known" } })).message).toBe("params.knownStep names no answered step");
    expect(judge(refusal("known"), refusal("unknown", 401, { errors: [{ message: "unknown user" }] }), [refusal("repeat", 403)]).message).toBe("two identical attempts for the known account answered differently: differences are noise");
    expect(judge(refusal("known"), refusal("unknown"), [refusal("repeat", 401, { errors: [{ message: "wrong username or password", code: "E1" }] })]).status).toBe("skipped");
    expect(judge(refusal("known"), refusal("unknown", 401, { errors: [{ field: "username", message: "wrong username or password" }] })).message).toBe("POST /login answered 401 in both cases, but with a differently shaped body for an account that does not exist: anyone can tell which accounts exist");
    expect(judge(refusal("known"), refusal("unknown", 401, { errors: [{ message: "unknown user" }] })).message).toBe("POST /login answered 401 in both cases, but with another message for an account that does not exist: anyone can tell which accounts exist");
    expect(judge(refusal("known"), refusal("unknown")).message).toBe("the same 401 answer for an unknown account and for a wrong password");
  });
  it("user_enumeration on a 200 sign-in: a null or empty token is a refusal; a token, a JWT anywhere or a non-object body is a session", () => {
    const at = { tokenPointer: "/auth_token" };
    const said = (id: string, extra: Record<string, unknown>, message = "Password is wrong for this user.") => wrong(id, id === "unknown" ? "nobody_9" : "anna_42", 200, { status: "fail", message, ...extra });
    const both = (extra: Record<string, unknown>) => judge(said("known", extra), said("unknown", {}, "No such user."), [said("repeat", extra)], at).status;
    expect(both({ auth_token: null })).toBe("failed");
    expect(both({ auth_token: "" })).toBe("failed");
    expect(both({ auth_token: "opaque-session-1234" })).toBe("skipped");
    expect(both({ token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl" })).toBe("skipped");
    const text = (id: string, body: string) => wrong(id, id === "unknown" ? "nobody_9" : "anna_42", 200, body);
    expect(judge(text("known", "Welcome back"), text("unknown", "No such user"), [text("repeat", "Welcome back")], at).status).toBe("skipped");
  });
  it("auth_rate_limit: only answered attempts count; the OAuth exception is for token endpoints; each verdict counts attempts from 1", () => {
    const burst = (n: number, at: (i: number) => Partial<StepSpec> = () => ({})) => Array.from({ length: n }, (_, i) => wrong(`attempt-${i}`, "anna_42", 401, { message: "wrong" }, at(i)));
    const rate = (steps: ReturnType<typeof record>[], params: Record<string, unknown> = {}) => auth_rate_limit(ctx(steps[steps.length - 1], { others: steps.slice(0, -1), params }));
    const unanswered = burst(25).map((r, i) => (i < 10 ? { ...r, exchange: { ...r.exchange, response: undefined } } : r));
    expect(rate(unanswered).message).toBe("only 15 attempts completed (at least 20 needed)");
    const c = ctx(burst(25)[24], { others: burst(25).slice(0, 24) });
    c.order.push("attempt-99");
    expect(auth_rate_limit(c).status).toBe("failed");
    expect(rate(burst(25, () => ({ status: 400 }))).status).toBe("failed");
    expect(rate(burst(25, () => ({ status: 400 })), { oauth: true }).message).toBe("the first attempt answered 400 without invalid_client: the request was refused, not the client's secret");
    expect(rate(burst(25, (i) => (i >= 10 ? { status: 429 } : {}))).message).toBe("throttled after 11 attempts (429)");
    expect(rate(burst(25, (i) => (i === 0 ? { headers: { "Retry-After": "9" } } : {}))).message).toBe("attempt 1 carries Retry-After: a rate limit is in place");
    expect(rate(burst(25, (i) => (i === 3 ? { status: 503 } : {}))).message).toBe("attempt 4 answered 503: judged by not_a_server_error");
    expect(rate(burst(25, (i) => (i === 7 ? { status: 200 } : {}))).message).toBe("attempt 8 answered 200: a wrong password was accepted");
  });
  it("weak_jwt_secret: a base64url header with - and _ and no padding is read; one token is named in the singular", async () => {
    const sign = (secret: string, header: Record<string, string>) => new SignJWT({ sub: "anna" }).setProtectedHeader({ alg: "HS256", ...header }).sign(new TextEncoder().encode(secret));
    const judge = async (token: string) => weak_jwt_secret(ctx({ method: "GET", path: "/pets", status: 200, requestHeaders: { Authorization: `Bearer ${token}` } }));
    const urlSafe = await sign("secret", { kid: "?>???" });
    expect(urlSafe.split(".")[0]).toMatch(/^[^.=]*-[^.=]*_[^.=]*$/);
    expect(urlSafe.split(".")[0].length % 4).toBe(3);
    expect((await judge(urlSafe)).status).toBe("failed");
    expect((await judge(await sign("ckbk-7f3e9a1c54d2b8e06a9f1d3c7b5e2a4f8c0d6e9b1a3f5c7e", {}))).message).toBe("no common secret signs the HS256 token");
    expect((await judge("not-a-jwt")).message).toBe("the request carries no HMAC-signed (HS*) JWT");
  });
});
