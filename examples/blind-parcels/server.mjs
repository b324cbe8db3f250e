// Parcelpost: a parcel-shipping API with a clean variant (follows openapi.yaml exactly) and a buggy
// variant with the 16 faults of FAULTS.md (each marked `FAULT Pnn`).
//   node server.mjs --variant buggy|clean --port N      (SELFCHECK=1 checks every answer against the spec)
// PARCELS_ADMIN_KEY=… opens an admin account with that key at start (optional).
import crypto from 'node:crypto';
import { parseArgs, createServer, listen, clone, nowIso } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const buggy = variant === 'buggy';

// ---------- the spec the buggy variant validates against (its own loosened rules) ----------
const vspec = clone(spec);
const routeSpec = clone(spec);
if (buggy) {
  delete vspec.components.schemas.ShipmentInput.properties.reference.pattern; // FAULT P12: checked by a legacy regex instead
  delete vspec.components.schemas.ShipmentInput.properties.insuredValue.maximum; // FAULT P02
  const lim = vspec.paths['/shipments'].get.parameters.find((p) => p.name === 'limit');
  delete lim.schema.maximum; // FAULT P01
  routeSpec.paths['/shipments/{shipmentId}/parcels/{parcelId}'].get.security = [{ apiKey: [] }, {}]; // FAULT P16
}

// ---------- state ----------
const accounts = new Map(); // id -> account (with apiKey)
const keys = new Map(); // apiKey -> account id
const shipments = new Map(); // id -> shipment record
const parcels = new Map(); // id -> parcel record
const events = new Map(); // id -> event record
let nextParcelId = 10_000_000_001;
let nextEventId = 50_000_000_001;
let nextTracking = 4_100_000_000;

function openAccount({ company, email, phone }, role = 'shipper', apiKey = `pk_${crypto.randomBytes(16).toString('hex')}`) {
  const a = { id: crypto.randomUUID(), company, email, role, createdAt: nowIso(Date.now()), apiKey };
  if (phone !== undefined) a.phone = phone;
  accounts.set(a.id, a);
  keys.set(apiKey, a.id);
  return a;
}
if (process.env.PARCELS_ADMIN_KEY) openAccount({ company: 'Parcelpost staff', email: 'staff@parcelpost.test' }, 'admin', process.env.PARCELS_ADMIN_KEY);

const accountView = (a) => {
  const v = { id: a.id, company: a.company, email: a.email, role: a.role, createdAt: a.createdAt };
  if (a.phone !== undefined) v.phone = a.phone;
  return v;
};

// ---------- helpers ----------
const CODES = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 412: 'precondition_failed', 415: 'unsupported_media_type', 500: 'internal' };
function error(status, message, fields) {
  const e = { code: CODES[status] || 'error', message };
  if (fields && fields.length) e.fields = fields.map((f) => ({ at: String(f.at), message: String(f.message) }));
  return { status, body: { error: e }, headers: { 'Content-Type': 'application/json' } };
}
const RATE = 5000;
const windows = new Map(); // account id -> { minute, used }
function rateHeaders(ctx) {
  if (!ctx.auth) return {};
  const minute = Math.floor(Date.now() / 60000);
  let w = windows.get(ctx.auth.id);
  if (!w || w.minute !== minute) { w = { minute, used: 0 }; windows.set(ctx.auth.id, w); }
  w.used++;
  return { 'RateLimit-Limit': String(RATE), 'RateLimit-Remaining': String(Math.max(0, RATE - w.used)) };
}
const ok = (ctx, status, body, headers = {}) => ({ status, body, headers: { ...rateHeaders(ctx), ...headers } });

const etag = (s) => `"${s.id.slice(0, 8)}-${s.version}"`;
function shipmentView(s) {
  const ps = [...parcels.values()].filter((p) => p.shipmentId === s.id);
  const v = { id: s.id, reference: s.reference, service: s.service, sender: s.sender, recipient: s.recipient };
  for (const k of ['pickupDate', 'tags', 'insuredValue']) if (s[k] !== undefined) v[k] = s[k];
  Object.assign(v, {
    status: s.status, trackingNumber: s.trackingNumber, parcelCount: ps.length,
    totalWeightGrams: ps.reduce((n, p) => n + p.weightGrams, 0), createdAt: s.createdAt, updatedAt: s.updatedAt,
  });
  return v;
}
const parcelView = (p) => { const { shipmentId, ...v } = p; return v; };
const eventView = (e) => { const { parcelId, ...v } = e; return v; };

function ownShipment(ctx) {
  const s = shipments.get(ctx.path.shipmentId);
  if (!s || s.deleted || s.ownerId !== ctx.auth.id) return null;
  return s;
}
function ownParcel(ctx, s) {
  const p = parcels.get(ctx.path.parcelId);
  return p && p.shipmentId === s.id ? p : null;
}
const touch = (s) => { s.version++; s.updatedAt = nowIso(Date.now()); };

function page(ctx, items) {
  const offset = ctx.query.offset ?? 0;
  const limit = ctx.query.limit ?? 20;
  const total = items.length;
  const link = (o) => {
    const q = new URLSearchParams();
    for (const [k, v] of ctx.url.searchParams) if (!['api_key', 'offset', 'limit'].includes(k)) q.set(k, v);
    q.set('offset', String(o)); q.set('limit', String(limit));
    return `<${ctx.url.pathname}?${q}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const rels = [`${link(0)}; rel="first"`];
  if (offset > 0) rels.push(`${link(Math.max(0, offset - limit))}; rel="prev"`);
  if (offset + limit < total) rels.push(`${link(offset + limit)}; rel="next"`);
  rels.push(`${link(last)}; rel="last"`);
  return { body: items.slice(offset, offset + limit), headers: { 'X-Total-Count': String(total), Link: rels.join(', ') } };
}

const REFERENCE = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
// FAULT P12: the legacy carrier's reference check (it only looks at the first 26 characters it sends on)
const LEGACY_REFERENCE = /^([A-Z0-9]+-?)+$/;

const address = (a) => {
  const out = {};
  for (const k of ['name', 'line1', 'city', 'postcode', 'country', 'phone']) if (a[k] !== undefined) out[k] = a[k];
  return out;
};

function newShipment(ctx, b) {
  const now = nowIso(Date.now());
  const s = {
    id: crypto.randomUUID(), ownerId: ctx.auth.id, version: 1, deleted: false,
    reference: b.reference, service: b.service, sender: address(b.sender), recipient: address(b.recipient),
    status: 'draft', trackingNumber: null, createdAt: now, updatedAt: now,
  };
  for (const k of ['pickupDate', 'tags', 'insuredValue']) if (b[k] !== undefined) s[k] = b[k];
  shipments.set(s.id, s);
  return s;
}

// ---------- the SQL the buggy listing builds (FAULT P11): a tiny SQLite-like WHERE evaluator ----------
class SqlError extends Error {}
function tokenize(sql) {
  const out = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (sql.startsWith('--', i)) break;
    if (sql.startsWith('/*', i)) { const j = sql.indexOf('*/', i + 2); if (j < 0) break; i = j + 2; continue; }
    if (c === "'") {
      let j = i + 1, s = '';
      for (;;) {
        if (j >= sql.length) throw new SqlError(`unrecognized token: "${sql.slice(i, i + 20)}"`);
        if (sql[j] === "'") { if (sql[j + 1] === "'") { s += "'"; j += 2; continue; } break; }
        s += sql[j++];
      }
      out.push({ t: 'str', v: s }); i = j + 1; continue;
    }
    const num = /^\d+(\.\d+)?/.exec(sql.slice(i));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = /^(<>|!=|<=|>=|=|<|>|\(|\)|,)/.exec(sql.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new SqlError(`near "${c}": syntax error`);
  }
  return out;
}
function parseWhere(sql) {
  const toks = tokenize(sql);
  let i = 0;
  const peek = () => toks[i];
  const kw = (w) => peek() && peek().t === 'id' && peek().v.toUpperCase() === w;
  const near = () => new SqlError(peek() ? `near "${peek().v}": syntax error` : 'incomplete input');
  const or = () => { let l = and(); while (kw('OR')) { i++; const a = l, b = and(); l = (r) => truthy(a(r)) || truthy(b(r)) ? 1 : 0; } return l; };
  const and = () => { let l = not(); while (kw('AND')) { i++; const a = l, b = not(); l = (r) => truthy(a(r)) && truthy(b(r)) ? 1 : 0; } return l; };
  const not = () => { if (kw('NOT')) { i++; const a = not(); return (r) => truthy(a(r)) ? 0 : 1; } return cmp(); };
  const cmp = () => {
    const a = primary();
    if (peek() && peek().t === 'op' && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(peek().v)) {
      const o = toks[i++].v; const b = primary();
      return (r) => compare(o, a(r), b(r));
    }
    if (kw('LIKE')) { i++; const b = primary(); return (r) => like(String(a(r)), String(b(r))); }
    return a;
  };
  const primary = () => {
    const t = peek();
    if (!t) throw near();
    if (t.t === 'str' || t.t === 'num') { i++; return () => t.v; }
    if (t.t === 'op' && t.v === '(') { i++; const e = or(); if (!(peek() && peek().v === ')')) throw near(); i++; return e; }
    if (t.t === 'id' && !['AND', 'OR', 'NOT', 'LIKE'].includes(t.v.toUpperCase())) {
      i++;
      if (peek() && peek().v === '(') throw new SqlError(`no such function: ${t.v}`);
      const col = t.v.toLowerCase();
      if (!['account_id', 'reference', 'status', 'service', 'id'].includes(col)) throw new SqlError(`no such column: ${t.v}`);
      return (r) => r[col];
    }
    throw near();
  };
  const e = or();
  if (i < toks.length) throw near();
  return e;
}
const truthy = (v) => (typeof v === 'number' ? v !== 0 : Number(v) !== 0 && !Number.isNaN(Number(v)));
function compare(o, a, b) {
  const na = typeof a === 'number', nb = typeof b === 'number';
  const c = na && nb ? a - b : na ? -1 : nb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return ({ '=': c === 0, '!=': c !== 0, '<>': c !== 0, '<': c < 0, '>': c > 0, '<=': c <= 0, '>=': c >= 0 })[o] ? 1 : 0;
}
function like(s, pat) {
  const rx = new RegExp(`^${pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
  return rx.test(s) ? 1 : 0;
}

// ---------- handlers ----------
const handlers = {
  createAccount(ctx) {
    const b = ctx.body;
    if ([...accounts.values()].some((a) => a.email.toLowerCase() === b.email.toLowerCase())) return error(409, 'An account with this e-mail exists.', [{ at: 'body/email', message: 'already exists' }]);
    const a = openAccount(b);
    return { status: 201, body: { ...accountView(a), apiKey: a.apiKey }, headers: { Location: '/account' } };
  },
  getAccount(ctx) {
    return ok(ctx, 200, accountView(ctx.auth));
  },
  updateAccount(ctx) {
    const a = ctx.auth, b = ctx.body;
    if (b.email !== undefined && [...accounts.values()].some((x) => x.id !== a.id && x.email.toLowerCase() === b.email.toLowerCase())) return error(409, 'Another account has this e-mail.', [{ at: 'body/email', message: 'already exists' }]);
    for (const k of ['company', 'email', 'phone']) if (b[k] !== undefined) a[k] = b[k];
    if (buggy) {
      // FAULT P09: the raw body's role is applied too (readOnly in the spec)
      const raw = JSON.parse(ctx.rawBody);
      if (raw.role === 'shipper' || raw.role === 'admin') a.role = raw.role;
    }
    return ok(ctx, 200, accountView(a));
  },
  listAllAccounts(ctx) {
    if (!buggy && ctx.auth.role !== 'admin') return error(403, 'Only Parcelpost staff may list accounts.'); // FAULT P08: no role check when buggy
    const p = page(ctx, [...accounts.values()].map(accountView));
    return ok(ctx, 200, p.body, p.headers);
  },
  listShipments(ctx) {
    if (buggy && (ctx.query.limit ?? 20) > 100) {
      // FAULT P01: page buffers are pooled for sizes 1..100 only
      const pool = Array.from({ length: 100 }, () => []);
      pool[(ctx.query.limit ?? 20) - 1].length = 0;
    }
    let rows = [...shipments.values()].filter((s) => !s.deleted).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    if (buggy && ctx.query.q !== undefined) {
      // FAULT P11: the search text is pasted into the SQL text
      let where = `account_id = '${ctx.auth.id}' AND reference LIKE '%${ctx.query.q}%'`;
      if (ctx.query.status) where += ` AND status = '${ctx.query.status}'`;
      let pred;
      try { pred = parseWhere(where); } catch (e) {
        return { status: 500, body: { error: { code: 'internal', message: `SQLITE_ERROR: ${e.message}`, fields: [{ at: 'query', message: `SELECT * FROM shipments WHERE deleted = 0 AND ${where} ORDER BY created_at DESC` }] } }, headers: { 'Content-Type': 'application/json' } };
      }
      rows = rows.filter((s) => truthy(pred({ account_id: s.ownerId, reference: s.reference, status: s.status, service: s.service, id: s.id })));
    } else {
      rows = rows.filter((s) => s.ownerId === ctx.auth.id);
      if (ctx.query.status) rows = rows.filter((s) => s.status === ctx.query.status);
      if (ctx.query.q !== undefined) rows = rows.filter((s) => s.reference.toLowerCase().includes(ctx.query.q.toLowerCase()));
    }
    const p = page(ctx, rows.map(shipmentView));
    return ok(ctx, 200, p.body, p.headers);
  },
  createShipment(ctx) {
    const b = ctx.body;
    if (buggy) {
      if (!LEGACY_REFERENCE.test(b.reference.slice(0, 26)) || !REFERENCE.test(b.reference)) return error(400, 'Invalid body', [{ at: 'body/reference', message: 'must match ^[A-Z0-9]+(-[A-Z0-9]+)*$' }]);
    }
    const s = newShipment(ctx, b);
    return ok(ctx, 201, shipmentView(s), { Location: `/shipments/${s.id}`, ETag: etag(s) });
  },
  bulkCreateShipments(ctx) {
    const list = ctx.body.shipments;
    if (buggy) {
      // the buggy variant's loosened ShipmentInput is re-checked here (P02 and P12 are createShipment's only)
      const fields = [];
      list.forEach((b, i) => {
        if (!REFERENCE.test(b.reference)) fields.push({ at: `body/shipments/${i}/reference`, message: 'must match ^[A-Z0-9]+(-[A-Z0-9]+)*$' });
        if (b.insuredValue !== undefined && b.insuredValue > 5000) fields.push({ at: `body/shipments/${i}/insuredValue`, message: 'must be <= 5000' });
      });
      if (fields.length) return error(400, 'Invalid body', fields);
    }
    const made = list.map((b) => shipmentView(newShipment(ctx, b)));
    if (buggy) for (const v of made) v.status = v.status.toUpperCase(); // FAULT P03: the bulk path answers the storage enum
    return ok(ctx, 201, { created: made });
  },
  getShipment(ctx) {
    // FAULT P05 + P06: the buggy read neither checks the owner nor the deletion mark
    const s = buggy ? shipments.get(ctx.path.shipmentId) : ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    const tag = etag(s);
    const inm = ctx.headers['if-none-match'];
    if (inm !== undefined && (inm.trim() === '*' || inm.split(',').map((x) => x.trim().replace(/^W\//, '')).includes(tag))) return ok(ctx, 304, undefined, { ETag: tag });
    return ok(ctx, 200, shipmentView(s), { ETag: tag });
  },
  updateShipment(ctx) {
    const s = ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    const im = ctx.headers['if-match'];
    if (!buggy && im !== undefined && im.trim() !== '*' && !im.split(',').map((x) => x.trim()).includes(etag(s))) // FAULT P15: If-Match ignored when buggy
      return error(412, 'The shipment changed since that version.', [{ at: 'header/If-Match', message: `current ETag is ${etag(s)}` }]);
    if (s.status !== 'draft') return error(409, 'Only draft shipments can be changed.');
    const b = ctx.body;
    for (const k of ['reference', 'service', 'pickupDate', 'tags', 'insuredValue']) if (b[k] !== undefined) s[k] = b[k];
    if (b.recipient !== undefined) s.recipient = address(b.recipient);
    if (buggy && b.pickupDate !== undefined) {
      // FAULT P04: the date is read as local midnight at the depot (UTC+2) and stored as a UTC date
      s.pickupDate = new Date(`${b.pickupDate}T00:00:00+02:00`).toISOString().slice(0, 10);
    }
    touch(s);
    return ok(ctx, 200, shipmentView(s), { ETag: etag(s) });
  },
  deleteShipment(ctx) {
    const s = ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    if (buggy) { s.deleted = true; return ok(ctx, 204); } // FAULT P05: a soft delete that getShipment does not honour
    shipments.delete(s.id);
    for (const p of [...parcels.values()]) if (p.shipmentId === s.id) {
      parcels.delete(p.id);
      for (const e of [...events.values()]) if (e.parcelId === p.id) events.delete(e.id);
    }
    return ok(ctx, 204);
  },
  dispatchShipment(ctx) {
    const s = ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    if (s.status !== 'draft') return error(409, 'Only draft shipments can be dispatched.');
    s.status = 'dispatched';
    s.trackingNumber = `PP${String(nextTracking++).padStart(10, '0')}`;
    touch(s);
    return ok(ctx, 200, shipmentView(s), { ETag: etag(s) });
  },
  listParcels(ctx) {
    const s = ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    return ok(ctx, 200, [...parcels.values()].filter((p) => p.shipmentId === s.id).map(parcelView));
  },
  addParcel(ctx) {
    const s = ownShipment(ctx);
    if (!s) return error(404, 'No such shipment.');
    if (s.status !== 'draft') return error(409, 'Parcels can be added to draft shipments only.');
    const b = ctx.body;
    let volumetric = 0;
    if (buggy || b.kind !== 'envelope') {
      // FAULT P13: the buggy variant computes a volume for envelopes too (they have no dimensions)
      const d = b.dimensions;
      volumetric = Math.ceil((d.lengthCm * d.widthCm * d.heightCm) / 5);
    }
    const p = { id: nextParcelId++, shipmentId: s.id, kind: b.kind, weightGrams: b.weightGrams };
    for (const k of ['handling', 'description']) if (b[k] !== undefined) p[k] = b[k];
    if (b.kind !== 'envelope') p.dimensions = { lengthCm: b.dimensions.lengthCm, widthCm: b.dimensions.widthCm, heightCm: b.dimensions.heightCm };
    if (b.kind === 'envelope') p.documentsOnly = b.documentsOnly ?? true;
    if (b.kind === 'pallet') p.stackable = b.stackable;
    p.chargeableWeightGrams = Math.max(b.weightGrams, volumetric);
    p.createdAt = nowIso(Date.now());
    parcels.set(p.id, p);
    touch(s);
    return ok(ctx, 201, parcelView(p), { Location: `/shipments/${s.id}/parcels/${p.id}` });
  },
  getParcel(ctx) {
    // FAULT P16: with no (or an unknown) key the buggy read skips the owner check
    const s = buggy && !ctx.auth ? shipments.get(ctx.path.shipmentId) : ownShipment(ctx);
    const p = s && ownParcel(ctx, s);
    if (!p) return error(404, 'No such parcel.');
    return ok(ctx, 200, parcelView(p));
  },
  removeParcel(ctx) {
    // FAULT P07: the buggy delete does not check whose shipment it is
    const s = buggy ? shipments.get(ctx.path.shipmentId) : ownShipment(ctx);
    const p = s && ownParcel(ctx, s);
    if (!p) return error(404, 'No such parcel.');
    parcels.delete(p.id);
    for (const e of [...events.values()]) if (e.parcelId === p.id) events.delete(e.id);
    touch(s);
    return ok(ctx, 204);
  },
  listTrackingEvents(ctx) {
    const s = ownShipment(ctx);
    const p = s && ownParcel(ctx, s);
    if (!p) return error(404, 'No such parcel.');
    const pg = page(ctx, [...events.values()].filter((e) => e.parcelId === p.id).map(eventView));
    return ok(ctx, 200, pg.body, pg.headers);
  },
  addTrackingEvent(ctx) {
    const s = ownShipment(ctx);
    const p = s && ownParcel(ctx, s);
    if (!p) return error(404, 'No such parcel.');
    const b = ctx.body;
    const e = { id: nextEventId++, parcelId: p.id, code: b.code, location: b.location, occurredAt: b.occurredAt };
    if (b.note !== undefined) e.note = b.note;
    e.recordedAt = nowIso(Date.now());
    events.set(e.id, e);
    if (b.code === 'delivered' && s.status === 'dispatched') { s.status = 'delivered'; touch(s); }
    // FAULT P14: the buggy Location leaves out the parcel level
    const loc = buggy ? `/shipments/${s.id}/events/${e.id}` : `/shipments/${s.id}/parcels/${p.id}/events/${e.id}`;
    return ok(ctx, 201, eventView(e), { Location: loc });
  },
  getTrackingEvent(ctx) {
    const s = ownShipment(ctx);
    const p = s && ownParcel(ctx, s);
    const e = p && events.get(ctx.path.eventId);
    if (!e || e.parcelId !== p.id) return error(404, 'No such event.');
    return ok(ctx, 200, eventView(e));
  },
  trackShipment(ctx) {
    const s = [...shipments.values()].find((x) => !x.deleted && x.trackingNumber === ctx.path.trackingNumber);
    if (!s) return error(404, 'No dispatched shipment has this tracking number.');
    const ps = [...parcels.values()].filter((p) => p.shipmentId === s.id).map((p) => p.id);
    const evs = [...events.values()].filter((e) => ps.includes(e.parcelId)).sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
    const v = { trackingNumber: s.trackingNumber, status: s.status, service: s.service, destinationCity: s.recipient.city, parcelCount: ps.length };
    if (evs.length) v.lastEvent = eventView(evs[evs.length - 1]);
    if (buggy) {
      // FAULT P10: the shipper record is serialised whole into the public summary
      const a = accounts.get(s.ownerId);
      v.shipper = { company: a.company, email: a.email, apiKey: a.apiKey };
    }
    return { status: 200, body: v };
  },
};

const server = createServer({
  spec: routeSpec,
  validationSpec: vspec,
  handlers,
  error,
  authenticate(scheme, req, ctx) {
    if (scheme !== 'apiKey') return null;
    const id = keys.get(ctx.url.searchParams.get('api_key') || '');
    return id ? accounts.get(id) : null;
  },
});
listen(server, port, 'Parcelpost', variant);
