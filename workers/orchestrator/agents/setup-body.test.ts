import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";

const json = "application/json";
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "#", ...partial };
}
const ok = (status: string, schema: Record<string, unknown>) => ({ status, content: [{ contentType: json, schema }], headers: [], links: [] });
const param = (name: string) => ({ name, in: "path" as const, required: true, schema: { type: "string" } });

// PowerDNS's Zone (Swagger 2.0): no `required` list, yet the server needs a DNS name and a kind
const Zone = {
  type: "object",
  properties: {
    id: { type: "string", description: "Opaque zone id, assigned by the server" },
    name: { type: "string", description: "Name of the zone (e.g. “example.com.”) MUST have a trailing dot" },
    kind: { type: "string", enum: ["Native", "Master", "Slave"] },
    serial: { type: "integer" },
    masters: { type: "array", items: { type: "string" } },
    url: { type: "string", readOnly: true },
    account: { type: "string", default: "" },
  },
};
const createZone = op({ operationId: "createZone", method: "post", path: "/zones", requestBody: { required: true, content: [{ contentType: json, schema: Zone }] }, responses: [ok("201", Zone)] });
const getZone = op({ operationId: "getZone", method: "get", path: "/zones/{zone_id}", parameters: [param("zone_id")], responses: [ok("200", Zone)] });
const Strict = { type: "object", required: ["title"], properties: { title: { type: "string" }, kind: { type: "string", enum: ["a", "b"] } } };
const createNote = op({ operationId: "createNote", method: "post", path: "/notes", requestBody: { required: true, content: [{ contentType: json, schema: Strict }] }, responses: [ok("201", { type: "object", properties: { id: { type: "string" } } })] });
const getNote = op({ operationId: "getNote", method: "get", path: "/notes/{note_id}", parameters: [param("note_id")], responses: [ok("200", Strict)] });

const model = (operations: Operation[]): ApiModel => ({ sourceVersion: "2.0", title: "t", version: "1", servers: [], schemas: {}, securitySchemes: {}, operations }) as ApiModel;
const build = (m: ApiModel, operationId: string) =>
  buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations.find((o) => o.operationId === operationId)!, new Rng(1), { useExamples: true, optional: "required" });

describe("the body of a setup create whose schema requires nothing", () => {
  it("names and classifies the resource (not `{}`), and carries a fuller body to retry with", () => {
    const read = build(model([createZone, getZone]), "getZone");
    const body = read.setup[0].request.body!;
    const lean = body.value as Record<string, unknown>;
    // the description's example, re-rolled as a unique name, still a DNS name with its trailing dot
    expect(lean.name).toMatch(/^[a-z]+\.[a-z]+\.$/);
    expect(read.setup[0].request.unique).toContain("/name");
    expect(lean.kind).toBe("Native");
    expect(lean.account).toBe("");
    // the server's id, its readOnly url and what neither names nor classifies it are left out
    expect(Object.keys(lean).sort()).toEqual(["account", "kind", "name"]);
    const fuller = body.fuller as Record<string, unknown>;
    expect(fuller).toMatchObject({ name: lean.name, kind: "Native", account: "" });
    expect(fuller).toHaveProperty("serial");
    expect(fuller).toHaveProperty("masters");
    expect(fuller).not.toHaveProperty("url");
  });

  it("leaves a schema with a `required` list as it was: its required part only", () => {
    const read = build(model([createNote, getNote]), "getNote");
    const body = read.setup[0].request.body!;
    expect(Object.keys(body.value as object)).toEqual(["title"]);
    expect(body.fuller).toBeUndefined();
  });

  it("does not change the operation's own request", () => {
    const own = build(model([createZone, getZone]), "createZone");
    expect(own.request.body?.value).toEqual({});
    expect(own.request.body?.fuller).toBeUndefined();
  });
});

describe("a setup create whose body is a union: its second body is of another branch", () => {
  // parcels are envelopes, boxes or pallets (a discriminated oneOf); events live below a parcel
  const Envelope = { type: "object", required: ["kind", "weight"], properties: { kind: { const: "envelope" }, weight: { type: "integer", minimum: 1 } } };
  const Box = { type: "object", required: ["kind", "weight", "size"], properties: { kind: { const: "box" }, weight: { type: "integer", minimum: 1 }, size: { type: "integer", minimum: 1 } } };
  const Pallet = { type: "object", required: ["kind", "weight", "stackable"], properties: { kind: { const: "pallet" }, weight: { type: "integer", minimum: 1 }, stackable: { type: "boolean" } } };
  const Parcel = { oneOf: [Envelope, Box, Pallet], discriminator: { propertyName: "kind" } };
  const Event = { type: "object", required: ["code"], properties: { id: { type: "string", readOnly: true }, code: { type: "string", enum: ["picked_up", "delivered"] } } };
  const parcelId = { name: "parcelId", in: "path" as const, required: true, schema: { type: "string" } };
  const m = {
    sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {}, securitySchemes: {},
    operations: [
      op({ operationId: "addParcel", method: "post", path: "/parcels", requestBody: { required: true, content: [{ contentType: json, schema: Parcel }] }, responses: [ok("201", { type: "object", required: ["id"], properties: { id: { type: "string" } } })] }),
      op({ operationId: "getParcel", method: "get", path: "/parcels/{parcelId}", parameters: [parcelId], responses: [ok("200", { type: "object", properties: { id: { type: "string" } } })] }),
      op({ operationId: "addEvent", method: "post", path: "/parcels/{parcelId}/events", parameters: [parcelId], requestBody: { required: true, content: [{ contentType: json, schema: Event }] }, responses: [ok("201", Event)] }),
    ],
  } as unknown as ApiModel;

  it("for every seed, a kind other than the first body's, valid for the whole schema", () => {
    const env = agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } });
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const built = buildRequest(env, m.operations[2], new Rng(seed), { useExamples: true, optional: "required" });
      const setup = built.setup.find((s) => s.id === "setup-parcelId")!;
      const first = setup.request.body!.value as { kind: string };
      const second = setup.request.body!.fuller as { kind: string };
      expect(second.kind).not.toBe(first.kind);
      expect(env.validator.check(second, Parcel)).toBe("valid");
      kinds.add(first.kind);
    }
    expect(kinds.size).toBeGreaterThan(1); // the first body's kind varies: the rule is not the first branch's alone
    // the create under test itself (no setup) carries no second body
    expect(buildRequest(env, m.operations[0], new Rng(1), { useExamples: true, optional: "required" }).request.body?.fuller).toBeUndefined();
  });
});
