import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { evaluate, type Assertion } from "../oracles/dsl";
import { inferInvariants } from "./infer";
import { observe, type Observation } from "./observe";

function op(operationId: string, path: string, extra: Partial<Operation> = {}): Operation {
  return { operationId, method: "get", path, tags: [], deprecated: false, parameters: [], responses: [{ status: "200", content: [], headers: [], links: [] }], security: [], pointer: "", ...extra };
}

const model: ApiModel = {
  sourceVersion: "3.1.0",
  title: "t",
  version: "1",
  servers: [],
  schemas: {},
  securitySchemes: {},
  operations: [
    op("search", "/search"),
    op("getItem", "/items/{itemId}"),
    op("createItem", "/items", {
      method: "post",
      requestBody: { required: true, content: [{ contentType: "application/json", schema: { type: "object", properties: { name: { type: "string" }, kind: { type: "string" } } } }] },
    }),
    op("listOrders", "/orders", {
      responses: [
        {
          status: "200",
          headers: [],
          links: [],
          content: [{ contentType: "application/json", schema: { type: "object", properties: { orders: { type: "array", items: { type: "object", properties: { state: { type: "string", enum: ["open", "paid", "refunded"] } } } } } } }],
        },
      ],
    }),
  ],
};

const obs = (operationId: string, query: Record<string, unknown>, body: unknown, pathParams: Record<string, unknown> = {}, requestBody?: unknown): Observation =>
  observe({ operationId, query, pathParams, requestBody, body, secrets: ["s3cr3t-token"] })!;

const items = (n: number, status = (i: number) => (i % 2 ? "active" : "archived")) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, status: status(i), createdAt: `2026-01-0${(i % 9) + 1}T00:00:00Z`, updatedAt: `2026-02-0${(i % 9) + 1}T00:00:00.5Z` }));

function searches(limits: number[], sizeOf = (limit: number) => Math.min(limit, 4)): Observation[] {
  return limits.map((limit, i) => obs("search", { q: `q${i}`, limit }, { total: 4 + i, items: items(sizeOf(limit)) }));
}

const sentences = (list: ReturnType<typeof inferInvariants>) => list.map((i) => i.sentence).sort();

describe("inferInvariants", () => {
  it("infers size(items) <= limit, total >= size(items), time order and an enum-like server field from agreeing observations", () => {
    const found = inferInvariants(model, searches([1, 2, 3, 5, 8, 10, 2, 4]));
    expect(sentences(found)).toEqual([
      "/total >= size(/items)",
      "in every element of /items: /createdAt <= /updatedAt",
      "in every element of /items: /status is one of active, archived",
      "size(/items) <= query parameter limit",
    ]);
    for (const invariant of found) expect(invariant.observations).toBeGreaterThanOrEqual(5);
  });

  it("never infers from fewer than the minimum of observations", () => {
    expect(inferInvariants(model, searches([1, 2, 3, 5]))).toEqual([]);
  });

  it("one disagreeing observation drops the rule; a repeated exchange counts once", () => {
    const list = searches([1, 2, 3, 5, 8, 10]);
    list.push(obs("search", { q: "x", limit: 1 }, { total: 9, items: items(2) }));
    expect(sentences(inferInvariants(model, list))).not.toContain("size(/items) <= query parameter limit");
    const repeated = Array.from({ length: 6 }, () => obs("search", { q: "same", limit: 3 }, { total: 3, items: items(3) }));
    expect(inferInvariants(model, repeated)).toEqual([]);
  });

  it("a bound needs a non-empty list: empty results prove nothing", () => {
    expect(inferInvariants(model, searches([1, 2, 3, 5, 8, 10], () => 0))).toEqual([]);
  });

  it("response id equals the path id only with varying ids; a constant is no rule", () => {
    const varying = [3, 4, 5, 6, 7].map((id) => obs("getItem", {}, { id, name: `n${id}` }, { itemId: String(id) }));
    const found = inferInvariants(model, varying);
    expect(found.map((i) => i.assertion)).toContainEqual({ cmp: "==", left: { body: "/id" }, right: { path: "itemId" } });
    const constant = Array.from({ length: 6 }, (_, i) => obs("getItem", { q: `x${i}` }, { id: 1 }, { itemId: "1" }));
    expect(inferInvariants(model, constant).filter((i) => "cmp" in i.assertion && i.assertion.cmp === "==")).toEqual([]);
  });

  it("a field echoing a request body value of the same name; writable and declared-enum fields are never enum-like", () => {
    const creates = ["a", "b", "c", "d", "e", "f"].map((name, i) => obs("createItem", {}, { id: i, name, kind: i % 2 ? "x" : "y" }, {}, { name, kind: i % 2 ? "x" : "y" }));
    const found = inferInvariants(model, creates);
    expect(found.map((i) => i.sentence)).toContain("/name equals the request body name");
    expect(found.some((i) => "oneOf" in i.assertion)).toBe(false);
    const orders = Array.from({ length: 8 }, (_, i) => obs("listOrders", { page: i }, { orders: [{ state: "open" }, { state: "paid" }] }));
    expect(inferInvariants(model, orders).some((i) => JSON.stringify(i.assertion).includes("oneOf"))).toBe(false);
  });

  it("a value inside a wrapper object echoes only at the same pointer; a count named after its list bounds it", () => {
    const creates = ["a", "b", "c", "d", "e"].map((email, i) =>
      obs("createItem", {}, { user: { email, username: `u${i}`, bio: "same" }, total: 1 }, {}, { user: { email, username: `u${i}`, password: "pw-secret" } }),
    );
    const found = inferInvariants(model, creates);
    expect(found.map((i) => i.assertion)).toContainEqual({ cmp: "==", left: { body: "/user/email" }, right: { requestBody: "/user/email" } });
    expect(sentences(found)).toContain("/user/username equals the request body user.username");
    expect(JSON.stringify(creates)).not.toMatch(/pw-secret|password/);
    // a wrapped value never pairs with a same-named field elsewhere
    const elsewhere = ["a", "b", "c", "d", "e"].map((email) => obs("createItem", {}, { owner: { email } }, {}, { user: { email } }));
    expect(inferInvariants(model, elsewhere)).toEqual([]);
    const pages = [1, 2, 3, 4, 5].map((n) => obs("search", { q: `q${n}` }, { articles: items(n), articlesCount: 10 + n }));
    expect(sentences(inferInvariants(model, pages))).toContain("/articlesCount >= size(/articles)");
  });

  it("an enum value seen only once means the set is incomplete: no rule", () => {
    const list = searches([1, 2, 3, 5, 8, 10, 2, 4], (l) => Math.min(l, 4));
    list.push(obs("search", { q: "rare", limit: 1 }, { total: 1, items: [{ id: 99, status: "deleted" }] }));
    expect(sentences(inferInvariants(model, list)).some((s) => s.includes("is one of"))).toBe(false);
  });

  it("inferred assertions hold on the observations they came from, and catch the off-by-one", () => {
    const found = inferInvariants(model, searches([1, 2, 3, 5, 8, 10]));
    const limit = found.find((i) => i.sentence.startsWith("size"))!.assertion as Assertion;
    const subject = (limitValue: number, size: number) => ({ status: 200, body: { total: 9, items: items(size) }, headers: {}, query: { limit: limitValue }, pathParams: {}, requestHeaders: {}, requestBody: undefined });
    expect(evaluate(limit, subject(2, 2))).toEqual({ status: "passed" });
    expect(evaluate(limit, subject(2, 3))).toMatchObject({ status: "failed" });
  });

  it("observations keep no credential-named parameter and no secret value", () => {
    const o = observe({ operationId: "search", query: { api_key: "k", q: "s3cr3t-token" }, pathParams: {}, requestBody: { password: "p", name: "n" }, body: { token: "t", echo: "xx s3cr3t-token" }, secrets: ["s3cr3t-token"] })!;
    expect(JSON.stringify(o)).not.toMatch(/s3cr3t|api_key|password|"token"/);
    expect(o.params).toEqual({ "body.name": "n" });
  });

  it("observations name members whose keys hold / or ~ by RFC 6901 pointers", () => {
    const o = observe({ operationId: "get", query: {}, pathParams: {}, requestBody: { "a/b": 1, "m~n": { "c/d": 2 } }, body: { "x/y": { "p~q": 3 }, "l/s": [{ "k~/": 4 }] }, secrets: [] })!;
    expect(o.params).toEqual({ "body.a~1b": 1, "body.m~0n/c~1d": 2 });
    expect(o.scalars).toEqual({ "/x~1y/p~0q": 3 });
    expect(o.arrays).toEqual({ "/l~1s": 1 });
    expect(o.items).toEqual({ "/l~1s": { "/k~0~1": [4] } });
  });
});
