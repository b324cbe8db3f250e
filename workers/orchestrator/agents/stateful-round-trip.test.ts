import { describe, expect, it } from "vitest";
import type { ApiModel, Operation, TestCase } from "../../model";
import { stateful } from "./stateful";
import { agentEnv } from "./requests";
import { echoProducedFields, representationFields } from "./stateful-round-trip";
import { petstoreModel } from "./test-fixtures";

const config = { identities: [], maxCasesPerOperation: 50 };

function roundTrip(model: ApiModel): TestCase | undefined {
  return (stateful.generate({ model, seed: 1, config }) as TestCase[]).find((c) => c.tags?.includes("round-trip") && c.operationId === "createPet");
}

function withUpdate(change: (op: Operation) => void): ApiModel {
  const model = petstoreModel();
  change(model.operations.find((o) => o.operationId === "updatePet")!);
  return model;
}

describe("round trip chain", () => {
  it("reads the resource and PUTs back the fields the write takes, then reads it again", () => {
    const c = roundTrip(petstoreModel())!;
    expect(c.steps.map((s) => s.id)).toEqual(["create", "read-before", "send-back-put", "read-after-put"]);
    const [, read, put, after] = c.steps;
    // writable in the write body and returned by the read: never id/createdAt (readOnly), never code/tags (not returned)
    expect(read.extract).toEqual({ representation0: { from: "body", pointer: "", pick: ["name", "status", "age", "email"] } });
    expect(put.request.body?.value).toBe("{{representation0}}");
    expect(put.request.unique).toBeUndefined();
    expect(put.checks.find((x) => x.name === "round_trip")?.params).toEqual({ readStep: "read-before" });
    expect(after.checks.find((x) => x.name === "round_trip")?.params).toEqual({ readStep: "read-before", writeStep: "send-back-put" });
  });

  it("sends back every value the read produced under a parameter's name: If-Match ← ETag, a header named after a field", () => {
    const model = withUpdate((op) => {
      op.parameters = [...op.parameters, { name: "If-Match", in: "header", required: false, schema: { type: "string" } }, { name: "X-Status", in: "header", required: true, schema: { type: "string" } }];
    });
    const [, read, put] = roundTrip(model)!.steps;
    expect(read.extract).toMatchObject({ produced0_0: { from: "header", name: "etag" }, produced0_1: { from: "body", pointer: "/status" } });
    expect(put.request.headers).toMatchObject({ "If-Match": "{{produced0_0}}", "X-Status": "{{produced0_1}}" });
  });

  it("no round trip when the read cannot give a complete body, or the write is a JSON Patch", () => {
    const env = agentEnv({ model: petstoreModel(), seed: 1, config });
    const op = (id: string) => env.model.operations.find((o) => o.operationId === id)!;
    expect(representationFields(env, op("getPet"), op("updatePet"))).toEqual(["name", "status", "age", "email"]);
    // a required property no read returns
    const required = withUpdate((put) => {
      put.requestBody = { required: true, content: [{ contentType: "application/json", schema: { type: "object", required: ["name", "code"], properties: { name: { type: "string" }, code: { type: "string" } } } }] };
    });
    expect(roundTrip(required)).toBeUndefined();
    const patch = withUpdate((put) => {
      put.requestBody = { required: true, content: [{ contentType: "application/json-patch+json", schema: { type: "array", items: { type: "object" } } }] };
    });
    expect(roundTrip(patch)).toBeUndefined();
    // an optional member whose items require what the read never returns (PowerDNS's rrsets and
    // their request-only `changetype`): sent without it, the body would no longer be unchanged
    const model = petstoreModel();
    const byId = (id: string) => model.operations.find((o) => o.operationId === id)!;
    const records = (item: Record<string, unknown>) => ({ type: "object", properties: { name: { type: "string" }, records: { type: "array", items: item } } });
    byId("updatePet").requestBody = { required: true, content: [{ contentType: "application/json", schema: records({ type: "object", required: ["content", "changetype"], properties: { content: { type: "string" }, changetype: { type: "string", writeOnly: true } } }) }] };
    byId("getPet").responses = [{ ...byId("getPet").responses[0], content: [{ contentType: "application/json", schema: records({ type: "object", properties: { content: { type: "string" }, changetype: { type: "string", writeOnly: true } } }) }] }];
    expect(representationFields(agentEnv({ model, seed: 1, config }), byId("getPet"), byId("updatePet"))).toBeUndefined();
  });

  it("inside an envelope, sends back only what the write declares at every depth: never the read's id, links or readOnly members", () => {
    const model = petstoreModel();
    const op = (id: string) => model.operations.find((o) => o.operationId === id)!;
    const envelope = (data: Record<string, unknown>, required: string[]) => ({ type: "object", required: ["data"], additionalProperties: false, properties: { data: { type: "object", required, additionalProperties: false, properties: data } } });
    op("updatePet").requestBody = { required: true, content: [{ contentType: "application/vnd.api+json", schema: envelope({ type: { type: "string" }, attributes: { $ref: "#/components/schemas/NewPet" } }, ["type", "attributes"]) }] };
    const [ok] = op("getPet").responses;
    op("getPet").responses = [{ ...ok, content: [{ contentType: "application/vnd.api+json", schema: envelope({ id: { type: "string" }, type: { type: "string" }, attributes: { $ref: "#/components/schemas/Pet" }, links: { type: "object", properties: { self: { type: "string" } } } }, ["id"]) }] }];
    const env = agentEnv({ model, seed: 1, config });
    expect(representationFields(env, op("getPet"), op("updatePet"))).toEqual([["data", ["type", ["attributes", ["name", "status", "age", "email"]]]]]);
    // a member the write requires that the read does not return: no complete representation
    (op("updatePet").requestBody!.content[0].schema as { properties: { data: { required: string[]; properties: Record<string, unknown> } } }).properties.data.properties.code = { type: "string" };
    (op("updatePet").requestBody!.content[0].schema as { properties: { data: { required: string[] } } }).properties.data.required.push("code");
    expect(representationFields(env, op("getPet"), op("updatePet"))).toBeUndefined();
  });

  it("an update echoes the version or checksum the read produced instead of a made-up one", () => {
    const model = petstoreModel();
    (model.schemas.Pet as { properties: Record<string, unknown> }).properties.checksum = { type: "string" };
    const env = agentEnv({ model, seed: 1, config });
    const read = model.operations.find((o) => o.operationId === "getPet")!;
    const echoed = echoProducedFields(env, read, { name: "Rex", checksum: "made-up", version: 3 }, "echo_");
    // the read returns a checksum: echoed; it returns no version: left as generated
    expect(echoed.value).toEqual({ name: "Rex", checksum: "{{echo_checksum}}", version: 3 });
    expect(echoed.extract).toEqual({ echo_checksum: { from: "body", pointer: "/checksum" } });
  });
});

describe("JSON Patch updates", () => {
  it("the lifecycle reads back what a JSON Patch replace wrote", async () => {
    // the pet's update is a JSON Patch only: an array of operations, one oneOf branch per member
    const branch = (path: string, value: unknown) => ({ type: "object", additionalProperties: false, required: ["op", "path"], properties: { op: { type: "string", enum: ["remove", "test", "replace"] }, path: { type: "string", enum: [path] }, value } });
    const model = withUpdate((op) => {
      op.method = "patch";
      op.requestBody = { required: true, content: [{ contentType: "application/json-patch+json", schema: { type: "array", minItems: 1, maxItems: 3, items: { oneOf: [branch("/name", { type: "string", minLength: 1 }), branch("/age", { type: "integer", minimum: 0 })] } } as never }] };
    });
    const lifecycle = (await stateful.generate({ model, seed: 1, config })).find((c) => c.tags?.includes("lifecycle") && c.steps.some((s) => s.id === "update"))!;
    const sent = lifecycle.steps.find((s) => s.id === "update")!.request.body?.value as { op: string; path: string }[];
    expect(sent.some((o) => o.op === "replace")).toBe(true);
    expect(sent.some((o) => o.op === "test")).toBe(false);
    const readBack = lifecycle.steps.find((s) => s.id === "read-updated")!.checks.find((c) => c.name === "stateful_invariant");
    expect(readBack?.params).toMatchObject({ expectFrom: "update" });
    expect((readBack?.params as { fields: string[] }).fields.length).toBeGreaterThan(0);
  });
});
