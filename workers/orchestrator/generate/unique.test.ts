import { describe, expect, it } from "vitest";
import { looksUnique } from "./unique";

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
