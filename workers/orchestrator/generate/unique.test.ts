import { describe, expect, it, vi } from "vitest";
import { ModelValidator } from "../../jsonschema/validate";
import { Rng } from "./random";
import { freshenUnique, looksUnique } from "./unique";

describe("looksUnique", () => {
  it("takes the spec's word: a string described as unique is one, whatever its name", () => {
    const vin = (description?: string) => looksUnique("vin", { type: "string", pattern: "^[A-HJ-NPR-Z0-9]{17}$", ...(description ? { description } : {}) }, {});
    expect(vin()).toBe(false);
    expect(vin("ISO 3779 vehicle identification number; unique within the tenant")).toBe(true);
    expect(vin("Must be unique.")).toBe(true);
    expect(vin("No two vehicles share one")).toBe(true);
    expect(vin("need not be unique")).toBe(false);
    expect(vin("non-unique")).toBe(false);
    // a reference described as "the unique id of …" is another resource's id: sent as it is
    expect(looksUnique("customerId", { type: "string", description: "the unique identifier of the customer" }, {})).toBe(false);
    expect(looksUnique("state", { type: "string", enum: ["a", "b"], description: "unique" }, {})).toBe(false);
  });
});

describe("freshenUnique", () => {
  const schemas = {};
  const validator = new ModelValidator({ schemas });
  const body = { name: "ada", meta: { title: "first" } };

  it("a valid body under a schema valid property by property stays valid without asking the validator", () => {
    const schema = { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 20 }, meta: { type: "object", properties: { title: { type: "string" } } } } };
    const asked = vi.spyOn(validator, "check");
    const fresh = freshenUnique(body, schema, new Rng(1), schemas, validator, undefined, true);
    expect(fresh.pointers).toEqual(["/name", "/meta/title"]);
    expect(fresh.valid).toBe(true);
    // only the fresh strings were judged, each against its own property
    expect(asked.mock.calls.every(([value]) => typeof value === "string")).toBe(true);
    asked.mockRestore();
    expect(validator.check(fresh.value, schema)).toBe("valid");
  });

  it("leaves the verdict to the validator when fields depend on each other, or when the old body is not known valid", () => {
    // dependentRequired: the schema is not valid property by property
    const coupled = { type: "object", properties: { name: { type: "string" } }, dependentRequired: { name: ["meta"] } };
    const fresh = freshenUnique({ name: "ada" }, coupled, new Rng(1), schemas, validator, undefined, true);
    expect(fresh.pointers).toEqual([]);
    expect(fresh.value).toEqual({ name: "ada" });
    const plain = { type: "object", properties: { name: { type: "string" } } };
    const asked = vi.spyOn(validator, "check");
    const unsure = freshenUnique({ name: "ada" }, plain, new Rng(1), schemas, validator);
    expect(asked.mock.calls.some(([value]) => typeof value === "object")).toBe(true);
    asked.mockRestore();
    expect(unsure.valid).toBe(true);
  });
});
