// Stockroom: multi-merchant inventory and orders, an X-API-Key per merchant, SKUs and coupon
// codes unique service-wide, cursor pagination.
// node server.mjs --port 4102 --variant buggy|clean   (faults of the buggy variant: FAULTS.md)
import { spec } from './spec.mjs';
import { MERCHANTS } from './tokens.mjs';
import { parseArgs, createServer, listen, clone, nowIso } from '../blind-common/lib.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const BASE_MS = Date.UTC(2026, 2, 1, 8, 0, 0);
let clock = 0;
const stamp = () => nowIso(BASE_MS + 30 * 86400000 + ++clock * 1000);

const CODES = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 415: 'unsupported_media_type', 422: 'unprocessable', 500: 'internal' };
const E = (status, message, details) => ({ status, body: { error: { code: CODES[status], message, ...(details ? { details } : {}) } } });
const errorStyle = (status, title, details) => E(status, title, details && details.map((d) => ({ path: d.at, issue: d.message })));

// ---------- state ----------
const products = new Map(); // sku -> product (with merchantId)
const orders = new Map(); // id -> order (with merchantId, seq)
const coupons = new Map([['WELCOME10', { code: 'WELCOME10', percentOff: 10, expiresOn: '2027-12-31' }]]);
let orderSeq = 100;
[
  ['HAM-0001', 'Claw hammer', 'tools', 1999, 40, 'm_alice'],
  ['SAW-0002', 'Hand saw', 'tools', 2499, 12, 'm_alice'],
  ['POT-0003', 'Cast-iron pot', 'kitchen', 5900, 5, 'm_alice'],
  ['SEE-0004', 'Tomato seeds', 'garden', 299, 0, 'm_alice'],
  ['BOK-0005', 'Gardening handbook', 'books', 1500, 8, 'm_alice'],
  ['TOY-0101', 'Wooden train', 'toys', 3500, 9, 'm_bob'],
  ['CUP-0102', 'Espresso cup', 'kitchen', 800, 60, 'm_bob'],
  ['RAK-0103', 'Leaf rake', 'garden', 1800, 0, 'm_bob'],
].forEach(([sku, name, category, priceCents, stock, merchantId], i) =>
  products.set(sku, { sku, name, category, priceCents, stock, merchantId, updatedAt: nowIso(BASE_MS + i * 3600000) }));
[
  ['m_alice', [{ sku: 'HAM-0001', quantity: 2 }], 'shipped'],
  ['m_alice', [{ sku: 'POT-0003', quantity: 1 }], 'cancelled'],
  ['m_alice', [{ sku: 'SAW-0002', quantity: 1 }, { sku: 'BOK-0005', quantity: 3 }], 'pending'],
  ['m_bob', [{ sku: 'CUP-0102', quantity: 6 }], 'pending'],
].forEach(([merchantId, items, status], i) => {
  const id = `ord_${String(++orderSeq).padStart(6, '0')}`;
  const totalCents = items.reduce((t, it) => t + products.get(it.sku).priceCents * it.quantity, 0);
  orders.set(id, { id, status, items, totalCents, createdAt: nowIso(BASE_MS + (i + 1) * 86400000), merchantId, seq: orderSeq });
});

// ---------- helpers ----------
function orderView(o) {
  const { merchantId, seq, ...out } = o;
  return out;
}
const encodeCursor = (k) => Buffer.from(JSON.stringify({ k })).toString('base64url');
function decodeCursor(c) {
  if (c === undefined) return { ok: true, k: undefined };
  if (BUGGY) return { ok: true, k: JSON.parse(Buffer.from(c, 'base64url').toString()).k }; // I2: throws on garbage
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString());
    if (v && (typeof v.k === 'string' || typeof v.k === 'number')) return { ok: true, k: v.k };
  } catch { /* fall through */ }
  return { ok: false };
}
function page(list, limit, key, after) {
  let start = 0;
  if (after !== undefined) { start = list.findIndex((x) => key(x) === after) + 1; if (start === 0) start = list.length; }
  const n = Math.max(0, limit);
  const items = list.slice(start, start + n);
  const more = start + n < list.length && items.length > 0;
  return { items, nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}
// I4: the buggy name filter is concatenated into a query; a tautology such as ' OR '1'='1
// drops every condition (also the merchant's), without any error text.
function nameFilter(q) {
  if (BUGGY) {
    const m = /'\s*or\s+'?([^'=\s]*)'?\s*=\s*'?([^'\s]*)'?/i.exec(q);
    if (m && m[1] === m[2]) return { all: true, match: () => true };
  }
  return { all: false, match: (p) => p.name.toLowerCase().includes(q.toLowerCase()) };
}

// ---------- handlers ----------
const handlers = {
  listProducts({ query, auth }) {
    const cur = decodeCursor(query.cursor);
    if (!cur.ok) return E(400, 'cursor is not valid', [{ path: 'query/cursor', issue: 'not a cursor of this list' }]);
    const filter = query.q !== undefined ? nameFilter(query.q) : { all: false, match: () => true };
    let list = [...products.values()].filter((p) => filter.all || p.merchantId === auth.id).filter(filter.match);
    if (query.category) list = list.filter((p) => p.category === query.category);
    if (query.inStock !== undefined) {
      if (BUGGY && query.inStock === false) list = list.filter((p) => p.restock.eta === null); // I3: TypeError on the out-of-stock path
      list = list.filter((p) => (query.inStock ? p.stock > 0 : p.stock === 0));
    }
    list.sort((a, b) => (a.sku < b.sku ? -1 : 1));
    const res = page(list, query.limit ?? 20, (p) => p.sku, cur.k);
    return { status: 200, body: { items: res.items.map(strip), nextCursor: res.nextCursor } };
  },
  createProduct({ body, auth }) {
    if (products.has(body.sku)) return E(409, `SKU ${body.sku} is already in use`);
    const p = { ...body, merchantId: auth.id, updatedAt: stamp() };
    products.set(p.sku, p);
    return { status: 201, headers: { Location: BUGGY ? `/products/${p.sku}` : `/v1/products/${p.sku}` }, body: strip(p) }; // I6
  },
  getProduct({ path, auth }) {
    const p = products.get(path.sku);
    if (!p || (!BUGGY && p.merchantId !== auth.id)) return E(404, 'no such product'); // I7
    return { status: 200, body: strip(p) };
  },
  replaceProduct({ path, body, auth }) {
    const p = products.get(path.sku);
    if (!p || p.merchantId !== auth.id) return E(404, 'no such product');
    const stock = BUGGY ? p.stock + body.stock : body.stock; // I8: adds instead of setting
    const next = { sku: p.sku, name: body.name, category: body.category, priceCents: body.priceCents, stock, merchantId: p.merchantId, updatedAt: stamp() };
    if (body.barcode !== undefined) next.barcode = body.barcode;
    products.set(p.sku, next);
    return { status: 200, body: strip(next) };
  },
  deleteProduct({ path, auth }) {
    const p = products.get(path.sku);
    if (!p || (!BUGGY && p.merchantId !== auth.id)) return E(404, 'no such product'); // I9
    products.delete(p.sku);
    return { status: 204 };
  },
  listOrders({ query, auth }) {
    const cur = decodeCursor(query.cursor);
    if (!cur.ok) return E(400, 'cursor is not valid', [{ path: 'query/cursor', issue: 'not a cursor of this list' }]);
    if (BUGGY && query.status === 'shipped') return E(400, 'status must be pending or cancelled', [{ path: 'query/status', issue: 'unsupported value' }]); // I13
    let list = [...orders.values()].filter((o) => o.merchantId === auth.id);
    if (query.status) list = list.filter((o) => o.status === query.status);
    list.sort((a, b) => (BUGGY ? a.seq - b.seq : b.seq - a.seq)); // I14: oldest first
    const res = page(list, query.limit ?? 20, (o) => o.seq, cur.k);
    return { status: 200, body: { items: res.items.map(orderView), nextCursor: res.nextCursor } };
  },
  createOrder({ body, auth }) {
    const lines = [];
    for (const it of body.items) {
      const p = products.get(it.sku);
      if (!p || p.merchantId !== auth.id) return E(422, `unknown SKU ${it.sku}`);
      const already = lines.filter((l) => l.p === p).reduce((t, l) => t + l.quantity, 0);
      if (p.stock < already + it.quantity) return E(422, `not enough stock for ${it.sku}`);
      lines.push({ p, quantity: it.quantity });
    }
    let pct = 0;
    if (body.couponCode !== undefined) {
      const c = coupons.get(body.couponCode);
      if (!c) return E(422, `unknown coupon ${body.couponCode}`);
      pct = c.percentOff;
    }
    for (const l of lines) l.p.stock -= l.quantity;
    const gross = lines.reduce((t, l) => t + l.p.priceCents * l.quantity, 0);
    const id = `ord_${String(++orderSeq).padStart(6, '0')}`;
    const o = { id, status: 'pending', items: body.items.map((i) => ({ sku: i.sku, quantity: i.quantity })), totalCents: Math.round((gross * (100 - pct)) / 100), createdAt: stamp(), merchantId: auth.id, seq: orderSeq };
    if (body.couponCode !== undefined) o.couponCode = body.couponCode;
    if (body.note !== undefined) o.note = body.note;
    orders.set(id, o);
    return { status: 201, headers: { Location: `/v1/orders/${id}` }, body: orderView(o) };
  },
  getOrder({ path, auth }) {
    const o = orders.get(path.orderId);
    if (!o || o.merchantId !== auth.id) return E(404, 'no such order');
    const out = orderView(o);
    if (BUGGY) out.createdAt = Date.parse(o.createdAt); // I11: epoch number, not date-time
    return { status: 200, body: out };
  },
  cancelOrder({ path, auth }) {
    const o = orders.get(path.orderId);
    if (!o || o.merchantId !== auth.id) return E(404, 'no such order');
    if (o.status !== 'pending') return E(409, `order is ${o.status}`);
    o.status = 'cancelled';
    for (const it of o.items) { const p = products.get(it.sku); if (p) p.stock += it.quantity; }
    if (BUGGY) return { status: 200, body: orderView(o) }; // I12: 200 with a body, documented 204
    return { status: 204 };
  },
  getAccount({ auth }) {
    const m = { id: auth.id, name: auth.name, email: auth.email, plan: auth.plan };
    if (BUGGY) m.apiKey = auth.key; // I15: the credential echoed back
    return { status: 200, body: m };
  },
  listCoupons() {
    return { status: 200, body: [...coupons.values()] };
  },
  createCoupon({ body, auth }) {
    if (!BUGGY && auth.role !== 'operator') return E(403, 'only operators create coupons'); // I16
    if (coupons.has(body.code)) return E(409, `coupon ${body.code} exists`);
    coupons.set(body.code, { ...body });
    return { status: 201, body: { ...body } };
  },
};
const strip = (p) => ({ ...p });

function authenticate(scheme, req) {
  const key = req.headers['x-api-key'];
  const m = MERCHANTS.find((x) => x.key === key);
  return m || null;
}

let validationSpec = spec;
if (BUGGY) {
  validationSpec = clone(spec);
  const s = validationSpec.components.schemas;
  delete s.ProductCreate.additionalProperties; // I5
  delete s.OrderItem.properties.quantity.minimum; // I10
  const params = validationSpec.paths['/products'].get.parameters;
  params[params.findIndex((x) => x.$ref && x.$ref.endsWith('/limit'))] = { name: 'limit', in: 'query', schema: { type: 'integer' } }; // I1
}
const server = createServer({ spec, validationSpec, handlers, error: errorStyle, authenticate, crashBody: () => ({ error: { code: 'internal', message: 'Internal Server Error' } }) });
listen(server, port, 'stockroom', variant);
