import { describe, expect, it } from "vitest";
import type { Operation } from "../../model";
import {
  credentialLocations,
  deepEqual,
  findResponseSpec,
  getByPointer,
  grantsCredentials,
  header,
  isClientError,
  isJsonMediaType,
  isRedirect,
  isServerError,
  isSuccess,
  jsonValue,
  listingExtent,
  listingTotal,
  listResults,
  mediaTypeMatches,
  isHandedOutPath,
  objectShape,
  operationAddressed,
  operationsOnPath,
  paramNumber,
  paramString,
  parseMediaType,
  previousStep,
  recordIdentity,
  requiresAuth,
  responseJson,
  responseSchemaFor,
  resultsKey,
  statusKeyMatches,
  stepRecord,
  stepsBetween,
  truncate,
} from "./support";
import { ctx, model, record } from "./test-support";

const op = (responses: Operation["responses"], security: Operation["security"] = []): Operation => ({ operationId: "x", method: "get", path: "/x", tags: [], deprecated: false, parameters: [], security, pointer: "#/paths/~1x/get", responses });
const response = (status: string, contentTypes: string[] = []) => ({ status, content: contentTypes.map((contentType) => ({ contentType, schema: { title: contentType } })), headers: [], links: [] });

describe("the operation a handed-out URL addresses", () => {
  const withPaths = (...paths: string[]) => ({ ...model, operations: paths.map((path, i) => ({ ...op([]), operationId: `op${i}`, path })) });
  it("matches the URL's path below the target's base path against the templates of the method", () => {
    const m = withPaths("/tokens", "/tokens/{token}", "/tokens/validate", "/files/{name}.json");
    expect(operationAddressed(m, "GET", "http://api.test/v1/tokens/d088b3b5", "http://api.test/v1")?.path).toBe("/tokens/{token}");
    expect(operationAddressed(m, "get", "http://api.test/v1/tokens/", "http://api.test/v1/")?.path).toBe("/tokens");
    // a literal segment wins over a template that also fits
    expect(operationAddressed(m, "get", "http://api.test/v1/tokens/validate", "http://api.test/v1")?.path).toBe("/tokens/validate");
    expect(operationAddressed(m, "get", "http://api.test/v1/files/a%20b.json", "http://api.test/v1")?.path).toBe("/files/{name}.json");
    expect(operationAddressed(m, "get", "http://api.test/v1/files/a.xml", "http://api.test/v1")).toBeUndefined();
  });
  it("addresses nothing on another origin, outside the base path, with another method or segment count", () => {
    const m = withPaths("/tokens/{token}");
    expect(operationAddressed(m, "get", "http://elsewhere.test/v1/tokens/1", "http://api.test/v1")).toBeUndefined();
    expect(operationAddressed(m, "get", "http://api.test/v2/tokens/1", "http://api.test/v1")).toBeUndefined();
    expect(operationAddressed(m, "delete", "http://api.test/v1/tokens/1", "http://api.test/v1")).toBeUndefined();
    expect(operationAddressed(m, "get", "http://api.test/v1/tokens/1/owner", "http://api.test/v1")).toBeUndefined();
  });
  it("knows a step path that is a whole handed-out URL from a spec path", () => {
    expect(isHandedOutPath("{{location}}")).toBe(true);
    expect(isHandedOutPath("/pets/{{petId}}")).toBe(false);
    expect(isHandedOutPath("/pets/{petId}")).toBe(false);
  });
});

describe("statuses", () => {
  it("classes are half-open ranges", () => {
    expect([199, 200, 299, 300].map(isSuccess)).toEqual([false, true, true, false]);
    expect([299, 300, 399, 400].map(isRedirect)).toEqual([false, true, true, false]);
    expect([399, 400, 499, 500].map(isClientError)).toEqual([false, true, true, false]);
    expect([499, 500, 599, 600].map(isServerError)).toEqual([false, true, true, false]);
  });
  it("documented status keys: exact codes and ranges, never default", () => {
    expect(statusKeyMatches("404", 404)).toBe(true);
    expect(statusKeyMatches(" 4xx ", 404)).toBe(true);
    expect(statusKeyMatches("4X4", 404)).toBe(true);
    expect(statusKeyMatches("4XX", 504)).toBe(false);
    expect(statusKeyMatches("40", 40)).toBe(false);
    expect(statusKeyMatches("6XX", 600)).toBe(false);
    expect(statusKeyMatches("default", 404)).toBe(false);
  });
  it("the response for a status: exact first, then its range, then default", () => {
    const operation = op([response("default"), response("4XX"), response(" 404 ")]);
    expect(findResponseSpec(operation, 404)?.status).toBe(" 404 ");
    expect(findResponseSpec(operation, 400)?.status).toBe("4XX");
    expect(findResponseSpec(operation, 500)?.status).toBe("default");
    expect(findResponseSpec(op([response("DEFAULT")]), 200)?.status).toBe("DEFAULT");
    expect(findResponseSpec(op([response("2XX")]), 404)).toBeUndefined();
  });
});

describe("headers and media types", () => {
  it("header lookup ignores case", () => {
    expect(header({ "Content-Type": "a", "x-b": "b" }, "content-type")).toBe("a");
    expect(header({ "x-b": "b" }, "X-B")).toBe("b");
    expect(header({ "x-b": "b" }, "x-c")).toBeUndefined();
  });
  it("parses type/subtype, without parameters, and refuses what is not a media type", () => {
    expect(parseMediaType(" Application/JSON ; charset=utf-8")).toEqual({ type: "application", subtype: "json" });
    for (const bad of ["json", "a/b/c", "/json", "application/", "appli cation/json", "application/js on"]) expect(parseMediaType(bad), bad).toBeUndefined();
  });
  it("matches documented wildcards and JSON suffixes", () => {
    expect(mediaTypeMatches("*/*", "text/html")).toBe(true);
    expect(mediaTypeMatches("application/*", "application/xml")).toBe(true);
    expect(mediaTypeMatches("application/*", "text/xml")).toBe(false);
    expect(mediaTypeMatches("application/json", "application/xml")).toBe(false);
    expect(mediaTypeMatches("text/json", "application/json")).toBe(false);
    expect(mediaTypeMatches("bad", "application/json")).toBe(false);
    expect(mediaTypeMatches("application/json", "bad")).toBe(false);
    for (const json of ["application/json", "application/problem+json", "text/json"]) expect(isJsonMediaType(json), json).toBe(true);
    for (const other of ["text/plain", "application/jsonl", "application/xml", "json", "text/html+xml"]) expect(isJsonMediaType(other), other).toBe(false);
  });
});

describe("JSON", () => {
  it("a response's JSON, or undefined; an empty body is not JSON", () => {
    const r = record({ body: { a: 1 } }).exchange.response!;
    expect(jsonValue(r)).toEqual({ a: 1 });
    expect(jsonValue(undefined)).toBeUndefined();
    expect(jsonValue({ ...r, body: "{oops" })).toBeUndefined();
    expect(responseJson({ ...r, body: "  " })).toEqual({ ok: false, error: "empty body" });
    expect(responseJson({ ...r, body: "nope" }).ok).toBe(false);
    expect(jsonValue({ ...r, body: "null" })).toBeNull();
  });
  it("RFC 6901 pointers: escapes, array indexes, fragments, absent members", () => {
    const doc = { "a/b": { "c~d": [10, 20] }, list: [{ id: 1 }], x: null };
    expect(getByPointer(doc, "")).toBe(doc);
    expect(getByPointer(doc, "#")).toBe(doc);
    expect(getByPointer(doc, "/a~1b/c~0d/1")).toBe(20);
    expect(getByPointer(doc, "#/a~1b/c~0d/0")).toBe(10);
    expect(getByPointer(doc, "#/a%7E1b")).toEqual({ "c~d": [10, 20] });
    expect(getByPointer(doc, "list/0/id")).toBe(1);
    expect(getByPointer(doc, "/list/first")).toBeUndefined();
    expect(getByPointer(doc, "/list/-1")).toBeUndefined();
    expect(getByPointer(doc, "/missing")).toBeUndefined();
    expect(getByPointer(doc, "/toString")).toBeUndefined();
    expect(getByPointer(doc, "/x/y")).toBeUndefined();
    expect(getByPointer(doc, "/x")).toBeNull();
  });
  it("deepEqual compares values, arrays in order, objects by keys", () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([1], [1, 2])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(deepEqual({ 0: 1 }, [1])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual({}, null)).toBe(false);
    expect(deepEqual(1, "1")).toBe(false);
    expect(deepEqual(NaN, NaN)).toBe(false);
  });
});

describe("objectShape", () => {
  it("merges the properties of every branch, follows $ref, and says whether other names are allowed", () => {
    const shape = objectShape(model, { allOf: [{ $ref: "#/components/schemas/Owner" }, { properties: { age: { type: "integer" } } }] });
    expect(Object.keys(shape.properties).sort()).toEqual(["age", "homepage", "name"]);
    expect(shape).toMatchObject({ closed: true, open: false });
    expect(objectShape(model, { anyOf: [{ $ref: "#/components/schemas/Owner" }] }).closed).toBe(false);
    expect(objectShape(model, { unevaluatedProperties: false }).closed).toBe(true);
    expect(objectShape(model, { additionalProperties: { type: "string" } })).toMatchObject({ open: true, closed: false });
    expect(objectShape(model, { additionalProperties: true }).open).toBe(false);
    expect(objectShape(model, { patternProperties: { "^x-": {} } }).open).toBe(true);
    expect(objectShape(model, { patternProperties: {} }).open).toBe(false);
    expect(objectShape(model, { additionalProperties: false, patternProperties: { "^x-": {} } })).toMatchObject({ open: true, closed: false });
    expect(objectShape(model, { oneOf: [{ additionalProperties: {} }] }).open).toBe(true);
    expect(objectShape(model, undefined).open).toBe(true);
    expect(objectShape(model, false as never).open).toBe(false);
  });
  it("a property two branches declare differently admits both schemas", () => {
    const a = { type: "string" };
    const b = { type: "integer" };
    expect(objectShape(model, { allOf: [{ properties: { v: a } }, { properties: { v: b } }] }).properties.v).toEqual({ allOf: [a, b] });
    expect(objectShape(model, { oneOf: [{ properties: { v: a } }, { properties: { v: b } }] }).properties.v).toEqual({ anyOf: [a, b] });
    expect(objectShape(model, { anyOf: [{ properties: { v: a } }, { properties: { v: a } }] }).properties.v).toBe(a);
  });
  it("stops at a self-referencing depth", () => {
    const deep: Record<string, unknown> = { properties: { leaf: {} } };
    let schema: Record<string, unknown> = deep;
    for (let i = 0; i < 25; i++) schema = { allOf: [schema] };
    expect(objectShape(model, schema as never).properties).toEqual({});
    let shallow: Record<string, unknown> = deep;
    for (let i = 0; i < 20; i++) shallow = { allOf: [shallow] };
    expect(Object.keys(objectShape(model, shallow as never).properties)).toEqual(["leaf"]);
  });
  it("the schema of a response: the media type received, else the only one, else the JSON one", () => {
    const r = (contentType?: string) => ({ ...record({ status: 200 }).exchange.response!, headers: contentType ? { "content-type": contentType } : ({} as Record<string, string>) });
    const two = op([response("200", ["text/csv", "application/json"])]);
    expect(responseSchemaFor(two, r("text/csv")).contentType).toBe("text/csv");
    expect(responseSchemaFor(two, r()).contentType).toBe("application/json");
    expect(responseSchemaFor(two, r("text/html")).contentType).toBe("application/json");
    expect(responseSchemaFor(op([response("200", ["text/csv"])]), r("text/html")).schema).toEqual({ title: "text/csv" });
    expect(responseSchemaFor(op([response("201", ["text/csv"])]), r())).toEqual({});
  });
});

describe("steps, params and security", () => {
  const a = record({ id: "a", method: "POST" });
  const b = record({ id: "b", method: "GET" });
  const c = record({ id: "c", method: "POST" });
  it("the most recent matching step before the current one, and the steps in between", () => {
    const context = ctx({ id: "d", method: "GET" }, { others: [a, b, c] });
    expect(previousStep(context, (r) => r.request.method === "POST")?.step.id).toBe("c");
    expect(previousStep(context, (r) => r.request.method === "GET")?.step.id).toBe("b");
    expect(previousStep(context, (r) => r.request.method === "PUT")).toBeUndefined();
    expect(stepsBetween(context, "a").map((r) => r.step.id)).toEqual(["b", "c"]);
    expect(stepsBetween(context, "c")).toEqual([]);
    expect(stepsBetween(context, "z")).toEqual([]);
    // a step that is not in the order looks at every executed step
    const outside = { ...context, step: { ...context.step, id: "elsewhere" } };
    expect(previousStep(outside, (r) => r.request.method === "GET")?.step.id).toBe("d");
    expect(stepsBetween(outside, "a")).toEqual([]);
  });
  it("numeric params must be finite numbers", () => {
    expect(paramNumber(ctx({}, { params: { n: 5 } }), "n")).toBe(5);
    expect(paramNumber(ctx({}, { params: { n: "5" } }), "n")).toBeUndefined();
    expect(paramNumber(ctx({}, { params: { n: Infinity } }), "n")).toBeUndefined();
  });
  it("secured means a requirement and no anonymous alternative", () => {
    expect(requiresAuth(op([], [{ bearer: [] }]))).toBe(true);
    expect(requiresAuth(op([], [{}, { bearer: [] }]))).toBe(false);
    expect(requiresAuth(op([], []))).toBe(false);
    expect(requiresAuth(undefined)).toBe(false);
  });
  it("where credentials go, by scheme", () => {
    const withSchemes = { ...model, securitySchemes: { ...model.securitySchemes, o: { name: "o", type: "oauth2" }, oidc: { name: "oidc", type: "openIdConnect" }, mtls: { name: "mtls", type: "mutualTLS" }, half: { name: "half", type: "apiKey", in: "query" } } } as typeof model;
    expect(credentialLocations(withSchemes, op([], [{ key: [], bearer: [] }, { missing: [] }]))).toEqual([{ in: "header", name: "X-Api-Key" }, { in: "header", name: "Authorization" }]);
    expect(credentialLocations(withSchemes, op([], [{ o: [] }, { oidc: [] }, { mtls: [] }, { half: [] }]))).toEqual([{ in: "header", name: "Authorization" }, { in: "header", name: "Authorization" }]);
  });
  it("credential endpoints by path segment", () => {
    for (const path of ["/login", "/api/v1/oauth2/token", "/auth", "/users/sign-in", "/session.json", "/Tokens/"]) expect(grantsCredentials(path), path).toBe(true);
    for (const path of ["/authors", "/catalogue", "/tokenizer", "/my-login-history"]) expect(grantsCredentials(path), path).toBe(false);
  });
  it("truncate keeps one line within the limit", () => {
    expect(truncate("  a \n b  ")).toBe("a b");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abcd", 4)).toBe("abcd");
    expect(truncate("x".repeat(121))).toHaveLength(120);
  });
});

describe("listings", () => {
  it("the results of a listing: the array itself, the one array property, or the conventional one", () => {
    expect(listResults([1])).toEqual([1]);
    expect(listResults({ total: 2, things: [1, 2] })).toEqual([1, 2]);
    expect(resultsKey({ tags: [], Items: [1] })).toBe("Items");
    expect(resultsKey({ tags: [], links: [] })).toBeUndefined();
    expect(resultsKey([1])).toBeUndefined();
    expect(resultsKey(null)).toBeUndefined();
    expect(resultsKey("items")).toBeUndefined();
    expect(listResults({ total: 2 })).toBeUndefined();
    expect(listResults(undefined)).toBeUndefined();
    // HAL: the page sits in _embedded, the totals beside it
    expect(listResults({ _links: {}, _embedded: { orders: [] }, total: 0 })).toEqual([]);
    expect(listResults({ _embedded: { orders: [{ id: 1 }] } })).toEqual([{ id: 1 }]);
    expect(listingTotal({ _embedded: { orders: [{ id: 1 }] }, total: 3 })).toBe(3);
    expect(listResults({ _embedded: { self: {} } })).toBeUndefined();
  });
  it("a listed record is identified by its id-like field, else by itself", () => {
    expect(recordIdentity({ name: "x", id: 3 })).toBe("name=x");
    expect(recordIdentity({ petId: "p1", label: "x" })).toBe("petId=p1");
    expect(recordIdentity({ owner_key: 9 })).toBe("owner_key=9");
    expect(recordIdentity({ ID: 4 })).toBe("ID=4");
    expect(recordIdentity({ id: { nested: 1 } })).toBe('{"id":{"nested":1}}');
    expect(recordIdentity({ ident: 1 })).toBe('{"ident":1}');
    expect(recordIdentity({ valid: 1 })).toBe('{"valid":1}');
    expect(recordIdentity(7)).toBe("7");
  });
});

describe("how much of a listing was answered", () => {
  const answer = (body: unknown, status = 200, headers: Record<string, string> = {}) => record({ status, body, headers }).exchange.response!;
  it("the total a wrapper reports besides its page, when it is a whole number no smaller than the page", () => {
    expect(listingTotal({ items: [1, 2], total: 5 })).toBe(5);
    for (const key of ["count", "totalCount", "total_items", "totalResults", "total_size", "totalElements", "numFound", "num_results"]) expect(listingTotal({ items: [1], [key]: 3 }), key).toBe(3);
    expect(listingTotal({ items: [1, 2], total: 2 })).toBe(2);
    for (const key of ["totalItems", "totalSize", "num_results", "numResults"]) expect(listingTotal({ items: [1], [key]: 3 }), key).toBe(3);
    expect(listingTotal({ items: [1, 2], total: 1 })).toBeUndefined();
    expect(listingTotal({ items: [1], total: 2.5 })).toBeUndefined();
    expect(listingTotal({ items: [1], total: "5" })).toBeUndefined();
    expect(listingTotal({ items: [1], subtotal: 5 })).toBeUndefined();
    expect(listingTotal({ items: [1], totals: 5 })).toBeUndefined();
    expect(listingTotal([1, 2])).toBeUndefined();
    expect(listingTotal({ total: 5 })).toBeUndefined();
  });
  it("complete when nothing more is signalled and the page is short or the total met; truncated on a full page, a larger total, a next link or cursor", () => {
    expect(listingExtent(undefined)).toBe("unknown");
    expect(listingExtent(answer([1], 404))).toBe("unknown");
    expect(listingExtent(answer(undefined, 204))).toBe("complete");
    expect(listingExtent(answer("  "))).toBe("complete");
    expect(listingExtent(answer({ a: 1 }))).toBe("unknown");
    expect(listingExtent(answer([1, 2]))).toBe("unknown");
    expect(listingExtent(answer([1, 2]), 2)).toBe("truncated");
    expect(listingExtent(answer([1, 2, 3]), 2)).toBe("truncated");
    expect(listingExtent(answer([1]), 2)).toBe("complete");
    expect(listingExtent(answer({ items: [1], total: 3 }))).toBe("truncated");
    expect(listingExtent(answer({ items: [1], total: 3 }), 5)).toBe("truncated");
    expect(listingExtent(answer({ items: [1], total: 1 }))).toBe("complete");
    for (const more of [{ next: "/p2" }, { hasMore: true }, { next_cursor: "c" }, { nextPageToken: "t" }, { has_next_page: 1 }]) expect(listingExtent(answer({ items: [1], ...more })), JSON.stringify(more)).toBe("truncated");
    for (const key of ["nextPage", "nextCursor", "nextLink", "hasNext", "hasNextPage", "has_nextPage"]) expect(listingExtent(answer({ items: [1], [key]: "x" })), key).toBe("truncated");
    expect(listingExtent(answer({ items: [1], renext: "x" }))).toBe("unknown");
    for (const none of [{ next: null }, { has_more: false }, { next: "" }, { nextStep: "x" }, { previous: "/p0" }]) expect(listingExtent(answer({ items: [1], ...none })), JSON.stringify(none)).toBe("unknown");
    expect(listingExtent(answer([1], 200, { Link: '<https://x/p2>; rel="next"' }))).toBe("truncated");
    expect(listingExtent(answer([1], 200, { link: "<https://x/p2>; rel=next" }))).toBe("truncated");
    expect(listingExtent(answer([1], 200, { link: '<https://x/p0>; rel="prev"' }))).toBe("unknown");
  });
  it("operations on a path, string params and step records by id", () => {
    expect(operationsOnPath(model, "/pets/{petId}").map((o) => o.operationId)).toEqual(["getPet", "updatePet", "deletePet"]);
    expect(operationsOnPath(model, "/nope")).toEqual([]);
    const context = ctx({ id: "d" }, { params: { s: "x", n: 5 }, others: [record({ id: "a" })] });
    expect(paramString(context, "s")).toBe("x");
    expect(paramString(context, "n")).toBeUndefined();
    expect(stepRecord(context, "a")?.step.id).toBe("a");
    expect(stepRecord(context, undefined)).toBeUndefined();
  });
});

describe("edges the mutants found", () => {
  it("status keys, default keys and JSON media types", () => {
    expect(statusKeyMatches("4XXX", 404)).toBe(false);
    expect(statusKeyMatches("X1XX", 111)).toBe(false);
    expect(findResponseSpec(op([response(" default ")]), 200)?.status).toBe(" default ");
    expect(isJsonMediaType("image/json")).toBe(false);
  });
  it("pointers index arrays by whole numbers only; values compare element by element", () => {
    expect(getByPointer({ list: [1] }, "/list/length")).toBeUndefined();
    expect(getByPointer({ list: [...Array(11).keys()] }, "/list/10")).toBe(10);
    expect(deepEqual([1, 2], [1, 3])).toBe(false);
  });
  it("a `true` schema admits any name; a response whose media type matches nothing documented has no schema", () => {
    expect(objectShape(model, true as never).open).toBe(true);
    const r = { ...record({ status: 200 }).exchange.response!, headers: { "content-type": "image/png" } };
    expect(responseSchemaFor(op([response("200", ["text/csv", "text/html"])]), r)).toEqual({ spec: expect.anything(), schema: undefined, contentType: undefined });
  });
  it("steps: a current step first in the order has none before it; ids without a record are left out", () => {
    const context = ctx({ id: "d", method: "GET" }, { others: [record({ id: "a", method: "POST" }), record({ id: "b" })] });
    expect(previousStep({ ...context, order: ["d", "a", "b"] }, (r) => r.request.method === "POST")).toBeUndefined();
    expect(stepsBetween({ ...context, order: ["a", "ghost", "b", "d"] }, "a").map((r) => r.step.id)).toEqual(["b"]);
  });
  it("credential paths, conventional result keys and record identities are whole words", () => {
    expect(grantsCredentials("login")).toBe(true);
    expect(grantsCredentials("/oauth")).toBe(true);
    expect(resultsKey({ tags: [], myItems: [1] })).toBeUndefined();
    expect(resultsKey({ tags: [], itemsOld: [1] })).toBeUndefined();
    expect(recordIdentity({ petIdx: 1 })).toBe('{"petIdx":1}');
    expect(recordIdentity({ id: null, label: "x" })).toBe('{"id":null,"label":"x"}');
  });
});
