import { describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../../model";
import { parseSpec } from "../spec";
import { BURST_SIZE, RUN_LAST_TAG } from "./auth-abuse";
import { dataExposure } from "./data-exposure";
import { securityAuth } from "./security-auth";

/** An API with a wrapped sign-up, a sign-in that issues a token and one secured read. */
function accountsApi(extra: Record<string, unknown> = {}, throttled: Record<string, unknown> = { "429": { description: "too many failed sign-ins" } }): ApiModel {
  const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
  const doc = {
    openapi: "3.1.0",
    info: { title: "Accounts", version: "1" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {
      "/accounts/register": {
        post: {
          operationId: "register",
          security: [],
          requestBody: { required: true, ...json({ type: "object", required: ["account"], properties: { account: { type: "object", additionalProperties: false, required: ["handle", "password"], properties: { handle: { type: "string", pattern: "^[a-z0-9_]{3,20}$" }, password: { type: "string", minLength: 8 } } } } }) },
          responses: { "201": { description: "made", ...json({ type: "object", properties: { handle: { type: "string" }, role: { type: "string", enum: ["member", "admin"], readOnly: true } } }) } },
        },
      },
      "/session": {
        post: {
          operationId: "openSession",
          security: [],
          requestBody: { required: true, ...json({ type: "object", required: ["handle", "password"], properties: { handle: { type: "string", maxLength: 20 }, password: { type: "string" } } }) },
          responses: { "200": { description: "ok", ...json({ type: "object", properties: { token: { type: "string" } } }) }, "401": { description: "no" }, ...throttled },
        },
      },
      "/me": { get: { operationId: "me", security: [{ bearer: [] }], responses: { "200": { description: "ok", ...json({ type: "object", properties: { handle: { type: "string" }, role: { type: "string", enum: ["member", "admin"], readOnly: true } } }) } } } },
      "/notes": { get: { operationId: "listNotes", security: [{ bearer: [] }], responses: { "200": { description: "ok", ...json({ type: "array" }) } } } },
      ...extra,
    },
  };
  const { model } = parseSpec(JSON.stringify(doc));
  return model!;
}

const plan = async (model: ApiModel, config: Partial<Parameters<typeof securityAuth.generate>[0]["config"]> = {}): Promise<TestCase[]> =>
  securityAuth.generate({ model, seed: 7, config: { identities: ["alice", "bob"], maxCasesPerOperation: 50, ...config } });

describe("auth abuse cases", () => {
  it("compares an unknown account with a wrong password for an account the case registers itself", async () => {
    const cases = await plan(accountsApi());
    const enumeration = cases.find((c) => c.tags?.includes("user-enumeration"))!;
    expect(enumeration.steps.map((s) => s.id)).toEqual(["setup-account", "known", "unknown", "known-again"]);
    const body = (id: string) => enumeration.steps.find((s) => s.id === id)!.request.body!.value as Record<string, string>;
    const registered = (body("setup-account").account as unknown as Record<string, string>).handle;
    expect(registered).toMatch(/^[a-z0-9_]{3,20}$/);
    expect(body("known").handle).toBe(registered);
    expect(body("known-again").handle).toBe(registered);
    expect(body("unknown").handle).not.toBe(registered);
    expect(body("known").password).not.toBe((body("setup-account").account as unknown as Record<string, string>).password);
    expect(enumeration.steps.find((s) => s.id === "unknown")!.checks.map((c) => c.name)).toContain("user_enumeration");
  });

  it("finds the credentials of a JSON:API document two wrappers down (data/attributes), beside a relationships object", async () => {
    const media = "application/vnd.api+json";
    const doc = (type: string, attributes: Record<string, unknown>) => ({
      content: { [media]: { schema: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", const: type }, attributes: { type: "object", additionalProperties: false, required: Object.keys(attributes), properties: attributes }, relationships: { type: "object", properties: { team: { type: "object", properties: { id: { type: "string" } } } } } } } } } } },
    });
    const spec = {
      openapi: "3.1.0",
      info: { title: "JSON:API accounts", version: "1" },
      components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "sid" } } },
      security: [{ session: [] }],
      paths: {
        "/auth/signup": { post: { operationId: "signUp", security: [], requestBody: { required: true, ...doc("users", { username: { type: "string", maxLength: 30 }, password: { type: "string", minLength: 10 } }) }, responses: { "201": { description: "made" }, "409": { description: "taken" } } } },
        "/auth/session": { post: { operationId: "signIn", security: [], requestBody: { required: true, ...doc("sessions", { username: { type: "string", maxLength: 30 }, password: { type: "string" } }) }, responses: { "201": { description: "signed in" }, "401": { description: "wrong" }, "429": { description: "throttled" } } } },
      },
    };
    const cases = await plan(parseSpec(JSON.stringify(spec)).model!);
    const enumeration = cases.find((c) => c.tags?.includes("user-enumeration"))!;
    expect(enumeration, JSON.stringify(cases.map((c) => c.title))).toBeDefined();
    const attributes = (id: string) => ((enumeration.steps.find((s) => s.id === id)!.request.body!.value as { data: { type: string; attributes: Record<string, string> } }).data);
    expect(attributes("setup-account").type).toBe("users");
    expect(attributes("known").type).toBe("sessions");
    expect(attributes("known").attributes.username).toBe(attributes("setup-account").attributes.username);
    expect(attributes("unknown").attributes.username).not.toBe(attributes("known").attributes.username);
    expect(enumeration.steps.find((s) => s.id === "setup-account")!.request.secrets).toEqual(["/data/attributes/password"]);
    expect(cases.some((c) => c.tags?.includes("rate-limit"))).toBe(true);
  });

  it("plans a bounded burst of failed sign-ins, to run last, unless opted out", async () => {
    const burst = (await plan(accountsApi())).find((c) => c.tags?.includes("rate-limit"))!;
    expect(burst.tags).toContain(RUN_LAST_TAG);
    const attempts = burst.steps.filter((s) => s.id.startsWith("attempt-"));
    expect(attempts.length).toBe(BURST_SIZE);
    expect(BURST_SIZE).toBeLessThanOrEqual(50);
    expect(attempts.every((s) => s.request.path === "/session" && s.request.identity === null)).toBe(true);
    expect(attempts[attempts.length - 1].checks.map((c) => c.name)).toContain("auth_rate_limit");
    expect((await plan(accountsApi(), { authBurst: false })).some((c) => c.tags?.includes("rate-limit"))).toBe(false);
  });

  it("judges a burst of sign-ins through an OAuth 2.0 password grant as token requests (a refusal of the client is no refusal of the password)", async () => {
    const grant = { type: "object", required: ["grant_type", "client_id", "username", "password"], properties: { grant_type: { type: "string", enum: ["password"] }, client_id: { type: "string" }, username: { type: "string", maxLength: 20 }, password: { type: "string" } } };
    const refresh = { type: "object", required: ["grant_type", "refresh_token"], properties: { grant_type: { type: "string", enum: ["refresh_token"] }, refresh_token: { type: "string" } } };
    const model = accountsApi({
      "/users/token": { post: { operationId: "issueToken", security: [], requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { oneOf: [grant, refresh] } } } }, responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { access_token: { type: "string" } } } } } }, "400": { description: "invalid_client or invalid_grant" }, "429": { description: "slow down" } } } },
    });
    const only = { ...model, operations: model.operations.filter((op) => op.operationId !== "openSession") };
    const burst = (await plan(only)).find((c) => c.tags?.includes("rate-limit"))!;
    const attempts = burst.steps.filter((s) => s.id.startsWith("attempt-"));
    expect(attempts.every((s) => s.request.path === "/users/token" && (s.request.body?.value as Record<string, unknown>).grant_type === "password")).toBe(true);
    expect(attempts[attempts.length - 1].checks.find((c) => c.name === "auth_rate_limit")?.params).toEqual({ oauth: true });
    // a plain sign-in keeps the plain verdict
    const plainBurst = (await plan(accountsApi())).find((c) => c.tags?.includes("rate-limit"))!;
    expect(plainBurst.steps[plainBurst.steps.length - 1].checks.find((c) => c.name === "auth_rate_limit")?.params ?? {}).toEqual({});
  });

  it("reads a sign-up that takes an HTML form (x-www-form-urlencoded) like a JSON one: the burst signs its account up first", async () => {
    const form = (schema: unknown) => ({ content: { "application/x-www-form-urlencoded": { schema } } });
    const model = accountsApi({
      "/signup": { post: { operationId: "signUp", security: [], requestBody: { required: true, ...form({ type: "object", required: ["email", "password"], properties: { email: { type: "string", format: "email" }, password: { type: "string", minLength: 10 } } }) }, responses: { "201": { description: "made" } } } },
      "/login": { post: { operationId: "logIn", security: [], requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["email", "password"], properties: { email: { type: "string", format: "email" }, password: { type: "string" } } } } } }, responses: { "204": { description: "signed in", headers: { "Set-Cookie": { schema: { type: "string" } } } }, "401": { description: "no" }, "429": { description: "too many" } } } },
    });
    // the JSON sign-up and sign-in of accountsApi are left out: only the form sign-up can register the account
    const only = { ...model, operations: model.operations.filter((op) => !["register", "openSession"].includes(op.operationId)) };
    const burst = (await plan(only)).find((c) => c.tags?.includes("rate-limit"));
    expect(burst?.steps[0]).toMatchObject({ id: "setup-account", request: { path: "/signup", body: { contentType: "application/x-www-form-urlencoded" } } });
    expect(burst?.steps.filter((s) => s.id.startsWith("attempt-")).every((s) => s.request.path === "/login")).toBe(true);
  });

  it("treats the OAuth 2.0 token endpoint of a client-credentials flow as a sign-in: a burst of wrong client secrets", async () => {
    const clientApi = (tokenUrl: string, extra: Record<string, unknown> = {}) => {
      const form = { "application/x-www-form-urlencoded": { schema: { type: "object", required: ["grant_type", "client_id", "client_secret"], properties: { grant_type: { type: "string", enum: ["client_credentials"] }, client_id: { type: "string" }, client_secret: { type: "string", format: "password" } } }, example: { grant_type: "client_credentials", client_id: "desk-1", client_secret: "documented-secret" } } };
      const doc = {
        openapi: "3.1.0",
        info: { title: "Clients", version: "1" },
        servers: [{ url: "/api" }],
        security: [{ oauth: [] }],
        components: { securitySchemes: { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl, scopes: {} } } } } },
        paths: {
          "/oauth/token": { post: { operationId: "issueToken", security: [], requestBody: { required: true, content: form }, responses: { "200": { description: "ok" }, "401": { description: "no" }, "429": { description: "slow down" } } } },
          "/items": { get: { operationId: "listItems", responses: { "200": { description: "ok" } } } },
          ...extra,
        },
      };
      return parseSpec(JSON.stringify(doc)).model!;
    };
    for (const tokenUrl of ["/oauth/token", "https://api.example.com/api/oauth/token"]) {
      const burst = (await plan(clientApi(tokenUrl), { identities: [] })).find((c) => c.tags?.includes("rate-limit"));
      expect(burst, tokenUrl).toBeDefined();
      expect(burst!.tags).toContain(RUN_LAST_TAG);
      const attempts = burst!.steps.filter((s) => s.id.startsWith("attempt-"));
      expect(attempts.length).toBe(BURST_SIZE);
      const bodies = attempts.map((s) => s.request.body!.value as Record<string, string>);
      expect(bodies.every((b) => b.client_id === "desk-1" && b.grant_type === "client_credentials" && b.client_secret !== "documented-secret")).toBe(true);
      expect(new Set(bodies.map((b) => b.client_secret)).size).toBe(BURST_SIZE);
      expect(attempts[attempts.length - 1].checks.find((c) => c.name === "auth_rate_limit")?.params).toEqual({ oauth: true });
    }
    // no token URL in the spec, or one that names no operation of it: no burst
    expect((await plan(clientApi("/elsewhere/token"), { identities: [] })).some((c) => c.tags?.includes("rate-limit"))).toBe(false);
    expect((await plan(clientApi("/oauth/token"), { identities: [], authBurst: false })).some((c) => c.tags?.includes("rate-limit"))).toBe(false);
  });

  it("bursts only where the spec promises throttling: a 429, a rate-limit header or prose saying so", async () => {
    const bursts = async (model: ApiModel) => (await plan(model)).some((c) => c.tags?.includes("rate-limit"));
    expect(await bursts(accountsApi({}, {}))).toBe(false);
    // a 429 on any operation: the API throttles
    expect(await bursts(accountsApi({ "/export": { get: { operationId: "exportAll", responses: { "200": { description: "ok" }, "429": { description: "slow down" } } } } }, {}))).toBe(true);
    // a rate-limit header on any answer
    expect(await bursts(accountsApi({ "/export": { get: { operationId: "exportAll", responses: { "200": { description: "ok", headers: { "X-RateLimit-Remaining": { schema: { type: "integer" } } } } } } } }, {}))).toBe(true);
    // a Retry-After on a 202 is about a job, not throttling
    expect(await bursts(accountsApi({ "/export": { post: { operationId: "exportAll", responses: { "202": { description: "accepted", headers: { "Retry-After": { schema: { type: "integer" } } } } } } } }, {}))).toBe(false);
    // prose, of the API or of the sign-in
    const prose = accountsApi({}, {});
    expect(await bursts({ ...prose, description: "Sign-ins are rate limited per account." })).toBe(true);
    expect(await bursts({ ...prose, operations: prose.operations.map((op) => (op.operationId === "openSession" ? { ...op, description: "Ten wrong passwords lock the account out for a minute." } : op)) })).toBe(true);
  });

  it("never bursts or compares on operations that are no sign-in", async () => {
    const cases = await plan(accountsApi());
    for (const c of cases.filter((c) => c.tags?.includes("rate-limit") || c.tags?.includes("user-enumeration"))) {
      expect(c.steps.filter((s) => s.id !== "setup-account").every((s) => s.request.method === "post" && s.request.path === "/session")).toBe(true);
    }
    const noSignIn = accountsApi();
    noSignIn.operations = noSignIn.operations.filter((op) => op.operationId !== "openSession");
    expect((await plan(noSignIn)).some((c) => c.tags?.includes("rate-limit") || c.tags?.includes("user-enumeration"))).toBe(false);
  });

  it("checks each identity's token for a common secret on a secured read, skipping credentials that are no HS* JWT", async () => {
    const weak = (cases: TestCase[]) => cases.filter((c) => c.tags?.includes("weak-secret"));
    expect(weak(await plan(accountsApi())).map((c) => c.steps[c.steps.length - 1].request.identity)).toEqual(["alice", "bob"]);
    const tokens = { alice: "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", bob: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.c2ln" };
    const planned = weak(await plan(accountsApi(), { identityTokens: tokens }));
    expect(planned.map((c) => c.steps[c.steps.length - 1].request.identity)).toEqual(["bob"]);
    expect(JSON.stringify(planned)).not.toContain("eyJ");
  });
});

describe("mass assignment on sign-up", () => {
  it("injects one privileged property per probe inside the wrapper and proves it by the new account's own read, against a plain account's", async () => {
    const cases = await dataExposure.generate({ model: accountsApi(), seed: 3, config: { identities: [], maxCasesPerOperation: 50 } });
    const probes = cases.filter((c) => c.tags?.includes("sign-up"));
    // role (the profile shows it, readOnly) first, then the usual names, each alone
    const injected = probes.map((p) => Object.keys((p.steps[3].request.body!.value as { account: Record<string, unknown> }).account).filter((k) => !["handle", "password"].includes(k)));
    expect(injected).toEqual([["role"], ["isAdmin"], ["is_admin"], ["admin"], ["roles"], ["permissions"]]);
    const probe = probes[0];
    expect(probe.steps.map((s) => s.id)).toEqual(["baseline-signup", "baseline-signin", "baseline-read", "signup", "signin", "read-back"]);
    const write = probe.steps[3];
    const record = (write.request.body!.value as { account: Record<string, unknown> }).account;
    expect(record.role).toBe("admin");
    const checks = write.checks.filter((c) => c.name === "mass_assignment");
    expect(checks.map((c) => c.params)).toEqual([expect.objectContaining({ property: "/account/role", responsePointer: "/role", readStep: "read-back", readPointer: "/role", baselineStep: "baseline-signup", baselineReadStep: "baseline-read", requireRead: true })]);
    const signin = probe.steps[4];
    expect(signin.request.path).toBe("/session");
    expect((signin.request.body!.value as Record<string, unknown>).handle).toBe(record.handle);
    expect((signin.request.body!.value as Record<string, unknown>).password).toBe(record.password);
    expect(signin.extract).toEqual({ accountToken: { from: "body", pointer: "/token" } });
    expect(write.request.secrets).toEqual(["/account/password"]);
    expect(signin.request.secrets).toEqual(["/password"]);
    expect(probe.steps[1].request.secrets).toEqual(["/password"]);
    expect(probe.steps[5].request).toMatchObject({ path: "/me", identity: null, headers: { Authorization: "Bearer {{accountToken}}" } });
    expect(probe.steps[2].request).toMatchObject({ path: "/me", identity: null, headers: { Authorization: "Bearer {{baselineToken}}" } });
  });

  it("finds where the profile shows the property, inside its wrapper", async () => {
    const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
    const model = accountsApi({ "/me": { get: { operationId: "me", security: [{ bearer: [] }], responses: { "200": { description: "ok", ...json({ type: "object", properties: { data: { type: "object", properties: { handle: { type: "string" }, admin: { type: "boolean" } } } } }) } } } } });
    const cases = await dataExposure.generate({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 50 } });
    const admin = cases.find((c) => c.tags?.includes("sign-up") && c.title.includes("property admin"))!;
    expect(admin.steps[3].checks.find((c) => c.name === "mass_assignment")!.params).toMatchObject({ property: "/account/admin", injected: true, readPointer: "/data/admin" });
  });
});
