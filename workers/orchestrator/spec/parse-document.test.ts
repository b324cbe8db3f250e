import { describe, expect, it } from "vitest";
import { MAX_SPEC_BYTES } from "./limits";
import { parseDocument } from "./parse-document";

const errors = (r: ReturnType<typeof parseDocument>) => r.problems.filter((p) => p.severity === "error");

describe("parseDocument", () => {
  it("parses JSON and YAML into the same object", () => {
    const json = parseDocument('{"openapi":"3.0.3","info":{"title":"t","version":"1"}}');
    const yaml = parseDocument("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n");
    expect(json.format).toBe("json");
    expect(yaml.format).toBe("yaml");
    expect(json.document).toEqual(yaml.document);
    expect(json.problems).toEqual([]);
  });

  it("decodes bytes, drops a BOM and honours the content type", () => {
    const bytes = new TextEncoder().encode("\uFEFF{\"a\": 1}");
    const r = parseDocument(bytes, { contentType: "application/yaml" });
    expect(r.document).toEqual({ a: 1 });
    expect(r.format).toBe("yaml");
  });

  it("refuses input over the size limit without parsing it", () => {
    const big = `{"x":"${"a".repeat(2000)}"}`;
    const r = parseDocument(big, { maxBytes: 1000 });
    expect(r.tooLarge).toBe(true);
    expect(r.document).toBeUndefined();
    expect(errors(r)[0].message).toMatch(/larger than the 1000-byte limit/);
    const bytes = parseDocument(new Uint8Array(1001), { maxBytes: 1000 });
    expect(bytes.tooLarge).toBe(true);
    // multi-byte characters count as bytes, not UTF-16 units
    expect(parseDocument(`{"x":"${"é".repeat(400)}"}`, { maxBytes: 800 }).tooLarge).toBe(true);
    expect(MAX_SPEC_BYTES).toBe(10 * 1024 * 1024);
  });

  it("reports non-UTF-8 bytes with the line they are on", () => {
    const head = new TextEncoder().encode("openapi: 3.0.0\ninfo:\n  title: ");
    const bytes = new Uint8Array([...head, 0xff, 0xfe, 0x0a]);
    const r = parseDocument(bytes);
    expect(r.document).toBeUndefined();
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0].message).toMatch(/not valid UTF-8.*offset 30/);
    expect(errors(r)[0].line).toBe(3);
  });

  it("refuses empty documents and documents that are not objects", () => {
    expect(errors(parseDocument(""))[0].message).toBe("spec is empty");
    expect(errors(parseDocument("  \n\t"))[0].message).toBe("spec is empty");
    expect(errors(parseDocument("# only a comment\n"))[0].message).toBe("spec is empty");
    expect(errors(parseDocument("[1, 2]"))[0].message).toMatch(/must be an object.*array/);
    expect(errors(parseDocument("just a string"))[0].message).toMatch(/must be an object.*string/);
    expect(errors(parseDocument("42"))[0].message).toMatch(/must be an object/);
  });

  it("refuses several YAML documents in one stream", () => {
    const r = parseDocument("openapi: 3.0.0\n---\nopenapi: 3.1.0\n");
    expect(r.document).toBeUndefined();
    expect(errors(r)[0].message).toMatch(/more than one YAML document/);
    expect(errors(r)[0].line).toBe(2);
  });

  it("refuses a YAML alias bomb quickly", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill("*" + prev).join(",")}]`);
    }
    const started = Date.now();
    const r = parseDocument(lines.join("\n"));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.document).toBeUndefined();
    expect(errors(r)[0].message).toMatch(/alias bomb/);
  });

  it("accepts ordinary anchors and merge keys", () => {
    const r = parseDocument("base: &b {type: string}\nx:\n  <<: *b\n  format: uuid\ny: *b\n");
    expect(r.document).toEqual({ base: { type: "string" }, x: { type: "string", format: "uuid" }, y: { type: "string" } });
  });

  it("refuses a wide alias bomb (few aliases, each expanding to a huge list) and names its line", () => {
    const big = `big: &big [${Array(5000).fill("x").join(",")}]`;
    const uses = Array.from({ length: 40 }, (_, i) => `u${i}: *big`);
    const r = parseDocument([big, ...uses].join("\n"));
    expect(r.document).toBeUndefined();
    // the 20th use (line 21) passes 100,000 extra nodes
    expect(errors(r)[0]).toMatchObject({ message: expect.stringMatching(/alias bomb/), line: 21 });
  });

  it("accepts many small aliases (a real spec may reuse anchors often)", () => {
    const r = parseDocument(["s: &s {type: string}", ...Array.from({ length: 500 }, (_, i) => `p${i}: *s`)].join("\n"));
    expect(errors(r)).toEqual([]);
    expect((r.document as Record<string, unknown>).p499).toEqual({ type: "string" });
  });

  it("locates quoted keys and flow collections in YAML text", () => {
    const text = "paths:\n  '/a/{id}':\n    get: {responses: {'200': {description: ok}}}\n";
    const pos = parseDocument(text).locator.locate(["/paths/~1a~1{id}", "/paths/~1a~1{id}/get/responses/200/description"]);
    expect(pos.get("/paths/~1a~1{id}")).toEqual({ line: 2, column: 3 });
    expect(pos.get("/paths/~1a~1{id}/get/responses/200/description")).toEqual({ line: 3, column: 31 });
  });

  it("reads a flow mapping closed at its key's indentation (as in Docker's spec), which js-yaml refuses", () => {
    const r = parseDocument("a:\n  example: {\n    \"80/tcp\": {}\n  }\n  type: object\n");
    expect(errors(r)).toEqual([]);
    expect(r.document).toEqual({ a: { example: { "80/tcp": {} }, type: "object" } });
  });

  it("refuses a YAML alias that contains itself", () => {
    const r = parseDocument("a: &a\n  b: *a\n");
    expect(r.document).toBeUndefined();
    expect(errors(r)[0].message).toMatch(/cycle|alias/);
  });

  it("refuses deep nesting in JSON and YAML, flow and block", () => {
    const deepJson = "[".repeat(300) + "]".repeat(300);
    expect(errors(parseDocument(`{"a":${deepJson}}`))[0].message).toMatch(/deeper than 256/);
    expect(errors(parseDocument("a: " + deepJson, { contentType: "text/yaml" }))[0].message).toMatch(/nest/);
    const block = Array.from({ length: 300 }, (_, i) => " ".repeat(i) + "k:").join("\n") + " 1\n";
    expect(errors(parseDocument(block))[0].message).toMatch(/nest/);
    // 100 000 levels must not blow the stack either
    const huge = "[".repeat(100_000);
    expect(errors(parseDocument(huge))[0].message).toMatch(/nest/);
    expect(errors(parseDocument("a: " + huge, { contentType: "application/yaml" })).length).toBeGreaterThan(0);
  });

  it("points at the line of a JSON syntax error", () => {
    const r = parseDocument('{\n  "openapi": "3.0.0",\n  "info": {,}\n}', { contentType: "application/json" });
    expect(errors(r)[0].message).toMatch(/invalid JSON/);
    expect(errors(r)[0].line).toBe(3);
  });

  it("points at the line of a YAML syntax error", () => {
    const r = parseDocument("openapi: 3.0.0\ninfo:\n  title: \"unterminated\n");
    expect(errors(r).length).toBeGreaterThan(0);
    expect(errors(r)[0].line).toBeGreaterThanOrEqual(3);
  });

  it("treats duplicate YAML keys as a warning (JSON.parse accepts them too)", () => {
    const r = parseDocument("a: 1\na: 2\n");
    expect(r.document).toBeDefined();
    expect(r.problems[0]).toMatchObject({ severity: "warning", line: 2 });
  });

  it("locates pointers in YAML text", () => {
    const text = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: a\n        - name: b\n";
    const r = parseDocument(text);
    const pos = r.locator.locate(["/paths/~1pets/get", "/paths/~1pets/get/parameters/1/name", "/paths/~1pets/missing/x", ""]);
    expect(pos.get("/paths/~1pets/get")).toEqual({ line: 4, column: 5 });
    expect(pos.get("/paths/~1pets/get/parameters/1/name")).toEqual({ line: 7, column: 11 });
    expect(pos.get("/paths/~1pets/missing/x")).toEqual({ line: 3, column: 3 });
    expect(pos.get("")).toEqual({ line: 1, column: 1 });
  });
});
