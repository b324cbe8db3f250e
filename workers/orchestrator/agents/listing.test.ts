import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";
import { functionalPositive } from "./functional-positive";

const json = "application/json";
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "#", ...partial };
}
const ok = (status: string, schema: Record<string, unknown>) => ({ status, content: [{ contentType: json, schema }], headers: [], links: [] });
const param = (name: string) => ({ name, in: "path" as const, required: true, schema: { type: "string" } });
const Server = { type: "object", properties: { id: { type: "string" }, version: { type: "string" } } };
const Zone = { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } };

// PowerDNS's shape: servers are only listed (GET /servers → [{id: "localhost"}]), zones are created below one
const servers = op({ operationId: "listServers", method: "get", path: "/servers", responses: [ok("200", { type: "array", items: Server })] });
const server = op({ operationId: "getServer", method: "get", path: "/servers/{server_id}", parameters: [param("server_id")], responses: [ok("200", Server)] });
const zones = op({ operationId: "listZones", method: "get", path: "/servers/{server_id}/zones", parameters: [param("server_id")], responses: [ok("200", { type: "array", items: Zone })] });
const createZone = op({ operationId: "createZone", method: "post", path: "/servers/{server_id}/zones", parameters: [param("server_id")], requestBody: { required: true, content: [{ contentType: json, schema: Zone }] }, responses: [ok("201", Zone)] });
const zone = op({ operationId: "getZone", method: "get", path: "/servers/{server_id}/zones/{zone_id}", parameters: [param("server_id"), param("zone_id")], responses: [ok("200", Zone)] });
const deleteServer = op({ operationId: "deleteServer", method: "delete", path: "/servers/{server_id}", parameters: [param("server_id")], responses: [{ status: "204", content: [], headers: [], links: [] }] });

const model = (operations: Operation[]): ApiModel => ({ sourceVersion: "2.0", title: "t", version: "1", servers: [], schemas: {}, securitySchemes: {}, operations }) as ApiModel;
const build = (m: ApiModel, operationId: string) =>
  buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations.find((o) => o.operationId === operationId)!, new Rng(1), { useExamples: true, optional: "required" });

describe("path parameters of a resource nothing creates but the API lists", () => {
  const m = model([servers, server, zones, createZone, zone, deleteServer]);

  it("reads the id from the first item of the collection's listing, for a read and below it", () => {
    const read = build(m, "getServer");
    expect(read.setup).toEqual([expect.objectContaining({ id: "setup-listed-server_id", request: expect.objectContaining({ method: "get", path: "/servers" }), extract: { listed_server_id: { from: "body", pointer: "/0/id" } }, requireSuccess: true })]);
    expect(read.request.pathParams.server_id).toBe("{{listed_server_id}}");
    // the zone is created by the run inside the listed server; the server's own listing comes first
    const child = build(m, "getZone");
    expect(child.setup.map((s) => s.id)).toEqual(["setup-listed-server_id", "setup-zone_id"]);
    expect(child.setup[1].request).toMatchObject({ method: "post", pathParams: { server_id: "{{listed_server_id}}" } });
  });

  it("never writes to a listed item itself, and leaves collections with a create or without a listing alone", () => {
    expect(build(m, "deleteServer").setup).toEqual([]);
    expect(build(m, "getZone").setup.some((s) => s.id === "setup-listed-zone_id")).toBe(false);
    expect(build(model([server]), "getServer").setup).toEqual([]);
    const wrapped = op({ ...servers, responses: [ok("200", { type: "object", properties: { servers: { type: "array", items: Server }, total: { type: "integer" } } })] });
    expect(build(model([wrapped, server]), "getServer").setup[0].extract).toEqual({ listed_server_id: { from: "body", pointer: "/servers/0/id" } });
  });
});

describe("where a listing's items are inside its envelope", () => {
  const setupOf = (schema: Record<string, unknown>) => build(model([op({ ...servers, responses: [ok("200", schema)] }), server]), "getServer").setup[0]?.extract;
  it("finds the one array however deep the envelope keeps it: HAL _embedded, JSON:API data, data.results", () => {
    const links = { type: "object", properties: { self: { type: "object", properties: { href: { type: "string" } } } } };
    const page = { type: "object", properties: { size: { type: "integer" }, totalElements: { type: "integer" } } };
    expect(setupOf({ type: "object", properties: { _links: links, _embedded: { type: "object", properties: { servers: { type: "array", items: Server } } }, page } })).toEqual({ listed_server_id: { from: "body", pointer: "/_embedded/servers/0/id" } });
    expect(setupOf({ type: "object", properties: { data: { type: "array", items: Server }, links: { type: "array", items: { type: "string" } }, meta: page } })).toEqual({ listed_server_id: { from: "body", pointer: "/data/0/id" } });
    expect(setupOf({ type: "object", properties: { data: { type: "object", properties: { results: { type: "array", items: Server }, next: { type: "string" } } } } })).toEqual({ listed_server_id: { from: "body", pointer: "/data/results/0/id" } });
    // alone, an array named links is the items (a collection of links)
    expect(setupOf({ type: "object", properties: { links: { type: "array", items: Server } } })).toEqual({ listed_server_id: { from: "body", pointer: "/links/0/id" } });
  });
  it("does not choose between two arrays on the nearest level that has one", () => {
    expect(setupOf({ type: "object", properties: { data: { type: "array", items: Server }, included: { type: "array", items: Zone } } })).toBeUndefined();
    expect(setupOf({ type: "object", properties: { _embedded: { type: "object", properties: { servers: { type: "array", items: Server }, zones: { type: "array", items: Zone } } } } })).toBeUndefined();
  });
});

describe("writes below a listed resource", () => {
  it("creates inside the listed parent (POST /servers/{server_id}/zones), but never writes the listed item", () => {
    const m = model([servers, server, zones, createZone, zone, deleteServer]);
    const create = build(m, "createZone");
    expect(create.setup.map((s) => s.id)).toEqual(["setup-listed-server_id"]);
    expect(create.request.pathParams.server_id).toBe("{{listed_server_id}}");
    expect(build(m, "deleteServer").setup).toEqual([]);
  });
});

describe("writes that would change the listed item's own data", () => {
  it("are left with a made-up id: an attribute (PUT /users/{id}/email), an action (PUT …/cache/flush)", () => {
    const User = { type: "object", properties: { id: { type: "string" }, email: { type: "string" } } };
    const users = op({ operationId: "listUsers", method: "get", path: "/users", responses: [ok("200", { type: "array", items: User })] });
    const setEmail = op({ operationId: "setEmail", method: "put", path: "/users/{id}/email", parameters: [param("id")], requestBody: { required: true, content: [{ contentType: json, schema: { type: "object", properties: { email: { type: "string" } } } }] }, responses: [ok("200", User)] });
    const flush = op({ operationId: "flush", method: "put", path: "/servers/{server_id}/cache/flush", parameters: [param("server_id")], responses: [ok("200", { type: "object" })] });
    const updateZone = op({ operationId: "updateZone", method: "put", path: "/servers/{server_id}/zones/{zone_id}", parameters: [param("server_id"), param("zone_id")], requestBody: { required: true, content: [{ contentType: json, schema: Zone }] }, responses: [ok("200", Zone)] });
    const m = model([users, setEmail, servers, server, zones, createZone, zone, flush, updateZone]);
    expect(build(m, "setEmail").setup).toEqual([]);
    expect(build(m, "flush").setup).toEqual([]);
    // the zone is the run's own: its server comes from the listing
    expect(build(m, "updateZone").setup.map((s) => s.id)).toEqual(["setup-listed-server_id", "setup-zone_id"]);
  });
});

describe("a sub-collection's listing is read with an item in it", () => {
  // a course created by the setup holds no enrollment: its listing would only ever be empty
  const Course = { type: "object", properties: { id: { type: "string" }, title: { type: "string" } } };
  const Enrollment = { type: "object", properties: { id: { type: "string" }, enrolledAt: { type: "string", format: "date-time" } } };
  const courses = op({ operationId: "listCourses", method: "get", path: "/courses", responses: [ok("200", { type: "array", items: Course })] });
  const createCourse = op({ operationId: "createCourse", method: "post", path: "/courses", requestBody: { required: true, content: [{ contentType: json, schema: { type: "object", required: ["title"], properties: { title: { type: "string" } } } }] }, responses: [ok("201", Course)] });
  const course = op({ operationId: "getCourse", method: "get", path: "/courses/{courseId}", parameters: [param("courseId")], responses: [ok("200", Course)] });
  const include = { name: "include", in: "query" as const, required: false, schema: { type: "array", items: { type: "string", enum: ["user", "course"] } } };
  const enrollments = op({ operationId: "listEnrollments", method: "get", path: "/courses/{courseId}/enrollments", parameters: [param("courseId"), include], responses: [ok("200", { type: "object", properties: { data: { type: "array", items: Enrollment } } })] });
  const enroll = op({ operationId: "enroll", method: "post", path: "/courses/{courseId}/enrollments", parameters: [param("courseId")], requestBody: { required: true, content: [{ contentType: json, schema: { type: "object", required: ["track"], properties: { track: { type: "string", enum: ["credit", "audit"] } } } }] }, responses: [ok("201", Enrollment)] });
  const m = model([courses, createCourse, course, enrollments, enroll]);
  const positive = async () => functionalPositive.generate({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 50 } });

  it("creates one item under the parent the setup made, before every positive listing (include= on its own too)", async () => {
    const listings = (await positive()).filter((c) => c.operationId === "listEnrollments");
    expect(listings.length).toBeGreaterThan(2);
    for (const c of listings) {
      const item = c.steps.find((s) => s.id === "setup-item");
      expect(item?.request).toMatchObject({ method: "post", path: "/courses/{courseId}/enrollments", pathParams: { courseId: "{{courseId}}" }, body: { value: { track: "credit" } } });
      expect(item?.requireSuccess).toBeUndefined();
      expect(c.steps.findIndex((s) => s.id === "setup-courseId")).toBeLessThan(c.steps.indexOf(item!));
    }
    expect(listings.some((c) => c.steps.at(-1)!.request.query.include !== undefined && c.tags?.includes("isolated"))).toBe(true);
  });

  it("leaves a top-level listing, other operations and other agents' requests as they were", async () => {
    const cases = await positive();
    expect(cases.filter((c) => c.operationId !== "listEnrollments").some((c) => c.steps.some((s) => s.id === "setup-item"))).toBe(false);
    expect(build(m, "listEnrollments").setup.map((s) => s.id)).toEqual(["setup-courseId"]);
  });
});
