import { describe, expect, it } from "vitest";
import { codePointLength } from "./string-length";

describe("codePointLength", () => {
  it("counts what the string iterator counts: pairs once, lone surrogates once each", () => {
    const texts = ["", "a", "sentinel", "é", "😀", "a😀b", "😀😀", "\ud83d", "\ude00", "\ude00\ud83d", "a\ud83d", "\ud83d\ud83d\ude00", "\ud83d\ude00\ude00", "日本語", "\u0000x"];
    for (const text of texts) expect([text, codePointLength(text)]).toEqual([text, [...text].length]);
    expect(codePointLength("a😀b")).toBe(3);
    expect(codePointLength("\ud83d\ud83d\ude00")).toBe(2);
  });
});
