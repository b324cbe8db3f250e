import { describe, expect, it } from "vitest";
import { parseSpec } from "../orchestrator/spec/parse-spec";
import { breakingPoint, spikeRecovery } from "./report";
import { findOperation, harvestIds, interleave, planLoad, PlanError, profileShape } from "./plan";
import { ArrivalPlan } from "./schedule";
import { encodeHistogram, newHistogram, recordMs } from "./histogram";
import type { LoadWindow } from "./types";

const spec = {
  openapi: "3.0.3",
  info: { title: "Shop", version: "1" },
  paths: {
    "/items": {
      get: { operationId: "listItems", parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } }], responses: { "200": { description: "ok" } } },
      post: { operationId: "createItem", requestBody: { content: { "application/json": { schema: { type: "object", properties: { name: { type: "string" } } } } } }, responses: { "201": { description: "made" } } },
    },
    "/items/{id}": {
      get: { operationId: "getItem", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" }, example: 7 }], responses: { "200": { description: "ok" } } },
      delete: { operationId: "deleteItem", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: { "204": { description: "gone" } } },
    },
  },
};
const model = parseSpec(new TextEncoder().encode(JSON.stringify(spec))).model!;

function window(index: number, ms: number, count: number, errors = 0): LoadWindow {
  const h = newHistogram();
  for (let i = 0; i < count; i++) recordMs(h, ms);
  return { region: "local", colo: "local", index, startMs: index * 1000, durationMs: 1000, requests: count, errors: { byStatus: errors ? { 503: errors } : {}, byKind: errors ? { http: errors } : {} }, late: 0, dropped: 0, hdr: encodeHistogram(h), hdrUncorrected: encodeHistogram(h) };
}

describe("performance planner", () => {
  it("loads read operations by default, with spec examples for ids", () => {
    const plan = planLoad(model, { seed: 1 });
    expect(plan.requests.map((r) => r.label)).toEqual(["GET /items", "GET /items/{id}"]);
    expect(plan.requests[1].template.pathParams).toEqual({ id: 7 });
  });

  it("an id the spec gives no value for is harvested from the list operation beside it", () => {
    const doc = {
      openapi: "3.0.3",
      info: { title: "Shop", version: "1" },
      paths: {
        "/users": { get: { operationId: "listUsers", responses: { "200": { description: "ok" } } } },
        "/users/{userId}": { get: { operationId: "getUser", parameters: [{ name: "userId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } },
        "/orphans/{id}": { get: { operationId: "getOrphan", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } },
      },
    };
    const plan = planLoad(parseSpec(new TextEncoder().encode(JSON.stringify(doc))).model!, { seed: 1 });
    const user = plan.requests.find((r) => r.label === "GET /users/{userId}")!;
    expect(user.harvest).toMatchObject({ param: "userId", listLabel: "GET /users", list: { method: "get", path: "/users" } });
    // with an example (the shop's GET /items/{id}) nothing is harvested
    expect(planLoad(model, { seed: 1 }).requests.every((r) => !r.harvest)).toBe(true);
    // no list beside it: a made-up id, as before (the planner has nothing better)
    expect(plan.requests.find((r) => r.label === "GET /orphans/{id}")?.harvest).toBeUndefined();
  });

  it("reads ids from the usual list shapes", () => {
    expect(harvestIds([{ id: 1 }, { id: 2 }, { id: 2 }], "id")).toEqual(["1", "2"]);
    expect(harvestIds({ data: [{ userId: "u1" }, { id: "x" }] }, "userId")).toEqual(["u1", "x"]);
    expect(harvestIds({ page: 1, things: [{ user_id: "a" }] }, "userId")).toEqual(["a"]);
    expect(harvestIds({ items: ["s1", "s2", ""] }, "slug")).toEqual(["s1", "s2"]);
    expect(harvestIds({ ok: true }, "id")).toEqual([]);
    expect(harvestIds(Array.from({ length: 50 }, (_, i) => ({ id: i })), "id", 20)).toHaveLength(20);
    // every operation keeps an equal share whatever its number of ids
    expect(interleave([["list"], ["a", "b", "c"]])).toEqual(["list", "a", "list", "b", "list", "c"]);
  });

  it("refuses writes unless allowed, and names unknown operations", () => {
    expect(() => planLoad(model, { seed: 1, operations: ["POST /items"] })).toThrow(/allowWrites/);
    expect(planLoad(model, { seed: 1, operations: ["createItem"], allowWrites: true }).requests[0].label).toBe("POST /items");
    expect(() => planLoad(model, { seed: 1, operations: ["GET /nope"] })).toThrow(PlanError);
    expect(findOperation(model, "get /items/{id}")?.operationId).toBe("getItem");
  });

  it("stress climbs to the rate; spike jumps for the middle fifth and comes back", () => {
    const stress = new ArrivalPlan(profileShape("stress", 100, 10_000).schedule);
    expect(stress.rateAt(0)).toBeCloseTo(5);
    expect(stress.rateAt(9999)).toBeCloseTo(100, 0);
    const spike = profileShape("spike", 100, 10_000);
    const plan = new ArrivalPlan(spike.schedule);
    expect(spike.spike).toEqual({ startMs: 4000, endMs: 6000 });
    expect(plan.rateAt(3000)).toBeCloseTo(20);
    expect(plan.rateAt(5000)).toBeCloseTo(100);
    expect(plan.rateAt(7000)).toBeCloseTo(20);
    expect(plan.total).toBe(20 * 8 + 100 * 2);
  });

  it("finds the breaking point and the recovery time from windows", () => {
    const windows = [window(0, 20, 10), window(1, 30, 20), window(2, 400, 30), window(3, 2000, 40, 5)];
    expect(breakingPoint(windows, { p95Ms: 300, errorRate: 0.05 })).toEqual({ t: 2, rate: 30, p95: expect.closeTo(400, 0), errorRate: 0 });
    const spiky = [window(0, 20, 10), window(1, 20, 10), window(2, 500, 50), window(3, 300, 10), window(4, 25, 10)];
    expect(spikeRecovery(spiky, 2000, 3000)).toEqual({ baselineP95: expect.closeTo(20, 0), recoveryMs: 1000 });
  });
});
