/**
 * Agent rules learnt from running Sentinel against spec-faithful mocks of real specs
 * (test/node/real-specs-false-alarms.test.ts): each guards one false alarm or lost case seen there.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { generateValid } from "../generate/data-mocking";
import { functionalNegative } from "./functional-negative";
import { Rng } from "../generate/random";
import { generateFromPattern } from "../generate/regex-gen";
import { agentEnv, buildRequest, settableParams } from "./requests";
import { ModelValidator } from "../../jsonschema/validate";
import { parseSpec } from "../spec";
import { planRun } from "../plan";

function model(operations: Operation[], schemas: ApiModel["schemas"] = {}): ApiModel {
  return { sourceVersion: "3.0.3", title: "t", version: "1", servers: [], securitySchemes: {}, schemas, operations };
}
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [{ status: "200", content: [], headers: [], links: [] }], security: [], pointer: "#", ...partial };
}

describe("generateValid on spec slips and overlapping unions", () => {
  it("fills a required name the schema never declares", () => {
    const schema = { type: "object", required: ["key"], properties: { blob_key: { type: "string" } } };
    for (let seed = 0; seed < 5; seed++) expect(generateValid(schema, { schemas: {}, rng: new Rng(seed) })).toHaveProperty("key");
  });

  it("keeps the tag a branch pins when the discriminator has no mapping", () => {
    const schemas = {
      Active: { type: "object", required: ["type"], properties: { type: { type: "string", enum: ["active"] } } },
      Locked: { type: "object", required: ["type"], properties: { type: { type: "string", enum: ["locked"] } } },
    };
    const schema = { oneOf: [{ $ref: "#/components/schemas/Active" }, { $ref: "#/components/schemas/Locked" }], discriminator: { propertyName: "type" } };
    const validator = new ModelValidator({ schemas });
    for (let seed = 0; seed < 6; seed++) expect(validator.check(generateValid(schema, { schemas, rng: new Rng(seed) }), schema)).toBe("valid");
  });

  it("reads a pattern written as a regex literal as its body", () => {
    const text = generateFromPattern("/^[a-z0-9._]+$/", new Rng(1));
    expect(text).toMatch(/^[a-z0-9._]+$/);
    expect(new ModelValidator({ schemas: {} }).check("chocobozzz", { type: "string", pattern: "/^[a-z0-9._]+$/" })).toBe("valid");
  });
});

describe("buildRequest on real-world operations", () => {
  const id = { oneOf: [{ type: "integer", minimum: 1 }, { type: "string", format: "uuid", pattern: "^[0-9a-f-]{36}$" }, { type: "string" }] };
  const m = model([
    op({ operationId: "getVideo", method: "get", path: "/videos/{id}", parameters: [{ name: "id", in: "path", required: true, schema: id }], requestBody: { required: false, content: [{ contentType: "application/x-www-form-urlencoded", schema: { type: "object" } }] } }),
    op({
      operationId: "search",
      method: "get",
      path: "/search",
      parameters: [
        { name: "Content-Length", in: "header", required: true, schema: { type: "integer" } },
        { name: "filter", in: "query", required: true, style: "deepObject", explode: true, schema: { type: "object", required: ["q"], properties: { q: { type: "string" } } } },
        { name: "ids", in: "query", required: true, style: "form", explode: false, schema: { type: "array", minItems: 1, items: { type: "integer" } } },
      ],
    }),
  ]);
  const env = agentEnv({ model: m, seed: 1, config: { identities: ["alice"], maxCasesPerOperation: 5 } });

  it("redraws a value that matches two oneOf branches, and sends no body with GET", () => {
    for (let seed = 0; seed < 5; seed++) {
      const built = buildRequest(env, m.operations[0], new Rng(seed), { optional: "all", includeBody: true });
      expect(built.valid).toBe(true);
      expect(built.request.body).toBeUndefined();
    }
  });

  it("leaves client-managed headers alone and records non-default query styles", () => {
    expect(settableParams(env, m.operations[1]).map((p) => p.name)).toEqual(["filter", "ids"]);
    const built = buildRequest(env, m.operations[1], new Rng(1), { optional: "required" });
    expect(built.request.queryStyles).toEqual({ filter: { style: "deepObject", explode: true }, ids: { style: "form", explode: false } });
  });
});

describe("functional-negative on optional form bodies", () => {
  it("does not judge an emptied form (no body at all, which an optional body allows)", async () => {
    const m = model([
      op({ operationId: "addOn", method: "post", path: "/addons", requestBody: { required: false, content: [{ contentType: "application/x-www-form-urlencoded", schema: { type: "object", required: ["Sid"], properties: { Sid: { type: "string" } } } }] } }),
    ]);
    const cases = await functionalNegative.generate({ model: m, seed: 1, config: { identities: ["alice"], maxCasesPerOperation: 50 } });
    const emptied = cases.filter((c) => /missing required property "Sid"/.test(c.title));
    expect(emptied.length).toBeGreaterThan(0);
    for (const c of emptied) expect(c.steps.at(-1)!.checks.map((k) => k.name)).toEqual(["not_a_server_error", "error_disclosure"]);
  });
});

describe("ids for attribute-named path parameters", () => {
  it("fills pull_number from number and team_slug from slug, never from an id beside them", async () => {
    const item = (extra: Record<string, unknown>) => ({
      type: "object",
      required: ["id"],
      properties: { id: { type: "integer" }, ...extra },
    });
    const doc = {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: {
        "/pulls": { post: { responses: { "201": { description: "", content: { "application/json": { schema: item({ number: { type: "integer" } }) } } } } } },
        "/pulls/{pull_number}": {
          get: { parameters: [{ name: "pull_number", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "" } } },
        },
        "/teams": { post: { responses: { "201": { description: "", content: { "application/json": { schema: item({ slug: { type: "string" } }) } } } } } },
        "/teams/{team_slug}": {
          get: { parameters: [{ name: "team_slug", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "" } } },
        },
      },
    };
    const { model } = parseSpec(JSON.stringify(doc));
    const { cases } = await planRun({ model: model!, seed: 1, agents: ["stateful"], config: { identities: ["a"], maxCasesPerOperation: 5 } });
    const pointers = new Set(cases.flatMap((c) => c.steps.flatMap((s) => Object.values(s.extract ?? {}).map((e) => ("pointer" in e ? e.pointer : "")))));
    expect(pointers.has("/number")).toBe(true);
    expect(pointers.has("/slug")).toBe(true);
    expect(pointers.has("/id")).toBe(false);
  });
});
