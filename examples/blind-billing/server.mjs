// Ledgerly: a billing API (blind target 5). Cookie sessions, a form-encoded sign-up, integer
// customer ids with soft delete, UUID invoices with JSON Patch, a oneOf payment body, bulk
// actions, an asynchronous export job, offset/limit with a Link header, repeated query arrays.
//   node server.mjs --port N --variant buggy|clean      (SELFCHECK=1: check every answer against the spec)
// The buggy variant carries the faults of FAULTS.md; each is marked `FAULT Bn` below.
import http from 'node:http';
import crypto from 'node:crypto';
import { parseArgs, validate, deref, clone } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';
import { sqlSearch, SqlError } from './sql.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const SELFCHECK = process.env.SELFCHECK === '1';

// The buggy variant validates against a loosened copy of the spec (its faults B1, B2, B5).
const vspec = clone(spec);
if (BUGGY) {
  const list = vspec.paths['/invoices'].get.parameters;
  for (const p of list) if (p.name === 'issued_from' || p.name === 'issued_to') delete p.schema.format; // FAULT B1
  vspec.components.schemas.CardPayment.required = ['method', 'amount']; // FAULT B2
  delete vspec.components.schemas.LineInput.properties.quantity.minimum; // FAULT B5
}

// ---------- data ----------
const now = () => new Date().toISOString();
const today = () => now().slice(0, 10);
function hashPassword(pw, salt = crypto.randomBytes(8).toString('hex')) {
  return `$scrypt$N=1024$${salt}$${crypto.scryptSync(pw, salt, 32, { N: 1024 }).toString('base64')}`;
}
function checkPassword(pw, stored) {
  const salt = stored.split('$')[3];
  const a = Buffer.from(hashPassword(pw, salt));
  const b = Buffer.from(stored);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const users = new Map(); // id -> user (with password_hash)
const sessions = new Map(); // token -> { userId, expires }
const customers = new Map(); // id -> customer
const invoices = new Map(); // uuid -> invoice
const payments = []; // payment records
const exportsJobs = new Map();
const failedLogins = new Map(); // email -> [timestamps]
let seq = { user: 0, customer: 0, invoice: 0, payment: 0 };

function addUser(email, password, company_name, role = 'owner') {
  const u = { id: ++seq.user, email, company_name, role, created_at: now(), password_hash: hashPassword(password) };
  users.set(u.id, u);
  return u;
}
const publicUser = (u) => ({ id: u.id, email: u.email, company_name: u.company_name, role: u.role, created_at: u.created_at });

function addCustomer(owner, input) {
  const t = now();
  const c = {
    id: ++seq.customer, owner_id: owner.id, name: input.name, email: input.email,
    billing_address: normAddress(input.billing_address), tax_id: input.tax_id ?? null,
    payment_terms_days: input.payment_terms_days ?? 30, notes: input.notes ?? null,
    stored_balance: null, created_at: t, updated_at: t, deleted_at: null,
  };
  customers.set(c.id, c);
  return c;
}
const normAddress = (a) => ({ line1: a.line1, line2: a.line2 ?? null, city: a.city, postal_code: a.postal_code, country: a.country });
function balanceOf(c) {
  if (c.stored_balance !== null) return c.stored_balance;
  let b = 0;
  for (const inv of invoices.values()) if (inv.customer_id === c.id && inv.status === 'sent') b += inv.total_amount - inv.amount_paid;
  return b;
}
const customerView = (c) => {
  const { stored_balance, ...rest } = c;
  return { ...rest, billing_address: { ...c.billing_address }, balance_cents: balanceOf(c) };
};

function addInvoice(owner, input) {
  const lines = input.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit_amount: l.unit_amount, amount: l.quantity * l.unit_amount }));
  const inv = {
    id: crypto.randomUUID(), number: `INV-${String(++seq.invoice).padStart(6, '0')}`, owner_id: owner.id,
    customer_id: input.customer_id, currency: input.currency, status: 'draft', issue_date: input.issue_date,
    due_date: input.due_date ?? null, po_number: input.po_number ?? null, notes: input.notes ?? null, lines,
    total_amount: lines.reduce((s, l) => s + l.amount, 0), amount_paid: 0, created_at: now(),
  };
  invoices.set(inv.id, inv);
  return inv;
}
function invoiceView(inv, { inList = false } = {}) {
  const { owner_id, ...rest } = inv;
  const u = users.get(owner_id);
  const out = { ...rest, lines: inv.lines.map((l) => ({ ...l })), created_by: { id: u.id, email: u.email } };
  if (BUGGY && inList) out.created_by.password_hash = u.password_hash; // FAULT B11: the list joins the whole user row
  return out;
}

// sandbox data
const alice = addUser('alice@acme.example', 'alice-sandbox-pw-1', 'Acme Corp');
const bob = addUser('bob@globex.example', 'bob-sandbox-pw-2', 'Globex');
addUser('root@ledgerly.example', crypto.randomBytes(18).toString('base64url'), 'Ledgerly', 'admin');
const addr = (city, country) => ({ line1: '12 Harbour Road', city, postal_code: '10115', country });
const c1 = addCustomer(alice, { name: 'Wayne Enterprises', email: 'ap@wayne.example', billing_address: addr('Gotham', 'US'), tax_id: 'US123456789' });
const c2 = addCustomer(alice, { name: 'Stark Industries', email: 'billing@stark.example', billing_address: addr('Malibu', 'US') });
const c3 = addCustomer(bob, { name: 'Umbrella GmbH', email: 'rechnung@umbrella.example', billing_address: addr('Berlin', 'DE'), notes: 'Pays by bank transfer' });
const i1 = addInvoice(alice, { customer_id: c1.id, currency: 'USD', issue_date: '2026-10-01', due_date: '2026-10-31', notes: 'October retainer', lines: [{ description: 'Retainer', quantity: 1, unit_amount: 250000 }] });
i1.status = 'sent';
addInvoice(alice, { customer_id: c2.id, currency: 'USD', issue_date: '2026-11-02', lines: [{ description: 'Armour polish', quantity: 3, unit_amount: 12500 }] });
const i3 = addInvoice(bob, { customer_id: c3.id, currency: 'EUR', issue_date: '2026-09-15', due_date: '2026-10-15', notes: 'Confidential: merger retainer', lines: [{ description: 'Due diligence', quantity: 10, unit_amount: 90000 }] });
i3.status = 'sent';

// ---------- answers ----------
const json = (status, body, headers = {}) => ({ status, body, headers: { 'Content-Type': 'application/json', ...headers } });
const fail = (status, code, message, details) => json(status, { error: { code, message, ...(details ? { details } : {}) } });
const notFound = (what) => fail(404, 'not_found', `${what} not found`);

// ---------- routing ----------
const routes = Object.entries(spec.paths).map(([p, item]) => {
  const names = [];
  const rx = new RegExp(`^${p.replace(/\{([^}]+)\}/g, (_, n) => { names.push(n); return '([^/]+)'; })}/?$`);
  return { p, item, rx, names };
});
// `/invoices/bulk` must win over `/invoices/{invoice_id}`
routes.sort((a, b) => (a.p.includes('{') ? 1 : 0) - (b.p.includes('{') ? 1 : 0));
const findRoute = (path) => routes.find((r) => r.rx.test(path));

function coerce(schema, raw) {
  const s = deref(vspec, schema) || {};
  if (s.type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (s.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function cookies(req) {
  const out = {};
  for (const part of String(req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
function sessionUser(req) {
  const token = cookies(req).ledgerly_session;
  const s = token && sessions.get(token);
  if (!s || s.expires < Date.now()) return null;
  return users.get(s.userId) || null;
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => { size += c.length; if (size <= 1 << 20) chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

async function handle(req) {
  const url = new URL(req.url, 'http://localhost');
  const route = findRoute(url.pathname);
  if (!route) return { route: null, out: fail(404, 'not_found', `no route for ${url.pathname}`) };
  const method = req.method.toLowerCase();
  const op = route.item[method];
  if (!op) {
    const allow = ['get', 'put', 'post', 'patch', 'delete'].filter((m) => route.item[m]).map((m) => m.toUpperCase()).join(', ');
    return { route, out: { ...fail(405, 'method_not_allowed', `use ${allow}`), headers: { 'Content-Type': 'application/json', Allow: allow } } };
  }
  const vop = vspec.paths[route.p][method];
  const ctx = { url, path: {}, query: {}, body: undefined, raw: await readBody(req) };
  const m = route.rx.exec(url.pathname);
  route.names.forEach((n, i) => { ctx.path[n] = m[i + 1]; });

  const secured = (op.security ?? spec.security).length > 0;
  if (secured) {
    ctx.user = sessionUser(req);
    if (!ctx.user) return { route, out: fail(401, 'unauthenticated', 'sign in first (POST /login)') };
  }

  const details = [];
  for (const p of [...(vspec.paths[route.p].parameters || []), ...(vop.parameters || [])]) {
    const s = deref(vspec, p.schema);
    let v;
    if (p.in === 'path') {
      try { v = coerce(s, decodeURIComponent(ctx.path[p.name])); } catch { details.push({ field: p.name, issue: 'bad percent-encoding' }); continue; }
    } else if (s.type === 'array') {
      const all = url.searchParams.getAll(p.name);
      if (!all.length) continue;
      v = all.map((x) => coerce(s.items, x));
    } else {
      if (!url.searchParams.has(p.name)) { if (p.required) details.push({ field: p.name, issue: 'is required' }); continue; }
      v = coerce(s, url.searchParams.get(p.name));
    }
    for (const e of validate(vspec, s, v)) details.push({ field: `${p.name}${e.at}`, issue: e.message });
    (p.in === 'path' ? ctx.path : ctx.query)[p.name] = v;
  }
  if (details.length) return { route, out: fail(400, 'invalid_request', 'invalid parameters', details) };

  if (vop.requestBody) {
    const ct = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    const types = Object.keys(vop.requestBody.content);
    if (!ctx.raw.length) return { route, out: fail(400, 'invalid_request', 'a body is required', [{ field: 'body', issue: 'is required' }]) };
    if (!types.includes(ct)) return { route, out: fail(415, 'unsupported_media_type', `send ${types.join(' or ')}`) };
    let body;
    if (ct === 'application/x-www-form-urlencoded') {
      body = {};
      for (const [k, v] of new URLSearchParams(ctx.raw)) body[k] = v;
    } else {
      try { body = JSON.parse(ctx.raw); } catch { return { route, out: fail(400, 'invalid_request', 'malformed JSON') }; }
    }
    const schema = vop.requestBody.content[ct].schema;
    const errs = validate(vspec, schema, body, 'request');
    if (errs.length) return { route, out: fail(400, 'invalid_request', 'invalid body', errs.map((e) => ({ field: `body${e.at}`, issue: e.message }))) };
    ctx.body = body;
  }
  const h = handlers[op.operationId];
  return { route, out: await h(ctx, req) };
}

// readOnly members a client sent are ignored (documented as readOnly)
function dropReadOnly(schemaName, body) {
  const props = spec.components.schemas[schemaName].properties;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !(props[k] && props[k].readOnly)));
}

function ownCustomer(ctx, { allowDeleted = false } = {}) {
  const c = customers.get(ctx.path.customer_id);
  if (!c || c.owner_id !== ctx.user.id) return null;
  if (c.deleted_at && !allowDeleted) return null;
  return c;
}
const ownInvoice = (ctx) => {
  const inv = invoices.get(String(ctx.path.invoice_id).toLowerCase());
  return inv && inv.owner_id === ctx.user.id ? inv : null;
};

function busyWait(ms) { const end = Date.now() + ms; while (Date.now() < end) { /* the fuzzy matcher backtracking */ } }

const DATE_RX = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (s) => typeof s === 'string' && validate(spec, { type: 'string', format: 'date' }, s).length === 0;

const handlers = {
  signUp(ctx) {
    const b = ctx.body;
    const email = b.email.toLowerCase();
    if ([...users.values()].some((u) => u.email === email)) return fail(409, 'conflict', 'an account with this e-mail exists');
    return json(201, publicUser(addUser(email, b.password, b.company_name)));
  },

  logIn(ctx) {
    const email = ctx.body.email.toLowerCase();
    const recent = (failedLogins.get(email) || []).filter((t) => t > Date.now() - 60_000);
    failedLogins.set(email, recent);
    if (!BUGGY && recent.length >= 5) { // FAULT B16: the buggy variant never limits
      const retry = Math.max(1, Math.ceil((recent[0] + 60_000 - Date.now()) / 1000));
      return { ...fail(429, 'too_many_attempts', 'too many failed sign-ins; try again later'), headers: { 'Content-Type': 'application/json', 'Retry-After': String(retry) } };
    }
    const u = [...users.values()].find((x) => x.email === email);
    if (!u || !checkPassword(ctx.body.password, u.password_hash)) {
      recent.push(Date.now());
      return fail(401, 'invalid_credentials', 'wrong e-mail or password');
    }
    const token = crypto.randomBytes(24).toString('base64url');
    const expires = Date.now() + 8 * 3600_000;
    sessions.set(token, { userId: u.id, expires });
    return json(200, { user: publicUser(u), expires_at: new Date(expires).toISOString() }, { 'Set-Cookie': `ledgerly_session=${token}; Path=/; HttpOnly; SameSite=Lax` });
  },

  logOut(ctx, req) {
    sessions.delete(cookies(req).ledgerly_session);
    return { status: 204, headers: { 'Set-Cookie': 'ledgerly_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' } };
  },

  getMe: (ctx) => json(200, publicUser(ctx.user)),

  listCustomers(ctx) {
    const { offset = 0, limit = 20, q, country, include_deleted = false } = ctx.query;
    let rows = [...customers.values()].filter((c) => c.owner_id === ctx.user.id && (include_deleted || !c.deleted_at));
    if (country) rows = rows.filter((c) => c.billing_address.country === country);
    if (q) {
      const needle = q.toLowerCase();
      rows = rows.filter((c) => c.name.toLowerCase().includes(needle) || c.email.toLowerCase().includes(needle));
      // FAULT B10: the "fuzzy" fallback matcher backtracks on long needles that match nothing
      if (BUGGY && rows.length === 0 && q.length > 24) busyWait(Math.min((q.length - 24) * 120, 5000));
    }
    const total = rows.length;
    const page = rows.slice(offset, offset + limit).map(customerView);
    const links = [];
    const at = (o) => { const u = new URL(ctx.url); u.searchParams.set('offset', String(o)); u.searchParams.set('limit', String(limit)); return `<${u.pathname}${u.search}>`; };
    if (offset + limit < total) links.push(`${at(offset + limit)}; rel="next"`);
    if (offset > 0) links.push(`${at(Math.max(0, offset - limit))}; rel="prev"`);
    return json(200, page, { 'X-Total-Count': String(total), ...(links.length ? { Link: links.join(', ') } : {}) });
  },

  createCustomer(ctx) {
    const input = BUGGY ? ctx.body : dropReadOnly('CustomerInput', ctx.body);
    const c = addCustomer(ctx.user, input);
    if (BUGGY && Number.isInteger(ctx.body.balance_cents)) c.stored_balance = ctx.body.balance_cents; // FAULT B15: mass assignment
    return json(201, customerView(c), { Location: `/customers/${c.id}` });
  },

  getCustomer(ctx) {
    // FAULT B8: the buggy read forgets the soft-delete filter
    const c = ownCustomer(ctx, { allowDeleted: BUGGY });
    return c ? json(200, customerView(c)) : notFound('customer');
  },

  replaceCustomer(ctx) {
    let c = ownCustomer(ctx);
    if (BUGGY) { // FAULT B13: the update looks the row up by id only
      const any = customers.get(ctx.path.customer_id);
      c = any && !any.deleted_at ? any : null;
    }
    if (!c) return notFound('customer');
    const b = dropReadOnly('CustomerInput', ctx.body);
    const next = {
      ...c, name: b.name, email: b.email, billing_address: normAddress(b.billing_address), tax_id: b.tax_id ?? null,
      payment_terms_days: b.payment_terms_days ?? 30, notes: b.notes ?? null, updated_at: now(),
    };
    // FAULT B7: the buggy update writes every column but `name` (answers with what it meant to store)
    customers.set(c.id, BUGGY ? { ...next, name: c.name } : next);
    return json(200, customerView(next));
  },

  deleteCustomer(ctx) {
    const c = ownCustomer(ctx);
    if (!c) return notFound('customer');
    c.deleted_at = now();
    return { status: 204 };
  },

  listInvoices(ctx) {
    const { status, issued_from, issued_to, customer_id, q, offset = 0, limit = 20 } = ctx.query;
    let rows;
    if (BUGGY && q) { // FAULT B9: the search is a concatenated SQL string
      try { rows = sqlSearch([...invoices.values()], ctx.user.id, q); } catch (e) {
        if (e instanceof SqlError) return fail(500, 'internal', `SQLITE_ERROR: ${e.message}`);
        throw e;
      }
    } else {
      rows = [...invoices.values()].filter((i) => i.owner_id === ctx.user.id);
      if (q) { const n = q.toLowerCase(); rows = rows.filter((i) => `${i.number} ${i.notes || ''}`.toLowerCase().includes(n)); }
    }
    if (status) rows = rows.filter((i) => status.includes(i.status));
    // FAULT B1: the buggy variant parses days itself (a non-date throws RangeError)
    const day = (s) => (BUGGY ? new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) : s);
    if (issued_from) { const f = day(issued_from); rows = rows.filter((i) => i.issue_date >= f); }
    if (issued_to) { const t = day(issued_to); rows = rows.filter((i) => i.issue_date <= t); }
    if (customer_id) rows = rows.filter((i) => i.customer_id === customer_id);
    return json(200, { data: rows.slice(offset, offset + limit).map((i) => invoiceView(i, { inList: true })), total: rows.length, offset, limit });
  },

  createInvoice(ctx) {
    const b = ctx.body;
    const c = customers.get(b.customer_id);
    if (!c || c.owner_id !== ctx.user.id || c.deleted_at) return fail(422, 'unknown_customer', 'no such customer', [{ field: 'body/customer_id', issue: 'does not exist' }]);
    if (b.due_date && b.due_date < b.issue_date) return fail(422, 'invalid_dates', 'due_date is before issue_date', [{ field: 'body/due_date', issue: 'before issue_date' }]);
    const inv = addInvoice(ctx.user, b);
    return json(201, invoiceView(inv), { Location: `/invoices/${inv.id}` });
  },

  getInvoice(ctx) {
    // FAULT B12: "UUIDs cannot be guessed", so the buggy read skips the owner check
    const inv = BUGGY ? invoices.get(String(ctx.path.invoice_id).toLowerCase()) : ownInvoice(ctx);
    if (!inv) return notFound('invoice');
    const view = invoiceView(inv);
    if (BUGGY) view.amount_paid = (inv.amount_paid / 100).toFixed(2); // FAULT B3: a decimal string on the single read
    return json(200, view);
  },

  patchInvoice(ctx) {
    const inv = ownInvoice(ctx);
    if (!inv) return notFound('invoice');
    const next = { ...inv };
    for (const [i, o] of ctx.body.entries()) {
      const field = o.path.slice(1);
      if (o.op === 'remove') { next[field] = null; continue; }
      if (!('value' in o)) return fail(400, 'invalid_request', 'invalid body', [{ field: `body/${i}/value`, issue: 'is required for add and replace' }]);
      const v = o.value;
      const max = { notes: 1000, po_number: 40 }[field];
      const ok = v === null || (field === 'due_date' ? validDay(v) : typeof v === 'string' && [...v].length <= max);
      if (!ok) return fail(400, 'invalid_request', 'invalid body', [{ field: `body/${i}/value`, issue: field === 'due_date' ? 'must be a date or null' : `must be a string of at most ${max} characters or null` }]);
      next[field] = v;
    }
    if (next.due_date && next.due_date < next.issue_date) return fail(422, 'invalid_dates', 'due_date is before issue_date', [{ field: 'body', issue: 'due_date before issue_date' }]);
    invoices.set(inv.id, next);
    return json(200, invoiceView(next));
  },

  deleteInvoice(ctx) {
    const inv = ownInvoice(ctx);
    if (!inv) return notFound('invoice');
    if (inv.status !== 'draft') return fail(409, 'conflict', `a ${inv.status} invoice cannot be deleted; void it`);
    invoices.delete(inv.id);
    return { status: 204 };
  },

  bulkInvoiceAction(ctx) {
    const { action, invoice_ids } = ctx.body;
    const results = invoice_ids.map((id) => {
      const inv = invoices.get(id.toLowerCase());
      if (!inv || inv.owner_id !== ctx.user.id) return { invoice_id: id, outcome: 'not_found', status: null };
      const from = action === 'send' ? ['draft', 'sent'] : ['draft', 'sent', 'void'];
      if (!from.includes(inv.status)) return { invoice_id: id, outcome: 'conflict', status: inv.status };
      inv.status = action === 'send' ? 'sent' : 'void';
      return { invoice_id: id, outcome: 'done', status: inv.status };
    });
    return json(200, { results });
  },

  listPayments(ctx) {
    const inv = ownInvoice(ctx);
    if (!inv) return notFound('invoice');
    return json(200, payments.filter((p) => p.invoice_id === inv.id));
  },

  recordPayment(ctx) {
    const inv = ownInvoice(ctx);
    if (!inv) return notFound('invoice');
    if (inv.status === 'void') return fail(409, 'conflict', 'the invoice is void');
    const b = ctx.body;
    if (BUGGY && b.method === 'bank_transfer') return fail(400, 'invalid_request', 'unsupported payment method', [{ field: 'body/method', issue: 'must be card' }]); // FAULT B6
    const p = {
      id: ++seq.payment, invoice_id: inv.id, method: b.method, amount: b.amount, paid_on: b.paid_on ?? today(),
      // FAULT B2: the buggy variant assumes card_last4 is there (its validator no longer requires it)
      card_last4: b.method === 'card' ? b.card_last4.slice(-4) : null,
      iban_last4: b.method === 'bank_transfer' ? b.iban.slice(-4) : null,
      reference: b.reference ?? null, created_at: now(),
    };
    payments.push(p);
    inv.amount_paid += b.amount;
    if (inv.amount_paid >= inv.total_amount && ['draft', 'sent'].includes(inv.status)) inv.status = 'paid';
    return json(201, p);
  },

  startExport(ctx) {
    const b = ctx.body;
    if (b.to < b.from) return fail(422, 'invalid_range', '`to` is before `from`', [{ field: 'body/to', issue: 'before from' }]);
    const job = { job_id: crypto.randomUUID(), owner_id: ctx.user.id, format: b.format, from: b.from, to: b.to, statuses: b.statuses || null, created_ms: Date.now(), created_at: now() };
    exportsJobs.set(job.job_id, job);
    if (BUGGY) return json(200, jobView(job)); // FAULT B4: 200 and no Location
    return json(202, jobView(job), { Location: `/exports/${job.job_id}` });
  },

  getExport(ctx) {
    const job = exportsJobs.get(String(ctx.path.job_id).toLowerCase());
    if (!job || job.owner_id !== ctx.user.id) return notFound('export job');
    return json(200, jobView(job));
  },

  adminListUsers(ctx) {
    if (!BUGGY && ctx.user.role !== 'admin') return fail(403, 'forbidden', 'admins only'); // FAULT B14
    const { offset = 0, limit = 20 } = ctx.query;
    return json(200, [...users.values()].slice(offset, offset + limit).map(publicUser));
  },
};

function jobView(job) {
  const age = Date.now() - job.created_ms;
  const status = age < 300 ? 'queued' : age < 800 ? 'running' : 'done';
  const rows = [...invoices.values()].filter((i) => i.owner_id === job.owner_id && i.issue_date >= job.from && i.issue_date <= job.to && (!job.statuses || job.statuses.includes(i.status)));
  return {
    job_id: job.job_id, status, format: job.format, created_at: job.created_at,
    download_url: status === 'done' ? `/exports/${job.job_id}/download` : null,
    row_count: status === 'done' ? rows.length : null,
  };
}

// ---------- SELFCHECK: every answer against the spec ----------
let deviations = 0;
function selfcheck(req, route, out) {
  const op = route && route.item[req.method.toLowerCase()];
  if (!op) return;
  const say = (msg) => { deviations++; process.stderr.write(`SELFCHECK ${req.method} ${req.url} ${out.status}: ${msg}\n`); };
  const r = op.responses[String(out.status)];
  if (!r) return say('status not documented');
  const ct = out.headers && out.headers['Content-Type'];
  if (r.content) {
    if (!ct || !r.content[ct]) return say(`content type ${ct} not documented`);
    const e = validate(spec, r.content[ct].schema, out.body, 'response');
    if (e.length) say(`schema: ${JSON.stringify(e.slice(0, 3))}`);
  } else if (out.body !== undefined) say('a body on a response without content');
  for (const [name, h] of Object.entries(r.headers || {})) {
    const has = Object.keys(out.headers || {}).find((k) => k.toLowerCase() === name.toLowerCase());
    if (h.required && !has) say(`header ${name} missing`);
    if (has && h.schema && h.schema.type === 'integer' && !/^\d+$/.test(out.headers[has])) say(`header ${name} not an integer`);
  }
}

let answered = 0;
const server = http.createServer(async (req, res) => {
  let route = findRoute(new URL(req.url, 'http://localhost').pathname) || null;
  let out;
  try { ({ route, out } = await handle(req)); } catch (e) {
    if (process.env.DEBUG) process.stderr.write(`${e.stack}\n`);
    out = fail(500, 'internal', 'internal error');
  }
  answered++;
  if (SELFCHECK) selfcheck(req, route, out);
  const headers = { ...(out.headers || {}) };
  if (out.status === 204 || out.body === undefined) { delete headers['Content-Type']; res.writeHead(out.status, headers); return res.end(); }
  res.writeHead(out.status, headers);
  res.end(JSON.stringify(out.body));
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`Ledgerly (${variant}) listening on http://127.0.0.1:${server.address().port}\n`));
const bye = () => { if (SELFCHECK) process.stderr.write(`SELFCHECK done: ${answered} answers, ${deviations} deviations\n`); process.exit(0); };
process.on('SIGTERM', bye);
process.on('SIGINT', bye);
