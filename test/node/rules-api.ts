/**
 * A small API for the general detection rules (issue 12). The clean variant follows its spec and
 * is lenient where real servers are (out-of-range `limit` clamped, unknown properties ignored, a
 * filter taken literally); the buggy variant has one fault per rule, each reachable only when the
 * rule works:
 *  - unique-create: the spec's example account already exists (seeded), so only a create with a
 *    fresh e-mail and handle succeeds; a created account's read returns `createdAt` as a number;
 *  - optional-alone: an optional `pinned` on a note is refused with 400 (a valid value);
 *  - optional-branch: `verified=false` answers 500, but only when some account matches the other
 *    filters (a random `q` sent with it matches nothing and hides it);
 *  - limit-used: `limit` outside 1..50 is used as is (`limit=-1` returns all but the last);
 *  - extra-stored: undeclared properties of an account are stored and returned;
 *  - sql-tautology: `q` is pasted into a quoted SQL condition, so `' OR '1'='1' --` lists all;
 *  - sql-sleep: the same condition on PostgreSQL, so `pg_sleep(n)` in `q` delays the answer n s;
 *  - fuzz-in-valid-body: an optional `displayName` with no ASCII letter or digit (emoji, other
 *    scripts) crashes a create — reachable only inside an otherwise valid, non-colliding body
 *    (the spec's example account already exists);
 *  - sql-numeric: the account id is pasted into `WHERE id = <id>`, so `4 OR 1=1` reads the first
 *    account and `4 AND 1=2` none (the clean variant reads ids as numbers: not found).
 */
import http from "node:http";
import { listenLoopback } from "../loopback-server";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };

export const rulesSpec = {
  openapi: "3.0.3",
  info: { title: "Rules API", version: "1.0.0" },
  paths: {
    "/accounts": {
      get: {
        operationId: "listAccounts",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } },
          { name: "q", in: "query", schema: { type: "string", maxLength: 60 } },
          { name: "verified", in: "query", schema: { type: "boolean" } },
        ],
        responses: { "200": { description: "accounts", content: json({ type: "object", required: ["items"], properties: { items: { type: "array", items: { $ref: "#/components/schemas/Account" } } } }) }, "400": problem },
      },
      post: {
        operationId: "createAccount",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/AccountInput" }, example: { email: "ada@example.com", handle: "ada_l" } } } },
        responses: {
          "201": { description: "created", headers: { Location: { schema: { type: "string" } } }, content: json({ $ref: "#/components/schemas/Account" }) },
          "400": problem,
          "409": problem,
        },
      },
    },
    "/accounts/{accountId}": {
      parameters: [{ name: "accountId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
      get: { operationId: "getAccount", responses: { "200": { description: "account", content: json({ $ref: "#/components/schemas/Account" }) }, "404": problem } },
    },
    "/accounts/{accountId}/notes": {
      parameters: [{ name: "accountId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
      post: {
        operationId: "addNote",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NoteInput" }, example: { text: "Call back" } } } },
        responses: { "201": { description: "note", content: json({ $ref: "#/components/schemas/Note" }) }, "400": problem, "404": problem },
      },
    },
  },
  components: {
    schemas: {
      Problem: { type: "object", required: ["title"], properties: { title: { type: "string" }, detail: { type: "string" } } },
      AccountInput: {
        type: "object",
        additionalProperties: false,
        required: ["email", "handle"],
        properties: { email: { type: "string", format: "email", maxLength: 80 }, handle: { type: "string", pattern: "^[a-z0-9_]{3,20}$" }, verified: { type: "boolean" }, displayName: { type: "string" } },
      },
      Account: {
        type: "object",
        required: ["id", "email", "handle", "verified", "createdAt"],
        properties: { id: { type: "integer" }, email: { type: "string" }, handle: { type: "string" }, verified: { type: "boolean" }, createdAt: { type: "string", format: "date-time" } },
      },
      NoteInput: { type: "object", required: ["text"], properties: { text: { type: "string", minLength: 1, maxLength: 200 }, pinned: { type: "boolean" } } },
      Note: { type: "object", required: ["id", "text", "pinned"], properties: { id: { type: "integer" }, text: { type: "string" }, pinned: { type: "boolean" } } },
    },
  },
};

interface Account {
  id: number;
  email: string;
  handle: string;
  verified: boolean;
  createdAt: string;
  extra?: Record<string, unknown>;
}

export async function startRulesApi(variant: Variant): Promise<{ url: string; close: () => Promise<void> }> {
  const buggy = variant === "buggy";
  const accounts: Account[] = [
    { id: 1, email: "ada@example.com", handle: "ada_l", verified: true, createdAt: "2026-01-01T00:00:00Z" },
    { id: 2, email: "bo@example.com", handle: "bo_k", verified: false, createdAt: "2026-01-02T00:00:00Z" },
    { id: 3, email: "cy@example.com", handle: "cy_m", verified: true, createdAt: "2026-01-03T00:00:00Z" },
  ];
  let notes = 0;
  const view = (a: Account, single = false) => ({ id: a.id, email: a.email, handle: a.handle, verified: a.verified, createdAt: buggy && single && a.id > 3 ? Date.parse(a.createdAt) : a.createdAt, ...(buggy ? a.extra : {}) });
  const send = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, body === undefined ? headers : { "content-type": status >= 400 ? "application/json" : "application/json", ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const bad = (res: http.ServerResponse, detail: string, status = 400) => send(res, status, { title: "Bad Request", detail });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://rules");
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return bad(res, "malformed JSON");
      }
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] !== "accounts") return send(res, 404, { title: "Not Found" });
      if (parts.length === 1 && req.method === "GET") {
        const limitText = url.searchParams.get("limit");
        let limit = 50;
        if (limitText !== null) {
          if (!/^-?\d+$/.test(limitText)) return bad(res, "limit must be an integer");
          limit = Number(limitText);
          if (!buggy) limit = Math.min(50, Math.max(1, limit));
        }
        const q = url.searchParams.get("q");
        if (q !== null && q.length > 60) return bad(res, "q too long");
        const verifiedText = url.searchParams.get("verified");
        if (verifiedText !== null && verifiedText !== "true" && verifiedText !== "false") return bad(res, "verified must be a boolean");
        let found = accounts;
        const sleep = buggy && q !== null ? /'.*pg_sleep\((\d+)\)/.exec(q) : null;
        if (sleep) return void setTimeout(() => send(res, 200, { items: [] }), Number(sleep[1]) * 1000);
        if (q !== null) {
          // buggy: WHERE handle LIKE '%<q>%' built by concatenation
          const tautology = /'\s*OR\s*'([^']*)'\s*=\s*'\1'/i.test(q);
          found = buggy && tautology ? accounts : buggy && q.includes("'") ? [] : accounts.filter((a) => a.handle.includes(q));
        }
        if (verifiedText !== null) {
          const wanted = verifiedText === "true";
          found = found.filter((a) => a.verified === wanted);
          if (buggy && !wanted && found.length > 0) return send(res, 500, { title: "Internal Server Error", detail: "cannot read properties of undefined" });
        }
        return send(res, 200, { items: found.slice(0, limit).map((a) => view(a)) });
      }
      if (parts.length === 1 && req.method === "POST") {
        if (typeof body !== "object" || body === null || Array.isArray(body)) return bad(res, "body must be an object");
        const b = body as Record<string, unknown>;
        if (typeof b.email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email) || b.email.length > 80) return bad(res, "email invalid");
        if (typeof b.handle !== "string" || !/^[a-z0-9_]{3,20}$/.test(b.handle)) return bad(res, "handle invalid");
        if (b.verified !== undefined && typeof b.verified !== "boolean") return bad(res, "verified must be a boolean");
        if (b.displayName !== undefined && typeof b.displayName !== "string") return bad(res, "displayName must be a string");
        if (accounts.some((a) => a.email === b.email || a.handle === b.handle)) return send(res, 409, { title: "Conflict", detail: "email or handle already exists" });
        // buggy: a display name without any ASCII letter or digit makes an empty initial → crash
        if (buggy && typeof b.displayName === "string" && !/[A-Za-z0-9]/.test(b.displayName)) return send(res, 500, { title: "Internal Server Error", detail: "Cannot read properties of undefined (reading 'toUpperCase')" });
        const extra = Object.fromEntries(Object.entries(b).filter(([k]) => !["email", "handle", "verified", "displayName"].includes(k)));
        const account: Account = { id: accounts.length + 1, email: b.email, handle: b.handle, verified: b.verified === true, createdAt: new Date().toISOString(), extra };
        accounts.push(account);
        return send(res, 201, view(account), { location: `/accounts/${account.id}` });
      }
      const idText = decodeURIComponent(parts[1] ?? "");
      const injected = buggy ? /^(\d+)\s+(OR 1=1|AND 1=2)$/i.exec(idText) : null;
      const id = injected ? Number(injected[1]) : Number(idText);
      const account = injected ? (/^OR/i.test(injected[2]) ? accounts[0] : undefined) : accounts.find((a) => a.id === id);
      if (parts.length === 2 && req.method === "GET") return account ? send(res, 200, view(account, true)) : send(res, 404, { title: "Not Found" });
      if (parts.length === 3 && parts[2] === "notes" && req.method === "POST") {
        if (!account) return send(res, 404, { title: "Not Found" });
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b.text !== "string" || b.text.length < 1 || b.text.length > 200) return bad(res, "text invalid");
        if (b.pinned !== undefined && (buggy || typeof b.pinned !== "boolean")) return bad(res, "pinned invalid");
        return send(res, 201, { id: ++notes, text: b.text, pinned: b.pinned === true });
      }
      return send(res, 405, { title: "Method Not Allowed" }, { allow: "GET, POST" });
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}
