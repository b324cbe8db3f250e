// Fleetdesk: a vehicle-fleet maintenance API (OAuth2 client credentials, HAL+JSON, multipart
// uploads, async report jobs). `node server.mjs --port N --variant buggy|clean`; the buggy
// variant carries the faults of FAULTS.md (each marked `F<n>` below), the clean one follows
// openapi.yaml. SELFCHECK=1 checks every response against the spec on stderr.
import http from 'node:http';
import crypto from 'node:crypto';
import { parseArgs, deref, validate, clone } from '../blind-common/lib.mjs';
import spec from './spec.mjs';
import { selectWhere, SqlError } from './sql.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const SELFCHECK = process.env.SELFCHECK === '1';

// OpenAPI 3.0's boolean exclusiveMaximum becomes the numeric form the shared validator reads.
function normalize(node) {
  if (Array.isArray(node)) return node.map(normalize);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalize(v);
  if (out.exclusiveMaximum === true) { out.exclusiveMaximum = out.maximum; delete out.maximum; }
  if (out.exclusiveMinimum === true) { out.exclusiveMinimum = out.minimum; delete out.minimum; }
  return out;
}
const SPEC = normalize(spec);
// F4: the buggy variant's VIN check also takes the 11–16 character VINs of old vehicles.
const VSPEC = clone(SPEC);
if (BUGGY) VSPEC.components.schemas.VehicleInput.properties.vin.pattern = '^[A-HJ-NPR-Z0-9]{11,17}$';

// ---------- state ----------
const TENANTS = { 1: 'Northwind Haulage', 2: 'Bluebay Couriers' };
const CLIENTS = {
  'northwind-dispatch': { secret: 'sandbox-northwind-7Qe2', tenantId: 1, scopes: ['fleet:read', 'fleet:write', 'fleet:admin'] },
  'bluebay-dispatch': { secret: 'sandbox-bluebay-4Kd9', tenantId: 2, scopes: ['fleet:read', 'fleet:write'] },
  'northwind-auditor': { secret: 'sandbox-auditor-2Vx5', tenantId: 1, scopes: ['fleet:read'] },
};
const TOKEN_TTL = 900;
const tokens = new Map(); // token -> { clientId, tenantId, scopes, exp }
const depots = [
  { id: 1, tenantId: 1, name: 'Leeds North', city: 'Leeds', capacity: 40 },
  { id: 2, tenantId: 1, name: 'Hull Docks', city: 'Hull', capacity: 25 },
  { id: 3, tenantId: 2, name: 'Bristol Harbour', city: 'Bristol', capacity: 30 },
];
const T0 = '2026-01-05T08:00:00.000Z';
const vehicles = new Map();
const records = new Map();
const documents = new Map();
const jobs = new Map();
let nextId = { vehicle: 1, record: 1, document: 1, job: 1 };
function seedVehicle(tenantId, v) {
  const id = nextId.vehicle++;
  vehicles.set(id, { id, tenantId, status: 'active', odometerKm: 0, depotId: null, purchasedOn: null, nickname: null, lastServiceOn: null, telematicsKey: crypto.randomBytes(12).toString('hex'), createdAt: T0, ...v });
  return id;
}
function seedRecord(vehicleId, r) {
  const id = nextId.record++;
  records.set(id, { id, vehicleId, technician: null, notes: null, nextDueOn: null, createdAt: T0, deleted: false, ...r });
  refreshLastService(vehicleId);
}
{
  const a = seedVehicle(1, { vin: 'WF0XXXTTGXKY12345', plate: 'NW19-KLM', make: 'Ford', model: 'Transit 350', year: 2019, fuelType: 'diesel', odometerKm: 182400, depotId: 1, purchasedOn: '2019-03-11' });
  const b = seedVehicle(1, { vin: 'VF1MA000564123987', plate: 'NW22-EVA', make: 'Renault', model: 'Master E-Tech', year: 2022, fuelType: 'electric', odometerKm: 40210, depotId: 2, purchasedOn: '2022-09-01', nickname: 'Sparky' });
  seedVehicle(1, { vin: 'WDB9066331S765432', plate: 'NW17-OLD', make: 'Mercedes-Benz', model: 'Sprinter 313', year: 2017, fuelType: 'diesel', status: 'retired', odometerKm: 412000 });
  const c = seedVehicle(2, { vin: 'ZFA25000002345678', plate: 'BB21-DUC', make: 'Fiat', model: 'Ducato', year: 2021, fuelType: 'diesel', odometerKm: 98000, depotId: 3 });
  seedVehicle(2, { vin: 'VF3YD3MFC12876543', plate: 'BB24-BOX', make: 'Peugeot', model: 'Boxer', year: 2024, fuelType: 'hybrid', odometerKm: 12000, depotId: 3, status: 'in_workshop' });
  seedRecord(a, { type: 'oil_change', performedOn: '2026-06-02', odometerKm: 170100, costEur: 149.5, technician: 'R. Okafor', nextDueOn: '2026-12-02' });
  seedRecord(a, { type: 'brakes', performedOn: '2026-09-14', odometerKm: 178800, costEur: 612, technician: 'J. Haas', notes: 'Front discs and pads' });
  seedRecord(b, { type: 'battery', performedOn: '2026-04-20', odometerKm: 31000, costEur: 0, technician: 'M. Lind', notes: 'Warranty check' });
  seedRecord(c, { type: 'tyres', performedOn: '2026-08-30', odometerKm: 95500, costEur: 780.4, technician: 'S. Costa' });
  const body = Buffer.from('Northwind insurance certificate 2026\n');
  documents.set(nextId.document, { id: nextId.document++, vehicleId: a, kind: 'insurance', title: 'Insurance 2026', fileName: 'insurance-2026.txt', contentType: 'text/plain', sizeBytes: body.length, sha256: crypto.createHash('sha256').update(body).digest('hex'), expiresOn: '2027-01-31', uploadedAt: T0 });
}
function refreshLastService(vehicleId) {
  const v = vehicles.get(vehicleId);
  if (!v) return;
  const dates = [...records.values()].filter((r) => r.vehicleId === vehicleId && !r.deleted).map((r) => r.performedOn).sort();
  v.lastServiceOn = dates.length ? dates[dates.length - 1] : null;
}

// ---------- responses ----------
const hal = (status, body, headers = {}) => ({ status, body, headers: { 'Content-Type': 'application/hal+json', ...headers } });
const PROBLEM_TITLES = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error' };
function problem(status, detail, errors, headers = {}) {
  const body = { type: `https://fleetdesk.example/problems/${status}`, title: PROBLEM_TITLES[status], status, detail };
  if (errors && errors.length) body.errors = errors;
  return { status, body, headers: { 'Content-Type': 'application/problem+json', ...headers } };
}
const unauthorized = (detail) => problem(401, detail, null, { 'WWW-Authenticate': 'Bearer realm="fleetdesk", error="invalid_token"' });
const oauthError = (status, error, desc) => ({ status, body: { error, error_description: desc }, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

function vehicleOut(v) {
  const out = {
    id: v.id, vin: v.vin, plate: v.plate, make: v.make, model: v.model, year: v.year, fuelType: v.fuelType, status: v.status,
    odometerKm: v.odometerKm, depotId: v.depotId, purchasedOn: v.purchasedOn, nickname: v.nickname, lastServiceOn: v.lastServiceOn, createdAt: v.createdAt,
    _links: { self: { href: `/vehicles/${v.id}` }, maintenance: { href: `/vehicles/${v.id}/maintenance` }, documents: { href: `/vehicles/${v.id}/documents` } },
  };
  if (v.depotId) out._links.depot = { href: `/depots/${v.depotId}` };
  return out;
}
function recordOut(r) {
  return {
    id: r.id, vehicleId: r.vehicleId, type: r.type, performedOn: r.performedOn, odometerKm: r.odometerKm, costEur: r.costEur,
    technician: r.technician, notes: r.notes, nextDueOn: r.nextDueOn, createdAt: r.createdAt,
    _links: { self: { href: `/vehicles/${r.vehicleId}/maintenance/${r.id}` }, vehicle: { href: `/vehicles/${r.vehicleId}` } },
  };
}
function documentOut(d) {
  const { id, vehicleId, kind, title, fileName, contentType, sizeBytes, sha256, expiresOn, uploadedAt } = d;
  return { id, vehicleId, kind, title, fileName, contentType, sizeBytes, sha256, expiresOn, uploadedAt, _links: { self: { href: `/vehicles/${vehicleId}/documents/${id}` }, vehicle: { href: `/vehicles/${vehicleId}` } } };
}
const depotOut = (d) => ({ id: d.id, name: d.name, city: d.city, capacity: d.capacity, _links: { self: { href: `/depots/${d.id}` }, vehicles: { href: `/vehicles?depotId=${d.id}` } } });
function jobOut(j) {
  const age = Date.now() - j.submittedMs;
  const status = age < 300 ? 'queued' : age < 1000 ? 'running' : 'succeeded';
  const done = status === 'succeeded';
  return {
    id: j.id, kind: 'utilization_report', status, submittedAt: new Date(j.submittedMs).toISOString(),
    finishedAt: done ? new Date(j.submittedMs + 1000).toISOString() : null, result: done ? j.result : null,
    _links: { self: { href: `/jobs/${j.id}` } },
  };
}

/** A HAL page of `items` with `page`/`size`, links in the body and the Link header. */
function page(ctx, basePath, key, items, map) {
  const size = ctx.query.size ?? 20;
  let number = ctx.query.page ?? 1;
  const total = items.length;
  const totalPages = Math.ceil(total / size);
  const slice = items.slice((number - 1) * size, number * size);
  const keep = new URLSearchParams();
  for (const [k, v] of ctx.url.searchParams) if (k !== 'page' && k !== 'size' && ctx.query[k] !== undefined) keep.set(k, v);
  const href = (n) => { const p = new URLSearchParams(keep); p.set('page', String(n)); p.set('size', String(size)); return `${basePath}?${p}`; };
  const links = { self: { href: href(number) }, first: { href: href(1) }, last: { href: href(Math.max(totalPages, 1)) } };
  if (number > 1) links.prev = { href: href(Math.min(number - 1, Math.max(totalPages, 1))) };
  if (number < totalPages) links.next = { href: href(number + 1) };
  const linkHeader = Object.entries(links).map(([rel, l]) => `<${l.href}>; rel="${rel}"`).join(', ');
  return hal(200, { _links: links, _embedded: { [key]: slice.map(map) }, page: { number, size, totalElements: total, totalPages } }, { Link: linkHeader });
}

// ---------- lookups ----------
function ownVehicle(ctx, id = ctx.path.vehicleId) {
  const v = vehicles.get(id);
  return v && v.tenantId === ctx.auth.tenantId ? v : null;
}
const noVehicle = (ctx) => problem(404, `vehicle ${ctx.path.vehicleId} not found`);
function ownRecord(ctx, v) {
  const r = records.get(ctx.path.recordId);
  return r && r.vehicleId === v.id && !r.deleted ? r : null;
}
const noRecord = (ctx) => problem(404, `maintenance record ${ctx.path.recordId} not found`);
const ownDepot = (ctx, id) => depots.find((d) => d.id === id && d.tenantId === ctx.auth.tenantId);

const num = (k) => (a, b) => a[k] - b[k];
const COMPARATORS = { id: num('id'), year: num('year'), odometerKm: num('odometerKm'), make: (a, b) => a.make.localeCompare(b.make) };

// ---------- handlers ----------
const handlers = {
  issueToken(ctx) {
    const f = ctx.body;
    if (f.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    const c = CLIENTS[f.client_id];
    const a = Buffer.from(String(f.client_secret)), b = Buffer.from(c ? c.secret : 'x'.repeat(a.length || 1));
    if (!c || a.length !== b.length || !crypto.timingSafeEqual(a, b)) return oauthError(401, 'invalid_client', 'unknown client or wrong secret');
    let scopes = c.scopes;
    if (f.scope !== undefined && f.scope.trim() !== '') {
      const asked = [...new Set(f.scope.trim().split(/\s+/))];
      if (asked.some((s) => !c.scopes.includes(s))) return oauthError(400, 'invalid_scope', `this client may have: ${c.scopes.join(' ')}`);
      scopes = asked;
    }
    const token = crypto.randomBytes(24).toString('base64url');
    tokens.set(token, { clientId: f.client_id, tenantId: c.tenantId, scopes, exp: Date.now() + TOKEN_TTL * 1000 });
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL, scope: scopes.join(' ') }, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } };
  },

  getCurrentClient(ctx) {
    const a = ctx.auth;
    return hal(200, { clientId: a.clientId, tenant: { id: a.tenantId, name: TENANTS[a.tenantId] }, scopes: a.scopes, _links: { self: { href: '/me' } } });
  },

  listDepots(ctx) {
    return page(ctx, '/depots', 'depots', depots.filter((d) => d.tenantId === ctx.auth.tenantId), depotOut);
  },
  getDepot(ctx) {
    const d = ownDepot(ctx, ctx.path.depotId);
    return d ? hal(200, depotOut(d)) : problem(404, `depot ${ctx.path.depotId} not found`);
  },

  listVehicles(ctx) {
    const q = ctx.query;
    let list = [...vehicles.values()].filter((v) => v.tenantId === ctx.auth.tenantId);
    if (q.q !== undefined) {
      if (BUGGY) {
        // F14: the search is built as SQL text around the caller's words.
        const where = `tenantId = ${ctx.auth.tenantId} AND (make LIKE '%${q.q}%' OR model LIKE '%${q.q}%' OR plate LIKE '%${q.q}%')`;
        try { list = selectWhere([...vehicles.values()], where); } catch (e) {
          if (e instanceof SqlError) return { status: 500, body: { message: `SQLITE_ERROR: ${e.message}`, query: `SELECT * FROM vehicles WHERE ${where}` }, headers: { 'Content-Type': 'application/json' } };
          throw e;
        }
      } else {
        const needle = q.q.toLowerCase();
        list = list.filter((v) => [v.make, v.model, v.plate].some((s) => s.toLowerCase().includes(needle)));
      }
    }
    if (q.status !== undefined) list = list.filter((v) => v.status === q.status);
    if (q.fuelType !== undefined) list = list.filter((v) => v.fuelType === q.fuelType);
    if (q.depotId !== undefined) list = list.filter((v) => v.depotId === q.depotId);
    const sort = q.sort ?? 'id';
    let field;
    // F1: the buggy variant splits "-year" into ["", "year"] and looks up the comparator of "".
    if (BUGGY) [field] = sort.split('-');
    else field = sort.replace(/^-/, '');
    const cmp = COMPARATORS[field];
    const dir = sort.startsWith('-') ? -1 : 1;
    list.sort((a, b) => dir * cmp(a, b) || a.id - b.id);
    return page(ctx, '/vehicles', 'vehicles', list, vehicleOut);
  },

  createVehicle(ctx) {
    const b = ctx.body;
    if (BUGGY && b.purchasedOn !== undefined) {
      // F6: the buggy variant's allow-list forgot purchasedOn.
      return problem(400, 'unknown property', [{ in: 'body', name: 'purchasedOn', message: 'is not allowed' }]);
    }
    if (b.depotId != null && !ownDepot(ctx, b.depotId)) return problem(422, `depot ${b.depotId} is not one of your depots`, [{ in: 'body', name: 'depotId', message: 'unknown depot' }]);
    if ([...vehicles.values()].some((v) => v.tenantId === ctx.auth.tenantId && v.vin === b.vin)) return problem(409, `a vehicle with VIN ${b.vin} already exists`, [{ in: 'body', name: 'vin', message: 'already exists' }]);
    const id = nextId.vehicle++;
    const v = {
      id, tenantId: ctx.auth.tenantId, vin: b.vin, plate: b.plate, make: b.make, model: b.model, year: b.year, fuelType: b.fuelType,
      status: b.status ?? 'active', odometerKm: b.odometerKm ?? 0, depotId: b.depotId ?? null, purchasedOn: b.purchasedOn ?? null,
      nickname: b.nickname ?? null, telematicsKey: b.telematicsKey ?? null, lastServiceOn: null, createdAt: new Date().toISOString(),
    };
    // F16: the buggy variant takes the read-only lastServiceOn from the request.
    if (BUGGY && typeof ctx.raw.lastServiceOn === 'string') v.lastServiceOn = ctx.raw.lastServiceOn;
    vehicles.set(id, v);
    return hal(201, vehicleOut(v), { Location: `/vehicles/${id}` });
  },

  getVehicle(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const out = vehicleOut(v);
    // F15: the buggy variant's single read includes the write-only telematics key.
    if (BUGGY && v.telematicsKey) out.telematicsKey = v.telematicsKey;
    return hal(200, out);
  },

  updateVehicle(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const b = ctx.body;
    if (b.odometerKm !== undefined) {
      // F7: the buggy variant refuses an unchanged odometer reading too.
      const refused = BUGGY ? b.odometerKm <= v.odometerKm : b.odometerKm < v.odometerKm;
      if (refused) return problem(422, `odometerKm may not decrease (now ${v.odometerKm})`, [{ in: 'body', name: 'odometerKm', message: 'may not decrease' }]);
    }
    if (b.depotId != null && !ownDepot(ctx, b.depotId)) return problem(422, `depot ${b.depotId} is not one of your depots`, [{ in: 'body', name: 'depotId', message: 'unknown depot' }]);
    for (const k of ['plate', 'status', 'odometerKm', 'telematicsKey']) if (b[k] !== undefined && b[k] !== null) v[k] = b[k];
    for (const k of ['depotId', 'nickname']) if (b[k] !== undefined) v[k] = b[k];
    return hal(200, vehicleOut(v));
  },

  deleteVehicle(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    vehicles.delete(v.id);
    for (const [id, r] of records) if (r.vehicleId === v.id) records.delete(id);
    for (const [id, d] of documents) if (d.vehicleId === v.id) documents.delete(id);
    return { status: 204 };
  },

  listMaintenanceRecords(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    let list = [...records.values()].filter((r) => r.vehicleId === v.id && !r.deleted);
    if (ctx.query.type !== undefined) list = list.filter((r) => r.type === ctx.query.type);
    list.sort((a, b) => b.performedOn.localeCompare(a.performedOn) || b.id - a.id);
    // F2: the buggy list formats money as a string with two decimals.
    const map = BUGGY ? (r) => ({ ...recordOut(r), costEur: r.costEur.toFixed(2) }) : recordOut;
    return page(ctx, `/vehicles/${v.id}/maintenance`, 'maintenance', list, map);
  },

  createMaintenanceRecord(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const b = ctx.body;
    const id = nextId.record++;
    const r = { id, vehicleId: v.id, type: b.type, performedOn: b.performedOn, odometerKm: b.odometerKm, costEur: b.costEur, technician: b.technician ?? null, notes: b.notes ?? null, nextDueOn: b.nextDueOn ?? null, createdAt: new Date().toISOString(), deleted: false };
    records.set(id, r);
    refreshLastService(v.id);
    // F10: the buggy Location puts the vehicle id where the record id belongs.
    const location = BUGGY ? `/vehicles/${v.id}/maintenance/${v.id}` : `/vehicles/${v.id}/maintenance/${id}`;
    return hal(201, recordOut(r), { Location: location });
  },

  getMaintenanceRecord(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    let r = ownRecord(ctx, v);
    // F9: the buggy read does not look at the deleted flag.
    if (BUGGY && !r) { const x = records.get(ctx.path.recordId); if (x && x.vehicleId === v.id) r = x; }
    return r ? hal(200, recordOut(r)) : noRecord(ctx);
  },

  replaceMaintenanceRecord(ctx) {
    // F11: the buggy replace finds the vehicle without looking at the tenant.
    const v = BUGGY ? vehicles.get(ctx.path.vehicleId) : ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const r = ownRecord(ctx, v);
    if (!r) return noRecord(ctx);
    const b = ctx.body;
    const next = { type: b.type, performedOn: b.performedOn, odometerKm: b.odometerKm, costEur: b.costEur, technician: b.technician ?? null, notes: b.notes ?? null, nextDueOn: b.nextDueOn ?? null };
    const keptDue = r.nextDueOn;
    Object.assign(r, next);
    refreshLastService(v.id);
    const out = recordOut(r);
    // F8: the buggy replace answers with the new nextDueOn but keeps the old one.
    if (BUGGY) r.nextDueOn = keptDue;
    return hal(200, out);
  },

  deleteMaintenanceRecord(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const r = ownRecord(ctx, v);
    if (!r) return noRecord(ctx);
    if (BUGGY) r.deleted = true; else records.delete(r.id);
    refreshLastService(v.id);
    return { status: 204 };
  },

  listVehicleDocuments(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    let list = [...documents.values()].filter((d) => d.vehicleId === v.id);
    if (ctx.query.kind !== undefined) list = list.filter((d) => d.kind === ctx.query.kind);
    return page(ctx, `/vehicles/${v.id}/documents`, 'documents', list, documentOut);
  },

  uploadVehicleDocument(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const f = ctx.form;
    const file = f.files.file || { filename: 'file', contentType: 'application/octet-stream', data: Buffer.from(f.fields.file ?? '') };
    if (file.data.length > 1048576) return problem(400, 'the file is larger than 1 MiB', [{ in: 'body', name: 'file', message: 'at most 1 MiB' }]);
    const id = nextId.document++;
    const d = {
      id, vehicleId: v.id, kind: ctx.body.kind, title: ctx.body.title ?? null, fileName: file.filename || 'file', contentType: file.contentType || 'application/octet-stream',
      sizeBytes: file.data.length, sha256: crypto.createHash('sha256').update(file.data).digest('hex'), expiresOn: ctx.body.expiresOn ?? null, uploadedAt: new Date().toISOString(),
    };
    documents.set(id, d);
    return hal(201, documentOut(d), { Location: `/vehicles/${v.id}/documents/${id}` });
  },

  getVehicleDocument(ctx) {
    const v = ownVehicle(ctx);
    if (!v) return noVehicle(ctx);
    const d = documents.get(ctx.path.documentId);
    return d && d.vehicleId === v.id ? hal(200, documentOut(d)) : problem(404, `document ${ctx.path.documentId} not found`);
  },

  requestUtilizationReport(ctx) {
    const b = ctx.body;
    if (b.from > b.to) return problem(422, '`from` is after `to`', [{ in: 'body', name: 'to', message: 'must not be before from' }]);
    if (b.depotId !== undefined && !ownDepot(ctx, b.depotId)) return problem(422, `depot ${b.depotId} is not one of your depots`, [{ in: 'body', name: 'depotId', message: 'unknown depot' }]);
    const fleet = [...vehicles.values()].filter((v) => v.tenantId === ctx.auth.tenantId && (b.depotId === undefined || v.depotId === b.depotId));
    const groups = new Map();
    for (const v of fleet) {
      const key = b.groupBy === 'vehicle' ? String(v.id) : b.groupBy === 'depot' ? String(v.depotId ?? 'unassigned') : v.fuelType;
      const g = groups.get(key) || { key, vehicles: 0, maintenanceCostEur: 0 };
      g.vehicles++;
      for (const r of records.values()) if (r.vehicleId === v.id && !r.deleted && r.performedOn >= b.from && r.performedOn <= b.to) g.maintenanceCostEur = Math.round((g.maintenanceCostEur + r.costEur) * 100) / 100;
      groups.set(key, g);
    }
    const id = nextId.job++;
    const job = { id, tenantId: ctx.auth.tenantId, submittedMs: Date.now(), result: { groupBy: b.groupBy, rows: [...groups.values()] } };
    jobs.set(id, job);
    // F3: the buggy variant answers 200 instead of 202.
    return hal(BUGGY ? 200 : 202, jobOut(job), { Location: `/jobs/${id}`, 'Retry-After': '1' });
  },

  getJob(ctx) {
    const j = jobs.get(ctx.path.jobId);
    // F13: (buggy) a caller without a valid token reaches any job: see `publicInBuggy`.
    if (!j || (ctx.auth && j.tenantId !== ctx.auth.tenantId)) return problem(404, `job ${ctx.path.jobId} not found`);
    return hal(200, jobOut(j));
  },
};
// Operations whose security the buggy variant skips when no valid token comes (F13).
const publicInBuggy = new Set(['getJob']);
// Operations whose scope the buggy variant does not check (F12: any valid token will do).
const scopeSkippedInBuggy = new Set(['createMaintenanceRecord']);

// ---------- request parsing ----------
function coerce(schema, raw) {
  const s = deref(SPEC, schema) || {};
  if (s.type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (s.type === 'number') return /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : raw;
  if (s.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}
function parseMultipart(buf, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return null;
  const boundary = Buffer.from(`--${(m[1] || m[2]).trim()}`);
  const out = { fields: {}, files: {} };
  let pos = buf.indexOf(boundary);
  if (pos < 0) return null;
  for (;;) {
    pos += boundary.length;
    if (buf.slice(pos, pos + 2).toString() === '--') break;
    const next = buf.indexOf(boundary, pos);
    if (next < 0) return null;
    let part = buf.slice(pos, next);
    if (part.slice(0, 2).toString() === '\r\n') part = part.slice(2);
    if (part.slice(-2).toString() === '\r\n') part = part.slice(0, -2);
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) return null;
    const head = part.slice(0, sep).toString('utf8');
    const data = part.slice(sep + 4);
    const disp = /content-disposition:[^\r\n]*/i.exec(head);
    const name = disp && /\bname="([^"]*)"/i.exec(disp[0]);
    if (!name) return null;
    const filename = disp && /\bfilename="([^"]*)"/i.exec(disp[0]);
    const ct = /content-type:\s*([^\r\n]+)/i.exec(head);
    if (filename) out.files[name[1]] = { filename: filename[1], contentType: ct ? ct[1].trim() : 'application/octet-stream', data };
    else out.fields[name[1]] = data.toString('utf8');
    pos = next;
  }
  return out;
}
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => { size += c.length; if (size <= 2 << 20) chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}
const errsOut = (errs, where) => errs.map((e) => ({ in: where, name: e.at.replace(/^\//, '') || where, message: e.message }));

// ---------- router ----------
const routes = Object.entries(spec.paths).map(([p, item]) => {
  const names = [];
  const rx = new RegExp(`^${p.replace(/\{([^}]+)\}/g, (_, n) => { names.push(n); return '([^/]+)'; })}/?$`);
  return { p, item, rx, names };
});
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function authenticate(req) {
  const h = req.headers.authorization || '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) return { error: 'missing bearer token' };
  const t = tokens.get(m[1]);
  if (!t) return { error: 'unknown token' };
  if (t.exp <= Date.now()) { tokens.delete(m[1]); return { error: 'expired token' }; }
  return { principal: t };
}

async function handle(req, url, route) {
  if (!route) return problem(404, `no route for ${url.pathname}`);
  const method = req.method.toLowerCase();
  const op = route.item[method];
  if (!op) {
    const p = problem(405, `${req.method} is not supported here`);
    return { ...p, headers: { ...p.headers, Allow: METHODS.filter((x) => route.item[x]).map((x) => x.toUpperCase()).join(', ') } };
  }
  const id = op.operationId;
  const ctx = { req, url, path: {}, query: {}, body: undefined, raw: undefined, auth: null };
  const m = route.rx.exec(url.pathname);
  route.names.forEach((n, i) => { ctx.path[n] = m[i + 1]; });
  const rawBody = await readBody(req);

  const scopes = op.security ? (op.security[0] ? op.security[0].oauth2 : null) : null;
  if (scopes) {
    const a = authenticate(req);
    if (a.principal) ctx.auth = a.principal;
    else if (!(BUGGY && publicInBuggy.has(id))) return unauthorized(a.error);
    if (ctx.auth && !scopes.every((s) => ctx.auth.scopes.includes(s)) && !(BUGGY && scopeSkippedInBuggy.has(id))) {
      return problem(403, `this operation needs the scope ${scopes.join(' ')}`);
    }
  }

  const vop = deref(VSPEC, VSPEC.paths[route.p][method]);
  const params = [...(route.item.parameters || []), ...(op.parameters || [])].map((p) => deref(VSPEC, p));
  const errs = [];
  for (const p of params) {
    let raw = p.in === 'path' ? ctx.path[p.name] : p.in === 'query' ? (url.searchParams.has(p.name) ? url.searchParams.get(p.name) : undefined) : undefined;
    if (raw === undefined) { if (p.required) errs.push({ in: p.in, name: p.name, message: 'is required' }); continue; }
    if (p.in === 'path') { try { raw = decodeURIComponent(raw); } catch { errs.push({ in: 'path', name: p.name, message: 'bad encoding' }); continue; } }
    const v = coerce(p.schema, raw);
    for (const e of validate(VSPEC, p.schema, v)) errs.push({ in: p.in, name: p.name, message: e.message });
    (p.in === 'path' ? ctx.path : ctx.query)[p.name] = v;
  }
  if (errs.length) return id === 'issueToken' ? oauthError(400, 'invalid_request', errs[0].message) : problem(400, 'invalid parameters', errs);

  const rb = vop.requestBody;
  if (rb) {
    const ctHeader = req.headers['content-type'] || '';
    const ct = ctHeader.split(';')[0].trim().toLowerCase();
    const bad = (status, detail, e) => (id === 'issueToken' ? oauthError(status, 'invalid_request', detail) : problem(status, detail, e));
    if (!rawBody.length) return bad(400, 'a request body is required', [{ in: 'body', name: 'body', message: 'is required' }]);
    const media = rb.content[ct];
    if (!media) return bad(415, `send ${Object.keys(rb.content).join(' or ')}`, [{ in: 'header', name: 'Content-Type', message: `must be ${Object.keys(rb.content).join(' or ')}` }]);
    let parsed;
    if (ct === 'application/x-www-form-urlencoded') {
      parsed = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
      if (id === 'issueToken' && parsed.grant_type !== undefined && parsed.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    } else if (ct === 'multipart/form-data') {
      const form = parseMultipart(rawBody, ctHeader);
      if (!form) return bad(400, 'malformed multipart body', [{ in: 'body', name: 'body', message: 'malformed multipart/form-data' }]);
      ctx.form = form;
      parsed = { ...form.fields };
      if (form.files.file) parsed.file = '(binary)';
      // F5: the buggy title check backtracks on a long title that ends in a character it refuses.
      if (BUGGY && typeof parsed.title === 'string') /^([A-Za-z0-9 ._()-]+)*$/.test(parsed.title.slice(-28));
    } else {
      try { parsed = JSON.parse(rawBody.toString('utf8')); } catch { return bad(400, 'malformed JSON', [{ in: 'body', name: 'body', message: 'malformed JSON' }]); }
    }
    const berrs = validate(VSPEC, media.schema, parsed, 'request');
    if (berrs.length) {
      if (id === 'issueToken') return oauthError(400, 'invalid_request', berrs.map((e) => `${e.at.replace(/^\//, '') || 'body'} ${e.message}`).join('; '));
      return problem(400, 'invalid body', errsOut(berrs, 'body'));
    }
    ctx.raw = parsed;
    ctx.body = stripReadOnly(media.schema, parsed);
  }
  return handlers[id](ctx);
}
function stripReadOnly(schema, value) {
  const s = deref(SPEC, schema);
  if (!s || !s.properties || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(s.properties[k] && deref(SPEC, s.properties[k]).readOnly)));
}

// ---------- SELFCHECK ----------
function selfcheck(req, route, out) {
  const op = route && route.item[req.method.toLowerCase()];
  if (!op) return;
  const where = `SELFCHECK ${req.method} ${req.url} ${out.status}`;
  const r = deref(SPEC, op.responses[String(out.status)]);
  if (!r) { process.stderr.write(`${where}: undocumented status\n`); return; }
  const ct = out.headers && out.headers['Content-Type'];
  if (r.content) {
    const media = r.content[ct];
    if (!media) { process.stderr.write(`${where}: content type ${ct} not documented\n`); return; }
    const e = validate(SPEC, media.schema, out.body, 'response');
    if (e.length) process.stderr.write(`${where}: ${JSON.stringify(e.slice(0, 3))}\n`);
  } else if (out.body !== undefined) process.stderr.write(`${where}: body on a response without content\n`);
  for (const [hn, h] of Object.entries(r.headers || {})) {
    if (deref(SPEC, h).required && !Object.keys(out.headers || {}).some((k) => k.toLowerCase() === hn.toLowerCase())) process.stderr.write(`${where}: header ${hn} missing\n`);
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const route = routes.find((r) => r.rx.test(url.pathname));
  let out;
  try { out = await handle(req, url, route); } catch (e) {
    if (process.env.DEBUG) process.stderr.write(`${e.stack}\n`);
    out = { status: 500, body: { message: `TypeError: ${e.message}` }, headers: { 'Content-Type': 'application/json' } };
  }
  if (SELFCHECK && !BUGGY) selfcheck(req, route, out);
  const headers = { ...(out.headers || {}) };
  let payload = '';
  if (out.body !== undefined && out.status !== 204) payload = JSON.stringify(out.body);
  else delete headers['Content-Type'];
  res.writeHead(out.status, headers);
  res.end(payload);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`Fleetdesk (${variant}) listening on http://127.0.0.1:${server.address().port}\n`));
