import { describe, expect, it } from "vitest";
import { isJsonPatch, jsonPatchEffect } from "./json-patch";

describe("jsonPatchEffect", () => {
  it("collects what add and replace write, nested as their pointers say", () => {
    expect(jsonPatchEffect([{ op: "replace", path: "/title", value: "Pulse 2" }, { op: "add", path: "/settings/theme", value: "dark" }, { op: "test", path: "/status", value: "draft" }])).toEqual({
      value: { title: "Pulse 2", settings: { theme: "dark" } },
      pointers: ["/title", "/settings/theme"],
    });
    expect(jsonPatchEffect([{ op: "replace", path: "/a~1b", value: 1 }])).toEqual({ value: { "a/b": 1 }, pointers: ["/a~1b"] });
  });
  it("a later remove drops what an earlier operation set", () => {
    expect(jsonPatchEffect([{ op: "replace", path: "/title", value: "x" }, { op: "remove", path: "/title" }])).toEqual({ value: {}, pointers: [] });
  });
  it("knows no effect for move, copy, appends or malformed operations", () => {
    expect(jsonPatchEffect([{ op: "move", from: "/a", path: "/b" }])).toBeUndefined();
    expect(jsonPatchEffect([{ op: "add", path: "/tags/-", value: "x" }])).toBeUndefined();
    expect(jsonPatchEffect([{ op: "replace", path: "/title" }])).toBeUndefined();
    expect(jsonPatchEffect([{ op: "replace", path: "", value: {} }])).toBeUndefined();
    expect(jsonPatchEffect({ title: "x" })).toBeUndefined();
    expect(isJsonPatch([])).toBe(false);
  });
});
