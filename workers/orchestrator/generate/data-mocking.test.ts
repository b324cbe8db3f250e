import { Validator, type Schema } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../../model";
import { coerceWire, generateInvalid, generateValid } from "./data-mocking";
import { Rng } from "./random";
import { generateFromPattern, patternLengthViolations } from "./regex-gen";
import { petstoreModel } from "../agents/test-fixtures";
import { ModelValidator } from "../../jsonschema/validate";

const model = petstoreModel();
const schemas = model.schemas;

/** An independent judge: cfworker over a root document holding the components. */
function rawValid(value: unknown, schema: JsonSchema): boolean {
  const root = { ...(typeof schema === "object" ? schema : {}), components: { schemas } } as unknown as Schema;
  return new Validator(root, "2020-12", false).validate(value).valid;
}

const FIXTURE_SCHEMAS: Record<string, JsonSchema> = {
  pet: { $ref: "#/components/schemas/Pet" },
  newPet: { $ref: "#/components/schemas/NewPet" },
  recursive: { $ref: "#/components/schemas/Node" },
  union: { oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }] },
  anyOfScalars: { anyOf: [{ type: "integer", minimum: 5, maximum: 6 }, { type: "string", format: "date" }] },
  nullable: { type: ["string", "null"], maxLength: 3 },
  exclusive: { type: "number", exclusiveMinimum: 1.5, exclusiveMaximum: 2 },
  multiple: { type: "integer", minimum: 7, maximum: 100, multipleOf: 7 },
  decimals: { type: "number", minimum: 0, maximum: 1, multipleOf: 0.01 },
  int32: { type: "integer", format: "int32" },
  formats: {
    type: "object",
    required: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"],
    properties: {
      a: { type: "string", format: "email" },
      b: { type: "string", format: "uuid" },
      c: { type: "string", format: "date" },
      d: { type: "string", format: "date-time" },
      e: { type: "string", format: "time" },
      f: { type: "string", format: "uri" },
      g: { type: "string", format: "hostname" },
      h: { type: "string", format: "ipv4" },
      i: { type: "string", format: "ipv6" },
      j: { type: "string", format: "byte" },
      k: { type: "string", format: "url" },
      l: { type: "string", format: "password", minLength: 20 },
    },
  },
  names: { type: "object", required: ["email", "phone", "country", "currency", "firstName", "city", "websiteUrl"], properties: { email: { type: "string" }, phone: { type: "string" }, country: { type: "string", maxLength: 2 }, currency: { type: "string" }, firstName: { type: "string" }, city: { type: "string" }, websiteUrl: { type: "string" } } },
  arrays: { type: "array", items: { type: "integer", minimum: 1, maximum: 4 }, minItems: 3, maxItems: 4, uniqueItems: true },
  prefixItems: { type: "array", prefixItems: [{ type: "string", const: "x" }, { type: "boolean" }], minItems: 2 },
  map: { type: "object", additionalProperties: { type: "integer" }, minProperties: 2 },
  closed: { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[a-f0-9]{8}$" }, note: { type: "string" } }, additionalProperties: false },
  patterns: { type: "string", pattern: "^(?:[A-Z]{2}\\d{2}|x+)-[a-z_]{3,5}\\.(json|xml)$" },
  enumWithNull: { enum: ["a", "b", null] },
  constant: { const: { fixed: [1, 2] } },
  allOfBounds: { allOf: [{ type: "integer", minimum: 10 }, { maximum: 12 }] },
  discriminated: { $ref: "#/components/schemas/Node" },
};

describe("generateValid", () => {
  it("produces schema-valid values for every fixture schema across seeds (response mode, raw validator)", () => {
    for (const [name, schema] of Object.entries(FIXTURE_SCHEMAS)) {
      for (let seed = 0; seed < 25; seed++) {
        for (const optional of ["all", "required", "random"] as const) {
          const value = generateValid(schema, { schemas, rng: new Rng(seed), mode: "response", optional });
          expect(rawValid(value, schema), `${name} seed ${seed} ${optional}: ${JSON.stringify(value)}`).toBe(true);
        }
      }
    }
  });

  it("leaves readOnly properties out of requests and the request view accepts that", () => {
    const validator = new ModelValidator(model);
    for (let seed = 0; seed < 20; seed++) {
      const value = generateValid({ $ref: "#/components/schemas/Pet" }, { schemas, rng: new Rng(seed), mode: "request", optional: "all" }) as Record<string, unknown>;
      expect(value).not.toHaveProperty("id");
      expect(value).not.toHaveProperty("createdAt");
      expect(validator.check(value, { $ref: "#/components/schemas/Pet" })).toBe("valid");
    }
  });

  it("takes the requested oneOf branch and names it in the discriminator", () => {
    const schema: JsonSchema = model.operations.find((o) => o.operationId === "searchPets")!.requestBody!.content[0].schema;
    const cat = generateValid(schema, { schemas, rng: new Rng(1), branch: 0 }) as Record<string, unknown>;
    const dog = generateValid(schema, { schemas, rng: new Rng(1), branch: 1 }) as Record<string, unknown>;
    expect(cat.petType).toBe("cat");
    expect(typeof cat.meows).toBe("boolean");
    expect(dog.petType).toBe("dog");
    expect(dog.barkVolume).toBeGreaterThanOrEqual(1);
  });

  it("uses realistic values for formats and telling names", () => {
    const value = generateValid(FIXTURE_SCHEMAS.names, { schemas, rng: new Rng(3) }) as Record<string, string>;
    expect(value.email).toMatch(/@example\.com$/);
    expect(value.phone).toMatch(/^\+1\d+$/);
    expect(value.country).toBe("US");
    expect(value.currency).toBe("USD");
    expect(value.websiteUrl).toMatch(/^https:\/\//);
  });

  it("prefers schema examples that fit, and ignores those that do not", () => {
    expect(generateValid({ type: "string", example: "doggie" }, { schemas, rng: new Rng(1) })).toBe("doggie");
    expect(generateValid({ type: "string", maxLength: 3, example: "too long" }, { schemas, rng: new Rng(1) })).not.toBe("too long");
  });

  it("keeps one-sided integer ranges small and realistic", () => {
    for (let seed = 0; seed < 10; seed++) {
      const value = generateValid({ type: "integer", format: "int64", maximum: 50 }, { schemas, rng: new Rng(seed) }) as number;
      expect(value).toBeLessThanOrEqual(50);
      expect(value).toBeGreaterThanOrEqual(-50);
    }
  });

  it("treats a property marked readOnly by one allOf part but plain in another as input", () => {
    const schema = { allOf: [{ type: "object", properties: { kind: { type: "string", readOnly: true } } }, { type: "object", required: ["kind"], properties: { kind: { type: "string", enum: ["a"] } } }] };
    expect(generateValid(schema, { schemas, rng: new Rng(1), mode: "request" })).toEqual({ kind: "a" });
  });

  it("is deterministic for a seed", () => {
    const a = generateValid(FIXTURE_SCHEMAS.pet, { schemas, rng: new Rng(42), optional: "random" });
    const b = generateValid(FIXTURE_SCHEMAS.pet, { schemas, rng: new Rng(42), optional: "random" });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("keeps wire values non-empty printable ASCII", () => {
    for (let seed = 0; seed < 30; seed++) {
      const value = generateValid({ type: "string" }, { schemas, rng: new Rng(seed), wire: true, name: "fileName" });
      expect(value).toMatch(/^[\x21-\x7e ]+$/);
    }
  });
});

describe("generateFromPattern", () => {
  const patterns = ["^[a-z]{2,8}$", "^[A-Z]{3}-\\d{4}$", "^\\+?[1-9]\\d{1,14}$", "^(foo|bar)+baz?$", "[^\\s@]+@[^\\s@]+\\.[a-z]{2,}", "^\\w+(?:\\.\\w+)*$", "^#[0-9a-fA-F]{6}$", "^(?<year>\\d{4})-(0[1-9]|1[0-2])$", "^v\\d+\\.\\d+\\.\\d+(-[a-z0-9.]+)?$", "^[^/]+$"];
  it("generates matching strings for common patterns", () => {
    for (const pattern of patterns) {
      for (let seed = 0; seed < 10; seed++) {
        const text = generateFromPattern(pattern, new Rng(seed));
        expect(text, pattern).toBeDefined();
        expect(new RegExp(pattern, "u").test(text!), `${pattern} → ${text}`).toBe(true);
      }
    }
  });
  it("honours length bounds and gives up on lookarounds", () => {
    expect([...generateFromPattern("^[a-z]+$", new Rng(1), { minLength: 30, maxLength: 40 })!].length).toBeGreaterThanOrEqual(30);
    expect(generateFromPattern("^(?=.*\\d)[a-z\\d]{8}$", new Rng(1))).toBeUndefined();
    expect(generateFromPattern("^(a)\\1$", new Rng(1))).toBeUndefined();
  });
});

describe("patternLengthViolations", () => {
  it("keeps a pattern's characters and breaks its quantifier by one, only where the pattern refuses it", () => {
    expect(patternLengthViolations("^[A-HJ-NPR-Z0-9]{17}$")).toEqual([
      { text: "ABCDEFGHJKLMNPRS", short: true },
      { text: "ABCDEFGHJKLMNPRSTU", short: false },
    ]);
    expect(patternLengthViolations("^[0-9]{4}-[0-9]{2}$").map((v) => v.text)).toEqual(["012-45", "01234-67", "0123-5", "0123-567"]);
    // a fixed part then `+`: the `+` left out
    expect(patternLengthViolations("^[A-Z]{3}[0-9]+$").map((v) => v.text)).toEqual(["AB2", "ABCD4", "ABC"]);
    // one longer first part is still matched by the optional rest: only the short one
    expect(patternLengthViolations("^[0-9]{4}[0-9]{0,2}$").map((v) => v.text)).toEqual(["012", "0123456"]);
  });
  it("gives nothing it cannot shorten or lengthen safely", () => {
    expect(patternLengthViolations("^[a-z0-9]+$")).toEqual([]); // only the empty text is shorter
    expect(patternLengthViolations("^[a-z]*$")).toEqual([]);
    expect(patternLengthViolations("^(?:[0-9]{3}|[a-z]{2})$")).toEqual([]); // alternatives: no one length
    expect(patternLengthViolations("^(?=.*\\d)[a-z\\d]{8}$")).toEqual([]); // lookaround: unparsed
    expect(patternLengthViolations("[0-9]{4}").map((v) => v.text)).toEqual(["012"]); // unanchored: five digits hold four
  });
});

describe("generateInvalid", () => {
  const validator = new ModelValidator(model);

  it("sends a pattern's characters at a length its quantifier refuses, within minLength/maxLength", () => {
    const vin = { type: "object", properties: { vin: { type: "string", pattern: "^[A-HJ-NPR-Z0-9]{17}$" } } };
    const mutations = generateInvalid(vin, { schemas, base: { vin: "WDB9066331S123456" }, validator });
    expect(mutations.filter((m) => m.kind === "pattern").map((m) => (m.value as { vin: string }).vin)).toEqual(["sentinel invalid value!", "ABCDEFGHJKLMNPRS", "ABCDEFGHJKLMNPRSTU"]);
    const bounded = generateInvalid({ type: "string", pattern: "^[A-Z]{2,4}$", minLength: 2, maxLength: 4 }, { schemas, base: "AB", validator, wire: true });
    expect(bounded.filter((m) => m.kind === "pattern").map((m) => m.value)).toEqual(["sentinel invalid value!"]);
  });

  it("sends the numbers a decimal-text pattern forbids: negated, zero in its shape, one decimal too many", () => {
    const transfer = { type: "object", properties: { amount: { type: "string", pattern: "^(0\\.(0[1-9]|[1-9][0-9])|[1-9][0-9]{0,5}\\.[0-9]{2})$" } } };
    const mutations = generateInvalid(transfer, { schemas, base: { amount: "25.00" }, validator });
    const amounts = mutations.filter((m) => m.kind === "pattern").map((m) => [(m.value as { amount: string }).amount, m.reason]);
    expect(amounts).toEqual(expect.arrayContaining([["-25.00", "negative number text not matching pattern at /amount"], ["0.00", "zero as number text not matching pattern at /amount"], ["25.001", "number text with one more decimal not matching pattern at /amount"]]));
    for (const m of mutations) expect(rawValid(m.value, transfer)).toBe(false);
    // a pattern that admits a sign (a balance) or any digits: no such value; nor for a text that is no number
    const signed = generateInvalid({ type: "string", pattern: "^-?(0|[1-9][0-9]*)\\.[0-9]{2}$" }, { schemas, base: "25.00", validator, wire: true });
    expect(signed.map((m) => m.value)).not.toContain("-25.00");
    expect(signed.map((m) => m.value)).toContain("25.001");
    expect(generateInvalid({ type: "string", pattern: "^[A-Z]{3}$" }, { schemas, base: "EUR", validator }).some((m) => /number text/.test(m.reason))).toBe(false);
    // digits without a fraction are more often a code (a PIN) than an amount
    expect(generateInvalid({ type: "string", pattern: "^[0-9]{4}$" }, { schemas, base: "4821", validator }).some((m) => /number text/.test(m.reason))).toBe(false);
  });

  it("returns only mutations that are really invalid (raw validator), weak ones flagged", () => {
    for (const [name, schema] of Object.entries(FIXTURE_SCHEMAS)) {
      const base = generateValid(schema, { schemas, rng: new Rng(5), mode: "response", optional: "all" });
      const mutations = generateInvalid(schema, { schemas, base, validator });
      for (const m of mutations) {
        if (m.weak) continue;
        expect(rawValid(m.value, schema), `${name}: ${m.reason} → ${JSON.stringify(m.value)}`).toBe(false);
      }
    }
  });

  it("covers boundaries, types, null, enum, required, additional properties and items", () => {
    const order = { $ref: "#/components/schemas/Order" };
    const reasons = generateInvalid(order, { schemas, base: { quantity: 5, note: "hi" }, validator }).map((m) => m.reason);
    expect(reasons).toEqual(expect.arrayContaining(["minimum-1 at /quantity", "maximum+1 at /quantity", "maxLength+1 at /note", 'missing required property "quantity"', "null where not nullable at /quantity", "fraction for an integer at /quantity"]));
    const closed = generateInvalid(FIXTURE_SCHEMAS.closed, { schemas, base: { id: "abcdef12" }, validator });
    expect(closed.map((m) => m.kind)).toEqual(expect.arrayContaining(["additional", "pattern", "required", "type"]));
    const status = generateInvalid({ type: "string", enum: ["a", "b"] }, { schemas, base: "a", validator });
    expect(status.some((m) => m.kind === "enum")).toBe(true);
    const arrays = generateInvalid(FIXTURE_SCHEMAS.arrays, { schemas, base: [1, 2, 3], validator });
    expect(arrays.map((m) => m.reason)).toEqual(expect.arrayContaining(["minItems-1", "maxItems+1", "duplicate items with uniqueItems"]));
  });

  it("never claims a type is wrong when the schema admits it", () => {
    const either = { type: ["string", "integer", "null"] };
    const mutations = generateInvalid(either, { schemas, base: "x", validator });
    expect(mutations.filter((m) => m.kind === "null" || typeof m.value === "string" || Number.isInteger(m.value))).toEqual([]);
    expect(mutations.map((m) => m.value)).toEqual(expect.arrayContaining([true, 1.5]));
    const union = { anyOf: [{ type: "string" }, { type: "number" }] };
    expect(generateInvalid(union, { schemas, base: "x", validator }).filter((m) => m.kind === "type" && typeof m.value === "number")).toEqual([]);
  });

  it("mutates a union of objects inside the branch the value belongs to (discriminator or validator), never a nullable wrapper", () => {
    const tagged = { oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }], discriminator: { propertyName: "petType", mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" } } };
    const dog = generateInvalid(tagged, { schemas, base: { petType: "dog", barkVolume: 5 }, validator }).map((m) => m.reason);
    expect(dog).toEqual(expect.arrayContaining(['missing required property "barkVolume"', "maximum+1 at /barkVolume", "minimum-1 at /barkVolume"]));
    const untagged = { anyOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }] };
    expect(generateInvalid(untagged, { schemas, base: { petType: "c", meows: true }, validator }).map((m) => m.reason)).toEqual(expect.arrayContaining(['missing required property "meows"', "wrong type (string) at /meows"]));
    for (const m of generateInvalid(untagged, { schemas, base: { petType: "c", meows: true }, validator })) expect(rawValid(m.value, untagged), m.reason).toBe(false);
    // a nullable object is one branch and null: mutated as before (its own properties are not reached)
    const nullable = { anyOf: [{ $ref: "#/components/schemas/Dog" }, { type: "null" }] };
    expect(generateInvalid(nullable, { schemas, base: { petType: "d", barkVolume: 3 }, validator }).map((m) => m.reason)).not.toContain("maximum+1 at /barkVolume");
  });

  it("marks format violations weak", () => {
    const mutations = generateInvalid({ type: "string", format: "email" }, { schemas, base: "a@example.com", validator });
    const format = mutations.find((m) => m.kind === "format");
    expect(format?.weak).toBe(true);
    expect(mutations.filter((m) => !m.weak).every((m) => m.kind !== "format")).toBe(true);
  });

  it("wire mutations stay invalid once the server reads the text back", () => {
    const limit = { type: "integer", minimum: 1, maximum: 100 };
    const mutations = generateInvalid(limit, { schemas, wire: true, validator });
    expect(mutations.map((m) => m.value)).toEqual(expect.arrayContaining(["sentinel-nan", "1.5", "0", "101"]));
    for (const m of mutations) expect(validator.check(coerceWire(String(m.value), limit, schemas), limit)).toBe("invalid");
    // a free string has no wrong type on the wire
    expect(generateInvalid({ type: "string" }, { schemas, wire: true, validator })).toEqual([]);
  });
});

describe("a plain string whose prose says it holds JSON", () => {
  const rng = () => new Rng(11);
  it("is the smallest JSON text of the kind the prose names, at the top and in a property", () => {
    expect(generateValid({ type: "string" }, { schemas: {}, rng: rng(), wire: true, name: "transforms", description: "A JSON array of image transformations" })).toBe("[]");
    expect(generateValid({ type: "string" }, { schemas: {}, rng: rng(), wire: true, name: "labels", description: "Arbitrary key/value labels to set on the image, as a JSON map of string pairs." })).toBe("{}");
    const body = generateValid(
      { type: "object", required: ["outputs"], properties: { outputs: { type: "string", description: "An JSON array of output objects used during step execution." } } },
      { schemas: {}, rng: rng(), optional: "required" },
    );
    expect(body).toEqual({ outputs: "[]" });
  });

  it("is left alone when the prose only names a JSON value beside it, or says nothing", () => {
    for (const description of ["The location in the metadata JSON object to apply the changes to", "The query string cannot be specified using a JSON object.", undefined]) {
      const value = generateValid({ type: "string" }, { schemas: {}, rng: rng(), wire: true, name: "path", description });
      expect(value).not.toMatch(/^[[{]/);
    }
    // a pattern or length the JSON text does not fit still rules
    expect(generateValid({ type: "string", minLength: 5 }, { schemas: {}, rng: rng(), description: "A JSON object of filters" })).not.toBe("{}");
  });
});
