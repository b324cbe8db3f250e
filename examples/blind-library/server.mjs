// Lending Desk: a library lending service (members, books, copies, loans, holds, fines).
//   node server.mjs --variant clean|buggy --port N
// The clean variant follows openapi.yaml exactly; the buggy one has the 16 faults of FAULTS.md,
// each marked with its id (L01…L16) below. Node 20 standard library only, state in memory.
import crypto from 'node:crypto';
import {
  parseArgs, createServer, listen, validate, deref, clone, signJwt, verifyJwt, hashPassword, nowIso,
} from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';
import { where, SqlError } from './sql.mjs';

const { port, variant } = parseArgs();
const buggy = variant === 'buggy';
const SECRET = crypto.randomBytes(32).toString('hex');
const TOKEN_TTL = 7200;
const DAY = 86400000;

// ---------- errors: RFC 7807 ----------
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
function problem(status, title, detail, params) {
  const body = { type: `https://library.example/problems/${slug(title)}`, title, status };
  if (detail) body.detail = detail;
  if (params && params.length) body.invalid_params = params;
  return { status, body, headers: { 'Content-Type': 'application/problem+json' } };
}
// the shared router reports {at: 'body/isbn', message}; named here as RFC 7807's invalid params
function routerError(status, title, details) {
  const params = (details || []).map((d) => ({
    name: d.at.replace(/^(body|query|path|header)\/?/, '').replace(/\//g, '.') || d.at,
    reason: d.message,
  }));
  const out = problem(status, title, params.map((p) => `${p.name} ${p.reason}`).join('; ') || undefined, params);
  if (status === 401) out.headers['WWW-Authenticate'] = 'Bearer realm="library"';
  return out;
}
const notFound = (what) => problem(404, 'Not Found', `No such ${what}`);
const forbidden = () => problem(403, 'Forbidden', 'Librarians only');
const conflict = (detail, name) => problem(409, 'Conflict', detail, name ? [{ name, reason: 'already exists' }] : undefined);
const unprocessable = (detail, name) => problem(422, 'Unprocessable Content', detail, [{ name, reason: 'does not exist' }]);

// ---------- state ----------
const db = { members: new Map(), books: new Map(), copies: new Map(), loans: new Map(), holds: new Map(), fines: new Map() };
const seq = { members: 0, books: 0, copies: 0, loans: 0, holds: 0, fines: 0 };
const insert = (table, row) => { const id = ++seq[table]; const r = { id, ...row }; db[table].set(id, r); return r; };
const failures = new Map(); // username -> timestamps of failed sign-ins in the last minute

function seed() {
  const t = Date.parse('2026-11-02T09:00:00Z');
  const person = (username, full_name, role, password) => {
    const salt = crypto.randomBytes(8).toString('hex');
    return insert('members', {
      username, email: `${username}@library.example`, full_name, phone: null, role,
      password_hash: hashPassword(password, salt), created_at: nowIso(t),
    });
  };
  person('marian', 'Marian Paroo', 'librarian', 'marian-shelves-2026');
  person('alice', 'Alice Liddell', 'member', 'alice-reads-2026');
  person('bob', 'Bob Cratchit', 'member', 'bob-reads-2026');
  const carol = person('carol', 'Carol Danvers', 'member', 'carol-reads-2026');
  const books = [
    ['9780141321066', 'The Secret Garden', ['Frances Hodgson Burnett'], 1911, ['fiction', 'classics']],
    ['9780553380163', 'A Brief History of Time', ['Stephen Hawking'], 1988, ['science']],
    ['9780141439549', 'Middlemarch', ['George Eliot'], 1871, ['fiction', 'classics']],
    ['9780299105349', "The Gardener's Year", ['Karel Čapek'], 1929, ['gardening', 'humour']],
  ];
  let n = 0;
  for (const [isbn, title, authors, published_year, subjects] of books) {
    const b = insert('books', { isbn, title, authors, published_year, subjects, created_at: nowIso(t) });
    for (const branch of ['central', 'riverside']) {
      n++;
      insert('copies', { book_id: b.id, barcode: `LIB-${String(n).padStart(6, '0')}`, branch, condition: 'good', status: 'available', added_at: nowIso(t) });
    }
  }
  const copy = db.copies.get(1);
  copy.status = 'on_loan';
  insert('loans', { copy_id: 1, book_id: 1, member_id: carol.id, status: 'active', borrowed_at: nowIso(t + DAY), due_date: nowIso(t + 22 * DAY).slice(0, 10), returned_at: null, renewals: 0 });
  insert('holds', { book_id: 2, member_id: carol.id, pickup_branch: 'hillcrest', notes: null, status: 'waiting', placed_at: nowIso(t + DAY) });
  insert('fines', { member_id: carol.id, amount_cents: 150, reason: 'Returned late', status: 'open', created_at: nowIso(t + 2 * DAY) });
}
seed();

// ---------- representations ----------
const memberOut = (m) => {
  const out = { id: m.id, username: m.username, email: m.email, full_name: m.full_name, phone: m.phone, role: m.role, created_at: m.created_at };
  return out;
};
function bookOut(b) {
  const copies = [...db.copies.values()].filter((c) => c.book_id === b.id);
  return {
    id: b.id, isbn: b.isbn, title: b.title, authors: [...b.authors], published_year: b.published_year, subjects: [...b.subjects],
    total_copies: copies.length, available_copies: copies.filter((c) => c.status === 'available').length, created_at: b.created_at,
  };
}
const copyOut = (c) => ({ id: c.id, book_id: c.book_id, barcode: c.barcode, branch: c.branch, condition: c.condition, status: c.status, added_at: c.added_at });
const loanOut = (l) => ({ id: l.id, copy_id: l.copy_id, book_id: l.book_id, member_id: l.member_id, status: l.status, borrowed_at: l.borrowed_at, due_date: l.due_date, returned_at: l.returned_at, renewals: l.renewals });
const holdOut = (h) => ({ id: h.id, book_id: h.book_id, member_id: h.member_id, pickup_branch: h.pickup_branch, notes: h.notes, status: h.status, placed_at: h.placed_at });
const fineOut = (f) => ({ id: f.id, member_id: f.member_id, amount_cents: f.amount_cents, reason: f.reason, status: f.status, created_at: f.created_at });

// ---------- cursor pages ----------
const encodeCursor = (id) => Buffer.from(`after:${id}`).toString('base64url');
function decodeCursor(c) {
  const m = /^after:(\d{1,12})$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
function paginate(ctx, rows, out) {
  let after = 0;
  if (ctx.query.cursor !== undefined) {
    after = decodeCursor(ctx.query.cursor);
    if (after === null) return problem(400, 'Bad Request', 'cursor is not one this API issued', [{ name: 'cursor', reason: 'unknown cursor' }]);
  }
  const limit = ctx.query.limit ?? 20;
  const rest = rows.filter((r) => r.id > after).sort((a, b) => a.id - b.id);
  const items = rest.slice(0, limit);
  const more = rest.length > items.length && items.length > 0;
  return { status: 200, body: { items: items.map(out), next_cursor: more ? encodeCursor(items[items.length - 1].id) : null } };
}

// ---------- auth ----------
function authenticate(_scheme, req) {
  const m = /^Bearer (\S+)$/i.exec(req.headers.authorization || '');
  if (!m) return null;
  const claims = verifyJwt(m[1], SECRET);
  if (!claims || claims.typ !== 'access') return null;
  const member = db.members.get(claims.sub);
  return member ? { id: member.id, role: member.role } : null;
}
const isLibrarian = (ctx) => ctx.auth.role === 'librarian';
const sees = (ctx, row) => isLibrarian(ctx) || row.member_id === ctx.auth.id;
const created = (path, body) => ({ status: 201, body, headers: { Location: path } });

// ---------- handlers ----------
const handlers = {
  signUp(ctx) {
    const b = ctx.body;
    const all = [...db.members.values()];
    if (all.some((m) => m.username === b.username)) return conflict('That username is taken', 'username');
    if (all.some((m) => m.email.toLowerCase() === b.email.toLowerCase())) return conflict('That e-mail is already registered', 'email');
    // L10: the buggy variant takes a `role` the client sends
    const role = buggy && ['member', 'librarian'].includes(b.role) ? b.role : 'member';
    const salt = crypto.randomBytes(8).toString('hex');
    const m = insert('members', {
      username: b.username, email: b.email, full_name: b.full_name, phone: b.phone ?? null, role,
      password_hash: hashPassword(b.password, salt), created_at: nowIso(Date.now()),
    });
    return created(`/members/${m.id}`, memberOut(m));
  },
  listMembers(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    // L04: the buggy variant's limit has no bounds (see validationSpec): 0 gives an empty page, 5000 everything
    return paginate(ctx, [...db.members.values()], memberOut);
  },
  getMe(ctx) {
    return { status: 200, body: memberOut(db.members.get(ctx.auth.id)) };
  },
  updateMe(ctx) {
    const m = db.members.get(ctx.auth.id);
    const p = ctx.body || {};
    if (p.email !== undefined && [...db.members.values()].some((o) => o.id !== m.id && o.email.toLowerCase() === p.email.toLowerCase())) {
      return conflict('That e-mail is already registered', 'email');
    }
    for (const k of ['email', 'full_name', 'phone']) if (k in p) m[k] = p[k];
    return { status: 200, body: memberOut(m) };
  },
  getMember(ctx) {
    const m = db.members.get(ctx.path.member_id);
    if (!m || !(isLibrarian(ctx) || m.id === ctx.auth.id)) return notFound('member');
    // L11: the buggy variant returns the stored password hash
    return { status: 200, body: buggy ? { ...memberOut(m), password_hash: m.password_hash } : memberOut(m) };
  },

  listBooks(ctx) {
    let rows = [...db.books.values()];
    const { q, author, subject } = ctx.query;
    if (q !== undefined) {
      // L01: the buggy variant turns the search words into a regular expression unescaped
      if (buggy) { const rx = new RegExp(q, 'i'); rows = rows.filter((b) => rx.test(b.title)); }
      else rows = rows.filter((b) => b.title.toLowerCase().includes(q.toLowerCase()));
    }
    if (author !== undefined) {
      // L12: the buggy variant pastes the author into SQL
      if (buggy) {
        const flat = rows.map((b) => ({ id: b.id, authors: b.authors.join(', '), title: b.title, subjects: b.subjects.join(', ') }));
        const ids = new Set(where(flat, `authors LIKE '%${author}%'`).map((r) => r.id));
        rows = rows.filter((b) => ids.has(b.id));
      } else {
        rows = rows.filter((b) => b.authors.some((a) => a.toLowerCase().includes(author.toLowerCase())));
      }
    }
    if (subject !== undefined) rows = rows.filter((b) => b.subjects.includes(subject));
    return paginate(ctx, rows, bookOut);
  },
  createBook(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    const b = ctx.body;
    if ([...db.books.values()].some((x) => x.isbn === b.isbn)) return conflict('A book with that ISBN is already in the catalogue', 'isbn');
    const book = insert('books', {
      isbn: b.isbn, title: b.title, authors: b.authors, published_year: b.published_year ?? null,
      subjects: b.subjects ?? [], created_at: nowIso(Date.now()),
    });
    return created(`/books/${book.id}`, bookOut(book));
  },
  getBook(ctx) {
    const b = db.books.get(ctx.path.book_id);
    if (!b) return notFound('book');
    const out = bookOut(b);
    // L02: the buggy variant sends the count as the database driver gave it: a string
    if (buggy) out.available_copies = String(out.available_copies);
    return { status: 200, body: out };
  },
  updateBook(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    const b = db.books.get(ctx.path.book_id);
    if (!b) return notFound('book');
    const p = ctx.body || {};
    const next = { ...b };
    for (const k of ['title', 'authors', 'published_year', 'subjects']) if (k in p) next[k] = p[k];
    // L05: the buggy variant answers with the merged book but never stores it
    if (!buggy) db.books.set(b.id, next);
    return { status: 200, body: bookOut(next) };
  },
  deleteBook(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    const b = db.books.get(ctx.path.book_id);
    if (!b) return notFound('book');
    const copies = [...db.copies.values()].filter((c) => c.book_id === b.id);
    if (copies.some((c) => c.status === 'on_loan')) return problem(409, 'Conflict', 'A copy of this book is on loan');
    for (const c of copies) db.copies.delete(c.id);
    for (const h of [...db.holds.values()]) if (h.book_id === b.id) db.holds.delete(h.id);
    db.books.delete(b.id);
    return { status: 204 };
  },

  listCopies(ctx) {
    if (!db.books.has(ctx.path.book_id)) return notFound('book');
    const items = [...db.copies.values()].filter((c) => c.book_id === ctx.path.book_id).map(copyOut);
    return { status: 200, body: { items } };
  },
  addCopy(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    if (!db.books.has(ctx.path.book_id)) return notFound('book');
    const b = ctx.body;
    if ([...db.copies.values()].some((c) => c.barcode === b.barcode)) return conflict('That barcode is already in use', 'barcode');
    const c = insert('copies', { book_id: ctx.path.book_id, barcode: b.barcode, branch: b.branch, condition: b.condition ?? 'good', status: 'available', added_at: nowIso(Date.now()) });
    return created(`/copies/${c.id}`, copyOut(c));
  },
  getCopy(ctx) {
    const c = db.copies.get(ctx.path.copy_id);
    if (!c) return copyNotFound();
    return { status: 200, body: copyOut(c) };
  },
  withdrawCopy(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    const c = db.copies.get(ctx.path.copy_id);
    if (!c) return copyNotFound();
    if (c.status === 'on_loan') return problem(409, 'Conflict', 'The copy is on loan');
    db.copies.delete(c.id);
    // L13: the buggy variant answers 200 with the withdrawn copy instead of 204
    if (buggy) return { status: 200, body: copyOut(c) };
    return { status: 204 };
  },

  listLoans(ctx) {
    let rows = [...db.loans.values()].filter((l) => sees(ctx, l));
    if (ctx.query.status) rows = rows.filter((l) => l.status === ctx.query.status);
    return paginate(ctx, rows, loanOut);
  },
  borrowCopy(ctx) {
    const b = ctx.body;
    let memberId = ctx.auth.id;
    if (b.member_id !== undefined && b.member_id !== ctx.auth.id) {
      if (!isLibrarian(ctx)) return problem(403, 'Forbidden', 'Only librarians lend to other members');
      if (!db.members.has(b.member_id)) return unprocessable('No such member', 'member_id');
      memberId = b.member_id;
    }
    const c = db.copies.get(b.copy_id);
    if (!c) return unprocessable('No such copy', 'copy_id');
    if (c.status !== 'available') return problem(409, 'Conflict', 'The copy is already on loan');
    c.status = 'on_loan';
    const now = Date.now();
    const l = insert('loans', {
      copy_id: c.id, book_id: c.book_id, member_id: memberId, status: 'active', borrowed_at: nowIso(now),
      due_date: nowIso(now + 21 * DAY).slice(0, 10), returned_at: null, renewals: 0,
    });
    return created(`/loans/${l.id}`, loanOut(l));
  },
  getLoan(ctx) {
    const l = db.loans.get(ctx.path.loan_id);
    // L07: the buggy variant shows any member's loan to anyone signed in
    if (!l || (!buggy && !sees(ctx, l))) return notFound('loan');
    return { status: 200, body: loanOut(l) };
  },
  returnLoan(ctx) {
    const l = db.loans.get(ctx.path.loan_id);
    if (!l || !sees(ctx, l)) return notFound('loan');
    if (l.status !== 'active') return problem(409, 'Conflict', 'The loan was already returned');
    l.status = 'returned';
    l.returned_at = nowIso(Date.now());
    const c = db.copies.get(l.copy_id);
    if (c) c.status = 'available';
    return { status: 200, body: loanOut(l) };
  },
  renewLoan(ctx) {
    const l = db.loans.get(ctx.path.loan_id);
    if (!l || !sees(ctx, l)) return notFound('loan');
    if (l.status !== 'active') return problem(409, 'Conflict', 'The loan was already returned');
    if (l.renewals >= 2) return problem(409, 'Conflict', 'The loan was already renewed twice');
    l.renewals += 1;
    l.due_date = nowIso(Date.parse(`${l.due_date}T00:00:00Z`) + 14 * DAY).slice(0, 10);
    return { status: 200, body: loanOut(l) };
  },

  listHolds(ctx) {
    return paginate(ctx, [...db.holds.values()].filter((h) => !h.deleted && sees(ctx, h)), holdOut);
  },
  placeHold(ctx) {
    const b = ctx.body;
    if (!db.books.has(b.book_id)) return unprocessable('No such book', 'book_id');
    const h = insert('holds', { book_id: b.book_id, member_id: ctx.auth.id, pickup_branch: b.pickup_branch, notes: b.notes ?? null, status: 'waiting', placed_at: nowIso(Date.now()) });
    return created(`/holds/${h.id}`, holdOut(h));
  },
  getHold(ctx) {
    const h = db.holds.get(ctx.path.hold_id);
    // L06: the buggy variant only marks a cancelled hold deleted; this read does not look at the mark
    if (!h || (!buggy && h.deleted) || !sees(ctx, h)) return notFound('hold');
    return { status: 200, body: holdOut(h) };
  },
  updateHold(ctx) {
    const h = db.holds.get(ctx.path.hold_id);
    // L08: the buggy variant lets any member change any hold
    if (!h || h.deleted || (!buggy && !sees(ctx, h))) return notFound('hold');
    const p = ctx.body || {};
    for (const k of ['pickup_branch', 'notes']) if (k in p) h[k] = p[k];
    return { status: 200, body: holdOut(h) };
  },
  cancelHold(ctx) {
    const h = db.holds.get(ctx.path.hold_id);
    if (!h || h.deleted || !sees(ctx, h)) return notFound('hold');
    if (buggy) h.deleted = true; // L06
    else db.holds.delete(h.id);
    return { status: 204 };
  },

  listFines(ctx) {
    return paginate(ctx, [...db.fines.values()].filter((f) => sees(ctx, f)), fineOut);
  },
  chargeFine(ctx) {
    if (!isLibrarian(ctx)) return forbidden();
    const b = ctx.body;
    if (!db.members.has(b.member_id)) return unprocessable('No such member', 'member_id');
    const f = insert('fines', { member_id: b.member_id, amount_cents: b.amount_cents, reason: b.reason, status: 'open', created_at: nowIso(Date.now()) });
    return created(`/fines/${f.id}`, fineOut(f));
  },
  getFine(ctx) {
    const f = db.fines.get(ctx.path.fine_id);
    if (!f || !sees(ctx, f)) return notFound('fine');
    return { status: 200, body: fineOut(f) };
  },
  payFine(ctx) {
    const f = db.fines.get(ctx.path.fine_id);
    if (!f || !sees(ctx, f)) return notFound('fine');
    if (f.status !== 'open') return problem(409, 'Conflict', `The fine is ${f.status}`);
    f.status = 'paid';
    return { status: 200, body: fineOut(f) };
  },
  waiveFine(ctx) {
    // L09: the buggy variant never checks the caller's role
    if (!buggy && !isLibrarian(ctx)) return forbidden();
    const f = db.fines.get(ctx.path.fine_id);
    if (!f) return notFound('fine');
    if (f.status !== 'open') return problem(409, 'Conflict', `The fine is ${f.status}`);
    f.status = 'waived';
    return { status: 200, body: fineOut(f) };
  },
};

// L14: the buggy variant's copy routes answer a missing copy with the framework's HTML page
function copyNotFound() {
  if (buggy) return { status: 404, body: '<!doctype html><html><body><h1>404 Not Found</h1></body></html>', headers: { 'Content-Type': 'text/html; charset=utf-8' } };
  return notFound('copy');
}

// ---------- the buggy variant's looser validation ----------
function loosen(s) {
  const v = clone(s);
  delete v.components.schemas.BookCreate.properties.isbn.pattern; // L03
  v.components.schemas.MemberSignup.additionalProperties = true; // L10
  v.paths['/members'].get.parameters = [{ name: 'limit', in: 'query', schema: { type: 'integer' } }, { $ref: '#/components/parameters/Cursor' }]; // L04
  return v;
}

const server = createServer({
  spec,
  validationSpec: buggy ? loosen(spec) : spec,
  handlers,
  error: routerError,
  authenticate,
  keepReadOnly: false,
  crashBody: (e) => (buggy && e instanceof SqlError ? { error: e.message, query: e.sql } : { message: 'Internal Server Error' }),
});

// ---------- POST /auth/token: a form body, which the shared router (JSON only) does not parse ----------
const tokenOp = spec.paths['/auth/token'].post;
const tokenSchema = tokenOp.requestBody.content['application/x-www-form-urlencoded'].schema;
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
async function issueToken(req) {
  const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  const raw = await readBody(req);
  if (ct !== 'application/x-www-form-urlencoded') {
    return problem(415, 'Unsupported Media Type', 'use application/x-www-form-urlencoded', [{ name: 'Content-Type', reason: 'must be application/x-www-form-urlencoded' }]);
  }
  const form = new URLSearchParams(raw);
  const fields = {};
  for (const [k, v] of form) if (!(k in fields)) fields[k] = v;
  const errs = validate(spec, tokenSchema, fields);
  if (errs.length) return routerError(400, 'Bad Request', errs.map((e) => ({ ...e, at: `body${e.at}` })));
  const { username, password } = fields;
  const now = Date.now();
  const recent = (failures.get(username) || []).filter((t) => now - t < 60000);
  failures.set(username, recent);
  // L15: the buggy variant never throttles failed sign-ins
  if (!buggy && recent.length >= 5) {
    const out = problem(429, 'Too Many Requests', 'Too many failed sign-ins for this username; try again later');
    out.headers['Retry-After'] = String(Math.max(1, Math.ceil((recent[0] + 60000 - now) / 1000)));
    return out;
  }
  const m = [...db.members.values()].find((x) => x.username === username);
  const salt = m ? m.password_hash.split('$')[1] : 'nosuchmember';
  const good = m && crypto.timingSafeEqual(Buffer.from(hashPassword(password, salt)), Buffer.from(m.password_hash));
  if (!good) {
    recent.push(now);
    // L16: the buggy variant says which half of the credentials was wrong
    const detail = !buggy ? 'Invalid username or password' : m ? 'Incorrect password' : `No member named '${username}'`;
    const out = problem(401, 'Unauthorized', detail);
    out.headers['WWW-Authenticate'] = 'Bearer realm="library"';
    return out;
  }
  const iat = Math.floor(now / 1000);
  const token = signJwt({ sub: m.id, typ: 'access', iat, exp: iat + TOKEN_TTL, jti: crypto.randomUUID() }, SECRET);
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: TOKEN_TTL }, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } };
}

function selfcheckToken(req, out) {
  const r = deref(spec, tokenOp.responses[String(out.status)]);
  if (!r) { process.stderr.write(`SELFCHECK POST /auth/token: undocumented status ${out.status}\n`); return; }
  const ct = out.headers['Content-Type'];
  const media = r.content && r.content[ct];
  if (!media) { process.stderr.write(`SELFCHECK POST /auth/token: content type ${ct} not documented for ${out.status}\n`); return; }
  const e = validate(spec, media.schema, out.body, 'response');
  if (e.length) process.stderr.write(`SELFCHECK POST /auth/token ${out.status}: ${JSON.stringify(e.slice(0, 3))}\n`);
}

const routed = server.listeners('request')[0];
server.removeAllListeners('request');
server.on('request', async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname.replace(/\/$/, '');
  if (path !== '/auth/token' || req.method !== 'POST') return routed(req, res);
  let out;
  try { out = await issueToken(req); } catch { out = { status: 500, body: { message: 'Internal Server Error' }, headers: { 'Content-Type': 'application/json' } }; }
  if (process.env.SELFCHECK === '1') selfcheckToken(req, out);
  res.writeHead(out.status, out.headers);
  res.end(JSON.stringify(out.body));
});

listen(server, port, 'Lending Desk', variant);
