import { describe, expect, it } from "vitest";
import { cloneJson, cloneJsonWith } from "./json-clone";

const viaText = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("cloneJson", () => {
  it("gives what a JSON round trip gives, without sharing anything with the original", () => {
    const values: unknown[] = [
      { b: 1, a: [1, "x", null, true, { c: { d: [] } }], "2": "int-like keys first", "1": 0 },
      { gone: undefined, fn: () => 1, nan: NaN, inf: -Infinity, neg: -0, nested: [undefined, () => 2, NaN] },
      { when: new Date(0), empty: {}, list: [[], [{}]] },
      "text",
      12.5,
      null,
      [1, [2, [3]]],
      // what a prototype lends is no own key: JSON leaves it out
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    ];
    for (const value of values) {
      const copy = cloneJson(value);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(viaText(value)));
      expect(copy).toEqual(viaText(value));
    }
    const original = { a: { b: [1, { c: 2 }] } };
    const copy = cloneJson(original);
    copy.a.b.push(3);
    (copy.a.b[1] as { c: number }).c = 9;
    expect(original).toEqual({ a: { b: [1, { c: 2 }] } });
  });

  it("refuses what JSON refuses", () => {
    expect(() => cloneJson({ big: 1n })).toThrow(TypeError);
  });

  it("cloneJsonWith: the copy with parts replaced, as an assignment after the copy gives, the replaced parts not copied", () => {
    const body = { value: { big: "x".repeat(10) } };
    const template = { method: "post", body, gone: undefined, query: { a: 1 }, fn: () => 1, later: 2 };
    const cases: [object, object][] = [
      [template, { body: { value: 1 } }],
      [template, { body: undefined }],
      [template, { gone: "now here" }],
      [template, { fn: { at: "the end" } }],
      [template, { extra: [1], query: {} }],
      [template, {}],
      [[1, 2], { 0: 9 }],
      [{ when: new Date(0), toJSON: () => ({ as: "json" }) }, { as: "replaced" }],
    ];
    for (const [value, replacements] of cases) {
      const expected = Object.assign(cloneJson(value), replacements);
      const actual = cloneJsonWith(value, replacements);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      expect(actual).toEqual(expected);
    }
    const copy = cloneJsonWith(template, { body: { value: { big: "y" } } });
    copy.query.a = 5;
    expect(template.query.a).toBe(1);
    expect(template.body).toBe(body);
    expect(body.value.big).toBe("x".repeat(10));
  });
});
