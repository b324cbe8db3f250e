// Specimen Tracker: a lab-sample tracking API in JSON:API style, with cookie sessions and a CSRF
// header on writes, JSON Patch updates, a oneOf (discriminator) event body and soft deletes (410).
//   node server.mjs --variant buggy|clean --port 4080      (SELFCHECK=1 checks every answer against openapi.yaml)
// The buggy variant carries the faults listed in FAULTS.md (F01…F16, marked in the code).
import crypto from 'node:crypto';
import { parseArgs, createServer, listen, validate, hashPassword } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const JSONAPI = 'application/vnd.api+json';
const S = spec.components.schemas;

// The buggy variant's validator forgets the barcode pattern (F04).
const vspec = JSON.parse(JSON.stringify(spec));
if (BUGGY) delete vspec.components.schemas.SampleAttributes.properties.barcode.pattern;

// ---------- responses ----------
function source(at) {
  if (!at) return {};
  const [loc, ...rest] = at.split('/');
  if (loc === 'body') return { source: { pointer: at.slice(4) } };
  if ((loc === 'query' || loc === 'path') && rest[0]) return { source: { parameter: rest[0] } };
  if (loc === 'header' && rest[0]) return { source: { header: rest[0] } };
  if (loc.startsWith('/')) return { source: { pointer: at } };
  return {};
}
function jerr(status, title, details = []) {
  const errors = details.length
    ? details.map((d) => ({ status: String(status), title, detail: d.message, ...source(d.at) }))
    : [{ status: String(status), title }];
  return { status, body: { errors }, headers: { 'Content-Type': JSONAPI } };
}
const ok = (status, body, headers = {}) => ({ status, body, headers: { 'Content-Type': JSONAPI, ...headers } });
const now = () => new Date().toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------- state ----------
const users = new Map(); // id -> user
const byName = new Map(); // lower-case username -> user
const sessions = new Map(); // sid -> { userId, csrf, expiresAt }
const samples = new Map();
const containers = new Map();
const events = new Map(); // sampleId -> [event]
const failures = new Map(); // lower-case username -> [failure times]
let settings = { labName: 'North wing biobank', retentionDays: 365, notifyEmail: 'lab-admin@lab.example' };
const WINDOW_MS = 15 * 60 * 1000;

function addUser(username, email, password, role) {
  const salt = crypto.randomBytes(8).toString('hex');
  const u = { id: crypto.randomUUID(), username, email, role, createdAt: now(), hash: hashPassword(password, salt), salt };
  users.set(u.id, u);
  byName.set(username.toLowerCase(), u);
  return u;
}
const alice = addUser('alice', 'alice@lab.example', 'alice-bench-2024', 'technician');
const bob = addUser('bob', 'bob@lab.example', 'bob-bench-2024', 'technician');
addUser('carol', 'carol@lab.example', 'carol-bench-2024', 'admin');
function seedContainer(owner, name) {
  const c = { id: crypto.randomUUID(), ownerId: owner.id, name, temperatureC: -80, capacity: 81, createdAt: now(), deletedAt: null };
  containers.set(c.id, c);
  return c;
}
function seedSample(owner, label, kind, barcode, containerId = null) {
  const t = now();
  const s = { id: crypto.randomUUID(), ownerId: owner.id, label, kind, barcode, volumeMl: 10, collectedAt: '2026-11-30T08:15:00Z', notes: null, status: 'registered', location: null, containerId, createdAt: t, updatedAt: t, deletedAt: null };
  samples.set(s.id, s);
  events.set(s.id, []);
  return s;
}
const box = seedContainer(alice, 'Freezer 1 box 1');
seedSample(alice, 'Patient 3 baseline', 'serum', 'LS-00000001', box.id);
seedSample(alice, 'Patient 4 follow-up', 'plasma', 'LS-00000002');
seedSample(bob, 'Donor 12 biopsy', 'tissue', 'LS-00000003');

// ---------- serializers ----------
const userRes = (u) => ({
  type: 'users', id: u.id,
  attributes: { username: u.username, email: u.email, role: u.role, createdAt: u.createdAt },
});
const sampleCount = (c) => [...samples.values()].filter((s) => s.containerId === c.id && !s.deletedAt).length;
const containerRes = (c) => ({
  type: 'containers', id: c.id,
  attributes: { name: c.name, temperatureC: c.temperatureC, capacity: c.capacity, sampleCount: sampleCount(c), createdAt: c.createdAt },
  relationships: { owner: { data: { type: 'users', id: c.ownerId } } },
  links: { self: `/containers/${c.id}` },
});
const sampleRes = (s) => ({
  type: 'samples', id: s.id,
  attributes: { label: s.label, kind: s.kind, barcode: s.barcode, volumeMl: s.volumeMl, collectedAt: s.collectedAt, notes: s.notes, status: s.status, location: s.location, createdAt: s.createdAt, updatedAt: s.updatedAt },
  relationships: { owner: { data: { type: 'users', id: s.ownerId } }, container: { data: s.containerId ? { type: 'containers', id: s.containerId } : null } },
  links: { self: `/samples/${s.id}` },
});
function included(rows, include) {
  if (!include) return undefined;
  const want = include.split(',');
  const out = [];
  const seen = new Set();
  for (const s of rows) {
    if (want.includes('owner') && !seen.has(s.ownerId)) {
      seen.add(s.ownerId);
      const owner = users.get(s.ownerId);
      const r = userRes(owner);
      if (BUGGY) r.attributes.passwordHash = owner.hash; // F12: the included owner is the whole user row
      out.push(r);
    }
    if (want.includes('container') && s.containerId && !seen.has(s.containerId)) { seen.add(s.containerId); out.push(containerRes(containers.get(s.containerId))); }
  }
  return out;
}
const eventRes = (e) => {
  const { id, sampleId, ...attributes } = e;
  return { type: 'sample-events', id, attributes, relationships: { sample: { data: { type: 'samples', id: sampleId } } } };
};

// ---------- deepObject query parameters (filter[...], page[...]) ----------
function deepParam(ctx, name) {
  const out = {};
  for (const [k, v] of ctx.url.searchParams) {
    const m = /^([^[]+)\[([^\]]+)\]$/.exec(k);
    if (m && m[1] === name) out[m[2]] = v;
  }
  const schema = spec.paths[name === 'filter' ? '/samples' : '/containers'].get.parameters.find((p) => p.name === name).schema;
  const props = schema.properties;
  for (const k of Object.keys(out)) {
    const t = props[k] && props[k].type;
    if (t === 'integer' && /^-?\d+$/.test(out[k])) out[k] = Number(out[k]);
  }
  const errs = validate(spec, schema, out, 'request').map((e) => ({ at: `query/${name}[${e.at.split('/')[1] || ''}]`, message: e.message }));
  return { value: out, errs };
}
function paging(ctx, basePath, rows) {
  const { value: p, errs } = deepParam(ctx, 'page');
  if (errs.length) return { error: jerr(400, 'Invalid parameters', errs) };
  const number = p.number || 1;
  const size = p.size || 20;
  const last = Math.max(1, Math.ceil(rows.length / size));
  const href = (n) => `${basePath}?page[number]=${n}&page[size]=${size}`;
  const links = { self: href(number), first: href(1), last: href(last) };
  if (number > 1) links.prev = href(Math.min(number - 1, last));
  if (number < last) links.next = href(number + 1);
  return { page: rows.slice((number - 1) * size, number * size), links, meta: { total: rows.length, page: { number, size } } };
}

// ---------- F13: a label filter concatenated into SQL (emulated) ----------
function sqlLabelFilter(label) {
  const cut = label.split(/--|#/)[0];
  const commented = cut.length !== label.length;
  const quotes = (cut.match(/'/g) || []).length;
  // LIKE '%<label>%': the opening quote, the label's quotes, the closing one (unless commented out)
  if ((1 + quotes + (commented ? 0 : 1)) % 2 === 1) return { error: `SQLITE_ERROR: near "${cut.slice(cut.indexOf("'"), cut.indexOf("'") + 12)}": syntax error` };
  if (!cut.includes("'")) return { term: cut };
  const rest = cut.slice(cut.indexOf("'") + 1);
  const cmp = /\b(or|and)\s+'?([\w]+)'?\s*=\s*'?([\w]+)'?/i.exec(rest);
  if (cmp && cmp[1].toLowerCase() === 'or' && cmp[2] === cmp[3]) return { all: true };
  if (cmp && cmp[1].toLowerCase() === 'and' && cmp[2] !== cmp[3]) return { none: true };
  return { term: cut.slice(0, cut.indexOf("'")) };
}

// ---------- auth ----------
function cookies(header) {
  const out = {};
  for (const part of String(header || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
function authenticate(name, req, ctx) {
  if (name !== 'sessionCookie') return null;
  const sid = cookies(req.headers.cookie).lab_session;
  const s = sid && sessions.get(sid);
  if (!s || s.expiresAt < Date.now()) return null;
  const u = users.get(s.userId);
  if (!u) return null;
  const needsCsrf = (ctx.op.security || spec.security).some((r) => 'csrfHeader' in r);
  if (needsCsrf && req.headers['x-csrf-token'] !== s.csrf) return null;
  return { user: u, sid };
}
const me = (ctx) => ctx.auth.user;

function visibleSample(ctx, { anyOwner = false, deletedToo = false } = {}) {
  const s = samples.get(ctx.path.sampleId);
  if (!s || (!anyOwner && s.ownerId !== me(ctx).id)) return { error: jerr(404, 'Not found', [{ at: 'path/sampleId', message: 'no such sample' }]) };
  if (s.deletedAt && !deletedToo) return { error: jerr(410, 'Gone', [{ at: 'path/sampleId', message: 'the sample was deleted' }]) };
  return { s };
}
function visibleContainer(ctx, { anyOwner = false } = {}) {
  const c = containers.get(ctx.path.containerId);
  if (!c || (!anyOwner && c.ownerId !== me(ctx).id)) return { error: jerr(404, 'Not found', [{ at: 'path/containerId', message: 'no such container' }]) };
  if (c.deletedAt) return { error: jerr(410, 'Gone', [{ at: 'path/containerId', message: 'the container was deleted' }]) };
  return { c };
}
const forbidden = () => jerr(403, 'Forbidden', [{ at: '', message: 'this operation needs the admin role' }]);

// ---------- handlers ----------
const handlers = {
  signUp(ctx) {
    const a = ctx.body.data.attributes;
    if (byName.has(a.username.toLowerCase())) return jerr(409, 'Conflict', [{ at: 'body/data/attributes/username', message: 'username already exists' }]);
    if ([...users.values()].some((u) => u.email.toLowerCase() === a.email.toLowerCase())) return jerr(409, 'Conflict', [{ at: 'body/data/attributes/email', message: 'email already exists' }]);
    let role = 'technician';
    if (BUGGY) { // F11: the raw document's role is taken over
      try { const r = JSON.parse(ctx.rawBody).data.attributes.role; if (r === 'admin' || r === 'technician') role = r; } catch { /* keep */ }
    }
    const u = addUser(a.username, a.email, a.password, role);
    return ok(201, { data: userRes(u) });
  },

  signIn(ctx) {
    const { username, password } = ctx.body.data.attributes;
    const key = username.toLowerCase();
    const t = Date.now();
    const recent = (failures.get(key) || []).filter((x) => t - x < WINDOW_MS);
    failures.set(key, recent);
    if (!BUGGY && recent.length >= 5) { // F15: the buggy variant never throttles
      const e = jerr(429, 'Too many failed sign-ins', [{ at: 'body/data/attributes/username', message: 'try again later' }]);
      return { ...e, headers: { ...e.headers, 'Retry-After': String(Math.ceil((recent[0] + WINDOW_MS - t) / 1000)) } };
    }
    const u = byName.get(key);
    if (!u && BUGGY) return jerr(404, 'No such user', [{ at: 'body/data/attributes/username', message: `no account named ${username}` }]); // F14
    const hash = hashPassword(password, u ? u.salt : 'no-such-user');
    if (!u || hash !== u.hash) {
      recent.push(t);
      return jerr(401, 'Invalid credentials', [{ at: 'body/data/attributes', message: 'wrong username or password' }]);
    }
    failures.delete(key);
    const sid = crypto.randomBytes(24).toString('base64url');
    const csrf = crypto.randomBytes(18).toString('base64url');
    const expiresAt = t + 12 * 3600 * 1000;
    sessions.set(sid, { userId: u.id, csrf, expiresAt });
    return ok(201, {
      data: { type: 'sessions', id: crypto.createHash('sha256').update(sid).digest('hex').slice(0, 16), attributes: { csrfToken: csrf, expiresAt: new Date(expiresAt).toISOString() }, relationships: { user: { data: { type: 'users', id: u.id } } } },
    }, { 'Set-Cookie': `lab_session=${sid}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200` });
  },

  signOut(ctx) {
    sessions.delete(ctx.auth.sid);
    return { status: 204 };
  },

  getCurrentUser(ctx) {
    return ok(200, { data: userRes(me(ctx)) });
  },

  listSamples(ctx) {
    const { value: f, errs } = deepParam(ctx, 'filter');
    if (errs.length) return jerr(400, 'Invalid parameters', errs);
    let rows = [...samples.values()].filter((s) => s.ownerId === me(ctx).id && !s.deletedAt);
    if (f.status) rows = rows.filter((s) => s.status === f.status);
    if (f.kind) rows = rows.filter((s) => s.kind === f.kind);
    if (f.label !== undefined) {
      if (BUGGY) { // F13
        const q = sqlLabelFilter(f.label);
        if (q.error) return { status: 500, body: { errors: [{ status: '500', title: 'Internal Server Error', detail: q.error }] }, headers: { 'Content-Type': JSONAPI } };
        if (q.all) rows = [...samples.values()];
        else if (q.none) rows = [];
        else rows = rows.filter((s) => s.label.toLowerCase().includes(q.term.toLowerCase()));
      } else rows = rows.filter((s) => s.label.toLowerCase().includes(f.label.toLowerCase()));
    }
    const sort = ctx.query.sort;
    if (sort) {
      const k = sort.replace(/^-/, '');
      const dir = sort.startsWith('-') ? -1 : 1;
      rows = [...rows].sort((a, b) => (a[k] < b[k] ? -dir : a[k] > b[k] ? dir : 0));
    }
    const p = paging(ctx, '/samples', rows);
    if (p.error) return p.error;
    const inc = included(p.page, ctx.query.include);
    return ok(200, { data: p.page.map(sampleRes), ...(inc ? { included: inc } : {}), links: p.links, meta: p.meta });
  },

  createSample(ctx) {
    const { attributes: a, relationships: rel } = ctx.body.data;
    if ([...samples.values()].some((s) => s.barcode === a.barcode)) return jerr(409, 'Conflict', [{ at: 'body/data/attributes/barcode', message: 'barcode already exists' }]);
    let containerId = null;
    const cref = rel && rel.container && rel.container.data;
    if (cref) {
      const c = containers.get(cref.id);
      if (!c || c.ownerId !== me(ctx).id || c.deletedAt) return jerr(422, 'Unprocessable', [{ at: 'body/data/relationships/container/data/id', message: 'no such container' }]);
      if (sampleCount(c) >= c.capacity) return jerr(422, 'Unprocessable', [{ at: 'body/data/relationships/container/data/id', message: 'the container is full' }]);
      containerId = c.id;
    }
    const t = now();
    const s = { id: crypto.randomUUID(), ownerId: me(ctx).id, label: a.label, kind: a.kind, barcode: a.barcode, volumeMl: a.volumeMl, collectedAt: a.collectedAt, notes: a.notes === undefined ? null : a.notes, status: 'registered', location: null, containerId, createdAt: t, updatedAt: t, deletedAt: null };
    samples.set(s.id, s);
    events.set(s.id, []);
    return ok(201, { data: sampleRes(s) }, { Location: `/samples/${s.id}` });
  },

  getSample(ctx) {
    // F08: any owner; F06: deleted samples are still served
    const { s, error } = visibleSample(ctx, BUGGY ? { anyOwner: true, deletedToo: true } : {});
    if (error) return error;
    const data = sampleRes(s);
    if (BUGGY) data.attributes.collectedAt = Date.parse(s.collectedAt); // F02
    const inc = included([s], ctx.query.include);
    return ok(200, { data, ...(inc ? { included: inc } : {}) });
  },

  updateSample(ctx) {
    const { s, error } = visibleSample(ctx);
    if (error) return error;
    const next = { label: s.label, notes: s.notes, volumeMl: s.volumeMl, collectedAt: s.collectedAt, kind: s.kind };
    const props = S.SampleAttributes.properties;
    for (const [i, op] of ctx.body.entries()) {
      const key = op.path.slice(1);
      if (op.op !== 'remove' && !('value' in op)) return jerr(400, 'Invalid JSON Patch', [{ at: `body/${i}/value`, message: `is required for ${op.op}` }]);
      if (op.op === 'remove') {
        if (key !== 'notes') return jerr(422, 'Unprocessable', [{ at: `body/${i}/path`, message: 'only /notes can be removed' }]);
        next.notes = null;
      } else if (op.op === 'test') {
        if (JSON.stringify(next[key]) !== JSON.stringify(op.value)) return jerr(409, 'Test failed', [{ at: `body/${i}`, message: `${op.path} does not hold the tested value` }]);
      } else {
        const e = validate(spec, props[key], op.value, 'request');
        if (e.length) return jerr(422, 'Unprocessable', [{ at: `body/${i}/value`, message: e[0].message }]);
        next[key] = op.value;
      }
    }
    Object.assign(s, next, { updatedAt: now() });
    return ok(200, { data: sampleRes(s) });
  },

  deleteSample(ctx) {
    const { s, error } = visibleSample(ctx);
    if (error) return error;
    s.deletedAt = now();
    return { status: 204 };
  },

  async listSampleEvents(ctx) {
    const { s, error } = visibleSample(ctx);
    if (error) return error;
    const list = events.get(s.id) || [];
    const meta = { total: list.length };
    if (ctx.query.withCustodyChain === true) {
      if (BUGGY) await sleep(2500); // F16: re-verifies the chain against the archive, one round trip per event
      let h = '';
      for (const e of list) h = crypto.createHash('sha256').update(h + JSON.stringify(e)).digest('hex');
      meta.custodyVerified = true;
    }
    return ok(200, { data: list.map(eventRes), meta });
  },

  recordSampleEvent(ctx) {
    const { s, error } = visibleSample(ctx);
    if (error) return error;
    const a = ctx.body.data.attributes;
    if (s.status === 'disposed') return jerr(409, 'Conflict', [{ at: 'path/sampleId', message: 'the sample was disposed of' }]);
    const e = { id: crypto.randomUUID(), sampleId: s.id, kind: a.kind };
    if (a.kind === 'transfer') {
      e.location = a.location;
      s.location = a.location;
      s.status = 'stored';
    } else if (a.kind === 'aliquot') {
      if (a.volumeMl > s.volumeMl) {
        if (BUGGY) throw new RangeError(`volume underflow: ${s.volumeMl - a.volumeMl}`); // F01
        return jerr(422, 'Unprocessable', [{ at: 'body/data/attributes/volumeMl', message: `more than the remaining ${s.volumeMl} ml` }]);
      }
      e.volumeMl = a.volumeMl;
      s.volumeMl = Math.round((s.volumeMl - a.volumeMl) * 1e6) / 1e6;
    } else {
      if (BUGGY) return jerr(400, 'Invalid body', [{ at: 'body/data/attributes/kind', message: 'unsupported event kind' }]); // F05
      e.reason = a.reason;
      s.status = 'disposed';
    }
    if (typeof a.note === 'string') e.note = a.note;
    e.recordedAt = now();
    s.updatedAt = e.recordedAt;
    events.get(s.id).push(e);
    return ok(201, { data: eventRes(e) });
  },

  listContainers(ctx) {
    const rows = [...containers.values()].filter((c) => c.ownerId === me(ctx).id && !c.deletedAt);
    const p = paging(ctx, '/containers', rows);
    if (p.error) return p.error;
    return ok(200, { data: p.page.map(containerRes), links: p.links, meta: p.meta });
  },

  createContainer(ctx) {
    const a = ctx.body.data.attributes;
    const c = { id: crypto.randomUUID(), ownerId: me(ctx).id, name: a.name, temperatureC: a.temperatureC, capacity: a.capacity, createdAt: now(), deletedAt: null };
    containers.set(c.id, c);
    return ok(201, { data: containerRes(c) }, { Location: `/containers/${c.id}` });
  },

  getContainer(ctx) {
    const { c, error } = visibleContainer(ctx);
    if (error) return error;
    const out = ok(200, { data: containerRes(c) });
    if (BUGGY) out.headers['Content-Type'] = 'application/json'; // F03
    return out;
  },

  updateContainer(ctx) {
    const { c, error } = visibleContainer(ctx);
    if (error) return error;
    const d = ctx.body.data;
    if (d.id !== undefined && d.id !== c.id) return jerr(409, 'Conflict', [{ at: 'body/data/id', message: 'does not match the path' }]);
    const a = {};
    for (const k of ['name', 'temperatureC', 'capacity']) if (d.attributes[k] !== undefined) a[k] = d.attributes[k];
    if (a.capacity !== undefined && a.capacity < sampleCount(c)) return jerr(422, 'Unprocessable', [{ at: 'body/data/attributes/capacity', message: 'below the current sample count' }]);
    const shown = { ...c, ...a };
    if (BUGGY) Object.assign(c, a, { temperatureC: c.temperatureC }); // F07: the temperature is never saved
    else Object.assign(c, a);
    return ok(200, { data: containerRes(shown) });
  },

  deleteContainer(ctx) {
    const { c, error } = visibleContainer(ctx, { anyOwner: BUGGY }); // F09
    if (error) return error;
    if (sampleCount(c) > 0) return jerr(409, 'Conflict', [{ at: 'path/containerId', message: 'the container still holds samples' }]);
    c.deletedAt = now();
    return { status: 204 };
  },

  listUsers(ctx) {
    if (me(ctx).role !== 'admin') return forbidden();
    return ok(200, { data: [...users.values()].map(userRes) });
  },

  getSettings(ctx) {
    if (me(ctx).role !== 'admin') return forbidden();
    return ok(200, { data: { type: 'settings', id: 'current', attributes: settings } });
  },

  replaceSettings(ctx) {
    if (!BUGGY && me(ctx).role !== 'admin') return forbidden(); // F10
    const a = ctx.body.data.attributes;
    settings = { labName: a.labName, retentionDays: a.retentionDays, notifyEmail: a.notifyEmail };
    return ok(200, { data: { type: 'settings', id: 'current', attributes: settings } });
  },
};

const server = createServer({ spec, validationSpec: vspec, handlers, error: jerr, authenticate });
listen(server, port, 'Specimen Tracker', variant);
