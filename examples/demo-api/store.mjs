// In-memory state of one demo server, seeded with the same data on every start (deterministic).

/** Deterministic uuid from a counter; `prefix` keeps order and webhook ids apart. */
const counterUuid = (prefix, n) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

export function createStore() {
  let clock = Date.UTC(2024, 0, 1);
  const now = () => new Date((clock += 1000)).toISOString();
  let nextItem = 1;
  let nextOrder = 1;
  let nextWebhook = 1;

  const user = (username, role) => ({
    id: `usr_${username}`,
    username,
    email: `${username}@example.com`,
    displayName: username[0].toUpperCase() + username.slice(1),
    role,
    createdAt: now(),
    // Internal columns that must never leave the server.
    passwordHash: `$2b$10$${Buffer.from(`${username}-demo-salt`).toString("base64").padEnd(53, "x")}`,
    apiSecret: `sk_live_${username}_51HdemoSecretKey000000`,
  });
  const users = new Map(["alice", "bob", "admin"].map((name) => [name, user(name, name === "admin" ? "admin" : "user")]));

  const items = new Map();
  const addItem = (fields, ownerId) => {
    const item = { id: nextItem++, ...fields, tags: fields.tags ?? [], ownerId, createdAt: now() };
    items.set(item.id, item);
    return item;
  };
  addItem({ name: "Claw hammer", price: 19.99, quantity: 42, category: "tools", tags: ["steel"] }, "usr_alice");
  addItem({ name: "Wooden train", price: 34.5, quantity: 7, category: "toys", tags: [] }, "usr_alice");
  addItem({ name: "Field guide to APIs", price: 12, quantity: 100, category: "books", tags: ["paperback"] }, "usr_bob");

  const orders = new Map();
  const addOrder = (fields, ownerId) => {
    const order = { id: counterUuid("00000000", nextOrder++), ...fields, note: fields.note ?? "", status: "pending", ownerId, createdAt: now() };
    orders.set(order.id, order);
    return order;
  };
  addOrder({ itemId: 1, quantity: 2, total: 39.98 }, "usr_alice");

  const webhooks = new Map();
  const addWebhook = (fields, ownerId, extra = {}) => {
    const webhook = { id: counterUuid("10000000", nextWebhook++), ...fields, ownerId, createdAt: now(), ...extra };
    webhooks.set(webhook.id, webhook);
    return webhook;
  };

  const files = new Map([
    ["readme.txt", "Demo shop file area. Price lists are refreshed nightly.\n"],
    ["price-list.csv", "id,name,price\n1,Claw hammer,19.99\n2,Wooden train,34.50\n3,Field guide to APIs,12.00\n"],
  ]);

  return { users, items, orders, webhooks, files, addItem, addOrder, addWebhook, now };
}
