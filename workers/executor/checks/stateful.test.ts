import { describe, expect, it } from "vitest";
import { ensure_resource_availability, firstDifference, idempotency, isTombstone, isVolatileKey, location_header, optimistic_concurrency, sameValue, stateful_invariant, use_after_free } from "./stateful";
import type { Operation } from "../../model";
import { ctx, record } from "./test-support";
import type { StepRecord } from "./types";

const item = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", pathParams: { petId: "{{petId}}" } };
const created = record({ id: "create", method: "POST", path: "/pets", status: 201, body: { id: 7, name: "Rex" }, headers: { location: "/pets/7" }, extract: { petId: { from: "body", pointer: "/id" } } });
const deleted = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });

describe("use_after_free", () => {
  it("fails when a deleted resource is still served", () => {
    const result = use_after_free(ctx({ id: "read", ...item, status: 200, body: { id: 7 } }, { others: [created, deleted], params: { deleteStep: "delete" } }));
    expect(result).toMatchObject({ status: "failed", signature: "GET:2xx" });
  });
  it("a soft-deleted record served is a fault when the spec says deleted resources are not served", () => {
    const soft = { id: 7, name: "Rex", deleted_at: "2026-01-02T03:04:05Z" };
    const judge = (read: StepRecord, deletion: StepRecord) => use_after_free(ctx(read, { others: [created, deletion], params: { deleteStep: "delete" } })).status;
    const withDocs = (rec: StepRecord, patch: Partial<Operation>) => ({ ...rec, operation: { ...rec.operation!, ...patch } });
    const readRec = record({ id: "read", ...item, status: 200, body: soft });
    // nothing documented: a tombstone the API chose to show
    expect(judge(readRec, deleted)).toBe("passed");
    // the read's 404 names deleted resources, or it documents 410, or the DELETE says what reads answer
    expect(judge(withDocs(readRec, { responses: [{ status: "200", content: [], headers: [], links: [] }, { status: "404", description: "No such pet (or it was deleted).", content: [], headers: [], links: [] }] }), deleted)).toBe("failed");
    expect(judge(withDocs(readRec, { responses: [{ status: "410", description: "Gone", content: [], headers: [], links: [] }] }), deleted)).toBe("failed");
    expect(judge(readRec, withDocs(deleted, { description: "The pet is kept with deleted_at set: reads answer 404." }))).toBe("failed");
    // a 404 that says nothing of deletion keeps the tombstone acceptable
    expect(judge(withDocs(readRec, { responses: [{ status: "404", description: "No such pet.", content: [], headers: [], links: [] }] }), deleted)).toBe("passed");
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
  it("compares a JSON Patch update by what its add and replace operations wrote", () => {
    const patch = record({ id: "update", method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: [{ op: "replace", path: "/name", value: "Max" }, { op: "test", path: "/tag", value: "good" }] });
    const params = { expectFrom: "update", fields: ["/name"] };
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Rex", tag: "good" } }, { others: [patch], params }))).toMatchObject({ status: "failed", signature: "field:/name" });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", tag: "good" } }, { others: [patch], params })).status).toBe("passed");
    const move = record({ id: "update", method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: [{ op: "move", from: "/tag", path: "/name" }] });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Rex" } }, { others: [move], params })).status).toBe("skipped");
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
    // every field sent in the nested object must read back, not just one of them
    const both = record({ id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, requestBody: { name: "Max", owner: { name: "Ann", homepage: "https://a.test" } } });
    expect(stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max", owner: { name: "Ann", homepage: "https://b.test" } } }, { others: [both], params: { expectFrom: "update" } }))).toMatchObject({ status: "failed", signature: "field:owner" });
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
  // RFC 9110 §8.8.3: the tag changes whenever the representation does; a weak one may stay only for an equivalent one
  describe("an ETag that stayed the same although the update changed the resource", () => {
    const doc = (title: string) => ({ data: { type: "courses", id: "7", attributes: { title, published: false } } });
    const sent = { data: { type: "courses", id: "7", attributes: { title: "Algebra II" } } };
    const chain = (tag: string, afterTitle: string, sentBody: unknown = sent) => [
      record({ id: "read-created", ...item, status: 200, headers: { etag: tag }, body: doc("Algebra") }),
      record({ id: "update", ...patch, status: 200, requestBody: sentBody, body: doc(afterTitle) }),
      record({ id: "read-updated", ...item, status: 200, headers: { etag: tag }, body: doc(afterTitle) }),
    ];
    it("fails when the stale If-Match is still applied, strong or weak tag, a field of an envelope or at the top", () => {
      for (const tag of ['"c-1"', 'W/"c-1"']) {
        const result = stale(200, chain(tag, "Algebra II"), tag);
        expect(result, tag).toMatchObject({ status: "failed", signature: "etag-unchanged" });
        expect(result.message).toContain("/data/attributes/title");
      }
      const top = [
        record({ id: "read-created", ...item, status: 200, headers: { etag: '"1"' }, body: { id: 7, name: "Rex", tag: "dog" } }),
        record({ id: "update", ...patch, status: 200, requestBody: { name: "Max" } }),
        record({ id: "read-updated", ...item, status: 200, headers: { etag: '"1"' }, body: { id: 7, name: "Max", tag: "dog" } }),
      ];
      expect(stale(200, top, '"1"')).toMatchObject({ status: "failed", signature: "etag-unchanged" });
    });
    it("passes when the server refuses the write all the same (412)", () => {
      expect(stale(412, chain('"c-1"', "Algebra II"), '"c-1"').status).toBe("passed");
    });
    it("skips when the representation did not change: the field sent held that value already, or the read-back does not show it", () => {
      expect(stale(200, chain('"c-1"', "Algebra", { data: { type: "courses", id: "7", attributes: { title: "Algebra" } } }), '"c-1"').status).toBe("skipped");
      // the read after the update still shows the old value (a cache): nothing proves the resource changed
      expect(stale(200, chain('"c-1"', "Algebra"), '"c-1"').status).toBe("skipped");
      // the update sent nothing comparable
      expect(stale(200, chain('"c-1"', "Algebra II", {}), '"c-1"').status).toBe("skipped");
    });
  });
});

describe("use_after_free: what counts as a use of the deleted resource", () => {
  const judge = (spec: Parameters<typeof ctx>[0], others = [created, deleted], params: Record<string, unknown> = {}) => use_after_free(ctx(spec, { others, params }));
  it("writes other than PATCH may re-create the resource: not judged", () => {
    expect(judge({ id: "put", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200 }).status).toBe("skipped");
    expect(judge({ id: "patch", method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7", status: 200 }).status).toBe("failed");
    expect(judge({ id: "head", method: "HEAD", path: "/pets/{petId}", urlPath: "/pets/7", status: 200 }).status).toBe("failed");
  });
  it("without a DELETE before, after a DELETE of the collection, or of another resource: not judged", () => {
    expect(judge({ id: "read", ...item, status: 200 }, [created]).status).toBe("skipped");
    const clear = record({ id: "delete", method: "DELETE", path: "/pets", status: 204 });
    expect(judge({ id: "read", ...item, status: 200 }, [created, clear]).status).toBe("skipped");
    expect(judge({ id: "read", ...item, urlPath: "/pets/77", status: 200 }).status).toBe("skipped");
  });
  it("a sub-resource of the deleted resource is a use of it; a trailing slash is the same path", () => {
    expect(judge({ id: "read", method: "GET", path: "/pets/{petId}/photos", urlPath: "/pets/7/photos", status: 200 })).toMatchObject({ status: "failed", signature: "GET:2xx" });
    expect(judge({ id: "read", ...item, urlPath: "/pets/7/", status: 200 }).status).toBe("failed");
  });
  it("a redirect serves the deleted resource; another refusal does not", () => {
    expect(judge({ id: "read", ...item, status: 301 })).toMatchObject({ status: "failed", signature: "GET:3xx" });
    expect(judge({ id: "read", ...item, status: 403 }).status).toBe("passed");
  });
  it("a re-creation of a parent path counts; a failed one or a read in between does not", () => {
    const recreate = record({ id: "post", method: "POST", path: "/pets", status: 201 });
    expect(judge({ id: "read", ...item, status: 200 }, [created, deleted, recreate]).status).toBe("skipped");
    const refused = record({ id: "post", method: "POST", path: "/pets", status: 400 });
    expect(judge({ id: "read", ...item, status: 200 }, [created, deleted, refused]).status).toBe("failed");
    const otherPut = record({ id: "put", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/8", status: 201 });
    expect(judge({ id: "read", ...item, status: 200 }, [created, deleted, otherPut]).status).toBe("failed");
    const readBetween = record({ id: "between", ...item, status: 200 });
    expect(judge({ id: "read", ...item, status: 200 }, [created, deleted, readBetween]).status).toBe("failed");
  });
  it("names a cache that served the pre-delete state", () => {
    expect(judge({ id: "read", ...item, status: 200, headers: { age: "30" } }).message).toContain("served from a cache: Age 30");
    expect(judge({ id: "read", ...item, status: 200, headers: { age: "0" } }).message).not.toContain("cache");
    expect(judge({ id: "read", ...item, status: 200, headers: { "x-cache": "HIT from edge" } }).message).toContain("X-Cache HIT from edge");
    expect(judge({ id: "read", ...item, status: 200, headers: { "x-cache": "MISS" } }).message).not.toContain("cache");
  });
  it("a 5xx after a good read is judged against the read of the same path before the DELETE only", () => {
    const readOther = record({ id: "read-before-delete", ...item, urlPath: "/pets/8", status: 200 });
    expect(judge({ id: "read", ...item, status: 500 }, [created, readOther, deleted]).status).toBe("skipped");
    const readAfter = record({ id: "read-after", ...item, status: 200 });
    expect(judge({ id: "read", ...item, status: 500 }, [created, deleted, readAfter]).status).toBe("skipped");
  });
});

describe("isTombstone", () => {
  it("recognises deleted/archived markers under any casing, and nothing else", () => {
    for (const body of [{ is_deleted: true }, { Archived: true }, { removed: true }, { deleted_at: 0 }, { archivedAt: "x" }, { removedAt: 1 }, { deletedOn: "2024" }, { state: "DELETED" }, { lifecycle_state: "pending-deletion" }, { status: "trashed" }]) {
      expect(isTombstone(body)).toBe(true);
    }
    for (const body of [{ deleted: "true" }, { deletedAt: null }, { deletedAt: "" }, { status: "active" }, { status: "undeleted" }, { state: true }, { name: "deleted" }, [{ deleted: true }], "deleted", null]) {
      expect(isTombstone(body)).toBe(false);
    }
  });
});

describe("ensure_resource_availability: which reads address the created resource", () => {
  it("a PUT that created a resource at its own URL is read back at that URL", () => {
    const putCreate = record({ id: "create", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/9", status: 201 });
    const read = (urlPath: string, status: number) => ensure_resource_availability(ctx({ id: "read", ...item, urlPath, pathParams: { petId: 9 }, status }, { others: [putCreate] }));
    expect(read("/pets/9", 410)).toMatchObject({ status: "failed", signature: "410" });
    expect(read("/pets/9/", 404).status).toBe("failed");
    expect(read("/pets/10", 404).status).toBe("skipped");
    const postSamePath = record({ id: "create", method: "POST", path: "/pets", urlPath: "/pets", status: 201 });
    expect(ensure_resource_availability(ctx({ id: "read", method: "GET", path: "/pets", status: 404 }, { others: [postSamePath] })).status).toBe("skipped");
  });
  it("the created id may sit in the query or behind spaces in the template", () => {
    const c = ctx({ id: "read", ...item, status: 404 }, { others: [created] });
    c.step.request.pathParams = {};
    c.step.request.query = { id: "{{ petId }}" };
    expect(ensure_resource_availability(c).status).toBe("failed");
    const dotted = record({ id: "create", method: "POST", path: "/pets", status: 201, extract: { "pet.id": { from: "body", pointer: "/id" } } });
    expect(ensure_resource_availability(ctx({ id: "read", ...item, pathParams: { petId: "{{petXid}}" }, status: 404 }, { others: [dotted] })).status).toBe("skipped");
  });
  it("a redirect answering the create is a success; a delete in between or a queued create is not judged", () => {
    const redirected = record({ id: "create", method: "POST", path: "/pets", status: 303, extract: { petId: { from: "body", pointer: "/id" } } });
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 }, { others: [redirected] })).status).toBe("failed");
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 }, { others: [created, deleted] })).status).toBe("skipped");
    const failedDelete = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 403 });
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 }, { others: [created, failedDelete] })).status).toBe("failed");
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404 })).status).toBe("skipped");
    expect(ensure_resource_availability(ctx({ id: "read", ...item, status: 404, headers: { age: "5" } }, { others: [created] })).message).toContain("Age 5");
  });
});

describe("idempotency: details", () => {
  const put = { method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7" };
  it("without a step to compare with, nothing is judged", () => {
    expect(idempotency(ctx({ id: "put2", ...put, status: 200 })).status).toBe("skipped");
    expect(idempotency(ctx({ id: "put2", ...put, status: 200 }, { params: { compareWith: "nope" } })).status).toBe("skipped");
  });
  it("a repeated DELETE refused otherwise is not judged; DELETEs compared as reads are", () => {
    const del = record({ id: "d1", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });
    const again = (status: number, params: Record<string, unknown> = {}) => idempotency(ctx({ id: "d2", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status }, { others: [del], params: { compareWith: "d1", ...params } })).status;
    expect(again(204)).toBe("passed");
    expect(again(410)).toBe("passed");
    expect(again(400)).toBe("skipped");
    expect(again(404, { mode: "read" })).toBe("failed");
  });
  it("PATCH is judged only with an Idempotency-Key, unless reads are compared", () => {
    const p1 = record({ id: "p1", method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, body: { id: 7, n: 1 } });
    const repeat = (params: Record<string, unknown>) => idempotency(ctx({ id: "p2", method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7", status: 200, body: { id: 7, n: 2 } }, { others: [p1], params: { compareWith: "p1", ...params } }));
    expect(repeat({}).status).toBe("skipped");
    expect(repeat({ mode: "read" }).status).toBe("failed");
  });
  it("bodies that are not JSON are not compared; the message shows both values", () => {
    const text = record({ id: "put1", ...put, status: 200, body: "ok" });
    expect(idempotency(ctx({ id: "put2", ...put, status: 200, body: "ok, again" }, { others: [text], params: { compareWith: "put1" } })).status).toBe("passed");
    const first = record({ id: "put1", ...put, status: 200, body: { id: 7, name: "Rex" } });
    const changed = idempotency(ctx({ id: "put2", ...put, status: 200, body: { id: 7, name: "Rex (1)" } }, { others: [first], params: { compareWith: "put1" } }));
    expect(changed.message).toContain('"Rex" vs "Rex (1)"');
    expect(changed.message).toContain("repeating PUT /pets/{petId} changed the response");
    const whole = idempotency(ctx({ id: "put2", ...put, status: 200, body: [1] }, { others: [first], params: { compareWith: "put1" } }));
    expect(whole).toMatchObject({ status: "failed", signature: "body:/" });
    const long = idempotency(ctx({ id: "put2", ...put, status: 200, body: { id: 7, name: "x".repeat(60) } }, { others: [first], params: { compareWith: "put1" } }));
    expect(long.message).toContain(`"${"x".repeat(38)}…`);
    expect(long.message).not.toContain("x".repeat(40));
  });
  it("firstDifference: arrays of another length, keys only one side has, and volatile key shapes", () => {
    expect(firstDifference([1, 2], [1, 2, 3])).toBe("/");
    expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe("/a");
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe("/b");
    expect(firstDifference({ a: { b: 1 } }, { a: { b: 2 } })).toBe("/a/b");
    expect(firstDifference([{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 2 }])).toBeUndefined();
    expect(firstDifference(1, "1")).toBe("/");
    for (const key of ["created_at", "updatedAt", "modifiedOn", "lastModified", "request-id", "traceId", "x-version", "ETag", "nonce", "expires"]) expect(isVolatileKey(key)).toBe(true);
    for (const key of ["name", "status", "data", "format", "attachment", "atlas", "versioned"]) expect(isVolatileKey(key)).toBe(false);
  });
});

describe("location_header: details", () => {
  const follow = { id: "follow", method: "GET", path: "{{location}}", urlPath: "/pets/7" };
  it("following a Location: nothing to follow, or a status that says nothing", () => {
    const noLocation = record({ id: "create", method: "POST", path: "/pets", status: 201, body: { id: 7 } });
    expect(location_header(ctx({ ...follow, status: 404 }, { others: [noLocation], params: { createStep: "create" } })).status).toBe("skipped");
    expect(location_header(ctx({ ...follow, status: 404 }, { params: { createStep: "create" } })).status).toBe("skipped");
    expect(location_header(ctx({ ...follow, status: 403 }, { others: [created], params: { createStep: "create" } })).status).toBe("skipped");
    expect(location_header(ctx({ ...follow, status: 410 }, { others: [created], params: { createStep: "create" } }))).toMatchObject({ status: "failed", signature: "target:410" });
    expect(location_header(ctx({ ...follow, urlPath: "/pets/7/", status: 404 }, { others: [created], params: { createStep: "create" } })).status).toBe("failed");
    const absolute = record({ id: "create", method: "POST", path: "/pets", status: 201, headers: { location: "http://api.test/pets/7/" } });
    expect(location_header(ctx({ ...follow, status: 404 }, { others: [absolute], params: { createStep: "create" } })).status).toBe("failed");
  });
  it("the Location of a create: judged on success and redirects only", () => {
    const created = (status: number, headers: Record<string, string> = {}) => location_header(ctx({ method: "POST", path: "/pets", status, headers }));
    expect(created(400, { location: "/pets/{id}" }).status).toBe("skipped");
    expect(created(200).status).toBe("skipped");
    expect(created(303, { location: "/pets/{id}" }).status).toBe("failed");
    expect(created(201, { location: "http://[bad" })).toMatchObject({ status: "failed", signature: "malformed" });
    expect(created(201, { location: "/pets/%7Bid%7D" })).toMatchObject({ status: "failed", signature: "unfilled-template" });
    expect(created(201, { location: "/pets/%E0%A4%A" }).status).toBe("passed");
    for (const segment of ["null", "NaN", "None", "nil", "[object%20Object]"]) expect(created(201, { location: `/pets/${segment}` })).toMatchObject({ status: "failed", signature: "placeholder-segment" });
    expect(created(201, { location: "/pets/null/photos" }).status).toBe("failed");
    expect(created(201, { location: "/pets/nullable" }).status).toBe("passed");
    expect(created(201, { location: "/pets/annull" }).status).toBe("passed");
  });
});

describe("stateful_invariant: details", () => {
  const put = { id: "update", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200 };
  const judge = (sent: unknown, body: unknown, params: Record<string, unknown> = {}, others: ReturnType<typeof record>[] = []) =>
    stateful_invariant(ctx({ id: "read", ...item, status: 200, body }, { others: [...others, record({ ...put, requestBody: sent })], params: { expectFrom: "update", ...params } }));
  it("reads the object at params.pointer, and compares only params.fields when given", () => {
    expect(judge({ name: "Max" }, { data: { name: "Max" } }, { pointer: "/data" }).status).toBe("passed");
    expect(judge({ name: "Max" }, { data: { name: "Rex" } }, { pointer: "/data" })).toMatchObject({ status: "failed", signature: "field:name" });
    expect(judge({ name: "Max", tag: "a" }, { name: "Max", tag: "b" }, { fields: ["name"] }).status).toBe("passed");
    expect(judge({ name: "Max", tag: "a" }, { name: "Max", tag: "b" }, { fields: ["name", 3, "tag"] })).toMatchObject({ status: "failed", signature: "field:tag" });
  });
  it("counts further mismatches in the message", () => {
    const result = judge({ name: "Max", tag: "a" }, { name: "Rex", tag: "b" });
    expect(result.message).toContain('set name="Max", GET /pets/{petId} returns "Rex" (+1 more fields)');
    expect(judge({ name: "Max", tag: "a" }, { name: "Rex", tag: "a" }).message).not.toContain("more fields");
    expect(judge({ name: "Max" }, { name: "Max" }).message).toBe("1 updated field(s) read back as sent");
    // a field the spec does not document is compared like any other
    expect(judge({ name: "Max", nickname: "M" }, { name: "Max", nickname: "X" })).toMatchObject({ status: "failed", signature: "field:nickname" });
  });
  it("an update that sent no object says nothing", () => {
    expect(judge(["Max"], { name: "Max" }).status).toBe("skipped");
  });
  it("unchangedFrom: null before, a failed read before, or no names say nothing; several changes are counted", () => {
    const before = (status: number, body: unknown) => record({ id: "before", ...item, status, body });
    const params = { fields: ["name"], unchangedFrom: "before", unchanged: ["tag", "owner"] };
    const after = { name: "Max", tag: "b", owner: { name: "Bob" } };
    const two = judge({ name: "Max" }, after, params, [before(200, { name: "Rex", tag: "a", owner: { name: "Ann" } })]);
    expect(two).toMatchObject({ status: "failed", signature: "unchanged:tag" });
    expect(two.message).toContain('did not send tag, yet GET /pets/{petId} returns "b" where it returned "a" before (+1 more fields)');
    expect(judge({ name: "Max" }, after, params, [before(200, { name: "Rex", tag: null })]).status).toBe("passed");
    expect(judge({ name: "Max" }, after, params, [before(404, { name: "Rex", tag: "a" })]).status).toBe("passed");
    expect(judge({ name: "Max" }, after, params, [before(200, [1])]).status).toBe("passed");
    expect(judge({ name: "Max" }, after, { ...params, unchanged: [] }, [before(200, { tag: "a" })]).status).toBe("passed");
    expect(judge({ name: "Max", tag: "b" }, after, { ...params, unchanged: ["tag"] }, [before(200, { tag: "a" })]).status).toBe("passed");
    // nothing compared, yet a field left out changed: still a finding
    expect(judge({ name: "Max" }, { tag: "b" }, params, [before(200, { tag: "a" })])).toMatchObject({ status: "failed", signature: "unchanged:tag" });
  });
  it("without expectFrom, a schema failure is prefixed as the state after the chain", () => {
    const result = stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: "seven", name: "Max" } }));
    expect(result.message.startsWith("after the chain, ")).toBe(true);
    expect(result.signature?.startsWith("schema:")).toBe(true);
  });
});

describe("sameValue: normalisations", () => {
  it("strings: trimmed, e-mail case, equal instants, date then date-time", () => {
    expect(sameValue(" Max", "Max ")).toBe(true);
    expect(sameValue("Max", "max")).toBe(false);
    expect(sameValue("2024-05-01T10:00:00Z", "2024-05-01T12:00:00+02:00")).toBe(true);
    expect(sameValue("2024-05-01T10:00:00Z", "2024-05-01T10:00:01Z")).toBe(false);
    expect(sameValue("2024-05-01", "2024-05-02T00:00:00Z")).toBe(false);
    expect(sameValue("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Zx")).toBe(false);
  });
  it("numbers and numeric strings, rounding to the decimals returned", () => {
    expect(sameValue(19.99, "19.99")).toBe(true);
    expect(sameValue("7", 7)).toBe(true);
    expect(sameValue(" ", 0)).toBe(false);
    expect(sameValue("seven", 7)).toBe(false);
    expect(sameValue(1.25, 1.3)).toBe(true);
    expect(sameValue(1.2, 1.25)).toBe(false);
    expect(sameValue(20, 19.999)).toBe(false);
    expect(sameValue(16777217, 16777216)).toBe(true);
    expect(sameValue(1000, 1001)).toBe(false);
  });
  it("arrays as multisets, objects by the sent keys", () => {
    expect(sameValue([1, 1, 2], [1, 2, 2])).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue({ a: 1 }, [1])).toBe(false);
    expect(sameValue(["a"], "a")).toBe(false);
    expect(sameValue("ab", ["a", "b"])).toBe(false);
    expect(sameValue(true, "true")).toBe(false);
  });
});

describe("optimistic_concurrency: details", () => {
  const patch = { method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7" };
  const read = (id: string, etag?: string) => record({ id, ...item, status: 200, headers: etag === undefined ? {} : { etag } });
  const update = record({ id: "update", ...patch, status: 200 });
  const params = { updateStep: "update", staleStep: "read-created", freshStep: "read-updated" };
  const judge = (others: ReturnType<typeof record>[], ifMatch = '"v1"', status = 200) => optimistic_concurrency(ctx({ id: "update-stale", ...patch, status, requestHeaders: { "If-Match": ifMatch } }, { others, params }));
  it("needs an ETag before and after the update", () => {
    expect(judge([read("read-created"), update, read("read-updated", '"v2"')]).status).toBe("skipped");
    expect(judge([read("read-created", '"v1"'), update, read("read-updated", " ")]).status).toBe("skipped");
    expect(judge([read("read-created", ' "v1" '), update, read("read-updated", '"v2"')]).status).toBe("failed");
    expect(judge([read("read-created", '"v1"'), update, read("read-updated", '"v2"')], '"v1"', 428).status).toBe("passed");
  });
});

describe("stateful: each verdict's reason, and the guards behind it", () => {
  const put = { method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7" };
  const uaf = (spec: Parameters<typeof ctx>[0], others = [created, deleted], params: Record<string, unknown> = {}) => use_after_free(ctx({ id: "read", ...item, ...spec }, { others, params }));
  it("use_after_free", () => {
    expect(uaf({ method: "PUT", status: 200 })).toEqual({ status: "skipped", message: "PUT may re-create the resource: not a use" });
    expect(uaf({ method: "OPTIONS", status: 200 }).status).toBe("failed");
    expect(uaf({ status: 200 }, [created])).toEqual({ status: "skipped", message: "no DELETE step before this one" });
    expect(uaf({ status: 200 }, [created, record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 403 })])).toEqual({ status: "skipped", message: "the DELETE (delete) did not succeed" });
    const queued = record({ id: "delete", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 202 });
    expect(uaf({ status: 200 }, [created, queued])).toEqual({ status: "skipped", message: "the DELETE was only accepted (202): deletion may be asynchronous" });
    expect(uaf({ status: 200 }, [created, record({ id: "delete", method: "DELETE", path: "/pets", status: 204 })]).message).toBe("the DELETE addressed a collection, not one resource");
    expect(uaf({ urlPath: "/pets/8", status: 200 }).message).toBe("this request does not address the deleted resource");
    expect(uaf({ status: 200 }, [created, deleted, record({ id: "post", method: "POST", path: "/pets", status: 201 })]).message).toBe("the resource was re-created after the DELETE");
    // a second DELETE in between re-creates nothing
    expect(uaf({ status: 200 }, [created, deleted, record({ id: "delete-again", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 })], { deleteStep: "delete" }).status).toBe("failed");
    expect(uaf({ status: 404 })).toEqual({ status: "passed", message: "deleted resource answers 404" });
    expect(uaf({ status: 410 })).toEqual({ status: "passed", message: "deleted resource answers 410" });
    expect(uaf({ status: 200, body: { id: 7, deleted: true } })).toEqual({ status: "passed", message: "deleted resource answers 200 with a tombstone (marked deleted)" });
    expect(uaf({ status: 500 })).toEqual({ status: "skipped", message: "500 is judged by not_a_server_error" });
    expect(uaf({ status: 403 })).toEqual({ status: "passed", message: "deleted resource not served (403)" });
    expect(uaf({ status: 200 }).message).toBe("GET /pets/{petId} answered 200 for a resource deleted by DELETE /pets/{petId} (delete)");
    // the step named by deleteStep wins over the most recent DELETE
    const laterFailed = record({ id: "delete-2", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 403 });
    expect(uaf({ status: 200 }, [created, deleted, laterFailed], { deleteStep: "delete" }).status).toBe("failed");
    // the read before the DELETE must have answered: a step without a response is no good read
    const unanswered = record({ id: "read-before-delete", ...item, status: 200 });
    delete (unanswered.exchange as { response?: unknown }).response;
    expect(uaf({ status: 500 }, [created, unanswered, deleted]).status).toBe("skipped");
  });
  it("the cache hint reads a whole number of seconds in Age and a hit in X-Cache", () => {
    for (const age of ["5s", "x5", "-5"]) expect(uaf({ status: 200, headers: { age } }).message, age).not.toContain("cache");
    expect(uaf({ status: 200, headers: { age: "" } }).message).not.toContain("cache");
    expect(uaf({ status: 200, headers: { age: "5" } }).message).toBe("GET /pets/{petId} answered 200 for a resource deleted by DELETE /pets/{petId} (delete) (served from a cache: Age 5)");
  });
  it("isTombstone: each marker name", () => {
    for (const body of [{ deleted: true }, { isArchived: true }, { isdeleted: true }]) expect(isTombstone(body), JSON.stringify(body)).toBe(true);
    expect(isTombstone({ deletedAt: undefined })).toBe(false);
    expect(isTombstone({ status: ["deleted"] })).toBe(false);
    expect(isTombstone({ status: "deleted-by-admin" })).toBe(false);
    expect(isTombstone({ status: "pendingdeletion" })).toBe(true);
  });
  it("ensure_resource_availability", () => {
    const available = (spec: Parameters<typeof ctx>[0], others = [created], params: Record<string, unknown> = {}) => ensure_resource_availability(ctx({ id: "read", ...item, ...spec }, { others, params }));
    expect(available({ status: 404 }, [])).toEqual({ status: "skipped", message: "no create step before this one" });
    expect(available({ status: 404 }, [record({ id: "create", method: "POST", path: "/pets", status: 400 })])).toEqual({ status: "skipped", message: "the create (create) did not succeed" });
    const queued = record({ id: "create", method: "POST", path: "/pets", status: 202, extract: { petId: { from: "body", pointer: "/id" } } });
    expect(available({ status: 404 }, [queued])).toEqual({ status: "skipped", message: "the create (create) was only accepted (202): creation may be asynchronous" });
    expect(available({ status: 404, pathParams: { petId: 9 } }).message).toBe("this request does not use a value from the create response");
    expect(available({ status: 404 }, [created, deleted]).message).toBe("the resource was deleted in between");
    expect(available({ status: 200 })).toEqual({ status: "passed", message: "created resource is available (200)" });
    expect(available({ status: 403 })).toEqual({ status: "skipped", message: "403 is not about availability" });
    expect(available({ status: 404 }).message).toBe("GET /pets/{petId} answered 404 for the resource just created by POST /pets (201)");
    // only a DELETE in between counts, and the step named by createStep wins
    expect(available({ status: 404 }, [created, record({ id: "put", ...put, status: 200 })]).status).toBe("failed");
    const laterFailed = record({ id: "create-2", method: "POST", path: "/pets", status: 400 });
    expect(available({ status: 404 }, [created, laterFailed], { createStep: "create" }).status).toBe("failed");
    const unanswered = record({ id: "create", method: "POST", path: "/pets", status: 201 });
    delete (unanswered.exchange as { response?: unknown }).response;
    expect(available({ status: 404 }, [unanswered]).message).toBe("the create (create) did not succeed");
  });
  it("idempotency", () => {
    const first = record({ id: "put1", ...put, status: 200, body: { id: 7, name: "Rex" } });
    const again = (spec: Parameters<typeof ctx>[0], others = [first], params: Record<string, unknown> = { compareWith: "put1" }) => idempotency(ctx({ id: "put2", ...put, ...spec }, { others, params }));
    expect(again({ status: 200 }, [], {})).toEqual({ status: "skipped", message: "no response of step (params.compareWith missing) to compare with" });
    expect(again({ status: 200 }, [], { compareWith: "nope" }).message).toBe("no response of step nope to compare with");
    expect(again({ status: 200 }, [record({ id: "put1", ...put, status: 400 })]).message).toBe("the first request (put1) did not succeed (400)");
    expect(again({ method: "POST", path: "/pets", status: 201 }).message).toBe("POST without Idempotency-Key is not idempotent by definition");
    expect(again({ status: 502 }).message).toBe("502 is judged by not_a_server_error");
    const del = record({ id: "put1", method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 204 });
    expect(again({ method: "DELETE", status: 404 }, [del])).toEqual({ status: "passed", message: "repeated DELETE answered 404" });
    expect(again({ method: "DELETE", status: 400 }, [del])).toEqual({ status: "skipped", message: "repeated DELETE answered 400" });
    expect(again({ status: 409 }).message).toBe("409: concurrency control or throttling, not a state change");
    expect(again({ status: 404 }).message).toBe("repeating PUT /pets/{petId} answered 404 where the first answered 200");
    const text = record({ id: "put1", ...put, status: 201, body: "ok" });
    expect(again({ status: 200, body: "ok" }, [text]).message).toBe("both answered 2xx (201, 200); bodies not JSON, not compared");
    // one side JSON, the other not: not compared either
    expect(again({ status: 200, body: "ok" }).status).toBe("passed");
    expect(again({ status: 200, body: { id: 7, name: "Rex" } }, [text]).status).toBe("passed");
    expect(again({ status: 200, body: { id: 7, name: "Rex" } })).toEqual({ status: "passed", message: "same outcome apart from volatile fields" });
    expect(again({ status: 200, body: { id: 7, name: "Max" } }, [record({ id: "put1", ...item, status: 200, body: { id: 7, name: "Rex" } })], { compareWith: "put1", mode: "read" }).message).toBe('reads after repeating the request differ at /name: "Rex" vs "Max"');
    expect(again({ status: 200, body: [2] }, [record({ id: "put1", ...put, status: 200, body: [1] })]).message).toBe("repeating PUT /pets/{petId} changed the response at /0: 1 vs 2");
    expect(again({ status: 200, body: [1, 2] }, [record({ id: "put1", ...put, status: 200, body: [1] })]).message).toBe("repeating PUT /pets/{petId} changed the response at /: [1] vs [1,2]");
    // a value of exactly 40 characters is shown whole
    const forty = "x".repeat(38);
    expect(again({ status: 200, body: { id: 7, name: forty } }).message).toContain(`vs "${forty}"`);
  });
  it("firstDifference: an array against an object, volatile key forms", () => {
    expect(firstDifference([1], { 0: 1 })).toBe("/");
    expect(firstDifference({ 0: 1 }, [1])).toBe("/");
    for (const key of ["at", "time", "date", "rev", "lastmodified", "last_modified", "requestid", "request_id", "traceid", "trace_id", "correlationid", "correlation-id"]) expect(isVolatileKey(key), key).toBe(true);
    for (const key of ["recreated", "quantityOnHand", "DateOfBirth", "lastXmodified", "requestXid", "traceXid", "correlationXid"]) expect(isVolatileKey(key), key).toBe(false);
  });
  it("location_header", () => {
    const follow = { id: "follow", method: "GET", path: "{{location}}", urlPath: "/pets/7" };
    const judge = (spec: Parameters<typeof ctx>[0], others = [created]) => location_header(ctx({ ...follow, ...spec }, { others, params: { createStep: "create" } }));
    expect(judge({ status: 404 }, [])).toEqual({ status: "skipped", message: "step create returned no Location to follow" });
    const unanswered = record({ id: "create", method: "POST", path: "/pets", status: 201 });
    delete (unanswered.exchange as { response?: unknown }).response;
    expect(judge({ status: 404 }, [unanswered]).status).toBe("skipped");
    expect(judge({ status: 404, urlPath: "/pets/8" }).message).toBe("this step does not request the Location target");
    expect(judge({ status: 404, urlPath: "/pets/7//" }).status).toBe("failed");
    expect(judge({ status: 200 })).toEqual({ status: "passed", message: "Location /pets/7 answers 200" });
    expect(judge({ status: 404 }).message).toBe("Location /pets/7 returned by POST /pets answers 404");
    expect(judge({ status: 403 }).message).toBe("403 says nothing about the Location target");
    const own = (status: number, headers: Record<string, string> = {}) => location_header(ctx({ method: "POST", path: "/pets", status, headers }));
    expect(own(400).message).toBe("400: nothing was created");
    expect(own(201)).toEqual({ status: "passed", message: "201 without Location: the request URI identifies the resource (RFC 9110)" });
    expect(own(200)).toEqual({ status: "skipped", message: "no Location header" });
    expect(own(201, { location: "http://[bad" }).message).toBe('POST /pets returned an unparseable Location "http://[bad"');
    expect(own(201, { location: "/pets/{id}" }).message).toBe("POST /pets returned a Location with an unfilled template: /pets/{id}");
    expect(own(201, { location: "/pets/null" }).message).toBe("POST /pets returned a Location with a placeholder segment: /pets/null");
    expect(own(201, { location: "/pets/7" })).toEqual({ status: "passed", message: "Location /pets/7 is a valid URI" });
    // an undecodable path is judged as it is: a placeholder segment in it is still one
    expect(own(201, { location: "/pets/%E0%A4%A/null" }).signature).toBe("placeholder-segment");
  });
  it("stateful_invariant", () => {
    const update = (status: number, requestBody?: unknown) => record({ id: "update", ...put, status, requestBody });
    const judge = (others: ReturnType<typeof record>[], spec: Parameters<typeof ctx>[0] = {}, params: Record<string, unknown> = {}) =>
      stateful_invariant(ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max" }, ...spec }, { others, params: { expectFrom: "update", ...params } }));
    expect(judge([update(400, { name: "Max" })])).toEqual({ status: "skipped", message: "the update (update) did not succeed" });
    expect(judge([update(200, { name: "Max" })], { status: 404 })).toEqual({ status: "skipped", message: "the read answered 404" });
    expect(judge([update(200)])).toEqual({ status: "skipped", message: "the update sent no JSON object" });
    expect(judge([update(200, { name: "Max" })], { body: "Max" })).toEqual({ status: "skipped", message: "the read returned no JSON object to compare" });
    expect(judge([update(200, { nickname: "M" })])).toEqual({ status: "skipped", message: "the read returns none of the updated fields" });
    // fields: only its strings count, and an empty list compares nothing
    expect(judge([update(200, { name: "Rex" })], {}, { fields: [] }).status).toBe("skipped");
    expect(judge([update(200, { name: "Rex" })], {}, { fields: "name" }).status).toBe("failed");
    // the JSON media type of the update's body documents which fields are readOnly
    const c = ctx({ id: "read", ...item, status: 200, body: { id: 7, name: "Max" } }, { others: [update(200, { id: 99, name: "Max" })], params: { expectFrom: "update" } });
    const updateRecord = c.steps.update;
    c.steps.update = { ...updateRecord, operation: { ...updateRecord.operation!, requestBody: { required: true, content: [{ contentType: "text/plain", schema: { type: "string" } }, ...updateRecord.operation!.requestBody!.content] } } };
    expect(stateful_invariant(c).status).toBe("passed");
    c.steps.update = { ...updateRecord, operation: { ...updateRecord.operation!, requestBody: undefined } };
    expect(stateful_invariant(c).status).toBe("failed");
    // unchanged: only its strings count; a single change has no count
    const before = record({ id: "before", ...item, status: 200, body: { id: 7, name: "Max", tag: "a" } });
    const changed = judge([before, update(200, { name: "Max" })], { body: { id: 7, name: "Max", tag: "b" } }, { unchangedFrom: "before", unchanged: ["tag"] });
    expect(changed.message).toBe('PUT /pets/{petId} (update) did not send tag, yet GET /pets/{petId} returns "b" where it returned "a" before');
    expect(judge([before, update(200, { name: "Max" })], { body: { id: 7, name: "Max", tag: "b" } }, { unchangedFrom: "before", unchanged: "tag" }).status).toBe("passed");
    expect(judge([update(200, { name: "Rex" })]).message).toBe('after PUT /pets/{petId} (update) set name="Rex", GET /pets/{petId} returns "Max"');
  });
  it("sameValue: the exact forms each normalisation accepts", () => {
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue("a@b.test", "c@d.test")).toBe(false);
    expect(sameValue("2024-01-02", "2024-01-02T10:00:00Z")).toBe(true);
    expect(sameValue("2024-01-02", "2024-01-03")).toBe(false);
    expect(sameValue("2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z and more")).toBe(false);
    expect(sameValue("2024-01-02", "2024-01-02 and more")).toBe(false);
    expect(sameValue("2024-01-02T10:00:00", "2024-01-02T10:00:00.000")).toBe(true);
    expect(sameValue("2024-01-02T10:00:00+0100", "2024-01-02T09:00:00Z")).toBe(true);
    expect(sameValue(19.999, 19.5)).toBe(false);
    for (const [sent, got] of [[5, [5]], ["5", [5]], [[5], "5"], [[5], 5]]) expect(sameValue(sent, got), JSON.stringify([sent, got])).toBe(false);
  });
  it("optimistic_concurrency", () => {
    const patch = { method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/7" };
    const read = (id: string, etag?: string) => record({ id, ...item, status: 200, headers: etag === undefined ? {} : { etag } });
    const steps = [read("read-created", '"v1"'), record({ id: "update", ...patch, status: 200 }), read("read-updated", '"v2"')];
    const params = { updateStep: "update", staleStep: "read-created", freshStep: "read-updated" };
    const judge = (status: number, others = steps, ifMatch = '"v1"', p: Record<string, unknown> = params) => optimistic_concurrency(ctx({ id: "update-stale", ...patch, status, requestHeaders: { "If-Match": ifMatch } }, { others, params: p }));
    expect(judge(200, steps, '"v1"', {})).toEqual({ status: "skipped", message: "the first update (params.updateStep missing) did not succeed" });
    expect(judge(200, [steps[0], record({ id: "update", ...patch, status: 400 }), steps[2]]).message).toBe("the first update (update) did not succeed");
    expect(judge(200, [steps[0], steps[1]]).message).toBe("no ETag before and after the update to compare");
    expect(judge(200, [steps[1], steps[2]]).status).toBe("skipped");
    expect(judge(200, [steps[0], steps[1], read("read-updated", '"v1"')]).message).toBe('the ETag did not change with the update ("v1") and no field it set reads back changed: the old one is not stale');
    expect(judge(200, steps, '"v2"').message).toBe("this request does not carry the outdated ETag in If-Match");
    expect(judge(503).message).toBe("503 is judged by not_a_server_error");
    expect(judge(412)).toEqual({ status: "passed", message: "a write with the outdated ETag was refused (412)" });
    expect(judge(409)).toEqual({ status: "passed", message: "a write with the outdated ETag was refused (409)" });
    expect(judge(200).message).toBe('PATCH /pets/{petId} accepted If-Match "v1" (200) although update had already changed the resource (ETag now "v2"): concurrent writers overwrite each other');
    // a read that failed has no ETag to compare
    expect(judge(200, [record({ id: "read-created", ...item, status: 404, headers: { etag: '"v1"' } }), steps[1], steps[2]]).status).toBe("skipped");
  });
});

describe("idempotency: Idempotency-Key replays", () => {
  const key = { "Idempotency-Key": "sentinel-k1" };
  const body = { data: { type: "tickets", attributes: { quantity: 2 } } };
  const buy = { method: "POST", path: "/events/{eventId}/tickets", urlPath: "/events/5/tickets", requestBody: body };
  const first = record({ id: "keyed", ...buy, requestHeaders: key, status: 201, body: { data: { id: "11", attributes: { quantity: 2, created_at: "a" } } }, headers: { location: "/tickets/11" } });
  const replay = (spec: Record<string, unknown>, params: Record<string, unknown> = {}) => idempotency(ctx({ id: "keyed-replay", ...buy, requestHeaders: key, status: 201, ...spec }, { others: [first], params: { compareWith: "keyed", ...params } }));

  it("a second resource (another id or Location) fails; the same one with other members passes", () => {
    expect(replay({ body: { data: { id: "12", attributes: { quantity: 2 } } }, headers: { location: "/tickets/12" } })).toMatchObject({ status: "failed", signature: "key:location" });
    expect(replay({ body: { data: { id: "12", attributes: { quantity: 2 } } } })).toMatchObject({ status: "failed", signature: "key:/data/id" });
    expect(replay({ body: { data: { id: "12" } } }, { idPointer: "/data/id" })).toMatchObject({ status: "failed" });
    // a replay flag, another timestamp, 200 instead of 201: the same resource
    expect(replay({ status: 200, body: { data: { id: "11", attributes: { quantity: 2, created_at: "b" } }, replayed: true }, headers: { location: "/tickets/11" } }).status).toBe("passed");
    // X-Idempotency-Key counts the same
    const x = { "X-Idempotency-Key": "k2" };
    const xFirst = record({ id: "keyed", ...buy, requestHeaders: x, status: 201, body: { id: 1 } });
    expect(idempotency(ctx({ id: "keyed-replay", ...buy, requestHeaders: x, status: 201, body: { id: 2 } }, { others: [xFirst], params: { compareWith: "keyed" } })).status).toBe("failed");
  });

  it("not a replay when the key or the body differ (a re-rolled unique field); a refusal of the retry fails", () => {
    expect(replay({ requestHeaders: { "Idempotency-Key": "other" }, body: { data: { id: "12" } } }).status).toBe("skipped");
    expect(replay({ requestBody: { data: { type: "tickets", attributes: { quantity: 3 } } }, body: { data: { id: "12" } } }).status).toBe("skipped");
    expect(replay({ status: 409 }).status).toBe("skipped");
    expect(replay({ status: 422 })).toMatchObject({ status: "failed", signature: "status:201->4xx" });
  });
});

describe("stateful_invariant: members inside objects", () => {
  const put = { method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7" };
  const sent = { data: { type: "pets", attributes: { name: "Rex", age: 4, createdAt: "a" } } };
  const update = record({ id: "update", ...put, status: 200, requestBody: sent });
  const fields = ["/data/type", "/data/attributes/name", "/data/attributes/age", "/data/attributes/createdAt"];
  const readBack = (attributes: Record<string, unknown>) => stateful_invariant(ctx({ id: "read-updated", ...item, status: 200, body: { data: { id: "7", type: "pets", attributes } } }, { others: [update], params: { expectFrom: "update", fields } }));

  it("a nested write lost on read-back fails, named by its pointer; as sent (or normalised) passes", () => {
    expect(readBack({ name: "Rex", age: 3, createdAt: "a" })).toMatchObject({ status: "failed", signature: "field:/data/attributes/age", message: expect.stringContaining("/data/attributes/age=4") });
    expect(readBack({ name: " Rex ", age: 4, createdAt: "b" }).status).toBe("passed");
    // the read leaves the member out: not compared
    expect(readBack({ name: "Rex" }).status).toBe("passed");
  });
});
