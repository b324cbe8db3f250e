/**
 * A small API for the round-trip rules of issue 12 (values the server produced, sent back). The
 * clean variant follows its spec; the buggy variant has faults reachable only when the rules work:
 *  - example-optional: a create carrying the optional `labels` (the spec's example has them) is
 *    refused, so a lifecycle built on the full example never creates anything;
 *  - guessed-reference: an update naming an `ownerId` that is no user is refused (both variants:
 *    a business rule), so an update with every optional field never succeeds;
 *  - stale-etag: `If-Match` is required on PATCH but any value is accepted (clean: 412 unless it
 *    is the current ETag);
 *  - wrong-location: a create's Location misses the collection's path (404);
 *  - format-stored: the optional `due` (format: date) is not checked: "2026-02-30" is stored.
 */
import http from "node:http";
import { listenLoopback } from "../loopback-server";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };
const etagHeader = { ETag: { required: true, schema: { type: "string" } } };

export const roundTripsSpec = {
  openapi: "3.0.3",
  info: { title: "Round trips API", version: "1.0.0" },
  paths: {
    "/docs": {
      post: {
        operationId: "createDoc",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/DocInput" }, example: { title: "Minutes", labels: ["meeting"] } } } },
        responses: {
          "201": { description: "created", headers: { Location: { required: true, schema: { type: "string" } }, ...etagHeader }, content: json({ $ref: "#/components/schemas/Doc" }) },
          "400": problem,
        },
      },
    },
    "/docs/{docId}": {
      parameters: [{ name: "docId", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
      get: { operationId: "getDoc", responses: { "200": { description: "doc", headers: etagHeader, content: json({ $ref: "#/components/schemas/Doc" }) }, "404": problem } },
      patch: {
        operationId: "updateDoc",
        parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/DocPatch" } } } },
        responses: { "200": { description: "updated", headers: etagHeader, content: json({ $ref: "#/components/schemas/Doc" }) }, "400": problem, "404": problem, "412": problem, "428": problem },
      },
    },
  },
  components: {
    schemas: {
      Problem: { type: "object", required: ["title"], properties: { title: { type: "string" }, detail: { type: "string" } } },
      DocInput: {
        type: "object",
        additionalProperties: false,
        required: ["title"],
        properties: { title: { type: "string", minLength: 1, maxLength: 60 }, labels: { type: "array", maxItems: 5, items: { type: "string", pattern: "^[a-z]{1,12}$" } }, due: { type: "string", format: "date" } },
      },
      DocPatch: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: { title: { type: "string", minLength: 1, maxLength: 60 }, ownerId: { type: "integer", minimum: 1 } },
      },
      Doc: {
        type: "object",
        required: ["id", "title", "labels", "version"],
        properties: { id: { type: "integer" }, title: { type: "string" }, labels: { type: "array", items: { type: "string" } }, due: { type: "string", format: "date" }, ownerId: { type: "integer" }, version: { type: "integer" } },
      },
    },
  },
};

interface Doc {
  id: number;
  title: string;
  labels: string[];
  ownerId?: number;
  due?: string;
  version: number;
}

export async function startRoundTripsApi(variant: Variant): Promise<{ url: string; close: () => Promise<void> }> {
  const buggy = variant === "buggy";
  const docs = new Map<number, Doc>();
  const users = new Set([1, 2, 3]);
  const etag = (d: Doc) => `"d${d.id}-v${d.version}"`;
  const send = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, body === undefined ? headers : { "content-type": "application/json", ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const bad = (res: http.ServerResponse, detail: string, status = 400) => send(res, status, { title: status === 412 ? "Precondition Failed" : "Bad Request", detail });
  const realDate = (d: string) => {
    const date = new Date(`${d}T00:00:00Z`);
    // "2021-13-45" parses to an invalid date, and toISOString() throws on those
    return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(d);
  };
  const validTitle = (t: unknown) => typeof t === "string" && t.length >= 1 && t.length <= 60;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://docs");
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : {};
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return bad(res, "body must be an object");
        body = parsed as Record<string, unknown>;
      } catch {
        return bad(res, "malformed JSON");
      }
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] !== "docs" || parts.length > 2) return send(res, 404, { title: "Not Found" });
      if (parts.length === 1) {
        if (req.method !== "POST") return send(res, 405, { title: "Method Not Allowed" }, { allow: "POST" });
        if (Object.keys(body).some((k) => k !== "title" && k !== "labels" && k !== "due")) return bad(res, "unknown property");
        if (body.due !== undefined && (typeof body.due !== "string" || (!buggy && !realDate(body.due)))) return bad(res, "due invalid");
        if (!validTitle(body.title)) return bad(res, "title invalid");
        const labels = body.labels;
        if (labels !== undefined && (buggy || !Array.isArray(labels) || labels.length > 5 || !labels.every((l) => typeof l === "string" && /^[a-z]{1,12}$/.test(l)))) return bad(res, "labels invalid");
        const doc: Doc = { id: docs.size + 1, title: body.title as string, labels: (labels as string[] | undefined) ?? [], version: 1 };
        if (body.due !== undefined) doc.due = body.due as string;
        docs.set(doc.id, doc);
        return send(res, 201, doc, { location: buggy ? `/doc/${doc.id}` : `/docs/${doc.id}`, etag: etag(doc) });
      }
      const doc = /^\d+$/.test(parts[1]) ? docs.get(Number(parts[1])) : undefined;
      if (!doc) return send(res, 404, { title: "Not Found" });
      if (req.method === "GET") return send(res, 200, doc, { etag: etag(doc) });
      if (req.method !== "PATCH") return send(res, 405, { title: "Method Not Allowed" }, { allow: "GET, PATCH" });
      const ifMatch = req.headers["if-match"];
      if (ifMatch === undefined) return bad(res, "If-Match required", 428);
      if (!buggy && ifMatch !== etag(doc)) return bad(res, "stale ETag", 412);
      if (Object.keys(body).length === 0 || Object.keys(body).some((k) => k !== "title" && k !== "ownerId")) return bad(res, "invalid patch");
      if (body.title !== undefined && !validTitle(body.title)) return bad(res, "title invalid");
      if (body.ownerId !== undefined && !users.has(body.ownerId as number)) return bad(res, "ownerId is not a user");
      if (body.title !== undefined) doc.title = body.title as string;
      if (body.ownerId !== undefined) doc.ownerId = body.ownerId as number;
      doc.version++;
      return send(res, 200, doc, { etag: etag(doc) });
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}
