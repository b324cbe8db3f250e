// The operations of openapi.yaml: declared parameters, body schema, auth level and handler.
// Seeded faults that change behaviour are checked here with ctx.fault(id); faults that change the
// declared contract (validation, auth level) are applied to this table by faults.mjs.
import { posix } from "node:path";
import { SIMULATED_FS, simulateShell } from "./faults.mjs";

const PROBLEM_BASE = "https://demo-api.example/problems/";
const TITLES = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content", 500: "Internal Server Error" };

/** An RFC 9457 problem response. */
export function problem(status, detail, errors) {
  const title = TITLES[status] ?? "Error";
  const body = { type: PROBLEM_BASE + title.toLowerCase().replace(/ /g, "-"), title, status, detail };
  if (errors?.length) body.errors = errors;
  return { status, body, contentType: "application/problem+json" };
}

const json = (status, body, headers) => ({ status, body, headers });
const noContent = () => ({ status: 204 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const path = (name, schema) => ({ name, in: "path", required: true, schema });
const query = (name, schema, required = false) => ({ name, in: "query", required, schema });
const header = (name, schema, required = false) => ({ name, in: "header", required, schema });

const itemId = path("itemId", { type: "integer", minimum: 1, maximum: 2147483647 });
const orderId = path("orderId", { type: "string", format: "uuid" });
const webhookId = path("webhookId", { type: "string", format: "uuid" });

const PUBLIC_USER_FIELDS = ["id", "username", "email", "displayName", "role", "createdAt"];
const presentUser = (ctx, user) =>
  ctx.fault("users-secret-exposure") ? { ...user } : Object.fromEntries(PUBLIC_USER_FIELDS.map((k) => [k, user[k]]));
const presentItem = ({ deleted, ...item }) => ({ ...item, tags: [...item.tags] });
const presentWebhook = ({ pending, ...webhook }) => ({ ...webhook, events: [...webhook.events] });
const cents = (n) => Math.round(n * 100) / 100;

/** The resource if it exists and belongs to the caller; others' resources look absent (no id probing). */
function ownedOrder(ctx) {
  const order = ctx.store.orders.get(ctx.params.orderId);
  if (!order) return undefined;
  return order.ownerId === ctx.user.id || ctx.fault("orders-bola") ? order : undefined;
}

/** { item } when the caller owns a live item, else { error } (404 absent, 403 someone else's). */
function itemForUpdate(ctx) {
  const item = ctx.store.items.get(ctx.params.itemId);
  if (!item || item.deleted) return { error: problem(404, `item ${ctx.params.itemId} does not exist`) };
  if (item.ownerId !== ctx.user.id) return { error: problem(403, "only the owner may change this item") };
  return { item };
}

export const routes = [
  {
    operationId: "getHealth", method: "GET", path: "/health", auth: "public", params: [],
    handle: () => json(200, { status: "ok", version: "1.0.0" }),
  },
  {
    operationId: "getCurrentUser", method: "GET", path: "/users/me", auth: "user", params: [],
    handle: (ctx) => json(200, presentUser(ctx, ctx.user)),
  },
  {
    operationId: "updateCurrentUser", method: "PATCH", path: "/users/me", auth: "user", params: [], body: "UserUpdate",
    handle: (ctx) => {
      const { email, displayName, role } = ctx.body;
      if (email !== undefined) ctx.user.email = email;
      if (displayName !== undefined) ctx.user.displayName = displayName;
      if (role !== undefined && ctx.fault("users-role-mass-assignment")) ctx.user.role = role;
      return json(200, presentUser(ctx, ctx.user));
    },
  },
  {
    operationId: "adminListUsers", method: "GET", path: "/admin/users", auth: "admin", params: [],
    handle: (ctx) => json(200, { users: [...ctx.store.users.values()].map((u) => presentUser(ctx, u)) }),
  },
  {
    operationId: "listItems", method: "GET", path: "/items", auth: "public",
    params: [
      query("limit", { type: "integer", minimum: 1, maximum: 100, default: 20 }),
      query("offset", { type: "integer", minimum: 0, maximum: 10000, default: 0 }),
      query("category", { type: "string", enum: ["tools", "toys", "books", "food"] }),
    ],
    handle: (ctx) => {
      const { limit = 20, offset = 0, category } = ctx.params;
      const all = [...ctx.store.items.values()].filter((i) => !i.deleted && (!category || i.category === category));
      const headers = ctx.fault("items-list-missing-total-header") ? {} : { "X-Total-Count": String(all.length) };
      return json(200, { items: all.slice(offset, offset + limit).map(presentItem), limit, offset: ctx.fault("items-page-offset-reset") ? 0 : offset }, headers);
    },
  },
  {
    operationId: "createItem", method: "POST", path: "/items", auth: "user", params: [], body: "ItemInput",
    // Runs before validation: the buggy variant looks up duplicates by lower-cased name first.
    beforeValidation: (ctx, rawBody) => {
      if (ctx.fault("items-name-type-crash") && rawBody && typeof rawBody === "object") {
        const slug = rawBody.name.toLowerCase();
        [...ctx.store.items.values()].some((i) => i.name.toLowerCase() === slug);
      }
    },
    handle: (ctx) => {
      const { name, price, quantity, category, tags = [] } = ctx.body;
      const item = ctx.store.addItem({ name, price, quantity, category, tags: [...tags] }, ctx.user.id);
      return json(201, presentItem(item), { Location: `/items/${item.id}` });
    },
  },
  {
    operationId: "getItem", method: "GET", path: "/items/{itemId}", auth: "public", params: [itemId],
    handle: (ctx) => {
      const item = ctx.store.items.get(ctx.params.itemId);
      // The buggy soft delete leaves the row in place; only the clean variant removes it.
      if (!item) return problem(404, `item ${ctx.params.itemId} does not exist`);
      const body = presentItem(item);
      if (ctx.fault("item-price-as-string")) body.price = item.price.toFixed(2);
      return json(200, body);
    },
  },
  {
    operationId: "replaceItem", method: "PUT", path: "/items/{itemId}", auth: "user", params: [itemId], body: "ItemInput",
    handle: (ctx) => {
      const { item, error } = itemForUpdate(ctx);
      if (error) return error;
      const { name, price, quantity, category, tags = [] } = ctx.body;
      const newQuantity = ctx.fault("items-put-increments") ? item.quantity + quantity : quantity;
      Object.assign(item, { name, price, quantity: newQuantity, category, tags: [...tags] });
      return json(200, presentItem(item));
    },
  },
  {
    operationId: "deleteItem", method: "DELETE", path: "/items/{itemId}", auth: "user", params: [itemId],
    handle: (ctx) => {
      const { item, error } = itemForUpdate(ctx);
      if (error) return error;
      if (ctx.fault("items-soft-delete-read")) item.deleted = true;
      else ctx.store.items.delete(item.id);
      return noContent();
    },
  },
  {
    operationId: "searchItems", method: "GET", path: "/search", auth: "public",
    params: [query("q", { type: "string", minLength: 1, maxLength: 100 }, true), query("limit", { type: "integer", minimum: 1, maximum: 50, default: 10 })],
    handle: (ctx) => {
      const { q, limit = 10 } = ctx.params;
      if (ctx.fault("search-sqli") && q.includes("'")) {
        const sql = `SELECT id, name, price FROM items WHERE name LIKE '%${q}%' LIMIT ${limit}`;
        return problem(500, `SQLITE_ERROR: near "'": syntax error (query: ${sql})`);
      }
      const needle = q.toLowerCase();
      const results = [...ctx.store.items.values()]
        .filter((i) => !i.deleted && (i.name.toLowerCase().includes(needle) || i.tags.some((t) => t.toLowerCase().includes(needle))))
        .slice(0, ctx.fault("search-limit-off-by-one") ? limit + 1 : limit)
        .map(({ id, name, price }) => ({ id, name, price }));
      return json(200, { query: q, results });
    },
  },
  {
    operationId: "listOrders", method: "GET", path: "/orders", auth: "user",
    params: [query("status", { type: "string", enum: ["pending", "cancelled"] })],
    handle: (ctx) => {
      const orders = [...ctx.store.orders.values()].filter((o) => o.ownerId === ctx.user.id && (!ctx.params.status || o.status === ctx.params.status));
      const body = { orders: orders.map((o) => ({ ...o })) };
      return ctx.fault("orders-list-text-plain") ? { status: 200, text: JSON.stringify(body), contentType: "text/plain; charset=utf-8" } : json(200, body);
    },
  },
  {
    operationId: "createOrder", method: "POST", path: "/orders", auth: "user", body: "OrderInput",
    params: [header("Idempotency-Key", { type: "string", minLength: 8, maxLength: 64 }, true)],
    handle: (ctx) => {
      const { itemId: id, quantity, note = "" } = ctx.body;
      const item = ctx.store.items.get(id);
      if (!item || item.deleted) return problem(422, `item ${id} does not exist`);
      const order = ctx.store.addOrder({ itemId: id, quantity, note, total: cents(item.price * quantity) }, ctx.user.id);
      const location = ctx.fault("orders-wrong-location") ? `/order/${order.id}` : `/orders/${order.id}`;
      return json(201, { ...order }, { Location: location });
    },
  },
  {
    operationId: "getOrder", method: "GET", path: "/orders/{orderId}", auth: "user", params: [orderId],
    handle: (ctx) => {
      const order = ownedOrder(ctx);
      return order ? json(200, { ...order }) : problem(404, `order ${ctx.params.orderId} does not exist`);
    },
  },
  {
    operationId: "updateOrder", method: "PATCH", path: "/orders/{orderId}", auth: "user", params: [orderId], body: "OrderPatch",
    handle: (ctx) => {
      const order = ownedOrder(ctx);
      if (!order) return problem(404, `order ${ctx.params.orderId} does not exist`);
      const updated = { ...order, ...ctx.body };
      if (!ctx.fault("orders-patch-not-persisted")) Object.assign(order, ctx.body);
      return json(200, updated);
    },
  },
  {
    operationId: "deleteOrder", method: "DELETE", path: "/orders/{orderId}", auth: "user", params: [orderId],
    handle: (ctx) => {
      const order = ownedOrder(ctx);
      if (!order) return problem(404, `order ${ctx.params.orderId} does not exist`);
      ctx.store.orders.delete(order.id);
      return noContent();
    },
  },
  {
    operationId: "listWebhooks", method: "GET", path: "/webhooks", auth: "user", params: [],
    handle: (ctx) => json(200, { webhooks: [...ctx.store.webhooks.values()].filter((w) => w.ownerId === ctx.user.id && !w.pending).map(presentWebhook) }),
  },
  {
    operationId: "createWebhook", method: "POST", path: "/webhooks", auth: "user", params: [], body: "WebhookInput",
    handle: (ctx) => {
      const { url, events = [] } = ctx.body;
      const extra = ctx.fault("webhooks-not-readable") ? { pending: true } : {};
      const webhook = ctx.store.addWebhook({ url, events: [...events] }, ctx.user.id, extra);
      return json(201, presentWebhook(webhook), { Location: `/webhooks/${webhook.id}` });
    },
  },
  {
    operationId: "getWebhook", method: "GET", path: "/webhooks/{webhookId}", auth: "user", params: [webhookId],
    handle: (ctx) => {
      const webhook = ctx.store.webhooks.get(ctx.params.webhookId);
      if (!webhook || webhook.ownerId !== ctx.user.id || webhook.pending) return problem(404, `webhook ${ctx.params.webhookId} does not exist`);
      return json(200, presentWebhook(webhook));
    },
  },
  {
    operationId: "deleteWebhook", method: "DELETE", path: "/webhooks/{webhookId}", auth: "user", params: [webhookId],
    handle: (ctx) => {
      const webhook = ctx.store.webhooks.get(ctx.params.webhookId);
      if (!webhook || webhook.ownerId !== ctx.user.id) return problem(404, `webhook ${ctx.params.webhookId} does not exist`);
      ctx.store.webhooks.delete(webhook.id);
      return ctx.fault("webhooks-delete-202") ? json(202, { id: webhook.id, status: "deletion scheduled" }) : noContent();
    },
  },
  {
    operationId: "listFiles", method: "GET", path: "/files", auth: "user", params: [],
    handle: (ctx) => json(200, { files: [...ctx.store.files].map(([name, text]) => ({ name, size: Buffer.byteLength(text) })) }),
  },
  {
    operationId: "downloadFile", method: "GET", path: "/files/{fileName}", auth: "user",
    params: [path("fileName", { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" })],
    handle: (ctx) => {
      let name = ctx.params.fileName;
      if (ctx.fault("files-path-traversal")) {
        // Double decoding and path joining: the classic traversal, against a simulated file system.
        try {
          if (name.includes("%")) name = decodeURIComponent(name);
        } catch {}
        const resolved = posix.join("/srv/files", name.replace(/\\/g, "/"));
        const text = resolved.startsWith("/srv/files/") ? ctx.store.files.get(resolved.slice("/srv/files/".length)) : SIMULATED_FS[resolved];
        return text === undefined ? problem(404, `file ${name} does not exist`) : { status: 200, text, contentType: "text/plain; charset=utf-8" };
      }
      const text = ctx.store.files.get(name);
      return text === undefined ? problem(404, `file ${name} does not exist`) : { status: 200, text, contentType: "text/plain; charset=utf-8" };
    },
  },
  {
    operationId: "ping", method: "GET", path: "/diagnostics/ping", auth: "user",
    params: [
      query("host", { type: "string", minLength: 1, maxLength: 253, pattern: "^[A-Za-z0-9.-]+$" }, true),
      query("count", { type: "integer", minimum: 1, maximum: 5, default: 3 }),
    ],
    handle: async (ctx) => {
      const { host, count = 3 } = ctx.params;
      if (ctx.fault("ping-command-injection")) {
        const shell = simulateShell(host, count);
        if (shell.sleepMs) await sleep(shell.sleepMs);
        return json(200, { host, reachable: !shell.injected, output: shell.output });
      }
      return json(200, { host, reachable: true, output: `PING ${host}: ${count} packets transmitted, ${count} received, 0% packet loss` });
    },
  },
  {
    operationId: "getSalesReport", method: "GET", path: "/reports/sales", auth: "user",
    params: [query("from", { type: "string", format: "date" }), query("to", { type: "string", format: "date" })],
    handle: async (ctx) => {
      if (ctx.fault("reports-slow")) await sleep(1500);
      const { from, to } = ctx.params;
      const orders = [...ctx.store.orders.values()].filter((o) => {
        const day = o.createdAt.slice(0, 10);
        return o.ownerId === ctx.user.id && o.status !== "cancelled" && (!from || day >= from) && (!to || day <= to);
      });
      const report = { orders: orders.length, revenue: cents(orders.reduce((sum, o) => sum + o.total, 0)), currency: "EUR" };
      return json(200, { ...(from ? { from } : {}), ...(to ? { to } : {}), ...report });
    },
  },
];
