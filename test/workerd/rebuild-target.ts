/**
 * The rebuild target (Node, started by global-setup): REBUILD_SPEC served under `/rb/<tenant>/`.
 * `POST /admin/reset` answers 202 at once and rebuilds the store in the background: for
 * REBUILD_MS afterwards every request of the tenant answers 503 ("store is being rebuilt", no
 * Retry-After) — what a run that resets the target makes of its own later requests. Two genuine faults stay: `GET
 * /broken` always answers 500, and so does a reset with an unknown `scope` (the store is left as
 * it is). `GET /__rebuild/<tenant>` answers { resets, rebuilding503s }.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Longer than the executor's wait before it sends a 503 once more (1 s without Retry-After,
 * run-case.ts), so the run's own later requests are judged on the rebuild; shorter than the
 * re-confirmation's SETTLE_MS plus that wait (own-writes.ts), so the re-runs meet the rebuilt store.
 */
export const REBUILD_MS = 2_000;

interface Tenant {
  rebuildUntil: number;
  resets: number;
  rebuilding503s: number;
}

const tenants = new Map<string, Tenant>();

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) res.writeHead(status).end();
  else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Handles `/rb/<tenant>/…` and `/__rebuild/<tenant>`; false for any other path. */
export function handleRebuild(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const control = /^\/__rebuild\/([a-z0-9-]+)$/.exec(url.pathname);
  if (control) {
    const t = tenants.get(control[1]);
    reply(res, 200, { resets: t?.resets ?? 0, rebuilding503s: t?.rebuilding503s ?? 0 });
    return true;
  }
  const match = /^\/rb\/([a-z0-9-]+)(\/.*)?$/.exec(url.pathname);
  if (!match) return false;
  let t = tenants.get(match[1]);
  if (!t) tenants.set(match[1], (t = { rebuildUntil: 0, resets: 0, rebuilding503s: 0 }));
  const path = match[2] ?? "/";
  const method = req.method ?? "GET";
  req.resume();
  req.on("end", () => {
    if (Date.now() < t.rebuildUntil) {
      t.rebuilding503s++;
      return reply(res, 503, { error: "store is being rebuilt" });
    }
    if (path === "/items" && method === "GET") return reply(res, 200, { items: [{ id: 1, name: "first" }] });
    if (path === "/broken" && method === "GET") return reply(res, 500, { error: "broken handler" });
    if (path === "/admin/reset" && method === "POST") {
      const scope = url.searchParams.get("scope");
      if (scope !== null && scope !== "all" && scope !== "items") return reply(res, 500, { error: `unknown scope ${scope.slice(0, 20)}` });
      t.resets++;
      t.rebuildUntil = Date.now() + REBUILD_MS;
      return reply(res, 202, { status: "rebuilding" });
    }
    if (path === "/" && method === "GET") return reply(res, 200, { ok: true });
    return reply(res, 404, { error: "not found" });
  });
  return true;
}

const errorBody = { description: "error", content: { "application/json": { schema: { type: "object", properties: { error: { type: "string" } } } } } };

export const REBUILD_SPEC = {
  openapi: "3.0.3",
  info: { title: "Rebuild", version: "1.0.0" },
  paths: {
    "/items": {
      get: {
        operationId: "listItems",
        responses: {
          "200": {
            description: "items",
            content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } } } } } } },
          },
        },
      },
    },
    "/broken": { get: { operationId: "getBroken", responses: { "200": { description: "ok" } } } },
    "/admin/reset": {
      post: {
        operationId: "resetStore",
        summary: "Reset the store",
        parameters: [{ name: "scope", in: "query", required: false, schema: { type: "string", enum: ["all", "items"] } }],
        responses: { "202": { description: "rebuilding", content: { "application/json": { schema: { type: "object", properties: { status: { type: "string" } } } } } }, "400": errorBody },
      },
    },
  },
};
