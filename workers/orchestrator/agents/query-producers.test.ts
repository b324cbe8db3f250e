/**
 * Ids carried in the query: an API that addresses nothing by path (RPC over HTTP: `POST
 * /createGroup`, `GET /getText?padID=`) names its resources in query parameters, so an id-like
 * query parameter a request sends is filled from the operation that answers a member of that name.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { parseSpec } from "../spec";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";

const answer = (properties: Record<string, unknown>) => ({
  "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { code: { type: "integer" }, data: { type: "object", properties } } } } } },
});
const query = (...names: string[]) => names.map((name) => ({ name, in: "query", schema: { type: "string" } }));

/** Every operation on GET and POST, every parameter optional, ids in the answer's `data` (Etherpad's shape). */
function rpc(extraPaths: Record<string, unknown> = {}): ApiModel {
  const both = (id: string, parameters: unknown[], responses: unknown) => ({
    get: { operationId: `${id}UsingGET`, parameters, responses },
    post: { operationId: `${id}UsingPOST`, parameters, responses },
  });
  const doc = {
    openapi: "3.0.2",
    info: { title: "rpc", version: "1" },
    paths: {
      "/createGroup": both("createGroup", [], answer({ groupID: { type: "string" } })),
      "/createGroupPad": both("createGroupPad", query("groupID", "padName"), answer({ padID: { type: "string" } })),
      "/getPadID": both("getPadID", query("roID"), answer({ padID: { type: "string" } })),
      "/getText": both("getText", query("padID", "rev"), answer({ text: { type: "string" } })),
      "/deleteGroup": both("deleteGroup", query("groupID"), answer({})),
      ...extraPaths,
    },
  };
  const parsed = parseSpec(JSON.stringify(doc));
  if (!parsed.model) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

const build = (m: ApiModel, id: string, optional: "all" | "required") =>
  buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations.find((o) => o.operationId === id)!, new Rng(1), { optional });

describe("ids in the query of an API that addresses nothing by path", () => {
  it("an id the request sends comes from the create answering it, a create's own ids from theirs", () => {
    const read = build(rpc(), "getTextUsingGET", "all");
    expect(read.setup.map((s) => [s.id, s.request.method, s.request.path])).toEqual([
      ["setup-groupID", "post", "/createGroup"],
      ["setup-padID", "post", "/createGroupPad"],
    ]);
    expect(read.setup[0].extract).toEqual({ groupID: { from: "body", pointer: "/data/groupID" } });
    expect(read.setup[1].request.query).toEqual({ groupID: "{{groupID}}" });
    expect(read.setup[1].extract).toEqual({ padID: { from: "body", pointer: "/data/padID" } });
    expect(read.request.query.padID).toBe("{{padID}}");
    expect(read.params.find((p) => p.param.name === "padID")?.source).toBe("chain");
    expect(typeof read.request.query.rev).toBe("string");
  });
  it("a write on the resource works on one the setup made", () => {
    const del = build(rpc(), "deleteGroupUsingPOST", "all");
    expect(del.setup.map((s) => s.request.path)).toEqual(["/createGroup"]);
    expect(del.request.query).toEqual({ groupID: "{{groupID}}" });
  });
  it("a parameter the request leaves out stays out", () => {
    const read = build(rpc(), "getTextUsingGET", "required");
    expect(read.setup).toEqual([]);
    expect(read.request.query).toEqual({});
  });
  it("an API with an id in some path keeps its query parameters as they were", () => {
    const withPath = rpc({ "/groups/{groupID}": { get: { operationId: "getGroup", parameters: [{ name: "groupID", in: "path", required: true, schema: { type: "string" } }], responses: answer({ groupID: { type: "string" } }) } } });
    const read = build(withPath, "getTextUsingGET", "all");
    expect(read.setup).toEqual([]);
    expect(read.request.query.padID).not.toBe("{{padID}}");
  });
});
