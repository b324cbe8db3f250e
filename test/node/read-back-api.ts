/**
 * A small ledger API for two rules of issue 12: values the server produced sent back (round trips)
 * and coverage-seeking generation. The clean variant follows its spec; the buggy one has faults
 * reachable only when those rules work:
 *  - stale-checksum: PUT checks the body's `checksum` against the checksum of the previous
 *    version, so the entry's own unchanged representation is refused with 409;
 *  - patch-drift: PATCH stores `amount` ×100 (minor units) while reads return major units, so
 *    sending an entry back unchanged changes it;
 *  - enum-crash: a create with `kind: "transfer"` (a documented, required enum member) → 500;
 *  - flag-crash: GET /entries?recurring=true → 500 (the optional flag's other value works);
 *  - currency-crash: GET /entries?currency=JPY (a required enum parameter) → 500;
 *  - empty-200: a list that matches nothing answers 200 with `null` instead of the documented 204.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { listenLoopback } from "../loopback-server";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };
const entryId = { name: "entryId", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const KINDS = ["income", "expense", "transfer"];
const CURRENCIES = ["EUR", "USD", "JPY"];

const writable = {
  title: { type: "string", minLength: 1, maxLength: 60 },
  amount: { type: "number", minimum: 0, maximum: 1000000 },
  kind: { type: "string", enum: KINDS },
  recurring: { type: "boolean" },
};

export const readBackSpec = {
  openapi: "3.0.3",
  info: { title: "Ledger", version: "1.0.0" },
  paths: {
    "/entries": {
      get: {
        operationId: "listEntries",
        parameters: [
          { name: "currency", in: "query", required: true, schema: { type: "string", enum: CURRENCIES } },
          { name: "recurring", in: "query", schema: { type: "boolean" } },
          { name: "kind", in: "query", schema: { type: "string", enum: KINDS } },
          { name: "q", in: "query", schema: { type: "string", maxLength: 40 } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } },
          { name: "sort", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
        ],
        responses: {
          "200": { description: "the entries that match (never empty)", content: json({ type: "array", minItems: 1, items: { $ref: "#/components/schemas/Entry" } }) },
          "204": { description: "no entry matches" },
          "400": problem,
        },
      },
      post: {
        operationId: "createEntry",
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, required: ["title", "amount", "kind"], properties: writable }) },
        responses: { "201": { description: "created", content: json({ $ref: "#/components/schemas/Entry" }) }, "400": problem },
      },
    },
    "/entries/{entryId}": {
      parameters: [entryId],
      get: { operationId: "getEntry", responses: { "200": { description: "entry", content: json({ $ref: "#/components/schemas/Entry" }) }, "404": problem } },
      put: {
        operationId: "replaceEntry",
        description: "Replaces the entry. `checksum` must be the one last read (409 otherwise).",
        requestBody: {
          required: true,
          content: json({ type: "object", additionalProperties: false, required: ["title", "amount", "kind", "checksum"], properties: { ...writable, checksum: { type: "string", minLength: 1 } } }),
        },
        responses: { "200": { description: "replaced", content: json({ $ref: "#/components/schemas/Entry" }) }, "400": problem, "404": problem, "409": problem },
      },
      patch: {
        operationId: "patchEntry",
        requestBody: { required: true, content: json({ type: "object", additionalProperties: false, minProperties: 1, properties: writable }) },
        responses: { "200": { description: "patched", content: json({ $ref: "#/components/schemas/Entry" }) }, "400": problem, "404": problem },
      },
      delete: { operationId: "deleteEntry", responses: { "204": { description: "deleted" }, "404": problem } },
    },
  },
  components: {
    schemas: {
      Problem: { type: "object", required: ["title"], properties: { title: { type: "string" }, detail: { type: "string" } } },
      Entry: {
        type: "object",
        required: ["id", "title", "amount", "kind", "recurring", "checksum", "version", "updatedAt"],
        properties: {
          id: { type: "integer", readOnly: true },
          ...writable,
          checksum: { type: "string" },
          version: { type: "integer", readOnly: true },
          updatedAt: { type: "string", format: "date-time", readOnly: true },
        },
      },
    },
  },
};

interface Entry {
  id: number;
  title: string;
  amount: number;
  kind: string;
  recurring: boolean;
  checksum: string;
  version: number;
  updatedAt: string;
}

export async function startReadBackApi(variant: Variant): Promise<{ url: string; close: () => Promise<void> }> {
  const buggy = variant === "buggy";
  const entries = new Map<number, Entry>();
  const previousChecksum = new Map<number, string>();
  let nextId = 1;
  const checksumOf = (e: Omit<Entry, "checksum" | "updatedAt">) => createHash("sha256").update(`${e.title}|${e.amount}|${e.kind}|${e.recurring}|${e.version}`).digest("hex").slice(0, 16);
  const seal = (e: Entry) => {
    previousChecksum.set(e.id, e.checksum);
    e.checksum = checksumOf(e);
    e.updatedAt = new Date().toISOString();
  };
  const send = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, body === undefined ? headers : { "content-type": "application/json", ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const bad = (res: http.ServerResponse, detail: string, status = 400) => send(res, status, { title: status === 409 ? "Conflict" : "Bad Request", detail });
  /** the writable fields of a body; undefined when one is invalid or unknown */
  const fields = (body: Record<string, unknown>, extra: string[] = []): Partial<Entry> | undefined => {
    const out: Partial<Entry> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "title" && typeof value === "string" && value.length >= 1 && value.length <= 60) out.title = value;
      else if (key === "amount" && typeof value === "number" && value >= 0 && value <= 1000000) out.amount = value;
      else if (key === "kind" && typeof value === "string" && KINDS.includes(value)) out.kind = value;
      else if (key === "recurring" && typeof value === "boolean") out.recurring = value;
      else if (!extra.includes(key)) return undefined;
    }
    return out;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://ledger");
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return bad(res, "body must be an object");
          body = parsed as Record<string, unknown>;
        } catch {
          return bad(res, "malformed JSON");
        }
      }
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] !== "entries" || parts.length > 2) return send(res, 404, { title: "Not Found" });
      if (parts.length === 1) {
        if (req.method === "GET") {
          const q = url.searchParams;
          const currency = q.get("currency");
          if (currency === null || !CURRENCIES.includes(currency)) return bad(res, "currency required");
          if (buggy && currency === "JPY") return send(res, 500, { title: "rates for JPY not loaded" });
          const recurring = q.get("recurring");
          if (recurring !== null && recurring !== "true" && recurring !== "false") return bad(res, "recurring must be a boolean");
          if (buggy && recurring === "true") return send(res, 500, { title: "schedule index missing" });
          const kind = q.get("kind");
          if (kind !== null && !KINDS.includes(kind)) return bad(res, "unknown kind");
          const text = q.get("q");
          if (text !== null && text.length > 40) return bad(res, "q too long");
          const limitText = q.get("limit");
          const limit = limitText === null ? 50 : Number(limitText);
          if (!Number.isInteger(limit) || limit < 1 || limit > 50) return bad(res, "limit out of range");
          const sort = q.get("sort");
          if (sort !== null && sort !== "asc" && sort !== "desc") return bad(res, "unknown sort");
          let list = [...entries.values()].filter((e) => (recurring === null || String(e.recurring) === recurring) && (kind === null || e.kind === kind) && (text === null || e.title.includes(text)));
          if (sort === "desc") list = list.reverse();
          list = list.slice(0, limit);
          if (list.length === 0) return buggy ? send(res, 200, null) : send(res, 204);
          return send(res, 200, list);
        }
        if (req.method !== "POST") return send(res, 405, { title: "Method Not Allowed" }, { allow: "GET, POST" });
        const input = fields(body);
        if (!input || input.title === undefined || input.amount === undefined || input.kind === undefined) return bad(res, "title, amount and kind are required");
        if (buggy && input.kind === "transfer") return send(res, 500, { title: "no counter-account" });
        const entry: Entry = { id: nextId++, title: input.title, amount: input.amount, kind: input.kind, recurring: input.recurring ?? false, checksum: "", version: 1, updatedAt: "" };
        seal(entry);
        entries.set(entry.id, entry);
        return send(res, 201, entry);
      }
      const entry = /^\d+$/.test(parts[1]) ? entries.get(Number(parts[1])) : undefined;
      if (!entry) return send(res, 404, { title: "Not Found" });
      if (req.method === "GET") return send(res, 200, entry);
      if (req.method === "DELETE") {
        entries.delete(entry.id);
        return send(res, 204);
      }
      if (req.method === "PUT") {
        const input = fields(body, ["checksum"]);
        if (!input || input.title === undefined || input.amount === undefined || input.kind === undefined || typeof body.checksum !== "string" || body.checksum === "") return bad(res, "title, amount, kind and checksum are required");
        const expected = buggy ? previousChecksum.get(entry.id) : entry.checksum;
        if (body.checksum !== expected) return bad(res, "checksum does not match the current entry", 409);
        Object.assign(entry, { recurring: false }, input);
        entry.version++;
        seal(entry);
        return send(res, 200, entry);
      }
      if (req.method === "PATCH") {
        const input = fields(body);
        if (!input || Object.keys(input).length === 0) return bad(res, "invalid patch");
        if (buggy && input.amount !== undefined) input.amount = Math.round(input.amount * 100);
        Object.assign(entry, input);
        entry.version++;
        seal(entry);
        return send(res, 200, entry);
      }
      return send(res, 405, { title: "Method Not Allowed" }, { allow: "GET, PUT, PATCH, DELETE" });
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}
