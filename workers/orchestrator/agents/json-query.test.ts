import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { parseSpec } from "../spec/parse-spec";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";
import { securityInjection } from "./security-injection";
import { buildRequest as sendable } from "../../executor/request-builder";

// A listing filtered by a JSON document in the query (`?filter={"limit":5,"where":{…}}`), described
// by `content` instead of a schema, as code-first frameworks publish their filter languages
const Filter = { type: "object", additionalProperties: false, properties: { limit: { type: "integer", minimum: 1 }, order: { type: "string", maxLength: 40 }, where: { type: "object", additionalProperties: true } } };
const spec = {
  openapi: "3.0.0",
  info: { title: "Notes", version: "1" },
  paths: {
    "/notes": {
      get: {
        operationId: "list",
        parameters: [
          { name: "filter", in: "query", content: { "application/json": { schema: Filter } } },
          { name: "page", in: "query", style: "deepObject", explode: true, schema: { type: "object", properties: { size: { type: "integer" } } } },
        ],
        responses: { "200": { description: "them", content: { "application/json": { schema: { type: "array", items: { type: "object" } } } } } },
      },
    },
  },
};
const model = (): ApiModel => parseSpec(JSON.stringify(spec)).model!;
const url = async (request: Parameters<typeof sendable>[0]) => new URL((await sendable(request, { baseUrl: "http://x", variables: {} })).url);

describe("a query parameter described by a JSON content", () => {
  it("keeps its media type in the model", () => {
    const [filter, page] = model().operations[0].parameters;
    expect(filter).toMatchObject({ name: "filter", contentType: "application/json" });
    expect(page.contentType).toBeUndefined();
  });

  it("is sent as the JSON text of its value under its own name, not as its members", async () => {
    const m = model();
    const built = buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations[0], new Rng(3), { optional: "all" });
    expect(built.request.queryStyles).toEqual({ filter: { contentType: "application/json" }, page: { style: "deepObject", explode: true } });
    const params = (await url(built.request)).searchParams;
    expect(JSON.parse(params.get("filter")!)).toEqual(built.request.query.filter);
    for (const member of ["limit", "order", "where"]) expect(params.has(member)).toBe(false);
  });

  it("keeps the JSON text when a probe puts a payload into one of its members", async () => {
    const cases = await securityInjection.generate({ model: model(), seed: 1, config: { identities: [], maxCasesPerOperation: 50 } });
    const probe = cases.flatMap((c) => c.steps).find((s) => typeof (s.request.query.filter as Record<string, unknown> | undefined)?.order === "string" && s.request.query.filter !== undefined);
    expect(probe).toBeDefined();
    const params = (await url(probe!.request)).searchParams;
    expect(JSON.parse(params.get("filter")!).order).toBe((probe!.request.query.filter as Record<string, unknown>).order);
    expect(params.has("order")).toBe(false);
  });
});
