/**
 * The general rules the agents follow so that their verdicts hold for any API that follows its
 * spec (no special case of any demo): what a lone request may be judged on, differential boundary
 * cases, which violations a lenient server may accept, mass assignment on writes read back on
 * their own path, and who counts as unprivileged.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel, CheckSpec, Operation, Step, TestCase } from "../../model";
import { RUN_LAST_TAG } from "./auth-abuse";
import { dataExposure } from "./data-exposure";
import { functionalNegative } from "./functional-negative";
import { functionalPositive } from "./functional-positive";
import { isPrivileged, securityAuth } from "./security-auth";
import { securityInjection } from "./security-injection";
import { petstoreModel } from "./test-fixtures";
import type { PlanConfig } from "./types";

const config: PlanConfig = { identities: ["alice", "bob"], maxCasesPerOperation: 50 };
const checksOf = (step: Step, name: string): CheckSpec[] => step.checks.filter((c) => c.name === name);
const last = (c: TestCase) => c.steps[c.steps.length - 1];

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}

const json = (schema: unknown) => [{ contentType: "application/json", schema: schema as never }];

/** Profiles: a self resource (/me) with a readOnly role, and a closed create schema. */
const profileModel: ApiModel = {
  sourceVersion: "3.0.3",
  title: "profiles",
  version: "1",
  servers: [],
  securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
  schemas: {
    Me: { type: "object", properties: { id: { type: "string", readOnly: true }, name: { type: "string", maxLength: 30 }, role: { type: "string", enum: ["user", "admin"], readOnly: true } } },
    MeUpdate: { type: "object", additionalProperties: false, minProperties: 1, properties: { name: { type: "string", minLength: 1, maxLength: 30 }, role: { type: "string", enum: ["user", "admin"], readOnly: true } } },
  },
  operations: [
    op({ operationId: "getMe", method: "get", path: "/me", responses: [{ status: "200", content: json({ $ref: "#/components/schemas/Me" }), headers: [], links: [] }] }),
    op({ operationId: "updateMe", method: "patch", path: "/me", requestBody: { required: true, content: json({ $ref: "#/components/schemas/MeUpdate" }) }, responses: [{ status: "200", content: json({ $ref: "#/components/schemas/Me" }), headers: [], links: [] }] }),
    op({ operationId: "getAdministrativeAreas", method: "get", path: "/geo/administrative-areas", responses: [{ status: "200", content: json({ type: "array" }), headers: [], links: [] }] }),
  ],
};

describe("positive_data_acceptance", () => {
  it("judges a lone request only when every value comes from the spec", async () => {
    const cases = await functionalPositive.generate({ model: petstoreModel(), seed: 3, config });
    const lone = cases.filter((c) => !c.steps.some((s) => s.id === "baseline") && checksOf(last(c), "positive_data_acceptance").length > 0);
    // bodies only from the spec's example; path ids only from create chains; no generated query values
    const bodies = lone.map((c) => last(c).request.body?.value).filter((v) => v !== undefined);
    expect(bodies).toEqual([{ name: "Rex", status: "available" }]);
    for (const c of lone) {
      for (const value of Object.values(last(c).request.pathParams)) expect(String(value)).toMatch(/^\{\{\w+\}\}$/);
      expect(last(c).request.query).toEqual({});
    }
    // a generated body is never judged alone (boundary and isolated cases are judged against a baseline)
    expect(cases.some((c) => c.operationId === "updatePet" && !c.tags?.includes("boundary") && !c.tags?.includes("isolated") && checksOf(last(c), "positive_data_acceptance").length > 0)).toBe(false);
  });

  it("moves one made-up string to its length limits against an accepted baseline", async () => {
    const cases = await functionalPositive.generate({ model: petstoreModel(), seed: 3, config });
    // the create's example name "Rex" means something: no boundary there; the generated update name is made up
    expect(cases.some((c) => c.operationId === "createPet" && c.tags?.includes("boundary"))).toBe(false);
    const boundary = cases.filter((c) => c.operationId === "updatePet" && c.tags?.includes("boundary") && c.title.includes("body name"));
    expect(boundary.map((c) => c.title)).toEqual(["PUT /pets/{petId} with body name at its maxLength 50", "PUT /pets/{petId} with body name at its minLength 1"]);
    const [max] = boundary;
    expect(max.steps.map((s) => s.id)).toEqual(["setup-petId", "baseline", "request"]);
    expect(max.steps[1].requireSuccess).toBe(true);
    const sent = max.steps[2].request.body?.value as Record<string, unknown>;
    const baseline = max.steps[1].request.body?.value as Record<string, unknown>;
    expect(String(sent.name)).toHaveLength(50);
    // exactly one value differs from the baseline
    expect({ ...sent, name: baseline.name }).toEqual(baseline);
    expect(checksOf(max.steps[2], "positive_data_acceptance")[0].params).toMatchObject({ valid: true, baselineStep: "baseline" });
  });

  it("moves a generated number to its inclusive limits against a baseline one step inside", async () => {
    const cases = await functionalPositive.generate({ model: petstoreModel(), seed: 3, config });
    const titles = cases.filter((c) => c.tags?.includes("boundary")).map((c) => c.title);
    expect(titles).toEqual(expect.arrayContaining(["PUT /pets/{petId} with body age at its maximum 30", "PUT /pets/{petId} with body age at its minimum 0", "GET /pets with query limit at its maximum 100"]));
    const max = cases.find((c) => c.title === "PUT /pets/{petId} with body age at its maximum 30")!;
    const [baseline, request] = max.steps.slice(-2).map((s) => s.request.body?.value as Record<string, unknown>);
    // the baseline differs in that one number only, one step inside the limit: a business rule refuses both
    expect([baseline.age, request.age]).toEqual([29, 30]);
    expect({ ...request, age: 29 }).toEqual(baseline);
    expect(checksOf(max.steps[max.steps.length - 1], "positive_data_acceptance")[0].params).toMatchObject({ valid: true, baselineStep: "baseline", description: "number at maximum 30" });
    const limit = cases.find((c) => c.title === "GET /pets with query limit at its maximum 100")!;
    expect(limit.steps.slice(-2).map((s) => s.request.query.limit)).toEqual([99, 100]);
  });

  it("sends each branch of a oneOf inside an envelope (JSON:API data/attributes) on its own, judged against another branch", async () => {
    const branch = (kind: string, extra: Record<string, unknown>, required: string[]) => ({ type: "object", required: ["kind", ...required], properties: { kind: { type: "string", const: kind }, ...extra } });
    const model: ApiModel = {
      ...profileModel,
      schemas: {
        Move: branch("move", { place: { type: "string", examples: ["shelf 2"] } }, ["place"]),
        Split: branch("split", { share: { type: "number", exclusiveMinimum: 0, maximum: 50 } }, ["share"]),
        End: branch("end", { reason: { type: "string", enum: ["expired", "other"] }, weight: { type: "number", minimum: 1, maximum: 9, examples: [2] } }, ["reason"]),
        Event: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", const: "events" }, id: { type: "string", readOnly: true }, attributes: { oneOf: [{ $ref: "#/components/schemas/Move" }, { $ref: "#/components/schemas/Split" }, { $ref: "#/components/schemas/End" }], discriminator: { propertyName: "kind", mapping: { move: "#/components/schemas/Move", split: "#/components/schemas/Split", end: "#/components/schemas/End" } } } } } } },
      },
      operations: [op({ operationId: "recordEvent", method: "post", path: "/events", requestBody: { required: true, content: [{ contentType: "application/vnd.api+json", schema: { $ref: "#/components/schemas/Event" } as never }] }, responses: [{ status: "201", content: [], headers: [], links: [] }] })],
    };
    const cases = await functionalPositive.generate({ model, seed: 1, config });
    const kindOf = (c: TestCase, step = last(c)) => (step.request.body?.value as { data: { attributes: { kind: string } } }).data.attributes.kind;
    // every branch is sent (cases whose body repeats another's are dropped)
    expect(new Set(cases.map((c) => kindOf(c)))).toEqual(new Set(["move", "split", "end"]));
    expect(cases.some((c) => c.tags?.some((t) => t.startsWith("branch[")))).toBe(true);
    // each other branch between two sendings of the spec-examples one, judged when its values come from the spec
    const differential = cases.filter((c) => c.tags?.includes("branch-differential"));
    const stepOf = (c: TestCase, id: string) => c.steps.find((s) => s.id === id)!;
    const own = kindOf(differential[0], stepOf(differential[0], "first"));
    expect(new Set([own, ...differential.map((c) => kindOf(c, stepOf(c, "request")))])).toEqual(new Set(["move", "split", "end"]));
    for (const c of differential) {
      expect(kindOf(c, stepOf(c, "again"))).toBe(own);
      expect((stepOf(c, "request").request.body?.value as { data: { type: string } }).data.type).toBe("events");
    }
    const move = differential.find((c) => kindOf(c, stepOf(c, "request")) === "move")!;
    expect(checksOf(stepOf(move, "request"), "positive_data_acceptance")[0]?.params).toMatchObject({ baselineStep: "again", description: "the oneOf branch kind=move" });
    // a made-up share is not the spec's: that branch is sent, not judged
    const split = differential.find((c) => kindOf(c, stepOf(c, "request")) === "split")!;
    expect(checksOf(stepOf(split, "request"), "positive_data_acceptance")).toEqual([]);
    // each branch's own numbers at their limits, an example one too, against a baseline one step inside
    const weight = cases.find((c) => c.tags?.includes("boundary") && c.title.includes("weight at its maximum 9"));
    expect(weight, cases.filter((c) => c.tags?.includes("boundary")).map((c) => c.title).join("\n")).toBeDefined();
    const attrs = (step: Step) => (step.request.body?.value as { data: { attributes: Record<string, unknown> } }).data.attributes;
    const [baseline, request] = [attrs(stepOf(weight!, "baseline")), attrs(stepOf(weight!, "request"))];
    expect([baseline.kind, baseline.weight, request.weight]).toEqual(["end", 8, 9]);
    expect({ ...request, weight: 8 }).toEqual(baseline);
  });
});

describe("positive_data_acceptance of one optional member", () => {
  /** A create whose optional members include a reference the generator can only make up. */
  const model: ApiModel = {
    sourceVersion: "3.0.3",
    title: "depots",
    version: "1",
    servers: [],
    securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
    schemas: {},
    operations: [
      op({
        operationId: "createTruck",
        method: "post",
        path: "/trucks",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["plate"],
            additionalProperties: false,
            properties: {
              plate: { type: "string", minLength: 1, maxLength: 10 },
              depotId: { type: "integer", minimum: 1, nullable: true },
              boughtOn: { type: "string", format: "date", example: "2022-05-14" },
            },
          }),
        },
        responses: [{ status: "201", content: json({ type: "object" }), headers: [], links: [] }],
      }),
    ],
  };

  it("judges a spec value sent alone although another optional member is a made-up reference", async () => {
    const cases = await functionalPositive.generate({ model, seed: 3, config });
    const isolated = cases.filter((c) => c.tags?.includes("isolated"));
    const judged = (where: string) => isolated.filter((c) => c.title.includes(`optional body ${where}`)).map((c) => checksOf(last(c), "positive_data_acceptance").length > 0);
    expect(judged("boughtOn")).toEqual([true]);
    // the made-up reference itself is sent, never judged, and stays out of the baseline
    expect(judged("depotId")).toEqual([false]);
    for (const c of isolated) expect(Object.keys(c.steps.find((s) => s.id === "baseline")!.request.body?.value as object)).toEqual(["plate"]);
  });
});

describe("negative_data_rejection", () => {
  it("leaves to not_a_server_error what lenient servers legitimately accept", async () => {
    const cases = await functionalNegative.generate({ model: petstoreModel(), seed: 3, config });
    const judged = (c: TestCase) => checksOf(last(c), "negative_data_rejection").length > 0;
    // optional query parameter `limit` out of range: clamping is fine
    const limit = cases.filter((c) => c.operationId === "listPets" && c.title.includes("query limit"));
    expect(limit.length).toBeGreaterThan(0);
    expect(limit.some(judged)).toBe(false);
    // JSON labelled text/plain
    expect(cases.filter((c) => c.tags?.includes("content-type")).some(judged)).toBe(false);
    // an invalid body value stays judged
    expect(cases.some((c) => c.operationId === "createPet" && c.title.includes("maxLength+1 at /name") && judged(c))).toBe(true);
  });
});

describe("negative_data_rejection on the members of a deepObject query parameter", () => {
  const page = { name: "page", in: "query" as const, required: false, style: "deepObject", explode: true, schema: { type: "object", additionalProperties: false, properties: { number: { type: "integer", minimum: 1 }, size: { type: "integer", minimum: 1, maximum: 50 } } } };
  const pagedModel: ApiModel = {
    sourceVersion: "3.0.3",
    title: "paged",
    version: "1",
    servers: [],
    securitySchemes: {},
    schemas: {},
    operations: [op({ operationId: "listCourses", method: "get", path: "/courses", security: [], parameters: [page], responses: [{ status: "200", content: json({ type: "object", properties: { data: { type: "array", items: { type: "object" } } } }), headers: [], links: [] }] })],
  };
  it("sends each member past its limits as page[size]=51, judged against omitting it and the nearest valid value", async () => {
    const cases = await functionalNegative.generate({ model: pagedModel, seed: 3, config });
    const above = cases.find((c) => c.title.includes("query page[size] maximum+1"));
    expect(above).toBeDefined();
    const steps = Object.fromEntries(above!.steps.map((s) => [s.id, s.request]));
    expect(steps.request).toMatchObject({ query: { page: { size: "51" } }, queryStyles: { page: { style: "deepObject", explode: true } } });
    expect(steps.clamped).toMatchObject({ query: { page: { size: "50" } }, queryStyles: { page: { style: "deepObject", explode: true } } });
    expect(steps.absent.query.page).toBeUndefined();
    expect(checksOf(above!.steps.find((s) => s.id === "request")!, "negative_data_rejection")[0].params).toMatchObject({ parameter: "page[size]", sentNumber: 51, clampedNumber: 50 });
    for (const reason of ["page[size] minimum-1", "page[number] minimum-1", "page[size] non-numeric text"]) expect(cases.some((c) => c.title.includes(`query ${reason}`))).toBe(true);
  });
});

/** The protobuf JSON mapping as grpc-gateway publishes it: int64 as text, every field optional, a required body. */
const protobufModel: ApiModel = {
  sourceVersion: "2.0",
  title: "leases",
  version: "1",
  servers: [],
  securitySchemes: {},
  schemas: {
    GrantRequest: { type: "object", properties: { TTL: { type: "string", format: "int64" }, ID: { type: "string", format: "int64" } } },
    PutRequest: { type: "object", required: ["key"], properties: { key: { type: "string", format: "byte" }, lease: { type: "string", format: "int64" }, labels: { type: "array", items: { type: "string" } }, compare: { type: "array", items: { $ref: "#/components/schemas/Compare" } } } },
    Compare: { type: "object", properties: { version: { type: "string", format: "int64" } } },
  },
  operations: [
    op({ operationId: "grant", method: "post", path: "/lease/grant", security: [], requestBody: { required: true, content: json({ $ref: "#/components/schemas/GrantRequest" }) }, responses: [{ status: "200", content: json({ type: "object" }), headers: [], links: [] }] }),
    op({ operationId: "put", method: "post", path: "/kv/put", security: [], requestBody: { required: true, content: json({ $ref: "#/components/schemas/PutRequest" }) }, responses: [{ status: "200", content: json({ type: "object" }), headers: [], links: [] }] }),
  ],
};

describe("negative_data_rejection on numbers written as text and on null", () => {
  it("sends a number written as text as digits, and never a number as its wrong type", async () => {
    const cases = await functionalNegative.generate({ model: protobufModel, seed: 3, config });
    const bodies = cases.map((c) => last(c).request.body?.value).filter((b): b is Record<string, unknown> => typeof b === "object" && b !== null && !Array.isArray(b));
    const ttls = bodies.map((b) => b.TTL).filter((v) => v !== undefined);
    expect(ttls.length).toBeGreaterThan(0);
    const typeCases = cases.filter((c) => c.tags?.includes("type") && c.title.includes("/TTL"));
    expect(typeCases.map((c) => (last(c).request.body?.value as Record<string, unknown>).TTL)).toEqual([true]);
    const positive = await functionalPositive.generate({ model: protobufModel, seed: 3, config });
    const sent = positive.flatMap((c) => c.steps.map((s) => s.request.body?.value)).filter((b): b is Record<string, unknown> => typeof b === "object" && b !== null);
    const numbers = sent.flatMap((b) => [b.TTL, b.ID, b.lease]).filter((v) => v !== undefined);
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(n).toMatch(/^\d+$/);
  });

  it("judges null only where leaving the member out would be invalid", async () => {
    const cases = await functionalNegative.generate({ model: protobufModel, seed: 3, config });
    const judged = (c: TestCase) => checksOf(last(c), "negative_data_rejection").length > 0;
    const nulls = cases.filter((c) => c.tags?.includes("null"));
    const verdict = (operationId: string, where: string) => nulls.filter((c) => c.operationId === operationId && c.title.endsWith(where)).map(judged);
    // optional member, or a body whose empty form is valid: null reads as "not given" (weak, still sent)
    expect(verdict("grant", "null where not nullable")).toEqual([false]);
    expect(verdict("put", "null where not nullable at /lease")).toEqual([false]);
    expect(verdict("put", "null where not nullable at /compare/0/version")).toEqual([false]);
    expect(verdict("put", "null where not nullable at /labels/0")).toEqual([true]);
    // a required member, or a body that needs one: still judged
    expect(verdict("put", "null where not nullable at /key")).toEqual([true]);
    expect(verdict("put", "null where not nullable")).toEqual([true]);
    for (const c of nulls.filter((n) => !judged(n))) expect(checksOf(last(c), "not_a_server_error")).toHaveLength(1);
  });
});

describe("negative_data_rejection on a number for a string", () => {
  it("judges the number sent for a string against its digits coming back, and no other wrong type", async () => {
    const cases = await functionalNegative.generate({ model: protobufModel, seed: 3, config });
    const typeCase = (pointer: string) => cases.find((c) => c.operationId === "put" && c.tags?.includes("type") && c.title.endsWith(`at ${pointer}`))!;
    // /key is a plain string: its wrong type is the number 12345, read as "12345" by converting parsers
    expect((last(typeCase("/key")).request.body?.value as Record<string, unknown>).key).toBe(12345);
    expect(checksOf(last(typeCase("/key")), "negative_data_rejection")[0].params).toMatchObject({ coercedValue: { pointer: "/key", value: "12345" } });
    // /labels is an array: its wrong type has no reading as the documented one
    expect(checksOf(last(typeCase("/labels")), "negative_data_rejection")[0].params).not.toHaveProperty("coercedValue");
  });
});

describe("a number for a string on a write whose answer may carry no body", () => {
  const typeCases = (cases: TestCase[], operationId: string) => cases.filter((c) => c.operationId === operationId && c.tags?.includes("type") && c.title.endsWith("at /name"));
  it("reads the item back on the write's own path (same path values), and names that step to the check", async () => {
    const cases = await functionalNegative.generate({ model: petstoreModel(), seed: 1, config });
    const [put] = typeCases(cases, "updatePet");
    const request = put.steps.find((s) => s.id === "request")!;
    expect(checksOf(request, "negative_data_rejection")[0].params).toMatchObject({ coercedValue: { pointer: "/name", value: "12345" }, readBackStep: "read-back" });
    expect(last(put)).toMatchObject({ id: "read-back", request: { method: "get", path: "/pets/{petId}", pathParams: request.request.pathParams } });
    expect(last(put).checks).toEqual([]);
  });
  it("no read-back for a create on a collection (its listing does not single out what it stored)", async () => {
    const cases = await functionalNegative.generate({ model: petstoreModel(), seed: 1, config });
    const [post] = typeCases(cases, "createPet");
    expect(last(post).id).toBe("request");
    expect(checksOf(last(post), "negative_data_rejection")[0].params).not.toHaveProperty("readBackStep");
  });
});

describe("a create whose schema requires nothing", () => {
  const rooms: ApiModel = {
    sourceVersion: "3.0.3",
    title: "rooms",
    version: "1",
    servers: [],
    securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
    schemas: { Room: { type: "object", properties: { id: { type: "integer", readOnly: true }, name: { type: "string" }, seats: { type: "integer" } } } },
    operations: [
      op({ operationId: "createRoom", method: "post", path: "/rooms", requestBody: { required: true, content: json({ $ref: "#/components/schemas/Room" }) }, responses: [{ status: "201", content: json({ $ref: "#/components/schemas/Room" }), headers: [], links: [] }] }),
      op({ operationId: "getRoom", method: "get", path: "/rooms/{id}", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: [{ status: "200", content: json({ $ref: "#/components/schemas/Room" }), headers: [], links: [] }] }),
      op({ operationId: "search", method: "post", path: "/search", requestBody: { required: true, content: json({ $ref: "#/components/schemas/Room" }) }, responses: [{ status: "200", content: json({ type: "array" }), headers: [], links: [] }] }),
    ],
  };
  it("its own positive cases send what names the new item as well as `{}`; an action that creates nothing keeps `{}` only", async () => {
    const cases = await functionalPositive.generate({ model: rooms, seed: 1, config: { ...config, identities: [] } });
    const bodyOf = (operationId: string, tag: string) => cases.filter((c) => c.operationId === operationId && c.tags?.includes(tag)).map((c) => last(c).request.body?.value);
    expect(bodyOf("createRoom", "required-only")).toEqual([{}]);
    const [lean] = bodyOf("createRoom", "lean-create") as Record<string, unknown>[];
    expect(typeof lean.name).toBe("string");
    expect(lean).not.toHaveProperty("id");
    expect(bodyOf("search", "lean-create")).toEqual([]);
  });
});

describe("mass assignment", () => {
  it("probes a write read back on its own path (PATCH /me + GET /me), from the write itself", async () => {
    const cases = await dataExposure.generate({ model: profileModel, seed: 1, config });
    const mass = cases.find((c) => c.tags?.includes("mass-assignment"))!;
    expect(mass.steps.map((s) => `${s.request.method} ${s.id}`)).toEqual(["get read-before", "patch update", "get read-back"]);
    const write = mass.steps[1];
    // the closed schema gets only its declared readOnly property: undeclared extras would earn a 400
    expect(Object.keys(write.request.body?.value as object)).toContain("role");
    expect(write.request.body?.value).not.toHaveProperty("isAdmin");
    expect(checksOf(write, "mass_assignment")).toEqual([{ name: "mass_assignment", params: { property: "role", injected: "admin", baselineStep: "read-before", readStep: "read-back" } }]);
  });
  it("probes a closed write that does not declare the response's role: each privilege-named extra alone, then the resource's readOnly properties", async () => {
    // the response (the resource) has a readOnly balance the closed write body does not declare
    const me = profileModel.schemas.Me as { properties: object };
    const Me = { ...me, properties: { ...me.properties, credit: { type: "string", pattern: "^(0|[1-9][0-9]*)\\.[0-9]{2}$", readOnly: true } } };
    const closed: ApiModel = { ...profileModel, schemas: { ...profileModel.schemas, Me, MeUpdate: { type: "object", additionalProperties: false, minProperties: 1, properties: { name: { type: "string", minLength: 1, maxLength: 30 } } } } };
    const cases = await dataExposure.generate({ model: closed, seed: 1, config });
    const probes = cases.filter((c) => c.tags?.includes("closed"));
    expect(probes.map((c) => c.title.replace(/credit="[^"]+"/, "credit=…"))).toEqual(['PATCH /me with the undeclared role="admin"', "PATCH /me with the undeclared isAdmin=true", "PATCH /me with the readOnly credit=…", 'PATCH /me with the readOnly id="sentinel-mass-assignment"']);
    const credit = probes[2].steps[1];
    expect(Object.keys(credit.request.body?.value as object)).toEqual(["name", "credit"]);
    expect(String((credit.request.body?.value as { credit: string }).credit)).toMatch(/^(0|[1-9][0-9]*)\.[0-9]{2}$/);
    for (const c of probes) expect(c.steps.map((s) => `${s.request.method} ${s.id}`)).toEqual(["get read-before", "patch update", "get read-back"]);
    const write = probes[0].steps[1];
    expect(write.request.body?.value).toMatchObject({ role: "admin" });
    expect(Object.keys(write.request.body?.value as object)).not.toContain("isAdmin");
    expect(checksOf(write, "mass_assignment")).toEqual([{ name: "mass_assignment", params: { property: "role", injected: "admin", baselineStep: "read-before", readStep: "read-back" } }]);
    // an open write carries its extras along with the readOnly probes: no closed probe
    const open: ApiModel = { ...profileModel, schemas: { ...profileModel.schemas, MeUpdate: { type: "object", properties: { name: { type: "string" } } } } };
    expect((await dataExposure.generate({ model: open, seed: 1, config })).some((c) => c.tags?.includes("closed"))).toBe(false);
  });
  it("runs a probe on a record no setup made (the caller's own profile) after every other case: a taken role would change their verdicts", async () => {
    const cases = await dataExposure.generate({ model: profileModel, seed: 1, config });
    const mass = cases.filter((c) => c.tags?.includes("mass-assignment"));
    expect(mass.length).toBeGreaterThan(0);
    for (const c of mass) expect(c.tags).toContain(RUN_LAST_TAG);
    // a write on a resource the case creates first changes nothing the rest of the run reads
    const created = (await dataExposure.generate({ model: petstoreModel(), seed: 1, config })).filter((c) => c.tags?.includes("mass-assignment"));
    expect(created.length).toBeGreaterThan(0);
    for (const c of created) expect(c.tags).not.toContain(RUN_LAST_TAG);
  });
  it("sends the probes as an identity not named like a privileged role", async () => {
    const cases = await dataExposure.generate({ model: profileModel, seed: 1, config: { ...config, identities: ["admin", "alice"] } });
    const mass = cases.find((c) => c.tags?.includes("mass-assignment"))!;
    expect(mass.steps.every((s) => s.request.identity === "alice")).toBe(true);
  });

  it("probes a sign-up's readOnly role (inside data/attributes) through a cookie session: sign in, read the profile with the cookie", async () => {
    const api = [{ contentType: "application/vnd.api+json", schema: { $ref: "#/components/schemas/UserDocument" } as never }];
    const model: ApiModel = {
      sourceVersion: "3.1.0",
      title: "lab",
      version: "1",
      servers: [],
      securitySchemes: { session: { name: "session", type: "apiKey", in: "cookie", paramName: "sid" } },
      schemas: {
        UserDocument: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", const: "users" }, attributes: { type: "object", required: ["username", "password"], properties: { username: { type: "string", maxLength: 30 }, password: { type: "string", writeOnly: true, minLength: 8 }, role: { type: "string", enum: ["member", "admin"], readOnly: true } } } } } } },
        SignIn: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", const: "sessions" }, attributes: { type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } } } } } },
      },
      operations: [
        op({ operationId: "signUp", method: "post", path: "/auth/signup", security: [], requestBody: { required: true, content: api }, responses: [{ status: "201", content: api, headers: [], links: [] }] }),
        op({ operationId: "signIn", method: "post", path: "/auth/session", security: [], requestBody: { required: true, content: [{ contentType: "application/vnd.api+json", schema: { $ref: "#/components/schemas/SignIn" } as never }] }, responses: [{ status: "201", content: [], headers: [{ name: "Set-Cookie", required: true, schema: { type: "string" } }], links: [] }] }),
        op({ operationId: "getMe", method: "get", path: "/me", security: [{ session: [] }], responses: [{ status: "200", content: api, headers: [], links: [] }] }),
      ],
    };
    const cases = await dataExposure.generate({ model, seed: 1, config });
    const probe = cases.find((c) => c.tags?.includes("sign-up") && c.title.includes("role"));
    expect(probe, cases.map((c) => c.title).join("\n")).toBeDefined();
    const signup = probe!.steps.find((s) => s.id === "signup")!;
    expect((signup.request.body?.value as { data: { attributes: Record<string, unknown> } }).data.attributes.role).toBe("admin");
    expect(probe!.steps.find((s) => s.id === "signin")!.extract).toEqual({ accountToken: { from: "cookie", name: "sid" } });
    expect(probe!.steps.find((s) => s.id === "read-back")!.request.headers.Cookie).toBe("sid={{accountToken}}");
    expect(checksOf(signup, "mass_assignment")[0].params).toMatchObject({ property: "/data/attributes/role", readStep: "read-back", readPointer: "/data/attributes/role", requireRead: true });
  });

  // RFC 6749 §4.3: one token endpoint for several grants, the body a union of them; only the password grant signs in
  for (const contentType of ["application/json", "application/x-www-form-urlencoded"]) {
    it(`signs in through a token endpoint whose ${contentType} body is a union of grants (the password grant's branch)`, async () => {
      const api = [{ contentType: "application/vnd.api+json", schema: { $ref: "#/components/schemas/UserDocument" } as never }];
      const model: ApiModel = {
        sourceVersion: "3.0.3",
        title: "lab",
        version: "1",
        servers: [],
        securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
        schemas: {
          UserDocument: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["type", "attributes"], properties: { type: { type: "string", enum: ["users"] }, attributes: { type: "object", additionalProperties: false, required: ["username", "password"], properties: { username: { type: "string", pattern: "^[a-z0-9_]{3,30}$" }, password: { type: "string", writeOnly: true, minLength: 8 }, role: { type: "string", enum: ["member", "owner"], readOnly: true } } } } } } },
          Grant: { oneOf: [{ $ref: "#/components/schemas/RefreshGrant" }, { $ref: "#/components/schemas/PasswordGrant" }] },
          PasswordGrant: { type: "object", additionalProperties: false, required: ["grant_type", "username", "password"], properties: { grant_type: { type: "string", enum: ["password"] }, username: { type: "string", maxLength: 30 }, password: { type: "string", format: "password" } } },
          RefreshGrant: { type: "object", additionalProperties: false, required: ["grant_type", "refresh_token"], properties: { grant_type: { type: "string", enum: ["refresh_token"] }, refresh_token: { type: "string" } } },
        },
        operations: [
          op({ operationId: "createUser", method: "post", path: "/users", security: [], requestBody: { required: true, content: api }, responses: [{ status: "201", content: api, headers: [], links: [] }] }),
          op({ operationId: "issueToken", method: "post", path: "/oauth/token", security: [], requestBody: { required: true, content: [{ contentType, schema: { $ref: "#/components/schemas/Grant" } as never }] }, responses: [{ status: "200", content: json({ type: "object", properties: { access_token: { type: "string" }, token_type: { type: "string" }, refresh_token: { type: "string" } } }), headers: [], links: [] }] }),
          op({ operationId: "getMe", method: "get", path: "/me", security: [{ bearer: [] }], responses: [{ status: "200", content: api, headers: [], links: [] }] }),
        ],
      };
      const cases = await dataExposure.generate({ model, seed: 1, config });
      const probe = cases.find((c) => c.tags?.includes("sign-up") && c.title.includes("role"));
      expect(probe, cases.map((c) => c.title).join("\n")).toBeDefined();
      const signup = probe!.steps.find((s) => s.id === "signup")!;
      const attributes = (signup.request.body?.value as { data: { attributes: Record<string, unknown> } }).data.attributes;
      expect(attributes.role).toBe("owner");
      const signin = probe!.steps.find((s) => s.id === "signin")!;
      expect(signin.request.body).toEqual({ contentType, value: { grant_type: "password", username: attributes.username, password: attributes.password } });
      expect(signin.extract).toEqual({ accountToken: { from: "body", pointer: "/access_token" } });
      expect(probe!.steps.find((s) => s.id === "read-back")!.request.headers.Authorization).toBe("Bearer {{accountToken}}");
    });
  }
});

describe("writeOnly properties a setup leaves out", () => {
  const Device = { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 }, sharedKey: { type: "string", writeOnly: true, minLength: 16, pattern: "^[A-Za-z0-9]+$" }, note: { type: "string" } } };
  const devices: ApiModel = {
    sourceVersion: "3.0.3", title: "devices", version: "1", servers: [], schemas: {}, securitySchemes: {},
    operations: [
      op({ operationId: "createDevice", method: "post", path: "/devices", requestBody: { required: true, content: json(Device) }, responses: [{ status: "201", content: json({ ...Device, properties: { ...Device.properties, id: { type: "integer" } } }), headers: [], links: [] }] }),
      op({ operationId: "getDevice", method: "get", path: "/devices/{id}", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: [{ status: "200", content: json(Device), headers: [], links: [] }] }),
    ],
  };
  it("creates with each of them, a value its schema admits, and reads back for excessive_data_exposure", async () => {
    const cases = await dataExposure.generate({ model: devices, seed: 1, config });
    const c = cases.find((x) => x.tags?.includes("write-only"))!;
    expect(c.steps.map((s) => `${s.request.method} ${s.id}`)).toEqual(["post create", "get read-back"]);
    const body = c.steps[0].request.body?.value as Record<string, unknown>;
    expect(body.sharedKey).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(body).not.toHaveProperty("note");
    expect(checksOf(c.steps[0], "excessive_data_exposure")).toHaveLength(1);
    expect(checksOf(c.steps[1], "excessive_data_exposure")).toHaveLength(1);
  });
  it("plans nothing when the create has no writeOnly property left to send", async () => {
    const plain = { ...devices, operations: devices.operations.map((o) => (o.requestBody ? { ...o, requestBody: { required: true, content: json({ ...Device, properties: { name: Device.properties.name } }) } } : o)) };
    expect((await dataExposure.generate({ model: plain, seed: 1, config })).some((x) => x.tags?.includes("write-only"))).toBe(false);
  });
});

describe("privilege", () => {
  it("recognises admin words as words, not inside other words", () => {
    expect(isPrivileged(profileModel, profileModel.operations[2], config)).toBe(false);
    expect(isPrivileged(profileModel, op({ operationId: "adminListUsers", method: "get", path: "/users" }), config)).toBe(true);
    expect(isPrivileged(profileModel, op({ operationId: "getBadminton", method: "get", path: "/sports" }), config)).toBe(false);
    expect(isPrivileged(profileModel, op({ operationId: "x", method: "get", path: "/admin/users" }), config)).toBe(true);
  });
  it("never takes an identity named like a privileged role for the BFLA attacker", async () => {
    const cases = await securityAuth.generate({ model: petstoreModel(), seed: 1, config: { ...config, identities: ["alice", "bob", "admin"] } });
    const attackers = cases.filter((c) => c.tags?.includes("bfla")).map((c) => last(c).request.identity);
    expect(attackers).toEqual(["bob"]);
  });
  it("takes an identity of the first one's role as its peer, and one of another role as the BFLA attacker", async () => {
    // names say nothing here: only the roles (declared or read from profiles) tell oscar from rhea
    const identities = ["olivia", "oscar", "rhea"];
    const attackersWith = async (identityRoles?: Record<string, string>) => {
      const cases = await securityAuth.generate({ model: petstoreModel(), seed: 1, config: { ...config, identities, ...(identityRoles ? { identityRoles } : {}) } });
      return cases.filter((c) => c.tags?.includes("bfla")).map((c) => last(c).request.identity);
    };
    expect(await attackersWith()).toEqual(["oscar", "rhea"]);
    expect(await attackersWith({ olivia: "owner", oscar: "owner", rhea: "respondent" })).toEqual(["rhea"]);
    // a privileged role is no attacker even when the first identity holds another one
    expect(await attackersWith({ olivia: "member", oscar: "admin", rhea: "not is_admin" })).toEqual(["rhea"]);
    // an identity whose role is unknown falls back to the name rule
    expect(await attackersWith({ olivia: "owner", oscar: "owner" })).toEqual(["rhea"]);
    // two ordinary accounts (role "user", is_admin false) are both unprivileged callers of an admin operation
    expect(await attackersWith({ olivia: "user", oscar: "user", rhea: "user" })).toEqual(["oscar", "rhea"]);
    expect(await attackersWith({ olivia: "not is_admin", oscar: "not is_admin", rhea: "admin" })).toEqual(["oscar"]);
  });
  it("calls a privileged write on an account no operation creates on one the case signs up, not on a made-up id", async () => {
    const user = { type: "object", properties: { id: { type: "integer" }, username: { type: "string" } } };
    const model: ApiModel = {
      ...profileModel,
      operations: [
        op({ operationId: "register", method: "post", path: "/accounts", security: [], requestBody: { required: true, content: json({ type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } }) }, responses: [{ status: "201", content: json(user), headers: [], links: [] }] }),
        op({ operationId: "login", method: "post", path: "/login", security: [], requestBody: { required: true, content: json({ type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } }) }, responses: [{ status: "200", content: json({ type: "object", properties: { token: { type: "string" } } }), headers: [], links: [] }] }),
        op({ operationId: "setRole", method: "put", path: "/users/{userId}/role", tags: ["admin"], parameters: [{ name: "userId", in: "path", required: true, schema: { type: "integer" } }], requestBody: { required: true, content: json({ type: "object", required: ["role"], properties: { role: { type: "string", enum: ["member", "owner"] } } }) }, responses: [{ status: "200", content: json(user), headers: [], links: [] }, { status: "403", content: [], headers: [], links: [] }] }),
      ],
    };
    const bfla = (await securityAuth.generate({ model, seed: 1, config: { ...config, identities: ["olivia", "rhea"] } })).filter((c) => c.tags?.includes("bfla"));
    expect(bfla).toHaveLength(1);
    const [signup, call] = bfla[0].steps;
    expect([signup.request.path, signup.request.identity, signup.extract?.victim]).toEqual(["/accounts", null, { from: "body", pointer: "/id" }]);
    expect([call.request.identity, call.request.pathParams.userId]).toEqual(["rhea", "{{victim}}"]);
  });
  it("still runs BOLA between peers of one role", async () => {
    const cases = await securityAuth.generate({ model: petstoreModel(), seed: 1, config: { ...config, identities: ["olivia", "oscar"], identityRoles: { olivia: "owner", oscar: "owner" } } });
    expect(cases.some((c) => c.tags?.includes("bola") && c.steps.some((s) => s.request.identity === "oscar"))).toBe(true);
    expect(cases.some((c) => c.tags?.includes("bfla"))).toBe(false);
  });
});

describe("injection", () => {
  it("also tries fields with a pattern or format, after the free-form ones", async () => {
    const model: ApiModel = { ...profileModel, operations: [op({ operationId: "ping", method: "get", path: "/ping", parameters: [{ name: "host", in: "query", required: true, schema: { type: "string", pattern: "^[a-z.]+$" } }] })] };
    const cases = await securityInjection.generate({ model, seed: 1, config });
    expect(cases.some((c) => c.tags?.includes("command") && String(last(c).request.query.host).includes("id"))).toBe(true);
  });

  it("injects into each string member of a deepObject query parameter (filter[label]), sent in its style, the other members left out", async () => {
    const filter = { name: "filter", in: "query" as const, required: false, style: "deepObject", explode: true, schema: { type: "object", properties: { status: { type: "string", enum: ["open", "closed"] }, label: { type: "string", maxLength: 80 } } } };
    const listing = json({ type: "object", properties: { data: { type: "array", items: { type: "object" } } } });
    const model: ApiModel = { ...profileModel, operations: [op({ operationId: "listItems", method: "get", path: "/items", parameters: [filter], responses: [{ status: "200", content: listing, headers: [], links: [] }] })] };
    const cases = await securityInjection.generate({ model, seed: 1, config });
    const label = cases.filter((c) => c.title.includes("query.filter[label]"));
    expect(label.some((c) => c.tags?.includes("sql")), cases.map((c) => c.title).join("\n")).toBe(true);
    for (const c of label) {
      const payload = last(c).request;
      expect(Object.keys(payload.query.filter as object)).toEqual(["label"]);
      expect(payload.queryStyles?.filter).toEqual({ style: "deepObject", explode: true });
    }
    expect(cases.some((c) => c.title.includes("query.filter[status]"))).toBe(false);
  });
});
