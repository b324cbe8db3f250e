/**
 * Keys the client chose, on a small API that answers its creates with `{status, message}` only
 * (no id, no username, no Location): the sign-up's username and the note's title are known from
 * what Sentinel sent. Buggy: anyone changes anyone's password; anyone reads (and deletes) anyone's
 * note, whose secret the public listing leaves out; one undeclared `admin` property on a sign-up is
 * stored (a body with several undeclared properties is refused); the sign-in refuses with a 200 whose
 * message tells an unknown user from a wrong password. Clean: the same API doing each right.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";

const json = (schema: unknown) => ({ "application/json": { schema } });
const fail = { type: "object", properties: { status: { type: "string", enum: ["fail"] }, message: { type: "string" } } };
const done = { type: "object", properties: { status: { type: "string", enum: ["success", "fail"] }, message: { type: "string" } } };
const note = { type: "object", properties: { note_title: { type: "string" }, owner: { type: "string" }, secret: { type: "string" } } };
const titleParam = [{ name: "note_title", in: "path", required: true, schema: { type: "string" } }];

const spec = {
  openapi: "3.0.3",
  info: { title: "Notebook", version: "1" },
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  paths: {
    "/accounts/register": {
      post: {
        operationId: "register",
        requestBody: { required: true, content: json({ type: "object", properties: { username: { type: "string" }, password: { type: "string" }, email: { type: "string" } } }) },
        responses: { "200": { description: "registered", content: json(done) }, "400": { description: "invalid", content: json(fail) }, "409": { description: "taken", content: json(fail) } },
      },
    },
    "/accounts/login": {
      post: {
        operationId: "login",
        requestBody: { required: true, content: json({ type: "object", properties: { username: { type: "string" }, password: { type: "string" } } }) },
        responses: {
          "200": { description: "signed in, or refused", content: json({ type: "object", properties: { auth_token: { type: "string" }, status: { type: "string", enum: ["success", "fail"] }, message: { type: "string" } } }) },
          "400": { description: "invalid", content: json(fail) },
          "429": { description: "too many attempts", content: json(fail) },
        },
      },
    },
    "/me": {
      get: {
        operationId: "me",
        security: [{ bearer: [] }],
        responses: { "200": { description: "me", content: json({ type: "object", properties: { data: { type: "object", properties: { username: { type: "string" }, email: { type: "string" }, admin: { type: "boolean" } } } } }) }, "401": { description: "no", content: json(fail) } },
      },
    },
    "/accounts/{username}/password": {
      put: {
        operationId: "setPassword",
        security: [{ bearer: [] }],
        description: "Sets the caller's own password.",
        parameters: [{ name: "username", in: "path", required: true, schema: { type: "string" } }],
        requestBody: { required: true, content: json({ type: "object", properties: { password: { type: "string" } } }) },
        responses: { "204": { description: "changed" }, "400": { description: "invalid", content: json(fail) }, "401": { description: "no", content: json(fail) }, "403": { description: "not yours", content: json(fail) }, "404": { description: "none", content: json(fail) } },
      },
    },
    "/notes": {
      get: { operationId: "listNotes", responses: { "200": { description: "titles and owners", content: json({ type: "object", properties: { notes: { type: "array", items: { type: "object", properties: { note_title: { type: "string" }, owner: { type: "string" } } } } } }) } } },
      post: {
        operationId: "addNote",
        security: [{ bearer: [] }],
        requestBody: { required: true, content: json({ type: "object", properties: { note_title: { type: "string" }, secret: { type: "string" } } }) },
        responses: { "200": { description: "added", content: json(done) }, "400": { description: "invalid or taken", content: json(fail) }, "401": { description: "no", content: json(fail) } },
      },
    },
    "/notes/{note_title}": {
      get: {
        operationId: "getNote",
        security: [{ bearer: [] }],
        description: "The note with its secret. Only the owner may read it.",
        parameters: titleParam,
        responses: { "200": { description: "the note", content: json({ type: "array", items: note }) }, "401": { description: "no", content: json(fail) }, "404": { description: "none", content: json(fail) } },
      },
      delete: {
        operationId: "deleteNote",
        security: [{ bearer: [] }],
        parameters: titleParam,
        responses: { "200": { description: "deleted", content: json(done) }, "401": { description: "no", content: json(fail) }, "404": { description: "none", content: json(fail) } },
      },
    },
  },
};

type Variant = "buggy" | "clean";
interface User {
  username: string;
  password: string;
  email: string;
  admin: boolean;
}

function startApi(variant: Variant): Promise<{ url: string; server: Server; users: Map<string, User>; notes: Map<string, { owner: string; secret: string }> }> {
  const users = new Map<string, User>();
  const tokens = new Map<string, string>();
  const notes = new Map<string, { owner: string; secret: string }>([["shopping", { owner: "carol", secret: "eggs" }]]);
  users.set("carol", { username: "carol", password: "carol-pass-1", email: "carol@example.com", admin: false });
  const failures = new Map<string, number>();
  const server = createServer((req, res) => {
    const send = (status: number, body?: unknown) => res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" }).end(body === undefined ? undefined : JSON.stringify(body));
    const refuse = (status: number, message: string) => send(status, { status: "fail", message });
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      let body: Record<string, unknown> = {};
      if (req.method === "POST" || req.method === "PUT") {
        if (!/json/.test(req.headers["content-type"] ?? "")) return refuse(400, "JSON expected");
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return refuse(400, "an object expected");
          body = parsed as Record<string, unknown>;
        } catch {
          return refuse(400, "malformed JSON");
        }
      }
      const str = (v: unknown) => typeof v === "string" && v.length > 0 && v.length < 200;
      if (req.method === "POST" && path === "/accounts/register") {
        if (!str(body.username) || !str(body.password) || (body.email !== undefined && typeof body.email !== "string")) return refuse(400, "username and password needed");
        const extra = Object.keys(body).filter((k) => !["username", "password", "email"].includes(k));
        if (extra.length > 1) return refuse(400, "unexpected properties");
        if (users.has(body.username as string)) return refuse(409, "username taken");
        const admin = variant === "buggy" && extra[0] === "admin" && body.admin === true;
        users.set(body.username as string, { username: body.username as string, password: body.password as string, email: String(body.email ?? ""), admin });
        return send(200, { status: "success", message: "Registered. Sign in to get a token." });
      }
      if (req.method === "POST" && path === "/accounts/login") {
        if (!str(body.username) || !str(body.password)) return refuse(400, "username and password needed");
        const name = body.username as string;
        if ((failures.get(name) ?? 0) >= 10) return refuse(429, "too many attempts");
        const user = users.get(name);
        if (user && user.password === body.password) {
          const token = randomBytes(16).toString("hex");
          tokens.set(token, user.username);
          return send(200, { auth_token: token, status: "success", message: "Signed in." });
        }
        failures.set(name, (failures.get(name) ?? 0) + 1);
        if (variant === "clean") return send(200, { status: "fail", message: "Wrong username or password." });
        return send(200, { status: "fail", message: user ? "Password is not correct for this username." : "Username does not exist." });
      }
      if (req.method === "GET" && path === "/notes") return send(200, { notes: [...notes].map(([note_title, n]) => ({ note_title, owner: n.owner })) });
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const caller = token === undefined ? undefined : users.get(tokens.get(token) ?? "");
      if (!caller) return refuse(401, "Invalid token. Please sign in again.");
      if (req.method === "GET" && path === "/me") return send(200, { data: { username: caller.username, email: caller.email, admin: caller.admin } });
      const password = /^\/accounts\/([^/]+)\/password$/.exec(path);
      if (req.method === "PUT" && password) {
        const user = users.get(decodeURIComponent(password[1]));
        if (!user) return refuse(404, "no such user");
        if (variant === "clean" && user !== caller) return refuse(403, "only your own password");
        if (!str(body.password)) return refuse(400, "password needed");
        user.password = body.password as string;
        return send(204);
      }
      if (req.method === "POST" && path === "/notes") {
        if (!str(body.note_title) || !str(body.secret)) return refuse(400, "note_title and secret needed");
        if (notes.has(body.note_title as string)) return refuse(400, "Note already exists!");
        notes.set(body.note_title as string, { owner: caller.username, secret: body.secret as string });
        return send(200, { status: "success", message: "Note added." });
      }
      const one = /^\/notes\/([^/]+)$/.exec(path);
      if (one) {
        const title = decodeURIComponent(one[1]);
        const found = notes.get(title);
        if (!found || (variant === "clean" && found.owner !== caller.username)) return refuse(404, "Note not found!");
        if (req.method === "GET") return send(200, [{ note_title: title, owner: found.owner, secret: found.secret }]);
        if (req.method === "DELETE") {
          notes.delete(title);
          return send(200, { status: "success", message: "Note deleted." });
        }
      }
      refuse(404, "no route");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, users, notes })));
}

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** Two users signed up and signed in the way a user of this API would, before the run. */
async function identity(url: string, name: string): Promise<{ name: string; headers: Record<string, string> }> {
  const password = `${name}-${randomBytes(6).toString("hex")}`;
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, string>>);
  await post("/accounts/register", { username: name, password, email: `${name}@example.com` });
  const { auth_token } = await post("/accounts/login", { username: name, password });
  return { name, headers: { Authorization: `Bearer ${auth_token}` } };
}

async function run(variant: Variant) {
  const api = await startApi(variant);
  servers.push(api.server);
  const identities = [await identity(api.url, "alice"), await identity(api.url, "bob")];
  const outcome = await planAndRun({ model: parseModel(JSON.stringify(spec)), baseUrl: api.url, seed: 11, identities, agentNames: ["security-auth", "data-exposure"] });
  return { ...outcome, api };
}

describe("keys the client chose (answers without ids)", () => {
  it("buggy: takeover of a user Sentinel signed up, another user's note read, admin on sign-up, enumeration through 200 messages", async () => {
    const { findings, results } = await run("buggy");
    const text = describeFindings(findings);
    const takeover = findings.find((f) => f.check === "bola" && f.operation.path === "/accounts/{username}/password");
    expect(takeover, text).toBeDefined();
    expect(takeover!.signature).toBe("update:account");
    const read = findings.find((f) => f.check === "bola" && f.operation.method === "get" && f.operation.path === "/notes/{note_title}");
    expect(read, text).toBeDefined();
    expect(read!.message).toMatch(/"secret"/);
    const admin = findings.find((f) => f.check === "mass_assignment" && f.operation.path === "/accounts/register");
    expect(admin, text).toBeDefined();
    expect(admin!.signature).toBe("property:/admin");
    expect(findings.find((f) => f.check === "user_enumeration" && f.signature === "body:message"), text).toBeDefined();
    // no password Sentinel chose and no token it obtained is recorded
    const recorded = JSON.stringify({ findings, results });
    expect(recorded).not.toMatch(/"auth_token":\s*"[0-9a-f]{32}"/);
    expect(recorded).not.toMatch(/Sn[A-Za-z0-9]{12,14}7!/);
  }, 120_000);

  it("clean: the same probes, and nothing is found", async () => {
    const { findings, api } = await run("clean");
    expect(findings, describeFindings(findings)).toEqual([]);
    expect(api.notes.get("shopping")).toEqual({ owner: "carol", secret: "eggs" });
    expect([...api.users.values()].filter((u) => u.admin)).toEqual([]);
  }, 120_000);
});
