import { describe, expect, it, vi } from "vitest";
import * as cf from "@cfworker/json-schema";
import type { JsonSchema } from "../model";
import { ModelValidator, validateSchema } from "./validate";

vi.mock("@cfworker/json-schema", async (actual) => {
  const real = await actual<typeof import("@cfworker/json-schema")>();
  return { ...real, validate: vi.fn(real.validate) };
});

describe("ModelValidator", () => {
  it("answers each value on its own when one schema is asked about many (remembered verdicts)", () => {
    const validator = new ModelValidator({ schemas: { Id: { type: "integer", minimum: 1 } } });
    const schema = { type: "object", required: ["id"], properties: { id: { $ref: "#/components/schemas/Id" }, tags: { type: "array", items: { type: "string" } } } };
    const asked: [unknown, string][] = [
      [{ id: 1 }, "valid"],
      [{ id: "1" }, "invalid"],
      [{ id: 1 }, "valid"],
      [{ id: 0 }, "invalid"],
      [{ id: 2, tags: ["a"] }, "valid"],
      [{ id: 2, tags: [1] }, "invalid"],
      ["{\"id\":1}", "invalid"],
      [null, "invalid"],
      [{ id: 2, tags: ["a"] }, "valid"],
    ];
    for (let round = 0; round < 2; round++) for (const [value, verdict] of asked) expect(validator.check(value, schema)).toBe(verdict);
    const text = { type: "string", maxLength: 1 };
    expect(validator.check("1", text)).toBe("valid");
    expect(validator.check(1, text)).toBe("invalid");
    expect(validator.check("true", text)).toBe("invalid");
    expect(validator.check(true, text)).toBe("invalid");
    // more distinct values than the memory holds: still each its own verdict
    for (let i = 0; i < 100; i++) expect(validator.check(i % 2 === 0 ? "x" : "x".repeat(i), text)).toBe(i % 2 === 0 || i === 1 ? "valid" : "invalid");
  });

  it("asks about an object property by property exactly where that is the whole object's verdict", () => {
    const schemas = {
      Meta: { type: "object", required: ["name", "uid"], properties: { name: { type: "string", minLength: 1 }, uid: { type: "string", readOnly: true } } },
      Closed: { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false },
    };
    const model = { schemas };
    const schema = {
      type: "object",
      required: ["kind", "meta"],
      description: "annotations beside the object keywords change nothing",
      properties: { kind: { type: "string", enum: ["A", "B"] }, meta: { $ref: "#/components/schemas/Meta" }, closed: { $ref: "#/components/schemas/Closed" }, tags: { type: "array", items: { type: "string" }, uniqueItems: true } },
      additionalProperties: { type: "number", minimum: 0 },
    };
    const values: unknown[] = [
      { kind: "A", meta: { name: "x" } },
      { kind: "C", meta: { name: "x" } },
      { kind: "A", meta: { name: "" } },
      { kind: "A" },
      { meta: { name: "x" } },
      { kind: "A", meta: { name: "x" }, extra: 1 },
      { kind: "A", meta: { name: "x" }, extra: "1" },
      { kind: "A", meta: { name: "x" }, closed: { a: 1 } },
      { kind: "A", meta: { name: "x" }, closed: { a: 1, b: 2 } },
      { kind: "A", meta: { name: "x" }, tags: ["a", "a"] },
      { kind: "A", meta: { name: "x" }, tags: ["a", "b"] },
      // no verdict for a part (undefined is no JSON value): the whole is asked, as before
      { kind: "A", meta: { name: "x" }, closed: undefined },
      { meta: { name: "x" }, closed: undefined },
    ];
    const validator = new ModelValidator(model);
    const whole = (value: unknown, of: JsonSchema = schema) => {
      const verdict = validateSchema(model, of, value, "request", true);
      return verdict.valid === true ? "valid" : verdict.valid === false ? "invalid" : "unknown";
    };
    for (const value of values) expect(validator.check(value, schema)).toBe(whole(value));
    expect(values.map((value) => validator.check(value, schema))).toEqual(["valid", "invalid", "invalid", "invalid", "invalid", "valid", "invalid", "valid", "invalid", "invalid", "valid", "unknown", "unknown"]);

    // objects one property apart: only the new property is validated
    const calls = vi.mocked(cf.validate);
    const base = { kind: "B", meta: { name: "y" }, closed: { a: 2 } };
    expect(validator.check(base, schema)).toBe("valid");
    calls.mockClear();
    expect(validator.check({ ...base, extra: 3 }, schema)).toBe("valid");
    expect(calls.mock.calls.map(([instance]) => instance)).toEqual([3]);

    // a $ref resolved against where validation starts: the whole object is validated as one
    const relative = { type: "object", properties: { a: { type: "string" }, b: { $ref: "#/properties/a" } } };
    const expected = whole({ a: "x", b: "y" }, relative);
    calls.mockClear();
    expect(validator.check({ a: "x", b: "y" }, relative)).toBe(expected);
    expect(calls.mock.calls.map(([instance]) => instance)).toEqual([{ a: "x", b: "y" }]);
  });

  it("asks about an array item by item exactly where that is the whole array's verdict", () => {
    const schemas = {
      Port: { type: "object", required: ["port"], properties: { port: { type: "integer", minimum: 1 }, name: { type: "string", readOnly: true } } },
      Ports: { type: "array", items: { $ref: "#/components/schemas/Port" }, description: "annotations beside the array keywords change nothing" },
    };
    const model = { schemas };
    const asked: JsonSchema[] = [
      { $ref: "#/components/schemas/Ports" },
      { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, maxItems: 2 },
      { type: ["array", "null"], items: { type: "integer" }, maxItems: 1 },
      { type: "array", items: false },
      { type: "array", items: { $ref: "#/components/schemas/Missing" }, minItems: 2 },
      // not decomposed: the whole array is validated as before
      { type: "array", items: { type: "string" }, uniqueItems: true },
      { type: "array", items: { type: "string" }, minItems: "1" },
    ];
    const values: unknown[] = [[], [{ port: 1 }], [{ port: 0 }], [{ port: 1 }, { port: "2" }], [{}], ["a"], ["a", "b"], ["a", "b", "c"], ["a", ""], ["a", "a"], [1], [1, 2], [1.5], [null], [undefined], ["a", undefined], [[1]], null, "a", {}];
    const whole = (value: unknown, of: JsonSchema) => {
      const verdict = validateSchema(model, of, value, "request", true);
      return verdict.valid === true ? "valid" : verdict.valid === false ? "invalid" : "unknown";
    };
    for (const [index, schema] of asked.entries()) {
      const validator = new ModelValidator(model);
      // twice, where items are remembered on their own; a whole array's memory reads [undefined]
      // as the [null] asked before, so those are asked of a fresh validator each
      const fresh = index >= 5;
      for (let round = 0; round < 2; round++) for (const value of values) expect([schema, value, (fresh ? new ModelValidator(model) : validator).check(value, schema)]).toEqual([schema, value, whole(value, schema)]);
    }
    const validator = new ModelValidator(model);
    const ports = { $ref: "#/components/schemas/Ports" };
    expect([[{ port: 1 }], [{ port: 0 }], [{ port: 1 }, {}], []].map((value) => validator.check(value, ports))).toEqual(["valid", "invalid", "invalid", "valid"]);
    // an array one item apart from one asked about: only the new item is validated
    const calls = vi.mocked(cf.validate);
    const base = [{ port: 2 }, { port: 3 }];
    expect(validator.check(base, ports)).toBe("valid");
    calls.mockClear();
    expect(validator.check([...base, { port: 4 }], ports)).toBe("valid");
    expect(calls.mock.calls.map(([instance]) => instance)).toEqual([4]);
  });

  it("answers by the type alone when that is all a schema asks of a value, as the library would", () => {
    const schemas = { Name: { type: "string", description: "a name" }, Text: { $ref: "#/components/schemas/Name", title: "annotations only" }, Pinned: { type: "string", enum: ["a"] } };
    const model = { schemas };
    const asked: JsonSchema[] = [
      { type: "string" },
      { type: "integer", format: "int64" },
      { type: "number", description: "x", readOnly: true, "x-kind": "k" },
      { type: "boolean" },
      { type: "null" },
      { type: ["integer", "null"] },
      { type: ["string", "array"], uniqueItems: true },
      { type: "array", items: { type: "string" } },
      { type: "object" },
      { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
      { type: "string", minLength: 2 },
      { type: "integer", minimum: 1 },
      { format: "email" },
      {},
      { $ref: "#/components/schemas/Name" },
      { $ref: "#/components/schemas/Text" },
      { $ref: "#/components/schemas/Pinned" },
      { type: "string", enum: ["a", "b"] },
      { type: "string", not: { const: "x" } },
      { type: "string", $ref: "#/components/schemas/Name" },
    ];
    const values: unknown[] = ["a", "", "x@y.z", 1, 1.5, 0, -0, Infinity, NaN, true, null, [], ["a", "a"], [1], {}, { a: "x" }, { a: 1 }, undefined];
    const whole = (value: unknown, of: JsonSchema) => {
      const verdict = validateSchema(model, of, value, "request", true);
      return verdict.valid === true ? "valid" : verdict.valid === false ? "invalid" : "unknown";
    };
    for (const schema of asked) {
      const validator = new ModelValidator(model);
      for (const value of values) expect([schema, value, validator.check(value, schema)]).toEqual([schema, value, whole(value, schema)]);
    }
    // the type decides: the library is not asked
    const calls = vi.mocked(cf.validate);
    const validator = new ModelValidator(model);
    calls.mockClear();
    expect(["a", 1, null, ["a"]].map((value) => validator.check(value, { $ref: "#/components/schemas/Text" }))).toEqual(["valid", "invalid", "invalid", "invalid"]);
    expect([7, 7.5, "7"].map((value) => validator.check(value, { type: "integer", maxLength: 3 }))).toEqual(["valid", "invalid", "invalid"]);
    expect(calls).not.toHaveBeenCalled();
    // a constraint on the value's own type: validated
    expect(validator.check("a", { type: "string", maxLength: 3 })).toBe("valid");
    expect(calls).toHaveBeenCalledTimes(1);
  });
});

describe("null said in prose, in a Swagger 2.0 document (no keyword for it)", () => {
  // Jupyter Server's Contents model: the descriptions say which members are null and when
  const Contents = {
    type: "object",
    required: ["name", "mimetype", "format", "content"],
    properties: {
      name: { type: "string", description: "Name of file or directory" },
      mimetype: { type: "string", description: "The mimetype of a file.  If content is not null, and type is 'file', this will contain the mimetype of the file, otherwise this will be null." },
      content: { type: "string", description: "The content, if requested (otherwise null)." },
      format: { type: "string", enum: ["text", "base64", "json"], description: "Format of content (one of null, 'text', 'base64', 'json')" },
      size: { type: "integer", description: "The size in bytes. If no size is provided, defaults to null." },
      id: { type: "string", description: "Never null; cannot be null, will not be null." },
    },
  };
  const body = { name: "a", mimetype: null, content: null, format: null, size: null };
  const model = (sourceVersion: string) => ({ sourceVersion, schemas: { Contents } });
  const schema = { $ref: "#/components/schemas/Contents" };

  it("admits null where the description says so, in answers only", () => {
    expect(validateSchema(model("2.0"), schema, body, "response")).toEqual({ valid: true });
    expect(validateSchema(model("2.0"), schema, { ...body, id: null }, "response")).toMatchObject({ valid: false, violations: [{ instancePath: "/id" }] });
    expect(validateSchema(model("2.0"), schema, { ...body, name: null }, "response")).toMatchObject({ valid: false, violations: [{ instancePath: "/name" }] });
    expect(validateSchema(model("2.0"), schema, body, "request").valid).toBe(false);
  });

  it("not in OpenAPI 3, which has nullable for it", () => {
    expect(validateSchema(model("3.0.3"), schema, body, "response").valid).toBe(false);
    expect(validateSchema({ schemas: { Contents } }, schema, body, "response").valid).toBe(false);
  });
});
