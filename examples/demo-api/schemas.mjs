// Component schemas of openapi.yaml, as the server validates with them (demo-api.test.ts checks they match).
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const dateTime = { type: "string", format: "date-time", readOnly: true };
const ownerId = { type: "string", readOnly: true };
const itemFields = {
  name: { type: "string", minLength: 1, maxLength: 64 },
  price: { type: "number", minimum: 0, maximum: 100000 },
  quantity: { type: "integer", minimum: 0, maximum: 1000 },
  category: { type: "string", enum: ["tools", "toys", "books", "food"] },
  tags: { type: "array", maxItems: 5, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 20 } },
};
const email = { type: "string", format: "email", maxLength: 254 };
const displayName = { type: "string", minLength: 1, maxLength: 50 };
const role = { type: "string", enum: ["user", "admin"], readOnly: true };
const webhookFields = {
  url: { type: "string", format: "uri", pattern: "^https?://", maxLength: 2048 },
  events: {
    type: "array", minItems: 1, maxItems: 3, uniqueItems: true,
    items: { type: "string", enum: ["order.created", "order.cancelled", "item.created"] },
  },
};
const uuid = { type: "string", format: "uuid", readOnly: true };
const obj = (required, properties, extra = {}) => ({ type: "object", additionalProperties: false, required, properties, ...extra });

export const schemas = {
  Problem: obj(["type", "title", "status"], {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer", minimum: 100, maximum: 599 },
    detail: { type: "string" },
    errors: { type: "array", items: { type: "string" } },
  }),
  Health: obj(["status", "version"], { status: { type: "string", enum: ["ok"] }, version: { type: "string" } }),
  User: obj(["id", "username", "email", "displayName", "role", "createdAt"], {
    id: { type: "string", readOnly: true },
    username: { type: "string", readOnly: true },
    email,
    displayName,
    role,
    createdAt: dateTime,
  }),
  UserUpdate: { type: "object", additionalProperties: false, minProperties: 1, properties: { email, displayName, role } },
  UserList: obj(["users"], { users: { type: "array", items: ref("User") } }),
  ItemInput: obj(["name", "price", "quantity", "category"], itemFields),
  Item: obj(["id", "name", "price", "quantity", "category", "tags", "ownerId", "createdAt"], {
    id: { type: "integer", minimum: 1, readOnly: true },
    ...itemFields,
    ownerId,
    createdAt: dateTime,
  }),
  ItemList: obj(["items", "limit", "offset"], {
    items: { type: "array", items: ref("Item") },
    limit: { type: "integer", minimum: 1, maximum: 100 },
    offset: { type: "integer", minimum: 0 },
  }),
  ItemSummary: obj(["id", "name", "price"], {
    id: { type: "integer", minimum: 1 },
    name: { type: "string" },
    price: { type: "number", minimum: 0 },
  }),
  SearchResult: obj(["query", "results"], { query: { type: "string" }, results: { type: "array", items: ref("ItemSummary") } }),
  OrderInput: obj(["itemId", "quantity"], {
    itemId: { type: "integer", minimum: 1, maximum: 2147483647, example: 1 },
    quantity: { type: "integer", minimum: 1, maximum: 100 },
    note: { type: "string", maxLength: 500 },
  }),
  OrderPatch: {
    type: "object", additionalProperties: false, minProperties: 1,
    properties: { note: { type: "string", maxLength: 500 }, status: { type: "string", enum: ["cancelled"] } },
  },
  Order: obj(["id", "itemId", "quantity", "note", "status", "total", "ownerId", "createdAt"], {
    id: uuid,
    itemId: { type: "integer", minimum: 1 },
    quantity: { type: "integer", minimum: 1, maximum: 100 },
    note: { type: "string", maxLength: 500 },
    status: { type: "string", enum: ["pending", "cancelled"] },
    total: { type: "number", minimum: 0 },
    ownerId,
    createdAt: dateTime,
  }),
  OrderList: obj(["orders"], { orders: { type: "array", items: ref("Order") } }),
  WebhookInput: obj(["url", "events"], webhookFields),
  Webhook: obj(["id", "url", "events", "ownerId", "createdAt"], { id: uuid, ...webhookFields, ownerId, createdAt: dateTime }),
  WebhookList: obj(["webhooks"], { webhooks: { type: "array", items: ref("Webhook") } }),
  FileEntry: obj(["name", "size"], { name: { type: "string" }, size: { type: "integer", minimum: 0 } }),
  FileList: obj(["files"], { files: { type: "array", items: ref("FileEntry") } }),
  PingResult: obj(["host", "reachable", "output"], {
    host: { type: "string" },
    reachable: { type: "boolean" },
    output: { type: "string" },
  }),
  SalesReport: obj(["orders", "revenue", "currency"], {
    from: { type: "string", format: "date" },
    to: { type: "string", format: "date" },
    orders: { type: "integer", minimum: 0 },
    revenue: { type: "number", minimum: 0 },
    currency: { type: "string", enum: ["EUR"] },
  }),
};
