import { describe, expect, it } from "vitest";
import { detectDialect } from "./dialect";
import { parseSpec } from "./parse-spec";
import { validateDocument } from "./validate";

describe("detectDialect", () => {
  it("recognises 2.0, 3.0.x and 3.1.x", () => {
    expect(detectDialect({ swagger: "2.0" }).info).toEqual({ dialect: "2.0", version: "2.0" });
    expect(detectDialect({ openapi: "3.0.3" }).info).toEqual({ dialect: "3.0", version: "3.0.3" });
    expect(detectDialect({ openapi: "3.1.0" }).info).toEqual({ dialect: "3.1", version: "3.1.0" });
  });

  it("accepts unquoted YAML numbers with a warning", () => {
    const r = detectDialect({ openapi: 3.1 });
    expect(r.info?.dialect).toBe("3.1");
    expect(r.problems[0].severity).toBe("warning");
    expect(detectDialect({ swagger: 2 }).info?.dialect).toBe("2.0");
  });

  it("refuses other versions at /openapi or /swagger, with the line", () => {
    const r = parseSpec("info:\n  title: x\nopenapi: 4.0.0\npaths: {}\n");
    expect(r.model).toBeUndefined();
    expect(r.problems).toEqual([{ severity: "error", pointer: "/openapi", message: expect.stringMatching(/unsupported OpenAPI version "4.0.0"/), line: 3, column: 1 }]);
    expect(parseSpec('{"swagger": "1.2"}').problems[0]).toMatchObject({ pointer: "/swagger", line: 1 });
    expect(parseSpec('{"info": {}}').problems[0].message).toMatch(/not an OpenAPI document/);
  });
});

describe("validateDocument", () => {
  const base = { openapi: "3.0.0", info: { title: "t", version: "1" } };

  it("accepts a minimal document without problems", () => {
    expect(validateDocument({ ...base, paths: {} }, "3.0")).toEqual([]);
  });

  it("reports structural errors with precise pointers", () => {
    const problems = validateDocument(
      {
        ...base,
        paths: {
          "/a": {
            parameters: { name: "x" },
            get: { parameters: [{ name: "p", in: "body" }, { in: "query" }], responses: [] },
            post: "nope",
          },
          "/b": 5,
        },
        components: { schemas: { S: "string" }, responses: [] },
      },
      "3.0",
    );
    const errors = problems.filter((p) => p.severity === "error").map((p) => [p.pointer, p.message]);
    expect(errors).toEqual([
      ["/paths/~1a/parameters", "parameters must be an array"],
      ["/paths/~1a/get/parameters/0/in", "parameter \"in\" must be one of path, query, header, cookie"],
      ["/paths/~1a/get/parameters/1/name", "parameter name must be a string"],
      ["/paths/~1a/get/responses", "responses must be an object"],
      ["/paths/~1a/post", "operation must be an object"],
      ["/paths/~1b", "path item must be an object"],
      ["/components/responses", "components.responses must be an object"],
      ["/components/schemas/S", "schema must be an object"],
    ]);
  });

  it("keeps real-world oddities as warnings", () => {
    const problems = validateDocument(
      {
        openapi: "3.0.0",
        paths: {
          noslash: {},
          "/c/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", schema: { type: "string" } }, { name: "q", in: "query" }, { name: "q", in: "query", schema: {} }],
              responses: { "200": {}, "2xx": {}, "299x": {} },
              security: [{ undefinedScheme: [] }],
            },
          },
        },
      },
      "3.0",
    );
    expect(problems.every((p) => p.severity === "warning")).toBe(true);
    expect(problems.map((p) => p.pointer)).toEqual([
      "/info",
      "/paths/noslash",
      "/paths/~1c~1{id}/get/parameters/0/required",
      "/paths/~1c~1{id}/get/parameters/1",
      "/paths/~1c~1{id}/get/parameters/2",
      "/paths/~1c~1{id}/get/responses/299x",
      "/paths/~1c~1{id}/get/security/0/undefinedScheme",
    ]);
  });

  it("checks Swagger 2.0 specifics", () => {
    const problems = validateDocument(
      { swagger: "2.0", info: { title: "t", version: "1" }, paths: { "/a": { post: { parameters: [{ name: "b", in: "body" }, { name: "f", in: "formData" }], responses: { "200": { description: "x", schema: 3 } } } } }, definitions: [] },
      "2.0",
    );
    expect(problems.map((p) => [p.severity, p.pointer])).toEqual([
      ["warning", "/paths/~1a/post/parameters/0"],
      ["warning", "/paths/~1a/post/parameters/1/type"],
      ["error", "/paths/~1a/post/responses/200/schema"],
      ["error", "/definitions"],
    ]);
  });

  it("allows a 3.1 document without paths (webhooks only)", () => {
    expect(validateDocument({ openapi: "3.1.0", info: { title: "t", version: "1" }, webhooks: {} }, "3.1")).toEqual([]);
  });
});
