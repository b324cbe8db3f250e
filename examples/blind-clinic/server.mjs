// Clinicbook: an appointment-booking API for clinics, OAuth2 client credentials.
// node examples/blind-clinic/server.mjs --port 4040 --variant buggy|clean
// SELFCHECK=1 checks every response against openapi.yaml and prints deviations on stderr.
import http from 'node:http';
import { createHash, randomBytes, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { compileWhere } from './sql.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const PORT = Number(arg('port', '4040'));
const VARIANT = arg('variant', 'clean');
if (!['buggy', 'clean'].includes(VARIANT)) {
  console.error('--variant must be buggy or clean');
  process.exit(2);
}
const BUGGY = VARIANT === 'buggy';
const selfcheck = process.env.SELFCHECK === '1' ? (await import('./selfcheck.mjs')).createSelfCheck() : null;

// ---------------------------------------------------------------- state
const SCOPES = ['patients:read', 'patients:write', 'practitioners:read', 'practitioners:write', 'appointments:read', 'appointments:write'];
const clinics = {
  NS: { code: 'NS', name: 'Northside Family Clinic' },
  HB: { code: 'HB', name: 'Harbor Health Center' },
};

function hashSecret(secret) {
  const salt = randomBytes(12).toString('base64url');
  const hash = pbkdf2Sync(secret, salt, 1000, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$1000$${salt}$${hash}`;
}
function secretMatches(stored, secret) {
  const [, iter, salt, hash] = stored.split('$');
  const got = pbkdf2Sync(secret, salt, Number(iter), 32, 'sha256');
  const want = Buffer.from(hash, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

// The two integration clients handed to API users (see openapi.yaml), and the operators' console.
const clients = new Map([
  ['northside-frontdesk', { id: 'northside-frontdesk', name: 'Northside front desk', clinic: 'NS', scopes: SCOPES, secretHash: hashSecret('ns-demo-secret-7Qm2') }],
  ['harbor-frontdesk', { id: 'harbor-frontdesk', name: 'Harbor front desk', clinic: 'HB', scopes: SCOPES, secretHash: hashSecret('hb-demo-secret-4Tx9') }],
  ['ops-console', { id: 'ops-console', name: 'Operations console', clinic: 'NS', scopes: [...SCOPES, 'admin'], secretHash: hashSecret(randomBytes(24).toString('base64url')) }],
]);
const tokens = new Map(); // access token -> { clientId, scopes, expiresAt }
const failedTokenAttempts = new Map(); // client_id -> [timestamps]
const patients = new Map(); // mrn -> patient
const practitioners = new Map(); // username -> practitioner
const appointments = new Map(); // code -> appointment
const audit = [];

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const randomCode = (n) => Array.from(randomBytes(n), (b) => CODE_CHARS[b % CODE_CHARS.length]).join('');
const nowIso = () => new Date().toISOString();

function record(clientId, action, target) {
  audit.push({ id: audit.length + 1, at: nowIso(), clientId, action, target });
}

function patientRevision(p) {
  const content = [p.firstName, p.lastName, p.birthDate, p.email ?? '', p.phone ?? '', p.notes ?? ''];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

function newMrn() {
  let mrn;
  do mrn = `MRN-${randomCode(6)}`; while (patients.has(mrn));
  return mrn;
}

function seed() {
  const t = '2026-11-02T08:00:00.000Z';
  const add = (clinic, firstName, lastName, birthDate, email, phone) => {
    const p = { mrn: newMrn(), clinic, firstName, lastName, birthDate, createdAt: t, updatedAt: t };
    if (email) p.email = email;
    if (phone) p.phone = phone;
    patients.set(p.mrn, p);
    return p;
  };
  const a = add('NS', 'Maria', 'Lindqvist', '1984-03-09', 'maria.lindqvist@example.org', '+14155550142');
  add('NS', 'Tom', 'Okonkwo', '1991-11-23', 'tom.okonkwo@example.org');
  add('NS', 'Priya', 'Raman', '2015-06-01');
  const b = add('HB', 'Jonas', 'Weber', '1979-01-30', 'jonas.weber@example.net', '+4915112345678');
  add('HB', 'Aiko', 'Sato', '2002-08-14', 'aiko.sato@example.net');
  const pr = (clinic, username, displayName, specialty, languages) =>
    practitioners.set(username, { username, clinic, displayName, specialty, languages, verified: true, createdAt: t });
  pr('NS', 'a.okafor', 'Dr. Amara Okafor', 'general_practice', ['en', 'fr']);
  pr('NS', 'l.berg', 'Dr. Lena Berg', 'pediatrics', ['en', 'sv']);
  pr('HB', 'm.santos', 'Dr. Miguel Santos', 'cardiology', ['en', 'es']);
  pr('HB', 'k.tanaka', 'Keiko Tanaka', 'physiotherapy', ['en', 'ja']);
  const ap = (patient, practitioner, start, durationMinutes, reason) => {
    const code = `${start.slice(0, 10).replaceAll('-', '')}-${randomCode(4)}`;
    appointments.set(code, { code, patientMrn: patient.mrn, clinic: patient.clinic, practitioner, start, durationMinutes, channel: 'in_person', reason, createdAt: t });
  };
  ap(a, 'a.okafor', '2026-12-15T09:30:00Z', 30, 'Annual check-up');
  ap(a, 'l.berg', '2026-12-08T14:00:00Z', 15, 'Vaccination follow-up');
  ap(b, 'm.santos', '2026-12-10T10:00:00Z', 45, 'ECG review');
  for (const c of clients.values()) if (c.id !== 'ops-console') record(c.id, 'client.created', c.id);
}
seed();

// ---------------------------------------------------------------- responses
function send(req, res, status, body, headers = {}, type = 'application/json') {
  const h = { ...headers };
  let text = '';
  if (body !== undefined && status !== 204) {
    text = typeof body === 'string' ? body : JSON.stringify(body);
    h['Content-Type'] = type;
  }
  res.writeHead(status, h);
  res.end(text);
  if (selfcheck) selfcheck.check(req.method, req.url, status, lowerKeys(h), text);
}
const lowerKeys = (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

function problem(req, res, status, title, detail, extra = {}, headers = {}) {
  send(req, res, status, { type: `https://clinicbook.example/problems/${slug(title)}`, title, status, detail, ...extra }, headers, 'application/problem+json');
}
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

class HttpError extends Error {
  constructor(status, title, detail, extra = {}, headers = {}) {
    super(detail);
    Object.assign(this, { status, title, detail, extra, headers });
  }
}
const invalid = (errors) => new HttpError(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
const notFound = (what) => new HttpError(404, 'Not found', `${what} does not exist`);

// ---------------------------------------------------------------- request parsing
const MAX_BODY = 1 << 20;
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'Payload too large', 'request bodies are limited to 1 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
const mediaType = (req) => (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

async function jsonBody(req) {
  const raw = await readBody(req);
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'Unsupported media type', 'send the body as application/json');
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Malformed JSON', 'the request body is not valid JSON', { errors: [{ field: 'body', message: 'not valid JSON' }] });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid([{ field: 'body', message: 'must be a JSON object' }]);
  return body;
}

// ---------------------------------------------------------------- validation
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;
const USERNAME = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
const SPECIALTIES = ['general_practice', 'pediatrics', 'dermatology', 'cardiology', 'physiotherapy'];
const CHANNELS = ['in_person', 'video'];

function isDate(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
function isDateTime(s) {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m || !isDate(m[1])) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

class Checker {
  constructor(body) {
    this.body = body;
    this.errors = [];
  }
  fail(field, message) {
    this.errors.push({ field, message });
  }
  closed(allowed, ignored = []) {
    for (const k of Object.keys(this.body)) if (!allowed.includes(k) && !ignored.includes(k)) this.fail(k, 'unknown property');
  }
  string(field, { required = false, min = 0, max = Infinity, test, testMsg } = {}) {
    const v = this.body[field];
    if (v === undefined) {
      if (required) this.fail(field, 'is required');
      return;
    }
    if (typeof v !== 'string') return this.fail(field, 'must be a string');
    if ([...v].length < min) return this.fail(field, `must have at least ${min} characters`);
    if ([...v].length > max) return this.fail(field, `must have at most ${max} characters`);
    if (test && !test(v)) this.fail(field, testMsg);
  }
  done() {
    if (this.errors.length) throw invalid(this.errors);
  }
}

function queryInt(url, name, dflt, min, max, errors) {
  const raw = url.searchParams.get(name);
  if (raw === null) return dflt;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    errors.push({ field: name, message: `must be an integer from ${min} to ${max}` });
    return dflt;
  }
  return Number(raw);
}

function paging(url) {
  const errors = [];
  const page = queryInt(url, 'page', 1, 1, 100000, errors);
  const size = queryInt(url, 'size', 20, 1, 100, errors);
  return { page, size, errors };
}

function pageOf(req, res, all, page, size) {
  const start = (page - 1) * size;
  const items = all.slice(start, start + size);
  if (items.length === 0) return send(req, res, 204);
  send(req, res, 200, { items, page, size, total: all.length });
}

// ---------------------------------------------------------------- auth
function authenticate(req, scope) {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(h);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="clinicbook"' };
  if (!m) throw new HttpError(401, 'Unauthorized', 'send an access token from POST /oauth/token as "Authorization: Bearer <token>"', {}, challenge);
  const t = tokens.get(m[1]);
  if (!t || t.expiresAt < Date.now()) {
    throw new HttpError(401, 'Unauthorized', 'the access token is unknown or expired', {}, { 'WWW-Authenticate': 'Bearer realm="clinicbook", error="invalid_token"' });
  }
  const client = clients.get(t.clientId);
  if (scope && !t.scopes.includes(scope)) {
    throw new HttpError(403, 'Forbidden', `this operation needs the scope ${scope}`, {}, { 'WWW-Authenticate': `Bearer realm="clinicbook", error="insufficient_scope", scope="${scope}"` });
  }
  return { client, token: t };
}

function oauthError(req, res, status, error, description, headers = {}) {
  send(req, res, status, { error, error_description: description }, { 'Cache-Control': 'no-store', ...headers });
}

const RATE_WINDOW_MS = 60_000;
const RATE_MAX_FAILURES = 5;

async function issueToken(req, res) {
  const raw = await readBody(req);
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    return oauthError(req, res, 400, 'invalid_request', 'send the parameters as application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(raw);
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      clientId = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
  }
  const grant = form.get('grant_type');
  if (!grant || !clientId || !secret) return oauthError(req, res, 400, 'invalid_request', 'grant_type, client_id and client_secret are required');
  if (grant !== 'client_credentials') return oauthError(req, res, 400, 'unsupported_grant_type', 'only client_credentials is supported');

  const now = Date.now();
  const recent = (failedTokenAttempts.get(clientId) ?? []).filter((t) => now - t < RATE_WINDOW_MS);
  if (!BUGGY && recent.length >= RATE_MAX_FAILURES) {
    const retry = Math.ceil((recent[0] + RATE_WINDOW_MS - now) / 1000);
    return oauthError(req, res, 429, 'too_many_requests', 'too many failed attempts for this client; try again later', { 'Retry-After': String(Math.max(retry, 1)) });
  }
  const client = clients.get(clientId);
  if (!client || !secretMatches(client.secretHash, secret)) {
    recent.push(now);
    failedTokenAttempts.set(clientId, recent);
    return oauthError(req, res, 401, 'invalid_client', 'client authentication failed', { 'WWW-Authenticate': 'Basic realm="clinicbook-token"' });
  }
  let scopes = client.scopes;
  const asked = form.get('scope');
  if (asked !== null) {
    const wanted = asked.split(' ').filter(Boolean);
    if (wanted.length === 0 || wanted.some((s) => !client.scopes.includes(s))) {
      return oauthError(req, res, 400, 'invalid_scope', `this client may ask for: ${client.scopes.join(' ')}`);
    }
    scopes = [...new Set(wanted)];
  }
  const accessToken = randomBytes(24).toString('base64url');
  tokens.set(accessToken, { clientId: client.id, scopes, expiresAt: now + 3600_000 });
  failedTokenAttempts.delete(clientId);
  send(req, res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') }, { 'Cache-Control': 'no-store' });
}

function getMe(req, res) {
  const { client, token } = authenticate(req);
  const me = {
    clientId: client.id,
    name: client.name,
    clinic: clinics[client.clinic],
    scopes: token.scopes,
    tokenExpiresAt: new Date(token.expiresAt).toISOString(),
  };
  // The client record is spread in to pick up new fields "for free".
  if (BUGGY) Object.assign(me, { ...client, clientId: client.id, clinic: clinics[client.clinic], scopes: token.scopes });
  send(req, res, 200, me);
}

// ---------------------------------------------------------------- patients
const PATIENT_FIELDS = ['firstName', 'lastName', 'birthDate', 'email', 'phone', 'notes'];
const PATIENT_READONLY = ['mrn', 'createdAt', 'updatedAt'];

function patientView(p) {
  const v = { mrn: p.mrn, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate };
  for (const k of ['email', 'phone', 'notes']) if (p[k] !== undefined) v[k] = p[k];
  return { ...v, createdAt: p.createdAt, updatedAt: p.updatedAt, revision: patientRevision(p) };
}

function checkPatient(body, withRevision) {
  const c = new Checker(body);
  c.closed(withRevision ? [...PATIENT_FIELDS, 'revision'] : PATIENT_FIELDS, PATIENT_READONLY);
  c.string('firstName', { required: true, min: 1, max: 50 });
  c.string('lastName', { required: true, min: 1, max: 50 });
  c.string('birthDate', { required: true, test: (v) => isDate(v) && v <= nowIso().slice(0, 10) && v >= '1900-01-01', testMsg: 'must be a date (YYYY-MM-DD) between 1900-01-01 and today' });
  c.string('email', { max: 254, test: (v) => EMAIL.test(v), testMsg: 'must be an e-mail address' });
  // An older front-desk client sent digits only; the check was never updated for E.164.
  if (BUGGY) c.string('phone', { test: (v) => /^\d{10,15}$/.test(v), testMsg: 'must be 10 to 15 digits' });
  else c.string('phone', { test: (v) => E164.test(v), testMsg: 'must be an E.164 number such as +14155550123' });
  c.string('notes', { max: 500 });
  if (withRevision) c.string('revision', { required: true, test: (v) => /^[0-9a-f]{16}$/.test(v), testMsg: 'must be the 16 hex digits of the patient\'s revision' });
  c.done();
}

function emailTaken(clinic, email, exceptMrn) {
  if (email === undefined) return false;
  for (const p of patients.values()) if (p.clinic === clinic && p.mrn !== exceptMrn && p.email?.toLowerCase() === email.toLowerCase()) return true;
  return false;
}

function listPatients(req, res, url) {
  const { client } = authenticate(req, 'patients:read');
  const { page, size, errors } = paging(url);
  const search = url.searchParams.get('search');
  if (search !== null && (search.length < 1 || search.length > 100)) errors.push({ field: 'search', message: 'must have 1 to 100 characters' });
  if (errors.length) throw invalid(errors);
  let rows;
  if (search === null) rows = [...patients.values()].filter((p) => p.clinic === client.clinic);
  else if (BUGGY) {
    // "WHERE clinic_code = '<clinic>' AND last_name LIKE '%<search>%'", built by concatenation.
    // A query error is logged and treated as "no rows".
    try {
      const where = compileWhere(`clinic_code = '${client.clinic}' AND last_name LIKE '%${search}%'`);
      rows = [...patients.values()].filter((p) => where({ clinic_code: p.clinic, last_name: p.lastName, first_name: p.firstName, mrn: p.mrn, email: p.email ?? null }));
    } catch (err) {
      console.error(`listPatients query failed: ${err.message}`);
      rows = [];
    }
  } else {
    const needle = search.toLowerCase();
    rows = [...patients.values()].filter((p) => p.clinic === client.clinic && p.lastName.toLowerCase().includes(needle));
  }
  rows.sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.mrn.localeCompare(b.mrn));
  const all = rows.map(patientView);
  if (BUGGY) {
    // Fetches one extra row to know whether there is a next page, and forgets to drop it.
    const start = (page - 1) * size;
    const items = all.slice(start, start + size + 1);
    if (items.length === 0) return send(req, res, 204);
    return send(req, res, 200, { items, page, size, total: all.length });
  }
  pageOf(req, res, all, page, size);
}

async function createPatient(req, res) {
  const { client } = authenticate(req, 'patients:write');
  const body = await jsonBody(req);
  checkPatient(body, false);
  if (emailTaken(client.clinic, body.email)) throw new HttpError(409, 'Conflict', 'another patient of this clinic has this e-mail address', { errors: [{ field: 'email', message: 'already in use' }] });
  const t = nowIso();
  const p = { mrn: newMrn(), clinic: client.clinic, createdAt: t, updatedAt: t };
  for (const k of PATIENT_FIELDS) if (body[k] !== undefined) p[k] = body[k];
  patients.set(p.mrn, p);
  record(client.id, 'patient.created', p.mrn);
  const location = BUGGY ? `/patients/${p.mrn.toLowerCase()}` : `/patients/${p.mrn}`;
  send(req, res, 201, patientView(p), { Location: location });
}

function findPatient(client, mrn) {
  const p = patients.get(mrn);
  if (!p || p.clinic !== client.clinic) throw notFound(`patient ${mrn}`);
  return p;
}

function getPatient(req, res, mrn) {
  const { client } = authenticate(req, 'patients:read');
  // The detail view was moved to a cache keyed by MRN; the clinic check stayed in findPatient.
  const p = BUGGY ? patients.get(mrn) : findPatient(client, mrn);
  if (!p) throw notFound(`patient ${mrn}`);
  const view = patientView(p);
  if (BUGGY && view.phone === undefined) view.phone = null;
  send(req, res, 200, view);
}

async function replacePatient(req, res, mrn) {
  const { client } = authenticate(req, 'patients:write');
  const p = findPatient(client, mrn);
  const body = await jsonBody(req);
  checkPatient(body, true);
  // The buggy variant checks the revision against a hash that also covers updatedAt.
  const current = BUGGY ? createHash('sha256').update(patientRevision(p) + p.updatedAt).digest('hex').slice(0, 16) : patientRevision(p);
  if (body.revision !== current) {
    throw new HttpError(409, 'Revision conflict', 'the patient changed since you read it: read it again and send its current revision', { errors: [{ field: 'revision', message: 'does not match the current revision' }] });
  }
  if (emailTaken(client.clinic, body.email, mrn)) throw new HttpError(409, 'Conflict', 'another patient of this clinic has this e-mail address', { errors: [{ field: 'email', message: 'already in use' }] });
  const next = { mrn: p.mrn, clinic: p.clinic, createdAt: p.createdAt, updatedAt: p.updatedAt };
  for (const k of PATIENT_FIELDS) if (body[k] !== undefined) next[k] = body[k];
  if (patientRevision(next) !== patientRevision(p)) {
    next.updatedAt = nowIso();
    record(client.id, 'patient.replaced', mrn);
  }
  patients.set(mrn, next);
  send(req, res, 200, patientView(next));
}

// ---------------------------------------------------------------- appointments
function appointmentView(a) {
  const v = { code: a.code, patientMrn: a.patientMrn, practitioner: a.practitioner, start: a.start, durationMinutes: a.durationMinutes, channel: a.channel };
  if (a.reason !== undefined) v.reason = a.reason;
  return { ...v, createdAt: a.createdAt };
}

function listAppointments(req, res, url, mrn) {
  const { client } = authenticate(req, 'appointments:read');
  const { page, size, errors } = paging(url);
  const channel = url.searchParams.get('channel');
  if (channel !== null && !CHANNELS.includes(channel)) errors.push({ field: 'channel', message: `must be one of ${CHANNELS.join(', ')}` });
  if (errors.length) throw invalid(errors);
  const p = findPatient(client, mrn);
  const all = [...appointments.values()]
    .filter((a) => a.patientMrn === p.mrn && (channel === null || a.channel === channel))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.code.localeCompare(b.code))
    .map(appointmentView);
  pageOf(req, res, all, page, size);
}

async function createAppointment(req, res, mrn) {
  const { client } = authenticate(req, 'appointments:write');
  const p = findPatient(client, mrn);
  const body = await jsonBody(req);
  const c = new Checker(body);
  c.closed(['practitioner', 'start', 'durationMinutes', 'channel', 'reason'], ['code', 'patientMrn', 'createdAt']);
  c.string('practitioner', { required: true, min: 3, max: 24, test: (v) => USERNAME.test(v), testMsg: 'must be a practitioner username' });
  c.string('start', { required: true, test: isDateTime, testMsg: 'must be an RFC 3339 date-time' });
  const d = body.durationMinutes;
  if (d !== undefined) {
    if (!Number.isInteger(d)) c.fail('durationMinutes', 'must be an integer');
    else if (!BUGGY && (d < 15 || d > 120 || d % 15 !== 0)) c.fail('durationMinutes', 'must be 15, 30, … 120');
  }
  if (body.channel !== undefined && !CHANNELS.includes(body.channel)) c.fail('channel', `must be one of ${CHANNELS.join(', ')}`);
  c.string('reason', { max: 200 });
  c.done();
  const pr = practitioners.get(body.practitioner);
  if (!pr || pr.deleted || pr.clinic !== client.clinic) {
    throw new HttpError(422, 'Unknown practitioner', `no practitioner ${body.practitioner} works at this clinic`, { errors: [{ field: 'practitioner', message: 'unknown practitioner' }] });
  }
  const start = new Date(body.start).toISOString().replace('.000Z', 'Z');
  let code;
  do code = `${start.slice(0, 10).replaceAll('-', '')}-${randomCode(4)}`; while (appointments.has(code));
  const a = { code, patientMrn: p.mrn, clinic: p.clinic, practitioner: pr.username, start, durationMinutes: d ?? 30, channel: body.channel ?? 'in_person', createdAt: nowIso() };
  if (body.reason !== undefined) a.reason = body.reason;
  appointments.set(code, a);
  record(client.id, 'appointment.booked', code);
  send(req, res, 201, appointmentView(a), { Location: `/patients/${p.mrn}/appointments/${code}` });
}

function findAppointment(client, mrn, code) {
  const p = findPatient(client, mrn);
  const a = appointments.get(code);
  if (!a || a.patientMrn !== p.mrn) throw notFound(`appointment ${code}`);
  return a;
}

function getAppointment(req, res, mrn, code) {
  const { client } = authenticate(req, 'appointments:read');
  send(req, res, 200, appointmentView(findAppointment(client, mrn, code)));
}

function cancelAppointment(req, res, mrn, code) {
  const { client } = authenticate(req, 'appointments:write');
  const a = findAppointment(client, mrn, code);
  appointments.delete(a.code);
  record(client.id, 'appointment.cancelled', a.code);
  send(req, res, 204);
}

// ---------------------------------------------------------------- practitioners
const PRACTITIONER_FIELDS = ['username', 'displayName', 'specialty', 'email', 'languages'];

function practitionerView(p) {
  const v = { username: p.username, displayName: p.displayName, specialty: p.specialty };
  if (p.email !== undefined) v.email = p.email;
  if (p.languages !== undefined) v.languages = p.languages;
  return { ...v, verified: p.verified, createdAt: p.createdAt };
}

function listPractitioners(req, res, url) {
  const { client } = authenticate(req, 'practitioners:read');
  const { page, size, errors } = paging(url);
  const specialty = url.searchParams.get('specialty');
  if (specialty !== null && !SPECIALTIES.includes(specialty)) errors.push({ field: 'specialty', message: `must be one of ${SPECIALTIES.join(', ')}` });
  if (errors.length) throw invalid(errors);
  const all = [...practitioners.values()]
    .filter((p) => p.clinic === client.clinic && !p.deleted && (specialty === null || p.specialty === specialty))
    .sort((a, b) => a.username.localeCompare(b.username))
    .map(practitionerView);
  pageOf(req, res, all, page, size);
}

async function createPractitioner(req, res) {
  const { client } = authenticate(req, 'practitioners:write');
  const body = await jsonBody(req);
  const c = new Checker(body);
  // The buggy variant's field list was extended for the admin verification screen.
  const writable = BUGGY ? [...PRACTITIONER_FIELDS, 'verified'] : PRACTITIONER_FIELDS;
  c.closed(writable, ['verified', 'createdAt']);
  c.string('username', {
    required: true,
    min: 3,
    max: 24,
    // Letters or digits, separated by single dots, dashes or underscores.
    test: (v) => (BUGGY ? /^([a-z0-9]+[._-]?)+$/.test(v.toLowerCase()) && v === v.toLowerCase() : USERNAME.test(v)),
    testMsg: 'must be lowercase letters or digits separated by single dots, dashes or underscores',
  });
  c.string('displayName', { required: true, min: 1, max: 80 });
  if (body.specialty === undefined) c.fail('specialty', 'is required');
  else if (!SPECIALTIES.includes(body.specialty)) c.fail('specialty', `must be one of ${SPECIALTIES.join(', ')}`);
  c.string('email', { max: 254, test: (v) => EMAIL.test(v), testMsg: 'must be an e-mail address' });
  if (body.languages !== undefined) {
    const l = body.languages;
    if (!Array.isArray(l) || l.length > 5 || l.some((x) => typeof x !== 'string' || !/^[a-z]{2}$/.test(x)) || new Set(l).size !== l.length) {
      c.fail('languages', 'must be up to 5 distinct two-letter ISO 639-1 codes');
    }
  }
  if (BUGGY && body.verified !== undefined && typeof body.verified !== 'boolean') c.fail('verified', 'must be a boolean');
  c.done();
  if (!BUGGY && practitioners.has(body.username)) {
    throw new HttpError(409, 'Conflict', `the username ${body.username} is taken`, { errors: [{ field: 'username', message: 'already taken' }] });
  }
  const p = { clinic: client.clinic, verified: false, createdAt: nowIso() };
  for (const k of writable) if (body[k] !== undefined) p[k] = body[k];
  // The buggy variant inserts into a "unique index" that throws like a database would.
  if (BUGGY && practitioners.has(p.username)) throw new Error('UNIQUE constraint failed: practitioners.username');
  practitioners.set(p.username, p);
  record(client.id, 'practitioner.created', p.username);
  send(req, res, 201, practitionerView(p), { Location: `/practitioners/${p.username}` });
}

function findPractitioner(client, username) {
  const p = practitioners.get(username);
  if (!p || p.clinic !== client.clinic || (!BUGGY && p.deleted)) throw notFound(`practitioner ${username}`);
  return p;
}

function getPractitioner(req, res, username) {
  const { client } = authenticate(req, 'practitioners:read');
  send(req, res, 200, practitionerView(findPractitioner(client, username)));
}

function deletePractitioner(req, res, username) {
  const { client } = authenticate(req, 'practitioners:write');
  const p = findPractitioner(client, username);
  if (p.deleted) throw notFound(`practitioner ${username}`);
  if (BUGGY) p.deleted = true; // soft delete; only the list filters it
  else practitioners.delete(username);
  record(client.id, 'practitioner.removed', username);
  send(req, res, 204);
}

// Opening hours, UTC, by day of week (1 = Monday).
const OPENING = { 1: [9, 17], 2: [9, 17], 3: [9, 17], 4: [9, 17], 5: [9, 17] };

function getSlots(req, res, username, date) {
  const { client } = authenticate(req, 'appointments:read');
  if (!isDate(date)) throw invalid([{ field: 'date', message: 'must be a date (YYYY-MM-DD)' }]);
  const p = findPractitioner(client, username);
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const slots = [];
  const hours = OPENING[dow];
  if (BUGGY || hours) {
    const [open, close] = [hours[0], hours[1]];
    const booked = [...appointments.values()].filter((a) => a.practitioner === p.username && a.start.startsWith(date));
    for (let m = open * 60; m < close * 60; m += 30) {
      const s = Date.parse(`${date}T00:00:00Z`) + m * 60_000;
      const e = s + 30 * 60_000;
      const taken = booked.some((a) => Date.parse(a.start) < e && Date.parse(a.start) + a.durationMinutes * 60_000 > s);
      slots.push({ start: new Date(s).toISOString().replace('.000Z', 'Z'), end: new Date(e).toISOString().replace('.000Z', 'Z'), available: !taken });
    }
  }
  send(req, res, 200, { practitioner: p.username, date, slots });
}

// ---------------------------------------------------------------- admin
function listAuditEvents(req, res, url) {
  // The buggy variant only checks that the token is valid.
  authenticate(req, BUGGY ? undefined : 'admin');
  const { page, size, errors } = paging(url);
  if (errors.length) throw invalid(errors);
  pageOf(req, res, [...audit].reverse(), page, size);
}

// ---------------------------------------------------------------- routing
const routes = [
  ['POST', /^\/oauth\/token$/, issueToken],
  ['GET', /^\/me$/, getMe],
  ['GET', /^\/patients$/, listPatients, true],
  ['POST', /^\/patients$/, createPatient],
  ['GET', /^\/patients\/([^/]+)$/, getPatient],
  ['PUT', /^\/patients\/([^/]+)$/, replacePatient],
  ['GET', /^\/patients\/([^/]+)\/appointments$/, listAppointments, true],
  ['POST', /^\/patients\/([^/]+)\/appointments$/, createAppointment],
  ['GET', /^\/patients\/([^/]+)\/appointments\/([^/]+)$/, getAppointment],
  ['DELETE', /^\/patients\/([^/]+)\/appointments\/([^/]+)$/, cancelAppointment],
  ['GET', /^\/practitioners$/, listPractitioners, true],
  ['POST', /^\/practitioners$/, createPractitioner],
  ['GET', /^\/practitioners\/([^/]+)$/, getPractitioner],
  ['DELETE', /^\/practitioners\/([^/]+)$/, deletePractitioner],
  ['GET', /^\/practitioners\/([^/]+)\/slots\/([^/]+)$/, getSlots],
  ['GET', /^\/admin\/audit-events$/, listAuditEvents, true],
];

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  const matching = routes.filter(([, re]) => re.test(path));
  if (matching.length === 0) return problem(req, res, 404, 'Not found', `no resource at ${url.pathname}`);
  const route = matching.find(([m]) => m === req.method);
  if (!route) {
    const allow = matching.map(([m]) => m).join(', ');
    return problem(req, res, 405, 'Method not allowed', `${req.method} is not allowed here; use ${allow}`, {}, { Allow: allow });
  }
  const params = route[1].exec(path).slice(1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p; // not valid percent-encoding: no resource has that name
    }
  });
  const [, , fn, withQuery] = route;
  await (withQuery ? fn(req, res, url, ...params) : fn(req, res, ...params));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) return problem(req, res, err.status, err.title, err.detail, err.extra, err.headers);
    console.error(`${req.method} ${req.url}: ${err.stack}`);
    problem(req, res, 500, 'Internal server error', 'something went wrong on our side');
  });
});
server.listen(PORT, '127.0.0.1', () => console.log(`clinicbook (${VARIANT}) on http://127.0.0.1:${server.address().port}`));
