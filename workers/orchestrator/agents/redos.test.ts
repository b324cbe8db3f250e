import { describe, expect, it } from "vitest";
import type { TestCase } from "../../model";
import { parseSpec } from "../spec";
import { securityInjection } from "./security-injection";

const json = (schema: unknown) => ({ "application/json": { schema } });
const spec = {
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths: {
    "/users": {
      post: {
        operationId: "createUser",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["username"],
            properties: {
              username: { type: "string", minLength: 3, maxLength: 24, pattern: "^[a-z0-9]+([._-][a-z0-9]+)*$" },
              bio: { type: "string" },
              code: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" },
              tag: { type: "string", maxLength: 8 },
              email: { type: "string", format: "email" },
            },
            example: { username: "ada.l", bio: "hello", code: "ABC-1234", tag: "x", email: "a@b.example" },
          }),
        },
        responses: { "201": { description: "ok" }, "400": { description: "bad" } },
      },
    },
  },
};

async function cases(): Promise<TestCase[]> {
  const model = parseSpec(JSON.stringify(spec)).model!;
  const all = await securityInjection.generate({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 50 } });
  return all.filter((c) => c.tags?.includes("redos"));
}

const bodyOf = (c: TestCase, id: string) => (c.steps.find((s) => s.id === id)!.request.body!.value as Record<string, string>);

describe("catastrophic-backtracking probes", () => {
  it("one run-last case per operation: fields with a pattern first, within maxLength, a run ending in a refused character", async () => {
    const [only, ...rest] = await cases();
    expect(rest).toEqual([]);
    expect(only.tags).toEqual(["redos", "run-last"]);
    // the fixed-shape code, the short tag and the e-mail format have no room or no run
    expect(only.title).toContain("body.username, body.bio");
    expect(only.title).not.toMatch(/code|tag|email/);
    const username = bodyOf(only, "redos-0-probe-1").username;
    expect(username).toBe("a".repeat(23) + "!");
    expect(bodyOf(only, "redos-0-shorter").username).toBe("a".repeat(17) + "!");
    const valid = bodyOf(only, "redos-0-valid-1").username;
    expect(valid).toHaveLength(24);
    expect(valid).toMatch(/^[a-z0-9]+([._-][a-z0-9]+)*$/);
    expect(bodyOf(only, "redos-0-valid-2").username).not.toBe(valid);
    // free-form text without maxLength: capped at 26, words as the valid value
    expect(bodyOf(only, "redos-1-probe-1").bio).toBe("a".repeat(25) + "!");
    expect(bodyOf(only, "redos-1-valid-1").bio).toMatch(/^[a-z]+( [a-z]+)+/);
    const checked = only.steps.filter((s) => s.checks.length > 0);
    expect(checked.map((s) => s.id)).toEqual(["redos-0-probe-1", "redos-1-probe-1"]);
    expect(checked[0].checks).toEqual([{ name: "max_response_time", params: expect.objectContaining({ redos: true, controlStep: "redos-0-valid-1", shortStep: "redos-0-shorter", repeatStep: "redos-0-probe-2", repeatControlStep: "redos-0-valid-2" }) }]);
  });
});

describe("catastrophic-backtracking probes in nested bodies, bounded per run", () => {
  const envelope = (n: number) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `/things${i}`,
        {
          post: {
            operationId: `createThing${i}`,
            requestBody: { required: true, content: json({ type: "object", required: ["data"], properties: { data: { type: "object", required: ["attributes"], properties: { attributes: { $ref: "#/components/schemas/Attributes" } } } } }) },
            responses: { "201": { description: "ok" }, "422": { description: "bad" } },
          },
        },
      ]),
    ),
    components: { schemas: { Attributes: { type: "object", required: ["title"], properties: { title: { type: "string", minLength: 1, maxLength: 120 }, count: { type: "integer" } } } } },
  });

  it("probes a string inside an envelope where it lives", async () => {
    const model = parseSpec(JSON.stringify(envelope(1))).model!;
    const [only] = (await securityInjection.generate({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 50 } })).filter((c) => c.tags?.includes("redos"));
    expect(only.title).toContain("body.data.attributes.title");
    const title = (id: string) => (only.steps.find((s) => s.id === id)!.request.body!.value as { data: { attributes: { title: string } } }).data.attributes.title;
    expect(title("redos-0-probe-1")).toBe("a".repeat(25) + "!");
    expect(title("redos-0-shorter")).toBe("a".repeat(19) + "!");
  });

  it("gives at most 16 operations of a run a probe case (each runs alone), beside the per-operation cap", async () => {
    const model = parseSpec(JSON.stringify(envelope(30))).model!;
    const cases = await securityInjection.generate({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 1 } });
    const probes = cases.filter((c) => c.tags?.includes("redos"));
    expect(probes).toHaveLength(16);
    // the cap of one case per operation still holds for the injection payloads
    expect(cases.filter((c) => c.operationId === "createThing0" && !c.tags?.includes("redos"))).toHaveLength(1);
  });
});

describe("catastrophic-backtracking probes in form fields", () => {
  const upload = (media: string) => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/documents": {
        post: {
          operationId: "upload",
          requestBody: {
            required: true,
            content: {
              [media]: {
                schema: {
                  type: "object",
                  required: ["file", "kind"],
                  properties: { file: { type: "string", format: "binary" }, kind: { type: "string", enum: ["invoice", "permit"] }, title: { type: "string", maxLength: 80, pattern: "^[A-Za-z0-9 ._()-]+$" }, on: { type: "string", format: "date" } },
                },
              },
            },
          },
          responses: { "201": { description: "ok" }, "400": { description: "bad" } },
        },
      },
    },
  });

  it("probes a text field of a multipart or urlencoded form within its pattern, never the file, an enum or a format", async () => {
    for (const media of ["multipart/form-data", "application/x-www-form-urlencoded"]) {
      const model = parseSpec(JSON.stringify(upload(media))).model!;
      const [only, ...rest] = (await securityInjection.generate({ model, seed: 3, config: { identities: [], maxCasesPerOperation: 50 } })).filter((c) => c.tags?.includes("redos"));
      expect(rest).toEqual([]);
      expect(only.title).toContain("body.title");
      expect(only.title).not.toMatch(/file|kind|body\.on/);
      const probe = only.steps.find((s) => s.id === "redos-0-probe-1")!.request.body!;
      expect(probe.contentType).toMatch(media === "multipart/form-data" ? /multipart/ : /urlencoded/);
      expect((probe.value as Record<string, unknown>).title).toBe("a".repeat(25) + "!");
      expect((probe.value as Record<string, unknown>).kind).toMatch(/invoice|permit/);
      // the other optional fields are left out, as in a JSON body: only the required ones and the probed one
      expect(Object.keys(probe.value as object).sort()).toEqual(["file", "kind", "title"]);
    }
  });
});
