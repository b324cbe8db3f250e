// Boxoffice: an event-ticketing API with 16 seeded faults (FAULTS.md) in --variant buggy.
// node server.mjs --port N --variant buggy|clean ; SELFCHECK=1 checks every response against openapi.yaml.
import crypto from 'node:crypto';
import { createServer, listen, parseArgs, clone, nowIso, hashPassword } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const buggy = variant === 'buggy';
const JA = 'application/vnd.api+json';

// The buggy variant validates against a loosened copy (T4 multipleOf, T5 uniqueItems, T6 maximum).
const vspec = clone(spec);
if (buggy) {
  delete vspec.components.schemas.Tier.properties.price_cents.multipleOf;
  // PUT gets its own EventWrite without uniqueItems on tags
  const attrs = clone(vspec.components.schemas.EventAttributes);
  delete attrs.properties.tags.uniqueItems;
  vspec.components.schemas.EventAttributesPut = attrs;
  vspec.components.schemas.EventWritePut = clone(vspec.components.schemas.EventWrite);
  vspec.components.schemas.EventWritePut.properties.data.properties.attributes = { $ref: '#/components/schemas/EventAttributesPut' };
  vspec.paths['/events/{eventId}'].put.requestBody.content[JA].schema = { $ref: '#/components/schemas/EventWritePut' };
}

// ---------- state ----------
const users = [
  { id: '7001', username: 'alice', email: 'alice@boxoffice.example', role: 'member', password: 'alice-sandbox-1' },
  { id: '7002', username: 'bob', email: 'bob@boxoffice.example', role: 'member', password: 'bob-sandbox-2' },
  { id: '7003', username: 'carol', email: 'carol@boxoffice.example', role: 'admin', password: 'carol-sandbox-3' },
];
for (const u of users) u.hash = hashPassword(u.password, `salt-${u.id}`);
const events = new Map(); // id -> { id, owner, attrs, deleted, etagSeq }
const tickets = new Map(); // id -> { id, owner, attrs }
const idem = new Map(); // `${userId}:${key}` -> ticket id
const failures = new Map(); // username -> [timestamps]
let nextId = 100000;
let clock = Date.parse('2027-01-01T00:00:00Z');
const now = () => nowIso((clock += 1000));
const newId = () => String(++nextId);

// ---------- responses ----------
const jsonapi = (status, body, headers = {}) => ({ status, body, headers: { 'Content-Type': JA, ...headers } });
function error(status, title, details) {
  // the lib reports body validation as 400 'Invalid body': 422 unless the JSON itself is broken
  if (status === 400 && title === 'Invalid body' && details && !details.some((d) => /malformed JSON|body is required/.test(d.message))) status = 422;
  const errors = (details && details.length ? details : [{ message: title }]).map((d) => {
    const e = { status: String(status), title, detail: d.message };
    if (d.at && d.at.startsWith('body')) e.source = { pointer: d.at.slice(4) || '/' };
    else if (d.at && /^(query|path)\//.test(d.at)) e.source = { parameter: d.at.split('/')[1] };
    else if (d.at && d.at.startsWith('header/')) e.source = { header: d.at.split('/')[1] };
    return e;
  });
  const headers = status === 401 ? { 'WWW-Authenticate': 'Basic realm="boxoffice"' } : {};
  return jsonapi(status, { errors }, headers);
}
const field = (pointer, detail) => ({ at: `body${pointer}`, message: detail });

function authenticate(_scheme, req) {
  const h = req.headers.authorization || '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h);
  if (!m) return null;
  const [name, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  const u = users.find((x) => x.username === name);
  if (!u) return null;
  const a = Buffer.from(rest.join(':')), b = Buffer.from(u.password);
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? u : null;
}

const userRes = (u) => ({ type: 'users', id: u.id, attributes: { username: u.username, email: u.email, role: u.role } });
const eventEtag = (e) => `"ev-${e.id}-${e.etagSeq}"`;
function eventRes(e) {
  const attributes = clone(e.attrs);
  if (buggy) {
    const o = users.find((u) => u.id === e.owner);
    attributes.organizer = { username: o.username, email: o.email, password_hash: o.hash }; // T11
  }
  return { type: 'events', id: e.id, attributes, links: { self: `/events/${e.id}` } };
}
function ticketRes(t) {
  const attributes = clone(t.attrs);
  if (buggy) attributes.quantity = String(attributes.quantity); // T2
  return { type: 'tickets', id: t.id, attributes, links: { self: `/tickets/${t.id}` } };
}
const visible = (e, u) => e && !e.deleted && (e.owner === u.id || e.attrs.status === 'published');

// business rules beyond the schema (422 with per-field pointers)
function eventRules(a) {
  const errs = [];
  const names = a.tiers.map((t) => t.name);
  if (new Set(names).size !== names.length) errs.push(field('/data/attributes/tiers', 'tier names must be unique'));
  const sum = a.tiers.reduce((s, t) => s + t.quantity, 0);
  if (sum > a.capacity) errs.push(field('/data/attributes/tiers', `tier quantities (${sum}) exceed capacity (${a.capacity})`));
  return errs;
}
function storedAttrs(input, prev, owner) {
  const a = {
    title: input.title, city: input.city, starts_on: input.starts_on, capacity: input.capacity,
    status: input.status || 'draft', tiers: input.tiers.map((t) => ({ ...t })), featured: prev ? prev.featured : false,
    organizer_id: owner, created_at: prev ? prev.created_at : now(), updated_at: now(),
  };
  for (const k of ['venue_url', 'tags', 'scanner_ips']) if (input[k] !== undefined) a[k] = clone(input[k]);
  return a;
}

// T10: the buggy server "normalises" titles with a backtracking-prone regex on the last 24 characters
function slowTitleCheck(title) {
  const tail = title.slice(-24);
  return /^(\w+\s?)*$/.test(tail);
}

// T9: a simulated SQL WHERE on the city filter (buggy: string concatenation)
function sqlCityMatch(value) {
  const stripped = `city = '${value}'`.replace(/(--|#).*$/, '');
  const quotes = (stripped.match(/'/g) || []).length;
  if (quotes % 2 === 1) { const e = new Error(`SQL syntax error near '${value}': unterminated quoted string`); e.sql = true; throw e; }
  const or = /'\s*or\s*'?(\w+)'?\s*=\s*'?(\w+)'?/i.exec(stripped);
  if (or) return () => or[1] === or[2];
  const and = /'\s*and\s*'?(\w+)'?\s*=\s*'?(\w+)'?/i.exec(stripped);
  const lit = /^city = '((?:[^']|'')*)'/.exec(stripped);
  const city = lit ? lit[1] : value;
  if (and) return (e) => e.attrs.city === city && and[1] === and[2];
  return (e) => e.attrs.city === city;
}

// ---------- handlers ----------
const handlers = {
  verifyCredentials(ctx) {
    const { username, password } = ctx.body.data.attributes;
    const t = Date.now();
    const recent = (failures.get(username) || []).filter((x) => t - x < 60000);
    if (recent.length >= 5) return { ...error(429, 'Too many failed checks'), headers: { 'Content-Type': JA, 'Retry-After': String(Math.ceil((recent[0] + 60000 - t) / 1000)) } };
    const u = users.find((x) => x.username === username);
    if (!u || u.password !== password) {
      recent.push(t); failures.set(username, recent);
      return error(401, 'Wrong username or password');
    }
    failures.delete(username);
    return jsonapi(200, { data: userRes(u) });
  },
  getMe: (ctx) => jsonapi(200, { data: userRes(ctx.auth) }),
  listUsers(ctx) {
    if (ctx.auth.role !== 'admin' && !buggy) return error(403, 'Admins only'); // T14 in buggy
    return jsonapi(200, { data: users.map(userRes) });
  },
  listEvents(ctx) {
    const q = ctx.query;
    let match = () => true;
    if (q['filter[city]'] !== undefined) match = buggy ? sqlCityMatch(q['filter[city]']) : (e) => e.attrs.city === q['filter[city]'];
    let list = [...events.values()].filter((e) => !e.deleted);
    const injected = buggy && q['filter[city]'] !== undefined && /'\s*or\s/i.test(q['filter[city]']);
    if (!injected) list = list.filter((e) => visible(e, ctx.auth));
    list = list.filter(match);
    if (q['filter[status]']) list = list.filter((e) => e.attrs.status === q['filter[status]']);
    if (q['filter[title]'] !== undefined) {
      const needle = q['filter[title]'];
      if (buggy) { const rx = new RegExp(needle, 'i'); list = list.filter((e) => rx.test(e.attrs.title)); } // T1
      else list = list.filter((e) => e.attrs.title.toLowerCase().includes(needle.toLowerCase()));
    }
    const sort = q.sort || '-created_at';
    const key = sort.replace(/^-/, '');
    const dir = sort.startsWith('-') ? -1 : 1;
    list.sort((a, b) => (a.attrs[key] < b.attrs[key] ? -dir : a.attrs[key] > b.attrs[key] ? dir : (a.id < b.id ? -dir : dir)));
    const size = q['page[size]'] || 20, number = q['page[number]'] || 1;
    const page = list.slice((number - 1) * size, number * size);
    const links = { self: `/events?page[number]=${number}&page[size]=${size}` };
    if (number * size < list.length) links.next = `/events?page[number]=${number + 1}&page[size]=${size}`;
    if (number > 1) links.prev = `/events?page[number]=${number - 1}&page[size]=${size}`;
    return jsonapi(200, { data: page.map(eventRes), links, meta: { total: list.length } });
  },
  createEvent(ctx) {
    const input = ctx.body.data.attributes;
    if (buggy) slowTitleCheck(input.title); // T10
    const errs = eventRules(input);
    if (errs.length) return error(422, 'Invalid event', errs);
    const id = newId();
    const e = { id, owner: ctx.auth.id, attrs: storedAttrs(input, null, ctx.auth.id), deleted: false, etagSeq: 1 };
    if (buggy && input.featured !== undefined) e.attrs.featured = input.featured; // T15
    events.set(id, e);
    return jsonapi(201, { data: eventRes(e) }, { Location: `/events/${id}`, ETag: eventEtag(e) });
  },
  getEvent(ctx) {
    const e = events.get(ctx.path.eventId);
    const shown = buggy ? e && (e.owner === ctx.auth.id || e.attrs.status === 'published') : visible(e, ctx.auth); // T8: buggy ignores deleted
    if (!shown) return error(404, 'No such event');
    const tag = eventEtag(e);
    const inm = ctx.req.headers['if-none-match'];
    if (inm && inm.split(',').map((s) => s.trim()).some((s) => s === tag || s === '*' || s === `W/${tag}`)) return { status: 304, headers: { ETag: tag } };
    return jsonapi(200, { data: eventRes(e) }, { ETag: tag });
  },
  putEvent(ctx) {
    const id = ctx.path.eventId;
    const input = ctx.body.data.attributes;
    const e = events.get(id);
    const errs = eventRules(input);
    if (e && !e.deleted) {
      if (e.owner !== ctx.auth.id && !buggy) return visible(e, ctx.auth) ? error(403, 'Only the organizer may replace this event') : error(404, 'No such event'); // T13
      if (errs.length) return error(422, 'Invalid event', errs);
      const prevCapacity = e.attrs.capacity;
      e.attrs = storedAttrs(input, e.attrs, e.owner);
      if (buggy) e.attrs.capacity = prevCapacity; // T7
      e.etagSeq += 1;
      return jsonapi(200, { data: eventRes(e) }, { ETag: eventEtag(e) });
    }
    if (e && e.deleted) return error(404, 'This event was deleted; its id cannot be reused');
    if (errs.length) return error(422, 'Invalid event', errs);
    const created = { id, owner: ctx.auth.id, attrs: storedAttrs(input, null, ctx.auth.id), deleted: false, etagSeq: 1 };
    events.set(id, created);
    if (Number(id) > nextId && Number(id) < 1e9) nextId = Number(id);
    return jsonapi(201, { data: eventRes(created) }, { Location: `/events/${id}`, ETag: eventEtag(created) });
  },
  deleteEvent(ctx) {
    const e = events.get(ctx.path.eventId);
    if (!visible(e, ctx.auth)) return error(404, 'No such event');
    if (e.owner !== ctx.auth.id) return error(403, 'Only the organizer may delete this event');
    e.deleted = true;
    if (buggy) return jsonapi(200, { data: eventRes(e) }); // T3
    return { status: 204 };
  },
  buyTickets(ctx) {
    const e = events.get(ctx.path.eventId);
    if (!visible(e, ctx.auth)) return error(404, 'No such event');
    const key = ctx.req.headers['idempotency-key'];
    const ik = key && `${ctx.auth.id}:${key}`;
    if (ik && idem.has(ik) && !buggy) { // T16 in buggy
      const t = tickets.get(idem.get(ik));
      return jsonapi(201, { data: ticketRes(t) }, { Location: `/tickets/${t.id}` });
    }
    const a = ctx.body.data.attributes;
    if (buggy && a.quantity >= 10) return error(422, 'Invalid ticket', [field('/data/attributes/quantity', 'must be < 10')]); // T6
    const tier = a.tier === undefined ? e.attrs.tiers[0] : e.attrs.tiers.find((t) => t.name === a.tier);
    if (!tier) return error(422, 'Invalid ticket', [field('/data/attributes/tier', `no tier named ${a.tier} on this event`)]);
    if (tier.quantity < a.quantity) return error(422, 'Invalid ticket', [field('/data/attributes/quantity', `only ${tier.quantity} left in tier ${tier.name}`)]);
    tier.quantity -= a.quantity;
    e.etagSeq += 1;
    const id = newId();
    const t = { id, owner: ctx.auth.id, attrs: { event_id: e.id, tier: tier.name, quantity: a.quantity, holder_name: a.holder_name, holder_email: a.holder_email, total_cents: tier.price_cents * a.quantity, created_at: now() } };
    tickets.set(id, t);
    if (ik) idem.set(ik, id);
    return jsonapi(201, { data: ticketRes(t) }, { Location: `/tickets/${id}` });
  },
  listTickets(ctx) {
    let list = [...tickets.values()].filter((t) => t.owner === ctx.auth.id);
    if (ctx.query['filter[event_id]']) list = list.filter((t) => t.attrs.event_id === ctx.query['filter[event_id]']);
    const dir = (ctx.query.sort || '-created_at').startsWith('-') ? -1 : 1;
    list.sort((a, b) => (a.attrs.created_at < b.attrs.created_at ? -dir : dir));
    return jsonapi(200, { data: list.map(ticketRes), links: { self: '/tickets' } });
  },
  getTicket(ctx) {
    const t = tickets.get(ctx.path.ticketId);
    if (!t || (t.owner !== ctx.auth.id && !buggy)) return error(404, 'No such ticket'); // T12 in buggy
    return jsonapi(200, { data: ticketRes(t) });
  },
};

// every documented operation must have a handler
for (const item of Object.values(spec.paths)) for (const [m, op] of Object.entries(item)) {
  if (m !== 'parameters' && !handlers[op.operationId]) throw new Error(`no handler for ${op.operationId}`);
}

const server = createServer({
  spec, validationSpec: vspec, handlers, error, authenticate, keepReadOnly: buggy,
  crashBody: (e) => (e.sql ? { errors: [{ status: '500', title: 'Database error', detail: e.message }] } : { errors: [{ status: '500', title: 'Internal Server Error' }] }),
});
listen(server, port, 'boxoffice', variant);
