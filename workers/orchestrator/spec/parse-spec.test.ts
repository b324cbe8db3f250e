import { describe, expect, it } from "vitest";
import { MAX_PROBLEMS } from "./limits";
import { parseSpec } from "./parse-spec";

describe("parseSpec", () => {
  it("returns model, problems and the parsed document", () => {
    const r = parseSpec("openapi: 3.0.0\ninfo: {title: t, version: 1.0}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n");
    expect(r.problems).toEqual([]);
    expect(r.model!.version).toBe("1");
    expect(r.model!.operations[0]).toMatchObject({ operationId: "get_a", method: "get", path: "/a", tags: [], deprecated: false, security: [] });
    expect((r.document as Record<string, unknown>).openapi).toBe("3.0.0");
  });

  it("flags oversized input for a 413", () => {
    const r = parseSpec("x".repeat(200), { maxBytes: 100 });
    expect(r.tooLarge).toBe(true);
    expect(r.model).toBeUndefined();
    expect(r.problems[0].severity).toBe("error");
  });

  it("withholds the model when any problem is an error, but keeps the warnings", () => {
    const r = parseSpec(JSON.stringify({
      openapi: "3.0.0",
      info: { title: "t", version: "1" },
      paths: { "/a": { get: { parameters: [{ name: "q", in: "query" }], responses: { "200": { $ref: "#/components/responses/Nope" } } } } },
    }));
    expect(r.model).toBeUndefined();
    expect(r.problems.map((p) => p.severity).sort()).toEqual(["error", "warning"]);
    expect(r.problems.every((p) => p.line !== undefined)).toBe(true);
  });

  it("caps the number of problems", () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < MAX_PROBLEMS + 50; i++) paths[`/p${i}/{id}`] = { get: { responses: {} } };
    const r = parseSpec(JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths }));
    expect(r.model).toBeDefined();
    expect(r.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(r.problems[MAX_PROBLEMS].message).toBe("50 more problems not listed");
  });

  it("does not resolve $ref keys inside example values", () => {
    const r = parseSpec(JSON.stringify({
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: {
        "/scim": {
          post: {
            requestBody: { content: { "application/json": { schema: { type: "object", example: { $ref: "https://api.example.com/Users/1" } }, example: { members: [{ $ref: "#/nowhere" }] } } } },
            responses: { "201": { description: "ok" } },
          },
        },
      },
    }));
    expect(r.problems).toEqual([]);
    const media = r.model!.operations[0].requestBody!.content[0];
    expect(media.example).toEqual({ members: [{ $ref: "#/nowhere" }] });
    expect(media.schema).toEqual({ type: "object", example: { $ref: "https://api.example.com/Users/1" } });
  });
});
