// Coursework LMS: a JSON:API course platform (blind target). `--variant buggy` holds the 16
// faults of FAULTS.md (each marked `K01`…`K16` below); `--variant clean` follows openapi.yaml.
import crypto from 'node:crypto';
import { parseArgs, createServer, listen, validate, signJwt, verifyJwt, hashPassword, clone } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';
import { SEED_USERS } from './seed.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const JA = 'application/vnd.api+json';
const BASE = '/api/v1';
const SECRET = crypto.randomBytes(32).toString('hex');
const ACCESS_TTL = 900;

// ---------- state ----------
const users = new Map();
const courses = new Map();
const assignments = new Map();
const enrollments = new Map();
const submissions = new Map();
const grades = new Map();
const refreshTokens = new Map(); // token -> userId (single use)
let courseSerial = 100;

const newId = (prefix) => `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
const now = () => new Date().toISOString();

function addUser({ username, email, displayName, password, role }) {
  const salt = crypto.randomBytes(8).toString('hex');
  const u = { id: newId('usr'), username, email, displayName, role, salt, passwordHash: hashPassword(password, salt), createdAt: now() };
  users.set(u.id, u);
  return u;
}

const seeded = Object.fromEntries(SEED_USERS.map((s) => [s.username, addUser(s)]));
{
  const t = now();
  const c = { id: newId('crs'), title: 'Introduction to Statistics', description: 'Descriptive statistics, probability and inference.', code: `ITS-${++courseSerial}`, capacity: 120, published: true, startsOn: '2027-01-11', instructorId: seeded.dana.id, createdAt: t, updatedAt: t, version: 1 };
  courses.set(c.id, c);
  const a = { id: newId('asg'), courseId: c.id, title: 'Problem set 1', instructions: 'Exercises 1.1 to 1.12.', maxPoints: 20, dueAt: '2027-01-25T23:59:00Z', createdAt: t, updatedAt: t, version: 1, deletedAt: null };
  assignments.set(a.id, a);
}

// ---------- responses ----------
const doc = (status, body, headers = {}) => ({ status, body: body === undefined ? undefined : { jsonapi: { version: '1.0' }, ...body }, headers: { 'Content-Type': JA, ...headers } });
function pointerOf(at) {
  const m = /^(body|query|header|path)\/?(.*)$/.exec(at || '');
  if (!m) return undefined;
  if (m[1] === 'body') return { pointer: `/${m[2]}`.replace(/\/$/, '') || '/' };
  if (m[1] === 'query') return { parameter: m[2].split('/')[0] };
  if (m[1] === 'header') return { header: m[2].split('/')[0] };
  return undefined;
}
function error(status, title, details) {
  const errors = details && details.length
    ? details.map((d) => ({ status: String(status), title, detail: `${d.at} ${d.message}`.trim(), ...(pointerOf(d.at) ? { source: pointerOf(d.at) } : {}) }))
    : [{ status: String(status), title }];
  return { status, body: { jsonapi: { version: '1.0' }, errors }, headers: { 'Content-Type': JA } };
}
const notFound = (what) => error(404, 'Not Found', [{ at: '', message: `${what} not found` }]);
const forbidden = (why) => error(403, 'Forbidden', [{ at: '', message: why }]);
const oauthError = (code, description) => ({ status: 400, body: { error: code, error_description: description }, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

// ---------- serializers ----------
const link = (p) => `${BASE}${p}`;
function courseRes(c) {
  const attributes = { title: c.title, code: c.code, capacity: c.capacity, published: c.published, enrolledCount: enrolledCount(c.id), createdAt: c.createdAt, updatedAt: c.updatedAt };
  if (c.description !== undefined) attributes.description = c.description;
  if (c.startsOn !== undefined) attributes.startsOn = c.startsOn;
  return {
    type: 'courses', id: c.id, attributes,
    relationships: { instructor: { data: { type: 'users', id: c.instructorId } }, assignments: { links: { related: link(`/courses/${c.id}/assignments`) } } },
    links: { self: link(`/courses/${c.id}`) },
  };
}
function assignmentRes(a) {
  const attributes = { title: a.title, maxPoints: a.maxPoints, createdAt: a.createdAt, updatedAt: a.updatedAt };
  if (a.instructions !== undefined) attributes.instructions = a.instructions;
  if (a.dueAt !== undefined) attributes.dueAt = a.dueAt;
  return {
    type: 'assignments', id: a.id, attributes,
    relationships: { course: { data: { type: 'courses', id: a.courseId } }, submissions: { links: { related: link(`/assignments/${a.id}/submissions`) } } },
    links: { self: link(`/assignments/${a.id}`) },
  };
}
function enrollmentRes(e, inList = false) {
  // K03: the list serializer sends enrolledAt as epoch milliseconds
  const enrolledAt = BUGGY && inList ? Date.parse(e.enrolledAt) : e.enrolledAt;
  return {
    type: 'enrollments', id: e.id, attributes: { track: e.track, enrolledAt },
    relationships: { course: { data: { type: 'courses', id: e.courseId } }, user: { data: { type: 'users', id: e.userId } } },
    links: { self: link(`/enrollments/${e.id}`) },
  };
}
function submissionRes(s) {
  const attributes = { body: s.body, status: s.status, late: s.late, preview: s.preview, submittedAt: s.submittedAt, updatedAt: s.updatedAt };
  if (s.attachmentUrl !== undefined) attributes.attachmentUrl = s.attachmentUrl;
  return {
    type: 'submissions', id: s.id, attributes,
    relationships: {
      assignment: { data: { type: 'assignments', id: s.assignmentId } },
      author: { data: { type: 'users', id: s.authorId } },
      grade: { data: s.gradeId ? { type: 'grades', id: s.gradeId } : null },
    },
    links: { self: link(`/submissions/${s.id}`) },
  };
}
function gradeRes(g) {
  const attributes = { score: g.score, gradedAt: g.gradedAt };
  if (g.feedback !== undefined) attributes.feedback = g.feedback;
  return {
    type: 'grades', id: g.id, attributes,
    relationships: { submission: { data: { type: 'submissions', id: g.submissionId } }, grader: { data: { type: 'users', id: g.graderId } } },
    links: { self: link(`/submissions/${g.submissionId}/grade`) },
  };
}
function userRes(u) {
  const attributes = { username: u.username, email: u.email, role: u.role, createdAt: u.createdAt };
  if (u.displayName !== undefined) attributes.displayName = u.displayName;
  return { type: 'users', id: u.id, attributes, links: { self: link('/me') } };
}
function publicUserRes(u) {
  const attributes = { username: u.username, role: u.role };
  if (u.displayName !== undefined) attributes.displayName = u.displayName;
  // K14: the included user is the whole account row, e-mail and password hash too
  if (BUGGY) Object.assign(attributes, { email: u.email, passwordHash: u.passwordHash });
  return { type: 'users', id: u.id, attributes };
}

// ---------- ETags and preconditions ----------
const hash = (s) => crypto.createHash('sha1').update(s).digest('hex').slice(0, 20);
function etag(kind, r) {
  // K08: a course's ETag is made from its creation time, so an update leaves it unchanged
  if (BUGGY && kind === 'courses') return `"${hash(`${kind}:${r.id}:${r.createdAt}`)}"`;
  return `"${hash(`${kind}:${r.id}:${r.version}`)}"`;
}
function precondition(ctx, kind, r, { lax = false } = {}) {
  const h = ctx.headers['if-match'];
  if (h === undefined || h === '') return lax ? null : error(428, 'Precondition Required', [{ at: 'header/If-Match', message: 'is required' }]);
  const tags = h.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(etag(kind, r))) return null;
  return error(412, 'Precondition Failed', [{ at: 'header/If-Match', message: 'does not match the current ETag' }]);
}
function idConflict(ctx) {
  const id = ctx.body && ctx.body.data && ctx.body.data.id;
  if (id !== undefined && id !== ctx.path[Object.keys(ctx.path)[0]]) return error(409, 'Conflict', [{ at: 'body/data/id', message: 'does not match the id in the path' }]);
  return null;
}

// ---------- query parameters the router leaves to us (deepObject, form arrays) ----------
function coerceQ(schema, raw) {
  if (schema && schema.type === 'integer' && /^-?\d+$/.test(raw)) return Number(raw);
  if (schema && schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}
function deepObject(ctx, name, schema) {
  const out = {};
  const errs = [];
  for (const [k, v] of ctx.url.searchParams) {
    if (k === name) { errs.push({ at: `query/${name}`, message: `use ${name}[field]=value` }); continue; }
    if (!k.startsWith(`${name}[`)) continue;
    const m = /^[^[]+\[([^\]]*)\]$/.exec(k);
    if (!m) { errs.push({ at: `query/${k}`, message: 'is not a valid parameter' }); continue; }
    out[m[1]] = coerceQ(schema.properties[m[1]], v);
  }
  for (const e of validate(spec, schema, out)) errs.push({ at: `query/${name}${e.at.replace(/^\/(\w+)/, '[$1]')}`, message: e.message });
  return { value: out, errs };
}
function includes(ctx, allowed) {
  if (!ctx.url.searchParams.has('include')) return { value: [], errs: [] };
  const raw = ctx.url.searchParams.get('include');
  const value = raw === '' ? [] : raw.split(',');
  const schema = { type: 'array', uniqueItems: true, items: { type: 'string', enum: allowed } };
  return { value, errs: validate(spec, schema, value).map((e) => ({ at: `query/include${e.at}`, message: e.message })) };
}
const pageSchema = clone(spec.components.parameters.page.schema);
const loosePageSchema = clone(pageSchema);
delete loosePageSchema.properties.size.maximum;
function paging(ctx, schema = pageSchema) {
  const { value, errs } = deepObject(ctx, 'page', schema);
  return { page: { number: value.number ?? 1, size: value.size ?? 20 }, errs };
}
function listBody(ctx, all, page, mapper) {
  const total = all.length;
  const last = Math.max(1, Math.ceil(total / page.size));
  const at = (n) => {
    const q = new URLSearchParams(ctx.url.searchParams);
    q.set('page[number]', String(n));
    q.set('page[size]', String(page.size));
    return `${ctx.url.pathname}?${q}`;
  };
  const links = { self: `${ctx.url.pathname}${ctx.url.search}`, first: at(1), last: at(last) };
  if (page.number > 1) links.prev = at(Math.min(page.number - 1, last));
  if (page.number < last) links.next = at(page.number + 1);
  const slice = all.slice((page.number - 1) * page.size, page.number * page.size);
  return { data: slice.map(mapper), meta: { total, page: { number: page.number, size: page.size } }, links, slice };
}
function sorter(spec_, dflt, get) {
  const s = spec_ || dflt;
  const desc = s.startsWith('-');
  const key = desc ? s.slice(1) : s;
  return (a, b) => {
    const x = get(a, key); const y = get(b, key);
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  };
}

// ---------- access rules ----------
const enrolledCount = (courseId) => [...enrollments.values()].filter((e) => e.courseId === courseId).length;
const enrollmentOf = (u, courseId) => [...enrollments.values()].find((e) => e.courseId === courseId && e.userId === u.id);
const teaches = (u, c) => c.instructorId === u.id;
const canSee = (u, c) => c.published || teaches(u, c) || !!enrollmentOf(u, c.id);
function visibleCourse(u, id) {
  const c = courses.get(id);
  return c && canSee(u, c) ? c : null;
}
function liveAssignment(u, id) {
  const a = assignments.get(id);
  if (!a || a.deletedAt) return null;
  const c = visibleCourse(u, a.courseId);
  return c ? { a, c } : null;
}
function visibleSubmission(u, id) {
  const s = submissions.get(id);
  if (!s) return null;
  const a = assignments.get(s.assignmentId);
  if (!a || a.deletedAt) return null;
  const c = courses.get(a.courseId);
  if (!c) return null;
  return s.authorId === u.id || teaches(u, c) ? { s, a, c } : null;
}
function initials(title) {
  // K01: a title without ASCII letters or digits has no initials (null.slice throws)
  const words = BUGGY ? title.match(/[A-Za-z0-9]+/g) : title.match(/[A-Za-z0-9]+/g) || ['CRS'];
  return words.slice(0, 6).map((w) => w[0].toUpperCase()).join('');
}

// ---------- handlers ----------
function issueTokens(u) {
  const iat = Math.floor(Date.now() / 1000);
  const access = signJwt({ sub: u.id, role: u.role, typ: 'access', iat, exp: iat + ACCESS_TTL }, SECRET);
  const refresh = crypto.randomBytes(24).toString('base64url');
  refreshTokens.set(refresh, u.id);
  return { status: 200, body: { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TTL, refresh_token: refresh }, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } };
}

const handlers = {
  issueToken(ctx) {
    const b = ctx.body;
    if (b.grant_type === 'password') {
      const u = [...users.values()].find((x) => x.username === b.username);
      if (!u || hashPassword(b.password, u.salt) !== u.passwordHash) return oauthError('invalid_grant', 'invalid username or password');
      return issueTokens(u);
    }
    const uid = refreshTokens.get(b.refresh_token);
    if (!uid || !users.has(uid)) return oauthError('invalid_grant', 'unknown or used refresh token');
    refreshTokens.delete(b.refresh_token);
    return issueTokens(users.get(uid));
  },

  registerUser(ctx) {
    const a = ctx.body.data.attributes;
    const all = [...users.values()];
    if (all.some((u) => u.username === a.username)) return error(409, 'Conflict', [{ at: 'body/data/attributes/username', message: 'is already taken' }]);
    if (all.some((u) => u.email.toLowerCase() === a.email.toLowerCase())) return error(409, 'Conflict', [{ at: 'body/data/attributes/email', message: 'is already registered' }]);
    // K13: the buggy variant takes the read-only role from the document
    const role = BUGGY && ['student', 'instructor'].includes(a.role) ? a.role : 'student';
    const u = addUser({ username: a.username, email: a.email, displayName: a.displayName, password: a.password, role });
    return doc(201, { data: userRes(u) });
  },

  getMe(ctx) {
    return doc(200, { data: userRes(ctx.auth), links: { self: link('/me') } });
  },

  listCourses(ctx) {
    const u = ctx.auth;
    const f = deepObject(ctx, 'filter', spec.paths['/courses'].get.parameters[0].schema);
    // K16: the catalogue does not cap page[size]
    const p = paging(ctx, BUGGY ? loosePageSchema : pageSchema);
    const errs = [...f.errs, ...p.errs];
    if (errs.length) return error(400, 'Invalid parameters', errs);
    let all = [...courses.values()].filter((c) => c.published || teaches(u, c));
    if (f.value.title !== undefined) {
      // K15: the buggy variant compiles the filter text as a regular expression
      if (BUGGY) { const rx = new RegExp(f.value.title, 'i'); all = all.filter((c) => rx.test(c.title)); }
      else { const t = f.value.title.toLowerCase(); all = all.filter((c) => c.title.toLowerCase().includes(t)); }
    }
    if (f.value.published !== undefined) all = all.filter((c) => c.published === f.value.published);
    all.sort(sorter(ctx.query.sort, '-created', (c, k) => (k === 'created' ? c.createdAt + c.id : c.title.toLowerCase())));
    const { slice, ...out } = listBody(ctx, all, p.page, courseRes);
    return doc(200, out);
  },

  createCourse(ctx) {
    const u = ctx.auth;
    // K12: the buggy variant lets any signed-in user create a course
    if (!BUGGY && u.role !== 'instructor') return forbidden('only instructors create courses');
    const a = ctx.body.data.attributes;
    const t = now();
    const c = {
      id: newId('crs'), title: a.title, description: a.description, code: `${initials(a.title)}-${++courseSerial}`,
      capacity: a.capacity ?? 30, published: a.published ?? false, startsOn: a.startsOn, instructorId: u.id, createdAt: t, updatedAt: t, version: 1,
    };
    courses.set(c.id, c);
    return doc(201, { data: courseRes(c) }, { Location: link(`/courses/${c.id}`), ETag: etag('courses', c) });
  },

  getCourse(ctx) {
    const inc = includes(ctx, ['instructor', 'assignments']);
    if (inc.errs.length) return error(400, 'Invalid parameters', inc.errs);
    const c = visibleCourse(ctx.auth, ctx.path.courseId);
    if (!c) return notFound('course');
    const body = { data: courseRes(c), links: { self: link(`/courses/${c.id}`) } };
    if (inc.value.length) {
      body.included = [];
      if (inc.value.includes('instructor')) body.included.push(publicUserRes(users.get(c.instructorId)));
      if (inc.value.includes('assignments')) for (const a of assignments.values()) if (a.courseId === c.id && !a.deletedAt) body.included.push(assignmentRes(a));
    }
    return doc(200, body, { ETag: etag('courses', c) });
  },

  updateCourse(ctx) {
    const u = ctx.auth;
    const c = visibleCourse(u, ctx.path.courseId);
    if (!c) return notFound('course');
    if (!teaches(u, c)) return forbidden('only the course instructor changes the course');
    const pre = precondition(ctx, 'courses', c) || idConflict(ctx);
    if (pre) return pre;
    const a = ctx.body.data.attributes;
    if (a.capacity !== undefined && a.capacity < enrolledCount(c.id)) return error(422, 'Unprocessable Entity', [{ at: 'body/data/attributes/capacity', message: 'is below the number of enrolled users' }]);
    for (const k of ['title', 'description', 'capacity', 'published', 'startsOn']) if (a[k] !== undefined) c[k] = a[k];
    c.version += 1;
    c.updatedAt = now();
    return doc(200, { data: courseRes(c) }, { ETag: etag('courses', c) });
  },

  deleteCourse(ctx) {
    const u = ctx.auth;
    const c = visibleCourse(u, ctx.path.courseId);
    if (!c) return notFound('course');
    if (!teaches(u, c)) return forbidden('only the course instructor deletes the course');
    for (const [id, a] of assignments) {
      if (a.courseId !== c.id) continue;
      for (const [sid, s] of submissions) if (s.assignmentId === id) { if (s.gradeId) grades.delete(s.gradeId); submissions.delete(sid); }
      assignments.delete(id);
    }
    for (const [id, e] of enrollments) if (e.courseId === c.id) enrollments.delete(id);
    courses.delete(c.id);
    return { status: 204 };
  },

  listAssignments(ctx) {
    const p = paging(ctx);
    if (p.errs.length) return error(400, 'Invalid parameters', p.errs);
    const c = visibleCourse(ctx.auth, ctx.path.courseId);
    if (!c) return notFound('course');
    const all = [...assignments.values()].filter((a) => a.courseId === c.id && !a.deletedAt);
    all.sort(sorter(ctx.query.sort, 'dueAt', (a, k) => (k === 'created' ? a.createdAt + a.id : k === 'title' ? a.title.toLowerCase() : a.dueAt)));
    const { slice, ...out } = listBody(ctx, all, p.page, assignmentRes);
    return doc(200, out);
  },

  createAssignment(ctx) {
    const u = ctx.auth;
    const c = visibleCourse(u, ctx.path.courseId);
    if (!c) return notFound('course');
    if (!teaches(u, c)) return forbidden('only the course instructor adds assignments');
    const b = ctx.body.data.attributes;
    const t = now();
    const a = { id: newId('asg'), courseId: c.id, title: b.title, instructions: b.instructions, maxPoints: b.maxPoints, dueAt: b.dueAt, createdAt: t, updatedAt: t, version: 1, deletedAt: null };
    assignments.set(a.id, a);
    return doc(201, { data: assignmentRes(a) }, { Location: link(`/assignments/${a.id}`), ETag: etag('assignments', a) });
  },

  getAssignment(ctx) {
    const u = ctx.auth;
    let found;
    if (BUGGY) {
      // K07: the single read forgets the soft-delete mark
      const a = assignments.get(ctx.path.assignmentId);
      const c = a && visibleCourse(u, a.courseId);
      found = c ? { a, c } : null;
    } else found = liveAssignment(u, ctx.path.assignmentId);
    if (!found) return notFound('assignment');
    return doc(200, { data: assignmentRes(found.a) }, { ETag: etag('assignments', found.a) });
  },

  updateAssignment(ctx) {
    const u = ctx.auth;
    const found = liveAssignment(u, ctx.path.assignmentId);
    if (!found) return notFound('assignment');
    if (!teaches(u, found.c)) return forbidden('only the course instructor changes assignments');
    // K06: the buggy variant applies an update sent without If-Match
    const pre = precondition(ctx, 'assignments', found.a, { lax: BUGGY }) || idConflict(ctx);
    if (pre) return pre;
    const b = ctx.body.data.attributes;
    for (const k of ['title', 'instructions', 'maxPoints', 'dueAt']) if (b[k] !== undefined) found.a[k] = b[k];
    found.a.version += 1;
    found.a.updatedAt = now();
    return doc(200, { data: assignmentRes(found.a) }, { ETag: etag('assignments', found.a) });
  },

  deleteAssignment(ctx) {
    const u = ctx.auth;
    const found = liveAssignment(u, ctx.path.assignmentId);
    if (!found) return notFound('assignment');
    if (!teaches(u, found.c)) return forbidden('only the course instructor deletes assignments');
    found.a.deletedAt = now();
    return { status: 204 };
  },

  listEnrollments(ctx) {
    const u = ctx.auth;
    const inc = includes(ctx, ['user', 'course']);
    const p = paging(ctx);
    const errs = [...inc.errs, ...p.errs];
    if (errs.length) return error(400, 'Invalid parameters', errs);
    const c = visibleCourse(u, ctx.path.courseId);
    if (!c) return notFound('course');
    const all = [...enrollments.values()].filter((e) => e.courseId === c.id && (teaches(u, c) || e.userId === u.id));
    const { slice, ...out } = listBody(ctx, all, p.page, (e) => enrollmentRes(e, true));
    if (inc.value.length) {
      out.included = [];
      if (inc.value.includes('user')) for (const id of new Set(slice.map((e) => e.userId))) out.included.push(publicUserRes(users.get(id)));
      if (inc.value.includes('course') && slice.length) out.included.push(courseRes(c));
    }
    return doc(200, out);
  },

  enroll(ctx) {
    const u = ctx.auth;
    const c = visibleCourse(u, ctx.path.courseId);
    if (!c) return notFound('course');
    if (enrollmentOf(u, c.id)) return error(409, 'Conflict', [{ at: '', message: 'already enrolled in this course' }]);
    if (enrolledCount(c.id) >= c.capacity) return error(409, 'Conflict', [{ at: '', message: 'the course is full' }]);
    const e = { id: newId('enr'), courseId: c.id, userId: u.id, track: ctx.body.data.attributes.track, enrolledAt: now() };
    enrollments.set(e.id, e);
    return doc(201, { data: enrollmentRes(e) }, { Location: link(`/enrollments/${e.id}`) });
  },

  getEnrollment(ctx) {
    const u = ctx.auth;
    const e = enrollments.get(ctx.path.enrollmentId);
    if (!e || !(e.userId === u.id || teaches(u, courses.get(e.courseId)))) return notFound('enrollment');
    return doc(200, { data: enrollmentRes(e) });
  },

  withdraw(ctx) {
    const u = ctx.auth;
    const e = enrollments.get(ctx.path.enrollmentId);
    // K10: the buggy variant lets anyone withdraw any enrollment
    if (!e || !(BUGGY || e.userId === u.id || teaches(u, courses.get(e.courseId)))) return notFound('enrollment');
    enrollments.delete(e.id);
    return { status: 204 };
  },

  listSubmissions(ctx) {
    const u = ctx.auth;
    const inc = includes(ctx, ['grade', 'author']);
    const f = deepObject(ctx, 'filter', spec.paths['/assignments/{assignmentId}/submissions'].get.parameters[1].schema);
    const p = paging(ctx);
    const errs = [...inc.errs, ...f.errs, ...p.errs];
    if (errs.length) return error(400, 'Invalid parameters', errs);
    const found = liveAssignment(u, ctx.path.assignmentId);
    if (!found) return notFound('assignment');
    let all = [...submissions.values()].filter((s) => s.assignmentId === found.a.id && (teaches(u, found.c) || s.authorId === u.id));
    if (f.value.status) all = all.filter((s) => s.status === f.value.status);
    all.sort((x, y) => (x.submittedAt + x.id < y.submittedAt + y.id ? 1 : -1));
    const { slice, ...out } = listBody(ctx, all, p.page, submissionRes);
    if (inc.value.length) {
      out.included = [];
      if (inc.value.includes('grade')) {
        for (const s of slice) {
          // K02: the buggy variant includes the grade of every submission, graded or not
          if (BUGGY) out.included.push(gradeRes(grades.get(s.gradeId)));
          else if (s.gradeId) out.included.push(gradeRes(grades.get(s.gradeId)));
        }
      }
      if (inc.value.includes('author')) for (const id of new Set(slice.map((s) => s.authorId))) out.included.push(publicUserRes(users.get(id)));
    }
    return doc(200, out);
  },

  submit(ctx) {
    const u = ctx.auth;
    const found = liveAssignment(u, ctx.path.assignmentId);
    if (!found) return notFound('assignment');
    const preview = teaches(u, found.c);
    if (!preview) {
      const e = enrollmentOf(u, found.c.id);
      if (!e) return forbidden('enroll in the course first');
      if (e.track !== 'credit') return forbidden('audit enrollments cannot hand in work');
    }
    const b = ctx.body.data.attributes;
    const t = now();
    const s = {
      id: newId('sub'), assignmentId: found.a.id, authorId: u.id, body: b.body, attachmentUrl: b.attachmentUrl, status: 'submitted',
      late: !!found.a.dueAt && Date.parse(t) > Date.parse(found.a.dueAt), preview, submittedAt: t, updatedAt: t, version: 1, gradeId: null,
    };
    submissions.set(s.id, s);
    // K04: the buggy variant answers 200 to a create
    return doc(BUGGY ? 200 : 201, { data: submissionRes(s) }, { Location: link(`/submissions/${s.id}`), ETag: etag('submissions', s) });
  },

  getSubmission(ctx) {
    const u = ctx.auth;
    let found = visibleSubmission(u, ctx.path.submissionId);
    if (BUGGY && !found) {
      // K09: the buggy variant hands any submission to any signed-in user
      const s = submissions.get(ctx.path.submissionId);
      const a = s && assignments.get(s.assignmentId);
      if (s && a && !a.deletedAt) found = { s, a };
    }
    if (!found) return notFound('submission');
    return doc(200, { data: submissionRes(found.s) }, { ETag: etag('submissions', found.s) });
  },

  updateSubmission(ctx) {
    const u = ctx.auth;
    const found = visibleSubmission(u, ctx.path.submissionId);
    if (!found) return notFound('submission');
    if (found.s.authorId !== u.id) return forbidden('only the author revises a submission');
    const pre = precondition(ctx, 'submissions', found.s) || idConflict(ctx);
    if (pre) return pre;
    if (found.s.status === 'graded') return error(409, 'Conflict', [{ at: '', message: 'the submission is graded' }]);
    const b = ctx.body.data.attributes;
    for (const k of ['body', 'attachmentUrl']) if (b[k] !== undefined) found.s[k] = b[k];
    found.s.version += 1;
    found.s.updatedAt = now();
    return doc(200, { data: submissionRes(found.s) }, { ETag: etag('submissions', found.s) });
  },

  getGrade(ctx) {
    const found = visibleSubmission(ctx.auth, ctx.path.submissionId);
    if (!found || !found.s.gradeId) return notFound('grade');
    return doc(200, { data: gradeRes(grades.get(found.s.gradeId)) });
  },

  gradeSubmission(ctx) {
    const u = ctx.auth;
    let found = visibleSubmission(u, ctx.path.submissionId);
    if (BUGGY) {
      // K11: the buggy variant lets any signed-in user grade any submission
      const s = submissions.get(ctx.path.submissionId);
      const a = s && assignments.get(s.assignmentId);
      found = s && a && !a.deletedAt ? { s, a, c: courses.get(a.courseId) } : null;
    }
    if (!found) return notFound('submission');
    if (!BUGGY && !teaches(u, found.c)) return forbidden('only the course instructor grades');
    const b = ctx.body.data.attributes;
    if (b.score > found.a.maxPoints) return error(422, 'Unprocessable Entity', [{ at: 'body/data/attributes/score', message: `exceeds the assignment's maxPoints (${found.a.maxPoints})` }]);
    const g = { id: found.s.gradeId || newId('grd'), submissionId: found.s.id, score: b.score, feedback: b.feedback, gradedAt: now(), graderId: u.id };
    grades.set(g.id, g);
    found.s.gradeId = g.id;
    found.s.status = 'graded';
    found.s.version += 1;
    found.s.updatedAt = g.gradedAt;
    return doc(200, { data: gradeRes(g) });
  },
};

// ---------- wiring ----------
function authenticate(_scheme, req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (!m) return null;
  const claims = verifyJwt(m[1], SECRET);
  if (!claims || claims.typ !== 'access') return null;
  return users.get(claims.sub) || null;
}

// K05: the buggy variant validates assignments without maxPoints' bounds
const validationSpec = clone(spec);
if (BUGGY) {
  for (const n of ['AssignmentAttributes', 'AssignmentPatchAttributes']) {
    delete validationSpec.components.schemas[n].properties.maxPoints.minimum;
    delete validationSpec.components.schemas[n].properties.maxPoints.maximum;
  }
}

const server = createServer({
  spec,
  validationSpec,
  handlers,
  error,
  authenticate,
  keepReadOnly: BUGGY,
  skipParams: ['filter', 'page', 'include', 'If-Match'],
  crashBody: (e) => (BUGGY
    ? { errors: [{ status: '500', title: 'Internal Server Error', detail: String(e && e.message), meta: { stack: String(e && e.stack) } }] }
    : { errors: [{ status: '500', title: 'Internal Server Error' }] }),
});
listen(server, port, 'coursework', variant);
