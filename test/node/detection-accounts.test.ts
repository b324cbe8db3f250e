/**
 * User records as BOLA targets, on a small API whose users exist from start-up: the caller's own
 * username fills `/users/{username}` reads (from its profile), another identity's e-mail change
 * is judged by the owner's profile, and a user only the listing shows (pre-existing) is changed
 * and set back. Buggy: anyone may change anyone's e-mail; clean: only one's own (403).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";

const spec = {
  openapi: "3.0.3",
  info: { title: "Accounts", version: "1" },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: { User: { type: "object", required: ["id", "username", "email"], properties: { id: { type: "integer" }, username: { type: "string" }, email: { type: "string", format: "email" } } } },
  },
  security: [{ bearer: [] }],
  paths: {
    "/me": { get: { operationId: "me", responses: { "200": { description: "me", content: { "application/json": { schema: { $ref: "#/components/schemas/User" } } } }, "401": { description: "no" } } } },
    "/users": { get: { operationId: "listUsers", responses: { "200": { description: "all", content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/User" } } } } }, "401": { description: "no" } } } },
    "/users/{username}": {
      get: { operationId: "getUser", parameters: [{ name: "username", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "one", content: { "application/json": { schema: { $ref: "#/components/schemas/User" } } } }, "401": { description: "no" }, "404": { description: "none" } } },
    },
    "/users/{username}/email": {
      put: {
        operationId: "setEmail",
        parameters: [{ name: "username", in: "path", required: true, schema: { type: "string" } }],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["email"], additionalProperties: false, properties: { email: { type: "string", format: "email" } } } } } },
        responses: { "200": { description: "changed", content: { "application/json": { schema: { $ref: "#/components/schemas/User" } } } }, "400": { description: "bad" }, "401": { description: "no" }, "403": { description: "not yours" }, "404": { description: "none" } },
      },
    },
  },
};

const TOKENS: Record<string, string> = { alice: "tok-alice-4f1c9e", bob: "tok-bob-8a2d71" };

function startApi(variant: "buggy" | "clean"): Promise<{ url: string; server: Server; users: { id: number; username: string; email: string }[] }> {
  const users = [
    { id: 1, username: "alice", email: "alice@example.com" },
    { id: 2, username: "bob", email: "bob@example.com" },
    { id: 3, username: "carol", email: "carol@example.com" },
  ];
  const server = createServer((req, res) => {
    const send = (status: number, body?: unknown) => res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" }).end(body === undefined ? undefined : JSON.stringify(body));
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const caller = token === undefined ? undefined : users.find((u) => TOKENS[u.username] === token);
      if (!caller) return send(401, { error: "sign in" });
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (req.method === "GET" && path === "/me") return send(200, caller);
      if (req.method === "GET" && path === "/users") return send(200, users);
      const one = /^\/users\/([^/]+)$/.exec(path);
      if (req.method === "GET" && one) {
        const user = users.find((u) => u.username === decodeURIComponent(one[1]));
        return user ? send(200, user) : send(404, { error: "none" });
      }
      const email = /^\/users\/([^/]+)\/email$/.exec(path);
      if (req.method === "PUT" && email) {
        const user = users.find((u) => u.username === decodeURIComponent(email[1]));
        if (!user) return send(404, { error: "none" });
        if (variant === "clean" && user !== caller) return send(403, { error: "not yours" });
        let body: { email?: unknown } = {};
        try {
          body = JSON.parse(text);
        } catch {
          return send(400, { error: "json" });
        }
        if (typeof body.email !== "string" || !/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(body.email) || Object.keys(body).length !== 1) return send(400, { error: "email" });
        user.email = body.email;
        return send(200, user);
      }
      send(404, { error: "no route" });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, users })));
}

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

async function run(variant: "buggy" | "clean") {
  const api = await startApi(variant);
  servers.push(api.server);
  const identities = Object.entries(TOKENS).map(([name, token]) => ({ name, headers: { Authorization: `Bearer ${token}` } }));
  const outcome = await planAndRun({ model: parseModel(JSON.stringify(spec)), baseUrl: api.url, seed: 5, identities, agentNames: ["security-auth", "functional-positive"] });
  return { ...outcome, users: api.users };
}

describe("user records as BOLA targets", () => {
  it("buggy: bob changes alice's e-mail (her profile shows it) and carol's (the listing shows it); every e-mail is set back", async () => {
    const buggy = await run("buggy");
    const account = buggy.findings.find((f) => f.check === "bola" && f.signature === "update:account" && f.operation.path === "/users/{username}/email");
    expect(account, describeFindings(buggy.findings)).toBeDefined();
    const listed = buggy.findings.find((f) => f.check === "bola" && f.signature === "update:pre-existing");
    expect(listed, describeFindings(buggy.findings)).toBeDefined();
    expect(listed!.message).toMatch(/set back afterwards/);
    expect(buggy.users.map((u) => u.email)).toEqual(["alice@example.com", "bob@example.com", "carol@example.com"]);
    // GET /users/{username} was sent for a user that exists: the caller's own, read from its profile
    const reads = buggy.results.flatMap((r) => r.exchanges).filter((e) => e.request.method === "GET" && /\/users\/[^/]+$/.test(e.request.url));
    expect(reads.some((e) => /\/users\/(alice|bob)$/.test(e.request.url) && e.response?.status === 200)).toBe(true);
  }, 120_000);

  it("clean: only one's own e-mail can be changed, and nothing is found", async () => {
    const clean = await run("clean");
    expect(clean.findings, describeFindings(clean.findings)).toEqual([]);
    expect(clean.users.map((u) => u.email)).toEqual(["alice@example.com", "bob@example.com", "carol@example.com"]);
  }, 120_000);
});
