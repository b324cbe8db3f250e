// Ground truth for the demo API: every seeded fault is observable when enabled and absent otherwise,
// the clean variant conforms to openapi.yaml, and the spec matches what the server enforces.
import { readFileSync } from "node:fs";
import { Validator } from "@cfworker/json-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECK_NAMES } from "../../workers/model/checks";
import { FAULTS, FAULT_IDS, PROSE_FAULTS, PROSE_FAULT_IDS, REGRESSION_FAULTS, REGRESSION_FAULT_IDS, simulateShell } from "./faults.mjs";
import { routes } from "./handlers.mjs";
import { signJwt, verifyJwt } from "./jwt.mjs";
import { schemas } from "./schemas.mjs";
import { startDemoApi, type DemoApi, type StartDemoApiOptions } from "./server.mjs";
import { demoToken, demoTokens, identityArgs } from "./tokens.mjs";
import { validate } from "./validate.mjs";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const here = (name: string) => new URL(name, import.meta.url);
const spec: Json = parse(readFileSync(here("openapi.yaml"), "utf8"));
const tokens = demoTokens();

// ---------------------------------------------------------------- HTTP helpers

interface CallOptions {
  as?: "alice" | "bob" | "admin";
  token?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}
interface Reply {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  ms: number;
}

async function call(api: DemoApi, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token ?? (options.as ? tokens[options.as] : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && options.contentType !== "") headers["Content-Type"] = options.contentType ?? "application/json";
  const started = performance.now();
  const response = await fetch(api.url + path, { method, headers, body });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method, path, status: response.status, headers: response.headers, text, json, ms };
}

const itemBody = (overrides: Record<string, unknown> = {}) => ({ name: "Spirit level", price: 9.5, quantity: 3, category: "tools", ...overrides });
const orderKey = (n = 1) => ({ "Idempotency-Key": `test-key-${String(n).padStart(4, "0")}` });
const webhookBody = { url: "https://hooks.example.com/shop", events: ["order.created"] };
const validBodies: Record<string, Record<string, unknown>> = {
  ItemInput: itemBody(),
  OrderInput: { itemId: 1, quantity: 1 },
  OrderPatch: { note: "ring twice" },
  UserUpdate: { displayName: "Someone" },
  WebhookInput: webhookBody,
};

async function createItem(api: DemoApi, as: "alice" | "bob" = "alice", overrides = {}) {
  const r = await call(api, "POST", "/items", { as, body: itemBody(overrides) });
  expect(r.status).toBe(201);
  return r.json;
}
async function createOrder(api: DemoApi, as: "alice" | "bob" = "alice") {
  const r = await call(api, "POST", "/orders", { as, body: { itemId: 1, quantity: 2 }, headers: orderKey() });
  expect(r.status).toBe(201);
  return r;
}
async function createWebhook(api: DemoApi, as: "alice" | "bob" = "alice") {
  const r = await call(api, "POST", "/webhooks", { as, body: webhookBody });
  expect(r.status).toBe(201);
  return r;
}

// ---------------------------------------------------------------- one probe per fault

/** Each probe answers "is this fault observable on this server?" using only spec-level facts. */
const probes: Record<string, (api: DemoApi) => Promise<boolean>> = {
  "items-name-type-crash": async (api) => (await call(api, "POST", "/items", { as: "alice", body: itemBody({ name: 12345 }) })).status >= 500,
  "webhooks-delete-202": async (api) => {
    const created = await createWebhook(api);
    const r = await call(api, "DELETE", `/webhooks/${created.json.id}`, { as: "alice" });
    return r.status === 202;
  },
  "orders-list-text-plain": async (api) => {
    const r = await call(api, "GET", "/orders", { as: "alice" });
    return r.status === 200 && !r.headers.get("content-type")!.startsWith("application/json");
  },
  "item-price-as-string": async (api) => typeof (await call(api, "GET", "/items/1")).json.price === "string",
  "items-list-missing-total-header": async (api) => (await call(api, "GET", "/items")).headers.get("x-total-count") === null,
  "items-quantity-max-ignored": async (api) => (await call(api, "POST", "/items", { as: "alice", body: itemBody({ quantity: 5000 }) })).status === 201,
  "webhooks-events-required-ignored": async (api) =>
    (await call(api, "POST", "/webhooks", { as: "alice", body: { url: "https://hooks.example.com/x" } })).status === 201,
  "items-name-maxlength-off-by-one": async (api) =>
    (await call(api, "POST", "/items", { as: "alice", body: itemBody({ name: "n".repeat(64) }) })).status === 400,
  "orders-idempotency-key-not-enforced": async (api) =>
    (await call(api, "POST", "/orders", { as: "alice", body: { itemId: 1, quantity: 1 } })).status === 201,
  "health-any-method": async (api) => (await call(api, "DELETE", "/health")).status !== 405,
  "items-soft-delete-read": async (api) => {
    const item = await createItem(api);
    expect((await call(api, "DELETE", `/items/${item.id}`, { as: "alice" })).status).toBe(204);
    return (await call(api, "GET", `/items/${item.id}`)).status === 200;
  },
  "webhooks-not-readable": async (api) => {
    const created = await createWebhook(api);
    return (await call(api, "GET", created.headers.get("location")!, { as: "alice" })).status === 404;
  },
  "items-put-increments": async (api) => {
    const item = await createItem(api);
    const first = await call(api, "PUT", `/items/${item.id}`, { as: "alice", body: itemBody({ quantity: 5 }) });
    const second = await call(api, "PUT", `/items/${item.id}`, { as: "alice", body: itemBody({ quantity: 5 }) });
    expect([first.status, second.status]).toEqual([200, 200]);
    return JSON.stringify(first.json) !== JSON.stringify(second.json);
  },
  "orders-wrong-location": async (api) => {
    const created = await createOrder(api);
    const read = await call(api, "GET", created.headers.get("location")!, { as: "alice" });
    return read.status !== 200 || read.json.id !== created.json.id;
  },
  "orders-patch-not-persisted": async (api) => {
    const created = await createOrder(api);
    const patched = await call(api, "PATCH", `/orders/${created.json.id}`, { as: "alice", body: { note: "leave at the door" } });
    expect(patched.status).toBe(200);
    expect(patched.json.note).toBe("leave at the door");
    return (await call(api, "GET", `/orders/${created.json.id}`, { as: "alice" })).json.note !== "leave at the door";
  },
  "files-list-no-auth": async (api) => (await call(api, "GET", "/files")).status === 200,
  "jwt-alg-none": async (api) => {
    const unsigned = signJwt({ sub: "alice", exp: 4102444800 }, { alg: "none" });
    return (await call(api, "GET", "/users/me", { token: unsigned })).status === 200;
  },
  "orders-bola": async (api) => {
    const created = await createOrder(api, "alice");
    const read = await call(api, "GET", `/orders/${created.json.id}`, { as: "bob" });
    const deleted = await call(api, "DELETE", `/orders/${created.json.id}`, { as: "bob" });
    expect(read.status === 200).toBe(deleted.status === 204);
    return read.status === 200;
  },
  "admin-bfla": async (api) => (await call(api, "GET", "/admin/users", { as: "alice" })).status === 200,
  "users-role-mass-assignment": async (api) => {
    await call(api, "PATCH", "/users/me", { as: "alice", body: { displayName: "Alice A.", role: "admin" } });
    return (await call(api, "GET", "/users/me", { as: "alice" })).json.role === "admin";
  },
  "users-secret-exposure": async (api) => {
    const me = (await call(api, "GET", "/users/me", { as: "alice" })).json;
    return "passwordHash" in me || "apiSecret" in me;
  },
  "search-sqli": async (api) => /SQLITE_ERROR|syntax error/.test((await call(api, "GET", `/search?q=${encodeURIComponent("hammer'")}`)).text),
  "files-path-traversal": async (api) =>
    (await call(api, "GET", `/files/${encodeURIComponent("../../etc/passwd")}`, { as: "alice" })).text.includes("root:x:0:0:root:/root:/bin/bash"),
  "ping-command-injection": async (api) =>
    (await call(api, "GET", `/diagnostics/ping?host=${encodeURIComponent("example.com;id")}`, { as: "alice" })).text.includes("uid=0(root) gid=0(root)"),
  "reports-slow": async (api) => (await call(api, "GET", "/reports/sales", { as: "alice" })).ms > 1000,
};

const servers: DemoApi[] = [];
async function start(options: StartDemoApiOptions) {
  const api = await startDemoApi(options);
  servers.push(api);
  return api;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("seeded faults", () => {
  it("every fault has a probe, a valid check name and a FAULTS.md row", () => {
    expect(Object.keys(probes).sort()).toEqual([...FAULT_IDS].sort());
    expect(FAULT_IDS.length).toBeGreaterThanOrEqual(18);
    const table = readFileSync(here("FAULTS.md"), "utf8");
    for (const [id, fault] of Object.entries(FAULTS)) {
      expect(CHECK_NAMES).toContain(fault.check);
      expect(table).toContain(`| \`${id}\` | \`${fault.operation}\` | \`${fault.check}\` |`);
      const [method, path] = fault.operation.split(" ");
      expect(spec.paths[path]?.[method.toLowerCase()], fault.operation).toBeDefined();
    }
  });

  it("rejects unknown fault ids and variants", async () => {
    await expect(startDemoApi({ variant: "buggy", faults: ["no-such-fault"] })).rejects.toThrow(/unknown fault/);
    await expect(startDemoApi({ variant: "weird" as "clean" })).rejects.toThrow(/unknown variant/);
  });

  it("the buggy variant enables every fault by default, the clean one none", async () => {
    expect((await start({ variant: "buggy" })).faults.sort()).toEqual([...FAULT_IDS, ...PROSE_FAULT_IDS].sort());
    expect((await start({ variant: "clean" })).faults).toEqual([]);
  });

  for (const id of FAULT_IDS) {
    it(`${id} (${FAULTS[id].check}): present when enabled, absent in clean and in buggy-without-it`, async () => {
      const probe = probes[id];
      expect(await probe(await start({ variant: "buggy", faults: [id] })), "buggy with only this fault").toBe(true);
      expect(await probe(await start({ variant: "buggy" })), "buggy with all faults").toBe(true);
      expect(await probe(await start({ variant: "buggy", faults: FAULT_IDS.filter((f) => f !== id) })), "buggy minus this fault").toBe(false);
      expect(await probe(await start({ variant: "clean" })), "clean").toBe(false);
    });
  }

  it("search-limit-off-by-one (prose rule): more than `limit` results only when enabled, the documented rule stated in the spec", async () => {
    const tooMany = async (api: DemoApi) => ((await call(api, "GET", "/search?q=a&limit=1")).json as { results: unknown[] }).results.length > 1;
    expect(PROSE_FAULT_IDS).toEqual(["search-limit-off-by-one"]);
    expect(await tooMany(await start({ variant: "buggy", faults: ["search-limit-off-by-one"] }))).toBe(true);
    expect(await tooMany(await start({ variant: "buggy" }))).toBe(true);
    expect(await tooMany(await start({ variant: "buggy", faults: FAULT_IDS }))).toBe(false);
    expect(await tooMany(await start({ variant: "clean" }))).toBe(false);
    expect(spec.paths["/search"].get.description).toContain("Returns at most `limit` results.");
    expect(readFileSync(here("FAULTS.md"), "utf8")).toContain(`| \`search-limit-off-by-one\` | ${PROSE_FAULTS["search-limit-off-by-one"].operation} | llm_oracle |`);
  });

  it("items-page-offset-reset (regression): the page's offset says 0 only when named, never in the plain buggy variant", async () => {
    const reported = async (api: DemoApi) => ((await call(api, "GET", "/items?offset=1")).json as { offset: number }).offset;
    expect(REGRESSION_FAULT_IDS).toEqual(["items-page-offset-reset"]);
    expect(await reported(await start({ variant: "buggy", faults: ["items-page-offset-reset"] }))).toBe(0);
    expect(await reported(await start({ variant: "buggy" }))).toBe(1);
    expect(await reported(await start({ variant: "clean" }))).toBe(1);
    expect(readFileSync(here("FAULTS.md"), "utf8")).toContain(`| \`items-page-offset-reset\` | ${REGRESSION_FAULTS["items-page-offset-reset"].operation} | inferred_invariant |`);
  });
});

// ---------------------------------------------------------------- spec helpers

function resolve(node: Json): Json {
  if (node && typeof node.$ref === "string") {
    return resolve(node.$ref.slice(2).split("/").reduce((at: Json, key: string) => at[key], spec));
  }
  return node;
}

interface SpecOperation {
  method: string;
  path: string;
  op: Json;
  matcher: RegExp;
}
const operations: SpecOperation[] = Object.entries(spec.paths).flatMap(([path, item]: [string, Json]) =>
  Object.entries(item).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    op,
    matcher: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  })),
);
const operationFor = (method: string, path: string) => {
  const pathname = new URL(path, "http://x").pathname;
  const found = operations.find((o) => o.method === method && o.matcher.test(pathname));
  if (!found) throw new Error(`no operation for ${method} ${pathname}`);
  return found;
};

const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"));
function schemaErrors(schema: Json, value: unknown): string[] {
  const root = { ...JSON.parse(JSON.stringify(schema).replaceAll("#/components/schemas/", "#/$defs/")), $defs: defs };
  const result = new Validator(root, "2020-12", false).validate(value);
  return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

/** Everything a spec-following oracle would check on one response of the clean server. */
function assertConforms(reply: Reply) {
  const where = `${reply.method} ${reply.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, where).toBeLessThan(500);
  expect(reply.headers.get("x-request-id"), where).toMatch(/^req-\d+$/);
  if (reply.status === 405) {
    expect(reply.headers.get("allow"), where).toBeTruthy();
    return;
  }
  const { op } = operationFor(reply.method, reply.path);
  const documented = op.responses[String(reply.status)];
  expect(documented, `undocumented status: ${where}`).toBeDefined();
  const response = resolve(documented);
  for (const [name, header] of Object.entries(response.headers ?? {}) as [string, Json][]) {
    const h = resolve(header);
    if (!h.required) continue;
    const value = reply.headers.get(name);
    expect(value, `missing header ${name}: ${where}`).not.toBeNull();
    if (h.schema.type === "integer") expect(value, where).toMatch(/^\d+$/);
  }
  if (!response.content) {
    expect(reply.text, where).toBe("");
    return;
  }
  const mediaType = reply.headers.get("content-type")!.split(";")[0].trim();
  const media = response.content[mediaType];
  expect(media, `undocumented content type ${mediaType}: ${where}`).toBeDefined();
  const value = mediaType.endsWith("json") ? reply.json : reply.text;
  expect(schemaErrors(media.schema, value), where).toEqual([]);
}

// ---------------------------------------------------------------- the clean variant

describe("openapi.yaml matches the server", () => {
  it("has the server's component schemas, verbatim", () => {
    expect(spec.components.schemas).toEqual(schemas);
  });

  it("declares exactly the server's operations, parameters, bodies and security", () => {
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(routes.map((r) => r.operationId).sort());
    for (const route of routes) {
      const { op, method, path } = operations.find((o) => o.op.operationId === route.operationId)!;
      expect(`${method} ${path}`).toBe(`${route.method} ${route.path}`);
      const params = (op.parameters ?? []).map(resolve).map(({ name, in: at, required, schema }: Json) => ({ name, in: at, required, schema }));
      expect(params, route.operationId).toEqual(route.params);
      const bodySchema = op.requestBody?.content["application/json"].schema.$ref;
      expect(bodySchema?.split("/").pop(), route.operationId).toBe(route.body);
      if (op.requestBody) expect(op.requestBody.required).toBe(true);
      const security = op.security ?? spec.security;
      expect(security.length === 0, route.operationId).toBe(route.auth === "public");
      expect(op["x-sentinel-privileged"] === true, route.operationId).toBe(route.auth === "admin");
      if (route.auth === "admin") expect(path.startsWith("/admin/") && op.tags.includes("admin")).toBe(true);
      for (const [status, response] of Object.entries(op.responses) as [string, Json][]) {
        if (status === "201") expect(resolve(response).headers.Location, `${route.operationId} Location`).toBeDefined();
      }
    }
  });
});

describe("clean variant", () => {
  let api: DemoApi;
  beforeAll(async () => {
    api = await start({ variant: "clean" });
  });

  it("answers every operation as documented (happy paths)", async () => {
    const item = await call(api, "POST", "/items", { as: "alice", body: itemBody({ tags: ["level", "spirit"] }) });
    expect(item.headers.get("location")).toBe(`/items/${item.json.id}`);
    const order = await call(api, "POST", "/orders", { as: "alice", body: { itemId: item.json.id, quantity: 3, note: "gift" }, headers: orderKey() });
    expect(order.json).toMatchObject({ itemId: item.json.id, quantity: 3, total: 28.5, status: "pending", ownerId: "usr_alice" });
    const hook = await call(api, "POST", "/webhooks", { as: "alice", body: webhookBody });
    const replies = [
      await call(api, "GET", "/health"),
      await call(api, "GET", "/users/me", { as: "alice" }),
      await call(api, "PATCH", "/users/me", { as: "alice", body: { displayName: "Alice Liddell", email: "alice@wonder.example" } }),
      await call(api, "GET", "/admin/users", { as: "admin" }),
      await call(api, "GET", "/admin/users", { as: "alice" }),
      await call(api, "GET", "/items?limit=2&offset=1&category=tools"),
      item,
      await call(api, "GET", `/items/${item.json.id}`),
      await call(api, "PUT", `/items/${item.json.id}`, { as: "alice", body: itemBody({ name: "n".repeat(64), quantity: 1000, price: 100000 }) }),
      await call(api, "GET", "/search?q=hammer&limit=50"),
      await call(api, "GET", "/search?q=zzz-nothing"),
      order,
      await call(api, "GET", "/orders?status=pending", { as: "alice" }),
      await call(api, "GET", `/orders/${order.json.id}`, { as: "alice" }),
      await call(api, "PATCH", `/orders/${order.json.id}`, { as: "alice", body: { status: "cancelled" } }),
      hook,
      await call(api, "GET", "/webhooks", { as: "alice" }),
      await call(api, "GET", `/webhooks/${hook.json.id}`, { as: "alice" }),
      await call(api, "GET", "/files", { as: "alice" }),
      await call(api, "GET", "/files/readme.txt", { as: "alice" }),
      await call(api, "GET", "/files/nope.txt", { as: "alice" }),
      await call(api, "GET", "/diagnostics/ping?host=example.com&count=5", { as: "alice" }),
      await call(api, "GET", "/reports/sales?from=2024-01-01&to=2030-12-31", { as: "alice" }),
      await call(api, "DELETE", `/webhooks/${hook.json.id}`, { as: "alice" }),
      await call(api, "DELETE", `/orders/${order.json.id}`, { as: "alice" }),
      await call(api, "DELETE", `/items/${item.json.id}`, { as: "alice" }),
      await call(api, "GET", `/items/${item.json.id}`),
      await call(api, "GET", `/orders/${order.json.id}`, { as: "alice" }),
      await call(api, "GET", `/webhooks/${hook.json.id}`, { as: "alice" }),
    ];
    for (const reply of replies) assertConforms(reply);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 403, 200, 201, 200, 200, 200, 200, 201, 200, 200, 200, 201, 200, 200, 200, 200, 404, 200, 200, 204, 204, 204, 404, 404, 404]);
    expect(replies[5].headers.get("x-total-count")).toBe("2");
  });

  it("requires valid bearer tokens on every protected operation (401 with WWW-Authenticate)", async () => {
    const alice = { sub: "alice", exp: 4102444800 };
    const forged = [
      "",
      "not-a-jwt",
      signJwt(alice, { alg: "none" }),
      signJwt(alice, { alg: "None" }).slice(0, -1) + ".",
      signJwt(alice, { secret: "wrong-secret" }),
      demoToken("alice", { expiresAt: 1_600_000_000 }),
      demoToken("mallory"),
      signJwt({ exp: 4102444800 }),
      signJwt(alice, { alg: "HS512" }),
      tokens.alice.replace(/\.[^.]+$/, ".AAAA"),
    ];
    const protectedOps = operations.filter((o) => (o.op.security ?? spec.security).length > 0);
    expect(protectedOps.length).toBeGreaterThan(15);
    for (const { method, path } of protectedOps) {
      const concrete = path.replace("{itemId}", "1").replace("{orderId}", "00000000-0000-4000-8000-000000000001").replace("{webhookId}", "10000000-0000-4000-8000-000000000001").replace("{fileName}", "readme.txt");
      for (const token of forged) {
        const r = await call(api, method, concrete, { token: token || undefined, headers: token ? {} : { Authorization: "Basic YWxpY2U6eA==" } });
        expect(r.status, `${method} ${concrete} with ${token.slice(0, 20)}`).toBe(401);
        expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
        assertConforms(r);
      }
    }
  });

  it("answers 405 with Allow for undeclared methods on every known path, 404 for unknown paths", async () => {
    for (const [path, item] of Object.entries(spec.paths) as [string, Json][]) {
      const concrete = path.replace(/\{[^}]+\}/g, "1");
      const declared = Object.keys(item).map((m) => m.toUpperCase());
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"].filter((m) => !declared.includes(m))) {
        const r = await call(api, method, concrete, { as: "admin" });
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(r.headers.get("allow")!.split(", ").sort()).toEqual(declared.sort());
      }
    }
    expect((await call(api, "GET", "/nowhere")).status).toBe(404);
    expect((await call(api, "GET", "/items/1/extra")).status).toBe(404);
  });

  it("protects other users' resources (BOLA/BFLA)", async () => {
    const order = await createOrder(api, "alice");
    const hook = await createWebhook(api, "alice");
    const results = [
      await call(api, "GET", `/orders/${order.json.id}`, { as: "bob" }),
      await call(api, "PATCH", `/orders/${order.json.id}`, { as: "bob", body: { note: "mine now" } }),
      await call(api, "DELETE", `/orders/${order.json.id}`, { as: "bob" }),
      await call(api, "GET", `/webhooks/${hook.json.id}`, { as: "bob" }),
      await call(api, "DELETE", `/webhooks/${hook.json.id}`, { as: "bob" }),
      await call(api, "PUT", "/items/1", { as: "bob", body: itemBody() }),
      await call(api, "DELETE", "/items/1", { as: "bob" }),
      await call(api, "GET", "/admin/users", { as: "bob" }),
    ];
    expect(results.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 403, 403, 403]);
    results.forEach(assertConforms);
    expect((await call(api, "GET", "/orders", { as: "bob" })).json.orders).toEqual([]);
    expect((await call(api, "GET", `/orders/${order.json.id}`, { as: "alice" })).json.note).toBe("");
  });

  it("rejects malformed, mistyped and out-of-contract requests with documented 4xx", async () => {
    const body = (b: unknown) => ({ as: "alice" as const, body: b });
    const cases: [string, string, CallOptions, number][] = [
      ["POST", "/items", { as: "alice", raw: "{not json", contentType: "application/json" }, 400],
      ["POST", "/items", { as: "alice", raw: JSON.stringify(itemBody()), contentType: "text/plain" }, 415],
      ["POST", "/items", { as: "alice", raw: "name=x", contentType: "application/x-www-form-urlencoded" }, 415],
      ["POST", "/items", { as: "alice" }, 400],
      ["POST", "/items", body(itemBody({ extra: 1 })), 400],
      ["POST", "/items", body(itemBody({ id: 99 })), 400],
      ["POST", "/items", body(itemBody({ name: "" })), 400],
      ["POST", "/items", body(itemBody({ name: "n".repeat(65) })), 400],
      ["POST", "/items", body(itemBody({ price: -0.01 })), 400],
      ["POST", "/items", body(itemBody({ price: "9.5" })), 400],
      ["POST", "/items", body(itemBody({ quantity: 1001 })), 400],
      ["POST", "/items", body(itemBody({ quantity: 1.5 })), 400],
      ["POST", "/items", body(itemBody({ category: "weapons" })), 400],
      ["POST", "/items", body(itemBody({ tags: ["a", "a"] })), 400],
      ["POST", "/items", body(itemBody({ tags: ["1", "2", "3", "4", "5", "6"] })), 400],
      ["POST", "/items", body({ name: "x", price: 1, category: "toys" }), 400],
      ["POST", "/items", body([itemBody()]), 400],
      ["POST", "/items", body(null), 400],
      ["POST", "/items", { as: "alice", raw: "x".repeat(1024 * 1024 + 1), contentType: "application/json" }, 413],
      ["PUT", "/items/0", body(itemBody()), 400],
      ["PUT", "/items/abc", body(itemBody()), 400],
      ["PUT", "/items/2147483648", body(itemBody()), 400],
      ["PUT", "/items/999", body(itemBody()), 404],
      ["GET", "/items?limit=0", {}, 400],
      ["GET", "/items?limit=101", {}, 400],
      ["GET", "/items?limit=abc", {}, 400],
      ["GET", "/items?limit=1&limit=2", {}, 400],
      ["GET", "/items?category=weapons", {}, 400],
      ["GET", "/search", {}, 400],
      ["GET", `/search?q=${"q".repeat(101)}`, {}, 400],
      ["GET", "/orders?status=shipped", { as: "alice" }, 400],
      ["POST", "/orders", { as: "alice", body: { itemId: 1, quantity: 1 } }, 400],
      ["POST", "/orders", { as: "alice", body: { itemId: 1, quantity: 1 }, headers: { "Idempotency-Key": "short" } }, 400],
      ["POST", "/orders", { as: "alice", body: { itemId: 1, quantity: 101 }, headers: orderKey() }, 400],
      ["POST", "/orders", { as: "alice", body: { itemId: 1, quantity: 0 }, headers: orderKey() }, 400],
      ["POST", "/orders", { as: "alice", body: { itemId: 999, quantity: 1 }, headers: orderKey() }, 422],
      ["GET", "/orders/not-a-uuid", { as: "alice" }, 400],
      ["GET", "/orders/00000000-0000-4000-8000-0000000fffff", { as: "alice" }, 404],
      ["PATCH", "/orders/00000000-0000-4000-8000-000000000001", body({}), 400],
      ["PATCH", "/orders/00000000-0000-4000-8000-000000000001", body({ status: "shipped" }), 400],
      ["PATCH", "/users/me", body({}), 400],
      ["PATCH", "/users/me", body({ role: "root" }), 400],
      ["PATCH", "/users/me", body({ email: "not-an-email" }), 400],
      ["PATCH", "/users/me", body({ displayName: "d".repeat(51) }), 400],
      ["POST", "/webhooks", body({ url: "ftp://example.com", events: ["order.created"] }), 400],
      ["POST", "/webhooks", body({ url: "https://example.com", events: [] }), 400],
      ["POST", "/webhooks", body({ url: "https://example.com", events: ["order.exploded"] }), 400],
      ["GET", "/files/..%2F..%2Fetc%2Fpasswd", { as: "alice" }, 400],
      ["GET", "/files/%E0%A4%A", { as: "alice" }, 400],
      ["GET", "/diagnostics/ping?host=example.com%3Bid", { as: "alice" }, 400],
      ["GET", "/diagnostics/ping?host=example.com&count=6", { as: "alice" }, 400],
      ["GET", "/reports/sales?from=2024-02-30", { as: "alice" }, 400],
      ["GET", "/search?q=hammer'", {}, 200],
    ];
    for (const [method, path, options, expected] of cases) {
      const r = await call(api, method, path, options);
      expect(r.status, `${method} ${path} ${JSON.stringify(options.body ?? options.raw ?? "").slice(0, 80)} → ${r.text.slice(0, 200)}`).toBe(expected);
      assertConforms(r);
    }
  });

  it("ignores read-only properties and never exposes secrets", async () => {
    const patched = await call(api, "PATCH", "/users/me", { as: "bob", body: { displayName: "Robert", role: "admin" } });
    expect(patched.json).toMatchObject({ displayName: "Robert", role: "user" });
    expect((await call(api, "GET", "/users/me", { as: "bob" })).json.role).toBe("user");
    expect((await call(api, "GET", "/admin/users", { as: "bob" })).status).toBe(403);
    const all = await call(api, "GET", "/admin/users", { as: "admin" });
    expect(all.text).not.toMatch(/passwordHash|apiSecret|\$2b\$|sk_live/);
  });

  it("survives junk in every parameter and body property without a 5xx", async () => {
    const junk: unknown[] = [null, true, -1, 0, 1e308, -1e308, 2 ** 53, "", " ", "x".repeat(100_000), "💥\u0000\ud800'\"<>%{{7*7}}", [], [[[]]], {}, { a: { b: { c: [null] } } }];
    const junkText = ["", "-1", "1e999", "💥", "%00", "x".repeat(20_000), "'; DROP TABLE items;--", "../../etc/passwd", "$(id)"];
    for (const { method, path, op } of operations) {
      const concrete = path.replace("{itemId}", "1").replace("{orderId}", "00000000-0000-4000-8000-000000000001").replace("{webhookId}", "10000000-0000-4000-8000-000000000001").replace("{fileName}", "readme.txt");
      const params = (op.parameters ?? []).map(resolve);
      for (const param of params) {
        for (const value of junkText) {
          let target = concrete;
          const headers: Record<string, string> = { ...orderKey() };
          if (param.in === "path") target = path.replace(`{${param.name}}`, encodeURIComponent(value) || "%20").replace(/\{[^}]+\}/g, "1");
          else if (param.in === "query") target = `${concrete}?${param.name}=${encodeURIComponent(value)}`;
          else headers[param.name] = value.replace(/[^\x20-\x7e]/g, "?");
          const r = await call(api, method, target, { as: "admin", headers, ...(op.requestBody ? { body: {} } : {}) });
          assertConforms(r);
        }
      }
      if (!op.requestBody) continue;
      const schemaName: string = op.requestBody.content["application/json"].schema.$ref.split("/").pop();
      const base = validBodies[schemaName];
      const bodies = [...junk, ...Object.keys(schemas[schemaName].properties as object).flatMap((key) => junk.map((v) => ({ ...base, [key]: v })))];
      for (const body of bodies) {
        const r = await call(api, method, concrete, { as: "admin", body, headers: orderKey() });
        assertConforms(r);
      }
    }
    expect((await call(api, "GET", "/health")).status).toBe(200);
  });

  it("keeps PUT idempotent and updates persisted", async () => {
    const item = await createItem(api);
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await call(api, "PUT", `/items/${item.id}`, { as: "alice", body: itemBody({ quantity: 7, tags: ["x"] }) }));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect((await call(api, "GET", `/items/${item.id}`)).json).toEqual(replies[0].json);
  });
});

describe("building blocks", () => {
  it("verifyJwt accepts only unexpired HS256 tokens signed with the demo secret", () => {
    expect(verifyJwt(tokens.alice)).toMatchObject({ ok: true, claims: { sub: "alice" } });
    expect(verifyJwt(demoToken("bob", { expiresAt: 100 }))).toEqual({ ok: false, reason: "token expired" });
    expect(verifyJwt(demoToken("bob", { alg: "none" }))).toEqual({ ok: false, reason: "unsupported algorithm" });
    expect(verifyJwt(demoToken("bob", { alg: "none" }), { allowNone: true })).toMatchObject({ ok: true });
    expect(verifyJwt(demoToken("bob", { secret: "other" }))).toEqual({ ok: false, reason: "bad signature" });
    expect(verifyJwt("a.b")).toEqual({ ok: false, reason: "malformed token" });
    expect(identityArgs()).toEqual(["--identity", `alice:Authorization: Bearer ${tokens.alice}`, "--identity", `bob:Authorization: Bearer ${tokens.bob}`]);
  });

  it("simulateShell imitates injection without running anything", () => {
    expect(simulateShell("example.com", 1)).toEqual({ output: "PING example.com: 1 packets transmitted, 1 received, 0% packet loss", sleepMs: 0, injected: false });
    expect(simulateShell("x|whoami", 1).output).toMatch(/\nroot$/);
    expect(simulateShell("$(echo hi).example.com", 1).output).toContain("PING hi.example.com");
    expect(simulateShell("x && cat /etc/passwd", 1).output).toContain("root:x:0:0:root:/root:/bin/bash");
    expect(simulateShell("x; sleep 3; rm -rf /", 1)).toMatchObject({ sleepMs: 3000, injected: true });
    expect(simulateShell("x; rm -rf /", 1).output).toContain("sh: 1: rm: not found");
  });

  it("validate covers the keywords the spec uses", () => {
    const s = schemas;
    expect(validate({ name: "é".repeat(64), price: 0, quantity: 1000, category: "food" }, s.ItemInput, s)).toEqual([]);
    expect(validate({ name: "é".repeat(65), price: -1, quantity: 2.5, category: "x", tags: ["a", "a"], x: 1 }, s.ItemInput, s)).toHaveLength(6);
    expect(validate({ url: "https://a.example/h", events: ["item.created"] }, s.WebhookInput, s)).toEqual([]);
    expect(validate({ url: "https://a b", events: ["item.created"] }, s.WebhookInput, s)).toEqual(["url must be a valid uri"]);
    expect(validate({ from: "2024-02-29", orders: 0, revenue: 0, currency: "EUR" }, s.SalesReport, s)).toEqual([]);
    expect(validate({ from: "2023-02-29", orders: 0, revenue: 0, currency: "EUR" }, s.SalesReport, s)).toEqual(["from must be a valid date"]);
  });
});
