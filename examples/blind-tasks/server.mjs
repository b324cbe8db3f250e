// Taskboard: projects with numbered tasks, pre-existing users with bearer tokens, JSON merge patch
// with ETag/If-Match versions, an admin reset.
// node server.mjs --port 4103 --variant buggy|clean   (faults of the buggy variant: FAULTS.md)
import vm from 'node:vm';
import { spec } from './spec.mjs';
import { USERS } from './tokens.mjs';
import { parseArgs, createServer, listen, clone, nowIso } from '../blind-common/lib.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const BASE_MS = Date.UTC(2026, 4, 4, 7, 30, 0);
let clock = 0;
const stamp = () => nowIso(BASE_MS + 20 * 86400000 + ++clock * 1000);

const PJ = { 'Content-Type': 'application/problem+json' };
const TITLES = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 415: 'Unsupported Media Type', 428: 'Precondition Required' };
const P = (status, detail, errors) => ({
  status,
  headers: PJ,
  body: { type: `https://taskboard.test/problems/${status}`, title: TITLES[status] || 'Error', status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) },
});
const errorStyle = (status, title, details) => P(status, title, details && details.map((d) => ({ pointer: d.at, detail: d.message })));

// ---------- state ----------
const users = USERS.map((u) => ({ ...u }));
let projects; // key -> project
let tasks; // key -> Map(number -> task)
let counters; // key -> last task number
function seed() {
  projects = new Map();
  tasks = new Map();
  counters = new Map();
  const SEED = [
    ['WEB', 'Website relaunch', 'team', 1, ['Pick a font', 'Draft the home page', 'Set up CI', 'Write the privacy policy']],
    ['ALPHA', 'Secret alpha', 'private', 1, ['Prototype the engine', 'Budget for Q3']],
    ['BOBS', "Bob's chores", 'private', 2, ['Renew passport']],
    ['OPS', 'Operations', 'team', 3, ['Rotate certificates', 'Patch servers', 'Review alerts']],
  ];
  SEED.forEach(([key, name, visibility, ownerId, titles], i) => {
    const createdAt = nowIso(BASE_MS + i * 86400000);
    projects.set(key, { key, name, description: `${name} (seeded)`, visibility, ownerId, version: 1, createdAt });
    const m = new Map();
    titles.forEach((title, j) => {
      m.set(j + 1, { number: j + 1, projectKey: key, title, state: ['todo', 'doing', 'done'][j % 3], labels: j % 2 ? ['ops'] : [], version: 1, createdAt: nowIso(BASE_MS + i * 86400000 + (j + 1) * 60000), ...(j === 0 ? { assigneeId: ownerId } : {}) });
    });
    tasks.set(key, m);
    counters.set(key, titles.length);
  });
}
seed();

// ---------- helpers ----------
const userView = (u) => {
  const out = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, timezone: u.timezone };
  if (BUGGY) out.apiToken = u.token; // T3: every user's token exposed
  return out;
};
const projectView = (p) => ({ ...p });
const taskView = (t) => {
  const { deleted, ...out } = t;
  return out;
};
const pTag = (p) => `"p-${p.key}-v${p.version}"`;
const tTag = (t) => `"t-${t.projectKey}-${t.number}-v${t.version}"`;
const canRead = (p, user) => p.visibility === 'team' || p.ownerId === user.id;
const matches = (header, tag) => header.split(',').map((s) => s.trim()).some((s) => s === '*' || s === tag);

/** Finds a project the caller may read; else a 404 problem. */
function readable(key, user, { skipVisibility = false } = {}) {
  const p = projects.get(key);
  if (!p || (!skipVisibility && !canRead(p, user))) return { err: P(404, `no project ${key}`) };
  return { p };
}
function ownedTask(ctx, { checkOwner = true } = {}) {
  const { p, err } = readable(ctx.path.projectKey, ctx.auth);
  if (err) return { err };
  const t = tasks.get(p.key).get(ctx.path.taskNumber);
  if (!t || (t.deleted && !BUGGY)) return { err: P(404, `no task ${p.key}-${ctx.path.taskNumber}`) };
  if (checkOwner && p.ownerId !== ctx.auth.id) return { err: P(403, 'only the project owner may change its tasks') };
  return { p, t };
}

// T15: a "starts with an @mention" check whose pattern backtracks exponentially on a long run of
// letters or digits (bounded here at ~3 s; the event loop is blocked meanwhile)
function startsWithMention(text) {
  try { return vm.runInNewContext('/^([a-z0-9]+)*@/i.test(s)', { s: text }, { timeout: 3000 }); } catch { return false; }
}

// ---------- handlers ----------
const handlers = {
  listUsers() {
    return { status: 200, body: users.map(userView) };
  },
  getMe({ auth }) {
    return { status: 200, body: userView(auth) };
  },
  updateMe({ auth, body }) {
    if (body.displayName !== undefined) auth.displayName = body.displayName;
    if (body.timezone !== undefined) auth.timezone = body.timezone;
    if (BUGGY && ['member', 'admin'].includes(body.role)) auth.role = body.role; // T2: mass assignment
    return { status: 200, body: userView(auth) };
  },
  listProjects({ auth }) {
    const list = [...projects.values()].filter((p) => canRead(p, auth)).sort((a, b) => (a.key < b.key ? -1 : 1));
    return { status: 200, body: list.map(projectView) };
  },
  createProject({ body, auth }) {
    if (projects.has(body.key)) return P(409, `project key ${body.key} is taken`);
    const p = { key: body.key, name: body.name, visibility: body.visibility || 'private', ownerId: auth.id, version: 1, createdAt: stamp() };
    if (body.description !== undefined) p.description = body.description;
    projects.set(p.key, p);
    tasks.set(p.key, new Map());
    counters.set(p.key, 0);
    return { status: BUGGY ? 200 : 201, headers: { Location: `/projects/${p.key}`, ETag: pTag(p) }, body: projectView(p) }; // T1
  },
  getProject({ path, auth }) {
    const { p, err } = readable(path.projectKey, auth, { skipVisibility: BUGGY }); // T4: private projects readable by all
    if (err) return err;
    return { status: 200, headers: { ETag: pTag(p) }, body: projectView(p) };
  },
  updateProject({ path, auth, body, headers }) {
    const { p, err } = readable(path.projectKey, auth);
    if (err) return err;
    if (p.ownerId !== auth.id) return P(403, 'only the owner may change the project');
    const im = headers['if-match'];
    if (im === undefined) { if (!BUGGY) return P(428, 'If-Match is required'); } // T5: applied without a precondition
    else if (!matches(im, pTag(p))) return P(412, 'the project changed since you read it');
    for (const [k, v] of Object.entries(body)) { if (v === null) delete p[k]; else p[k] = v; }
    p.version += 1;
    return { status: 200, headers: { ETag: pTag(p) }, body: projectView(p) };
  },
  deleteProject({ path, auth }) {
    const { p, err } = readable(path.projectKey, auth);
    if (err) return err;
    if (p.ownerId !== auth.id) return P(403, 'only the owner may delete the project');
    projects.delete(p.key);
    tasks.delete(p.key);
    return { status: 204 };
  },
  listTasks({ path, query, auth }) {
    const { p, err } = readable(path.projectKey, auth);
    if (err) return err;
    const pageNo = query.page ?? 1;
    const perPage = query.perPage ?? 25;
    if (BUGGY && pageNo < 1) throw new RangeError(`Invalid page offset ${(pageNo - 1) * perPage}`); // T10
    let list = [...tasks.get(p.key).values()].filter((t) => !t.deleted);
    if (query.state && !BUGGY) list = list.filter((t) => t.state === query.state); // T11: state ignored
    if (query.assignee !== undefined) list = list.filter((t) => t.assigneeId === query.assignee);
    list.sort((a, b) => a.number - b.number);
    const items = list.slice((pageNo - 1) * perPage, pageNo * perPage).map(taskView);
    return { status: 200, body: { items, page: pageNo, perPage, total: list.length } };
  },
  createTask({ path, auth, body }) {
    const { p, err } = readable(path.projectKey, auth);
    if (err) return err;
    if (p.ownerId !== auth.id) return P(403, 'only the owner may add tasks');
    if (BUGGY && body.labels !== undefined) return P(400, 'labels cannot be set on creation', [{ pointer: '/labels', detail: 'not allowed' }]); // T14
    if (body.assigneeId !== undefined && !users.some((u) => u.id === body.assigneeId)) return P(400, 'assigneeId is not a user', [{ pointer: '/assigneeId', detail: 'no such user' }]);
    const n = counters.get(p.key) + 1;
    counters.set(p.key, n);
    const t = { number: n, projectKey: p.key, title: body.title, state: body.state || 'todo', labels: body.labels || [], version: 1, createdAt: stamp() };
    if (body.assigneeId !== undefined) t.assigneeId = body.assigneeId;
    if (body.dueDate !== undefined) t.dueDate = body.dueDate;
    tasks.get(p.key).set(n, t);
    const location = BUGGY ? `/tasks/${n}` : `/projects/${p.key}/tasks/${n}`; // T12
    return { status: 201, headers: { Location: location, ETag: tTag(t) }, body: taskView(t) };
  },
  getTask(ctx) {
    const { t, err } = ownedTask(ctx, { checkOwner: false });
    if (err) return err;
    return { status: 200, headers: { ETag: tTag(t) }, body: taskView(t) };
  },
  updateTask(ctx) {
    const { t, err } = ownedTask(ctx);
    if (err) return err;
    const im = ctx.headers['if-match'];
    if (im === undefined) return P(428, 'If-Match is required');
    if (!BUGGY && !matches(im, tTag(t))) return P(412, 'the task changed since you read it'); // T6: any tag accepted
    const body = ctx.body;
    if (body.assigneeId !== undefined && body.assigneeId !== null && !users.some((u) => u.id === body.assigneeId)) return P(400, 'assigneeId is not a user', [{ pointer: '/assigneeId', detail: 'no such user' }]);
    for (const [k, v] of Object.entries(body)) {
      if (v === null && !(BUGGY && k === 'dueDate')) delete t[k]; // T7: a null due date is stored as null
      else t[k] = v;
    }
    t.version += 1;
    return { status: 200, headers: { ETag: tTag(t) }, body: taskView(t) };
  },
  deleteTask(ctx) {
    const { p, t, err } = ownedTask(ctx, { checkOwner: !BUGGY }); // T8: anyone who can read may delete
    if (err) return err;
    if (BUGGY) t.deleted = true; // T9: soft delete that getTask ignores
    else tasks.get(p.key).delete(t.number);
    return { status: 204 };
  },
  searchTasks({ query, auth }) {
    if (BUGGY) startsWithMention(query.q); // T15
    const q = query.q.toLowerCase();
    const hits = [];
    for (const p of [...projects.values()].filter((x) => canRead(x, auth))) {
      for (const t of tasks.get(p.key).values()) if (!t.deleted && t.title.toLowerCase().includes(q)) hits.push({ projectKey: p.key, number: t.number, title: t.title });
    }
    return { status: 200, body: hits };
  },
  resetBoard({ auth }) {
    if (!BUGGY && auth.role !== 'admin') return P(403, 'administrators only'); // T16
    seed();
    return { status: 204 };
  },
};

function authenticate(scheme, req) {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
  return (m && users.find((u) => u.token === m[1])) || null;
}

let validationSpec = spec;
if (BUGGY) {
  validationSpec = clone(spec);
  const s = validationSpec.components.schemas;
  delete s.UserPatch.additionalProperties; // T2
  delete s.TaskCreate.properties.dueDate.format; // T13
  const page = validationSpec.paths['/projects/{projectKey}/tasks'].get.parameters.find((x) => x.name === 'page');
  delete page.schema.minimum; // T10
  delete validationSpec.paths['/search'].get.parameters[0].schema.maxLength; // T15: long strings reach the pattern
}
const server = createServer({ spec, validationSpec, handlers, error: errorStyle, authenticate, skipParams: ['If-Match'], crashBody: () => ({ type: 'about:blank', title: 'Internal Server Error', status: 500 }) });
listen(server, port, 'taskboard', variant);
