import { describe, expect, it } from "vitest";
import { objectShape, resolveSchema, sampleValue, schemaType } from "./sample";

const schemas = {
  A: { $ref: "#/components/schemas/B" },
  B: { type: "integer", minimum: 10 },
  Loop: { $ref: "#/components/schemas/Loop" },
  "a/b": { type: "boolean" },
  Base: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } },
};

describe("schema helpers for the wasm view", () => {
  it("resolves refs, including escaped names, and survives ref cycles", () => {
    expect(resolveSchema({ $ref: "#/components/schemas/A" }, schemas)).toEqual({ type: "integer", minimum: 10 });
    expect(resolveSchema({ $ref: "#/components/schemas/a~1b" }, schemas)).toEqual({ type: "boolean" });
    expect(resolveSchema({ $ref: "#/components/schemas/Loop" }, schemas)).toBe(true);
    expect(resolveSchema({ $ref: "#/components/schemas/Missing" }, schemas)).toBe(true);
  });

  it("picks one type", () => {
    expect(schemaType({ type: ["null", "number"] }, schemas)).toBe("number");
    expect(schemaType({ enum: [null, 3] }, schemas)).toBe("integer");
    expect(schemaType({ const: "x" }, schemas)).toBe("string");
    expect(schemaType({ oneOf: [{}, { $ref: "#/components/schemas/A" }] }, schemas)).toBe("integer");
    expect(schemaType({}, schemas)).toBeUndefined();
  });

  it("samples within bounds and prefers the spec's own examples", () => {
    expect(sampleValue({ $ref: "#/components/schemas/A" }, schemas)).toBe(10);
    expect(sampleValue({ type: "integer", exclusiveMinimum: 1 }, schemas)).toBe(2);
    expect(sampleValue({ type: "integer", maximum: -5 }, schemas)).toBe(-5);
    expect(sampleValue({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }, schemas)).toBe(0.5);
    expect(sampleValue({ type: "string", minLength: 3 }, schemas)).toBe("111");
    expect(sampleValue({ type: "string", format: "date-time" }, schemas)).toBe("2024-01-01T00:00:00Z");
    expect(sampleValue({ type: "string", default: "d", example: "e" }, schemas)).toBe("e");
    expect(sampleValue({ type: "array", items: { type: "boolean" }, minItems: 2 }, schemas)).toEqual([true, true]);
    expect(sampleValue({ $ref: "#/components/schemas/Loop" }, schemas)).toBe("1");
  });

  it("merges allOf members into one object shape", () => {
    const shape = objectShape({ allOf: [{ $ref: "#/components/schemas/Base" }, { properties: { n: { type: "integer" } }, required: ["n"] }] }, schemas);
    expect(shape?.required.sort()).toEqual(["id", "n"]);
    expect(Object.keys(shape!.properties).sort()).toEqual(["id", "n"]);
    expect(sampleValue({ allOf: [{ $ref: "#/components/schemas/Base" }, { required: ["n"], properties: { n: { type: "integer" } } }] }, schemas)).toEqual({
      id: "00000000-0000-4000-8000-000000000001",
      n: 1,
    });
    expect(objectShape({ type: "string" }, schemas)).toBeUndefined();
  });
});
