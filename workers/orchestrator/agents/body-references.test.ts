import { describe, expect, it } from "vitest";
import type { ApiModel, Step } from "../../model";
import { parseSpec } from "../spec/parse-spec";
import { agentEnv, buildRequest } from "./requests";
import { referencedResources } from "./resources";
import { Rng } from "../generate/random";
import { ModelValidator } from "../../jsonschema/validate";
import { buildRequest as sendable } from "../../executor/request-builder";

// Swagger 2.0 under a base path: a shelf must name the warehouse it stands in (a body `warehouseId`),
// which the server checks exists; warehouses are made by POST /warehouses
const error = { type: "object", properties: { code: { type: "string" }, details: { type: "array", items: { type: "object", properties: { field: { type: "string" } } } } } };
const spec = {
  swagger: "2.0",
  info: { title: "Depots", version: "1" },
  basePath: "/api/v3",
  consumes: ["application/json"],
  produces: ["application/json"],
  definitions: {
    Warehouse: { type: "object", required: ["name"], properties: { id: { type: "string", format: "uuid", readOnly: true }, name: { type: "string", minLength: 1 } } },
    Shelf: {
      type: "object",
      required: ["warehouseId", "label"],
      properties: {
        id: { type: "string", format: "uuid", readOnly: true },
        warehouseId: { type: "string", format: "uuid" },
        label: { type: "string", minLength: 1, maxLength: 20 },
        ownerId: { type: "string", format: "uuid" },
      },
    },
    NewShelf: { allOf: [{ $ref: "#/definitions/Shelf" }, { type: "object", properties: { note: { type: "string" } } }] },
    Rule: { type: "object", required: ["name"], properties: { id: { type: "string", readOnly: true }, name: { type: "string" }, warehouse_id: { type: "string", format: "uuid" } } },
    // a stage is keyed by the warehouse it belongs to (one per warehouse): read at /stages/{warehouseId}
    Stage: { type: "object", required: ["warehouseId"], properties: { warehouseId: { type: "string", format: "uuid" }, topic: { type: "string" } } },
    Error: error,
  },
  paths: {
    "/warehouses": {
      post: { operationId: "createWarehouse", parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Warehouse" } }], responses: { "201": { description: "made", schema: { $ref: "#/definitions/Warehouse" } } } },
    },
    "/shelves": {
      post: {
        operationId: "createShelf",
        parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/NewShelf" } }],
        responses: { "201": { description: "made", schema: { $ref: "#/definitions/Shelf" } }, "422": { description: "unknown warehouse", schema: { $ref: "#/definitions/Error" } } },
      },
    },
    "/shelves/bulk": {
      post: {
        operationId: "bulkShelves",
        parameters: [{ name: "body", in: "body", required: true, schema: { type: "array", minItems: 1, items: { $ref: "#/definitions/NewShelf" } } }],
        responses: { "201": { description: "made", schema: { type: "array", items: { $ref: "#/definitions/Shelf" } } } },
      },
    },
    "/shelves/{shelfId}": {
      parameters: [{ name: "shelfId", in: "path", required: true, type: "string", format: "uuid" }],
      get: { operationId: "getShelf", responses: { "200": { description: "it", schema: { $ref: "#/definitions/Shelf" } } } },
      put: {
        operationId: "putShelf",
        parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/NewShelf" } }],
        responses: { "200": { description: "replaced", schema: { $ref: "#/definitions/Shelf" } }, "201": { description: "made", schema: { $ref: "#/definitions/Shelf" } } },
      },
    },
    "/stages": {
      post: { operationId: "createStage", parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Stage" } }], responses: { "201": { description: "made", schema: { $ref: "#/definitions/Stage" } } } },
    },
    "/stages/{warehouseId}": {
      parameters: [{ name: "warehouseId", in: "path", required: true, type: "string", format: "uuid" }],
      get: { operationId: "getStage", responses: { "200": { description: "it", schema: { $ref: "#/definitions/Stage" } } } },
    },
    "/rules": {
      post: { operationId: "createRule", parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Rule" } }], responses: { "201": { description: "made", schema: { $ref: "#/definitions/Rule" } } } },
    },
  },
};

const model = (): ApiModel => parseSpec(JSON.stringify(spec)).model!;
const env = (m: ApiModel) => agentEnv({ model: m, seed: 3, config: { identities: [], maxCasesPerOperation: 10 } });
const build = (m: ApiModel, operationId: string, options: Parameters<typeof buildRequest>[3] = { useExamples: true, optional: "required" }) =>
  buildRequest(env(m), m.operations.find((o) => o.operationId === operationId)!, new Rng(7), options);
const stepIds = (steps: Step[]) => steps.map((s) => s.id);

describe("a body member naming another resource by its id", () => {
  it("names the resource by the words before the id word, or by the component its schema refers to", () => {
    expect(referencedResources("siteId", {})).toEqual(["site"]);
    expect(referencedResources("site_id", {})).toEqual(["site"]);
    expect(referencedResources("parentSiteUuid", {})).toEqual(["parentsite", "site"]);
    expect(referencedResources("site", { $ref: "#/components/schemas/SiteId" })).toEqual(["site"]);
    expect(referencedResources("id", {})).toEqual([]);
    expect(referencedResources("siteName", {})).toEqual([]);
  });

  it("is filled from a resource of that kind a setup step creates first (Swagger 2.0 body parameter, allOf schema)", () => {
    const m = model();
    const read = build(m, "getShelf");
    expect(stepIds(read.setup)).toEqual(["setup-ref_warehouseId", "setup-shelfId"]);
    const [warehouse, shelf] = read.setup;
    expect(warehouse.request).toMatchObject({ method: "post", path: "/warehouses" });
    expect(warehouse.extract).toEqual({ ref_warehouseId: { from: "body", pointer: "/id" } });
    expect(warehouse.requireSuccess).toBe(true);
    const body = shelf.request.body!.value as Record<string, unknown>;
    // the planned value stays valid for the schema: agents reason about it, the executor binds it
    expect(new ModelValidator(m).check(body, m.operations.find((o) => o.operationId === "createShelf")!.requestBody!.content[0].schema)).toBe("valid");
    expect(shelf.request.references).toEqual([{ pointer: "/warehouseId", variable: "ref_warehouseId", planned: body.warehouseId }]);
  });

  it("keeps a reference's step and variable apart from a path parameter of the same name (a resource keyed by another's id)", () => {
    const read = build(model(), "getStage");
    // the warehouse the stage's body names, then the stage, read at /stages/{warehouseId}
    expect(stepIds(read.setup)).toEqual(["setup-ref_warehouseId", "setup-warehouseId"]);
    const [warehouse, stage] = read.setup;
    expect(warehouse.request).toMatchObject({ method: "post", path: "/warehouses" });
    expect(Object.keys(warehouse.extract!)).toEqual(["ref_warehouseId"]);
    expect(stage.request.references?.map((r) => r.variable)).toEqual(["ref_warehouseId"]);
    expect(Object.keys(stage.extract!)).toEqual(["warehouseId"]);
    expect(read.request.pathParams).toEqual({ warehouseId: "{{warehouseId}}" });
  });

  it("makes a create certain (positive checks may judge it) once its required references are bound", () => {
    const create = build(model(), "createShelf");
    expect(stepIds(create.setup)).toEqual(["setup-ref_warehouseId"]);
    expect(create.certain).toBe(true);
  });

  it("names the same resource in an upsert as the create its path parameter's setup sent", () => {
    const put = build(model(), "putShelf");
    expect(stepIds(put.setup)).toEqual(["setup-ref_warehouseId", "setup-shelfId"]);
    expect(put.request.references?.map((r) => r.variable)).toEqual(["ref_warehouseId"]);
  });

  it("binds every element of an array (bulk) body to one resource", () => {
    const bulk = build(model(), "bulkShelves", { useExamples: false, optional: "required" });
    const items = bulk.request.body!.value as unknown[];
    expect(items.length).toBeGreaterThan(0);
    expect(stepIds(bulk.setup)).toEqual(["setup-ref_warehouseId"]);
    expect(bulk.request.references?.map((r) => r.pointer)).toEqual(items.map((_, i) => `/${i}/warehouseId`));
  });

  it("fills an optional snake_case reference when it is sent, its setup allowed to fail", () => {
    const rule = build(model(), "createRule", { useExamples: false, optional: "all" });
    expect(rule.setup.map((s) => [s.id, s.requireSuccess])).toEqual([["setup-ref_warehouse_id", false]]);
    expect(rule.request.references?.map((r) => r.pointer)).toEqual(["/warehouse_id"]);
  });

  it("names by its last words a collection whose name qualifies the member's (warehouseId → /storage-warehouses, /storage_warehouses, /storageWarehouses), when no other does", () => {
    const renamed = (path: string) => JSON.parse(JSON.stringify(spec).replace(/"\/warehouses"/g, `"${path}"`));
    const shelf = (s: unknown) => {
      const m = parseSpec(JSON.stringify(s)).model!;
      return buildRequest(env(m), m.operations.find((o) => o.operationId === "createShelf")!, new Rng(7), { useExamples: true, optional: "required" });
    };
    for (const path of ["/storage-warehouses", "/storage_warehouses", "/storageWarehouses"]) {
      const create = shelf(renamed(path));
      expect(create.setup.map((s) => s.request.path)).toEqual([path]);
      expect(create.request.references?.map((r) => r.pointer)).toEqual(["/warehouseId"]);
    }
    // two collections of that kind: neither is chosen
    const twice = renamed("/storage-warehouses");
    twice.paths["/cold-warehouses"] = twice.paths["/storage-warehouses"];
    expect(shelf(twice).setup).toEqual([]);
    // the exact name still wins over a qualified one
    const both = JSON.parse(JSON.stringify(spec));
    both.paths["/cold-warehouses"] = both.paths["/warehouses"];
    expect(shelf(both).setup.map((s) => s.request.path)).toEqual(["/warehouses"]);
    // whole words only: /bigwarehouses is no warehouse
    expect(shelf(renamed("/bigwarehouses")).setup).toEqual([]);
  });

  it("has the run's first identity make what a lower identity's body names (an employee cannot create the policy its request names)", () => {
    const m = model();
    const two = agentEnv({ model: m, seed: 3, config: { identities: ["admin", "employee"], maxCasesPerOperation: 10 } });
    const create = buildRequest(two, m.operations.find((o) => o.operationId === "createShelf")!, new Rng(7), { useExamples: true, optional: "required", identity: "employee" });
    expect(create.setup.map((s) => s.request.identity ?? "admin")).toEqual(["admin"]);
    expect(create.request.identity).toBe("employee");
  });

  it("leaves alone a member naming nothing the API creates (ownerId without /owners) and a chain-less request", () => {
    const create = build(model(), "createShelf", { useExamples: false, optional: "all" });
    expect(create.request.references?.map((r) => r.pointer)).toEqual(["/warehouseId"]);
    const alone = build(model(), "createShelf", { chain: false, optional: "required" });
    expect(alone.setup).toEqual([]);
    expect(alone.request.references).toBeUndefined();
  });
});

describe("the executor binding a body reference", () => {
  const template = (value: unknown) => ({ method: "post", path: "/shelves", pathParams: {}, query: {}, headers: {}, body: { contentType: "application/json", value }, references: [{ pointer: "/warehouseId", variable: "warehouseId", planned: "p" }] });
  const sent = async (value: unknown, variables: Record<string, unknown>) => JSON.parse((await sendable(template(value), { baseUrl: "http://x", variables })).body!) as Record<string, unknown>;

  it("puts the created id where the body still holds the planned value", async () => {
    expect(await sent({ warehouseId: "p", label: "a" }, { warehouseId: "w-1" })).toEqual({ warehouseId: "w-1", label: "a" });
  });

  it("sends what a case chose instead (a changed or removed member), and the planned value when nothing was created", async () => {
    expect(await sent({ warehouseId: 12, label: "a" }, { warehouseId: "w-1" })).toEqual({ warehouseId: 12, label: "a" });
    expect(await sent({ label: "a" }, { warehouseId: "w-1" })).toEqual({ label: "a" });
    expect(await sent({ warehouseId: "p" }, {})).toEqual({ warehouseId: "p" });
  });
});

describe("resources one body names together", () => {
  // a move between two wallets of the same currency: both are made by POST /wallets
  const wallets = parseSpec(
    JSON.stringify({
      openapi: "3.1.0",
      info: { title: "Wallets", version: "1" },
      paths: {
        "/wallets": { post: { operationId: "openWallet", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewWallet" } } } }, responses: { "201": { description: "made", content: { "application/json": { schema: { $ref: "#/components/schemas/Wallet" } } } } } } },
        "/wallets/{wallet_id}": { get: { operationId: "getWallet", parameters: [{ name: "wallet_id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "it", content: { "application/json": { schema: { $ref: "#/components/schemas/Wallet" } } } } } } },
        "/moves": { post: { operationId: "move", requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["from_wallet_id", "to_wallet_id", "amount"], properties: { from_wallet_id: { type: "string" }, to_wallet_id: { type: "string" }, amount: { type: "integer", minimum: 1 } } } } } }, responses: { "201": { description: "moved" } } } },
      },
      components: {
        schemas: {
          NewWallet: { type: "object", required: ["name", "currency"], properties: { name: { type: "string", minLength: 1 }, currency: { type: "string", enum: ["EUR", "USD", "GBP", "JPY", "CHF"] } } },
          Wallet: { type: "object", properties: { id: { type: "string", readOnly: true }, name: { type: "string" }, currency: { type: "string" } } },
        },
      },
    }),
  ).model!;

  it("makes them alike: the second create repeats the first's values, its unique-looking ones fresh", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const built = buildRequest(env(wallets), wallets.operations.find((o) => o.operationId === "move")!, new Rng(seed), { useExamples: true, optional: "required", includeBody: true });
      const [from, to] = ["setup-ref_from_wallet_id", "setup-ref_to_wallet_id"].map((id) => built.setup.find((s: Step) => s.id === id)!.request.body?.value as { name: string; currency: string });
      expect(to.currency).toBe(from.currency);
      expect(to.name).not.toBe(from.name);
    }
  });
});
