// Cookbook: a recipe platform with signup/login (JWT), slugs and usernames as identifiers.
// node server.mjs --port 4101 --variant buggy|clean   (faults of the buggy variant: FAULTS.md)
import vm from 'node:vm';
import { spec } from './spec.mjs';
import { parseArgs, createServer, listen, signJwt, verifyJwt, hashPassword, clone, nowIso } from '../blind-common/lib.mjs';

const { port, variant } = parseArgs();
const BUGGY = variant === 'buggy';
const SECRET = 'ckbk-7f3e9a1c54d2b8e06a9f1d3c7b5e2a4f8c0d6e9b1a3f5c7e';
const BASE_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
let clock = 0; // deterministic creation times: seed data a day apart, then a second per new item
const stamp = () => nowIso(BASE_MS + 40 * 86400000 + ++clock * 1000);

// ---------- state ----------
const users = new Map(); // username -> user
const recipes = new Map(); // slug -> recipe
const comments = new Map(); // slug -> [comment]
let nextRecipe = 1;
let nextComment = 1;

function addUser(username, email, password, displayName, role, joinedAt) {
  users.set(username, { username, email, displayName, role, joinedAt, passwordHash: hashPassword(password, `salt-${username}`) });
}
addUser('root_admin', 'root@cookbook.test', 'Zr8!q2-admin-only-pass', 'Site admin', 'admin', nowIso(BASE_MS));
addUser('chef_anna', 'anna@cookbook.test', 'anna-S3cret-pass', 'Anna', 'member', nowIso(BASE_MS + 3600000));
addUser('chef_ben', 'ben@cookbook.test', 'ben-S3cret-pass', 'Ben', 'member', nowIso(BASE_MS + 7200000));
const SEED = [
  ['Shakshuka', 'chef_anna', 30, 'easy', ['breakfast', 'vegetarian']],
  ['Beef Bourguignon', 'chef_ben', 210, 'hard', ['french', 'stew']],
  ['Lemon Drizzle Cake', 'chef_anna', 60, 'medium', ['dessert', 'baking']],
  ['Miso Ramen', 'chef_ben', 90, 'medium', ['japanese', 'soup']],
  ['Caesar Salad', 'chef_anna', 20, 'easy', ['salad']],
  ['Chicken Tikka Masala', 'chef_ben', 75, 'medium', ['indian', 'curry']],
  ['Pad Thai', 'chef_anna', 35, 'medium', ['thai', 'noodles']],
  ['Focaccia', 'chef_ben', 180, 'medium', ['baking', 'bread']],
  ['Gazpacho', 'chef_anna', 15, 'easy', ['soup', 'vegan']],
  ['Tiramisu', 'chef_ben', 45, 'medium', ['dessert', 'italian']],
  ['Ratatouille', 'chef_anna', 80, 'medium', ['french', 'vegan']],
  ['Banana Bread', 'chef_ben', 70, 'easy', ['baking', 'breakfast']],
];
SEED.forEach(([title, author, minutes, difficulty, tags], i) => {
  const t = nowIso(BASE_MS + (i + 1) * 86400000);
  const slug = slugify(title);
  recipes.set(slug, { slug, title, summary: `${title}, the way ${author.slice(5)} makes it.`, minutes, difficulty, servings: 4, tags, ingredients: ['salt', 'love'], author, createdAt: t, updatedAt: t, id: nextRecipe++ });
  comments.set(slug, []);
});

function slugify(title) {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9\s_-]/g, '').trim().replace(/[\s_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}

// ---------- helpers ----------
const E = (status, message, field) => ({ status, body: { errors: [{ ...(field ? { field } : {}), message }] } });
const errorStyle = (status, title, details) => ({
  status,
  body: { errors: (details && details.length ? details : [{ message: title }]).map((d) => (d.at ? { field: d.at, message: d.message } : { message: d.message || title })) },
});
const alive = (r) => r && !r.deleted;
const recipeCount = (u) => [...recipes.values()].filter((r) => alive(r) && r.author === u).length;
const me = (u) => ({ username: u.username, email: u.email, displayName: u.displayName, role: u.role, recipeCount: recipeCount(u.username), joinedAt: u.joinedAt });
function publicUser(u) {
  const p = { username: u.username, displayName: u.displayName, recipeCount: recipeCount(u.username), joinedAt: u.joinedAt };
  if (BUGGY) { p.email = u.email; p.passwordHash = u.passwordHash; } // R4: hash exposed
  return p;
}
function view(rec) {
  const { id, deleted, ...out } = rec;
  return out;
}

// login throttling (clean): failed attempts per client within the last minute
const failures = new Map();
function throttled(ip) {
  const now = Date.now();
  const list = (failures.get(ip) || []).filter((t) => now - t < 60000);
  failures.set(ip, list);
  if (list.length >= 10) return Math.max(1, Math.ceil((60000 - (now - list[0])) / 1000));
  return 0;
}

// R16: a "starts with an @mention" check with a catastrophic pattern: a long run of letters or
// digits backtracks exponentially (bounded here at ~3 s, the event loop blocked meanwhile)
function startsWithMention(text) {
  try { return vm.runInNewContext('/^([a-z0-9]+)*@/i.test(s)', { s: text }, { timeout: 3000 }); } catch { return false; }
}

// ---------- handlers ----------
const handlers = {
  signup({ body }) {
    const u = body.user;
    if (users.has(u.username)) return E(409, 'username is already taken', 'user/username');
    if ([...users.values()].some((x) => x.email.toLowerCase() === u.email.toLowerCase())) return E(409, 'email is already registered', 'user/email');
    const role = BUGGY && u.role === 'admin' ? 'admin' : 'member'; // R3: mass assignment
    addUser(u.username, u.email, u.password, u.displayName || u.username, role, stamp());
    return { status: 201, body: me(users.get(u.username)) };
  },
  login({ body, req }) {
    const ip = req.socket.remoteAddress;
    if (!BUGGY) {
      const wait = throttled(ip);
      if (wait) return { ...E(429, 'too many failed logins, try again later'), headers: { 'Retry-After': String(wait) } };
    }
    const u = users.get(body.username);
    if (!u && BUGGY) return E(404, 'no user with this username', 'username'); // R1: enumeration
    if (!u || u.passwordHash !== hashPassword(body.password, `salt-${u.username}`)) {
      if (!BUGGY) failures.get(ip).push(Date.now()); // R2: the buggy variant never throttles
      return E(401, 'wrong username or password');
    }
    const token = signJwt({ sub: u.username, role: u.role, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
    return { status: 200, body: { token, tokenType: 'Bearer', expiresIn: 3600 } };
  },
  getMe({ auth }) {
    return { status: 200, body: me(auth.user) };
  },
  getUser({ path }) {
    const u = users.get(path.username);
    if (!u) return E(404, 'no such user');
    return { status: 200, body: publicUser(u) };
  },
  changePassword({ path, auth, body }) {
    const u = users.get(path.username);
    if (!u) return E(404, 'no such user');
    if (!BUGGY && u.username !== auth.user.username) return E(403, 'you can only change your own password'); // R5
    u.passwordHash = hashPassword(body.newPassword, `salt-${u.username}`);
    return { status: 204 };
  },
  adminListUsers({ auth }) {
    if (!BUGGY && auth.user.role !== 'admin') return E(403, 'administrators only'); // R6
    return { status: 200, body: [...users.values()].map(me) };
  },
  listRecipes({ query }) {
    const limit = query.limit ?? 10;
    const offset = query.offset ?? 0;
    let list = [...recipes.values()].filter(alive);
    if (query.tag) list = list.filter((x) => x.tags.includes(query.tag));
    if (query.author) list = list.filter((x) => x.author === query.author);
    if (query.q !== undefined) list = list.filter((x) => titleMatches(x.title, query.q));
    list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id));
    const page = list.slice(offset, offset + limit + (BUGGY ? 1 : 0)); // R8: one item too many
    return { status: 200, body: { items: page.map(view), total: list.length, limit: BUGGY ? Math.min(Math.max(limit, 1), 50) : limit, offset } };
  },
  createRecipe({ body, auth }) {
    if (BUGGY && body.servings !== undefined) return E(400, 'unknown field servings', 'servings'); // R11
    let slug = slugify(body.title);
    if (!slug) {
      if (BUGGY) throw new TypeError("Cannot read properties of undefined (reading 'length')"); // R12
      slug = `recipe-${nextRecipe}`;
    }
    if (recipes.has(slug)) return E(409, `a recipe with slug ${slug} exists`, 'title');
    const t = stamp();
    const rec = { slug, title: body.title, minutes: body.minutes, difficulty: body.difficulty, tags: body.tags || [], ingredients: body.ingredients, author: auth.user.username, createdAt: t, updatedAt: t, id: nextRecipe++ };
    if (body.summary !== undefined) rec.summary = body.summary;
    if (body.servings !== undefined) rec.servings = body.servings;
    recipes.set(slug, rec);
    comments.set(slug, []);
    const location = BUGGY ? `/recipe/${rec.id}` : `/recipes/${slug}`; // R10
    return { status: 201, headers: { Location: location }, body: view(rec) };
  },
  getRecipe({ path }) {
    const rec = recipes.get(path.slug);
    if (!rec || (rec.deleted && !BUGGY)) return E(404, 'no such recipe'); // R15: deleted still served
    const out = view(rec);
    if (BUGGY) out.minutes = `${out.minutes} min`; // R13: not an integer
    return { status: 200, body: out };
  },
  replaceRecipe({ path, body, auth }) {
    const rec = recipes.get(path.slug);
    if (!alive(rec)) return E(404, 'no such recipe');
    if (!BUGGY && rec.author !== auth.user.username) return E(403, 'only the author can change this recipe'); // R14
    const keep = { slug: rec.slug, author: rec.author, createdAt: rec.createdAt, id: rec.id };
    const next = { ...keep, title: body.title, minutes: body.minutes, difficulty: body.difficulty, tags: body.tags || [], ingredients: body.ingredients, updatedAt: stamp() };
    if (body.summary !== undefined) next.summary = body.summary;
    if (body.servings !== undefined) next.servings = body.servings;
    recipes.set(rec.slug, next);
    return { status: 200, body: view(next) };
  },
  deleteRecipe({ path, auth }) {
    const rec = recipes.get(path.slug);
    if (!alive(rec)) return E(404, 'no such recipe');
    if (rec.author !== auth.user.username) return E(403, 'only the author can delete this recipe');
    if (BUGGY) rec.deleted = true; // R15: soft delete, getRecipe ignores the flag
    else { recipes.delete(rec.slug); comments.delete(rec.slug); }
    return { status: 204 };
  },
  listComments({ path }) {
    const rec = recipes.get(path.slug);
    if (!alive(rec)) return E(404, 'no such recipe');
    return { status: 200, body: comments.get(rec.slug) };
  },
  addComment({ path, body, auth }) {
    const rec = recipes.get(path.slug);
    if (!alive(rec)) return E(404, 'no such recipe');
    if (BUGGY) startsWithMention(body.body); // R16
    const c = { id: nextComment++, author: auth.user.username, body: body.body, createdAt: stamp() };
    comments.get(rec.slug).push(c);
    return { status: 201, body: c };
  },
};

// Title search. The buggy variant pastes q into a LIKE clause (R9): a quote closes the string and a
// tautology such as ' OR '1'='1 matches every row; nothing reports an error.
function titleMatches(title, q) {
  if (!BUGGY) return title.toLowerCase().includes(q.toLowerCase());
  const m = /^(.*?)'\s*(or|and)\s+'?([^'=\s]*)'?\s*=\s*'?([^'\s]*)'?\s*(--.*)?$/i.exec(q);
  if (!m) return title.toLowerCase().includes(q.toLowerCase());
  const like = title.toLowerCase().includes(m[1].toLowerCase());
  const cond = m[3] === m[4];
  return m[2].toLowerCase() === 'or' ? like || cond : like && cond;
}

function authenticate(scheme, req, ctx) {
  const h = req.headers.authorization || '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) return null;
  const claims = verifyJwt(m[1], SECRET);
  if (!claims) return null;
  const user = users.get(claims.sub);
  return user ? { user } : null;
}

let validationSpec = spec;
if (BUGGY) {
  validationSpec = clone(spec);
  const s = validationSpec.components.schemas;
  delete s.SignupUser.additionalProperties; // R3: role inside the user wrapper passes
  const limit = validationSpec.paths['/recipes'].get.parameters.find((p) => p.name === 'limit');
  delete limit.schema.minimum; delete limit.schema.maximum; // R7
}

const server = createServer({ spec, validationSpec, handlers, error: errorStyle, authenticate, crashBody: () => ({ errors: [{ message: 'Internal Server Error' }] }) });
listen(server, port, 'cookbook', variant);
