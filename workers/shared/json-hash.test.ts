import { describe, expect, it } from "vitest";
import { jsonHash } from "./json-hash";

describe("jsonHash", () => {
  it("is equal for values whose JSON is equal, however they got there", () => {
    // each row: values JSON.stringify writes alike
    const alike: unknown[][] = [
      [{ a: 1, b: "x" }, { a: 1, gone: undefined, b: "x", fn: () => 1 }, { a: 1.0, b: "x", [Symbol("s")]: 2 }],
      [[undefined, () => 1, NaN, null], [null, null, -Infinity, null]],
      [{ n: -0 }, { n: 0 }],
      [{ when: new Date(0) }, { when: "1970-01-01T00:00:00.000Z" }],
      [{ "2": "int-like keys first", b: 1 }, { b: 1, "2": "int-like keys first" }],
      [Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }), { own: 2 }],
      [12.5, 25 / 2],
      [2 ** 40, 1099511627776],
      [{ toJSON: () => undefined }, undefined, () => 1],
    ];
    for (const row of alike) {
      for (const value of row) expect(JSON.stringify(value)).toBe(JSON.stringify(row[0]));
      for (const depth of [0, 1, 2, Number.POSITIVE_INFINITY]) expect(new Set(row.map((value) => jsonHash(value, undefined, depth))).size).toBe(1);
    }
  });

  it("tells apart values whose JSON differs, down to the depth it is given", () => {
    const distinct: unknown[] = [null, true, false, 0, 1, -1, 0.5, 2 ** 40, "", "0", "null", "ab", [], {}, [null], [[]], { a: 1 }, { a: 2 }, { bb: 1 }, { a: { b: 1 } }, { a: { b: 2 } }, ["ab", "c"], ["a", "bc"]];
    expect(new Set(distinct.map((value) => jsonHash(value))).size).toBe(distinct.length);
    // below the depth an object counts by its kind only; above it, its members are read
    expect(jsonHash({ a: { b: 1 } }, undefined, 1)).toBe(jsonHash({ a: { b: 2 } }, undefined, 1));
    expect(jsonHash({ a: { b: 1 } }, undefined, 2)).not.toBe(jsonHash({ a: { b: 2 } }, undefined, 2));
    expect(jsonHash({ a: [1] }, undefined, 1)).not.toBe(jsonHash({ a: { 0: 1 } }, undefined, 1));
    // chained: the basis counts
    expect(jsonHash("x", jsonHash(1))).not.toBe(jsonHash("x", jsonHash(2)));
    expect(() => jsonHash({ big: 1n })).toThrow(TypeError);
  });
});
