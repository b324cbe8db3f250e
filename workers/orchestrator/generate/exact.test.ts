import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../../model";
import { ModelValidator } from "../../jsonschema/validate";
import { generateVouched, type GenContext } from "./data-mocking";
import { generatesExactly, TRUSTED_FORMATS } from "./exact";
import { formatValue } from "./formats";
import { Rng } from "./random";

const schemas: Record<string, JsonSchema> = {
  Meta: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 3 }, created: { type: "string", format: "date-time", readOnly: true }, labels: { type: "object", additionalProperties: { type: "string" } } } },
  Item: { type: "object", required: ["meta", "tags"], properties: { meta: { $ref: "#/components/schemas/Meta", description: "about it" }, tags: { type: "array", items: { type: "string", enum: ["a", "b"] }, minItems: 1, maxItems: 2, uniqueItems: true }, size: { type: "integer", minimum: 3, maximum: 5, format: "int32" }, ratio: { type: "number", minimum: 0.25, maximum: 0.75 }, child: { $ref: "#/components/schemas/Item" } } },
  Few: { type: "array", items: { type: "boolean" }, minItems: 3, uniqueItems: true },
};

/** Every vouched value of `schema` over many draws is valid for the validator; returns how many were vouched. */
function vouchedValid(schema: JsonSchema, extra: Partial<GenContext> = {}): number {
  const validator = new ModelValidator({ schemas });
  let vouched = 0;
  for (let seed = 1; seed <= 40; seed++) {
    for (const optional of ["all", "required", "random"] as const) {
      const draw = generateVouched(schema, { schemas, rng: new Rng(seed), mode: "request", optional, useExamples: true, ...extra });
      if (!draw.valid) continue;
      vouched++;
      expect(validator.check(draw.value, schema), JSON.stringify(draw.value)).toBe("valid");
    }
  }
  return vouched;
}

describe("values valid by construction", () => {
  it("vouches for plain schemas, and the validator agrees with every vouched value", () => {
    expect(vouchedValid({ $ref: "#/components/schemas/Item" })).toBe(120);
    expect(vouchedValid({ type: "string", maxLength: 0 })).toBe(120);
    expect(vouchedValid({ type: "integer", minimum: -3, maximum: -1 }, { wire: true, name: "offset" })).toBe(120);
    expect(vouchedValid({ type: ["string", "null"], format: "uuid" })).toBe(120);
  });

  it("does not vouch for what only the validator can tell", () => {
    for (const schema of [
      { type: "string", pattern: "^[a-z]+$" },
      { type: "string", format: "uri-template" },
      { type: "number", exclusiveMinimum: 0 },
      { type: "integer", multipleOf: 3 },
      { type: "integer", minimum: 0.5, maximum: 0.7 },
      { type: "string", minLength: 3, maxLength: 2 },
      { oneOf: [{ type: "string" }, { type: "integer" }] },
      { allOf: [{ type: "string" }] },
      { type: "object", required: ["x"], additionalProperties: false },
      { type: "object", minProperties: 1 },
      { type: "string", enum: ["a", 1] },
      { $ref: "#/components/schemas/Missing" },
      { $ref: "#/components/schemas/Meta", maxLength: 2 },
      { type: "object", discriminator: { propertyName: "kind" } },
    ] as JsonSchema[]) expect(generatesExactly(schema, schemas), JSON.stringify(schema)).toBe(false);
  });

  it("does not vouch for a value that fell short of its schema (three distinct booleans)", () => {
    expect(generatesExactly(schemas.Few, schemas)).toBe(true);
    expect(vouchedValid(schemas.Few)).toBe(0);
  });

  it("does not vouch for an example the generator cannot check a format of", () => {
    const draw = generateVouched({ type: "string", format: "date-time", example: "yesterday" }, { schemas, rng: new Rng(1), mode: "request", useExamples: true });
    expect(draw).toEqual({ value: "yesterday", valid: false });
  });

  it("writes values the validator accepts for every trusted format", () => {
    const validator = new ModelValidator({ schemas });
    for (const format of TRUSTED_FORMATS) {
      for (let seed = 1; seed <= 200; seed++) expect(validator.check(formatValue(format, new Rng(seed)), { type: "string", format }), format).toBe("valid");
    }
  });
});
