import { describe, expect, it } from "vitest";
import { ensure_resource_availability, firstDifference, idempotency, location_header, optimistic_concurrency, sameValue, stateful_invariant, use_after_free } from "./stateful";
import { ctx, record } from "./test-support";

const item = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", pathParams: { petId: "{{petId}}" } };
const created = record({ id: "create", method: "POST", path: "/pets", status: 201, body: { id: 7, name: "Rex" }, headers: { location: "/pets/7" }, extract: { petId: { from: "body", pointer: "/id" } } });
const deleted = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });

describe("use_after_free", () => {
  it("fails when a deleted resource is still served", () => {
    const result = use_after_free(ctx({ id: "read", ...item, status: 200, body: { id: 7 } }, { others: [created, deleted], params: { deleteStep: "delete" } }));
    expect(result).toMatchObject({ status: "failed", signature: "GET:2xx" });
  });
  it("passes on 404/410", () => {
    expect(use_after_free(ctx({ id: "read", ...item, status: 404 }, { others: [created, deleted] })).status).toBe("passed");
    expect(use_after_free(ctx({ id: "read", ...item, status: 410 }, { others: [created, deleted] })).status).toBe("passed");
  });
  it("skips when the DELETE failed, the resource was re-created, or another resource is read", () => {
    const failedDelete = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 403 });
    expect(use_after_free(ctx({ id: "read", ...item, status: 200 }, { others: [created, failedDelete] })).status).toBe("skipped");
    const recreate = record({ id: "put", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 201 });
    expect(use_after_free(ctx({ id: "read", ...item, status: 200 }, { others: [created, deleted, recreate] })).status).toBe("skipped");
    expect(use_after_free(ctx({ id: "read", ...item, urlPath: "/pets/8", status: 200 }, { others: [created, deleted] })).status).toBe("skipped");
  });
  it("a read that crashes after the DELETE, when it answered before it, is a use after free, not just a server error", () => {
    const readBefore = record({ id: "read-before-delete", ...item, status: 200, body: { id: 7 } });
    const crash = use_after_free(ctx({ id: "read", ...item, status: 500 }, { others: [created, readBefore, deleted], params: { deleteStep: "delete" } }));
    expect(crash).toMatchObject({ status: "failed", signature: "GET:5xx" });
    expect(crash.message).toContain("answered 200 before the delete");
    // without a good read before, a 5xx is any server error's (the read may always crash)
    expect(use_after_free(ctx({ id: "read", ...item, status: 500 }, { others: [created, deleted] })).status).toBe("skipped");
    const failedRead = record({ id: "read-before-delete", ...item, status: 500 });
    expect(use_after_free(ctx({ id: "read", ...item, status: 500 }, { others: [created, failedRead, deleted] })).status).toBe("skipped");
  });
});

describe("ensure_resource_availability", () => {
  it("fails when the created resource answers 404", () => {
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 }, { others: [created], params: { createStep: "create" } }))).toMatchObject({ status: "failed", signature: "404" });
  });
  it("passes on 2xx; skips non-availability statuses and failed creates", () => {
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 200 }, { others: [created] })).status).toBe("passed");
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 403 }, { others: [created] })).status).toBe("skipped");
    const failed = record({ id: "create", method: "POST", path: "/pets", status: 400, extract: { petId: { from: "body", pointer: "/id" } } });
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 }, { others: [failed] })).status).toBe("skipped");
  });
  it("skips a read that does not use the created id", () => {
    expect(ensure_resource_availability(ctx({ id: "read", ...item, pathParams: { petId: 99 }, status: 404 }, { others: [created] })).status).toBe("skipped");
  });
});

describe("idempotency", () => {
  const put = { method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7" };
  const first = record({ id: "put1", ...put, status: 200, body: { id: 7, name: "Rex", updatedAt: "2024-01-01T00:00:00Z" } });
  it("fails when the repeated PUT changes the body or the status class", () => {
    const changed = idempotency(ctx({ id: "put2", ...put, status: 200, body: { id: 7, name: "Rex (1)", updatedAt: "2024-01-01T00:00:01Z" } }, { others: [first], params: { compareWith: "put1" } }));
    expect(changed).toMatchObject({ status: "failed", signature: "body:/name" });
    const rejected = idempotency(ctx({ id: "put2", ...put, status: 400 }, { others: [first], params: { compareWith: "put1" } }));
    expect(rejected).toMatchObject({ status: "failed", signature: "status:200->4xx" });
  });
  it("passes when only volatile fields differ, 201 then 200 is fine", () => {
    const created201 = record({ id: "put1", ...put, status: 201, body: { id: 7, name: "Rex", updatedAt: "a", version: 1 } });
    expect(idempotency(ctx({ id: "put2", ...put, status: 200, body: { id: 7, name: "Rex", updatedAt: "b", version: 2 } }, { others: [created201], params: { compareWith: "put1" } })).status).toBe("passed");
  });
  it("accepts a repeated DELETE answering 404 and skips non-idempotent POSTs", () => {
    const del = record({ id: "d1", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });
    expect(idempotency(ctx({ id: "d2", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 404 }, { others: [del], params: { compareWith: "d1" } })).status).toBe("passed");
    const post = record({ id: "p1", method: "POST", path: "/pets", status: 201, body: { id: 1 } });
    expect(idempotency(ctx({ id: "p2", method: "POST", path: "/pets", status: 201, body: { id: 2 } }, { others: [post], params: { compareWith: "p1" } })).status).toBe("skipped");
  });
  it("skips 409/412/428/429 on the repeat: concurrency control or throttling, not a state change", () => {
    for (const status of [409, 412, 428, 429]) expect(idempotency(ctx({ id: "put2", ...put, status }, { others: [first], params: { compareWith: "put1" } })).status).toBe("skipped");
    expect(idempotency(ctx({ id: "put2", ...put, status: 500 }, { others: [first], params: { compareWith: "put1" } })).status).toBe("skipped");
    expect(idempotency(ctx({ id: "put2", ...put, status: 404 }, { others: [first], params: { compareWith: "put1" } }))).toMatchObject({ status: "failed", signature: "status:200->4xx" });
  });
  it("skips when the first request failed, and judges a POST that carries an Idempotency-Key", () => {
    const refused = record({ id: "put1", ...put, status: 400 });
    expect(idempotency(ctx({ id: "put2", ...put, status: 200 }, { others: [refused], params: { compareWith: "put1" } })).status).toBe("skipped");
    const post = record({ id: "p1", method: "POST", path: "/pets", status: 201, body: { id: 1 }, requestHeaders: { "idempotency-key": "k" } });
    expect(idempotency(ctx({ id: "p2", method: "POST", path: "/pets", status: 201, body: { id: 2 }, requestHeaders: { "Idempotency-Key": "k" } }, { others: [post], params: { compareWith: "p1" } })).status).toBe("failed");
  });
  it("compares reads in read mode", () => {
    const read1 = record({ id: "r1", ...item, status: 200, body: { id: 7, name: "Rex", tag: "a" } });
    expect(idempotency(ctx({ id: "r2", ...item, status: 200, body: { id: 7, name: "Rex", tag: "a,a" } }, { others: [read1], params: { compareWith: "r1", mode: "read" } })).status).toBe("failed");
    expect(idempotency(ctx({ id: "r2", ...item, status: 200, body: { id: 7, name: "Rex", tag: "a" } }, { others: [read1], params: { compareWith: "r1", mode: "read" } })).status).toBe("passed");
  });
  it("firstDifference ignores volatile keys", () => {
    expect(firstDifference({ a: 1, createdAt: 1, etag: "x" }, { a: 1, createdAt: 2, etag: "y" })).toBeUndefined();
    expect(firstDifference({ list: [1, 2] }, { list: [1, 3] })).toBe("/list/1");
  });
});

describe("location_header", () => {
  it("fails on a Location with an unfilled template or placeholder segment", () => {
    expect(location_header(ctx({ method: "POST", path: "/pets", status: 201, headers: { location: "/pets/{id}" } }))).toMatchObject({ status: "failed", signature: "unfilled-template" });
    expect(location_header(ctx({ method: "POST", path: "/pets", status: 201, headers: { location: "/pets/undefined" } }))).toMatchObject({ status: "failed", signature: "placeholder-segment" });
  });
  it("passes a valid Location and a 201 without one", () => {
    expect(location_header(ctx({ method: "POST", path: "/pets", status: 201, headers: { location: "/pets/7" } })).status).toBe("passed");
    expect(location_header(ctx({ method: "POST", path: "/pets", status: 201 })).status).toBe("passed");
  });
  it("judges the GET of the Location target", () => {
    const follow = { id: "follow", method: "GET", path: "{{location}}", urlPath: "/pets/7" };
    expect(location_header(ctx({ ...follow, status: 404 }, { others: [created], params: { createStep: "create" } }))).toMatchObject({ status: "failed", signature: "target:404" });
    expect(location_header(ctx({ ...follow, status: 200 }, { others: [created], params: { createStep: "create" } })).status).toBe("passed");
    expect(location_header(ctx({ ...follow, urlPath: "/other", status: 404 }, { others: [created], params: { createStep: "create" } })).status).toBe("skipped");
  });
});

describe("stateful_invariant", () => {
  const update = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { name: "Max", tag: "good", password: "s3cret!", updatedAt: "2024-05-01T10:00:00Z" } });
  it("fails when a read does not return the updated value", () => {
    const result = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Rex", tag: "good" } }, { others: [update], params: { expectFrom: "update" } }));
    expect(result).toMatchObject({ status: "failed", signature: "field:name" });
  });
  it("passes with normalisations; ignores writeOnly and unreturned fields", () => {
    const result = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: " Max ", tag: "good", updatedAt: "2024-05-01T10:00:00.000Z" } }, { others: [update], params: { expectFrom: "update" } }));
    expect(result.status).toBe("passed");
  });
  it("with unchangedFrom, fails when a partial update changed a field it did not send", () => {
    const patch = record({ id: "patch", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { name: "Max" } });
    const before = record({ id: "read-before", ...item, status: 200, body: { id: 7, name: "Rex", tag: "good", updatedAt: "2024-05-01T10:00:00Z" } });
    const params = { expectFrom: "patch", fields: ["name"], unchangedFrom: "read-before", unchanged: ["tag", "updatedAt", "owner"] };
    const wiped = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", tag: null, updatedAt: "2024-05-02T10:00:00Z" } }, { others: [before, patch], params }));
    expect(wiped).toMatchObject({ status: "failed", signature: "unchanged:tag" });
    // kept values and volatile fields (updatedAt) pass; a field that had no value says nothing
    const kept = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", tag: "good", updatedAt: "2024-05-02T10:00:00Z", owner: { name: "x" } } }, { others: [before, patch], params }));
    expect(kept.status).toBe("passed");
    // the sent field itself is still judged first
    const lost = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Rex", tag: null } }, { others: [before, patch], params }));
    expect(lost).toMatchObject({ status: "failed", signature: "field:name" });
  });
  it("never compares readOnly or writeOnly fields, even when they differ", () => {
    const withReadOnly = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { name: "Max", id: 99, role: "admin", password: "x" } });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", role: "user", password: "y" } }, { others: [withReadOnly], params: { expectFrom: "update" } })).status).toBe("passed");
    const onlyReadOnly = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { id: 99 } });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7 } }, { others: [onlyReadOnly], params: { expectFrom: "update" } })).status).toBe("skipped");
  });
  it("compares nested objects field by field", () => {
    const nested = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { name: "Max", owner: { name: "Ann" } } });
    const read = (owner: unknown) => stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", owner } }, { others: [nested], params: { expectFrom: "update" } }));
    expect(read({ name: "Bob" })).toMatchObject({ status: "failed", signature: "field:owner" });
    expect(read({ name: "Ann", homepage: "https://a.test" }).status).toBe("passed");
    expect(read("Ann").status).toBe("failed");
  });
  it("skips when the update failed, the read failed or returned no object", () => {
    const failed = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 400, requestBody: { name: "Max" } });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { name: "Rex" } }, { others: [failed], params: { expectFrom: "update" } })).status).toBe("skipped");
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 404, body: { message: "gone" } }, { others: [update], params: { expectFrom: "update" } })).status).toBe("skipped");
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: [1] }, { others: [update], params: { expectFrom: "update" } })).status).toBe("skipped");
  });
  it("without expectFrom, validates the read against its schema", () => {
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: "seven", name: "Max" } })).status).toBe("failed");
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max" } })).status).toBe("passed");
  });
  it("sameValue tolerates server normalisation but not different values", () => {
    expect(sameValue("A@B.com", "a@b.com")).toBe(true);
    expect(sameValue("2024-01-01", "2024-01-01T00:00:00Z")).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(sameValue("Max", "Rex")).toBe(false);
    expect(sameValue(5, 6)).toBe(false);
  });
});

describe("optimistic_concurrency", () => {
  const patch = { method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7" };
  const before = record({ id: "read-created", ...item, status: 200, headers: { etag: '"v1"' } });
  const update = record({ id: "update", ...patch, status: 200 });
  const after = record({ id: "read-updated", ...item, status: 200, headers: { etag: '"v2"' } });
  const params = { updateStep: "update", staleStep: "read-created", freshStep: "read-updated" };
  const stale = (status: number, others = [before, update, after], ifMatch = '"v1"') => optimistic_concurrency(ctx({ id: "update-stale", ...patch, status, requestHeaders: { "If-Match": ifMatch } }, { others, params }));
  it("fails when a write with the outdated ETag is applied", () => {
    expect(stale(200)).toMatchObject({ status: "failed", signature: "stale-etag-accepted" });
  });
  it("passes on 412 or another refusal", () => {
    expect(stale(412).status).toBe("passed");
    expect(stale(409).status).toBe("passed");
  });
  it("skips when the ETag did not change, the update failed, or the request carries another value", () => {
    expect(stale(200, [before, update, record({ id: "read-updated", ...item, status: 200, headers: { etag: '"v1"' } })]).status).toBe("skipped");
    expect(stale(200, [before, record({ id: "update", ...patch, status: 400 }), after]).status).toBe("skipped");
    expect(stale(200, [before, update, after], '"v2"').status).toBe("skipped");
    expect(stale(500).status).toBe("skipped");
  });
});
