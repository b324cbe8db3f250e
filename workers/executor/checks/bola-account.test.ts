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
