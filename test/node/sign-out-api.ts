/**
 * A small API whose sessions are a cookie (an apiKey `in: cookie`) and whose `POST /logout` ends
 * the caller's session, as documented. Two sessions exist from the start (alice's and bob's), as
 * a user would hand them to Sentinel with `--identity "alice:sid: …"`. The buggy variant has one
 * fault: `GET /items/{id}` looks the item up without the owner check (bola). The clean variant
 * answers 404 for another user's item.
 */
import http from "node:http";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };

export const signOutSpec = {
  openapi: "3.0.3",
  info: { title: "Items API", version: "1.0.0" },
  components: {
    securitySchemes: { session: { type: "apiKey", in: "cookie", name: "sid" } },
    schemas: {
      Problem: { type: "object", properties: { title: { type: "string" } } },
      Item: { type: "object", required: ["id", "name"], properties: { id: { type: "integer", minimum: 1, readOnly: true }, name: { type: "string", minLength: 1, maxLength: 40 } } },
      NewItem: { type: "object", required: ["name"], additionalProperties: false, properties: { name: { type: "string", minLength: 1, maxLength: 40 } } },
    },
  },
  security: [{ session: [] }],
  paths: {
    "/logout": {
      post: { operationId: "logOut", summary: "End the session", responses: { "204": { description: "signed out" }, "401": problem } },
    },
    "/me": {
      get: { operationId: "getMe", responses: { "200": { description: "the caller", content: json({ type: "object", required: ["name"], properties: { name: { type: "string" } } }) }, "401": problem } },
    },
    "/items": {
      post: {
        operationId: "createItem",
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/NewItem" }) },
        responses: { "201": { description: "created", headers: { Location: { schema: { type: "string" } } }, content: json({ $ref: "#/components/schemas/Item" }) }, "400": problem, "401": problem },
      },
    },
    "/items/{id}": {
      get: {
        operationId: "getItem",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: { "200": { description: "the item", content: json({ $ref: "#/components/schemas/Item" }) }, "400": problem, "401": problem, "404": problem },
      },
    },
  },
};

/** The sessions handed to Sentinel (cookie values). */
export const SESSIONS = { alice: "alice-session-5c1f0e9a7d", bob: "bob-session-8e2b4d6f13" };

export async function startSignOutApi(variant: Variant): Promise<{ url: string; close(): Promise<void>; signedOut(): string[] }> {
  const sessions = new Map(Object.entries(SESSIONS).map(([user, sid]) => [sid, user]));
  const ended: string[] = [];
  const items: { id: number; owner: string; name: string }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        if (body === undefined) return void res.writeHead(status, headers).end();
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? "/", "http://localhost");
      const sid = /(?:^|;\s*)sid=([^;]*)/.exec(req.headers.cookie ?? "")?.[1];
      const user = sid === undefined ? undefined : sessions.get(decodeURIComponent(sid));
      const parts = url.pathname.split("/").filter(Boolean);
      const allow = parts.length === 1 && parts[0] === "logout" ? "POST" : parts.length === 1 && parts[0] === "me" ? "GET" : parts.length === 1 && parts[0] === "items" ? "POST" : parts.length === 2 && parts[0] === "items" ? "GET" : undefined;
      if (!allow) return send(404, { title: "Not Found" });
      if (req.method !== allow) return send(405, { title: "Method Not Allowed" }, { allow });
      if (!user) return send(401, { title: "Unauthorized" });
      if (parts[0] === "logout") {
        sessions.delete(decodeURIComponent(sid!));
        ended.push(user);
        return send(204);
      }
      if (parts[0] === "me") return send(200, { name: user });
      if (parts.length === 1) {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return send(400, { title: "body must be JSON" });
        }
        if (typeof body !== "object" || body === null || Array.isArray(body)) return send(400, { title: "body must be an object" });
        const b = body as Record<string, unknown>;
        if (Object.keys(b).some((k) => k !== "name")) return send(400, { title: "only name may be sent" });
        if (typeof b.name !== "string" || b.name.length < 1 || b.name.length > 40) return send(400, { title: "name must have 1 to 40 characters" });
        const item = { id: items.length + 1, owner: user, name: b.name };
        items.push(item);
        return send(201, { id: item.id, name: item.name }, { location: `/items/${item.id}` });
      }
      if (!/^[1-9]\d{0,8}$/.test(parts[1])) return send(400, { title: "id must be a positive integer" });
      const item = items.find((i) => i.id === Number(parts[1]) && (variant === "buggy" || i.owner === user));
      return item ? send(200, { id: item.id, name: item.name }) : send(404, { title: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, signedOut: () => [...ended], close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
