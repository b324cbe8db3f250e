import { describe, expect, it } from "vitest";
import { bfla, bola, ignored_auth, jwt_weakness, jwtHeader } from "./auth";
import { ctx, record } from "./test-support";

const securedRead = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7" };
const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const algNone = `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "1" })}.`;

describe("ignored_auth", () => {
  it("fails when a secured operation answers 2xx without credentials", () => {
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, body: { id: 7 } }))).toMatchObject({ status: "failed", signature: "accepted" });
    expect(ignored_auth(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: "Bearer expired" } }, { params: { variant: "expired" } }))).toMatchObject({ status: "failed", signature: "accepted" });
  });
  it("passes on 401/403, redirects and other refusals", () => {
    for (const status of [401, 403, 302, 404]) expect(ignored_auth(ctx({ ...securedRead, identity: null, status })).status).toBe("passed");
  });
  it("never judges optional or absent security, or requests that still carried credentials", () => {
    expect(ignored_auth(ctx({ method: "GET", path: "/public/items", identity: null, status: 200 })).status).toBe("skipped");
    expect(ignored_auth(ctx({ method: "GET", path: "/pets", identity: null, status: 200 })).status).toBe("skipped");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, requestHeaders: { authorization: "Bearer x" } }, { params: { variant: "none" } })).status).toBe("skipped");
  });
});

describe("jwt_weakness", () => {
  it("fails when an alg=none token is accepted", () => {
    expect(jwt_weakness(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: algNone } }, { params: { variant: "alg-none" } }))).toMatchObject({ status: "failed", signature: "accepted:alg-none" });
  });
  it("passes when the forged token is refused", () => {
    expect(jwt_weakness(ctx({ ...securedRead, status: 401, requestHeaders: { Authorization: algNone } }, { params: { variant: "alg-none" } })).status).toBe("passed");
  });
  it("skips when the token is not what the variant claims, or auth is not enforced at all", () => {
    expect(jwt_weakness(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: "Bearer abc.def.ghi" } }, { params: { variant: "alg-none" } })).status).toBe("skipped");
    const anonymous = record({ id: "anon", ...securedRead, identity: null, status: 200 });
    expect(jwt_weakness(ctx({ id: "forged", ...securedRead, status: 200, requestHeaders: { Authorization: algNone } }, { others: [anonymous], params: { variant: "alg-none", baselineStep: "anon" } })).status).toBe("skipped");
  });
  it("decodes JWT headers", () => {
    expect(jwtHeader(algNone)).toEqual({ alg: "none", typ: "JWT" });
    expect(jwtHeader("Bearer garbage")).toBeUndefined();
  });
});

describe("bola", () => {
  const owned = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice", body: { id: 7, name: "Rex" } });
  it("fails when another identity reads the owner's resource", () => {
    const result = bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 7, name: "Rex" } }, { others: [owned], params: { ownerStep: "create" } }));
    expect(result).toMatchObject({ status: "failed", signature: "read" });
    expect(result.message).toContain('identity "bob"');
  });
  it("fails when another identity deletes it and the owner can no longer read it", () => {
    const verify = record({ id: "verify", ...securedRead, identity: "alice", status: 404 });
    const current = record({ id: "steal", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", identity: "bob", status: 204 });
    expect(bola(ctx(current, { others: [owned, verify], params: { ownerStep: "create", verifyStep: "verify" } }))).toMatchObject({ status: "failed", signature: "delete" });
  });
  it("passes on refusal and when the delete did not really happen", () => {
    expect(bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 403 }, { others: [owned], params: { ownerStep: "create" } })).status).toBe("passed");
    expect(bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 404 }, { others: [owned], params: { ownerStep: "create" } })).status).toBe("passed");
    const survived = record({ id: "verify", ...securedRead, identity: "alice", status: 200 });
    const current = record({ id: "steal", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", identity: "bob", status: 204 });
    expect(bola(ctx(current, { others: [owned, survived], params: { ownerStep: "create", verifyStep: "verify" } })).status).toBe("passed");
  });
  it("skips public resources, the owner itself and empty answers", () => {
    const anon = record({ id: "anon", ...securedRead, identity: null, status: 200, body: { id: 7 } });
    expect(bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 7 } }, { others: [owned, anon], params: { ownerStep: "create", anonymousStep: "anon" } })).status).toBe("skipped");
    expect(bola(ctx({ id: "steal", ...securedRead, identity: "alice", status: 200, body: { id: 7 } }, { others: [owned], params: { ownerStep: "create" } })).status).toBe("skipped");
    expect(bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: [] }, { others: [owned], params: { ownerStep: "create" } })).status).toBe("skipped");
  });
});

describe("bfla", () => {
  const admin = { method: "GET", path: "/admin/stats" };
  it("fails when an unprivileged identity executes a privileged operation", () => {
    expect(bfla(ctx({ ...admin, identity: "bob", status: 200, body: { users: 3 } }))).toMatchObject({ status: "failed", signature: "GET:executed" });
  });
  it("passes on 401/403/404 and skips public operations", () => {
    expect(bfla(ctx({ ...admin, identity: "bob", status: 403 })).status).toBe("passed");
    const anon = record({ id: "anon", ...admin, identity: null, status: 200 });
    expect(bfla(ctx({ id: "low", ...admin, identity: "bob", status: 200 }, { others: [anon], params: { anonymousStep: "anon" } })).status).toBe("skipped");
  });
  it("judges other methods too: an empty answer to a non-GET still executed the operation", () => {
    expect(bfla(ctx({ ...admin, identity: "bob", status: 200, body: {} })).status).toBe("skipped");
    expect(bfla(ctx({ method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/1", identity: "bob", status: 204 }))).toMatchObject({ status: "failed", signature: "DELETE:executed" });
    expect(bfla(ctx({ method: "PUT", path: "/pets/{petId}", urlPath: "/pets/1", identity: "bob", status: 200, body: {} }))).toMatchObject({ status: "failed", signature: "PUT:executed" });
  });
  it("passes on 404 and 405, skips 5xx, other refusals and requests without identity", () => {
    for (const status of [401, 404, 405]) expect(bfla(ctx({ ...admin, identity: "bob", status })).status).toBe("passed");
    for (const status of [400, 409, 500, 302]) expect(bfla(ctx({ ...admin, identity: "bob", status })).status).toBe("skipped");
    expect(bfla(ctx({ ...admin, identity: null, status: 200, body: { users: 3 } })).status).toBe("skipped");
    expect(bfla(ctx({ method: "POST", path: "/login", identity: "bob", status: 200, body: { token: "t" } })).status).toBe("skipped");
  });
});
