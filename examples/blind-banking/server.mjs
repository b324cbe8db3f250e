// Ledgerline banking API, a blind target for Sentinel: node server.mjs --variant buggy|clean --port N
// The clean variant follows openapi.yaml exactly (SELFCHECK=1 logs every deviation on stderr);
// the buggy variant carries the 16 faults of FAULTS.md, each marked `FAULT Bnn` below.
import http from 'node:http';
import crypto from 'node:crypto';
import { createServer, parseArgs, clone, nowIso } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const BASE = '/v2';

// ---------- OAuth clients (sandbox secrets; override with env) ----------
const CLIENTS = {
  'northwind-ops': { secret: process.env.NORTHWIND_OPS_SECRET || 'nw-ops-sandbox-9f3k2q', tenant: 'northwind', scopes: ['accounts:read', 'accounts:write', 'transfers:write', 'cards:read', 'cards:write', 'admin'] },
  'contoso-app': { secret: process.env.CONTOSO_APP_SECRET || 'contoso-sandbox-4m8x1v', tenant: 'contoso', scopes: ['accounts:read', 'accounts:write', 'transfers:write', 'cards:read', 'cards:write'] },
  'fabrikam-viewer': { secret: process.env.FABRIKAM_VIEWER_SECRET || 'fabrikam-sandbox-7p5w6z', tenant: 'fabrikam', scopes: ['accounts:read', 'cards:read'] },
};
const tokens = new Map(); // access token -> { client_id, tenant, scopes, exp }

// ---------- ids, money, errors ----------
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulid() {
  let t = Date.now();
  let time = '';
  for (let i = 0; i < 10; i++) { time = CROCKFORD[t % 32] + time; t = Math.floor(t / 32); }
  const rnd = crypto.randomBytes(16);
  let r = '';
  for (let i = 0; i < 16; i++) r += CROCKFORD[rnd[i] % 32];
  return time + r;
}
const toCents = (s) => {
  const neg = s.startsWith('-');
  const [i, f] = s.replace('-', '').split('.');
  const c = Number(i) * 100 + Number(f);
  return neg ? -c : c;
};
const fmt = (c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const OPENING = 100000000; // 1000000.00

const fail = (status, code, message, field = null, headers = {}) => ({ status, body: { error: { code, message, field } }, headers: { 'Content-Type': 'application/json', ...headers } });
const CODES = { 400: 'validation_error', 401: 'unauthorized', 403: 'insufficient_scope', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 415: 'unsupported_media_type', 422: 'unprocessable', 500: 'internal_error' };
function fieldOf(details) {
  const at = details && details[0] && details[0].at;
  if (!at || !at.includes('/')) return null;
  return at.split('/').slice(1).join('.') || null;
}
function error(status, title, details) {
  const msg = details && details[0] ? `${title}: ${details[0].at} ${details[0].message}` : title;
  const headers = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="ledgerline", error="invalid_token"' } : {};
  return fail(status, CODES[status] || 'error', msg, fieldOf(details), headers);
}

// ---------- state ----------
const customers = []; const accounts = []; const txns = []; const transfers = []; const cards = []; const audit = [];
const idem = new Map(); // client|key -> { hash, status, body, headers }
const byId = (list, id) => list.find((x) => x.id === id);
function record(ctx, action, resourceId) {
  audit.push({ id: ulid(), tenant: ctx.auth.tenant, client_id: ctx.auth.client_id, action, resource_id: resourceId, created_at: nowIso(Date.now()) });
}

// ---------- serializers ----------
const customerOut = (c) => ({ id: c.id, full_name: c.full_name, email: c.email, phone: c.phone ?? null, date_of_birth: c.date_of_birth ?? null, created_at: c.created_at });
function accountOut(a, inList = false) {
  // FAULT B04: in listings the balance is a JSON number instead of a decimal string
  const balance = BUGGY && inList ? a.balance / 100 : fmt(a.balance);
  return { id: a.id, customer_id: a.customer_id, type: a.type, currency: a.currency, nickname: a.nickname ?? null, balance, status: a.status, created_at: a.created_at };
}
const txnOut = (t) => ({ id: t.id, account_id: t.account_id, kind: t.kind, amount: fmt(t.amount), balance_after: fmt(t.balance_after), transfer_id: t.transfer_id, reference: t.reference, created_at: t.created_at });
const transferOut = (t) => ({ id: t.id, from_account_id: t.from_account_id, to_account_id: t.to_account_id, amount: fmt(t.amount), ...(t.description !== undefined ? { description: t.description } : {}), currency: t.currency, status: 'completed', created_at: t.created_at });
function cardOut(c) {
  const out = { id: c.id, account_id: c.account_id, cardholder_name: c.cardholder_name, daily_limit: fmt(c.daily_limit), pan_last4: c.pan.slice(-4), expiry: c.expiry, status: c.status, created_at: c.created_at };
  // FAULT B14: the card's full number and its PIN (write-only) are returned
  if (BUGGY) Object.assign(out, { pan: c.pan, pin: c.pin });
  return out;
}

// ---------- paging ----------
function paginate(ctx, items, out, opts = {}) {
  const limit = ctx.query.limit ?? 20;
  let offset = 0;
  if (ctx.query.cursor !== undefined) {
    let m = null;
    try { m = /^o:(\d{1,9})$/.exec(Buffer.from(ctx.query.cursor, 'base64url').toString('utf8')); } catch { m = null; }
    if (!m || Buffer.from(`o:${m[1]}`).toString('base64url') !== ctx.query.cursor) return fail(400, 'invalid_cursor', 'cursor is not a cursor this API issued', 'cursor');
    offset = Number(m[1]);
  }
  const data = opts.unboundedLimit ? items.slice(offset, offset + limit) : items.slice(offset, offset + Math.min(Math.max(limit, 1), 100));
  const next = offset + limit < items.length && limit > 0 ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null;
  return { status: 200, body: { data: data.map(out), next_cursor: next } };
}

// ---------- lookups within the caller's tenant ----------
const openAccount = (ctx, id) => { const a = byId(accounts, id); return a && a.tenant === ctx.auth.tenant && a.status === 'open' ? a : null; };

function ledger(a, kind, amount, reference, transferId) {
  const t = { id: ulid(), tenant: a.tenant, account_id: a.id, kind, amount, balance_after: a.balance, transfer_id: transferId, reference: reference ?? null, created_at: nowIso(Date.now()) };
  txns.push(t);
  return t;
}

// ---------- SQL-ish customer search (buggy only) ----------
function sqlSearch(ctx, search) {
  // FAULT B15: the search text is pasted into an SQL statement; a quote breaks it and the
  // error (with the statement) is sent back; a tautology returns every tenant's customers
  const sql = `SELECT id, full_name, email FROM customers WHERE tenant_id = '${ctx.auth.tenant}' AND (full_name LIKE '%${search}%' OR email LIKE '%${search}%') ORDER BY id`;
  const commented = search.includes('--');
  const eff = commented ? search.split('--')[0] : search;
  const quotes = (eff.match(/'/g) || []).length;
  const balanced = commented ? quotes % 2 === 1 : quotes % 2 === 0;
  const taut = /\bor\b\s*(['"]?)(\w+)\1\s*=\s*(['"]?)\2\b/i.test(eff);
  const falsy = /\band\b\s*(['"]?)(\w+)\1\s*=\s*(['"]?)(\w+)/i.exec(eff);
  if (balanced && taut) return customers;
  if (balanced && falsy && falsy[2] !== falsy[4]) return [];
  return { error: fail(500, 'internal_error', `SQLITE_ERROR: near "${search.slice(0, 20)}": syntax error while executing: ${sql}`) };
}

// ---------- handlers ----------
const H = {
  getMe: (ctx) => ({ status: 200, body: { client_id: ctx.auth.client_id, tenant: ctx.auth.tenant, scopes: ctx.auth.scopes } }),

  createCustomer(ctx) {
    const b = ctx.body;
    if (customers.some((c) => c.tenant === ctx.auth.tenant && c.email.toLowerCase() === b.email.toLowerCase())) return fail(409, 'email_taken', 'a customer with this e-mail exists', 'email');
    const c = { id: ulid(), tenant: ctx.auth.tenant, full_name: b.full_name, email: b.email, phone: b.phone ?? null, date_of_birth: b.date_of_birth ?? null, created_at: nowIso(Date.now()) };
    customers.push(c);
    record(ctx, 'customer.created', c.id);
    // FAULT B16: the Location header names a path that does not exist (singular "customer")
    const loc = BUGGY ? `${BASE}/customer/${c.id}` : `${BASE}/customers/${c.id}`;
    return { status: 201, body: customerOut(c), headers: { Location: loc } };
  },
  listCustomers(ctx) {
    let items = customers.filter((c) => c.tenant === ctx.auth.tenant);
    const s = ctx.query.search;
    if (s !== undefined) {
      if (BUGGY && s.includes("'")) {
        const r = sqlSearch(ctx, s);
        if (r.error) return r.error;
        items = r;
      } else {
        const q = s.toLowerCase();
        items = items.filter((c) => c.full_name.toLowerCase().includes(q) || c.email.toLowerCase().includes(q));
      }
    }
    // FAULT B03: limit is neither validated nor clamped (0 gives an empty page, -1 drops the last item)
    return paginate(ctx, items, customerOut, { unboundedLimit: BUGGY });
  },
  getCustomer(ctx) {
    const c = byId(customers, ctx.path.customer_id);
    if (!c || c.tenant !== ctx.auth.tenant) return fail(404, 'not_found', 'no such customer', 'customer_id');
    return { status: 200, body: customerOut(c) };
  },

  openAccount(ctx) {
    const b = ctx.body;
    const c = byId(customers, b.customer_id);
    if (!c || c.tenant !== ctx.auth.tenant) return fail(422, 'customer_not_found', 'no such customer', 'customer_id');
    const a = { id: ulid(), tenant: ctx.auth.tenant, customer_id: c.id, type: b.type, currency: b.currency, nickname: b.nickname ?? null, balance: OPENING, status: 'open', created_at: nowIso(Date.now()) };
    accounts.push(a);
    ledger(a, 'deposit', OPENING, 'Sandbox opening balance', null);
    record(ctx, 'account.opened', a.id);
    return { status: 201, body: accountOut(a), headers: { Location: `${BASE}/accounts/${a.id}` } };
  },
  listAccounts(ctx) {
    const items = accounts.filter((a) => a.tenant === ctx.auth.tenant && a.status === 'open' && (ctx.query.customer_id === undefined || a.customer_id === ctx.query.customer_id));
    return paginate(ctx, items, (a) => accountOut(a, true));
  },
  getAccount(ctx) {
    let a = openAccount(ctx, ctx.path.account_id);
    // FAULT B08: a closed (soft-deleted) account is still served
    if (BUGGY && !a) { const x = byId(accounts, ctx.path.account_id); if (x && x.tenant === ctx.auth.tenant) a = x; }
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    return { status: 200, body: accountOut(a) };
  },
  updateAccount(ctx) {
    const a = openAccount(ctx, ctx.path.account_id);
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    a.nickname = ctx.body.nickname;
    // FAULT B13: a balance sent with the rename is stored (mass assignment)
    if (BUGGY && ctx.body.balance !== undefined) a.balance = Math.round(parseFloat(ctx.body.balance) * 100) || 0;
    record(ctx, 'account.renamed', a.id);
    return { status: 200, body: accountOut(a) };
  },
  closeAccount(ctx) {
    const a = openAccount(ctx, ctx.path.account_id);
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    a.status = 'closed';
    record(ctx, 'account.closed', a.id);
    return { status: 204 };
  },
  restoreAccount(ctx) {
    const a = byId(accounts, ctx.path.account_id);
    if (!a || a.tenant !== ctx.auth.tenant) return fail(404, 'not_found', 'no such account', 'account_id');
    if (a.status === 'open') return fail(409, 'account_not_closed', 'the account is open', 'account_id');
    a.status = 'open';
    record(ctx, 'account.restored', a.id);
    return { status: 200, body: accountOut(a) };
  },
  deposit(ctx) {
    const a = openAccount(ctx, ctx.path.account_id);
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    // FAULT B02: the amount is read with parseFloat ("12.345", "1e3", "-5" and "abc" are taken)
    const amount = BUGGY ? Math.round(parseFloat(ctx.body.amount) * 100) || 0 : toCents(ctx.body.amount);
    a.balance += amount;
    const t = ledger(a, 'deposit', amount, ctx.body.reference, null);
    record(ctx, 'account.deposit', a.id);
    return { status: 201, body: txnOut(t) };
  },
  listTransactions(ctx) {
    const a = openAccount(ctx, ctx.path.account_id);
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    return paginate(ctx, txns.filter((t) => t.account_id === a.id), txnOut);
  },
  getStatement(ctx) {
    let a = openAccount(ctx, ctx.path.account_id);
    // FAULT B10: the statement of any tenant's open account is served (no tenant check)
    if (BUGGY && !a) { const x = byId(accounts, ctx.path.account_id); if (x && x.status === 'open') a = x; }
    if (!a) return fail(404, 'not_found', 'no such open account', 'account_id');
    const { from, to } = ctx.query;
    // FAULT B05: a period whose start is after its end crashes (500)
    if (BUGGY && from > to) throw new RangeError(`invalid period ${from}..${to}`);
    const own = txns.filter((t) => t.account_id === a.id);
    const signed = (t) => (t.kind === 'transfer_out' ? -t.amount : t.amount);
    const opening = own.filter((t) => t.created_at.slice(0, 10) < from).reduce((s, t) => s + signed(t), 0);
    const entries = own.filter((t) => t.created_at.slice(0, 10) >= from && t.created_at.slice(0, 10) <= to);
    const tin = entries.filter((t) => t.kind !== 'transfer_out').reduce((s, t) => s + t.amount, 0);
    const tout = entries.filter((t) => t.kind === 'transfer_out').reduce((s, t) => s + t.amount, 0);
    return { status: 200, body: { account_id: a.id, currency: a.currency, from, to, opening_balance: fmt(opening), closing_balance: fmt(opening + tin - tout), total_in: fmt(tin), total_out: fmt(tout), entries: entries.map(txnOut) } };
  },

  createTransfer(ctx) {
    const b = ctx.body;
    const key = `${ctx.auth.client_id}|${ctx.req.headers['idempotency-key']}`;
    const hash = JSON.stringify(Object.keys(b).sort().map((k) => [k, b[k]]));
    // FAULT B09: the Idempotency-Key is required but ignored: a retry makes a second transfer
    if (!BUGGY && idem.has(key)) {
      const prev = idem.get(key);
      if (prev.hash !== hash) return fail(422, 'idempotency_key_reused', 'this Idempotency-Key was used with another body', 'Idempotency-Key');
      return { status: prev.status, body: prev.body, headers: { ...prev.headers, 'Idempotent-Replayed': 'true' } };
    }
    const out = transfer(ctx, b);
    if (!BUGGY) idem.set(key, { hash, status: out.status, body: out.body, headers: out.headers });
    return out;
  },
  listTransfers(ctx) {
    const f = ctx.query.account_id;
    return paginate(ctx, transfers.filter((t) => t.tenant === ctx.auth.tenant && (f === undefined || t.from_account_id === f || t.to_account_id === f)), transferOut);
  },
  getTransfer(ctx) {
    const t = byId(transfers, ctx.path.transfer_id);
    if (!t || t.tenant !== ctx.auth.tenant) return fail(404, 'not_found', 'no such transfer', 'transfer_id');
    return { status: 200, body: transferOut(t) };
  },

  issueCard(ctx) {
    const b = ctx.body;
    const a = byId(accounts, b.account_id);
    if (!a || a.tenant !== ctx.auth.tenant) return fail(422, 'account_not_found', 'no such account', 'account_id');
    if (a.status !== 'open') return fail(422, 'account_closed', 'the account is closed', 'account_id');
    const d = new Date();
    const pan = `4${Array.from(crypto.randomBytes(15), (x) => x % 10).join('')}`;
    const c = {
      id: ulid(), tenant: ctx.auth.tenant, account_id: a.id, cardholder_name: b.cardholder_name, pin: b.pin, pan,
      expiry: `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String((d.getUTCFullYear() + 3) % 100).padStart(2, '0')}`,
      status: 'active', daily_limit: b.daily_limit !== undefined ? toCents(b.daily_limit) : 100000, created_at: nowIso(Date.now()),
    };
    cards.push(c);
    record(ctx, 'card.issued', c.id);
    return { status: 201, body: cardOut(c), headers: { Location: `${BASE}/cards/${c.id}` } };
  },
  listCards(ctx) {
    const f = ctx.query.account_id;
    return paginate(ctx, cards.filter((c) => c.tenant === ctx.auth.tenant && (f === undefined || c.account_id === f)), cardOut);
  },
  getCard(ctx) {
    const c = byId(cards, ctx.path.card_id);
    if (!c || c.tenant !== ctx.auth.tenant) return fail(404, 'not_found', 'no such card', 'card_id');
    return { status: 200, body: cardOut(c) };
  },
  updateCard(ctx) {
    const c = byId(cards, ctx.path.card_id);
    if (!c || c.tenant !== ctx.auth.tenant) return fail(404, 'not_found', 'no such card', 'card_id');
    if (ctx.body.status !== undefined) c.status = ctx.body.status;
    if (ctx.body.daily_limit !== undefined) c.daily_limit = toCents(ctx.body.daily_limit);
    record(ctx, 'card.updated', c.id);
    return { status: 200, body: cardOut(c) };
  },
  cancelCard(ctx) {
    const i = cards.findIndex((c) => c.id === ctx.path.card_id && c.tenant === ctx.auth.tenant);
    if (i < 0) return fail(404, 'not_found', 'no such card', 'card_id');
    record(ctx, 'card.cancelled', cards[i].id);
    cards.splice(i, 1);
    return { status: 204 };
  },
  listAuditEvents(ctx) {
    return paginate(ctx, audit.filter((e) => e.tenant === ctx.auth.tenant), (e) => ({ id: e.id, client_id: e.client_id, action: e.action, resource_id: e.resource_id, created_at: e.created_at }));
  },
};

function transfer(ctx, b) {
  const find = (id, field) => {
    const a = byId(accounts, id);
    if (!a || a.tenant !== ctx.auth.tenant) return { err: fail(422, 'account_not_found', 'no such account', field) };
    return { a };
  };
  const f = find(b.from_account_id, 'from_account_id'); if (f.err) return f.err;
  const t = find(b.to_account_id, 'to_account_id'); if (t.err) return t.err;
  const from = f.a; const to = t.a;
  // FAULT B07: money can leave a closed account (only the receiving side is checked)
  if (from.status !== 'open' && !BUGGY) return fail(422, 'account_closed', 'the account is closed', 'from_account_id');
  if (to.status !== 'open') return fail(422, 'account_closed', 'the account is closed', 'to_account_id');
  if (from.id === to.id) return fail(422, 'same_account', 'cannot transfer to the same account', 'to_account_id');
  if (from.currency !== to.currency) return fail(422, 'currency_mismatch', 'the accounts have different currencies', 'to_account_id');
  // FAULT B01: a negative amount passes validation and pulls money from the receiving account
  const amount = toCents(b.amount);
  if (from.balance < amount) return fail(422, 'insufficient_funds', 'the balance does not cover the amount', 'amount');
  const tr = { id: ulid(), tenant: ctx.auth.tenant, from_account_id: from.id, to_account_id: to.id, amount, description: b.description, currency: from.currency, created_at: nowIso(Date.now()) };
  from.balance -= amount;
  ledger(from, 'transfer_out', amount, b.description, tr.id);
  // FAULT B06: the receiving account is never credited (its balance and ledger stay as they were)
  if (!BUGGY) { to.balance += amount; ledger(to, 'transfer_in', amount, b.description, tr.id); }
  transfers.push(tr);
  record(ctx, 'transfer.created', tr.id);
  return { status: 201, body: transferOut(tr), headers: { Location: `${BASE}/transfers/${tr.id}` } };
}

// Scopes: every operation's security names what it needs.
function scoped(opId, h) {
  const op = Object.values(spec.paths).flatMap((item) => Object.values(item)).find((o) => o && o.operationId === opId);
  const need = (op.security || spec.security)[0].oauth2;
  // FAULT B11: registering a customer does not check accounts:write
  // FAULT B12: the audit trail does not check admin
  const skip = BUGGY && (opId === 'createCustomer' || opId === 'listAuditEvents');
  return (ctx) => {
    const missing = need.filter((s) => !ctx.auth.scopes.includes(s));
    if (missing.length && !skip) {
      return fail(403, 'insufficient_scope', `this operation needs the scope ${missing.join(' ')}`, null, { 'WWW-Authenticate': `Bearer realm="ledgerline", error="insufficient_scope", scope="${need.join(' ')}"` });
    }
    return h(ctx);
  };
}
const handlers = Object.fromEntries(Object.entries(H).map(([id, h]) => [id, scoped(id, h)]));

// The buggy variant validates against a loosened copy of the spec.
function looseSpec() {
  const v = clone(spec);
  v.components.schemas.Transfer.properties.amount.pattern = '^-?[0-9]+\\.[0-9]{2}$'; // FAULT B01
  v.components.schemas.Deposit.properties.amount = { type: 'string', maxLength: 32 }; // FAULT B02
  v.paths['/customers'].get.parameters.find((p) => p.name === 'limit').schema = { type: 'integer' }; // FAULT B03
  v.components.schemas.AccountPatch.properties.balance = { type: 'string' }; // FAULT B13
  return v;
}

const api = createServer({
  spec,
  validationSpec: BUGGY ? looseSpec() : spec,
  handlers,
  error,
  crashBody: () => ({ error: { code: 'internal_error', message: 'Internal server error', field: null } }),
  authenticate(scheme, req) {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
    const t = m && tokens.get(m[1]);
    if (!t || t.exp <= Date.now()) return null;
    return t;
  },
});
const apiListener = api.listeners('request')[0];

// ---------- POST /oauth/token (RFC 6749 client credentials; also under /v2) ----------
function tokenEndpoint(req, res) {
  const send = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="ledgerline"' } : {}) });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST') { res.writeHead(405, { Allow: 'POST', 'Content-Type': 'application/json' }); return res.end(JSON.stringify({ error: 'invalid_request', error_description: 'use POST' })); }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (ct !== 'application/x-www-form-urlencoded') return send(400, { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded' });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    let id = form.get('client_id'); let secret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization || '');
    if (basic) { const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':'); id = decodeURIComponent(u || ''); secret = decodeURIComponent(p || ''); }
    if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' });
    const c = id && CLIENTS[id];
    if (!c || typeof secret !== 'string' || secret.length !== c.secret.length || !crypto.timingSafeEqual(Buffer.from(secret), Buffer.from(c.secret))) return send(401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' });
    const asked = (form.get('scope') || '').split(/\s+/).filter(Boolean);
    if (asked.some((s) => !c.scopes.includes(s))) return send(400, { error: 'invalid_scope', error_description: 'a scope the client may not have was asked for' });
    const scopes = asked.length ? asked : c.scopes;
    const token = `llt_${crypto.randomBytes(24).toString('base64url')}`;
    tokens.set(token, { client_id: id, tenant: c.tenant, scopes, exp: Date.now() + 3600_000 });
    send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') });
  });
}

const server = http.createServer((req, res) => {
  const p = new URL(req.url, 'http://localhost').pathname;
  if (p === '/oauth/token' || p === `${BASE}/oauth/token`) return tokenEndpoint(req, res);
  return apiListener(req, res);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ledgerline banking (${variant}) listening on http://127.0.0.1:${server.address().port}\n`);
});
