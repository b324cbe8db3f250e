/**
 * Stateful rules reaching resources the plain collection/item pattern misses: items created on a
 * parent's sub-collection and read at their own top-level path, writes inside envelopes read back,
 * and Idempotency-Key replays.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../../model";
import { parseSpec } from "../spec";
import { agentEnv } from "./requests";
import { securityAuth } from "./security-auth";
import { stateful } from "./stateful";
import { comparableFields } from "./stateful-resources";

const json = "application/json";
const content = (schema: unknown) => ({ [json]: { schema } });
const ok = (schema: unknown, headers: Record<string, unknown> = {}) => ({ description: "ok", headers, content: content(schema) });
const location = { Location: { required: true, schema: { type: "string" } } };
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });

/** Orders with items bought on `/orders/{orderId}/items` and read at `/items/{itemId}`. */
function shopDoc(itemAnswer: unknown = { $ref: "#/components/schemas/Item" }, itemCollection = "items"): Record<string, unknown> {
  return {
    openapi: "3.0.3",
    info: { title: "shop", version: "1" },
    paths: {
      "/orders": { post: { operationId: "createOrder", requestBody: { required: true, content: content({ $ref: "#/components/schemas/NewOrder" }) }, responses: { "201": ok({ $ref: "#/components/schemas/Order" }, location) } } },
      "/orders/{orderId}": { parameters: [idParam("orderId")], get: { operationId: "getOrder", responses: { "200": ok({ $ref: "#/components/schemas/Order" }), "404": { description: "no" } } } },
      [`/orders/{orderId}/${itemCollection}`]: {
        parameters: [idParam("orderId")],
        post: { operationId: "addItem", requestBody: { required: true, content: content({ $ref: "#/components/schemas/NewItem" }) }, responses: { "201": ok(itemAnswer, location), "404": { description: "no" } } },
      },
      "/items/{itemId}": { parameters: [idParam("itemId")], get: { operationId: "getItem", responses: { "200": ok({ $ref: "#/components/schemas/Item" }), "404": { description: "no" } } } },
    },
    components: {
      schemas: {
        NewOrder: { type: "object", required: ["note"], properties: { note: { type: "string", minLength: 1, maxLength: 20 } } },
        Order: { type: "object", required: ["id"], properties: { id: { type: "string" }, note: { type: "string" } } },
        NewItem: { type: "object", required: ["sku"], properties: { sku: { type: "string", minLength: 1, maxLength: 10 } } },
        Item: { type: "object", required: ["id", "sku"], properties: { id: { type: "string" }, sku: { type: "string" } } },
        Other: { type: "object", properties: { id: { type: "string" }, label: { type: "string" } } },
      },
    },
  };
}

function model(doc: Record<string, unknown>): ApiModel {
  const parsed = parseSpec(JSON.stringify(doc));
  if (!parsed.model) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

const config = { identities: [], maxCasesPerOperation: 50 };
const op = (m: ApiModel, id: string) => m.operations.find((o) => o.operationId === id)!;

describe("items created on a parent's sub-collection", () => {
  it("the POST answering the item's representation produces the id of its top-level read", () => {
    const m = model(shopDoc());
    const producer = agentEnv({ model: m, seed: 1, config }).graph.producerFor(op(m, "getItem"), "itemId");
    expect(producer).toMatchObject({ op: { operationId: "addItem" }, extract: { from: "body", pointer: "/id" } });
    // the lifecycle creates the parent first, then the item, then reads it by the id it got
    const lifecycle = (stateful.generate({ model: m, seed: 1, config }) as TestCase[]).find((c) => c.operationId === "addItem" && c.tags?.includes("lifecycle"))!;
    expect(lifecycle.steps.map((s) => [s.request.method, s.request.path])).toEqual([
      ["post", "/orders"],
      ["post", "/orders/{orderId}/items"],
      ["get", "/items/{itemId}"],
    ]);
    expect(lifecycle.steps[2].request.pathParams).toEqual({ itemId: "{{itemId}}" });
  });

  it("BOLA reaches the item read through that producer", async () => {
    const m = model(shopDoc());
    const two = { ...config, identities: ["alice", "bob"] };
    const bola = (await securityAuth.generate({ model: m, seed: 1, config: two })).filter((c) => c.steps.some((s) => s.request.path === "/items/{itemId}" && s.checks.some((x) => x.name === "bola")));
    expect(bola.length).toBeGreaterThan(0);
  });

  it("the created id from the Location header when the answer names none", () => {
    const doc = shopDoc();
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> }).schemas;
    schemas.Item = { properties: { sku: { type: "string" } } };
    const m = model(doc);
    expect(agentEnv({ model: m, seed: 1, config }).graph.producerFor(op(m, "getItem"), "itemId")).toMatchObject({ op: { operationId: "addItem" }, extract: { from: "location-id" } });
  });

  it("no link when the POST answers another representation, or is named otherwise (an action answering the resource)", () => {
    const other = model(shopDoc({ $ref: "#/components/schemas/Other" }));
    expect(agentEnv({ model: other, seed: 1, config }).graph.producerFor(op(other, "getItem"), "itemId")).toBeUndefined();
    // POST /orders/{orderId}/verify_item answering an Item verifies one, it creates none
    const action = model(shopDoc({ $ref: "#/components/schemas/Item" }, "verify_item"));
    expect(agentEnv({ model: action, seed: 1, config }).graph.producerFor(op(action, "getItem"), "itemId")).toBeUndefined();
    // the singular of the collection name counts the same
    const single = model(shopDoc({ $ref: "#/components/schemas/Item" }, "item"));
    expect(agentEnv({ model: single, seed: 1, config }).graph.producerFor(op(single, "getItem"), "itemId")).toMatchObject({ op: { operationId: "addItem" } });
  });
});

describe("Idempotency-Key replays", () => {
  const promise = "A retry with the same key answers the first item again and adds nothing.";
  const withKey = (name: string, description = promise, headerDescription?: string) => {
    const doc = shopDoc();
    const post = (doc.paths as Record<string, { post: Record<string, unknown> }>)["/orders/{orderId}/items"].post;
    post.parameters = [{ name, in: "header", schema: { type: "string", minLength: 8, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }, ...(headerDescription ? { description: headerDescription } : {}) }];
    if (description) post.description = description;
    return model(doc);
  };
  const replays = (m: ApiModel) => (stateful.generate({ model: m, seed: 1, config }) as TestCase[]).filter((c) => c.tags?.includes("idempotency-key"));

  it("sends the create twice with one key the header's schema accepts, judged on the created id", () => {
    const [c] = replays(withKey("Idempotency-Key"));
    expect(c.steps.map((s) => s.id)).toEqual(["setup-orderId", "keyed", "keyed-replay"]);
    const [, first, again] = c.steps;
    expect(again.request).toEqual(first.request);
    expect(first.request.headers["Idempotency-Key"]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(first.requireSuccess).toBe(true);
    expect(again.checks.find((x) => x.name === "idempotency")?.params).toEqual({ compareWith: "keyed", idPointer: "/id" });
  });

  it("any case of the name, X- prefixed too; none without the header or where the spec does not say what a retry gets", () => {
    expect(replays(withKey("x-idempotency-key"))).toHaveLength(1);
    expect(replays(withKey("Idempotency-Key", "", "Requests repeated with the same key are processed only once."))).toHaveLength(1);
    // only named so, or "a key identifying this attempt": a server creating twice keeps its spec
    expect(replays(withKey("Idempotency-Key", ""))).toHaveLength(0);
    expect(replays(withKey("Idempotency-Key", "", "A client-chosen key identifying this order attempt."))).toHaveLength(0);
    expect(replays(withKey("X-Request-Key"))).toHaveLength(0);
    expect(replays(model(shopDoc()))).toHaveLength(0);
  });
});

describe("update read-back inside an envelope", () => {
  const envelope = (attributes: unknown, extra: Record<string, unknown> = {}) => ({ type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", enum: ["events"] }, attributes, ...extra } } } });
  const attrs = {
    type: "object",
    required: ["title", "capacity"],
    properties: {
      title: { type: "string", minLength: 1, maxLength: 20 },
      capacity: { type: "integer", minimum: 1, maximum: 500 },
      starts_on: { type: "string", format: "date" },
      featured: { type: "boolean", readOnly: true },
      venue: { type: "object", properties: { city: { type: "string" }, secret_key: { type: "string" } } },
      tags: { type: "array", items: { type: "string" } },
      organizer_id: { type: "string" },
    },
  };

  it("compares the scalars the write sent at every depth the read documents, by JSON pointer", () => {
    const m = model(shopDoc());
    const env = agentEnv({ model: m, seed: 1, config });
    const read = op(m, "getOrder");
    read.responses[0].content[0].schema = envelope(attrs, { id: { type: "string" } });
    const sent = { data: { type: "events", attributes: { title: "Jazz", capacity: 40, starts_on: "2027-01-01", featured: true, venue: { city: "Lisbon", secret_key: "x" }, tags: ["a"], organizer_id: "1" } } };
    expect(comparableFields(env, sent, envelope(attrs), read)).toEqual(["/data/type", "/data/attributes/title", "/data/attributes/capacity", "/data/attributes/starts_on", "/data/attributes/venue/city"]);
    // top-level fields keep their plain names
    read.responses[0].content[0].schema = attrs;
    expect(comparableFields(env, { title: "Jazz", capacity: 3, venue: { city: "Porto" } }, attrs, read)).toEqual(["title", "capacity", "/venue/city"]);
    read.responses[0].content[0].schema = envelope(attrs, { id: { type: "string" } });
    // where the read documents no such path, nothing is compared
    read.responses[0].content[0].schema = { type: "object", properties: { data: { type: "object", properties: { id: { type: "string" } } } } };
    expect(comparableFields(env, sent, envelope(attrs), read)).toEqual([]);
  });

  it("the lifecycle's read-back checks the nested fields of the update", () => {
    const doc = shopDoc();
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    schemas.Order = envelope(attrs, { id: { type: "string" } });
    schemas.NewOrder = envelope(attrs);
    (doc.paths as Record<string, Record<string, unknown>>)["/orders/{orderId}"].put = { operationId: "putOrder", requestBody: { required: true, content: content({ $ref: "#/components/schemas/NewOrder" }) }, responses: { "200": ok({ $ref: "#/components/schemas/Order" }) } };
    const m = model(doc);
    (m.operations.find((o) => o.operationId === "createOrder")!.responses[0].content[0] as { schema: unknown }).schema = { $ref: "#/components/schemas/Order" };
    const lifecycle = (stateful.generate({ model: m, seed: 1, config }) as TestCase[]).find((c) => c.operationId === "createOrder" && c.tags?.includes("lifecycle"))!;
    const readBack = lifecycle.steps.find((s) => s.id === "read-updated")!;
    expect(readBack.checks.find((x) => x.name === "stateful_invariant")?.params).toEqual({ expectFrom: "update", fields: expect.arrayContaining(["/data/attributes/capacity", "/data/attributes/title"]) });
  });
});

describe("update read-back of optional fields and calendar dates", () => {
  /** Service records on a vehicle: a PUT with required fields and optional ones, among them a date. */
  const doc = {
    openapi: "3.0.3",
    info: { title: "garage", version: "1" },
    paths: {
      "/cars": { post: { operationId: "createCar", requestBody: { required: true, content: content({ type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 20 } } }) }, responses: { "201": ok({ type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } }) } } },
      "/cars/{carId}/services": { parameters: [idParam("carId")], post: { operationId: "addService", requestBody: { required: true, content: content({ $ref: "#/components/schemas/ServiceInput" }) }, responses: { "201": ok({ $ref: "#/components/schemas/Service" }) } } },
      "/cars/{carId}/services/{serviceId}": {
        parameters: [idParam("carId"), idParam("serviceId")],
        get: { operationId: "getService", responses: { "200": ok({ $ref: "#/components/schemas/Service" }), "404": { description: "no" } } },
        put: { operationId: "replaceService", requestBody: { required: true, content: content({ $ref: "#/components/schemas/ServiceInput" }) }, responses: { "200": ok({ $ref: "#/components/schemas/Service" }) } },
      },
    },
    components: {
      schemas: {
        ServiceInput: {
          type: "object",
          required: ["kind", "doneOn"],
          additionalProperties: false,
          properties: { kind: { type: "string", enum: ["oil", "tyres"] }, doneOn: { type: "string", format: "date" }, nextOn: { type: "string", format: "date", nullable: true }, remindAt: { type: "string", format: "date-time" } },
        },
        Service: { type: "object", properties: { id: { type: "integer", readOnly: true }, kind: { type: "string" }, doneOn: { type: "string", format: "date" }, nextOn: { type: "string", format: "date", nullable: true }, remindAt: { type: "string", format: "date-time" } } },
      },
    },
  };

  it("compares a calendar date as sent, never an instant", () => {
    const m = model(doc);
    const env = agentEnv({ model: m, seed: 1, config });
    const schema = op(m, "replaceService").requestBody!.content[0].schema;
    expect(comparableFields(env, { kind: "oil", doneOn: "2026-11-02", nextOn: "2027-05-02", remindAt: "2027-05-01T08:00:00Z" }, schema, op(m, "getService"))).toEqual(["kind", "doneOn", "nextOn"]);
    // a date written otherwise than YYYY-MM-DD is the server's to normalise
    expect(comparableFields(env, { kind: "oil", doneOn: "20261102" }, schema, op(m, "getService"))).toEqual(["kind"]);
  });

  it("reads back a PUT sent with every optional field, beside the lifecycle's required-only update", () => {
    const m = model(doc);
    const cases = stateful.generate({ model: m, seed: 1, config }) as TestCase[];
    const full = cases.find((c) => c.tags?.includes("full-update"))!;
    expect(full.steps.map((s) => s.id)).toEqual(["setup-carId", "create", "update", "read-updated"]);
    const sent = full.steps[2].request.body?.value as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(["doneOn", "kind", "nextOn", "remindAt"]);
    // a refused update only skips the comparison: the chain does not depend on it
    expect(full.steps[2].requireSuccess).toBeUndefined();
    const invariant = full.steps[3].checks.find((c) => c.name === "stateful_invariant")!;
    expect(invariant.params).toEqual({ expectFrom: "update", fields: ["kind", "doneOn", "nextOn"] });
  });

  it("reads back a PATCH whose optional fields sit inside a required envelope (JSON:API data/attributes)", () => {
    const attributes = { type: "object", additionalProperties: false, minProperties: 1, properties: { name: { type: "string", minLength: 1, maxLength: 20 }, celsius: { type: "number", minimum: -80, maximum: 25 }, slots: { type: "integer", minimum: 1, maximum: 100 } } };
    const envelope = (attrs: unknown, extra: Record<string, unknown> = {}) => ({ type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", enum: ["boxes"] }, ...extra, attributes: attrs } } } });
    const created = { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 20 }, celsius: { type: "number" }, slots: { type: "integer" } } };
    const doc = {
      openapi: "3.0.3",
      info: { title: "boxes", version: "1" },
      paths: {
        "/boxes": { post: { operationId: "createBox", requestBody: { required: true, content: content(envelope({ ...created, required: ["name", "celsius", "slots"] })) }, responses: { "201": ok(envelope(created, { id: { type: "string" } })) } } },
        "/boxes/{boxId}": {
          parameters: [idParam("boxId")],
          get: { operationId: "getBox", responses: { "200": ok(envelope(created, { id: { type: "string" } })), "404": { description: "no" } } },
          // JSON:API's optional data.id must be the path's item: a made-up one is left out
          patch: { operationId: "updateBox", requestBody: { required: true, content: content(envelope(attributes, { id: { type: "string", format: "uuid" } })) }, responses: { "200": ok(envelope(created, { id: { type: "string" } })) } },
        },
      },
    };
    const cases = stateful.generate({ model: model(doc), seed: 1, config }) as TestCase[];
    const full = cases.find((c) => c.tags?.includes("full-update"))!;
    expect(full, cases.map((c) => c.title).join("\n")).toBeDefined();
    const sent = full.steps.find((s) => s.id === "update")!.request.body?.value as { data: { attributes: Record<string, unknown> } };
    expect(Object.keys(sent.data.attributes).sort()).toEqual(["celsius", "name", "slots"]);
    expect(Object.keys(sent.data)).toEqual(["type", "attributes"]);
    const invariant = full.steps.find((s) => s.id === "read-updated")!.checks.find((c) => c.name === "stateful_invariant")!;
    expect(invariant.params?.fields).toEqual(expect.arrayContaining(["/data/attributes/celsius", "/data/attributes/slots"]));
  });

  it("with If-Match, the update with every optional field goes with the read's ETag and is sent again with it: a stale validator is judged on an update that changed something", () => {
    const attributes = { type: "object", additionalProperties: false, properties: { name: { type: "string", minLength: 1, maxLength: 20 }, slots: { type: "integer", minimum: 1, maximum: 100 } } };
    const envelope = (attrs: unknown) => ({ type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", enum: ["boxes"] }, id: { type: "string" }, attributes: attrs } } } });
    const created = { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 20 }, slots: { type: "integer" } } };
    const etag = { ETag: { schema: { type: "string" } } };
    const doc = {
      openapi: "3.0.3",
      info: { title: "boxes", version: "1" },
      paths: {
        "/boxes": { post: { operationId: "createBox", requestBody: { required: true, content: content(envelope(created)) }, responses: { "201": ok(envelope(created), etag) } } },
        "/boxes/{boxId}": {
          parameters: [idParam("boxId")],
          get: { operationId: "getBox", responses: { "200": ok(envelope(created), etag), "404": { description: "no" } } },
          patch: {
            operationId: "updateBox",
            parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }],
            requestBody: { required: true, content: content(envelope(attributes)) },
            responses: { "200": ok(envelope(created), etag), "412": { description: "stale" }, "428": { description: "If-Match missing" } },
          },
        },
      },
    };
    const cases = stateful.generate({ model: model(doc), seed: 1, config }) as TestCase[];
    const full = cases.find((c) => c.tags?.includes("full-update"))!;
    expect(full, cases.map((c) => c.title).join("\n")).toBeDefined();
    expect(full.steps.map((s) => s.id)).toEqual(["create", "read-created", "update", "read-updated", "update-stale"]);
    expect(full.steps[1].extract).toEqual({ etag: { from: "header", name: "etag" } });
    for (const id of ["update", "update-stale"]) expect(full.steps.find((s) => s.id === id)!.request.headers["If-Match"]).toBe("{{etag}}");
    const sent = full.steps.find((s) => s.id === "update")!.request.body?.value as { data: { attributes: Record<string, unknown> } };
    expect(Object.keys(sent.data.attributes).sort()).toEqual(["name", "slots"]);
    expect(full.steps[4].checks.find((c) => c.name === "optimistic_concurrency")!.params).toEqual({ updateStep: "update", staleStep: "read-created", freshStep: "read-updated" });
  });
});
