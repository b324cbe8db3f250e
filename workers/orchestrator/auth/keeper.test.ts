import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { flowFromConfig } from "./config";
import { inferAuthFlow } from "./infer";
import { IdentityKeeper, keeperState } from "./keeper";
import type { Fetch } from "./provision";

const json = "application/json";
const obj = (properties: Record<string, unknown>) => ({ type: "object", required: Object.keys(properties), properties });
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const ok = (schema: Record<string, unknown>) => [{ status: "200", content: [{ contentType: json, schema }], headers: [], links: [] }];
const model = {
  sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {},
  securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
  operations: [
    op({ operationId: "register", method: "post", path: "/users", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ username: { type: "string" }, password: { type: "string" } }) }] }, responses: [{ status: "201", content: [], headers: [], links: [] }] }),
    op({ operationId: "login", method: "post", path: "/login", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ username: { type: "string" }, password: { type: "string" } }) }] }, responses: ok(obj({ token: { type: "string" }, refresh_token: { type: "string" } })) }),
    op({ operationId: "refresh", method: "post", path: "/token/refresh", security: [], responses: ok(obj({ token: { type: "string" } })) }),
    op({ operationId: "me", method: "get", path: "/me", responses: ok(obj({ username: { type: "string" } })) }),
  ],
} as unknown as ApiModel;

/** Tokens valid while in `valid`; the account ada / pw; counts of each call. */
function target() {
  const valid = new Set(["t0"]);
  const calls: string[] = [];
  let users = true;
  let n = 0;
  const fetch: Fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push(path);
    const body = init.body ? JSON.parse(String(init.body)) : {};
    const reply = (status: number, value: unknown) => new Response(JSON.stringify(value), { status });
    if (path === "/me") return valid.has(String((init.headers as Record<string, string>).Authorization).replace("Bearer ", "")) && users ? reply(200, { username: "ada" }) : reply(401, {});
    if (path === "/login") {
      if (!users || body.username !== "ada" || body.password !== "pw-of-ada") return reply(401, { error: "wrong" });
      const token = `t${++n}`;
      valid.add(token);
      return reply(200, { token, refresh_token: `r${n}` });
    }
    if (path === "/token/refresh") {
      if (!String(body.refresh_token).startsWith("r")) return reply(401, {});
      const token = `t${++n}`;
      valid.add(token);
      return reply(200, { token });
    }
    return reply(404, {});
  };
  return { fetch, valid, calls, killUsers: () => (users = false) };
}

const flow = inferAuthFlow(model).flow!;
const recipe = { account: { username: "ada" }, password: "pw-of-ada" };

describe("IdentityKeeper", () => {
  it("a 401 the profile confirms: signs in again once for concurrent reports, a newer generation answers older reports", async () => {
    const t = target();
    const keeper = new IdentityKeeper(keeperState({ ada: { Authorization: "Bearer t0" } }, { ada: recipe }), { model, baseUrl: "http://t.test", fetch: t.fetch, flow, clock: () => 100 });
    t.valid.delete("t0");
    const verdicts = await Promise.all([keeper.trouble("ada", 0, 401, 50), keeper.trouble("ada", 0, 401, 60), keeper.trouble("ada", 0, 401, 70)]);
    expect(verdicts).toEqual(Array(3).fill({ state: "ok", generation: 1, headers: { Authorization: "Bearer t1" } }));
    expect(t.calls.filter((c) => c === "/login")).toHaveLength(1);
    // a request answered before the check started, with the old headers: the new ones, no new check
    expect(await keeper.trouble("ada", 0, 401, 90)).toEqual({ state: "ok", generation: 1, headers: { Authorization: "Bearer t1" } });
    expect(t.calls).toHaveLength(2);
  });

  it("a 5xx while the profile still answers is the operation's own: no sign-in, and one check vouches for answers before it", async () => {
    const t = target();
    let now = 100;
    const keeper = new IdentityKeeper(keeperState({ ada: { Authorization: "Bearer t0" } }, { ada: recipe }), { model, baseUrl: "http://t.test", fetch: t.fetch, flow, clock: () => now });
    expect(await keeper.trouble("ada", 0, 500, 90)).toEqual({ state: "ok", generation: 0 });
    expect(await keeper.trouble("ada", 0, 500, 95)).toEqual({ state: "ok", generation: 0 });
    expect(t.calls).toEqual(["/me"]);
    now = 200;
    expect(await keeper.trouble("ada", 0, 500, 150)).toEqual({ state: "ok", generation: 0 });
    expect(t.calls).toEqual(["/me", "/me"]);
  });

  it("uses the declared refresh token before a full sign-in, and keeps the new tokens as secrets", async () => {
    const t = target();
    const declared = flowFromConfig(model, { login: { operation: "login" }, refresh: { operation: "POST /token/refresh", body: { refresh_token: "${refreshToken}" }, token: "/token" } });
    const secrets: string[] = [];
    const keeper = new IdentityKeeper(keeperState({ ada: { Authorization: "Bearer t0" } }, { ada: { ...recipe, refreshToken: "r0" } }), { model, baseUrl: "http://t.test", fetch: t.fetch, flow: declared, onSecret: (s) => secrets.push(s) });
    t.valid.delete("t0");
    expect(await keeper.trouble("ada", 0, 401, 0)).toEqual({ state: "ok", generation: 1, headers: { Authorization: "Bearer t1" } });
    expect(t.calls).toEqual(["/me", "/token/refresh"]);
    expect(secrets).toEqual(["t1"]);
  });

  it("dead when the users are gone (the sign-in fails too), and for a given identity that cannot be signed in again", async () => {
    const t = target();
    const keeper = new IdentityKeeper(keeperState({ ada: { Authorization: "Bearer t0" }, bob: { Authorization: "Bearer t0" } }, { ada: recipe }), { model, baseUrl: "http://t.test", fetch: t.fetch, flow });
    t.killUsers();
    const ada = await keeper.trouble("ada", 0, 500, 0);
    expect(ada).toEqual({ state: "dead", reason: 'stopped working during the run (401 on GET /me after a 500); signing in again failed: login POST /login answered 401: {"error":"wrong"}' });
    expect(await keeper.trouble("bob", 0, 401, 0)).toEqual({ state: "dead", reason: "stopped working during the run (401 on GET /me after a 401) and Sentinel cannot sign it in again (given, not provisioned)" });
    expect(keeper.dead()).toEqual({ ada: ada.state === "dead" ? ada.reason : "", bob: expect.stringMatching(/^stopped working/) });
    // later reports are answered without another request
    const before = t.calls.length;
    expect((await keeper.trouble("ada", 0, 401, 10)).state).toBe("dead");
    expect(t.calls).toHaveLength(before);
  });
});
