import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { inferAuthFlow } from "./infer";
import { IdentityKeeper, keeperState } from "./keeper";
import { provisionIdentities, verifyIdentity, type Fetch } from "./provision";

const json = "application/json";
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: "object", required, properties });
const model: ApiModel = {
  sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {},
  securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
  operations: [
    op({ operationId: "register", method: "post", path: "/users", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ username: { type: "string", pattern: "^[a-z0-9_]{3,20}$", example: "ada_l" }, password: { type: "string", minLength: 12 } }) }] }, responses: [{ status: "201", content: [{ contentType: json, schema: obj({ username: { type: "string" } }) }], headers: [], links: [] }] }),
    op({ operationId: "login", method: "post", path: "/login", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ username: { type: "string" }, password: { type: "string" } }) }] }, responses: [{ status: "200", content: [{ contentType: json, schema: obj({ token: { type: "string" } }) }], headers: [], links: [] }] }),
    op({ operationId: "me", method: "get", path: "/me", responses: [{ status: "200", content: [{ contentType: json, schema: obj({ username: { type: "string" } }) }], headers: [], links: [] }] }),
  ],
} as ApiModel;

/** A small target behind the injected fetch: users, one taken name, tokens, /me. */
function target(opts: { takenFirst?: boolean; loginStatus?: number } = {}): { fetch: Fetch; users: Map<string, string>; calls: string[] } {
  const users = new Map<string, string>();
  const tokens = new Map<string, string>();
  const calls: string[] = [];
  let refusedOnce = false;
  const fetch: Fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push(`${init.method} ${path}`);
    const body = init.body ? JSON.parse(String(init.body)) : {};
    const reply = (status: number, value?: unknown) => new Response(value === undefined ? null : JSON.stringify(value), { status, headers: { "content-type": json } });
    if (path === "/users") {
      if (opts.takenFirst && !refusedOnce) return (refusedOnce = true), reply(409, { error: "username already taken" });
      if (body.password.length < 12) return reply(400, { error: "weak password" });
      users.set(body.username, body.password);
      return reply(201, { username: body.username });
    }
    if (path === "/login") {
      if (opts.loginStatus) return reply(opts.loginStatus, { error: `no luck for ${body.username} with ${body.password}` });
      if (users.get(body.username) !== body.password) return reply(401, { error: "wrong" });
      const token = `tok-${body.username}-${Math.random().toString(36).slice(2)}`;
      tokens.set(token, body.username);
      return reply(200, { token });
    }
    if (path === "/me") {
      const who = tokens.get(String((init.headers as Record<string, string>).Authorization ?? "").replace("Bearer ", ""));
      return who ? reply(200, { username: who }) : reply(401, {});
    }
    return reply(404);
  };
  return { fetch, users, calls };
}

describe("provisionIdentities", () => {
  const flow = inferAuthFlow(model).flow!;

  it("signs up and logs in two distinct users, proves them with /me, and returns every password and token as a secret", async () => {
    const t = target({ takenFirst: true });
    const result = await provisionIdentities({ model, flow, baseUrl: "http://target.test", fetch: t.fetch, seed: 7 });
    expect(result.statuses.map((s) => [s.name, s.ok, s.detail])).toEqual([["user1", true, "GET /me → 200"], ["user2", true, "GET /me → 200"]]);
    expect(t.users.size).toBe(2);
    // the taken name was re-rolled and sent again
    expect(t.calls.filter((c) => c === "POST /users")).toHaveLength(3);
    const [a, b] = [result.statuses[0].account!.username, result.statuses[1].account!.username];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9_]{3,20}$/);
    for (const [name, headers] of Object.entries(result.identities)) {
      expect(headers.Authorization).toMatch(/^Bearer tok-/);
      expect(result.secrets).toContain(headers.Authorization.slice("Bearer ".length));
      expect(result.secrets).toContain(t.users.get(result.statuses.find((s) => s.name === name)!.account!.username));
    }
    for (const password of t.users.values()) expect(password.length).toBeGreaterThanOrEqual(12);
  });

  it("says which step failed, with the target's answer, never the password it chose", async () => {
    const t = target({ loginStatus: 403 });
    const result = await provisionIdentities({ model, flow, baseUrl: "http://target.test", fetch: t.fetch, names: ["solo"], seed: 3 });
    expect(result.identities).toEqual({});
    expect(result.statuses[0]).toMatchObject({ name: "solo", ok: false, how: "signed up with POST /users, logged in with POST /login" });
    expect(result.statuses[0].detail).toMatch(/^login POST \/login answered 403: /);
    const password = [...t.users.values()][0];
    expect(result.statuses[0].detail).not.toContain(password);
    expect(result.statuses[0].detail).toContain("[redacted]");
  });

  it("a declared flow: ${random} is one value per user, the login names the signup's values", async () => {
    const t = target();
    const declared = { ...flow, source: "config" as const, signup: { op: flow.signup!.op, body: { username: "qa_${random}", password: "Declared-${random}-pw" } }, login: { op: flow.login!.op, body: { username: "${username}", password: "${password}" } } };
    const result = await provisionIdentities({ model, flow: declared, baseUrl: "http://target.test", fetch: t.fetch, seed: 5 });
    expect(result.statuses.every((s) => s.ok)).toBe(true);
    const names = [...t.users.keys()];
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
    for (const [name, password] of t.users) expect(password).toBe(`Declared-${name.slice(3)}-pw`);
  });

  it("sends every account field of a sign-up whose schema marks none required (the server needs them all)", async () => {
    const loose = { type: "object", properties: { username: { type: "string", example: "name1" }, password: { type: "string" }, email: { type: "string", example: "user@tempmail.com" } } };
    const looseModel = { ...model, operations: model.operations.map((o) => (o.operationId === "register" ? { ...o, requestBody: { required: true, content: [{ contentType: json, schema: loose }] } } : o)) } as ApiModel;
    const t = target();
    const strict: Fetch = async (url, init) => {
      const body = init.body ? JSON.parse(String(init.body)) : {};
      if (new URL(url).pathname === "/users" && (typeof body.username !== "string" || typeof body.email !== "string" || typeof body.password !== "string")) {
        return new Response(JSON.stringify({ message: "username, email and password are required" }), { status: 400, headers: { "content-type": json } });
      }
      return t.fetch(url, init);
    };
    const result = await provisionIdentities({ model: looseModel, flow: inferAuthFlow(looseModel).flow!, baseUrl: "http://target.test", fetch: strict, seed: 11 });
    expect(result.statuses.map((s) => [s.name, s.ok])).toEqual([["user1", true], ["user2", true]]);
    const emails = result.statuses.map((s) => s.account!.email);
    expect(emails[0]).toMatch(/@/);
    expect(emails[0]).not.toBe(emails[1]); // run-unique, like the usernames
  });
});

describe("verifyIdentity", () => {
  // a target whose session is an apiKey taken in a cookie, and whose partner key goes in the query
  const cookieModel: ApiModel = {
    ...model,
    securitySchemes: { session: { name: "session", type: "apiKey", in: "cookie", paramName: "app_session" }, key: { name: "key", type: "apiKey", in: "query", paramName: "api_key" } },
    operations: [op({ operationId: "me", method: "get", path: "/me", security: [{ session: [] }, { key: [] }], responses: [{ status: "200", content: [{ contentType: json, schema: obj({ username: { type: "string" } }) }], headers: [], links: [] }] })],
  } as ApiModel;
  const me = { operationId: "me", method: "get", path: "/me" };
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const fetch: Fetch = async (url, init) => {
    const headers = init.headers as Record<string, string>;
    seen.push({ url, headers });
    const cookie = Object.entries(headers).find(([h]) => h.toLowerCase() === "cookie")?.[1] ?? "";
    const ok = /(^|;\s*)app_session=s3ss(;|$)/.test(cookie) || new URL(url).searchParams.get("api_key") === "k3y";
    return new Response(JSON.stringify(ok ? { username: "ada" } : {}), { status: ok ? 200 : 401, headers: { "content-type": json } });
  };
  const target = { model: cookieModel, baseUrl: "http://target.test", fetch };

  it("sends an identity entry named like a cookie apiKey as that cookie, exactly as case requests do", async () => {
    seen.length = 0;
    expect(await verifyIdentity(target, me, { app_session: "s3ss" })).toMatchObject({ ok: true, detail: "GET /me → 200", account: { username: "ada" } });
    expect(seen[0].headers).not.toHaveProperty("app_session");
    expect(await verifyIdentity(target, me, { Cookie: "other=1", app_session: "s3ss" })).toMatchObject({ ok: true });
    expect(seen[1].headers.Cookie).toBe("other=1; app_session=s3ss");
  });

  it("sends an identity entry named like a query apiKey in the query, and a wrong one is refused", async () => {
    expect(await verifyIdentity(target, me, { api_key: "k3y" })).toMatchObject({ ok: true });
    expect(await verifyIdentity(target, me, { app_session: "wrong" })).toEqual({ ok: false, detail: "401 on GET /me" });
  });
});

describe("requests outside the cases send the operation's required parameters", () => {
  // every path requires a version header (enum), a tenant header (generated: no example) and a
  // region cookie; the key goes in the query. A request missing any of them is answered 400.
  const version = { name: "Accept-Version", in: "header", required: true, schema: { type: "string", enum: ["2"] } };
  const tenant = { name: "X-Tenant", in: "header", required: true, schema: { type: "string", format: "uuid" } };
  const region = { name: "region", in: "cookie", required: true, schema: { type: "string", const: "eu" } };
  const optional = { name: "X-Debug", in: "header", required: false, schema: { type: "string", example: "1" } };
  const keyParam = { name: "api_key", in: "query", required: true, schema: { type: "string" } };
  const parameters = [version, tenant, region, optional, keyParam] as Operation["parameters"];
  const account = obj({ email: { type: "string", format: "email" } });
  const headerModel = {
    ...model,
    securitySchemes: { key: { name: "key", type: "apiKey", in: "query", paramName: "api_key" } },
    operations: [
      op({ operationId: "register", method: "post", path: "/accounts", parameters: parameters.filter((p) => p !== keyParam), security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ email: { type: "string", format: "email" }, password: { type: "string", minLength: 12 } }) }] }, responses: [{ status: "201", content: [{ contentType: json, schema: obj({ apiKey: { type: "string" } }) }], headers: [], links: [] }] }),
      op({ operationId: "getAccount", method: "get", path: "/account", parameters, security: [{ key: [] }], responses: [{ status: "200", content: [{ contentType: json, schema: account }], headers: [], links: [] }] }),
    ],
  } as ApiModel;
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const fetch: Fetch = async (url, init) => {
    const headers = init.headers as Record<string, string>;
    seen.push({ url, headers });
    const get = (name: string) => Object.entries(headers).find(([h]) => h.toLowerCase() === name.toLowerCase())?.[1];
    const reply = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { "content-type": json } });
    if (get("Accept-Version") !== "2" || !/^[0-9a-f-]{36}$/.test(get("X-Tenant") ?? "") || !/(^|;\s*)region=eu(;|$)/.test(get("cookie") ?? "")) return reply(400, { error: "missing required header or cookie" });
    const path = new URL(url).pathname;
    if (path === "/accounts") return reply(201, { apiKey: "k-new" });
    return new URL(url).searchParams.get("api_key") === "k3y" ? reply(200, { email: "ada@example.com" }) : reply(401, {});
  };
  const target = { model: headerModel, baseUrl: "http://target.test", fetch };
  const getAccount = { operationId: "getAccount", method: "get", path: "/account" };

  it("the identities' pre-flight read sends them, with the key where the spec says and no optional parameter", async () => {
    seen.length = 0;
    expect(await verifyIdentity(target, getAccount, { api_key: "k3y" })).toMatchObject({ ok: true, detail: "GET /account → 200" });
    expect(seen[0].headers["Accept-Version"]).toBe("2");
    expect(seen[0].headers).not.toHaveProperty("X-Debug");
    expect(new URL(seen[0].url).searchParams.getAll("api_key")).toEqual(["k3y"]);
    // a refused key is still refused (the required parameters do not make a request work by themselves)
    expect(await verifyIdentity(target, getAccount, { api_key: "nope" })).toEqual({ ok: false, detail: "401 on GET /account" });
  });

  it("keeps the caller's own Cookie and header values: a required cookie joins it, a given header is not sent twice", async () => {
    seen.length = 0;
    await verifyIdentity(target, getAccount, { api_key: "k3y", Cookie: "sid=1", "accept-version": "2" });
    expect(seen[0].headers.Cookie).toBe("sid=1; region=eu");
    expect(Object.keys(seen[0].headers).filter((h) => h.toLowerCase() === "accept-version")).toEqual(["accept-version"]);
  });

  it("the re-check of a given identity after a 5xx finds it working, so its cases go on", async () => {
    const keeper = new IdentityKeeper(keeperState({ acme: { api_key: "k3y" } }), { model: headerModel, baseUrl: "http://target.test", fetch });
    expect(await keeper.trouble("acme", 0, 500, 0)).toEqual({ state: "ok", generation: 0 });
    expect(keeper.dead()).toEqual({});
  });

  it("a signup the run makes sends them too", async () => {
    seen.length = 0;
    const flow = { source: "config" as const, signup: { op: { operationId: "register", method: "post", path: "/accounts" } }, signupToken: "/apiKey", placement: { in: "header" as const, name: "X-Key", prefix: "" } };
    const result = await provisionIdentities({ model: headerModel, flow: flow as never, baseUrl: "http://target.test", fetch, names: ["user1"], seed: 3 });
    expect(seen[0].headers["Accept-Version"]).toBe("2");
    expect(result.statuses[0].detail).not.toMatch(/400/);
  });
});
