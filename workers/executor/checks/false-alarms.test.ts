/**
 * Behaviours of real servers that follow their spec and must not raise a finding, one per rule
 * the checks apply (the end-to-end counterpart is test/node/detection-false-alarms.test.ts).
 */
import { describe, expect, it } from "vitest";
import { bfla, bola, ignored_auth } from "./auth";
import { content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance } from "./conformance";
import { positive_data_acceptance } from "./negative";
import { ensure_resource_availability, sameValue, use_after_free } from "./stateful";
import { ctx, record } from "./test-support";
import type { CheckContext } from "./types";

const read = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7" };

describe("status codes outside the contract", () => {
  it("does not judge refusals of the identity, throttling or announced overload", () => {
    // GET /pets/{petId} documents 200 and 404 only
    for (const status of [401, 403, 429]) expect(status_code_conformance(ctx({ ...read, status, body: { message: "no" } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...read, status: 503, headers: { "retry-after": "30" } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...read, status: 503 })).status).toBe("failed");
    expect(not_a_server_error(ctx({ method: "GET", path: "/pets", status: 503, headers: { "retry-after": "30" } })).status).toBe("skipped");
    expect(not_a_server_error(ctx({ method: "GET", path: "/pets", status: 503 })).status).toBe("failed");
    // a gateway status the operation documents (its upstream failed, e.g. a spec import) is its contract
    const gateway = (status: number, documented: string[]) => {
      const c = ctx({ method: "GET", path: "/pets", status, body: "upstream failed" });
      return not_a_server_error({ ...c, operation: { ...c.operation!, responses: [...c.operation!.responses, ...documented.map((s) => ({ status: s, content: [], headers: [], links: [] }))] } }).status;
    };
    expect(gateway(502, ["502"])).toBe("skipped");
    expect(gateway(504, ["504"])).toBe("skipped");
    expect(gateway(502, [])).toBe("failed");
    expect(gateway(500, ["500"])).toBe("failed");
  });
  it("takes an undocumented 404 as a finding only for an id the API itself issued", () => {
    const deletePet = { method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 404 };
    expect(status_code_conformance(ctx({ ...deletePet, pathParams: { petId: 7 } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...deletePet, pathParams: { petId: "{{petId}}" } })).status).toBe("failed");
  });
});

describe("JSON media types and schemas", () => {
  it("accepts application/problem+json where application/json is documented", () => {
    const problem = { method: "POST", path: "/pets", status: 400, headers: { "content-type": "application/problem+json" }, body: { message: "bad" } };
    expect(content_type_conformance(ctx(problem)).status).toBe("passed");
    expect(content_type_conformance(ctx({ ...problem, headers: { "content-type": "text/html" } })).status).toBe("failed");
  });
  it("reads oneOf as anyOf in responses: overlapping branches are the spec's ambiguity", () => {
    const c = ctx({ method: "GET", path: "/public/items", status: 200, body: { name: "Tom" } });
    const op = structuredClone(c.operation!);
    op.responses = [{ status: "200", content: [{ contentType: "application/json", schema: { oneOf: [{ type: "object", properties: { meows: { type: "boolean" } } }, { type: "object", properties: { barks: { type: "boolean" } } }] } }], headers: [], links: [] }];
    expect(response_schema_conformance({ ...c, operation: op }).status).toBe("passed");
  });
});

describe("positive_data_acceptance with a baseline", () => {
  const baselineOk = record({ id: "baseline", method: "POST", path: "/pets", status: 201, body: { id: 1, name: "x" } });
  const baselineRefused = record({ id: "baseline", method: "POST", path: "/pets", status: 422, body: { message: "unknown coupon" } });
  const params = { valid: true, baselineStep: "baseline", location: "body name", description: "string at maxLength 64" };
  it("fails only when the same request with ordinary values was accepted", () => {
    expect(positive_data_acceptance(ctx({ id: "request", method: "POST", path: "/pets", status: 400 }, { others: [baselineOk], params }))).toMatchObject({ status: "failed", signature: "rejected:400:body name:string at maxLength 64" });
    expect(positive_data_acceptance(ctx({ id: "request", method: "POST", path: "/pets", status: 400 }, { others: [baselineRefused], params })).status).toBe("skipped");
  });
});

describe("lifecycles that are legitimately slow or soft", () => {
  const created = record({ id: "create", method: "POST", path: "/pets", status: 202, body: { id: 7 }, extract: { petId: { from: "body", pointer: "/id" } } });
  it("does not expect a resource accepted with 202 to be readable yet", () => {
    expect(ensure_resource_availability(ctx({ ...read, id: "read", status: 404, pathParams: { petId: "{{petId}}" } }, { others: [created], params: { createStep: "create" } })).status).toBe("skipped");
  });
  it("does not expect a deletion accepted with 202 to be done, and accepts tombstones", () => {
    const accepted = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 202 });
    expect(use_after_free(ctx({ ...read, id: "reread", status: 200, body: { id: 7 } }, { others: [accepted], params: { deleteStep: "delete" } })).status).toBe("skipped");
    const deleted = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });
    for (const body of [{ id: 7, deleted: true }, { id: 7, status: "archived" }, { id: 7, deletedAt: "2024-01-01T00:00:00Z" }]) {
      expect(use_after_free(ctx({ ...read, id: "reread", status: 200, body }, { others: [deleted], params: { deleteStep: "delete" } })).status).toBe("passed");
    }
    expect(use_after_free(ctx({ ...read, id: "reread", status: 200, body: { id: 7, deleted: false } }, { others: [deleted], params: { deleteStep: "delete" } })).status).toBe("failed");
  });
  it("tolerates numbers stored with less precision", () => {
    expect(sameValue(12.3456, 12.35)).toBe(true);
    expect(sameValue(19.999, 20)).toBe(true);
    expect(sameValue(0.30000000000000004, 0.3)).toBe(true);
    expect(sameValue(57, 148)).toBe(false);
    expect(sameValue(12.3456, 12.4)).toBe(false);
  });
});

describe("authorisation on shared resources and sign-in pages", () => {
  const create = record({ id: "create", method: "POST", path: "/pets", status: 201, body: { id: 7 } });
  const listing = (id: string, identity: string | null, ids: number[]) => record({ id, method: "GET", path: "/pets", status: 200, identity, body: ids.map((n) => ({ id: n, name: "x" })) });
  const bolaCtx = (others: ReturnType<typeof record>[], body: unknown = { id: 7, name: "Rex" }): CheckContext => {
    const c = ctx({ ...read, id: "attacker-read", identity: "bob", status: 200, body }, { others: [create, ...others], params: { ownerStep: "create", action: "read", idVariable: "petId", listStep: "attacker-list", ownerListStep: "owner-list" } });
    c.variables.petId = 7;
    return c;
  };
  it("skips a read of a resource the collection lists to the attacker too (shared by design)", () => {
    expect(bola(bolaCtx([listing("owner-list", "alice", [7]), listing("attacker-list", "bob", [3, 7])])).status).toBe("skipped");
  });
  it("skips when the owner's listing does not show it either (pagination: privacy unknown)", () => {
    expect(bola(bolaCtx([listing("owner-list", "alice", [1, 2]), listing("attacker-list", "bob", [3])])).status).toBe("skipped");
  });
  it("judges the read when the owner's listing is a full page and the attacker's whole listing lacks it (scoped per identity)", () => {
    const paged = (id: string, identity: string, ids: number[], total?: number) => record({ id, method: "GET", path: "/pets", status: 200, identity, body: { items: ids.map((n) => ({ id: n })), ...(total === undefined ? {} : { total }) } });
    const withSize = (others: ReturnType<typeof record>[], pageSize?: number) => {
      const c = bolaCtx(others);
      if (pageSize !== undefined) c.params.pageSize = pageSize;
      return c;
    };
    // the owner's page is full (size 2 asked) or reports more; the attacker's listing is whole and lacks it
    expect(bola(withSize([paged("owner-list", "alice", [1, 2]), paged("attacker-list", "bob", [3])], 2)).status).toBe("failed");
    expect(bola(withSize([paged("owner-list", "alice", [1, 2], 9), paged("attacker-list", "bob", [3], 1)])).status).toBe("failed");
    // kept: a shared collection paged on both sides (the attacker's page is full too) …
    expect(bola(withSize([paged("owner-list", "alice", [1, 2]), paged("attacker-list", "bob", [1, 2])], 2)).status).toBe("skipped");
    expect(bola(withSize([paged("owner-list", "alice", [1, 2], 9), paged("attacker-list", "bob", [1, 2], 9)])).status).toBe("skipped");
    // … an owner's listing that is whole (a filter, not a page, hides it) …
    expect(bola(withSize([paged("owner-list", "alice", [1]), paged("attacker-list", "bob", [3])], 2)).status).toBe("skipped");
    // … and listings whose extent is unknown (no size asked, no total)
    expect(bola(withSize([paged("owner-list", "alice", [1, 2]), paged("attacker-list", "bob", [3])])).status).toBe("skipped");
  });
  it("reads a HAL listing's page in _embedded: a full page for the owner, an empty whole one for the attacker", () => {
    const hal = (id: string, identity: string, ids: number[], total: number) => record({ id, method: "GET", path: "/pets", status: 200, identity, body: { _links: { self: { href: "/pets" } }, _embedded: { pets: ids.map((n) => ({ id: n })) }, total } });
    const c = bolaCtx([hal("owner-list", "alice", [1, 2], 9), hal("attacker-list", "bob", [], 0)]);
    c.params.pageSize = 2;
    expect(bola(c).status).toBe("failed");
    // kept: the attacker's HAL page lists it
    expect(bola(bolaCtx([hal("owner-list", "alice", [1, 2], 9), hal("attacker-list", "bob", [3, 7], 2)])).status).toBe("skipped");
  });
  it("judges the read when the owner's same listing, taken before and after, keeps records the attacker's listing between them lacks (scoped per identity)", () => {
    // records 101 and up: none is the resource read (7)
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => 100 + from + i);
    const compared = (owner: number[], attacker: number[], again: number[]) => {
      const c = bolaCtx([listing("owner-list", "alice", owner), listing("attacker-list", "bob", attacker), listing("owner-list-again", "alice", again)]);
      c.params.ownerListAgainStep = "owner-list-again";
      return bola(c).status;
    };
    // pages of a large collection: a shared one would show the attacker the owner's first records
    expect(compared(range(1, 20), range(31, 50), range(1, 20))).toBe("failed");
    // a shorter page than the owner's: a shared collection's whole listing, which would hold the records kept
    expect(compared(range(1, 2), [], range(1, 2))).toBe("failed");
    expect(compared(range(1, 3), [9], range(2, 4))).toBe("failed");
    // kept: the attacker's listing shows a record the owner's kept (shared) …
    expect(compared(range(1, 20), [...range(21, 39), 105], range(1, 20))).toBe("skipped");
    // … no record kept by the owner's listings (an order that changes, a collection that churns) …
    expect(compared(range(1, 20), range(41, 60), range(21, 40))).toBe("skipped");
    // … records kept only near the end of a page (a few creates ahead of them would push them out) …
    expect(compared([...range(21, 39), 1], range(61, 80), [...range(41, 59), 1])).toBe("skipped");
    expect(compared(range(1, 5), range(6, 10), range(1, 5))).toBe("skipped");
    // … and no listing after the attacker's
    expect(bola(bolaCtx([listing("owner-list", "alice", range(1, 20)), listing("attacker-list", "bob", range(31, 50))])).status).toBe("skipped");
  });
  it("judges the read when the owner's last page shows the resource, the attacker's last page lacks it and the attacker's listing has fewer pages (scoped per identity)", () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => 100 + from + i);
    const paged = (id: string, identity: string, ids: number[], pages: number) => record({ id, method: "GET", path: "/pets", status: 200, identity, body: { items: ids.map((n) => ({ id: n })), total_pages: pages } });
    const lastPages = (ownerPages: number, attackerPages: number, ownerLast: number[], attackerLast: number[]) => {
      const c = bolaCtx([
        paged("owner-list", "alice", range(1, 20), ownerPages),
        paged("attacker-list", "bob", range(1, 20), attackerPages),
        paged("owner-list-again", "alice", range(1, 20), ownerPages),
        paged("owner-list-last", "alice", ownerLast, ownerPages),
        paged("attacker-list-last", "bob", attackerLast, attackerPages),
      ]);
      Object.assign(c.params, { ownerListAgainStep: "owner-list-again", ownerListLastStep: "owner-list-last", listLastStep: "attacker-list-last", pageCountPointer: "/total_pages" });
      return bola(c).status;
    };
    // the first pages show the same records to both (the owner sees everyone's): only the last pages tell
    expect(lastPages(5, 2, [...range(81, 85), 7], range(21, 30))).toBe("failed");
    // kept: a shared collection has as many pages for both …
    expect(lastPages(5, 5, [...range(81, 85), 7], range(81, 85))).toBe("skipped");
    // … the attacker's last page shows it …
    expect(lastPages(5, 2, [...range(81, 85), 7], [7])).toBe("skipped");
    // … and the owner's last page does not
    expect(lastPages(5, 2, range(81, 85), range(21, 30))).toBe("skipped");
  });
  it("skips a read of a resource a listing without credentials shows (public by the spec: catalogue data)", () => {
    // created under a parent (POST /books/{id}/copies), read elsewhere (/copies/{id}), no listing at the item's collection
    const publicCtx = (others: ReturnType<typeof record>[], body: unknown = { id: 7, name: "Rex" }) => {
      const c = ctx({ ...read, id: "attacker-read", identity: "bob", status: 200, body }, { others: [create, ...others], params: { ownerStep: "create", action: "read", idVariable: "petId", publicListStep: "public-list" } });
      c.variables.petId = 7;
      return c;
    };
    expect(bola(publicCtx([listing("public-list", null, [3, 7])])).status).toBe("skipped");
    // kept: the public listing does not show it, was sent with credentials, or the item read adds a secret it leaves out
    expect(bola(publicCtx([listing("public-list", null, [3])])).status).toBe("failed");
    expect(bola(publicCtx([listing("public-list", "bob", [3, 7])])).status).toBe("failed");
    expect(bola(publicCtx([listing("public-list", null, [3, 7])], { id: 7, name: "Rex", apiKey: "k-9f8e7d6c5b4a" })).status).toBe("failed");
    expect(bola(publicCtx([])).status).toBe("failed");
  });
  it("fails when only the owner's listing shows it", () => {
    expect(bola(bolaCtx([listing("owner-list", "alice", [7]), listing("attacker-list", "bob", [3])])).status).toBe("failed");
  });
  it("passes when the attacker got a resource with another id (their own)", () => {
    expect(bola(bolaCtx([listing("owner-list", "alice", [7]), listing("attacker-list", "bob", [3])], { id: 3, name: "Bob's" })).status).toBe("passed");
  });
  it("takes an HTML page from a JSON operation for a sign-in page, not the resource", () => {
    const page = { ...read, identity: null, status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: "<!doctype html><form>Sign in</form>" };
    expect(ignored_auth(ctx(page)).status).toBe("passed");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, headers: { "content-type": "text/html" }, body: "<html>login</html>" })).status).toBe("passed");
  });
  it("does not call an empty answer of a privileged read a leak", () => {
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: {} })).status).toBe("skipped");
    expect(bfla(ctx({ method: "GET", path: "/admin/stats", identity: "bob", status: 200, body: { users: 3 } })).status).toBe("failed");
  });
});
