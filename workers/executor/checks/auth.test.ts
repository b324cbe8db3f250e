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
    // public even when the answer has content: anonymous access succeeds too
    expect(bfla(ctx({ id: "low", ...admin, identity: "bob", status: 200, body: { users: 3 } }, { others: [anon], params: { anonymousStep: "anon" } })).status).toBe("skipped");
  });
  it("judges other methods too: an empty answer to a non-GET still executed the operation", () => {
    expect(bfla(ctx({ ...admin, identity: "bob", status: 200, body: {} })).status).toBe("skipped");
    expect(bfla(ctx({ method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/1", identity: "bob", status: 204 }))).toMatchObject({ status: "failed", signature: "DELETE:executed" });
    expect(bfla(ctx({ method: "PUT", path: "/pets/{petId}", urlPath: "/pets/1", identity: "bob", status: 200, body: {} }))).toMatchObject({ status: "failed", signature: "PUT:executed" });
  });
  it("passes on 404 and 405, skips 5xx, other refusals and requests without identity", () => {
    for (const status of [401, 404, 405]) expect(bfla(ctx({ ...admin, identity: "bob", status })).status).toBe("passed");
    for (const status of [400, 409, 500, 302]) expect(bfla(ctx({ ...admin, identity: "bob", status })).status).toBe("skipped");
    for (const status of [409, 503]) expect(bfla(ctx({ ...admin, identity: "bob", status, body: { error: "conflict" } })).status).toBe("skipped");
    expect(bfla(ctx({ ...admin, identity: null, status: 200, body: { users: 3 } })).status).toBe("skipped");
    expect(bfla(ctx({ method: "POST", path: "/login", identity: "bob", status: 200, body: { token: "t" } })).status).toBe("skipped");
  });
});

describe("ignored_auth: where credentials are carried, and which answers count", () => {
  const keyed = (requestHeaders: Record<string, string>, query?: string) => {
    const c = ctx({ ...securedRead, identity: null, status: 200, body: { id: 7 }, requestHeaders, query });
    // the operation accepts an API key in a header, a query parameter or a cookie
    const securitySchemes = { ...c.model.securitySchemes, q: { name: "q", type: "apiKey", in: "query", paramName: "api_key" }, c: { name: "c", type: "apiKey", in: "cookie", paramName: "sid" } } as typeof c.model.securitySchemes;
    return ignored_auth({ ...c, model: { ...c.model, securitySchemes }, operation: { ...c.operation!, security: [{ key: [] }, { q: [] }, { c: [] }] } });
  };
  it("a request without credentials still carrying one of them is not judged", () => {
    expect(keyed({}).status).toBe("failed");
    expect(keyed({ "x-api-key": "k" }).message).toContain("X-Api-Key");
    expect(keyed({}, "api_key=k").message).toContain("?api_key");
    expect(keyed({ cookie: "theme=dark; sid=abc" }).message).toContain("cookie sid");
    expect(keyed({ cookie: "xsid=abc" }).status).toBe("failed");
    // each credential counts only where its scheme reads it
    expect(keyed({ api_key: "k" }).status).toBe("failed");
    expect(keyed({}, "X-Api-Key=k").status).toBe("failed");
    expect(keyed({ cookie: "X-Api-Key=k" }).status).toBe("failed");
  });
  it("5xx and other statuses give no verdict; an HTML sign-in page is not the resource", () => {
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 500 })).status).toBe("skipped");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 101 })).status).toBe("skipped");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, headers: { "content-type": "application/xhtml+xml" }, body: "<html/>" })).status).toBe("passed");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, body: "  <!DOCTYPE html><p>sign in</p>" })).status).toBe("passed");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, body: "<p>x</p>" })).status).toBe("failed");
    const message = ignored_auth(ctx({ ...securedRead, identity: null, status: 200, body: { id: 7 } })).message;
    expect(message).toBe("GET /pets/{petId} requires authentication but answered 200 to a request without credentials");
    expect(ignored_auth(ctx({ ...securedRead, status: 200, body: { id: 7 } })).message).toContain("request with invalid credentials");
    expect(ignored_auth(ctx({ ...securedRead, status: 200, body: { id: 7 } }, { params: { variant: "expired" } })).message).toContain("request with expired credentials");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: "<p>sign in</p>" })).status).toBe("passed");
  });
  it("an operation that documents HTML for that status serves its resource as HTML", () => {
    const c = ctx({ ...securedRead, identity: null, status: 200, headers: { "content-type": "text/html" }, body: "<html>pet</html>" });
    for (const contentType of ["text/html", "*/*", "text/*"]) {
      const op = { ...c.operation!, responses: [{ status: "200", content: [{ contentType, schema: {} }], headers: [], links: [] }] };
      expect(ignored_auth({ ...c, operation: op }).status, contentType).toBe("failed");
    }
  });
});

describe("jwt_weakness: what is judged", () => {
  it("needs a secured operation and an Authorization header; 5xx no verdict; a redirect refuses", () => {
    expect(jwt_weakness(ctx({ method: "GET", path: "/pets", status: 200, requestHeaders: { Authorization: algNone } })).status).toBe("skipped");
    expect(jwt_weakness(ctx({ ...securedRead, status: 200 })).status).toBe("skipped");
    expect(jwt_weakness(ctx({ ...securedRead, status: 500, requestHeaders: { Authorization: algNone } })).status).toBe("skipped");
    expect(jwt_weakness(ctx({ ...securedRead, status: 302, requestHeaders: { Authorization: algNone } })).status).toBe("passed");
    expect(jwt_weakness(ctx({ ...securedRead, status: 101, requestHeaders: { Authorization: algNone } })).status).toBe("skipped");
    const forged = jwt_weakness(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: "Bearer a.b.c" } }));
    expect(forged).toMatchObject({ status: "failed", signature: "accepted:forged" });
    expect(forged.message).toBe("GET /pets/{petId} accepted a forged JWT (200)");
    const refusedBaseline = record({ id: "anon", ...securedRead, identity: null, status: 401 });
    expect(jwt_weakness(ctx({ id: "forged", ...securedRead, status: 200, requestHeaders: { Authorization: algNone } }, { others: [refusedBaseline], params: { variant: "alg-none", baselineStep: "anon" } })).status).toBe("failed");
  });
  it("alg=none in any case; base64url headers of any padding", () => {
    const upper = `Bearer ${b64({ alg: "NONE" })}.${b64({ sub: "1" })}.`;
    expect(jwt_weakness(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: upper } }, { params: { variant: "alg-none" } })).status).toBe("failed");
    expect(jwtHeader(`bearer   ${b64({ alg: "HS256", kid: "a?>" })}.x.y`)).toEqual({ alg: "HS256", kid: "a?>" });
    expect(jwtHeader(`Bearer ${b64({ alg: "HS256", kid: ">>>" })}.x.y`)).toEqual({ alg: "HS256", kid: ">>>" });
    expect(jwtHeader(`${b64({ a: 1 })}`)).toEqual({ a: 1 });
    expect(jwtHeader("Bearer ")).toBeUndefined();
    expect(jwtHeader(`Bearer ${btoa("7")}.x.y`)).toBeUndefined();
    expect(jwtHeader(`Bearer ${btoa("null")}.x.y`)).toBeUndefined();
  });
});

describe("bola: preconditions and verdicts", () => {
  const owned = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice", body: { id: 7, name: "Rex" } });
  const steal = (spec: Parameters<typeof ctx>[0], params: Record<string, unknown> = {}, others = [owned], variables: Record<string, unknown> = {}) => {
    const c = ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 7, name: "Rex" }, ...spec }, { others, params: { ownerStep: "create", ...params } });
    Object.assign(c.variables, variables);
    return bola(c);
  };
  it("no owner step, a failed one, no identity, or a public operation: not judged", () => {
    expect(steal({}, { ownerStep: "nope" }).status).toBe("skipped");
    expect(steal({}, {}, [record({ id: "create", method: "POST", path: "/pets", status: 400, identity: "alice" })]).status).toBe("skipped");
    expect(steal({ identity: null }).status).toBe("skipped");
    expect(steal({ method: "GET", path: "/pets", urlPath: "/pets" }).status).toBe("skipped");
  });
  it("410 refuses, 5xx and other statuses are inconclusive, a sign-in page refuses", () => {
    expect(steal({ status: 410 }).status).toBe("passed");
    expect(steal({ status: 500 }).status).toBe("skipped");
    expect(steal({ status: 302 }).status).toBe("skipped");
    expect(steal({ status: 200, headers: { "content-type": "text/html" }, body: "<html>sign in</html>" }).status).toBe("passed");
    expect(steal({ body: "" }).status).toBe("skipped");
    expect(steal({ body: {} }).status).toBe("skipped");
    expect(steal({ body: null }).status).toBe("skipped");
  });
  it("the action follows the method unless given; writes with an empty answer are still judged", () => {
    expect(steal({ method: "PUT", body: {} })).toMatchObject({ status: "failed", signature: "update" });
    expect(steal({ method: "HEAD", body: "" }).status).toBe("skipped");
    expect(steal({ method: "DELETE", status: 204 })).toMatchObject({ status: "failed", signature: "delete" });
    expect(steal({ body: {} }, { action: "update" }).signature).toBe("update");
    expect(steal({}).message).toBe('identity "bob" could read a resource "alice" created (GET /pets/{petId} → 200)');
  });
  it("another id in the answer is the caller's own resource; the collection listing it to the caller makes it shared", () => {
    expect(steal({ body: { id: 3, name: "Bob's" } }, { idVariable: "petId" }, [owned], { petId: 7 }).status).toBe("passed");
    expect(steal({ body: { petId: "7" } }, { idVariable: "petId", idProperty: "petId" }, [owned], { petId: 7 }).status).toBe("failed");
    expect(steal({ body: { petId: 8 } }, { idVariable: "petId", idProperty: "petId" }, [owned], { petId: 7 }).status).toBe("passed");
    expect(steal({ body: { id: 3 } }, { idVariable: "petId" }, [owned], { petId: { id: 7 } }).status).toBe("failed");
    const listed = (id: string, ids: unknown, status = 200) => record({ id, method: "GET", path: "/pets", status, identity: "bob", body: ids });
    expect(steal({}, { idVariable: "petId", listStep: "list" }, [owned, listed("list", { data: { pets: [{ id: 7 }] } })], { petId: 7 }).status).toBe("skipped");
    expect(steal({}, { idVariable: "petId", listStep: "list" }, [owned, listed("list", [{ id: 7 }], 403)], { petId: 7 }).status).toBe("failed");
    expect(steal({}, { idVariable: "petId", listStep: "list" }, [owned, listed("list", [{ id: "7x" }, { other: { id: 8 } }])], { petId: 7 }).status).toBe("failed");
    expect(steal({}, { idVariable: "petId", listStep: "list" }, [owned, listed("list", [[[[[[[[[[{ id: 7 }]]]]]]]]]])], { petId: 7 }).status).toBe("failed");
    expect(steal({}, { idVariable: "petId", ownerListStep: "mine" }, [owned, listed("mine", [{ id: 7 }])], { petId: 7 }).status).toBe("failed");
  });
  it("the owner's name comes from its identity, else params.owner", () => {
    const anonymousOwner = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: null, body: { id: 7 } });
    expect(steal({}, { owner: "a signed-up user" }, [anonymousOwner]).message).toContain('"a signed-up user" created');
    expect(steal({}, {}, [anonymousOwner]).message).toContain('"anonymous" created');
  });
});

describe("bfla: details", () => {
  it("a public operation is not judged even when the case's operation is consulted; the message names who and what", () => {
    const c = ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: { users: 3 } });
    expect(bfla({ ...c, operation: undefined }).status).toBe("failed");
    expect(bfla({ ...c, operation: undefined, caseOperation: { ...c.operation!, security: [] } }).status).toBe("skipped");
    expect(bfla(c).message).toBe('unprivileged identity "bob" executed privileged GET /admin/stats (200)');
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: "" })).status).toBe("skipped");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: [] })).status).toBe("skipped");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: [0] })).status).toBe("failed");
    const refusedAnonymously = record({ id: "anon", method: "GET", path: "/admin/stats", identity: null, status: 401 });
    expect(bfla(ctx({ id: "low", method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: { users: 3 } }, { others: [refusedAnonymously], params: { anonymousStep: "anon" } })).status).toBe("failed");
  });
});

describe("bola: what the caller's listing leaves out, and the owner's listing", () => {
  const owned = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice", body: { id: 7, name: "Rex" } });
  const list = (id: string, body: unknown) => record({ id, method: "GET", path: "/pets", status: 200, identity: id === "mine" ? "alice" : "bob", body });
  const read = (body: unknown, lists: ReturnType<typeof record>[], params: Record<string, unknown> = {}, words: { summary?: string; description?: string } = {}) => {
    const c = ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body }, { others: [owned, ...lists], params: { ownerStep: "create", idVariable: "petId", listStep: "list", ...params } });
    c.variables.petId = 7;
    return bola({ ...c, operation: { ...c.operation!, ...words } });
  };
  it("a secret-named value the listing lacks is private content; one it shows, or an empty one, is not", () => {
    const leak = read({ id: 7, name: "Rex", apiKey: "k-1" }, [list("list", [{ id: 7, name: "Rex" }])]);
    expect(leak).toMatchObject({ status: "failed", signature: "read:private-content" });
    expect(leak.message).toBe('identity "bob" could read a resource "alice" created (GET /pets/{petId} → 200): the collection lists it, but not its "apiKey", which the item read hands over');
    expect(read({ id: 7, apiKey: "k-1" }, [list("list", [{ id: 7, apiKey: "k-1" }])]).status).toBe("skipped");
    expect(read({ id: 7, apiKey: "  " }, [list("list", [{ id: 7 }])]).status).toBe("skipped");
    expect(read({ id: 7, apiKey: 5 }, [list("list", [{ id: 7 }])]).status).toBe("skipped");
    expect(read({ id: 7, nickname: "k-1" }, [list("list", [{ id: 7 }])]).status).toBe("skipped");
    expect(read([null, { id: 7, apiKey: "k-1" }], [list("list", [{ id: 7 }])]).status).toBe("failed");
    expect(read([...Array(20).fill({ id: 7 }), { id: 7, apiKey: "k-1" }], [list("list", [{ id: 7 }])]).status).toBe("skipped");
    expect(read({ id: 7, name: "Rex", notes: "vet" }, [list("list", [{ id: 7, name: "Rex" }])], {}, { description: "Only owners can read it" }).status).toBe("failed");
  });
  it("fields the listing lacks are private only when the operation says only the owner may read it", () => {
    const only = { description: "Only the owner may retrieve it." };
    const withNotes = read({ id: 7, name: "Rex", notes: "vet" }, [list("list", [{ id: 7, name: "Rex" }])], {}, only);
    expect(withNotes).toMatchObject({ status: "failed", signature: "read:private-content" });
    expect(withNotes.message).toContain("but not the fields only its owner may read (the operation says so), which");
    expect(read({ id: 7, name: "Rex", notes: "vet" }, [list("list", [{ id: 7, name: "Rex" }])], {}, { summary: "Only visible to the user who created it" }).status).toBe("failed");
    expect(read({ id: 7, name: "Rex", notes: "vet" }, [list("list", [{ id: 7, name: "Rex" }])]).status).toBe("skipped");
    expect(read({ id: 7, name: "Rex" }, [list("list", [{ id: 7, name: "Rex" }])], {}, only).status).toBe("skipped");
  });
  it("ids in a listing: strings count, nesting is searched to a depth of 8, a walk stops after 20,000 nodes", () => {
    expect(read({ id: 7 }, [list("list", [{ id: "7" }])]).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", [[[[[[[[{ id: 7 }]]]]]]]])]).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", [[[[[[[[[{ id: 7 }]]]]]]]]])]).status).toBe("failed");
    expect(read({ id: 7 }, [list("list", [...Array(19_998).fill({ id: 1 }), { id: 7 }])]).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", [...Array(19_999).fill({ id: 1 }), { id: 7 }])]).status).toBe("failed");
    expect(read({ id: 7 }, [list("list", [null, 5, { id: 3 }])]).status).toBe("failed");
    expect(read({ id: 7 }, [list("list", { total: 1, meta: { page: 1 }, data: [{ id: 7 }] })]).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", { a: { a: { a: { a: { a: { a: { a: { a: { id: 7 } } } } } } } } })]).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", { a: { a: { a: { a: { a: { a: { a: { a: { a: { id: 7 } } } } } } } } } })]).status).toBe("failed");
  });
  it("an owner's listing that misses the resource establishes nothing, unless it is a full page and the caller's whole listing lacks it", () => {
    expect(read({ id: 7 }, [list("list", [{ id: 3 }]), list("mine", [{ id: 1 }])], { ownerListStep: "mine" }).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", [{ id: 3 }]), list("mine", [{ id: 1 }, { id: 2 }])], { ownerListStep: "mine", pageSize: 2 }).status).toBe("failed");
    expect(read({ id: 7 }, [list("list", [{ id: 3 }, { id: 4 }]), list("mine", [{ id: 1 }, { id: 2 }])], { ownerListStep: "mine", pageSize: 2 }).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", { items: [{ id: 3 }], total: 1 }), list("mine", { items: [{ id: 1 }], total: 5 })], { ownerListStep: "mine" }).status).toBe("failed");
    expect(read({ id: 7 }, [list("list", { items: [{ id: 3 }] }), list("mine", { items: [{ id: 1 }], total: 5 })], { ownerListStep: "mine" }).status).toBe("skipped");
    expect(read({ id: 7 }, [list("list", [{ id: 3 }])], { ownerListStep: "never-ran" }).status).toBe("skipped");
  });
});

describe("bola: refusals, public access and the owner's read after a delete", () => {
  const owned = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice", body: { id: 7, name: "Rex" } });
  const steal = (spec: Parameters<typeof ctx>[0], others = [owned], params: Record<string, unknown> = {}) => bola(ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 7, name: "Rex" }, ...spec }, { others, params: { ownerStep: "create", ...params } }));
  it("every refusal passes and says which; an anonymous refusal does not make the resource public", () => {
    for (const status of [401, 403, 404, 410]) expect(steal({ status }).message).toBe(`identity "bob" refused (${status})`);
    expect(steal({ status: 500 }).message).toBe("500 is judged by not_a_server_error");
    expect(steal({}, [owned, record({ id: "anon", ...securedRead, identity: null, status: 401 })], { anonymousStep: "anon" }).status).toBe("failed");
    expect(steal({ body: "  " }).status).toBe("skipped");
    expect(steal({ status: 200, headers: { "content-type": "text/html" }, body: "<html>sign in</html>" }).message).toBe('identity "bob" got an HTML page, not the resource');
  });
  it("an answer without the id property is the owner's resource; another id passes with both ids named", () => {
    const c = (body: unknown) => {
      const context = ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body }, { others: [owned], params: { ownerStep: "create", idVariable: "petId" } });
      context.variables.petId = 7;
      return bola(context);
    };
    expect(c({ name: "Rex" }).status).toBe("failed");
    expect(c({ id: 3 }).message).toBe('identity "bob" got a resource with another id (3), not the owner\'s 7');
    const named = (id: unknown) => {
      const context = ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 3 } }, { others: [owned], params: { ownerStep: "create", idVariable: "petId" } });
      context.variables.petId = id;
      return bola(context).status;
    };
    expect(named("7")).toBe("passed");
    // a write answered with another id, or listed to the caller, is still judged
    const write = (params: Record<string, unknown>, others = [owned]) => {
      const context = ctx({ id: "steal", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", identity: "bob", status: 200, body: { id: 3 } }, { others, params: { ownerStep: "create", idVariable: "petId", ...params } });
      context.variables.petId = 7;
      return bola(context).signature;
    };
    expect(write({})).toBe("update");
    expect(write({ listStep: "list" }, [owned, record({ id: "list", method: "GET", path: "/pets", identity: "bob", body: [{ id: 7 }] })])).toBe("update");
    expect(write({ ownerListStep: "mine" }, [owned, record({ id: "mine", method: "GET", path: "/pets", identity: "alice", body: [{ id: 1 }] })])).toBe("update");
  });
  it("the owner's read after is consulted for deletes only", () => {
    const c = ctx({ id: "steal", ...securedRead, identity: "bob", status: 200, body: { id: 7 } }, { others: [owned], params: { ownerStep: "create" } });
    expect(bola({ ...c, operation: undefined, caseOperation: { ...c.operation!, security: [] } }).status).toBe("skipped");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: "42" })).status).toBe("failed");
    const still = record({ id: "verify", ...securedRead, identity: "alice", status: 200 });
    expect(steal({}, [owned, still], { verifyStep: "verify" }).status).toBe("failed");
    expect(steal({ method: "DELETE", status: 204 }, [owned, still], { verifyStep: "verify" }).message).toBe('identity "bob"\'s DELETE answered 204 but the owner still reads the resource');
  });
});

describe("ignored_auth and jwt_weakness: messages and where HTML is recognised", () => {
  it("each refusal says what was refused and how", () => {
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 401 })).message).toBe("request without credentials refused with 401");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 302 })).message).toBe("request without credentials redirected (302), not served");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 404 })).message).toBe("request without credentials not served (404)");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 503 })).message).toBe("503 is judged by not_a_server_error");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 502 })).message).toBe("502 is judged by not_a_server_error");
    expect(jwt_weakness(ctx({ ...securedRead, status: 403, requestHeaders: { Authorization: algNone } }, { params: { variant: "alg-none" } })).message).toBe("alg-none token refused with 403");
  });
  it("an HTML-looking body under a JSON content type is the resource; a credential named by two schemes is named once", () => {
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, headers: { "content-type": "application/json" }, body: "<html>x</html>" })).status).toBe("failed");
    expect(ignored_auth(ctx({ ...securedRead, identity: null, status: 200, body: "see <html>" })).status).toBe("failed");
    const html = ctx({ ...securedRead, identity: null, status: 200, headers: { "content-type": "text/html" }, body: "<html/>" });
    expect(ignored_auth({ ...html, operation: { ...html.operation!, responses: [] } }).status).toBe("passed");
    const both = [{ status: "200", content: [{ contentType: "application/json", schema: {} }, { contentType: "text/html", schema: {} }], headers: [], links: [] }];
    expect(ignored_auth({ ...html, operation: { ...html.operation!, responses: both } }).status).toBe("failed");
    const hs256 = `Bearer ${b64({ alg: "HS256" })}.${b64({ sub: "1" })}.x`;
    expect(jwt_weakness(ctx({ ...securedRead, status: 200, requestHeaders: { Authorization: hs256 } }, { params: { variant: "alg-none" } })).status).toBe("skipped");
    const c = ctx({ ...securedRead, identity: null, status: 200, requestHeaders: { authorization: "Bearer x" } });
    expect(ignored_auth({ ...c, operation: { ...c.operation!, security: [{ bearer: [] }, { bearer: [], key: [] }] } }).message).toBe("the request still carried credentials (Authorization)");
    const page = ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, headers: { "content-type": "text/html" }, body: "<html/>" });
    expect(bfla({ ...page, operation: undefined, caseOperation: undefined }).status).toBe("passed");
  });
});

describe("bola: a read below another identity's resource", () => {
  const owned = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice", body: { id: 7, name: "Rex" } });
  const history = { pet: 7, visits: [{ on: "2026-01-02", vet: "Dr. Who" }] };
  const mine = record({ id: "owner-sub", ...securedRead, identity: "alice", status: 200, body: history });
  const judge = (parentStatus: number, body: unknown = history, ownerRead = mine) =>
    bola(ctx({ id: "attacker-sub", ...securedRead, identity: "bob", status: 200, body }, { others: [owned, ownerRead, record({ id: "attacker-read", ...securedRead, identity: "bob", status: parentStatus, body: { error: "not found" } })], params: { ownerStep: "create", action: "read", parentStep: "attacker-read", ownerReadStep: "owner-sub" } }));
  it("fails when the resource is refused to the attacker but the part below answers it what the owner gets", () => {
    expect(judge(404)).toMatchObject({ status: "failed", signature: "read:sub-resource" });
  });
  it("skips when the resource itself is readable to the attacker, the answers differ, or the owner's read failed", () => {
    expect(judge(200).status).toBe("skipped");
    expect(judge(404, { pet: 7, visits: [] }).status).toBe("skipped");
    expect(judge(404, history, record({ id: "owner-sub", ...securedRead, identity: "alice", status: 500, body: {} })).status).toBe("skipped");
  });
});
