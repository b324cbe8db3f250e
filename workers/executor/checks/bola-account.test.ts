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
