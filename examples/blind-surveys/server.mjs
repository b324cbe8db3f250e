// Surveys API: `node server.mjs --variant buggy|clean --port N` (SELFCHECK=1 checks every answer of
// the server against openapi.yaml and prints deviations on stderr). The clean variant follows
// spec.mjs / openapi.yaml; the buggy one carries the faults of FAULTS.md, each marked FAULT Snn.
import crypto from 'node:crypto';
import { createServer, listen, parseArgs, clone, nowIso, hashPassword } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const BASE = '/api';

// ---------- errors: RFC 7807 ----------
const PROBLEM = 'application/problem+json';
function problem(status, title, detail, errors) {
  const body = { type: `https://surveys.example/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`, title, status };
  if (detail) body.detail = detail;
  if (errors && errors.length) body.errors = errors.map((e) => ({ pointer: e.at, message: e.message }));
  return { status, body, headers: { 'Content-Type': PROBLEM } };
}
const libError = (status, title, details) => problem(status, title, undefined, details);

// ---------- data ----------
const users = new Map();
const byName = new Map();
let nextUser = 1;
function addUser(username, displayName, email, role, password) {
  const salt = crypto.randomBytes(8).toString('hex');
  const u = { id: nextUser++, username, displayName, email, role, createdAt: nowIso(Date.now()), salt, hash: hashPassword(password, salt) };
  users.set(u.id, u);
  byName.set(username, u);
  return u;
}
addUser('olivia', 'Olivia Owner', 'olivia@surveys.example', 'owner', 'olivia-pass-2026');
addUser('oscar', 'Oscar Owner', 'oscar@surveys.example', 'owner', 'oscar-pass-2026');
addUser('edith', 'Edith Editor', 'edith@surveys.example', 'editor', 'edith-pass-2026');
addUser('rhea', 'Rhea Respondent', 'rhea@surveys.example', 'respondent', 'rhea-pass-2026');
addUser('ravi', 'Ravi Respondent', 'ravi@surveys.example', 'respondent', 'ravi-pass-2026');
const DUMMY = { salt: 'not-a-user', hash: hashPassword('not-a-password', 'not-a-user') };

const pubUser = (u) => {
  const out = { id: u.id, username: u.username, displayName: u.displayName, email: u.email, role: u.role, createdAt: u.createdAt };
  return out;
};

const sessions = new Map(); // sid -> { userId, csrf, expires }
const failures = new Map(); // username -> [ms of failed sign-ins]
const WINDOW = 15 * 60 * 1000;

const surveys = new Map();
const questionsBySurvey = new Map(); // surveyId -> [question]
const submissions = new Map();
const exportsById = new Map();
let nextSurvey = 1;
let nextQuestion = 1;
let nextSubmission = 1;
let nextExport = 1;

const surveyRep = (s) => ({
  id: s.id, title: s.title, description: s.description, anonymous: s.anonymous, responseLimit: s.responseLimit, closesAt: s.closesAt,
  status: s.status, ownerId: s.ownerId, questionCount: (questionsBySurvey.get(s.id) || []).length,
  responseCount: [...submissions.values()].filter((r) => r.surveyId === s.id).length, createdAt: s.createdAt, updatedAt: s.updatedAt,
});
const questionRep = (q) => {
  const out = { id: q.id, surveyId: q.surveyId, position: q.position, kind: q.kind, prompt: q.prompt, required: q.required };
  if (q.options) out.options = [...q.options];
  if (q.scaleMax !== undefined) out.scaleMax = q.scaleMax;
  return out;
};
const submissionRep = (r) => {
  const s = surveys.get(r.surveyId);
  return { id: r.id, surveyId: r.surveyId, respondentId: s && s.anonymous ? null : r.userId, answers: clone(r.answers), submittedAt: r.submittedAt };
};
const exportRep = (e) => ({ id: e.id, surveyId: e.surveyId, format: e.format, rowCount: e.rowCount, createdAt: e.createdAt });

// ---------- auth ----------
function parseCookies(h) {
  const out = {};
  for (const part of String(h || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
function authenticate(scheme, req) {
  if (scheme !== 'sessionCookie') return null;
  const sid = parseCookies(req.headers.cookie).sid;
  const sess = sid && sessions.get(sid);
  if (!sess || sess.expires <= Date.now()) return null;
  const user = users.get(sess.userId);
  return user ? { user, sid, session: sess } : null;
}
const needsCsrf = (op) => (op.security || spec.security).some((r) => 'csrfToken' in r);
function csrfOk(ctx) {
  const got = ctx.req.headers['x-csrf-token'];
  return typeof got === 'string' && got.length === ctx.auth.session.csrf.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(ctx.auth.session.csrf));
}

const forbidden = (detail) => problem(403, 'Forbidden', detail);
const notFound = (what) => problem(404, 'Not Found', `${what} not found`);
const conflict = (detail) => problem(409, 'Conflict', detail);
const isAuthor = (u) => u.role === 'owner' || u.role === 'editor';

// ---------- pagination ----------
function paginate(ctx, items) {
  const limit = ctx.query.limit ?? 20;
  const page = ctx.query.page ?? 1;
  const start = (page - 1) * limit;
  const body = items.slice(start, start + limit);
  const headers = {};
  if (start + limit < items.length && limit > 0) {
    const params = new URLSearchParams(ctx.url.search);
    params.set('limit', String(limit));
    params.set('page', String(page + 1));
    headers.Link = `<${ctx.url.pathname}?${params}>; rel="next"`;
  }
  return { status: 200, body, headers };
}

// The author's survey behind a sub-resource path (questions, report, respondents, responses, exports).
function authorSurvey(ctx, id) {
  if (!isAuthor(ctx.auth.user)) return { err: forbidden('only owners and editors manage surveys') };
  if (BUGGY) {
    // FAULT S09: deleting a survey leaves its question index behind, and this lookup trusts the
    // index: the sub-resources of a deleted survey dereference the missing survey (500).
    if (!questionsBySurvey.has(id)) return { err: notFound('survey') };
    const s = surveys.get(id);
    if (s.ownerId !== ctx.auth.user.id) return { err: notFound('survey') };
    return { s };
  }
  const s = surveys.get(id);
  if (!s || s.ownerId !== ctx.auth.user.id) return { err: notFound('survey') };
  return { s };
}

// ---------- answers ----------
function checkAnswers(s, answers) {
  const qs = questionsBySurvey.get(s.id) || [];
  const errs = [];
  const seen = new Set();
  answers.forEach((a, i) => {
    const at = `/answers/${i}/value`;
    const q = qs.find((x) => x.id === a.questionId);
    if (!q) { errs.push({ at: `/answers/${i}/questionId`, message: 'is not a question of this survey' }); return; }
    if (seen.has(q.id)) { errs.push({ at: `/answers/${i}/questionId`, message: 'is answered twice' }); return; }
    seen.add(q.id);
    const v = a.value;
    if (q.kind === 'text' && typeof v !== 'string') errs.push({ at, message: 'must be a string' });
    if (q.kind === 'rating' && !(Number.isInteger(v) && v >= 1 && v <= q.scaleMax)) errs.push({ at, message: `must be an integer from 1 to ${q.scaleMax}` });
    if (q.kind === 'single_choice' && !(typeof v === 'string' && q.options.includes(v))) errs.push({ at, message: 'must be one of the options' });
    if (q.kind === 'multiple_choice' && !(Array.isArray(v) && v.every((x) => q.options.includes(x)) && new Set(v).size === v.length)) errs.push({ at, message: 'must be distinct options' });
  });
  for (const q of qs) if (q.required && !seen.has(q.id)) errs.push({ at: '/answers', message: `question ${q.id} is required` });
  return errs;
}

function reportOf(s) {
  const subs = [...submissions.values()].filter((r) => r.surveyId === s.id);
  const questions = (questionsBySurvey.get(s.id) || []).map((q) => {
    const vals = subs.map((r) => r.answers.find((a) => a.questionId === q.id)).filter(Boolean).map((a) => a.value);
    const counts = {};
    if (q.options) for (const o of q.options) counts[o] = 0;
    if (q.kind === 'rating') for (let k = 1; k <= q.scaleMax; k++) counts[String(k)] = 0;
    for (const v of vals) for (const x of Array.isArray(v) ? v : [v]) if (q.kind !== 'text' && String(x) in counts) counts[String(x)]++;
    const average = q.kind === 'rating' && vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
    return { questionId: q.id, kind: q.kind, answered: vals.length, counts, average };
  });
  // FAULT S03: the count is sent as a string (a number in the schema).
  const responseCount = BUGGY ? String(subs.length) : subs.length;
  return { surveyId: s.id, status: s.status, responseCount, questions };
}

function exportContent(s, format) {
  const subs = [...submissions.values()].filter((r) => r.surveyId === s.id).sort((a, b) => a.id - b.id);
  if (format === 'json') return { rows: subs.length, text: JSON.stringify(subs.map(submissionRep)) };
  const qs = questionsBySurvey.get(s.id) || [];
  const cell = (v) => { const t = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('|') : String(v); return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t; };
  const lines = [['responseId', 'submittedAt', 'respondentId', ...qs.map((q) => `q${q.id}`)].join(',')];
  for (const r of subs) {
    const rep = submissionRep(r);
    lines.push([rep.id, rep.submittedAt, rep.respondentId ?? '', ...qs.map((q) => { const a = r.answers.find((x) => x.questionId === q.id); return a ? a.value : undefined; })].map(cell).join(','));
  }
  return { rows: subs.length, text: `${lines.join('\n')}\n` };
}

function deleteSurveyData(id) {
  surveys.delete(id);
  // FAULT S09 (with authorSurvey): the buggy variant forgets the question index.
  if (!BUGGY) questionsBySurvey.delete(id);
  for (const [k, r] of submissions) if (r.surveyId === id) submissions.delete(k);
  for (const [k, e] of exportsById) if (e.surveyId === id) exportsById.delete(k);
}

// ---------- handlers ----------
const handlers = {
  signIn(ctx) {
    const { username, password } = ctx.body;
    if (BUGGY && (username.split("'").length - 1) % 2 === 1) {
      // FAULT S15: the lookup is built by string concatenation; a stray quote breaks the statement
      // and the database's error text and statement are sent back.
      const sql = `SELECT id, username, password_hash FROM users WHERE username = '${username}' LIMIT 1`;
      return problem(500, 'Internal Server Error', `SQLITE_ERROR: unrecognized token: "'${username.split("'").pop()} LIMIT 1" in statement: ${sql}`);
    }
    const now = Date.now();
    const recent = (failures.get(username) || []).filter((t) => now - t < WINDOW);
    // FAULT S16: no throttling of failed sign-ins in the buggy variant.
    if (!BUGGY && recent.length >= 5) {
      const p = problem(429, 'Too Many Requests', 'too many failed sign-ins for this username; try again later');
      p.headers['Retry-After'] = String(Math.max(1, Math.ceil((recent[0] + WINDOW - now) / 1000)));
      return p;
    }
    const u = byName.get(username);
    const rec = u || DUMMY;
    const ok = hashPassword(password, rec.salt) === rec.hash && !!u;
    if (!ok) {
      recent.push(now);
      failures.set(username, recent);
      return problem(401, 'Unauthorized', 'invalid username or password');
    }
    failures.delete(username);
    const sid = crypto.randomBytes(24).toString('hex');
    const csrf = crypto.randomBytes(24).toString('base64url');
    const expires = now + 12 * 3600 * 1000;
    sessions.set(sid, { userId: u.id, csrf, expires });
    return {
      status: 201,
      body: { user: pubUser(u), csrfToken: csrf, expiresAt: nowIso(expires) },
      headers: { 'Set-Cookie': `sid=${sid}; Path=${BASE}; HttpOnly; SameSite=Strict; Max-Age=43200` },
    };
  },
  signOut(ctx) {
    sessions.delete(ctx.auth.sid);
    return { status: 204, headers: { 'Set-Cookie': `sid=; Path=${BASE}; HttpOnly; SameSite=Strict; Max-Age=0` } };
  },
  getMe(ctx) { return { status: 200, body: pubUser(ctx.auth.user) }; },
  registerRespondent(ctx) {
    const b = ctx.body;
    if (byName.has(b.username)) return conflict('the username is taken');
    if ([...users.values()].some((u) => u.email.toLowerCase() === b.email.toLowerCase())) return conflict('the e-mail is taken');
    return { status: 201, body: pubUser(addUser(b.username, b.displayName, b.email, 'respondent', b.password)) };
  },
  listUsers(ctx) {
    if (ctx.auth.user.role !== 'owner') return forbidden('only owners manage users');
    const all = [...users.values()].sort((a, b) => a.id - b.id);
    // FAULT S06: `limit` is not bounded in the buggy variant (0 answers an empty page, 5000 is used as is).
    const out = paginate(ctx, all);
    // FAULT S14: the buggy variant lists each user's password hash.
    out.body = out.body.map((u) => (BUGGY ? { ...pubUser(u), passwordHash: u.hash } : pubUser(u)));
    return out;
  },
  setUserRole(ctx) {
    // FAULT S12: the buggy variant lets any signed-in user change roles.
    if (!BUGGY && ctx.auth.user.role !== 'owner') return forbidden('only owners manage users');
    const u = users.get(ctx.path.userId);
    if (!u) return notFound('user');
    if (u.id === ctx.auth.user.id) return conflict('an owner cannot change their own role');
    u.role = ctx.body.role;
    return { status: 200, body: pubUser(u) };
  },
  listSurveys(ctx) {
    const me = ctx.auth.user.id;
    let list = [...surveys.values()].filter((s) => s.ownerId === me);
    if (ctx.query.status) list = list.filter((s) => s.status === ctx.query.status);
    if (ctx.query.q !== undefined) {
      if (BUGGY) {
        // FAULT S02: the search text is used as a regular expression ("(" throws: 500).
        const rx = new RegExp(ctx.query.q, 'i');
        list = list.filter((s) => rx.test(s.title));
      } else {
        const q = ctx.query.q.toLowerCase();
        list = list.filter((s) => s.title.toLowerCase().includes(q));
      }
    }
    list.sort((a, b) => b.id - a.id);
    const out = paginate(ctx, list);
    out.body = out.body.map(surveyRep);
    return out;
  },
  createSurvey(ctx) {
    if (!isAuthor(ctx.auth.user)) return forbidden('only owners and editors create surveys');
    const b = ctx.body;
    const now = nowIso(Date.now());
    let status = 'draft';
    if (BUGGY) {
      // FAULT S13: the read-only `status` of the request is stored (a survey created "published").
      const raw = JSON.parse(ctx.rawBody);
      if (['draft', 'published', 'closed'].includes(raw.status)) status = raw.status;
    }
    const s = {
      id: nextSurvey++, title: b.title, description: b.description ?? null, anonymous: b.anonymous ?? false, responseLimit: b.responseLimit ?? null,
      closesAt: b.closesAt ?? null, status, ownerId: ctx.auth.user.id, createdAt: now, updatedAt: now,
    };
    surveys.set(s.id, s);
    questionsBySurvey.set(s.id, []);
    return { status: 201, body: surveyRep(s), headers: { Location: `${BASE}/surveys/${s.id}` } };
  },
  getSurvey(ctx) {
    if (!isAuthor(ctx.auth.user)) return forbidden('only owners and editors manage surveys');
    const s = surveys.get(ctx.path.surveyId);
    // FAULT S04: the buggy variant answers a missing survey with a plain JSON body, not problem+json.
    if (!s) return BUGGY ? { status: 404, body: { error: 'survey not found' }, headers: { 'Content-Type': 'application/json' } } : notFound('survey');
    // FAULT S11: the buggy variant shows any author's survey to any other author.
    if (!BUGGY && s.ownerId !== ctx.auth.user.id) return notFound('survey');
    return { status: 200, body: surveyRep(s) };
  },
  updateSurvey(ctx) {
    if (!isAuthor(ctx.auth.user)) return forbidden('only owners and editors manage surveys');
    const s = surveys.get(ctx.path.surveyId);
    if (!s || s.ownerId !== ctx.auth.user.id) return notFound('survey');
    if (s.status === 'closed') return conflict('a closed survey cannot be changed');
    const next = clone(s);
    for (const op of ctx.body) {
      const f = op.path.slice(1);
      if (op.op === 'test') {
        if (JSON.stringify(next[f]) !== JSON.stringify(op.value)) return conflict(`test failed at ${op.path}`);
      } else if (op.op === 'remove') next[f] = null;
      else next[f] = op.value;
    }
    next.updatedAt = nowIso(Date.now());
    // FAULT S08: the buggy variant answers the patched copy but never stores it.
    if (!BUGGY) surveys.set(s.id, next);
    return { status: 200, body: surveyRep(next) };
  },
  deleteSurvey(ctx) {
    if (!isAuthor(ctx.auth.user)) return forbidden('only owners and editors manage surveys');
    const s = surveys.get(ctx.path.surveyId);
    if (!s || s.ownerId !== ctx.auth.user.id) return notFound('survey');
    if (ctx.auth.user.role !== 'owner') return forbidden('only owners delete surveys');
    deleteSurveyData(s.id);
    return { status: 204 };
  },
  publishSurvey(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    if (s.status !== 'draft') return conflict(`the survey is ${s.status}`);
    if (!(questionsBySurvey.get(s.id) || []).length) return conflict('a survey needs a question before it is published');
    s.status = 'published';
    s.updatedAt = nowIso(Date.now());
    return { status: 200, body: surveyRep(s) };
  },
  closeSurvey(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    if (s.status !== 'published') return conflict(`the survey is ${s.status}`);
    s.status = 'closed';
    s.updatedAt = nowIso(Date.now());
    return { status: 200, body: surveyRep(s) };
  },
  listQuestions(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const out = paginate(ctx, questionsBySurvey.get(s.id));
    out.body = out.body.map(questionRep);
    return out;
  },
  addQuestion(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    if (s.status !== 'draft') return conflict('questions can only be added to a draft');
    const qs = questionsBySurvey.get(s.id);
    const b = ctx.body;
    const q = { id: nextQuestion++, surveyId: s.id, position: qs.length + 1, kind: b.kind, prompt: b.prompt, required: b.required ?? false };
    if (b.options) q.options = [...b.options];
    if (b.scaleMax !== undefined) q.scaleMax = b.scaleMax;
    qs.push(q);
    s.updatedAt = nowIso(Date.now());
    // FAULT S05: the buggy Location names a path that does not exist ("question", singular).
    const loc = BUGGY ? `${BASE}/surveys/${s.id}/question/${q.id}` : `${BASE}/surveys/${s.id}/questions/${q.id}`;
    return { status: 201, body: questionRep(q), headers: { Location: loc } };
  },
  getQuestion(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const q = questionsBySurvey.get(s.id).find((x) => x.id === ctx.path.questionId);
    return q ? { status: 200, body: questionRep(q) } : notFound('question');
  },
  replaceQuestion(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const q = questionsBySurvey.get(s.id).find((x) => x.id === ctx.path.questionId);
    if (!q) return notFound('question');
    if (s.status !== 'draft') return conflict('questions can only be changed in a draft');
    const b = ctx.body;
    const oldOptions = q.options;
    q.kind = b.kind;
    q.prompt = b.prompt;
    q.required = b.required ?? false;
    delete q.options;
    delete q.scaleMax;
    if (b.options) {
      // FAULT S10: the buggy variant appends the sent options to the stored ones instead of replacing them.
      q.options = BUGGY && oldOptions ? [...oldOptions, ...b.options] : [...b.options];
    }
    if (b.scaleMax !== undefined) q.scaleMax = b.scaleMax;
    s.updatedAt = nowIso(Date.now());
    return { status: 200, body: questionRep(q) };
  },
  deleteQuestion(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const qs = questionsBySurvey.get(s.id);
    const i = qs.findIndex((x) => x.id === ctx.path.questionId);
    if (i < 0) return notFound('question');
    if (s.status !== 'draft') return conflict('questions can only be deleted in a draft');
    qs.splice(i, 1);
    qs.forEach((q, k) => { q.position = k + 1; });
    s.updatedAt = nowIso(Date.now());
    return { status: 204 };
  },
  getForm(ctx) {
    const s = surveys.get(ctx.path.surveyId);
    if (!s || (s.status === 'draft' && s.ownerId !== ctx.auth.user.id)) return notFound('survey');
    return { status: 200, body: { id: s.id, title: s.title, description: s.description, status: s.status, closesAt: s.closesAt, questions: questionsBySurvey.get(s.id).map(questionRep) } };
  },
  listResponses(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const out = paginate(ctx, [...submissions.values()].filter((r) => r.surveyId === s.id).sort((a, b) => a.id - b.id));
    out.body = out.body.map(submissionRep);
    return out;
  },
  submitResponse(ctx) {
    const s = surveys.get(ctx.path.surveyId);
    const me = ctx.auth.user.id;
    if (!s || (s.status === 'draft' && s.ownerId !== me)) return notFound('survey');
    if (s.status !== 'published') return conflict(`the survey is ${s.status}`);
    if (s.closesAt && Date.parse(s.closesAt) <= Date.now()) return conflict('the survey has closed');
    const subs = [...submissions.values()].filter((r) => r.surveyId === s.id);
    if (s.responseLimit !== null && subs.length >= s.responseLimit) return conflict('the survey has all the responses it takes');
    if (subs.some((r) => r.userId === me)) return conflict('you have already answered this survey');
    const errs = checkAnswers(s, ctx.body.answers);
    if (errs.length) return problem(400, 'Bad Request', 'the answers do not fit the questions', errs.map((e) => ({ ...e, at: `body${e.at}` })));
    const r = { id: nextSubmission++, surveyId: s.id, userId: me, answers: ctx.body.answers.map((a) => ({ questionId: a.questionId, value: a.value })), submittedAt: nowIso(Date.now()) };
    submissions.set(r.id, r);
    return { status: 201, body: submissionRep(r), headers: { Location: `${BASE}/responses/${r.id}` } };
  },
  getResponse(ctx) {
    const r = submissions.get(ctx.path.responseId);
    const s = r && surveys.get(r.surveyId);
    if (!r || !s || (r.userId !== ctx.auth.user.id && s.ownerId !== ctx.auth.user.id)) return notFound('response');
    return { status: 200, body: submissionRep(r) };
  },
  withdrawResponse(ctx) {
    const r = submissions.get(ctx.path.responseId);
    const s = r && surveys.get(r.surveyId);
    const me = ctx.auth.user.id;
    if (!r || !s || (r.userId !== me && s.ownerId !== me)) return notFound('response');
    if (s.ownerId !== me && s.status !== 'published') return conflict('the survey is closed');
    submissions.delete(r.id);
    return { status: 204 };
  },
  listRespondents(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    if (s.anonymous) return conflict('the survey is anonymous');
    const list = [...submissions.values()].filter((r) => r.surveyId === s.id).sort((a, b) => a.id - b.id).map((r) => {
      const u = users.get(r.userId);
      return { userId: u.id, username: u.username, displayName: u.displayName, submittedAt: r.submittedAt };
    });
    return paginate(ctx, list);
  },
  getReport(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    return { status: 200, body: reportOf(s) };
  },
  createExport(ctx) {
    const { s, err } = authorSurvey(ctx, ctx.path.surveyId);
    if (err) return err;
    const c = exportContent(s, ctx.body.format);
    const e = { id: nextExport++, surveyId: s.id, format: ctx.body.format, rowCount: c.rows, createdAt: nowIso(Date.now()), creatorId: ctx.auth.user.id, text: c.text, deleted: false };
    exportsById.set(e.id, e);
    return { status: 201, body: exportRep(e), headers: { Location: `${BASE}/exports/${e.id}` } };
  },
  getExport(ctx) {
    const e = findExport(ctx);
    return e ? { status: 200, body: exportRep(e) } : notFound('export');
  },
  getExportContent(ctx) {
    const e = findExport(ctx);
    if (!e) return notFound('export');
    return { status: 200, body: e.text, headers: { 'Content-Type': e.format === 'csv' ? 'text/csv' : 'application/json' } };
  },
  deleteExport(ctx) {
    const e = exportsById.get(ctx.path.exportId);
    if (!e || e.deleted || e.creatorId !== ctx.auth.user.id) return notFound('export');
    // FAULT S07: the buggy variant only flags the export, and the reads do not look at the flag.
    if (BUGGY) e.deleted = true;
    else exportsById.delete(e.id);
    return { status: 204 };
  },
};
function findExport(ctx) {
  const e = exportsById.get(ctx.path.exportId);
  if (!e || e.creatorId !== ctx.auth.user.id) return null;
  if (e.deleted && !BUGGY) return null;
  return e;
}

// every state-changing operation checks the CSRF token first
const ops = {};
for (const item of Object.values(spec.paths)) for (const m of ['get', 'put', 'post', 'patch', 'delete']) if (item[m]) ops[item[m].operationId] = item[m];
const guarded = Object.fromEntries(Object.entries(handlers).map(([id, h]) => [id, (ctx) => {
  if (needsCsrf(ops[id]) && !csrfOk(ctx)) return forbidden('missing or wrong X-CSRF-Token');
  return h(ctx);
}]));

// the buggy variant validates against a looser copy of the spec
const vspec = clone(spec);
if (BUGGY) {
  delete vspec.components.schemas.Survey.properties.title.maxLength; // FAULT S01: titles of any length are stored
  const lim = vspec.paths['/users'].get.parameters.find((p) => p.name === 'limit');
  delete lim.schema.minimum; // FAULT S06 (with listUsers): limit unbounded
  delete lim.schema.maximum;
}

const server = createServer({
  spec, validationSpec: vspec, handlers: guarded, authenticate, error: libError,
  crashBody: () => problem(500, 'Internal Server Error', 'unexpected error').body,
});
listen(server, port, 'Surveys API', variant);
