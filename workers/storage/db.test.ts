/** The shared statement helpers of storage/: IN lists, JSON row batches, the created-at page cursor. */
import { describe, expect, it } from "vitest";
import { decodeCreatedCursor, encodeCreatedCursor, inList, jsonRowBatches } from "./db";

describe("inList", () => {
  it("has one placeholder per value", () => {
    expect(inList(1)).toBe("?");
    expect(inList(3)).toBe("?,?,?");
  });
});

describe("jsonRowBatches", () => {
  it("keeps every item, in order, in JSON arrays under the size", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ i, pad: "y".repeat(i % 7) }));
    const batches = jsonRowBatches(items, 100);
    expect(batches.length).toBeGreaterThan(5);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(100);
    expect(batches.flatMap((b) => JSON.parse(b) as unknown[])).toEqual(items);
  });

  it("gives one array when everything fits, none for no items, and an item alone when it exceeds the size", () => {
    expect(jsonRowBatches([1, "a", null])).toEqual(['[1,"a",null]']);
    expect(jsonRowBatches([])).toEqual([]);
    expect(jsonRowBatches(["x".repeat(20), 1], 10)).toEqual([`["${"x".repeat(20)}"]`, "[1]"]);
  });
});

describe("created-at cursor", () => {
  it("round-trips ids with colons, and decodes padded and unpadded forms", () => {
    const row = { createdAt: 1765000000000, id: "run:a:b" };
    const cursor = encodeCreatedCursor(row);
    expect(cursor).not.toMatch(/=/);
    expect(decodeCreatedCursor(cursor)).toEqual(row);
    const padded = btoa("1765000000001:lt_12");
    expect(padded.endsWith("=")).toBe(true);
    expect(decodeCreatedCursor(padded)).toEqual({ createdAt: 1765000000001, id: "lt_12" });
    expect(decodeCreatedCursor(padded.replace(/=+$/, ""))).toEqual({ createdAt: 1765000000001, id: "lt_12" });
  });

  it("refuses what it did not make", () => {
    for (const bad of ["%%%", btoa("abc:x"), btoa(":x"), btoa("123:"), btoa("123")]) expect(decodeCreatedCursor(bad)).toBeUndefined();
  });
});
