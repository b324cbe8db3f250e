import { describe, expect, it } from "vitest";
import { bola } from "./auth";
import { ctx, record } from "./test-support";

// the victim signed up anonymously; the attacker's write is judged by the victim's later login
describe("bola with a confirming step (account takeover)", () => {
  const signup = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: null, body: { id: 7 } });
  const write = { id: "attacker-update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", identity: "bob" };
  const params = { ownerStep: "create", action: "update", confirmStep: "confirm", owner: "a user Sentinel signed up" };

  it("fails when the write answered 2xx and took effect", () => {
    const confirm = record({ id: "confirm", method: "POST", path: "/pets", status: 200, identity: null });
    const result = bola(ctx({ ...write, status: 204 }, { others: [signup, confirm], params }));
    expect(result).toMatchObject({ status: "failed", signature: "update:account" });
    expect(result.message).toContain("a user Sentinel signed up");
  });
  it("passes when the 2xx took no effect, and on refusal", () => {
    const confirm = record({ id: "confirm", method: "POST", path: "/pets", status: 401, identity: null });
    expect(bola(ctx({ ...write, status: 204 }, { others: [signup, confirm], params })).status).toBe("passed");
    expect(bola(ctx({ ...write, status: 403 }, { others: [signup, confirm], params })).status).toBe("passed");
  });
  it("skips when the confirming step never ran", () => {
    expect(bola(ctx({ ...write, status: 204 }, { others: [signup], params })).status).toBe("skipped");
  });
});

// B's write on A's own record, judged by A's later read of its profile
describe("bola with an effect step (another identity's e-mail)", () => {
  const profile = record({ id: "owner-profile", method: "GET", path: "/pets", status: 200, identity: "alice", body: { name: "alice", email: "alice@example.com" } });
  const write = { id: "attacker-update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/alice", identity: "bob" };
  const params = { ownerStep: "owner-profile", action: "update", effectStep: "owner-after", effectPointer: "/email", effectValue: "sentinel.1@example.com" };
  const after = (email: string) => record({ id: "owner-after", method: "GET", path: "/pets", status: 200, identity: "alice", body: { name: "alice", email } });

  it("fails when the owner's read shows the value the attacker sent", () => {
    const result = bola(ctx({ ...write, status: 200 }, { others: [profile, after("sentinel.1@example.com")], params }));
    expect(result).toMatchObject({ status: "failed", signature: "update:account" });
  });
  it("passes when the 2xx changed nothing, and on refusal; skips without the read", () => {
    expect(bola(ctx({ ...write, status: 200 }, { others: [profile, after("alice@example.com")], params })).status).toBe("passed");
    expect(bola(ctx({ ...write, status: 403 }, { others: [profile, after("alice@example.com")], params })).status).toBe("passed");
    expect(bola(ctx({ ...write, status: 200 }, { others: [profile], params })).status).toBe("skipped");
  });
});

// pre-existing data: an item another user owns, found in a listing, written by an identity
describe("bola on pre-existing data (params.foreign)", () => {
  const listAfter = (ids: number[]) => record({ id: "list-after", method: "GET", path: "/pets", status: 200, identity: "bob", body: { items: ids.map((id) => ({ id, name: id === 3 ? "Sentinel check 1" : "Rex" })) } });
  const judge = (status: number, after: ReturnType<typeof record> | undefined, extra: Record<string, unknown> = {}, method = "DELETE") => {
    const c = ctx({ id: "attacker-write", method, path: "/pets/{petId}", urlPath: "/pets/3", identity: "bob", status }, { others: after ? [after] : [], params: { foreign: true, action: method === "DELETE" ? "delete" : "update", listStep: "list-after", idProperty: "id", idVariable: "petId", ...extra } });
    c.variables.petId = 3;
    return bola(c);
  };

  it("a delete is a finding only when the listing no longer shows the item", () => {
    expect(judge(204, listAfter([1, 2]))).toMatchObject({ status: "failed", signature: "delete:pre-existing" });
    expect(judge(204, listAfter([1, 2, 3])).status).toBe("passed");
    expect(judge(403, listAfter([1, 2, 3])).status).toBe("passed");
    expect(judge(204, undefined).status).toBe("skipped");
  });
  it("a change is a finding only when the listing shows the value sent", () => {
    const effect = { effectProperty: "name", effectValue: "Sentinel check 1" };
    expect(judge(200, listAfter([1, 3]), effect, "PUT")).toMatchObject({ status: "failed", signature: "update:pre-existing" });
    expect(judge(200, listAfter([1, 3]), { ...effect, effectValue: "something else" }, "PUT").status).toBe("passed");
  });
});

describe("bola with a confirming step: what proves the sign-in worked", () => {
  const signup = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: null, body: { id: 7 } });
  const write = { id: "attacker-update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", identity: "bob", status: 204 };
  const params = { ownerStep: "create", action: "update", confirmStep: "confirm", owner: "a user Sentinel signed up" };
  const signIn = (id: string, status: number, body: unknown, headers: Record<string, string> = {}) => record({ id, method: "POST", path: "/pets", status, identity: null, body, headers });
  const judge = (others: ReturnType<typeof record>[], extra: Record<string, unknown>) => bola(ctx(write, { others: [signup, ...others], params: { ...params, ...extra } }));

  it("the token at params.confirmPointer, or the header params.confirmHeader names, must be there", () => {
    const pointer = { confirmPointer: "/token" };
    const taken = judge([signIn("confirm", 200, { token: "t-1" })], pointer);
    expect(taken).toMatchObject({ status: "failed", signature: "update:account" });
    expect(taken.message).toBe('identity "bob" could update the account of another user ("a user Sentinel signed up") (PUT /pets/{petId} → 204), and it took effect (confirm succeeded)');
    expect(judge([signIn("confirm", 200, { status: "fail" })], pointer).message).toBe("identity \"bob\"'s PUT answered 204, but it took no effect (confirm → 200 without a token)");
    expect(judge([signIn("confirm", 200, { token: "" })], pointer).status).toBe("passed");
    expect(judge([signIn("confirm", 200, { token: null })], pointer).status).toBe("passed");
    expect(judge([signIn("confirm", 200, {}, { "X-Auth-Token": "t-1" })], { confirmHeader: "x-auth-token" }).status).toBe("failed");
    expect(judge([signIn("confirm", 200, {})], { confirmHeader: "x-auth-token" }).status).toBe("passed");
    expect(judge([signIn("confirm", 401, {})], {}).message).toBe("identity \"bob\"'s PUT answered 204, but it took no effect (confirm → 401)");
  });
  it("the old password still signing in leaves the effect unclear", () => {
    const pointer = { confirmPointer: "/token", staleStep: "stale" };
    expect(judge([signIn("confirm", 200, { token: "t-1" }), signIn("stale", 200, { token: "t-0" })], pointer).status).toBe("skipped");
    expect(judge([signIn("confirm", 200, { token: "t-1" }), signIn("stale", 401, { token: "t-0" })], pointer).status).toBe("failed");
    expect(judge([signIn("confirm", 200, { token: "t-1" }), signIn("stale", 200, { status: "fail" })], pointer).status).toBe("failed");
  });
});

describe("bola with an effect step: the read must succeed and show the value", () => {
  const profile = record({ id: "owner-profile", method: "GET", path: "/pets", status: 200, identity: "alice", body: { name: "alice" } });
  const write = { id: "attacker-update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/alice", identity: "bob", status: 200 };
  const after = (status: number, body: unknown) => record({ id: "owner-after", method: "GET", path: "/pets", status, identity: "alice", body });
  const params = { ownerStep: "owner-profile", action: "update", effectStep: "owner-after", effectValue: "sentinel.1@example.com" };
  it("a failed read skips; without a pointer the whole body is the value; the finding names the read", () => {
    expect(bola(ctx(write, { others: [profile, after(404, { email: "sentinel.1@example.com" })], params: { ...params, effectPointer: "/email" } })).status).toBe("skipped");
    const whole = bola(ctx(write, { others: [profile, after(200, JSON.stringify("sentinel.1@example.com"))], params }));
    expect(whole.message).toBe('identity "bob" could update the account of another user ("alice") (PUT /pets/{petId} → 200), and it took effect (owner-after shows the value it sent)');
    expect(bola(ctx(write, { others: [profile, after(200, { email: "alice@example.com" })], params: { ...params, effectPointer: "/email" } })).message).toBe("identity \"bob\"'s PUT answered 200, but it took no effect (owner-after does not show the new value)");
  });
});

describe("bola on pre-existing data: what is judged", () => {
  const listAfter = (body: unknown, status = 200) => record({ id: "list-after", method: "GET", path: "/pets", status, identity: "bob", body });
  const judge = (spec: Record<string, unknown>, after: ReturnType<typeof record> | undefined, extra: Record<string, unknown> = {}, petId: unknown = 3) => {
    const c = ctx({ id: "attacker-write", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/3", identity: "bob", status: 204, ...spec }, { others: after ? [after] : [], params: { foreign: true, action: "delete", listStep: "list-after", idProperty: "id", idVariable: "petId", ...extra } });
    if (petId !== null) c.variables.petId = petId;
    return bola(c);
  };
  const gone = listAfter({ items: [{ id: 1 }] });
  const effect = { action: "update", effectProperty: "name", effectValue: "Sentinel check 1" };
  const named = (id: number, name: string) => ({ id, name });
  it("refusals pass, 5xx and other statuses skip, no identity or a public operation is not judged", () => {
    for (const status of [401, 403, 404, 405, 410]) expect(judge({ status }, gone).message).toBe(`identity "bob" refused (${status})`);
    for (const status of [500, 302, 400]) expect(judge({ status }, gone).status).toBe("skipped");
    expect(judge({ identity: null }, gone).status).toBe("skipped");
    expect(judge({ method: "GET", path: "/pets", urlPath: "/pets" }, gone).status).toBe("skipped");
    const c = ctx({ id: "attacker-write", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/3", identity: "bob", status: 204 }, { others: [gone], params: { foreign: true, action: "delete", listStep: "list-after", idVariable: "petId" } });
    c.variables.petId = 3;
    expect(bola({ ...c, operation: undefined, caseOperation: { ...c.operation!, security: [] } }).status).toBe("skipped");
    expect(judge({ status: 200, headers: { "content-type": "text/html" }, body: "<html>sign in</html>" }, gone).status).toBe("passed");
  });
  it("needs the id and a successful listing after the write", () => {
    expect(judge({}, gone, {}, null).status).toBe("skipped");
    expect(judge({}, listAfter({ items: [{ id: 1 }] }, 500)).status).toBe("skipped");
    expect(judge({}, gone).message).toBe('identity "bob" deleted an item another user owns, data that was there before the run (DELETE /pets/{petId} → 204); the listing no longer shows id 3');
    expect(judge({}, listAfter({ items: [{ id: "3" }] })).message).toBe("identity \"bob\"'s DELETE answered 204, but the listing still shows id 3");
    expect(judge({}, gone, { idProperty: undefined }).message).toMatch(/no longer shows id 3$/);
    expect(judge({ status: 500 }, gone).message).toBe("500 is judged by not_a_server_error");
  });
  it("a change needs the property and the item in the listing after; the listing is searched to a depth of 6 and its first 1,000 items", () => {
    const put = { method: "PUT", status: 200 };
    expect(judge(put, listAfter({ items: [named(3, "Sentinel check 1")] }), effect).message).toBe('identity "bob" changed name of an item another user owns, data that was there before the run (PUT /pets/{petId} → 200); the listing shows the new value (set back afterwards)');
    expect(judge(put, listAfter({ items: [named(3, "Rex")] }), effect).message).toBe("identity \"bob\"'s PUT answered 200, but name did not change");
    expect(judge(put, listAfter({ items: [named(3, "Sentinel check 1")] }), { ...effect, effectProperty: undefined }).status).toBe("skipped");
    expect(judge(put, listAfter({ items: [named(1, "Sentinel check 1")] }), effect).status).toBe("skipped");
    const nest = (levels: number) => Array.from({ length: levels }).reduce<unknown>((inner) => ({ page: inner }), named(3, "Sentinel check 1"));
    expect(judge(put, listAfter(nest(6)), effect).status).toBe("failed");
    expect(judge(put, listAfter(nest(7)), effect).status).toBe("skipped");
    expect(judge(put, listAfter([...Array(1000).fill(named(1, "Rex")), named(3, "Sentinel check 1")]), effect).status).toBe("skipped");
    expect(judge(put, listAfter([{ id: 3, name: "Sentinel check 1", owner: null }]), effect).status).toBe("failed");
    expect(judge(put, listAfter([[[[[[[named(3, "Sentinel check 1")]]]]]]]), effect).status).toBe("skipped");
    expect(judge(put, listAfter([null, named(3, "Sentinel check 1")]), effect).status).toBe("failed");
    expect(judge(put, listAfter({ meta: { page: 1 }, items: [named(3, "Sentinel check 1")] }), effect).status).toBe("failed");
  });
});
