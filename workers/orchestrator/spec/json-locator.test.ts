import { describe, expect, it } from "vitest";
import { jsonDepthExceeds, jsonLocator } from "./json-locator";

describe("jsonLocator", () => {
  const text = [
    "{",
    '  "openapi": "3.0.0",',
    '  "paths": {',
    '    "/a\\"b": { "get": { "x": "{[\\"not a bracket" } },',
    '    "/pets/{id}": {',
    '      "parameters": [ {"name": "a"}, {"name": "b", "in": "path"} ]',
    "    }",
    "  }",
    "}",
  ].join("\n");

  it("finds members, escaped keys and array items", () => {
    const pos = jsonLocator(text).locate(["/paths/~1pets~1{id}/parameters/1/in", '/paths/~1a"b/get/x', "/openapi", ""]);
    expect(pos.get("/paths/~1pets~1{id}/parameters/1/in")).toEqual({ line: 6, column: 52 });
    expect(pos.get('/paths/~1a"b/get/x')).toEqual({ line: 4, column: 25 });
    expect(pos.get("/openapi")).toEqual({ line: 2, column: 3 });
    expect(pos.get("")).toEqual({ line: 1, column: 1 });
  });

  it("falls back to the nearest existing ancestor", () => {
    const pos = jsonLocator(text).locate(["/paths/~1pets~1{id}/get/responses", "/nothing"]);
    expect(pos.get("/paths/~1pets~1{id}/get/responses")).toEqual({ line: 5, column: 5 });
    expect(pos.get("/nothing")).toEqual({ line: 1, column: 1 });
  });

  it("works on minified one-line JSON", () => {
    const min = JSON.stringify(JSON.parse(text));
    const pos = jsonLocator(min).locate(["/paths/~1pets~1{id}/parameters/0/name"]);
    const p = pos.get("/paths/~1pets~1{id}/parameters/0/name")!;
    expect(p.line).toBe(1);
    expect(min.slice(p.column - 1, p.column + 5)).toBe('"name"');
  });

  it("measures nesting while ignoring brackets inside strings", () => {
    expect(jsonDepthExceeds('{"a": "[[[[[[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds('{"a": [[1]]}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a": "\\"[[[["}', 1)).toBe(false);
  });
});
