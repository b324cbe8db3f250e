import { describe, expect, it } from "vitest";
import { ModelValidator } from "./validate";

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
});
