/**
 * The sessions target (Node, started by global-setup): SESSIONS_SPEC served under `/s/<tenant>/`,
 * each tenant with its own users, tokens and notes, and a way of losing its sessions that the
 * test chooses with `POST /__sessions/<tenant>?expireAfterUses=n` (every token stops working after
 * n requests) or `?killAfter=m` (after m signed-in requests every user and note is gone, as if
 * someone reset the database: tokens then get 401 on /me and 500 elsewhere). `GET
 * /__sessions/<tenant>` answers its counters: { signups, logins, authed }.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

interface Tenant {
  users: Map<string, { email: string; password: string }>;
  tokens: Map<string, { username: string; uses: number }>;
  notes: Map<string, { id: string; title: string; text?: string; owner: string }>;
  failures: Map<string, number>;
  expireAfterUses?: number;
  killAfter?: number;
  stats: { signups: number; logins: number; authed: number };
  next: number;
}

const tenants = new Map<string, Tenant>();

function tenant(name: string): Tenant {
  let t = tenants.get(name);
  if (!t) {
    t = { users: new Map(), tokens: new Map(), notes: new Map(), failures: new Map(), stats: { signups: 0, logins: 0, authed: 0 }, next: 1 };
    tenants.set(name, t);
  }
  return t;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const onlyKeys = (v: Record<string, unknown>, keys: string[]) => Object.keys(v).every((k) => keys.includes(k));

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) res.writeHead(status, headers).end();
  else res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function route(t: Tenant, method: string, path: string, headers: IncomingMessage["headers"], body: unknown, res: ServerResponse): void {
  if (path === "/auth/signup") {
    if (method !== "POST") return reply(res, 405, { error: "method not allowed" }, { allow: "POST" });
    if (!isObject(body) || !onlyKeys(body, ["username", "email", "password"])) return reply(res, 400, { error: "invalid body" });
    const { username, email, password } = body;
    if (typeof username !== "string" || !/^[a-z0-9_]{3,30}$/.test(username)) return reply(res, 400, { error: "invalid username" });
    if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 100) return reply(res, 400, { error: "invalid email" });
    if (typeof password !== "string" || password.length < 8 || password.length > 64) return reply(res, 400, { error: "invalid password" });
    if (t.users.has(username)) return reply(res, 409, { error: "username already taken" });
    t.users.set(username, { email, password });
    t.stats.signups++;
    return reply(res, 201, { username, email });
  }
  if (path === "/auth/login") {
    if (method !== "POST") return reply(res, 405, { error: "method not allowed" }, { allow: "POST" });
    if (!isObject(body) || !onlyKeys(body, ["username", "password"]) || typeof body.username !== "string" || typeof body.password !== "string" || body.username.length > 30 || body.password.length > 64) {
      return reply(res, 400, { error: "invalid body" });
    }
    const failures = t.failures.get(body.username) ?? 0;
    if (failures >= 5) return reply(res, 429, { error: "too many attempts" }, { "retry-after": "60" });
    const user = t.users.get(body.username);
    if (!user || user.password !== body.password) {
      t.failures.set(body.username, failures + 1);
      return reply(res, 401, { error: "wrong credentials" });
    }
    const token = `tok_${randomBytes(18).toString("hex")}`;
    t.tokens.set(token, { username: body.username, uses: 0 });
    t.stats.logins++;
    return reply(res, 200, { token });
  }
  const notePath = /^\/notes\/([^/]+)$/.exec(path);
  if (path !== "/me" && path !== "/notes" && !notePath) return reply(res, 404, { error: "not found" });
  const allowed = path === "/me" ? ["GET"] : path === "/notes" ? ["POST"] : ["GET", "DELETE"];
  if (!allowed.includes(method)) return reply(res, 405, { error: "method not allowed" }, { allow: allowed.join(", ") });

  const auth = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ""));
  const session = auth ? t.tokens.get(auth[1]) : undefined;
  if (!session) return reply(res, 401, { error: "not signed in" });
  session.uses++;
  if (t.expireAfterUses !== undefined && session.uses > t.expireAfterUses) return reply(res, 401, { error: "token expired" });
  t.stats.authed++;
  if (t.killAfter !== undefined && t.stats.authed === t.killAfter) {
    t.users.clear();
    t.notes.clear();
  }
  const user = t.users.get(session.username);
  if (path === "/me") return user ? reply(res, 200, { username: session.username, email: user.email }) : reply(res, 401, { error: "no such user" });
  // the handlers below trust the session's user to exist: once the users are gone they crash
  if (!user) return reply(res, 500, { error: "Cannot read properties of undefined (reading 'email')" });
  if (path === "/notes") {
    if (!isObject(body) || !onlyKeys(body, ["title", "text"]) || typeof body.title !== "string" || body.title.length < 1 || body.title.length > 100) return reply(res, 400, { error: "invalid note" });
    if (body.text !== undefined && (typeof body.text !== "string" || body.text.length > 1000)) return reply(res, 400, { error: "invalid note" });
    const note = { id: `n${t.next++}`, title: body.title, ...(typeof body.text === "string" ? { text: body.text } : {}), owner: session.username };
    t.notes.set(note.id, note);
    return reply(res, 201, note);
  }
  const id = decodeURIComponent(notePath![1]);
  const note = t.notes.get(id);
  if (method === "GET") return note ? reply(res, 200, note) : reply(res, 404, { error: "no such note" }); // the seeded fault: no owner check
  if (!note || note.owner !== session.username) return reply(res, 404, { error: "no such note" });
  t.notes.delete(id);
  return reply(res, 204);
}

/** Handles `/s/<tenant>/…` and `/__sessions/<tenant>`; false for any other path. */
export function handleSessions(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const control = /^\/__sessions\/([a-z0-9-]+)$/.exec(url.pathname);
  if (control) {
    const t = tenant(control[1]);
    if (req.method === "POST") {
      const uses = url.searchParams.get("expireAfterUses");
      const kill = url.searchParams.get("killAfter");
      if (uses) t.expireAfterUses = Number(uses);
      if (kill) t.killAfter = Number(kill);
    }
    req.resume();
    reply(res, 200, t.stats);
    return true;
  }
  const m = /^\/s\/([a-z0-9-]+)(\/.*)$/.exec(url.pathname);
  if (!m) return false;
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return reply(res, 400, { error: "invalid JSON" });
      }
    }
    route(tenant(m[1]), req.method ?? "GET", m[2], req.headers, body, res);
  });
  return true;
}
