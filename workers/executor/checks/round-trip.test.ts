import { describe, expect, it } from "vitest";
import { round_trip } from "./round-trip";
import { ctx, record } from "./test-support";

const item = { path: "/pets/{petId}", urlPath: "/pets/7", pathParams: { petId: "{{petId}}" } };
const readBefore = record({ id: "read-before", method: "GET", ...item, status: 200, body: { id: 7, name: "Rex", tag: "a&b", updatedAt: "2024-01-01T00:00:00Z" }, headers: { etag: '"v1"' } });
/** a PUT of the read's representation (the spec's Pet requires a password, which a read never returns: one is added) */
const put = (status: number, requestHeaders: Record<string, string> = {}, requestBody: unknown = { name: "Rex", tag: "a&b", password: "pw" }) =>
  record({ id: "send-back-put", method: "PUT", ...item, status, requestBody, requestHeaders, body: status < 300 ? { id: 7, name: "Rex" } : { message: "checksum mismatch" } });

describe("round_trip", () => {
  it("fails when the server refuses its own unchanged representation", () => {
    for (const status of [400, 409, 422]) {
      expect(round_trip(ctx(put(status), { others: [readBefore], params: { readStep: "read-before" } }))).toMatchObject({ status: "failed", signature: `refused:${status}` });
    }
    // 412 only when the precondition was the read's own ETag
    expect(round_trip(ctx(put(412, { "If-Match": '"v1"' }), { others: [readBefore], params: { readStep: "read-before" } })).status).toBe("failed");
    expect(round_trip(ctx(put(412), { others: [readBefore], params: { readStep: "read-before" } })).status).toBe("skipped");
  });
  it("passes on 2xx; no verdict on auth, missing resources, 428, 5xx, or a failed read", () => {
    expect(round_trip(ctx(put(200), { others: [readBefore], params: { readStep: "read-before" } })).status).toBe("passed");
    for (const status of [401, 403, 404, 428, 500]) expect(round_trip(ctx(put(status), { others: [readBefore], params: { readStep: "read-before" } })).status).toBe("skipped");
    const failedRead = record({ id: "read-before", method: "GET", ...item, status: 404 });
    expect(round_trip(ctx(put(409), { others: [failedRead], params: { readStep: "read-before" } })).status).toBe("skipped");
  });
  it("a representation the write schema does not admit may be refused: no verdict", () => {
    // Pet requires the writeOnly password, which no read returns
    const incomplete = put(400, {}, { name: "Rex" });
    const result = round_trip(ctx(incomplete, { others: [readBefore], params: { readStep: "read-before" } }));
    expect(result.status).toBe("skipped");
    expect(result.message).toContain("not a valid request body");
  });
  it("on the read after the write: a field sent back unchanged must read back as before, volatile ones aside", () => {
    const after = (body: unknown) => record({ id: "read-after-put", method: "GET", ...item, status: 200, body });
    const params = { readStep: "read-before", writeStep: "send-back-put" };
    const changed = round_trip(ctx(after({ id: 7, name: "Rex", tag: "a&amp;b" }), { others: [readBefore, put(200)], params }));
    expect(changed).toMatchObject({ status: "failed", signature: "changed:tag" });
    expect(changed.message).toContain("a&amp;b");
    expect(round_trip(ctx(after({ id: 7, name: "Rex", tag: "a&b", updatedAt: "2025-01-01T00:00:00Z" }), { others: [readBefore, put(200)], params })).status).toBe("passed");
    // a token renewed by the write (checksum, version) is no change
    const sentChecksum = put(200, {}, { name: "Rex", checksum: "c1", version: 1, password: "pw" });
    const before = record({ id: "read-before", method: "GET", ...item, status: 200, body: { id: 7, name: "Rex", checksum: "c1", version: 1 } });
    expect(round_trip(ctx(after({ id: 7, name: "Rex", checksum: "c2", version: 2 }), { others: [before, sentChecksum], params })).status).toBe("passed");
    // the write was refused: nothing to compare
    expect(round_trip(ctx(after({ id: 7, name: "Other" }), { others: [readBefore, put(409)], params })).status).toBe("skipped");
  });
});

describe("round_trip: details", () => {
  const params = { readStep: "read-before" };
  it("no read, no object sent, no JSON body documented: no verdict", () => {
    expect(round_trip(ctx(put(400))).message).toContain("params.readStep missing");
    expect(round_trip(ctx(put(400), { others: [readBefore], params: { readStep: "other" } })).status).toBe("skipped");
    expect(round_trip(ctx(put(400, {}, ["Rex"]), { others: [readBefore], params })).status).toBe("skipped");
    const patchJson = record({ id: "patch", method: "DELETE", ...item, status: 400, requestBody: { name: "Rex" } });
    expect(round_trip(ctx(patchJson, { others: [readBefore], params })).message).toContain("documents no JSON body");
  });
  it("a json-patch body is not a representation", () => {
    const c = ctx(put(400), { others: [readBefore], params });
    const op = structuredClone(c.operation!);
    op.requestBody!.content = [{ contentType: "application/json-patch+json", schema: { type: "array" } }, ...op.requestBody!.content.map((m) => ({ ...m, contentType: "Application/JSON" }))];
    expect(round_trip({ ...c, operation: op }).status).toBe("failed");
    op.requestBody!.content = op.requestBody!.content.slice(0, 1);
    expect(round_trip({ ...c, operation: op }).status).toBe("skipped");
  });
  it("the refusal names the write, the read and the body; 412 with another ETag or a read without one is no verdict", () => {
    const refused = round_trip(ctx(put(422), { others: [readBefore], params }));
    expect(refused.message).toBe('PUT /pets/{petId} refused the resource\'s own unchanged representation (read by read-before, every field and produced value sent back as returned) with 422: {"message":"checksum mismatch"}');
    expect(round_trip(ctx(put(412, { "If-Match": '"v0"' }), { others: [readBefore], params })).status).toBe("skipped");
    const noEtag = record({ id: "read-before", method: "GET", ...item, status: 200, body: { id: 7, name: "Rex" } });
    expect(round_trip(ctx(put(412, { "If-Match": '"v1"' }), { others: [noEtag], params })).status).toBe("skipped");
    expect(round_trip(ctx(put(410), { others: [readBefore], params })).status).toBe("skipped");
  });
  it("on the read after: fields the read did not return before, a failed read, non-objects and several changes", () => {
    const after = (body: unknown, status = 200) => record({ id: "read-after-put", method: "GET", ...item, status, body });
    const both = { readStep: "read-before", writeStep: "send-back-put" };
    expect(round_trip(ctx(after({ id: 7, name: "Rex", tag: "a&b", password: "other" }), { others: [readBefore, put(200)], params: both })).status).toBe("passed");
    expect(round_trip(ctx(after({ id: 7, name: "Max" }, 404), { others: [readBefore, put(200)], params: both })).status).toBe("skipped");
    expect(round_trip(ctx(after([1]), { others: [readBefore, put(200)], params: both })).status).toBe("skipped");
    expect(round_trip(ctx(after({ id: 7 }), { others: [readBefore, put(200, {}, ["Rex"])], params: both })).status).toBe("skipped");
    expect(round_trip(ctx(after({ id: 7, name: "Rex" }), { others: [readBefore], params: both })).status).toBe("skipped");
    const two = round_trip(ctx(after({ id: 7, name: "Max", tag: "x" }), { others: [readBefore, put(200)], params: both }));
    expect(two).toMatchObject({ status: "failed", signature: "changed:name" });
    expect(two.message).toBe('PUT /pets/{petId} sent back name="Rex" unchanged (send-back-put), yet GET /pets/{petId} now returns "Max" (+1 more fields)');
    expect(round_trip(ctx(after({ id: 7, name: "Max", tag: "a&b" }), { others: [readBefore, put(200)], params: both })).message).not.toContain("more fields");
    const tokens = put(200, {}, { name: "Rex", seq: 1, lockId: "l1", password: "pw" });
    const beforeTokens = record({ id: "read-before", method: "GET", ...item, status: 200, body: { id: 7, name: "Rex", seq: 1, lockId: "l1", sequel: "a" } });
    expect(round_trip(ctx(after({ id: 7, name: "Rex", seq: 2, lockId: "l2" }), { others: [beforeTokens, tokens], params: both })).status).toBe("passed");
    const sequel = put(200, {}, { name: "Rex", sequel: "a", password: "pw" });
    expect(round_trip(ctx(after({ id: 7, name: "Rex", sequel: "b" }), { others: [beforeTokens, sequel], params: both })).status).toBe("failed");
  });
});

describe("round_trip: the reasons it gives", () => {
  const params = { readStep: "read-before" };
  it("says which part of the representation the write schema refuses, and quotes the refusal on one line", () => {
    const incomplete = round_trip(ctx(put(400, {}, { name: "Rex" }), { others: [readBefore], params }));
    expect(incomplete.message).toMatch(/not a valid request body \(\/: .*password.*\): a refusal is no verdict$/);
    const nested = round_trip(ctx(put(400, {}, { name: 5, password: "pw" }), { others: [readBefore], params }));
    expect(nested.message).toContain("not a valid request body (/name: ");
    const spaced = record({ id: "send-back-put", method: "PUT", ...item, status: 422, requestBody: { name: "Rex", password: "pw" }, body: "checksum\n   mismatch" });
    expect(round_trip(ctx(spaced, { others: [readBefore], params })).message).toMatch(/with 422: checksum mismatch$/);
  });
  it("412 from a read without an ETag and a write without If-Match: not about the representation", () => {
    const noEtag = record({ id: "read-before", method: "GET", ...item, status: 200, body: { id: 7, name: "Rex" } });
    expect(round_trip(ctx(put(412), { others: [noEtag], params })).status).toBe("skipped");
  });
});

describe("round_trip: the reason of each verdict", () => {
  const judge = (write: ReturnType<typeof record>) => round_trip(ctx(write, { others: [readBefore], params: { readStep: "read-before" } })).message;
  it("on the write", () => {
    expect(judge(put(500))).toBe("500 is judged by not_a_server_error");
    expect(judge(put(200))).toBe("its own representation was accepted (200)");
    expect(judge(put(401))).toBe("401 is not about the representation");
    expect(judge(put(412))).toBe("412 without the read's ETag in If-Match: not about the representation");
  });
  it("on the read after the write", () => {
    const after = (status: number, body: unknown) => record({ id: "read-after", method: "GET", ...item, status, body });
    const readBack = (write: ReturnType<typeof record>, read: ReturnType<typeof record>) => round_trip(ctx(read, { others: [readBefore, write], params: { readStep: "read-before", writeStep: "send-back-put" } })).message;
    expect(readBack(put(409), after(200, { id: 7, name: "Rex" }))).toBe("the write (send-back-put) did not succeed");
    expect(readBack(put(200), after(404, { message: "gone" }))).toBe("the read answered 404");
    expect(readBack(put(200), after(200, "Rex"))).toBe("no JSON objects to compare");
    expect(readBack(put(200), after(200, { id: 7, name: "Rex", tag: "a&b" }))).toBe("3 field(s) sent back read back unchanged");
  });
});

describe("round_trip: a representation sent back inside an envelope", () => {
  const doc = (attributes: Record<string, unknown>) => ({ data: { id: "7", type: "pets", attributes, links: { self: "/pets/7" } } });
  const before = record({ id: "read-before", method: "GET", ...item, status: 200, body: doc({ name: "Rex", tiers: [{ name: "a", updatedAt: "2024-01-01T00:00:00Z" }], updatedAt: "2024-01-01T00:00:00Z" }) });
  const sent = { data: { type: "pets", attributes: { name: "Rex", tiers: [{ name: "a" }] } } };
  const write = record({ id: "send-back-put", method: "PUT", ...item, status: 200, requestBody: sent, body: {} });
  const params = { readStep: "read-before", writeStep: "send-back-put" };
  const judge = (attributes: Record<string, unknown>) => round_trip(ctx(record({ id: "read-after-put", method: "GET", ...item, status: 200, body: doc(attributes) }), { others: [before, write], params }));
  it("compares member by member as deep as sent: a timestamp beside them is no change, a member sent that drifts is", () => {
    expect(judge({ name: "Rex", tiers: [{ name: "a", updatedAt: "2025-01-01T00:00:00Z" }], updatedAt: "2025-01-01T00:00:00Z" }).status).toBe("passed");
    expect(judge({ name: "Max", tiers: [{ name: "a" }], updatedAt: "2025-01-01T00:00:00Z" })).toMatchObject({ status: "failed", signature: "changed:data.attributes.name" });
    expect(judge({ name: "Rex", tiers: [{ name: "b" }] })).toMatchObject({ status: "failed", signature: "changed:data.attributes.tiers.0.name" });
    expect(judge({ name: "Rex", tiers: [] })).toMatchObject({ status: "failed", signature: "changed:data.attributes.tiers" });
  });
});

