import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Step, TestCase } from "../model";
import { model } from "./checks/test-support";
import { buildFindings } from "./findings";
import type { FetchLike } from "./http-client";
import { runCase, type RunEnv } from "./run-case";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

// ---------- a small, real target ----------

const pets = new Map<string, { id: number; name: string; apiKey?: string }>();
let nextId = 1;
const hits: Record<string, number> = {};
const seenAuth: string[] = [];
let bigBytesWritten = 0;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, body === undefined ? headers : { "content-type": "application/json", ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://localhost");
  const key = `${req.method} ${url.pathname}`;
  hits[key] = (hits[key] ?? 0) + 1;
  seenAuth.push(String(req.headers.authorization ?? ""));
  let raw = "";
  for await (const chunk of req) raw += chunk;

  if (url.pathname === "/hang") return; // never answers
  if (url.pathname === "/reset") return req.socket.destroy();
  // load shedding: /busy refuses its first request with a bare 503; /down always (Retry-After: 0 with ?ra)
  if (url.pathname === "/busy") return hits[key] === 1 ? send(res, 503, { message: "under pressure" }) : send(res, 200, []);
  if (url.pathname === "/down") return send(res, 503, { message: "down" }, url.searchParams.has("ra") ? { "retry-after": "0" } : {});
  if (url.pathname === "/cut") {
    // the status and part of the body, then the handler dies: the connection closes mid-body
    res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
    res.write('{"items": [');
    return void setTimeout(() => req.socket.destroy(), 20);
  }
  if (url.pathname === "/flaky" && hits[key] <= 3) return req.socket.destroy(); // a burst of drops, then answers
  if (url.pathname === "/owner") return send(res, 200, { name: "Ann", passwordHash: "$2b$10$abcdefghijklmnopqrstuu1234567890abcdefghijklmnopqrstu" });
  // slow on its first hit only (a busy host), or every time (?always=1: the operation is slow)
  if (url.pathname === "/slow") return void setTimeout(() => send(res, 200, { ok: true }), hits[key] === 1 || url.searchParams.get("always") === "1" ? 300 : 0);
  if (url.pathname === "/big") {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    const chunk = Buffer.alloc(64 * 1024, 97);
    const total = 50 * 1024 * 1024;
    const pump = () => {
      while (bigBytesWritten < total) {
        bigBytesWritten += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => res.removeAllListeners("drain"));
    return pump();
  }
  if (key === "POST /pets") {
    const body = raw ? JSON.parse(raw) : {};
    if (body.name === "crash") return send(res, 500, { message: "internal error" });
    if (body.name === "flaky" && hits[key] === 1) return send(res, 503, { message: "busy" });
    if (typeof body.name !== "string") return send(res, 400, { message: "name required" });
    const id = nextId++;
    // a keyed pet shows its creator the key it was given (documented or not: the test's model decides)
    const pet = { id, name: body.name, ...(body.name === "keyed" ? { apiKey: `k-${id}-8feb6a2ef60f9d89` } : {}) };
    pets.set(String(pet.id), pet);
    return send(res, 201, pet, { location: `/pets/${pet.id}` });
  }
  if (key === "GET /pets") return send(res, 200, [...pets.values()]);
  const match = /^\/pets\/([^/]+)$/.exec(url.pathname);
  if (match) {
    const pet = pets.get(match[1]);
    if (req.method === "GET") return pet ? send(res, 200, pet) : send(res, 404, { message: "not found" });
    if (req.method === "DELETE") {
      if (url.searchParams.get("keep") !== "1") pets.delete(match[1]); // keep=1: the bug under test
      return send(res, 204);
    }
  }
  send(res, 404, { message: "no route" });
}

let target: LoopbackServer;
let baseUrl: string;

beforeAll(async () => {
  target = await listenLoopback((req, res) => void handle(req, res));
  baseUrl = target.url;
});

afterAll(() => target.close());

beforeEach(() => {
  for (const k of Object.keys(hits)) delete hits[k];
  seenAuth.length = 0;
});

// ---------- helpers ----------

const SECRET = "Bearer very-secret-alice-token";

function env(overrides: Partial<RunEnv["config"]> = {}): RunEnv {
  return {
    fetch: globalThis.fetch as FetchLike,
    baseUrl,
    identities: { alice: { Authorization: SECRET } },
    model,
    config: { timeoutMs: 2000, maxBodyBytes: 1024 * 1024, retryDelayMs: 10, ...overrides },
  };
}

function step(id: string, method: string, path: string, extra: Partial<Step> & { pathParams?: Record<string, unknown>; body?: unknown; query?: Record<string, unknown> } = {}): Step {
  const { pathParams = {}, body, query = {}, ...rest } = extra;
  return {
    id,
    request: { method, path, pathParams, query, headers: {}, ...(body === undefined ? {} : { body: { contentType: "application/json", value: body } }) },
    checks: [],
    ...rest,
  };
}

function testCase(steps: Step[], kind: TestCase["kind"] = "stateful"): TestCase {
  return { id: `case-${Math.random().toString(36).slice(2, 8)}`, agent: "stateful", operationId: "createPet", kind, title: "t", steps };
}

function crudChain(deleteQuery: Record<string, unknown> = {}): TestCase {
  return testCase([
    step("create", "post", "/pets", { body: { name: "Rex" }, requireSuccess: true, extract: { petId: { from: "body", pointer: "/id" }, loc: { from: "header", name: "Location" }, locId: { from: "location-id" } }, checks: [{ name: "not_a_server_error" }, { name: "location_header" }] }),
    step("read", "get", "/pets/{petId}", { pathParams: { petId: "{{petId}}" }, checks: [{ name: "ensure_resource_availability", params: { createStep: "create" } }, { name: "response_schema_conformance" }] }),
    step("follow", "get", "{{loc}}", { checks: [{ name: "location_header", params: { createStep: "create" } }] }),
    step("delete", "delete", "/pets/{petId}", { pathParams: { petId: "{{locId}}" }, query: deleteQuery, checks: [{ name: "not_a_server_error" }] }),
    step("reread", "get", "/pets/{petId}", { pathParams: { petId: "{{petId}}" }, checks: [{ name: "use_after_free", params: { deleteStep: "delete" } }] }),
  ]);
}

// ---------- tests ----------

describe("runCase against a real server", () => {
  it("runs an extraction chain (body pointer, Location header, location-id) and passes", async () => {
    const result = await runCase(crudChain(), env());
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe("passed");
    expect(result.exchanges.map((e) => e.response?.status)).toEqual([201, 200, 200, 204, 404]);
    const id = JSON.parse(result.exchanges[0].response!.body).id;
    expect(result.exchanges[2].request.url).toBe(`${baseUrl}/pets/${id}`);
    expect(result.exchanges[3].request.url).toBe(`${baseUrl}/pets/${id}`);
    expect(result.checks.filter((c) => c.status === "failed")).toEqual([]);
    expect(result.checks.find((c) => c.check === "use_after_free")?.status).toBe("passed");
    expect(result.checks.find((c) => c.check === "ensure_resource_availability")?.status).toBe("passed");
  });

  it("fails the case on a real bug and builds a deduplicated, reproducible finding", async () => {
    const chain = crudChain({ keep: 1 });
    const result = await runCase(chain, env());
    expect(result.status).toBe("failed");
    const failed = result.checks.filter((c) => c.status === "failed");
    expect(failed).toMatchObject([{ check: "use_after_free", stepId: "reread", severity: "high" }]);
    const findings = buildFindings(result, chain, model);
    expect(findings).toHaveLength(1);
    // the bug is the DELETE's (it did not delete); the finding shows the read that proves it
    expect(findings[0]).toMatchObject({ check: "use_after_free", operation: { method: "delete", path: "/pets/{petId}", operationId: "deletePet" }, caseId: chain.id });
    expect(findings[0].id).toMatch(/^f_[0-9a-f]{16}$/);
    expect(findings[0].curl).toContain(`curl -X 'GET' '${baseUrl}/pets/`);
  });

  it("sends real credentials but records only placeholders", async () => {
    const result = await runCase(crudChain(), env());
    expect(seenAuth).toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain("very-secret-alice-token");
    expect(result.exchanges[0].request.headers.Authorization).toBe("Bearer $SENTINEL_AUTHORIZATION");
  });

  it("skips the rest of the chain when a requireSuccess step fails", async () => {
    const chain = crudChain();
    chain.steps[0].request.body = { contentType: "application/json", value: { nope: true } };
    const result = await runCase(chain, env());
    expect(result.status).toBe("skipped");
    expect(result.reason).toContain("step create (precondition) answered 400");
    expect(result.exchanges).toHaveLength(1);
    expect(hits["GET /pets/undefined"]).toBeUndefined();
  });

  it("a setup create answered 5xx: the step sent in its place reads the listing's first item, the 5xx is judged, the read goes on", async () => {
    pets.set("77", { id: 77, name: "Old" });
    const listing = step("setup-listed-petId", "get", "/pets", { requireSuccess: true, extract: { petId: { from: "body", pointer: "/0/id" }, listed_petId: { from: "body", pointer: "/0/id" } } });
    const read = () => step("read", "get", "/pets/{petId}", { pathParams: { petId: "{{petId}}" }, checks: [{ name: "status_code_conformance" }] });
    const result = await runCase(testCase([step("setup-petId", "post", "/pets", { body: { name: "crash" }, requireSuccess: true, extract: { petId: { from: "body", pointer: "/id" } }, instead: listing }), read()]), env());
    expect(result.exchanges.map((e) => `${e.stepId} ${e.response?.status}`)).toEqual(["setup-petId 500", "setup-listed-petId 200", "read 200"]);
    expect(result.checks.find((c) => c.stepId === "setup-petId" && c.check === "not_a_server_error")).toMatchObject({ status: "failed" });
    // without a step in its place (or after a 4xx) the chain stops as before
    const alone = await runCase(testCase([step("setup-petId", "post", "/pets", { body: { name: "crash" }, requireSuccess: true, extract: { petId: { from: "body", pointer: "/id" } } }), read()]), env());
    expect(alone.exchanges.map((e) => e.stepId)).toEqual(["setup-petId"]);
    const refused = await runCase(testCase([step("setup-petId", "post", "/pets", { body: { nope: true }, requireSuccess: true, extract: { petId: { from: "body", pointer: "/id" } }, instead: listing }), read()]), env());
    expect(refused.exchanges.map((e) => e.stepId)).toEqual(["setup-petId"]);
    pets.delete("77");
  });

  it("sends a setup create refused with its lean body (400/422) once more with its fuller body", async () => {
    const chain = crudChain();
    chain.steps[0].request.body = { contentType: "application/json", value: { nope: true }, fuller: { nope: true, name: "Rex" } };
    const result = await runCase(chain, env());
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe("passed");
    expect(hits["POST /pets"]).toBe(2);
    expect(JSON.parse(result.exchanges[0].request.body!)).toEqual({ nope: true, name: "Rex" });
    // a step the chain does not need to succeed is judged on what it sent first
    const judged = testCase([step("create", "post", "/pets", { body: { nope: true }, checks: [{ name: "not_a_server_error" }] })]);
    judged.steps[0].request.body!.fuller = { name: "Rex" };
    expect((await runCase(judged, env())).exchanges[0].response?.status).toBe(400);
  });

  it("measures an answer over the time budget again before judging it: one slow answer passes, a slowness that reproduces fails", async () => {
    const once = await runCase(testCase([step("list", "get", "/slow", { checks: [{ name: "max_response_time" }] })]), env({ maxResponseTimeMs: 150 }));
    expect(hits["GET /slow"]).toBe(2);
    expect(once.exchanges[0].retimedMs).toHaveLength(1);
    expect(once.checks.find((c) => c.check === "max_response_time")).toMatchObject({ status: "passed", message: expect.stringContaining("did not reproduce") });
    for (const k of Object.keys(hits)) delete hits[k];
    const always = await runCase(testCase([step("list", "get", "/slow", { query: { always: 1 }, checks: [{ name: "max_response_time" }] })]), env({ maxResponseTimeMs: 150 }));
    expect(hits["GET /slow"]).toBe(3);
    expect(always.exchanges[0].retimedMs).toHaveLength(2);
    expect(always.checks.find((c) => c.check === "max_response_time")).toMatchObject({ status: "failed", signature: "exceeded", message: expect.stringContaining("sent again") });
  });

  it("examines every successful read for exposed secrets, whichever agent sent it", async () => {
    const result = await runCase(testCase([step("read", "get", "/owner", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(result.checks.find((c) => c.check === "excessive_data_exposure")).toMatchObject({ status: "failed", signature: "password:/passwordHash" });
  });

  it("judges the answer at a Location by the documented operation that URL addresses, and names that operation in a finding", async () => {
    const chain = () =>
      testCase([
        step("create", "post", "/pets", { body: { name: "keyed" }, requireSuccess: true, extract: { loc: { from: "header", name: "Location" } } }),
        step("follow", "get", "{{loc}}", { checks: [{ name: "not_a_server_error" }] }),
      ]);
    // GET /pets/{petId} answers a Pet, and this contract's Pet names the key the item shows its creator
    const keyed = { ...model, schemas: { ...model.schemas, Pet: { ...(model.schemas.Pet as { properties: object }), properties: { ...(model.schemas.Pet as { properties: object }).properties, apiKey: { type: "string" } } } } };
    const within = await runCase(chain(), { ...env(), model: keyed });
    expect(within.exchanges[1].operationId).toBe("getPet");
    expect(within.checks.find((c) => c.stepId === "follow" && c.check === "excessive_data_exposure")).toMatchObject({ status: "passed" });
    // a contract whose Pet does not name it: the key is exposed, and the finding is GET /pets/{petId}'s
    const tc = chain();
    const outside = await runCase(tc, env());
    const findings = buildFindings(outside, tc, model).filter((f) => f.check === "excessive_data_exposure");
    expect(findings).toMatchObject([{ operation: { method: "get", path: "/pets/{petId}", operationId: "getPet" }, title: "Excessive data exposure on GET /pets/{petId}" }]);
  });

  it("judges an answer whose body is cut (the connection closed mid-body, again alone) while the target keeps serving", async () => {
    const result = await runCase(testCase([step("list", "get", "/cut", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(result.status).toBe("failed");
    expect(hits["GET /cut"]).toBe(2);
    expect(result.checks.find((c) => c.status === "failed")).toMatchObject({ check: "not_a_server_error", signature: "cut-body", message: expect.stringContaining("answered 200, then the connection closed before the body ended") });
  });

  it("sends a request answered 503 once more after a pause, and judges the second answer (a throttling burst keeps its 503)", async () => {
    const busy = await runCase(testCase([step("list", "get", "/busy", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(hits["GET /busy"]).toBe(2);
    expect(busy.status).toBe("passed");
    expect(busy.exchanges.map((e) => e.response?.status)).toEqual([200]);

    const down = await runCase(testCase([step("list", "get", "/down", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(hits["GET /down"]).toBe(2);
    expect(down.checks.find((c) => c.status === "failed")).toMatchObject({ check: "not_a_server_error", signature: "status:503" });

    delete hits["GET /busy"];
    const burst = { ...testCase([step("attempt-0", "get", "/busy", { checks: [{ name: "not_a_server_error" }] })]), tags: ["rate-limit"] };
    expect((await runCase(burst, env())).exchanges.map((e) => e.response?.status)).toEqual([503]);
    expect(hits["GET /busy"]).toBe(1);
  });

  it("takes a 503 as the target's answer once three re-sent ones were answered 503 again in the run", async () => {
    const shared = env();
    const down = () => runCase(testCase([step("list", "get", "/down", { query: { ra: 1 }, checks: [{ name: "not_a_server_error" }] })]), shared);
    for (let n = 0; n < 3; n++) await down();
    expect(hits["GET /down"]).toBe(6);
    await down();
    expect(hits["GET /down"]).toBe(7);
    // another run starts afresh
    await runCase(testCase([step("list", "get", "/down", { query: { ra: 1 } })]), env());
    expect(hits["GET /down"]).toBe(9);
  });

  it("judges a setup step that answers 5xx again when sent alone, and goes on when the second answer is a success", async () => {
    const chain = crudChain();
    chain.steps[0].checks = [];
    chain.steps[0].request.body = { contentType: "application/json", value: { name: "crash" } };
    const result = await runCase(chain, env());
    expect(hits["POST /pets"]).toBe(2);
    expect(result.status).toBe("failed");
    expect(result.reason).toContain("step create (precondition) answered 500");
    const failed = result.checks.filter((c) => c.status === "failed");
    expect(failed).toMatchObject([{ check: "not_a_server_error", stepId: "create", message: expect.stringContaining("a precondition of this case; sent again alone, it answered 500 again") }]);
    // reported on the create itself, with the create's curl: the same finding as the create's own cases
    expect(buildFindings(result, chain, model)[0]).toMatchObject({ check: "not_a_server_error", operation: { operationId: "createPet" }, signature: "status:500", curl: expect.stringContaining('"name":"crash"') });

    for (const k of Object.keys(hits)) delete hits[k];
    const flaky = crudChain();
    flaky.steps[0].checks = [];
    flaky.steps[0].request.body = { contentType: "application/json", value: { name: "flaky" } };
    const recovered = await runCase(flaky, env());
    expect(hits["POST /pets"]).toBe(2);
    expect(recovered.status).toBe("passed");
    expect(recovered.exchanges.map((e) => e.response?.status)).toEqual([201, 200, 200, 204, 404]);
  });

  it("skips, naming why, the case of an identity that stopped working earlier in the run (it is no longer handed over)", async () => {
    const guard = { generation: () => 0, dead: (name: string) => (name === "bob" ? "stopped working during the run (401 on GET /me after a 401)" : undefined), trouble: async () => ({ state: "ok" as const, generation: 0 }) };
    const chain = crudChain();
    chain.steps[0].request.identity = "bob";
    const result = await runCase(chain, { ...env(), guard });
    expect(result.status).toBe("skipped");
    expect(result.reason).toBe("identity bob stopped working during the run (401 on GET /me after a 401): its cases are not run");
    // an identity never configured stays an error of the plan
    const unknown = crudChain();
    unknown.steps[0].request.identity = "carol";
    expect(await runCase(unknown, { ...env(), guard })).toMatchObject({ status: "errored", reason: expect.stringContaining('identity "carol" is not configured') });
  });

  it("judges a 5xx whose identity re-check then declares the identity lost (not_a_server_error only), and stops the case there", async () => {
    const reason = "stopped working during the run (400 on GET /me after a 500) and Sentinel cannot sign it in again (given, not provisioned)";
    const asked: number[] = [];
    const guard = { generation: () => 0, dead: () => undefined, trouble: async (_name: string, _generation: number, status: number) => (asked.push(status), { state: "dead" as const, reason }) };
    const chain = crudChain();
    chain.steps[0].request.body = { contentType: "application/json", value: { name: "crash" } };
    chain.steps[0].checks = [{ name: "not_a_server_error" }, { name: "status_code_conformance" }, { name: "location_header" }];
    const result = await runCase(chain, { ...env(), guard });
    expect(asked).toEqual([500]);
    expect(hits["POST /pets"]).toBe(1); // not re-sent: the identity is gone
    expect(result.status).toBe("failed");
    expect(result.reason).toBe(`identity alice ${reason}: its cases are not run`);
    expect(result.exchanges.map((e) => [e.stepId, e.response?.status])).toEqual([["create", 500]]);
    expect(result.checks).toMatchObject([{ check: "not_a_server_error", stepId: "create", status: "failed" }]);
    expect(buildFindings(result, chain, model)[0]).toMatchObject({ check: "not_a_server_error", operation: { operationId: "createPet" }, signature: "status:500" });
  });

  it("a precondition that crashes twice is judged on the crash, then sent once with its second body so the steps after it still run", async () => {
    const chain = crudChain();
    chain.steps[0].checks = [];
    chain.steps[0].request.body = { contentType: "application/json", value: { name: "crash" }, fuller: { name: "Rex" } };
    const result = await runCase(chain, env());
    expect(hits["POST /pets"]).toBe(3); // the crash, the crash alone, the second body
    expect(result.exchanges.map((e) => [e.stepId, e.response?.status])).toEqual([["create", 500], ["create", 201], ["read", 200], ["follow", 200], ["delete", 204], ["reread", 404]]);
    expect(result.status).toBe("failed");
    expect(result.checks.filter((c) => c.status === "failed")).toMatchObject([{ check: "not_a_server_error", stepId: "create" }]);
    expect(result.checks.find((c) => c.check === "ensure_resource_availability")).toMatchObject({ status: "passed" });
    // the finding reproduces the crash, not the second body
    expect(buildFindings(result, chain, model)[0]).toMatchObject({ check: "not_a_server_error", curl: expect.stringContaining('"name":"crash"') });
  });

  it("refuses to send a request with an unfilled {param}", async () => {
    const result = await runCase(testCase([step("read", "get", "/pets/{petId}", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(result.status).toBe("errored");
    expect(result.reason).toContain("{petId}");
    expect(result.exchanges).toEqual([]);
    expect(Object.keys(hits)).toEqual([]);
  });

  it("ends a never-answering request at the timeout", async () => {
    const started = Date.now();
    const result = await runCase(testCase([step("hang", "get", "/hang", { checks: [{ name: "not_a_server_error" }] })]), env({ timeoutMs: 300 }));
    const elapsed = Date.now() - started;
    expect(result.status).toBe("errored");
    expect(result.reason).toContain("timeout");
    expect(elapsed).toBeLessThan(2000);
    expect(hits["GET /hang"]).toBe(1); // timeouts are not retried
    expect(result.checks).toMatchObject([{ check: "not_a_server_error", status: "skipped" }]);
  });

  it("caps a 50 MB streamed body at maxBodyBytes and cancels the rest", async () => {
    bigBytesWritten = 0;
    const result = await runCase(testCase([step("big", "get", "/big", { checks: [{ name: "not_a_server_error" }] })]), env({ maxBodyBytes: 1024 * 1024 }));
    expect(result.status).toBe("errored");
    expect(result.reason).toMatch(/larger than 1048576 bytes/);
    const response = result.exchanges[0].response!;
    expect(response.bodyTruncated).toBe(true);
    expect(response.bodySize).toBe(1024 * 1024);
    expect(response.body.length).toBe(1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bigBytesWritten).toBeLessThan(50 * 1024 * 1024);
  });

  it("judges a request whose connection is dropped on every attempt, while the target keeps serving, a server error", async () => {
    const result = await runCase(testCase([step("reset", "get", "/reset", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/network error/);
    expect(hits["GET /reset"]).toBe(6); // GET is idempotent: 1 + 2 retries, and as many again when sent alone
    expect(result.checks).toEqual([
      expect.objectContaining({ check: "not_a_server_error", status: "failed", signature: "no-answer", message: expect.stringMatching(/^GET \/reset got no answer: the connection was closed \(reset\) on every attempt, again when sent alone, while the target kept serving \(GET http:\/\/127\.0\.0\.1:\d+ answered 404\)$/) }),
    ]);
    const finding = buildFindings(result, testCase([step("reset", "get", "/reset")]), model)[0];
    expect(finding).toMatchObject({ check: "not_a_server_error", severity: "high" });

    const post = await runCase(testCase([step("reset", "post", "/reset", { body: {}, checks: [] })]), env());
    expect(post.status).toBe("failed");
    expect(hits["POST /reset"]).toBe(4); // a POST without any answer: retried once (a fluke), and once more alone
  });

  it("leaves a request dropped in a burst but answered when sent alone errored, not a finding", async () => {
    const result = await runCase(testCase([step("flaky", "get", "/flaky", { checks: [{ name: "not_a_server_error" }] })]), env());
    expect(result.status).toBe("errored");
    expect(hits["GET /flaky"]).toBe(4);
    expect(result.checks).toMatchObject([{ check: "not_a_server_error", status: "skipped" }]);
  });

  it("leaves a target that answers nothing at all (not even the probe) errored, for the circuit breaker", async () => {
    const dead: FetchLike = async () => {
      throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
    };
    const result = await runCase(testCase([step("read", "get", "/pets/1", { checks: [{ name: "not_a_server_error" }] })]), { ...env(), fetch: dead });
    expect(result.status).toBe("errored");
    expect(result.checks).toMatchObject([{ check: "not_a_server_error", status: "skipped" }]);
  });
});
