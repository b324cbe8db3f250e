import { describe, expect, it } from "vitest";
import type { ApiModel, JsonSchema, Operation, TestCase } from "../../model";
import { ModelValidator } from "../../jsonschema/validate";
import { onCreatedValues } from "./created-values";
import { functionalNegative } from "./functional-negative";
import { securityAuth } from "./security-auth";

const Tier = { type: "object", required: ["name", "quantity"], properties: { name: { type: "string" }, quantity: { type: "integer", minimum: 1 } } };
const Attributes = {
  type: "object",
  required: ["starts_on", "ends_on", "capacity", "tiers"],
  additionalProperties: false,
  properties: {
    title: { type: "string" },
    starts_on: { type: "string", format: "date" },
    ends_on: { type: "string", format: "date" },
    capacity: { type: "integer", minimum: 1 },
    tiers: { type: "array", minItems: 1, items: { $ref: "#/components/schemas/Tier" } },
    featured: { type: "boolean", readOnly: true },
  },
};
/** A JSON:API-like envelope: the rules across fields live in data.attributes. */
const Write: JsonSchema = { type: "object", required: ["data"], additionalProperties: false, properties: { data: { type: "object", required: ["type", "attributes"], additionalProperties: false, properties: { type: { type: "string", enum: ["events"] }, id: { type: "string" }, attributes: { $ref: "#/components/schemas/Attributes" } } } } };
const schemas = { Tier, Attributes } as Record<string, JsonSchema>;
const validator = new ModelValidator({ schemas });

const created = { data: { type: "events", attributes: { title: "Harbour Jazz Night", starts_on: "2027-03-14", ends_on: "2027-03-15", capacity: 400, tiers: [{ name: "standard", quantity: 300 }], featured: true, venue: "undeclared" } } };
const generated = { data: { type: "events", id: "{{eventId}}", attributes: { starts_on: "2031-08-02", ends_on: "2019-01-09", capacity: 7, tiers: [{ name: "x", quantity: 90 }, { name: "y", quantity: 3 }] } } };

describe("onCreatedValues", () => {
  it("takes the created values the update declares, at any depth; keeps its own elsewhere and what earlier steps produced", () => {
    const body = onCreatedValues(generated, created, Write, schemas, validator) as typeof generated & { data: { attributes: Record<string, unknown> } };
    expect(body.data.attributes).toEqual({ title: "Harbour Jazz Night", starts_on: "2027-03-14", ends_on: "2027-03-15", capacity: 400, tiers: [{ name: "standard", quantity: 300 }] });
    expect(body.data.id).toBe("{{eventId}}");
    // free text of the update's own stays (no rule across fields reads it)
    const titled = { data: { ...generated.data, attributes: { ...generated.data.attributes, title: "Sentinel title x7k2" } } };
    expect((onCreatedValues(titled, created, Write, schemas, validator) as typeof created).data.attributes).toMatchObject({ title: "Sentinel title x7k2", capacity: 400 });
  });
  it("leaves readOnly and undeclared members of the create out", () => {
    const body = onCreatedValues(generated, created, Write, schemas, validator) as { data: { attributes: Record<string, unknown> } };
    expect(body.data.attributes).not.toHaveProperty("featured");
    expect(body.data.attributes).not.toHaveProperty("venue");
  });
  it("undefined when the result is not valid for the update, changes nothing, or either side is no object", () => {
    expect(onCreatedValues(generated, { data: { type: "events", attributes: { capacity: "many" } } }, Write, schemas, validator)).toBeUndefined();
    expect(onCreatedValues(generated, generated, Write, schemas, validator)).toBeUndefined();
    expect(onCreatedValues(generated, undefined, Write, schemas, validator)).toBeUndefined();
    expect(onCreatedValues([1], created, Write, schemas, validator)).toBeUndefined();
  });
});

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const json = (schema: unknown, example?: unknown) => [{ contentType: "application/json", schema: schema as never, ...(example === undefined ? {} : { example }) }];
const idParam = { name: "eventId", in: "path" as const, required: true, schema: { type: "string" } };
const Event = { type: "object", properties: { id: { type: "string" } } };
const example = { data: { type: "events", attributes: { title: "Harbour Jazz Night", starts_on: "2027-03-14", ends_on: "2027-03-15", capacity: 400, tiers: [{ name: "standard", quantity: 300 }] } } };
const model: ApiModel = {
  sourceVersion: "3.0.3",
  title: "events",
  version: "1",
  servers: [],
  securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
  schemas: { ...schemas, Write },
  operations: [
    op({ operationId: "createEvent", method: "post", path: "/events", requestBody: { required: true, content: json({ $ref: "#/components/schemas/Write" }, example) }, responses: [{ status: "201", content: json(Event), headers: [], links: [] }] }),
    op({ operationId: "getEvent", method: "get", path: "/events/{eventId}", parameters: [idParam], responses: [{ status: "200", content: json(Event), headers: [], links: [] }] }),
    op({ operationId: "putEvent", method: "put", path: "/events/{eventId}", parameters: [idParam], requestBody: { required: true, content: json({ $ref: "#/components/schemas/Write" }) }, responses: [{ status: "200", content: json(Event), headers: [], links: [] }] }),
  ],
};
const config = { identities: ["alice", "bob"], maxCasesPerOperation: 50 };
const attributesOf = (c: TestCase, stepId: string) => (c.steps.find((s) => s.id === stepId)!.request.body!.value as typeof created).data.attributes;

describe("updates of a created resource are built on its values", () => {
  it.each([1, 2, 3])("BOLA: the other identity's PUT carries the owner's own values (seed %i)", async (seed) => {
    const bola = (await securityAuth.generate({ model, seed, config })).find((c) => c.tags?.includes("bola"))!;
    const own = attributesOf(bola, "create");
    expect(attributesOf(bola, "attacker-update")).toMatchObject({ starts_on: own.starts_on, ends_on: own.ends_on, capacity: own.capacity, tiers: own.tiers });
  });
  it.each([1, 2, 3])("the negative cases of the PUT mutate the values the setup created the event with (seed %i)", async (seed) => {
    const cases = (await functionalNegative.generate({ model, seed, config })).filter((c) => c.operationId === "putEvent" && c.title.endsWith("at /data/attributes/tiers/0/quantity"));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(attributesOf(c, "request")).toMatchObject({ starts_on: "2027-03-14", ends_on: "2027-03-15", capacity: 400 });
  });
});
