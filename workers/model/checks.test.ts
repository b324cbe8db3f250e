import { describe, expect, it } from "vitest";
import { CHECK_NAMES, isCheckName } from "./checks";

describe("check vocabulary", () => {
  it("has unique names and recognises them", () => {
    expect(new Set(CHECK_NAMES).size).toBe(CHECK_NAMES.length);
    expect(isCheckName("bola")).toBe(true);
    expect(isCheckName("status")).toBe(false);
  });
});
