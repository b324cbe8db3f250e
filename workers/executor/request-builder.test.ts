import { describe, expect, it } from "vitest";
import type { RequestTemplate } from "../model";
import { buildRequest, RequestBuildError, substituteVariables } from "./request-builder";

const base = "http://api.test/v1/";
const template = (partial: Partial<RequestTemplate>): RequestTemplate => ({ method: "get", path: "/pets", pathParams: {}, query: {}, headers: {}, ...partial });
const identities = { alice: { Authorization: "Bearer alice-token", "X-Tenant": "acme" }, bob: { Authorization: "Bearer bob-token" } };

async function buildError(promise: Promise<unknown>): Promise<RequestBuildError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestBuildError);
  return error as RequestBuildError;
}

describe("buildRequest: URL", () => {
  it("fills and percent-encodes path parameters under the base path", async () => {
    const req = await buildRequest(template({ path: "/pets/{petId}/toys/{name}", pathParams: { petId: 7, name: "a b/c?" } }), { baseUrl: base, variables: {} });
    expect(req.url).toBe("http://api.test/v1/pets/7/toys/a%20b%2Fc%3F");
    expect(req.method).toBe("GET");
  });

  it("refuses to send a literal {param}", async () => {
    const missing = await buildError(buildRequest(template({ path: "/pets/{petId}" }), { baseUrl: base, variables: {} }));
    expect(missing.message).toContain("{petId}");
    expect(missing.reason).toBe("invalid-request");
  });

  it("refuses empty and dot-segment values that would re-route the request", async () => {
    await buildError(buildRequest(template({ path: "/pets/{id}", pathParams: { id: "" } }), { baseUrl: base, variables: {} }));
    await buildError(buildRequest(template({ path: "/pets/{id}", pathParams: { id: ".." } }), { baseUrl: base, variables: {} }));
  });

  it("serialises query arrays as repeated keys, objects exploded, null as empty", async () => {
    const req = await buildRequest(template({ query: { tag: ["a", "b c"], filter: { kind: "dog" }, empty: null, skip: undefined, n: 3 } }), { baseUrl: base, variables: {} });
    const url = new URL(req.url);
    expect(url.searchParams.getAll("tag")).toEqual(["a", "b c"]);
    expect(url.searchParams.get("kind")).toBe("dog");
    expect(url.searchParams.get("empty")).toBe("");
    expect(url.searchParams.has("skip")).toBe(false);
    expect(url.searchParams.get("n")).toBe("3");
  });

  it("accepts an absolute same-origin URL (a resolved Location) and refuses another origin", async () => {
    const req = await buildRequest(template({ path: "{{loc}}", query: { v: 1 } }), { baseUrl: base, variables: { loc: "http://api.test/v1/pets/9?x=1" } });
    expect(req.url).toBe("http://api.test/v1/pets/9?x=1&v=1");
    await buildError(buildRequest(template({ path: "{{loc}}" }), { baseUrl: base, variables: { loc: "http://evil.test/x" } }));
  });
});

describe("buildRequest: variables", () => {
  it("substitutes whole values with their type and interpolates inside strings", () => {
    const out = substituteVariables({ id: "{{id}}", label: "pet-{{id}}", nested: ["{{ obj }}"], literal: "{{7*7}}", unknown: "{{config}}" }, { id: 5, obj: { a: 1 } });
    expect(out).toEqual({ id: 5, label: "pet-5", nested: [{ a: 1 }], literal: "{{7*7}}", unknown: "{{config}}" });
  });

  it("fails with missing-variable when a declared extraction has no value", async () => {
    const error = await buildError(buildRequest(template({ path: "/pets/{petId}", pathParams: { petId: "{{petId}}" } }), { baseUrl: base, variables: {}, declaredVariables: ["petId"] }));
    expect(error.reason).toBe("missing-variable");
  });
});

describe("buildRequest: identities and headers", () => {
  it("sends the first identity by default, a named one, or none", async () => {
    expect((await buildRequest(template({}), { baseUrl: base, variables: {}, identities })).headers.Authorization).toBe("Bearer alice-token");
    const bob = await buildRequest(template({ identity: "bob" }), { baseUrl: base, variables: {}, identities });
    expect(bob.headers.Authorization).toBe("Bearer bob-token");
    expect(bob.identity).toBe("bob");
    const none = await buildRequest(template({ identity: null }), { baseUrl: base, variables: {}, identities });
    expect(none.headers).toEqual({});
    expect(none.identity).toBeNull();
    await buildError(buildRequest(template({ identity: "mallory" }), { baseUrl: base, variables: {}, identities }));
  });

  it("removes identity headers on request and lets template headers override them", async () => {
    const removed = await buildRequest(template({ removeHeaders: ["authorization"] }), { baseUrl: base, variables: {}, identities });
    expect(removed.headers).toEqual({ "X-Tenant": "acme" });
    const forged = await buildRequest(template({ headers: { authorization: "Bearer forged" } }), { baseUrl: base, variables: {}, identities });
    expect(forged.headers.authorization).toBe("Bearer forged");
    expect(forged.headers.Authorization).toBeUndefined();
    expect(forged.identityHeaderNames).toEqual(["x-tenant"]);
  });

  it("merges cookies into one Cookie header", async () => {
    const req = await buildRequest(template({ cookies: { session: "a b", theme: "dark" } }), { baseUrl: base, variables: {} });
    expect(req.headers.Cookie).toBe("session=a%20b; theme=dark");
  });

  it("refuses header values and names fetch cannot send", async () => {
    await buildError(buildRequest(template({ headers: { "X-Bad": "a\r\nInjected: 1" } }), { baseUrl: base, variables: {} }));
    await buildError(buildRequest(template({ headers: { "Bad Name": "x" } }), { baseUrl: base, variables: {} }));
    await buildError(buildRequest(template({ headers: { Host: "other" } }), { baseUrl: base, variables: {} }));
  });
});

describe("buildRequest: bodies", () => {
  const post = (body: RequestTemplate["body"]) => template({ method: "post", body });

  it("serialises JSON and sets Content-Type", async () => {
    const req = await buildRequest(post({ contentType: "application/json", value: { id: "{{id}}", tags: ["a"] } }), { baseUrl: base, variables: { id: 3 } });
    expect(req.body).toBe('{"id":3,"tags":["a"]}');
    expect(req.headers["Content-Type"]).toBe("application/json");
    expect(req.resolved.body?.value).toEqual({ id: 3, tags: ["a"] });
  });

  it("serialises urlencoded forms with repeated keys", async () => {
    const req = await buildRequest(post({ contentType: "application/x-www-form-urlencoded", value: { a: "x y", b: [1, 2] } }), { baseUrl: base, variables: {} });
    expect(req.body).toBe("a=x+y&b=1&b=2");
  });

  it("serialises multipart through FormData with the real boundary", async () => {
    const req = await buildRequest(post({ contentType: "multipart/form-data", value: { name: "Rex", meta: { a: 1 } } }), { baseUrl: base, variables: {} });
    const contentType = req.headers["Content-Type"];
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const boundary = contentType.split("boundary=")[1];
    expect(req.body).toContain(`--${boundary}`);
    expect(req.body).toContain('name="name"\r\n\r\nRex');
    expect(req.body).toContain('{"a":1}');
  });

  it("sends text and raw bodies as is, raw winning over value", async () => {
    expect((await buildRequest(post({ contentType: "text/plain", value: "hello" }), { baseUrl: base, variables: {} })).body).toBe("hello");
    const raw = await buildRequest(post({ contentType: "application/json", value: { a: 1 }, raw: "{not json" }), { baseUrl: base, variables: {} });
    expect(raw.body).toBe("{not json");
    expect(raw.headers["Content-Type"]).toBe("application/json");
  });

  it("refuses a body on GET", async () => {
    await buildError(buildRequest(template({ body: { contentType: "application/json", value: {} } }), { baseUrl: base, variables: {} }));
  });
});

describe("buildRequest: OpenAPI serialisation styles", () => {
  it("sends deepObject query values in bracket notation and explode: false ones comma-joined", async () => {
    const req = await buildRequest(
      template({
        query: { filter: { status: "open", tags: ["a", "b"] }, ids: [1, 2], pipes: ["x", "y"], plain: [3, 4] },
        queryStyles: { filter: { style: "deepObject", explode: true }, ids: { style: "form", explode: false }, pipes: { style: "pipeDelimited", explode: false } },
      }),
      { baseUrl: base, variables: {} },
    );
    const params = new URL(req.url).searchParams;
    expect(params.get("filter[status]")).toBe("open");
    expect(params.get("filter[tags][1]")).toBe("b");
    expect(params.get("ids")).toBe("1,2");
    expect(params.get("pipes")).toBe("x|y");
    expect(params.getAll("plain")).toEqual(["3", "4"]);
  });

  it("sends nested form fields in bracket notation, scalar arrays as repeated keys", async () => {
    const req = await buildRequest(template({ method: "post", body: { contentType: "application/x-www-form-urlencoded", value: { card: { number: "4242", exp: { month: 1 } }, expand: ["a", "b"] } } }), { baseUrl: base, variables: {} });
    const form = new URLSearchParams(req.body);
    expect(form.get("card[number]")).toBe("4242");
    expect(form.get("card[exp][month]")).toBe("1");
    expect(form.getAll("expand")).toEqual(["a", "b"]);
  });
});
