import { describe, expect, it } from "vitest";
import type { ApiModel, Operation, TestCase } from "../../model";
import { obtainClientToken, resolveTokenUrl } from "../auth/client-credentials";
import { grantedScopes, openToAnyToken, requiredScopeSets } from "./scopes";
import { isPrivileged, securityAuth } from "./security-auth";
import type { PlanConfig } from "./types";

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ oauth: ["things:read"] }], pointer: "#", ...partial };
}
const json = (schema: unknown) => [{ contentType: "application/json", schema: schema as never }];
const Thing = { type: "object", required: ["name"], properties: { id: { type: "integer", readOnly: true }, name: { type: "string", minLength: 1 } } };
const idParam = { name: "thingId", in: "path" as const, required: true, schema: { type: "integer" } };

/** Things with per-operation scopes: reading needs things:read, writing things:write. */
const model: ApiModel = {
  sourceVersion: "3.0.3", title: "things", version: "1", servers: [], schemas: {},
  securitySchemes: { oauth: { name: "oauth", type: "oauth2", tokenUrls: ["/oauth/token"] }, key: { name: "key", type: "apiKey", in: "header", paramName: "X-Key" } },
  operations: [
    op({ operationId: "createThing", method: "post", path: "/things", security: [{ oauth: ["things:write"] }], requestBody: { required: true, content: json(Thing) }, responses: [{ status: "201", content: json(Thing), headers: [], links: [] }] }),
    op({ operationId: "getThing", method: "get", path: "/things/{thingId}", parameters: [idParam], responses: [{ status: "200", content: json(Thing), headers: [], links: [] }] }),
    op({ operationId: "renameThing", method: "put", path: "/things/{thingId}", parameters: [idParam], security: [{ oauth: ["things:write"] }], requestBody: { required: true, content: json(Thing) }, responses: [{ status: "200", content: json(Thing), headers: [], links: [] }] }),
    // an API key opens it too: the scopes do not decide who may call it
    op({ operationId: "archiveThing", method: "post", path: "/things/{thingId}/archive", parameters: [idParam], security: [{ oauth: ["things:write"] }, { key: [] }], responses: [{ status: "204", content: [], headers: [], links: [] }] }),
  ],
};

const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (claims: Record<string, unknown>) => `Bearer ${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.c2ln`;
const bfla = (cases: TestCase[]) => cases.filter((c) => c.tags?.includes("bfla"));

describe("BFLA by OAuth scopes", () => {
  const config: PlanConfig = { identities: ["dispatch", "partner", "auditor"], maxCasesPerOperation: 50, identityScopes: { dispatch: ["things:read", "things:write"], auditor: ["things:read"] } };

  it("calls each operation needing a scope as the identity granted none of its sets, on what a holder made", async () => {
    const cases = bfla(await securityAuth.generate({ model, seed: 1, config }));
    expect(cases.map((c) => [c.operationId, c.title])).toEqual([
      ["createThing", "auditor, without scope things:write, calls POST /things"],
      ["renameThing", "auditor, without scope things:write, calls PUT /things/{thingId}"],
    ]);
    const rename = cases[1];
    // the thing is created by the identity that holds the scope; the attacker's call is judged
    expect(rename.steps.map((s) => [s.id, s.request.identity])).toEqual([["setup-thingId", "dispatch"], ["attacker-call", "auditor"]]);
    expect(rename.steps[1].checks.find((c) => c.name === "bfla")?.params).toEqual({ attacker: "auditor", lacksScopes: "things:write" });
  });

  it("reads the scopes of a JWT's scope or scp claim; without any known holder, or scopes of nobody, plans nothing", async () => {
    const tokens = { dispatch: jwt({ sub: "d", scope: "things:read things:write" }), auditor: jwt({ sub: "a", scp: ["things:read"] }) };
    const byClaims = bfla(await securityAuth.generate({ model, seed: 1, config: { ...config, identityScopes: undefined, identityTokens: tokens } }));
    expect(byClaims.map((c) => c.title)).toEqual(["auditor, without scope things:write, calls POST /things", "auditor, without scope things:write, calls PUT /things/{thingId}"]);
    expect(grantedScopes({ ...config, identityScopes: undefined, identityTokens: tokens }, "partner")).toBeUndefined();
    expect(bfla(await securityAuth.generate({ model, seed: 1, config: { ...config, identityScopes: { auditor: ["things:read"] } } }))).toEqual([]);
    expect(bfla(await securityAuth.generate({ model, seed: 1, config: { ...config, identityScopes: undefined } }))).toEqual([]);
    expect(requiredScopeSets(model, model.operations[3])).toBeUndefined();
  });

  it("takes an empty scope list for any valid token: an operation filed under an admin tag is not privileged then", async () => {
    const me = op({ operationId: "getMe", method: "get", path: "/me", tags: ["admin"], security: [{ oauth: [] }], responses: [{ status: "200", content: json(Thing), headers: [], links: [] }] });
    const audit = op({ operationId: "listAudit", method: "get", path: "/audit", tags: ["admin"], responses: [{ status: "200", content: json(Thing), headers: [], links: [] }] });
    const withMe = { ...model, operations: [...model.operations, me, audit] };
    expect(openToAnyToken(withMe, me)).toBe(true);
    expect(isPrivileged(withMe, me, config)).toBe(false);
    // a tag still marks privilege where the operation names a scope, or where no operation names one
    expect(isPrivileged(withMe, audit, config)).toBe(true);
    const scopeless = { ...withMe, operations: withMe.operations.map((o) => ({ ...o, security: [{ oauth: [] }] })) };
    expect(openToAnyToken(scopeless, me)).toBe(false);
    expect(isPrivileged(scopeless, me, config)).toBe(true);
    const cases = bfla(await securityAuth.generate({ model: withMe, seed: 1, config }));
    expect(cases.some((c) => c.operationId === "getMe")).toBe(false);
    expect(cases.some((c) => c.operationId === "listAudit")).toBe(true);
  });

  it("resolves a relative token URL against the target with its base path (RFC 3986): a root path keeps only the origin", () => {
    expect(resolveTokenUrl("/oauth/token", "http://127.0.0.1:8080/v2")).toBe("http://127.0.0.1:8080/oauth/token");
    expect(resolveTokenUrl("oauth/token", "http://127.0.0.1:8080/v2")).toBe("http://127.0.0.1:8080/v2/oauth/token");
    expect(resolveTokenUrl("oauth/token", "http://127.0.0.1:8080/v2/")).toBe("http://127.0.0.1:8080/v2/oauth/token");
    expect(resolveTokenUrl("/oauth/token", "http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/oauth/token");
    expect(resolveTokenUrl("https://login.example.com/token", "http://127.0.0.1:8080/v2")).toBe("https://login.example.com/token");
  });

  it("keeps the scopes a token answer grants, else those asked for", async () => {
    const answer = (body: Record<string, unknown>) => async () => new Response(JSON.stringify({ access_token: "t0k3n", token_type: "Bearer", ...body }), { status: 200 });
    const client = { clientId: "c", clientSecret: "s", scope: "things:read things:write" };
    expect(await obtainClientToken({ fetch: answer({ scope: "things:read" }), tokenUrl: "http://t.test/oauth/token" }, client)).toMatchObject({ ok: true, scopes: ["things:read"], detail: "token from POST /oauth/token, scopes things:read" });
    expect(await obtainClientToken({ fetch: answer({}), tokenUrl: "http://t.test/oauth/token" }, client)).toMatchObject({ ok: true, scopes: ["things:read", "things:write"] });
    expect(await obtainClientToken({ fetch: answer({}), tokenUrl: "http://t.test/oauth/token" }, { clientId: "c", clientSecret: "s" })).not.toHaveProperty("scopes");
  });
});

describe("BOLA below an item", () => {
  it("reads a secured GET one segment below the item as the owner, then as the attacker, judged against the attacker's read of the item", async () => {
    const history = op({ operationId: "thingHistory", method: "get", path: "/things/{thingId}/history", parameters: [idParam], responses: [{ status: "200", content: json({ type: "array" }), headers: [], links: [] }] });
    const withHistory = { ...model, operations: [...model.operations, history] };
    const cases = await securityAuth.generate({ model: withHistory, seed: 1, config: { identities: ["dispatch", "partner"], maxCasesPerOperation: 50 } });
    const bola = cases.find((c) => c.tags?.includes("bola"))!;
    const ids = bola.steps.map((s) => s.id);
    expect(ids.indexOf("owner-sub-0")).toBeGreaterThan(ids.indexOf("attacker-read"));
    const sub = bola.steps.find((s) => s.id === "attacker-sub-0")!;
    expect([sub.request.path, sub.request.identity]).toEqual(["/things/{thingId}/history", "partner"]);
    expect(sub.checks.find((c) => c.name === "bola")?.params).toMatchObject({ parentStep: "attacker-read", ownerReadStep: "owner-sub-0", ownerStep: "create" });
  });
});
