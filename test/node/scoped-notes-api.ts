/**
 * A small API of private notes (issue 12): bearer tokens of two users, notes keyed by a
 * non-numeric reference (`NT-…`), a paged listing (`size` up to 20, oldest first, `total`, 204 for
 * an empty page) with a `search` on the title. The owner already has more notes than one page
 * holds, so a new note is never on the owner's first page. The buggy variant has two faults:
 *  - like-search: `search`, trimmed, is pasted into `owner = '<user>' AND title LIKE '%<search>%'`
 *    of a MySQL-like engine (`--` comments only before whitespace; a query error answers like no
 *    match: 204, no error text), so a tautology that needs no comment lists every user's notes;
 *  - bola-by-ref: `GET /notes/{ref}` looks the reference up without the owner check.
 * The clean variant searches the caller's titles literally and answers 404 for others' notes.
 */
import http from "node:http";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };

export const notesSpec = {
  openapi: "3.0.3",
  info: { title: "Notes API", version: "1.0.0" },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Problem: { type: "object", properties: { title: { type: "string" }, detail: { type: "string" } } },
      Note: {
        type: "object",
        required: ["ref", "title", "createdAt"],
        properties: {
          ref: { type: "string", readOnly: true, pattern: "^NT-[A-Z0-9]{6}$" },
          title: { type: "string", minLength: 1, maxLength: 60 },
          createdAt: { type: "string", format: "date-time", readOnly: true },
        },
      },
      NewNote: { type: "object", required: ["title"], additionalProperties: false, properties: { title: { type: "string", minLength: 1, maxLength: 60 } } },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    "/notes": {
      get: {
        operationId: "listNotes",
        description: "The caller's notes, oldest first; `search` keeps those whose title contains it.",
        parameters: [
          { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
          { name: "size", in: "query", schema: { type: "integer", minimum: 1, maximum: 20, default: 20 } },
          { name: "search", in: "query", schema: { type: "string", minLength: 1, maxLength: 60 }, example: "plan" },
        ],
        responses: {
          "200": { description: "a page of notes", content: json({ type: "object", required: ["items", "total"], properties: { items: { type: "array", items: { $ref: "#/components/schemas/Note" } }, total: { type: "integer", minimum: 0 } } }) },
          "204": { description: "no note on this page" },
          "400": problem,
          "401": problem,
        },
      },
      post: {
        operationId: "createNote",
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/NewNote" }) },
        responses: {
          "201": { description: "created", headers: { Location: { schema: { type: "string" } } }, content: json({ $ref: "#/components/schemas/Note" }) },
          "400": problem,
          "401": problem,
        },
      },
    },
    "/notes/{ref}": {
      get: {
        operationId: "getNote",
        parameters: [{ name: "ref", in: "path", required: true, schema: { type: "string", pattern: "^NT-[A-Z0-9]{6}$" } }],
        responses: { "200": { description: "the note", content: json({ $ref: "#/components/schemas/Note" }) }, "400": problem, "401": problem, "404": problem },
      },
    },
  },
};

export const NOTE_TOKENS = { alice: "alice-notes-token", bob: "bob-notes-token" };

interface Note {
  ref: string;
  owner: string;
  title: string;
  createdAt: string;
}

// ---------- the buggy variant's WHERE clause, evaluated as a database would ----------

type Row = Record<string, string>;
type Token = { t: "str" | "id" | "op"; v: string };

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  for (const m of sql.matchAll(/\s+|--(?=\s)[^\n]*|'((?:[^']|'')*)'|([A-Za-z_]\w*)|([=()])|([\s\S])/g)) {
    if (m[4] !== undefined) throw new Error(`unrecognized token: "${m[4]}"`);
    if (m[1] !== undefined) out.push({ t: "str", v: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) out.push(/^(and|or|like)$/i.test(m[2]) ? { t: "op", v: m[2].toUpperCase() } : { t: "id", v: m[2] });
    else if (m[3] !== undefined) out.push({ t: "op", v: m[3] });
  }
  return out;
}

const likeRegex = (pattern: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".")}$`, "is");

function compileWhere(sql: string): (row: Row) => boolean {
  const tokens = tokenize(sql);
  let i = 0;
  const peek = (v: string) => tokens[i]?.t === "op" && tokens[i].v === v;
  const atom = (): (row: Row) => string => {
    const token = tokens[i++];
    if (!token) throw new Error("incomplete input");
    if (token.t === "str") return () => token.v;
    if (token.t === "id") return (row) => {
      if (!(token.v in row)) throw new Error(`no such column: ${token.v}`);
      return row[token.v];
    };
    throw new Error(`near "${token.v}": syntax error`);
  };
  const comparison = (): ((row: Row) => boolean) => {
    if (peek("(")) {
      i++;
      const inner = or();
      if (!peek(")")) throw new Error("missing )");
      i++;
      return inner;
    }
    const left = atom();
    if (peek("=")) {
      i++;
      const right = atom();
      return (row) => left(row) === right(row);
    }
    if (peek("LIKE")) {
      i++;
      const right = atom();
      return (row) => likeRegex(right(row)).test(left(row));
    }
    throw new Error("a condition needs an operator");
  };
  const and = (): ((row: Row) => boolean) => {
    const parts = [comparison()];
    while (peek("AND")) (i++, parts.push(comparison()));
    return (row) => parts.every((p) => p(row));
  };
  const or = (): ((row: Row) => boolean) => {
    const parts = [and()];
    while (peek("OR")) (i++, parts.push(and()));
    return (row) => parts.some((p) => p(row));
  };
  const where = or();
  if (i !== tokens.length) throw new Error(`near "${tokens[i].v}": syntax error`);
  return where;
}

// ---------- the server ----------

export async function startNotesApi(variant: Variant): Promise<{ url: string; close(): Promise<void> }> {
  const buggy = variant === "buggy";
  const notes: Note[] = [];
  let serial = 0;
  const newRef = () => `NT-${(++serial * 7919 + 104729).toString(36).toUpperCase().padStart(6, "0").slice(-6)}`;
  const add = (owner: string, title: string) => {
    const note = { ref: newRef(), owner, title, createdAt: new Date(Date.UTC(2025, 0, 1, 0, notes.length)).toISOString() };
    notes.push(note);
    return note;
  };
  for (let n = 1; n <= 25; n++) add("alice", `planning note ${n}`);
  add("bob", "groceries");
  add("bob", "plan for the trip");
  const view = (n: Note) => ({ ref: n.ref, title: n.title, createdAt: n.createdAt });
  const users = new Map(Object.entries(NOTE_TOKENS).map(([user, token]) => [`Bearer ${token}`, user]));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        if (body === undefined) return void res.writeHead(status, headers).end();
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      };
      const bad = (detail: string) => send(400, { title: "Bad Request", detail });
      const url = new URL(req.url ?? "/", "http://localhost");
      const user = users.get(req.headers.authorization ?? "");
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] !== "notes" || parts.length > 2) return send(404, { title: "Not Found" });
      if (!user) return send(401, { title: "Unauthorized" });
      if (parts.length === 1 && req.method === "GET") {
        const int = (name: string, min: number, max: number, fallback: number) => {
          const text = url.searchParams.get(name);
          if (text === null) return fallback;
          const value = /^\d+$/.test(text) ? Number(text) : NaN;
          return value >= min && value <= max ? value : undefined;
        };
        const page = int("page", 1, 1_000_000, 1);
        const size = int("size", 1, 20, 20);
        if (page === undefined || size === undefined) return bad("page must be ≥ 1, size 1 to 20");
        const search = url.searchParams.get("search");
        if (search !== null && (search.length < 1 || search.length > 60)) return bad("search must have 1 to 60 characters");
        let found: Note[];
        if (search === null) found = notes.filter((n) => n.owner === user);
        else if (buggy) {
          try {
            const where = compileWhere(`owner = '${user}' AND title LIKE '%${search.trim()}%'`);
            found = notes.filter((n) => where({ owner: n.owner, title: n.title, ref: n.ref }));
          } catch {
            found = [];
          }
        } else found = notes.filter((n) => n.owner === user && n.title.toLowerCase().includes(search.toLowerCase()));
        const items = found.slice((page - 1) * size, page * size).map(view);
        return items.length === 0 ? send(204) : send(200, { items, total: found.length });
      }
      if (parts.length === 1 && req.method === "POST") {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return bad("body must be JSON");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body)) return bad("body must be an object");
        const b = body as Record<string, unknown>;
        if (Object.keys(b).some((k) => k !== "title")) return bad("only title may be sent");
        if (typeof b.title !== "string" || b.title.length < 1 || b.title.length > 60) return bad("title must have 1 to 60 characters");
        const note = add(user, b.title);
        return send(201, view(note), { location: `/notes/${note.ref}` });
      }
      if (parts.length === 2 && req.method === "GET") {
        const ref = decodeURIComponent(parts[1]);
        if (!/^NT-[A-Z0-9]{6}$/.test(ref)) return bad("ref must look like NT-ABC123");
        const note = notes.find((n) => n.ref === ref && (buggy || n.owner === user));
        return note ? send(200, view(note)) : send(404, { title: "Not Found" });
      }
      return send(405, { title: "Method Not Allowed" }, { allow: parts.length === 1 ? "GET, POST" : "GET" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
