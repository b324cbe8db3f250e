import { describe, expect, it } from "vitest";
import { ProblemList } from "./problems";
import { makeNullable, normaliseSchema } from "./schema";

const norm = (schema: unknown, mapRef: (ref: string) => string | undefined = (r) => r) => {
  const problems = new ProblemList();
  return { schema: normaliseSchema(schema, "/s", { problems, mapRef }), problems: problems.toArray() };
};

describe("normaliseSchema", () => {
  it("turns nullable into a type with null", () => {
    expect(norm({ type: "string", nullable: true }).schema).toEqual({ type: ["string", "null"] });
    expect(norm({ type: ["integer", "string"], nullable: true }).schema).toEqual({ type: ["integer", "string", "null"] });
    expect(norm({ type: "string", nullable: false }).schema).toEqual({ type: "string" });
  });

  it("adds null to the enum of a nullable enum, once", () => {
    expect(norm({ type: "string", enum: ["a", "b"], nullable: true }).schema).toEqual({ type: ["string", "null"], enum: ["a", "b", null] });
    expect(norm({ type: "string", enum: ["a", null], nullable: true }).schema).toEqual({ type: ["string", "null"], enum: ["a", null] });
  });

  it("wraps a nullable reference or composition instead of changing it", () => {
    expect(norm({ $ref: "#/components/schemas/Pet", nullable: true }).schema).toEqual({ anyOf: [{ $ref: "#/components/schemas/Pet" }, { type: "null" }] });
    expect(norm({ allOf: [{ $ref: "#/x" }], nullable: true, description: "d" }).schema).toEqual({
      anyOf: [{ allOf: [{ $ref: "#/x" }], description: "d" }, { type: "null" }],
    });
  });

  it("reads Swagger x-nullable the same way", () => {
    expect(norm({ type: "integer", "x-nullable": true }).schema).toEqual({ type: ["integer", "null"] });
  });

  it("normalises nested schemas but leaves example data alone", () => {
    const example = { $ref: "not-a-reference", nullable: true };
    const out = norm({
      type: "object",
      properties: { a: { type: "string", nullable: true }, b: { type: "array", items: { type: "number", nullable: true } } },
      additionalProperties: { type: "boolean", nullable: true },
      example,
      default: { nullable: true },
    }).schema as Record<string, any>;
    expect(out.properties.a.type).toEqual(["string", "null"]);
    expect(out.properties.b.items.type).toEqual(["number", "null"]);
    expect(out.additionalProperties.type).toEqual(["boolean", "null"]);
    expect(out.example).toBe(example);
    expect(out.default).toEqual({ nullable: true });
  });

  it("converts boolean exclusive bounds to numbers", () => {
    expect(norm({ type: "number", minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }).schema).toEqual({ type: "number", exclusiveMinimum: 1, maximum: 9 });
    expect(norm({ type: "number", exclusiveMinimum: 5 }).schema).toEqual({ type: "number", exclusiveMinimum: 5 });
    expect(norm({ type: "number", exclusiveMaximum: true }).schema).toEqual({ type: "number" });
  });

  it("maps Swagger file, string discriminators and tuple items", () => {
    expect(norm({ type: "file" }).schema).toEqual({ type: "string", format: "binary" });
    expect(norm({ discriminator: "kind" }).schema).toEqual({ discriminator: { propertyName: "kind" } });
    expect(norm({ discriminator: { propertyName: "k", mapping: { a: "#/A" } } }).schema).toEqual({ discriminator: { propertyName: "k", mapping: { a: "#/A" } } });
    expect(norm({ items: [{ type: "string" }, { type: "integer", nullable: true }] }).schema).toEqual({ prefixItems: [{ type: "string" }, { type: ["integer", "null"] }] });
  });

  it("keeps 3.1 schemas as they are and never mutates the input", () => {
    const input = { type: ["string", "null"], examples: ["a"], const: "a", $defs: { x: { type: "integer" } } };
    const copy = structuredClone(input);
    expect(norm(input).schema).toEqual(copy);
    const nullable = { type: "string", nullable: true };
    norm(nullable);
    expect(nullable).toEqual({ type: "string", nullable: true });
  });

  it("rewrites refs through the context and drops unresolvable ones", () => {
    expect(norm({ items: { $ref: "#/definitions/Pet" } }, (r) => r.replace("#/definitions/", "#/components/schemas/")).schema).toEqual({ items: { $ref: "#/components/schemas/Pet" } });
    expect(norm({ properties: { a: { $ref: "#/nope" } } }, () => undefined).schema).toEqual({ properties: { a: {} } });
  });

  it("accepts boolean schemas and warns about junk", () => {
    expect(norm(true).schema).toBe(true);
    const junk = norm({ properties: { a: "string" } });
    expect(junk.schema).toEqual({ properties: { a: {} } });
    expect(junk.problems[0]).toMatchObject({ severity: "warning", pointer: "/s/properties/a" });
  });

  it("makeNullable keeps a plain untyped schema as is (it already accepts null)", () => {
    expect(makeNullable({ description: "anything" })).toEqual({ description: "anything" });
  });
});
