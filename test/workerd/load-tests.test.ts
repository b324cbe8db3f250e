/**
 * Load tests through the REST API inside workerd: real LoadGenerator Durable Objects, alarms, D1
 * and the loopback target of global-setup (which counts the requests it receives per path).
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { LoadReport } from "../../workers/load/types";
import { generatorStub } from "../../workers/runs/load-tests";
import { api, postJson, problem } from "./gateway-helpers";

const target = inject("targetUrl");

function spec(path: string) {
  return {
    openapi: "3.0.3",
    info: { title: "Load target", version: "1" },
    paths: {
      [path]: { get: { operationId: "readIt", responses: { "200": { description: "ok" } } } },
      "/ok/write": { post: { operationId: "writeIt", responses: { "201": { description: "made" } } } },
    },
  };
}

async function hits(path: string): Promise<number> {
  // the target closes idle keep-alive sockets after 1 s: a pooled one can be lost as it is reused
  const read = () => fetch(`${target}/__hits`);
  const all = (await (await read().catch(read)).json()) as Record<string, number>;
  return all[path] ?? 0;
}

async function waitDone(id: string, maxMs = 40_000): Promise<{ status: string }> {
  const until = Date.now() + maxMs;
  for (;;) {
    const res = await api(`/api/v1/load-tests/${id}`);
    const body = (await res.json()) as { status: string };
    if (["passed", "failed", "aborted", "errored"].includes(body.status)) return body;
    if (Date.now() > until) throw new Error(`load test ${id} still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function report(id: string): Promise<LoadReport["load"]> {
  const res = await api(`/api/v1/load-tests/${id}/report`);
  expect(res.status).toBe(200);
  return ((await res.json()) as LoadReport).load;
}

describe("load tests API", () => {
  it("runs one region, judges thresholds per expression, and serves JSON, HTML and JUnit reports", async () => {
    const path = "/ok/load-basic";
    const res = await postJson("/api/v1/load-tests", {
      spec: { inline: spec(path) },
      target: { url: target },
      rate: 20,
      duration: 3,
      thresholds: ["p(95)<5000", "http_req_failed<0.01", "p(50)<0.001"],
    });
    expect(res.status).toBe(202);
    const { id, links } = (await res.json()) as { id: string; links: { self: string } };
    expect(links.self).toBe(`/api/v1/load-tests/${id}`);
    expect((await waitDone(id)).status).toBe("failed");
    const load = await report(id);
    expect(load.asked).toEqual({ rate: 20, duration: 3, regions: ["nearest"] });
    expect(load.operations).toEqual([`GET ${path}`]);
    expect(load.regions).toHaveLength(1);
    expect(load.regions[0]).toMatchObject({ region: "nearest", colo: "local", requests: 60, errors: { byStatus: {}, byKind: {} } });
    expect(load.overall.requests).toBe(60);
    expect(await hits(path)).toBe(60);
    expect(load.thresholds.map((t) => [t.expression, t.ok])).toEqual([
      ["p(95)<5000", true],
      ["http_req_failed<0.01", true],
      ["p(50)<0.001", false],
    ]);
    expect(load.windows.map((w) => w.t)).toEqual([0, 1, 2]);
    expect(load.histogram.length).toBeGreaterThan(20);

    const html = await api(`/api/v1/load-tests/${id}/report.html`);
    expect(html.headers.get("content-type")).toContain("text/html");
    const page = await html.text();
    expect(page).toContain("<svg");
    expect(page).not.toContain("<script");
    const junit = await (await api(`/api/v1/load-tests/${id}/report.junit`)).text();
    expect(junit.match(/<testcase /g)).toHaveLength(3);
    expect(junit).toContain('failures="1"');

    const list = (await (await api("/api/v1/load-tests")).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toContain(id);
  });

  it("--regions wnam,weur: one generator per region, an overall whose counts are the sum", async () => {
    const path = "/ok/load-regions";
    const res = await postJson("/api/v1/load-tests", { spec: { inline: spec(path) }, target: { url: target }, rate: 30, duration: 2, regions: ["wnam", "weur"], thresholds: ["weur:p(99)<5000"] });
    const { id } = (await res.json()) as { id: string };
    expect((await waitDone(id)).status).toBe("passed");
    const load = await report(id);
    expect(load.regions.map((r) => [r.region, r.colo, r.requests])).toEqual([
      ["wnam", "local", 30],
      ["weur", "local", 30],
    ]);
    expect(load.overall.requests).toBe(60);
    expect(load.overall.late).toBe(load.regions[0].late + load.regions[1].late);
    expect(load.thresholds).toEqual([{ expression: "weur:p(99)<5000", region: "weur", value: expect.any(Number), ok: true }]);
    expect(new Set(load.windows.map((w) => w.region))).toEqual(new Set(["wnam", "weur"]));
    expect(await hits(path)).toBe(60);
  });

  it("a generator restarted mid-test resumes; the report counts exactly what the server received", async () => {
    const path = "/ok/load-resume";
    // 400/s: slices of 2 windows (900-request budget), so the test spans several alarms
    const res = await postJson("/api/v1/load-tests", { spec: { inline: spec(path) }, target: { url: target }, rate: 400, duration: 5, maxInFlight: 20 });
    const { id } = (await res.json()) as { id: string };
    const stub = generatorStub(env, id, "nearest");
    for (let i = 0; i < 100 && ((await stub.status())?.nextWindow ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    await stub.restartAfterSlice();
    expect((await waitDone(id)).status).toBe("passed");
    const load = await report(id);
    expect(load.windows.map((w) => w.t)).toEqual([0, 1, 2, 3, 4]);
    expect(load.overall.requests + load.overall.dropped).toBe(2000);
    expect(load.overall.requests).toBe(await hits(path));
  });

  it("stress climbs until the target breaks and reports that breaking point (rate, p95, errors)", async () => {
    // the target refuses (503) beyond 20 requests a second; the climb goes from 3 to 60 req/s in 8 s
    const res = await postJson("/api/v1/load-tests", { spec: { inline: spec("/capacity/20/stress") }, target: { url: target }, profile: "stress", rate: 60, duration: 8,
      // judged on errors only: on a loaded machine the corrected p95 may cross a latency limit first
      stress: { p95Ms: 60_000, errorRate: 0.05 } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitDone(id);
    const load = await report(id);
    const broke = load.breakingPoint;
    expect(broke).toBeTruthy();
    expect(broke!.errorRate).toBeGreaterThan(0.05);
    // where it broke: above the capacity's neighbourhood from below, well under the top of the climb
    expect(broke!.rate).toBeGreaterThan(12);
    expect(broke!.rate).toBeLessThan(50);
    // every window before it was clean
    const before = load.windows.filter((w) => w.t < broke!.t);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((w) => w.errors === 0)).toBe(true);
  });

  it("stops a test whose target is in distress", async () => {
    const res = await postJson("/api/v1/load-tests", {
      spec: { inline: { openapi: "3.0.3", info: { title: "x", version: "1" }, paths: { "/error/load": { get: { responses: { "500": { description: "boom" } } } } } } },
      target: { url: target },
      rate: 30,
      duration: 8,
    });
    const { id } = (await res.json()) as { id: string };
    expect((await waitDone(id)).status).toBe("aborted");
    const load = await report(id);
    expect(load.abort?.reason).toMatch(/target in distress: 100% of the requests of window 0/);
    expect(load.windows.length).toBeLessThan(3);
    expect(load.overall.errors.byStatus).toEqual({ 500: load.overall.requests });
  });

  it("loads GET /items/{id} with ids read from GET /items (no 404s on made-up ids), one list read before the test", async () => {
    const item = { get: { operationId: "getOne", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok" } } } };
    const doc = (name: string) => ({
      openapi: "3.0.3",
      info: { title: "Harvest", version: "1" },
      paths: { [`/${name}`]: { get: { operationId: "listAll", responses: { "200": { description: "ok" } } } }, [`/${name}/{id}`]: item },
    });
    const res = await postJson("/api/v1/load-tests", { spec: { inline: doc("list/harvest") }, target: { url: target }, operations: ["GET /list/harvest/{id}"], rate: 12, duration: 1 });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await waitDone(id)).status).toBe("passed");
    const load = await report(id);
    expect(load.operations).toEqual(["GET /list/harvest/{id} (3 ids from GET /list/harvest)"]);
    expect(load.overall.requests + load.overall.dropped).toBe(12);
    expect(await hits("/list/harvest")).toBe(1);
    const perId = await Promise.all([1, 2, 3].map((n) => hits(`/list/harvest/harvest-${n}`)));
    expect(perId.reduce((a, b) => a + b, 0)).toBe(load.overall.requests);
    expect(perId.every((n) => n >= 3)).toBe(true);

    // a list without ids: nothing to load it with, said per operation
    const none = await postJson("/api/v1/load-tests", { spec: { inline: doc("ok/harvest-none") }, target: { url: target }, operations: ["GET /ok/harvest-none/{id}"], duration: 1 });
    expect(none.status).toBe(400);
    expect((await problem(none)).detail).toContain("GET /ok/harvest-none/{id}: no ids for {id}: GET /ok/harvest-none returned no ids");
  });

  it("refuses a malformed threshold with its position, writes without allowWrites, unknown regions", async () => {
    const bad = await postJson("/api/v1/load-tests", { spec: { inline: spec("/ok/x") }, target: { url: target }, thresholds: ["p(95)<300", "p(95<300"] });
    expect(bad.status).toBe(400);
    const p = await problem(bad);
    expect(p.errors?.[0]).toMatchObject({ field: "thresholds/1", position: 5 });
    expect(p.detail).toContain("at position 5");
    const writes = await postJson("/api/v1/load-tests", { spec: { inline: spec("/ok/x") }, target: { url: target }, operations: ["POST /ok/write"] });
    expect(writes.status).toBe(400);
    expect((await problem(writes)).detail).toContain("allowWrites");
    const region = await postJson("/api/v1/load-tests", { spec: { inline: spec("/ok/x") }, target: { url: target }, regions: ["mars"] });
    expect((await problem(region)).errors?.[0]).toMatchObject({ field: "regions/0" });
    const regionThreshold = await postJson("/api/v1/load-tests", { spec: { inline: spec("/ok/x") }, target: { url: target }, regions: ["wnam"], thresholds: ["weur:p(95)<1"] });
    expect((await problem(regionThreshold)).detail).toContain("not one of the test's regions");
  });
});
