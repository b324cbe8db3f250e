import { describe, expect, it } from "vitest";
import { parseSpec } from "../spec/parse-spec";
import { agentEnv } from "./requests";
import { lastPageOf } from "./security-auth";

// a paged listing: which query parameter asks for a page, and where the answer says how many there are
const spec = (query: Record<string, unknown>[], answer: Record<string, unknown>) => {
  const model = parseSpec(JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Paged", version: "1" },
    paths: { "/things": { get: { operationId: "listThings", parameters: query, responses: { "200": { description: "a page", content: { "application/hal+json": { schema: answer } } } } } } },
  })).model!;
  return lastPageOf(agentEnv({ model, seed: 1, config: { identities: [], maxCasesPerOperation: 5 } }), model.operations[0]);
};
const page = { name: "page", in: "query", schema: { type: "integer", minimum: 1 } };
const items = { type: "array", items: { type: "object" } };

describe("the last page of a paged listing", () => {
  it("is asked for by the page-number parameter with the page count the answer always carries", () => {
    expect(spec([page], { type: "object", required: ["items", "total_pages"], properties: { items, total_pages: { type: "integer" } } })).toEqual({ param: "page", pointer: "/total_pages" });
    expect(spec([{ ...page, name: "pageNumber" }], { type: "object", required: ["data", "meta"], properties: { data: items, meta: { type: "object", required: ["pageCount"], properties: { pageCount: { type: "integer" } } } } })).toEqual({ param: "pageNumber", pointer: "/meta/pageCount" });
  });
  it("is not asked for without a page number, or when the count may be missing or is no integer", () => {
    expect(spec([{ ...page, name: "offset" }], { type: "object", required: ["total_pages"], properties: { total_pages: { type: "integer" } } })).toBeUndefined();
    expect(spec([page], { type: "object", properties: { total_pages: { type: "integer" } } })).toBeUndefined();
    expect(spec([page], { type: "object", required: ["total_pages"], properties: { total_pages: { type: "string" } } })).toBeUndefined();
    expect(spec([page], { type: "object", required: ["total"], properties: { total: { type: "integer" } } })).toBeUndefined();
  });
});
