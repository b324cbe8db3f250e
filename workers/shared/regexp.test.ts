import { describe, expect, it } from "vitest";
import { escapeRegExp } from "./regexp";

describe("escapeRegExp", () => {
  it("makes every syntax character literal", () => {
    const text = "a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p-q";
    const pattern = new RegExp(`^${escapeRegExp(text)}$`);
    expect(pattern.test(text)).toBe(true);
    expect(pattern.test(text.replace(".", "x"))).toBe(false);
    expect(escapeRegExp("GET /items/{id}?q=1")).toBe("GET /items/\\{id\\}\\?q=1");
  });
});
