import { beforeAll, describe, expect, it } from "vitest";
import type { AgentContext } from "../agents/types";
import type { ApiModel, TestCase } from "../../model";
import { buildRequest } from "../../executor/request-builder";
import { createWasmAgent } from "./agent";
import { WASM_AGENT_DESCRIPTIONS } from "./descriptions";
import { fixtureModel } from "./testing/fixture-model";
import { loadBuiltWasm } from "./testing/load-built";

let module: WebAssembly.Module;
beforeAll(async () => {
  module = await loadBuiltWasm("robustness-fuzzer");
}, 120_000);

const NAME = "robustness-fuzzer";

function ctx(seed: number, maxCasesPerOperation = 100, model: ApiModel = fixtureModel): AgentContext {
  return { model, seed, config: { identities: ["A"], maxCasesPerOperation } };
}

async function generate(seed: number, maxCasesPerOperation = 100, model: ApiModel = fixtureModel): Promise<TestCase[]> {
  return createWasmAgent(NAME, module, WASM_AGENT_DESCRIPTIONS[NAME]).generate(ctx(seed, maxCasesPerOperation, model));
}

function valuesOf(cases: TestCase[], operationId: string, target: string): unknown[] {
  const [loc, name] = target.split(".");
  return cases
    .filter((c) => c.operationId === operationId && c.id.includes(`:${target}:`))
    .map((c) => {
      const r = c.steps[0].request;
      if (loc === "path") return r.pathParams[name];
      if (loc === "query") return r.query[name];
      if (loc === "header") return r.headers[name];
      return (r.body?.value as Record<string, unknown>)[name];
    });
}

describe("robustness-fuzzer (wasm) through createWasmAgent", () => {
  it("is an Agent with the registered name and only the not_a_server_error oracle", async () => {
    const agent = createWasmAgent(NAME, module, "d");
    expect(agent.name).toBe(NAME);
    expect(agent.description).toBe("d");
    const cases = await generate(7);
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) {
      expect(c.agent).toBe(NAME);
      expect(c.kind).toBe("negative");
      expect(c.steps).toHaveLength(1);
      expect(c.steps[0].checks).toEqual([{ name: "not_a_server_error" }]);
      expect(c.tags?.[0]).toBe("robustness");
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("is deterministic for a seed and varies with it", async () => {
    const a = await generate(1234);
    const b = await generate(1234);
    const c = await generate(1235);
    expect(b).toEqual(a);
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it("keeps an operation's cases stable when other operations are added", async () => {
    const alone: ApiModel = { ...fixtureModel, operations: fixtureModel.operations.filter((o) => o.operationId === "createPet") };
    const withOthers = (await generate(99)).filter((c) => c.operationId === "createPet");
    expect(await generate(99, 100, alone)).toEqual(withOthers);
  });

  it("fills every path parameter, including template variables the spec forgot to declare", async () => {
    const cases = await generate(5);
    const owner = cases.filter((c) => c.operationId === "getOwnerPet");
    expect(owner.length).toBeGreaterThan(0);
    for (const c of cases) {
      const { path, pathParams } = c.steps[0].request;
      for (const [, name] of path.matchAll(/\{([^{}]+)\}/g)) {
        expect(pathParams[name], `${c.id} {${name}}`).not.toBeUndefined();
        expect(pathParams[name]).not.toBeNull();
      }
    }
    // fuzzing petId leaves ownerId at its valid-looking filler, and vice versa
    for (const c of owner.filter((c) => c.id.includes(":path.petId:"))) expect(c.steps[0].request.pathParams.ownerId).toBe("1");
    for (const c of owner.filter((c) => c.id.includes(":path.ownerId:"))) expect(c.steps[0].request.pathParams.petId).toBe(42);
  });

  it("sends the hostile strings the brief lists to string inputs", async () => {
    const cases = await generate(11);
    const owner = valuesOf(cases, "getOwnerPet", "path.ownerId") as string[];
    const name = valuesOf(cases, "createPet", "body.name") as string[];
    for (const values of [owner, name]) {
      expect(values.some((v) => v.length === 10_000)).toBe(true);
      expect(values.some((v) => v.includes("\u202E"))).toBe(true);
      expect(values.some((v) => v.includes("\u200B"))).toBe(true);
      expect(values.some((v) => v.includes("\u0000"))).toBe(true);
      expect(values.some((v) => /\p{Extended_Pictographic}/u.test(v))).toBe(true);
      expect(values.some((v) => /\p{M}{3}/u.test(v))).toBe(true);
      expect(values.some((v) => /[\uFF01-\uFF5E]/.test(v))).toBe(true);
      expect(values.some((v) => v !== v.trim() && v.trim().length > 0)).toBe(true);
      // never lone surrogates: they cannot be encoded into a URL or UTF-8 body
      for (const v of values) expect(v).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(name.some((v) => v.trim() === "Rex")).toBe(true);
  });

  it("sends numeric extremes to integer and number inputs", async () => {
    const cases = await generate(3);
    const age = valuesOf(cases, "createPet", "body.age");
    expect(age).toEqual(expect.arrayContaining([2 ** 31, 2 ** 63, -1, 1.5, 1e308]));
    expect(age.some((v) => typeof v === "number" && v < -(2 ** 63))).toBe(true);
    expect(valuesOf(cases, "createPet", "body.weight")).toEqual(expect.arrayContaining([1e308, -1e308, 5e-324]));
    expect(valuesOf(cases, "getOwnerPet", "path.petId")).toContain(1.5);
    expect(valuesOf(cases, "listPets", "query.limit")).toContain(2 ** 63);
  });

  it("keeps header values sendable by fetch", async () => {
    const headers = valuesOf(await generate(8), "listPets", "header.X-Request-Id") as string[];
    expect(headers.length).toBeGreaterThan(3);
    for (const v of headers) {
      expect([...v].every((ch) => ch.charCodeAt(0) <= 0xff && !"\0\r\n".includes(ch))).toBe(true);
      expect(v).toBe(v.replace(/^[\t ]+|[\t ]+$/g, ""));
    }
  });

  it("fills the inputs it is not fuzzing with valid-looking values", async () => {
    const cases = await generate(21);
    for (const c of cases.filter((c) => c.operationId === "listPets")) {
      const r = c.steps[0].request;
      // the positive generator's values: valid, whichever it chose
      if (!c.id.includes(":query.status:")) expect(["available", "sold"]).toContain(r.query.status);
      if (!c.id.includes(":header.X-Request-Id:")) expect(r.headers["X-Request-Id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      // optional inputs are sent only while fuzzed; ignored headers never
      if (!c.id.includes(":query.limit:")) expect(r.query).not.toHaveProperty("limit");
      expect(r.headers).not.toHaveProperty("Authorization");
      expect(r.body).toBeUndefined();
    }
    for (const c of cases.filter((c) => c.operationId === "createPet")) {
      const r = c.steps[0].request;
      expect(Object.keys(r.cookies ?? {})).toEqual(["session"]);
      expect(r.body?.contentType).toBe("application/json");
      const body = r.body?.value as Record<string, unknown>;
      // a unique-looking name is made fresh per case (a resent example collides)
      if (!c.id.includes(":body.name:")) expect(typeof body.name).toBe("string");
      if (!c.id.includes(":body.species:")) expect(body.species).toBe("dog");
      expect(body).not.toHaveProperty("id"); // readOnly
    }
    expect(cases.some((c) => c.operationId === "ping" || c.operationId === "uploadRaw")).toBe(false);
  });

  it("starts every case from the positive generator's valid request: setup steps for parents, unique fields fresh per case", async () => {
    const model: ApiModel = {
      ...fixtureModel,
      schemas: {},
      operations: [
        { operationId: "createShop", method: "post", path: "/shops", tags: [], deprecated: false, security: [], pointer: "#/a",
          parameters: [],
          requestBody: { required: true, content: [{ contentType: "application/json", schema: { type: "object", required: ["slug", "title"], properties: { slug: { type: "string", pattern: "^[a-z0-9-]{3,30}$" }, title: { type: "string" }, rating: { type: "integer" } } }, example: { slug: "corner-shop", title: "Corner" } }] },
          responses: [{ status: "201", content: [{ contentType: "application/json", schema: { type: "object", properties: { slug: { type: "string" } } } }], headers: [], links: [] }] },
        { operationId: "addItem", method: "post", path: "/shops/{slug}/items", tags: [], deprecated: false, security: [], pointer: "#/b",
          parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: [{ contentType: "application/json", schema: { type: "object", required: ["name", "sku"], properties: { name: { type: "string" }, sku: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" }, price: { type: "integer", minimum: 1 } } } }] },
          responses: [{ status: "201", content: [{ contentType: "application/json", schema: { type: "object" } }], headers: [], links: [] }] },
      ],
    };
    const cases = await generate(5, 100, model);
    const items = cases.filter((c) => c.operationId === "addItem");
    expect(items.length).toBeGreaterThan(5);
    for (const c of items) {
      // the shop is created first, and its slug is the one the case addresses (unless fuzzed: then no shop is needed)
      if (!JSON.stringify(c.steps[c.steps.length - 1].request).includes("{{slug}}")) expect(c.steps).toHaveLength(1);
      else expect(c.steps[0]).toMatchObject({ requireSuccess: true, request: { method: "post", path: "/shops" } });
      const fuzz = c.steps[c.steps.length - 1];
      expect(fuzz.checks).toEqual([{ name: "not_a_server_error" }]);
      if (!c.id.includes(":path.slug:")) expect(fuzz.request.pathParams.slug).toBe("{{slug}}");
      const body = fuzz.request.body!.value as Record<string, unknown>;
      // every property but the fuzzed one is valid, a required one included
      if (!c.id.includes(":body.sku:")) expect(body.sku).toMatch(/^[A-Z]{3}-[0-9]{4}$/);
      if (!c.id.includes(":body.name:")) expect(typeof body.name).toBe("string");
    }
    // creates collide no more: each case has its own slug, unless it fuzzes it
    const shops = cases.filter((c) => c.operationId === "createShop" && !c.id.includes(":body.slug:"));
    const slugs = shops.map((c) => (c.steps[c.steps.length - 1].request.body!.value as Record<string, unknown>).slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const c of shops) expect(c.steps[c.steps.length - 1].request.unique).toContain("/slug");
  });

  it("fuzzes string and number properties nested in an envelope (JSON:API data.attributes), punctuation only among them", async () => {
    const attributes = { type: "object", required: ["title"], additionalProperties: false, properties: { title: { type: "string", minLength: 3, maxLength: 120 }, capacity: { type: "integer", minimum: 1 }, code: { type: "string", readOnly: true } } };
    const model: ApiModel = {
      ...fixtureModel,
      schemas: {},
      operations: [
        { operationId: "createCourse", method: "post", path: "/courses", tags: [], deprecated: false, security: [], pointer: "#/a",
          parameters: [],
          requestBody: { required: true, content: [{ contentType: "application/vnd.api+json", schema: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", enum: ["courses"] }, attributes } } } } }] },
          responses: [{ status: "201", content: [{ contentType: "application/vnd.api+json", schema: { type: "object" } }], headers: [], links: [] }] },
      ],
    };
    const cases = await generate(5, 100, model);
    const body = (c: TestCase) => c.steps[c.steps.length - 1].request.body!.value as { data: { type: string; attributes: Record<string, unknown> } };
    const titles = cases.filter((c) => c.id.includes(":body.data.attributes.title:"));
    expect(titles.length).toBeGreaterThan(8);
    const sent = titles.map((c) => body(c).data.attributes.title as string);
    // no ASCII letter or digit: other scripts, emoji, punctuation only
    expect(sent.filter((v) => !/[A-Za-z0-9]/.test(v)).length).toBeGreaterThanOrEqual(3);
    expect(sent).toContain("!?.,;:-_()[]{}'\"/\\@#%&*+=<>|~^$`");
    for (const c of titles) expect(body(c).data.type).toBe("courses");
    expect(cases.some((c) => c.id.includes(":body.data.attributes.capacity:") && body(c).data.attributes.capacity === 2 ** 31)).toBe(true);
    expect(cases.some((c) => c.id.includes("attributes.code"))).toBe(false);
  });

  it("respects maxCasesPerOperation and spreads a small budget over the inputs", async () => {
    const cases = await generate(2, 4);
    const perOp = new Map<string, TestCase[]>();
    for (const c of cases) perOp.set(c.operationId, [...(perOp.get(c.operationId) ?? []), c]);
    for (const list of perOp.values()) expect(list.length).toBeLessThanOrEqual(4);
    // createPet has 4 fuzzable body properties (name, species, age, weight): one case each
    const targets = perOp.get("createPet")!.map((c) => c.id.split(":")[2]);
    expect(new Set(targets)).toEqual(new Set(["body.name", "body.species", "body.age", "body.weight"]));
    expect(await generate(2, 0)).toEqual([]);
  });

  it("produces cases the executor can turn into requests", async () => {
    for (const c of await generate(17)) {
      const built = await buildRequest(c.steps[0].request, { baseUrl: "http://127.0.0.1:9", variables: {} });
      expect(built.url).not.toMatch(/[{}]/);
    }
  });
});
