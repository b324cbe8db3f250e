// Telemetry API (IoT sites, devices, readings, firmware rollouts, alert rules), Swagger 2.0 under
// /api/v2, HTTP Basic auth. `node server.mjs --variant clean|buggy --port N`.
// The buggy variant carries the 16 faults of FAULTS.md; each is marked `// Dxx` where it lives.
import crypto from 'node:crypto';
import { parseArgs, createServer, listen, clone } from '../blind-common/lib.mjs';
import { swagger, toRouterSpec } from './spec.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const BASE = swagger.basePath;

const spec = toRouterSpec(swagger);
const vspec = clone(spec);
if (BUGGY) {
  delete vspec.paths['/devices/bulk'].post.requestBody.content['application/json'].schema.minItems; // D01
  delete vspec.definitions.AlertRule.properties.severity.enum; // D06
  const lim = vspec.paths['/devices/{deviceId}/readings'].get.parameters.find((p) => p.name === 'limit');
  delete lim.schema.maximum; // D16
}

// ---------- users (fixed accounts; passwords in README of this example) ----------
const sha = (s) => crypto.createHash('sha256').update(s).digest();
const USERS = {
  alice: { username: 'alice', role: 'operator', orgId: 'acme', pw: sha('alice-Telemetry-2026') },
  bob: { username: 'bob', role: 'viewer', orgId: 'globex', pw: sha('bob-Telemetry-2026') },
  carol: { username: 'carol', role: 'operator', orgId: 'globex', pw: sha('carol-Telemetry-2026') },
};

function authenticate(_scheme, req, ctx) {
  const h = req.headers.authorization;
  if (BUGGY && h === undefined && ctx.operationId === 'listReadings') return { username: 'public', role: 'viewer', orgId: null, publicDashboard: true }; // D07
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h || '');
  if (!m) return null;
  const dec = Buffer.from(m[1], 'base64').toString('utf8');
  const i = dec.indexOf(':');
  if (i < 0) return null;
  const u = USERS[dec.slice(0, i)];
  if (!u || !crypto.timingSafeEqual(u.pw, sha(dec.slice(i + 1)))) return null;
  return u;
}

function error(status, title, details) {
  const codes = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 415: 'unsupported_media_type', 422: 'unprocessable', 500: 'internal' };
  const body = { code: codes[status] || 'error', message: title };
  if (details && details.length) body.details = details.map((d) => ({ field: d.at || d.field || '', message: d.message }));
  const headers = { 'Content-Type': 'application/json' };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="telemetry", charset="UTF-8"';
  return { status, body, headers };
}
const notFound = (what) => error(404, `${what} not found`);
const forbidden = () => error(403, 'Viewers may not change data');
const ok = (status, body, headers) => ({ status, body, headers: { 'Content-Type': 'application/json', ...(headers || {}) } });
const now = () => new Date().toISOString();
const uuid = () => crypto.randomUUID();
const isOperator = (auth) => auth && auth.role === 'operator';
function paged(all, q) {
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 20;
  return { items: all.slice(offset, offset + limit), total: all.length, offset, limit };
}
const byCreated = (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);

// ---------- state ----------
const sites = new Map();
const devices = new Map();
const readings = new Map(); // deviceId -> [reading]
const rollouts = new Map();
const rules = new Map();

function seed() {
  const t = '2026-11-02T08:00:00.000Z';
  for (const [name, tz] of [['Globex plant 1', 'America/Chicago'], ['Globex depot', 'America/Denver']]) {
    const id = uuid();
    sites.set(id, { id, orgId: 'globex', name, timezone: tz, address: 'Springfield', createdAt: t, updatedAt: t });
  }
  const siteId = [...sites.keys()][0];
  const id = uuid();
  devices.set(id, { id, orgId: 'globex', siteId, name: 'Boiler probe', serialNumber: 'GLBX-0001-PX9A', model: 'PX-9', status: 'active', tags: [], firmwareVersion: '1.4.2', secret: 'globex-boiler-secret-0001', createdAt: t, updatedAt: t, deleted: false });
  readings.set(id, [{ id: uuid(), deviceId: id, metric: 'pressure', value: 101.3, unit: 'kPa', recordedAt: t }]);
}
seed();

// ---------- views ----------
function siteView(s) {
  const { orgId, ...rest } = s;
  return { ...rest, orgId };
}
function deviceView(d, { withSecret = false } = {}) {
  const v = { id: d.id, siteId: d.siteId, name: d.name, serialNumber: d.serialNumber, model: d.model, status: d.status, tags: d.tags, firmwareVersion: d.firmwareVersion };
  if (d.lastSeenAt) v.lastSeenAt = d.lastSeenAt;
  v.createdAt = d.createdAt;
  v.updatedAt = d.updatedAt;
  if (withSecret && d.secret !== undefined) v.sharedSecret = d.secret;
  return v;
}
function ruleView(r) {
  const { orgId, ...rest } = r;
  return rest;
}
function rolloutView(r) {
  advanceRollout(r);
  const { orgId, applied, startedMs, ...rest } = r;
  return rest;
}

// ---------- tiny SQL-ish filter (the buggy site search concatenates; D14) ----------
function sqlWhere(sql, row) {
  const toks = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (sql.startsWith('--', i)) break;
    if (c === "'") {
      let s = ''; i++;
      for (;;) {
        if (i >= sql.length) throw new Error(`SQLITE_ERROR: unrecognized token: "'${s}"`);
        if (sql[i] === "'") { if (sql[i + 1] === "'") { s += "'"; i += 2; continue; } i++; break; }
        s += sql[i++];
      }
      toks.push({ t: 'str', v: s }); continue;
    }
    const num = /^\d+(\.\d+)?/.exec(sql.slice(i));
    if (num) { toks.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (id) { const w = id[0].toUpperCase(); toks.push(['AND', 'OR', 'NOT', 'LIKE'].includes(w) ? { t: w } : { t: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = /^(<>|!=|<=|>=|=|<|>|\(|\))/.exec(sql.slice(i));
    if (op) { toks.push({ t: op[0] }); i += op[0].length; continue; }
    throw new Error(`SQLITE_ERROR: near "${sql.slice(i, i + 10)}": syntax error`);
  }
  let k = 0;
  const peek = () => toks[k] && toks[k].t;
  const truthy = (v) => (typeof v === 'number' ? v !== 0 : typeof v === 'boolean' ? v : Number(v) !== 0 && !Number.isNaN(Number(v)));
  function primary() {
    const tk = toks[k++];
    if (!tk) throw new Error('SQLITE_ERROR: incomplete input');
    if (tk.t === '(') { const v = or(); if (peek() !== ')') throw new Error('SQLITE_ERROR: near ")": syntax error'); k++; return v; }
    if (tk.t === 'str' || tk.t === 'num') return tk.v;
    if (tk.t === 'id') { if (!(tk.v in row)) throw new Error(`SQLITE_ERROR: no such column: ${tk.v}`); return row[tk.v]; }
    throw new Error(`SQLITE_ERROR: near "${tk.t}": syntax error`);
  }
  function cmp() {
    const a = primary();
    const o = peek();
    if (!['=', '!=', '<>', '<', '>', '<=', '>=', 'LIKE'].includes(o)) return a;
    k++;
    const b = primary();
    if (o === 'LIKE') {
      const rx = new RegExp(`^${String(b).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
      return rx.test(String(a));
    }
    const [x, y] = typeof a === 'number' || typeof b === 'number' ? [Number(a), Number(b)] : [a, b];
    return { '=': x === y, '!=': x !== y, '<>': x !== y, '<': x < y, '>': x > y, '<=': x <= y, '>=': x >= y }[o];
  }
  function not() { if (peek() === 'NOT') { k++; return !truthy(not()); } return cmp(); }
  function and() { let v = truthy(not()); while (peek() === 'AND') { k++; const w = truthy(not()); v = v && w; } return v; }
  function or() { let v = and(); while (peek() === 'OR') { k++; const w = and(); v = v || w; } return v; }
  const v = or();
  if (k < toks.length) throw new Error(`SQLITE_ERROR: near "${toks[k].v ?? toks[k].t}": syntax error`);
  return v;
}

// ---------- rollouts progress with time ----------
function advanceRollout(r) {
  const age = Date.now() - r.startedMs;
  if (age < 150) { r.status = 'queued'; r.progress = 0; return; }
  if (age < 1500) { r.status = 'running'; r.progress = Math.min(99, Math.floor(((age - 150) / 1350) * 100)); return; }
  r.status = 'succeeded';
  r.progress = 100;
  if (!r.applied) {
    r.applied = true;
    r.completedAt = new Date(r.startedMs + 1500).toISOString();
    for (const d of devices.values()) {
      if (d.orgId === r.orgId && d.model === r.model && (!r.siteId || d.siteId === r.siteId) && !d.deleted) {
        d.firmwareVersion = r.firmwareVersion;
        d.updatedAt = now();
      }
    }
  }
}

// ---------- helpers on devices ----------
const liveDevice = (id) => { const d = devices.get(id); return d && (!d.deleted || BUGGY) ? d : undefined; };
function deviceConflict(orgId, serial, exceptId) {
  for (const d of devices.values()) if (d.orgId === orgId && !d.deleted && d.serialNumber === serial && d.id !== exceptId) return true;
  return false;
}
function siteOk(auth, siteId) {
  const s = sites.get(siteId);
  return s && s.orgId === auth.orgId;
}
function deviceFields(b, prev) {
  const f = {
    siteId: b.siteId, name: b.name, serialNumber: b.serialNumber, model: b.model,
    status: b.status ?? 'active', tags: b.tags ?? [],
  };
  if (b.sharedSecret !== undefined) f.secret = b.sharedSecret;
  else if (prev) f.secret = prev.secret;
  if (BUGGY && typeof b.firmwareVersion === 'string') f.firmwareVersion = b.firmwareVersion; // D13
  return f;
}

const handlers = {
  getMe: ({ auth }) => ok(200, { username: auth.username, role: auth.role, orgId: auth.orgId }),

  // ---- sites ----
  listSites: ({ auth, query }) => {
    let all = [...sites.values()];
    if (BUGGY) {
      // D14: the search is concatenated into the WHERE clause
      const where = `orgId = '${auth.orgId}'${query.q !== undefined ? ` AND name LIKE '%${query.q}%'` : ''}`;
      try { all = all.filter((s) => sqlWhere(where, s)); } catch (e) { return ok(500, { code: 'internal', message: e.message }); }
    } else {
      all = all.filter((s) => s.orgId === auth.orgId && (query.q === undefined || s.name.toLowerCase().includes(query.q.toLowerCase())));
    }
    const p = paged(all.sort(byCreated).map(siteView), query);
    if (BUGGY) p.items = p.items.map((s) => ({ ...s, createdAt: Date.parse(s.createdAt) })); // D03
    return ok(200, p);
  },
  createSite: ({ auth, body }) => {
    if (!isOperator(auth)) return forbidden();
    const t = now();
    const s = { id: uuid(), orgId: auth.orgId, name: body.name, timezone: body.timezone, ...(body.address !== undefined ? { address: body.address } : {}), createdAt: t, updatedAt: t };
    sites.set(s.id, s);
    return ok(201, siteView(s), { Location: `${BASE}/sites/${s.id}` });
  },
  getSite: ({ auth, path }) => {
    const s = sites.get(path.siteId);
    if (!s || (!BUGGY && s.orgId !== auth.orgId)) return notFound('Site'); // D10
    return ok(200, siteView(s));
  },
  putSite: ({ auth, path, body }) => {
    if (!isOperator(auth)) return forbidden();
    const prev = sites.get(path.siteId);
    if (prev && prev.orgId !== auth.orgId) return notFound('Site');
    const t = now();
    const next = { id: path.siteId, orgId: auth.orgId, name: body.name, timezone: body.timezone, ...(body.address !== undefined ? { address: body.address } : {}), createdAt: prev ? prev.createdAt : t, updatedAt: t };
    if (prev) {
      const same = ['name', 'timezone', 'address'].every((k) => prev[k] === next[k]);
      if (same) next.updatedAt = prev.updatedAt;
    }
    sites.set(next.id, next);
    return prev ? ok(200, siteView(next)) : ok(201, siteView(next), { Location: `${BASE}/sites/${next.id}` });
  },
  deleteSite: ({ auth, path }) => {
    if (!isOperator(auth)) return forbidden();
    const s = sites.get(path.siteId);
    if (!s || s.orgId !== auth.orgId) return notFound('Site');
    sites.delete(s.id);
    for (const d of [...devices.values()]) if (d.siteId === s.id) { devices.delete(d.id); readings.delete(d.id); }
    if (BUGGY) return ok(200, { deleted: true, id: s.id }); // D04
    return { status: 204 };
  },

  // ---- devices ----
  listDevices: ({ auth, query }) => {
    let match = () => true;
    if (query.q !== undefined) {
      if (BUGGY) {
        const rx = new RegExp(query.q, 'i'); // D02: user text compiled as a regular expression
        match = (d) => rx.test(d.name) || rx.test(d.serialNumber);
      } else {
        const q = query.q.toLowerCase();
        match = (d) => d.name.toLowerCase().includes(q) || d.serialNumber.toLowerCase().includes(q);
      }
    }
    const all = [...devices.values()].filter((d) => !d.deleted && d.orgId === auth.orgId
      && (query.siteId === undefined || d.siteId === query.siteId)
      && (query.status === undefined || d.status === query.status) && match(d));
    return ok(200, paged(all.sort(byCreated).map((d) => deviceView(d)), query));
  },
  createDevice: ({ auth, body }) => {
    if (!isOperator(auth)) return forbidden();
    if (!siteOk(auth, body.siteId)) return error(422, 'Unknown site', [{ at: 'body/siteId', message: 'no such site in your organization' }]);
    if (deviceConflict(auth.orgId, body.serialNumber)) return error(409, 'Serial number already registered', [{ at: 'body/serialNumber', message: 'already exists' }]);
    const t = now();
    const d = { id: uuid(), orgId: auth.orgId, firmwareVersion: '1.0.0', ...deviceFields(body), createdAt: t, updatedAt: t, deleted: false };
    devices.set(d.id, d);
    return ok(201, deviceView(d), { Location: `${BASE}/devices/${d.id}` });
  },
  bulkCreateDevices: ({ auth, body }) => {
    if (!isOperator(auth)) return forbidden();
    if (BUGGY) {
      // D01: the first item's site is preloaded before anything checks there is one
      const first = body[0];
      if (!siteOk(auth, first.siteId)) return error(422, 'Unknown site', [{ at: 'body/0/siteId', message: 'no such site in your organization' }]);
    }
    const serials = new Set();
    for (const [i, b] of body.entries()) {
      if (!siteOk(auth, b.siteId)) return error(422, 'Unknown site', [{ at: `body/${i}/siteId`, message: 'no such site in your organization' }]);
      if (serials.has(b.serialNumber) || deviceConflict(auth.orgId, b.serialNumber)) return error(409, 'Serial number already registered', [{ at: `body/${i}/serialNumber`, message: 'already exists' }]);
      serials.add(b.serialNumber);
    }
    const t = now();
    const created = body.map((b) => {
      const d = { id: uuid(), orgId: auth.orgId, firmwareVersion: '1.0.0', ...deviceFields(b), createdAt: t, updatedAt: t, deleted: false };
      devices.set(d.id, d);
      return deviceView(d);
    });
    return ok(201, { created, count: created.length });
  },
  getDevice: ({ auth, path }) => {
    const d = liveDevice(path.deviceId); // D09: the buggy lookup does not skip deleted devices
    if (!d || d.orgId !== auth.orgId) return notFound('Device');
    return ok(200, deviceView(d, { withSecret: BUGGY })); // D15
  },
  putDevice: ({ auth, path, body }) => {
    if (!isOperator(auth)) return forbidden();
    const prev = devices.get(path.deviceId);
    const live = prev && !prev.deleted ? prev : undefined;
    if (prev && prev.orgId !== auth.orgId) return notFound('Device');
    if (!siteOk(auth, body.siteId)) return error(422, 'Unknown site', [{ at: 'body/siteId', message: 'no such site in your organization' }]);
    if (deviceConflict(auth.orgId, body.serialNumber, path.deviceId)) return error(409, 'Serial number already registered', [{ at: 'body/serialNumber', message: 'already exists' }]);
    const t = now();
    const next = { id: path.deviceId, orgId: auth.orgId, firmwareVersion: live ? live.firmwareVersion : '1.0.0', ...deviceFields(body, live), createdAt: live ? live.createdAt : t, updatedAt: t, deleted: false };
    if (live && live.lastSeenAt) next.lastSeenAt = live.lastSeenAt;
    if (live) {
      const same = ['siteId', 'name', 'serialNumber', 'model', 'status', 'secret', 'firmwareVersion'].every((k) => live[k] === next[k]) && JSON.stringify(live.tags) === JSON.stringify(next.tags);
      if (same) next.updatedAt = live.updatedAt;
    } else readings.delete(path.deviceId);
    devices.set(next.id, next);
    return live ? ok(200, deviceView(next)) : ok(201, deviceView(next), { Location: `${BASE}/devices/${next.id}` });
  },
  deleteDevice: ({ auth, path }) => {
    if (!isOperator(auth)) return forbidden();
    const d = devices.get(path.deviceId);
    if (!d || d.deleted || d.orgId !== auth.orgId) return notFound('Device');
    if (BUGGY) { d.deleted = true; return { status: 204 }; } // D09: soft delete
    devices.delete(d.id);
    readings.delete(d.id);
    return { status: 204 };
  },

  // ---- readings ----
  listReadings: ({ auth, path, query }) => {
    const d = devices.get(path.deviceId);
    if (!d || d.deleted || (!auth.publicDashboard && d.orgId !== auth.orgId)) return notFound('Device'); // D07
    const from = query.from !== undefined ? Date.parse(query.from) : -Infinity;
    const to = query.to !== undefined ? Date.parse(query.to) : Infinity;
    const all = (readings.get(d.id) || []).filter((r) => (query.metric === undefined || r.metric === query.metric)
      && Date.parse(r.recordedAt) >= from && Date.parse(r.recordedAt) < to)
      .sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt));
    return ok(200, paged(all, { offset: query.offset, limit: query.limit ?? 100 })); // D16: the buggy limit has no maximum
  },
  createReading: ({ auth, path, body }) => {
    if (!isOperator(auth)) return forbidden();
    const d = devices.get(path.deviceId);
    if (!d || d.deleted || d.orgId !== auth.orgId) return notFound('Device');
    const r = { id: uuid(), deviceId: d.id, metric: body.metric, value: body.value, ...(body.unit !== undefined ? { unit: body.unit } : {}), recordedAt: body.recordedAt !== undefined ? new Date(Date.parse(body.recordedAt)).toISOString() : now() };
    if (!readings.has(d.id)) readings.set(d.id, []);
    readings.get(d.id).push(r);
    if (!d.lastSeenAt || d.lastSeenAt < r.recordedAt) d.lastSeenAt = r.recordedAt;
    return ok(201, r);
  },

  // ---- rollouts ----
  createRollout: ({ auth, body }) => {
    if (!BUGGY && !isOperator(auth)) return forbidden(); // D12: the buggy variant has no role check here
    if (body.siteId !== undefined && !siteOk(auth, body.siteId)) return error(422, 'Unknown site', [{ at: 'body/siteId', message: 'no such site in your organization' }]);
    const startedMs = Date.now();
    const r = {
      id: uuid(), orgId: auth.orgId, firmwareVersion: body.firmwareVersion, model: body.model,
      ...(body.siteId !== undefined ? { siteId: body.siteId } : {}), ...(body.notes !== undefined ? { notes: body.notes } : {}),
      status: 'queued', progress: 0,
      targetCount: [...devices.values()].filter((d) => d.orgId === auth.orgId && !d.deleted && d.model === body.model && (!body.siteId || d.siteId === body.siteId)).length,
      createdAt: new Date(startedMs).toISOString(), startedMs, applied: false,
    };
    rollouts.set(r.id, r);
    const location = BUGGY ? `/rollouts/${r.id}` : `${BASE}/rollouts/${r.id}`; // D05: the buggy Location drops the base path
    return ok(202, rolloutView(r), { Location: location });
  },
  getRollout: ({ auth, path }) => {
    const r = rollouts.get(path.rolloutId);
    if (!r || r.orgId !== auth.orgId) return notFound('Rollout');
    return ok(200, rolloutView(r));
  },

  // ---- alert rules ----
  listAlertRules: ({ auth, query }) => {
    const all = [...rules.values()].filter((r) => r.orgId === auth.orgId
      && (query.enabled === undefined || r.enabled === query.enabled) && (query.metric === undefined || r.metric === query.metric));
    return ok(200, paged(all.sort(byCreated).map(ruleView), query));
  },
  createAlertRule: ({ auth, body }) => {
    if (!isOperator(auth)) return forbidden();
    if (body.siteId !== undefined && !siteOk(auth, body.siteId)) return error(422, 'Unknown site', [{ at: 'body/siteId', message: 'no such site in your organization' }]);
    const t = now();
    const r = { id: uuid(), orgId: auth.orgId, ...ruleFields(body), createdAt: t, updatedAt: t };
    rules.set(r.id, r);
    return ok(201, ruleView(r), { Location: `${BASE}/alert-rules/${r.id}` });
  },
  getAlertRule: ({ auth, path }) => {
    const r = rules.get(path.ruleId);
    if (!r || r.orgId !== auth.orgId) return notFound('Alert rule');
    return ok(200, ruleView(r));
  },
  putAlertRule: ({ auth, path, body }) => {
    if (!isOperator(auth)) return forbidden();
    const prev = rules.get(path.ruleId);
    if (prev && prev.orgId !== auth.orgId) return notFound('Alert rule');
    if (body.siteId !== undefined && !siteOk(auth, body.siteId)) return error(422, 'Unknown site', [{ at: 'body/siteId', message: 'no such site in your organization' }]);
    const t = now();
    const next = { id: path.ruleId, orgId: auth.orgId, ...ruleFields(body), createdAt: prev ? prev.createdAt : t, updatedAt: t };
    if (prev && JSON.stringify(ruleView({ ...prev, updatedAt: 0 })) === JSON.stringify(ruleView({ ...next, updatedAt: 0 }))) next.updatedAt = prev.updatedAt;
    if (BUGGY && prev) {
      // D08: the replace only writes the columns of the old "rename/toggle" form
      rules.set(prev.id, { ...prev, name: next.name, enabled: next.enabled, updatedAt: next.updatedAt });
      return ok(200, ruleView(next));
    }
    rules.set(next.id, next);
    return prev ? ok(200, ruleView(next)) : ok(201, ruleView(next), { Location: `${BASE}/alert-rules/${next.id}` });
  },
  deleteAlertRule: ({ auth, path }) => {
    if (!BUGGY && !isOperator(auth)) return forbidden(); // D11: no role check ...
    const r = rules.get(path.ruleId);
    if (!r || (!BUGGY && r.orgId !== auth.orgId)) return notFound('Alert rule'); // D11: ... and no organization check
    rules.delete(r.id);
    return { status: 204 };
  },
};

function ruleFields(b) {
  return {
    name: b.name, metric: b.metric, comparison: b.comparison, threshold: b.threshold,
    severity: b.severity ?? 'warning', enabled: b.enabled ?? true, ...(b.siteId !== undefined ? { siteId: b.siteId } : {}),
  };
}

const server = createServer({
  spec, validationSpec: vspec, handlers, error, authenticate,
  keepReadOnly: BUGGY, // D13 reads firmwareVersion from the body
  crashBody: () => ({ code: 'internal', message: 'Internal Server Error' }),
});
listen(server, port, 'Telemetry API', variant);
