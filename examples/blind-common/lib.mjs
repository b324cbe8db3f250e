// Shared plumbing of the blind targets: a spec-driven router and validator (so each clean
// variant validates exactly what its openapi.yaml says), a YAML emitter for the specs, and
// HS256 JWTs. Node 20 standard library only.
import http from 'node:http';
import crypto from 'node:crypto';

// ---------- command line ----------
export function parseArgs(argv = process.argv.slice(2)) {
  const out = { port: 0, variant: 'clean' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') out.port = Number(argv[++i]);
    else if (argv[i] === '--variant') out.variant = argv[++i];
  }
  if (!['clean', 'buggy'].includes(out.variant)) throw new Error('--variant buggy|clean');
  return out;
}

// ---------- JSON Schema subset (what the specs use) ----------
const FORMATS = {
  email: (s) => /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(s),
  'date-time': (s) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) && validDate(s.slice(0, 10)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  uri: (s) => { try { const u = new URL(s); return /^https?:$/.test(u.protocol); } catch { return false; } },
};
function validDate(s) {
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function deref(spec, schema) {
  let s = schema;
  while (s && s.$ref) {
    const parts = s.$ref.replace(/^#\//, '').split('/');
    s = parts.reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return s;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

// mode 'request': readOnly properties are neither required nor validated (they are dropped by
// the caller); mode 'response': writeOnly properties must not appear.
export function validate(spec, schema, value, mode = 'request', at = '') {
  const s = deref(spec, schema);
  if (!s) return [];
  const errs = [];
  if (s.allOf) for (const sub of s.allOf) errs.push(...validate(spec, sub, value, mode, at));
  if (s.oneOf || s.anyOf) {
    const alts = s.oneOf || s.anyOf;
    const ok = alts.filter((a) => validate(spec, a, value, mode, at).length === 0).length;
    if (s.oneOf ? ok !== 1 : ok === 0) errs.push({ at, message: s.oneOf ? 'must match exactly one schema' : 'must match a schema' });
  }
  let types = s.type === undefined ? null : Array.isArray(s.type) ? [...s.type] : [s.type];
  if (types && s.nullable) types.push('null');
  const t = typeOf(value);
  if (types && !(types.includes(t) || (t === 'integer' && types.includes('number')))) {
    errs.push({ at, message: `must be ${types.join(' or ')}` });
    return errs;
  }
  if (value === null) return errs;
  if (s.enum && !s.enum.some((e) => e === value)) errs.push({ at, message: `must be one of ${s.enum.join(', ')}` });
  if (s.const !== undefined && s.const !== value) errs.push({ at, message: `must be ${s.const}` });
  if (t === 'string') {
    const len = [...value].length;
    if (s.minLength !== undefined && len < s.minLength) errs.push({ at, message: `must have at least ${s.minLength} characters` });
    if (s.maxLength !== undefined && len > s.maxLength) errs.push({ at, message: `must have at most ${s.maxLength} characters` });
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) errs.push({ at, message: `must match ${s.pattern}` });
    if (s.format && FORMATS[s.format] && !FORMATS[s.format](value)) errs.push({ at, message: `must be a valid ${s.format}` });
  }
  if (t === 'integer' || t === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errs.push({ at, message: `must be >= ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) errs.push({ at, message: `must be <= ${s.maximum}` });
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) errs.push({ at, message: `must be > ${s.exclusiveMinimum}` });
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) errs.push({ at, message: `must be < ${s.exclusiveMaximum}` });
    if (s.multipleOf && Math.abs(Math.round(value / s.multipleOf) * s.multipleOf - value) > 1e-9) errs.push({ at, message: `must be a multiple of ${s.multipleOf}` });
  }
  if (t === 'array') {
    if (s.minItems !== undefined && value.length < s.minItems) errs.push({ at, message: `must have at least ${s.minItems} items` });
    if (s.maxItems !== undefined && value.length > s.maxItems) errs.push({ at, message: `must have at most ${s.maxItems} items` });
    if (s.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errs.push({ at, message: 'items must be unique' });
    if (s.items) value.forEach((v, i) => errs.push(...validate(spec, s.items, v, mode, `${at}/${i}`)));
  }
  if (t === 'object') {
    const props = s.properties || {};
    for (const r of s.required || []) {
      const p = deref(spec, props[r]);
      if (mode === 'request' && p && p.readOnly) continue;
      if (mode === 'response' && p && p.writeOnly) continue;
      if (!(r in value)) errs.push({ at: `${at}/${r}`, message: 'is required' });
    }
    for (const [k, v] of Object.entries(value)) {
      if (k in props) {
        const p = deref(spec, props[k]);
        if (mode === 'request' && p.readOnly) continue;
        if (mode === 'response' && p.writeOnly) errs.push({ at: `${at}/${k}`, message: 'is write-only' });
        errs.push(...validate(spec, p, v, mode, `${at}/${k}`));
      } else if (s.additionalProperties === false) errs.push({ at: `${at}/${k}`, message: 'is not allowed' });
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') errs.push(...validate(spec, s.additionalProperties, v, mode, `${at}/${k}`));
    }
    if (s.minProperties !== undefined && Object.keys(value).length < s.minProperties) errs.push({ at, message: `must have at least ${s.minProperties} properties` });
  }
  return errs;
}

/** Drops readOnly properties a client sent (they are ignored, as the specs say). */
export function stripReadOnly(spec, schema, value) {
  const s = deref(spec, schema);
  if (!s || typeOf(value) !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const p = s.properties && deref(spec, s.properties[k]);
    if (p && p.readOnly) continue;
    out[k] = p ? stripReadOnly(spec, p, v) : v;
  }
  return out;
}

function coerce(spec, schema, raw) {
  const s = deref(spec, schema) || {};
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (t === 'number') return /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : raw;
  if (t === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

// ---------- router ----------
function compilePath(p) {
  const names = [];
  const rx = p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, n) => { names.push(n); return '([^/]+)'; });
  return { rx: new RegExp(`^${rx}/?$`), names };
}

/**
 * createServer({ spec, validationSpec?, handlers, error, authenticate, skipParams })
 *  - spec: the OpenAPI object the routes come from
 *  - validationSpec: the spec requests are validated against (the buggy variant loosens it)
 *  - handlers[operationId](ctx) -> { status, body?, headers? }
 *  - error(status, title, details?) -> { status, body, headers }: the target's error style
 *  - authenticate(schemeName, req, ctx) -> principal | null
 */
export function createServer(opts) {
  const { spec, handlers, error, authenticate } = opts;
  const vspec = opts.validationSpec || spec;
  const base = (spec.servers && spec.servers[0] && new URL(spec.servers[0].url, 'http://x').pathname.replace(/\/$/, '')) || '';
  const routes = Object.entries(spec.paths).map(([p, item]) => ({ p, item, ...compilePath(base + p) }));
  const selfcheck = process.env.SELFCHECK === '1';

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let path;
    try { path = decodeURI(url.pathname); } catch { path = url.pathname; }
    const route = routes.find((r) => r.rx.test(path));
    if (!route) return error(404, 'Not found', [{ at: 'path', message: `no route ${url.pathname}` }]);
    const method = req.method.toLowerCase();
    const op = route.item[method];
    const allowed = ['get', 'put', 'post', 'delete', 'patch'].filter((m) => route.item[m]);
    if (!op) {
      const e = error(405, 'Method not allowed');
      return { ...e, headers: { ...(e.headers || {}), Allow: allowed.map((m) => m.toUpperCase()).join(', ') } };
    }
    const vop = deref(vspec, vspec.paths[route.p][method]);
    const m = route.rx.exec(path);
    const ctx = { req, url, op, operationId: op.operationId, path: {}, query: {}, headers: req.headers, body: undefined, rawBody: '' };
    route.names.forEach((n, i) => { ctx.path[n] = m[i + 1]; });
    ctx.rawBody = await readBody(req);

    // security: the operation's own, else the document's
    const sec = op.security !== undefined ? op.security : spec.security || [];
    if (sec.length) {
      let principal = null;
      for (const reqmt of sec) for (const n of Object.keys(reqmt)) principal = principal || authenticate(n, req, ctx);
      if (!principal && sec.some((reqmt) => Object.keys(reqmt).length === 0)) principal = { anonymous: true };
      if (!principal) return error(401, 'Unauthorized', [{ at: 'header', message: 'missing or invalid credentials' }]);
      ctx.auth = principal.anonymous ? null : principal;
    }

    // parameters
    const params = [...(route.item.parameters || []), ...(vop.parameters || [])].map((p) => deref(vspec, p));
    const errs = [];
    for (const p of params) {
      if ((opts.skipParams || []).includes(p.name)) continue;
      let raw;
      if (p.in === 'path') raw = ctx.path[p.name];
      else if (p.in === 'query') raw = url.searchParams.has(p.name) ? url.searchParams.get(p.name) : undefined;
      else if (p.in === 'header') raw = req.headers[p.name.toLowerCase()];
      else continue;
      if (raw === undefined) {
        if (p.required) errs.push({ at: `${p.in}/${p.name}`, message: 'is required' });
        continue;
      }
      if (p.in === 'path') { try { raw = decodeURIComponent(raw); } catch { errs.push({ at: `path/${p.name}`, message: 'bad encoding' }); continue; } }
      const v = coerce(vspec, p.schema, raw);
      for (const e of validate(vspec, p.schema, v)) errs.push({ ...e, at: `${p.in}/${p.name}${e.at}` });
      if (p.in === 'path') ctx.path[p.name] = v; else if (p.in === 'query') ctx.query[p.name] = v; else ctx.headers[`x-param-${p.name.toLowerCase()}`] = v;
    }
    if (errs.length) return error(400, 'Invalid parameters', errs);

    // body
    const rb = deref(vspec, vop.requestBody);
    if (rb) {
      const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
      const hasBody = ctx.rawBody.length > 0;
      if (!hasBody) {
        if (rb.required) return error(400, 'Invalid body', [{ at: 'body', message: 'a body is required' }]);
      } else {
        const media = rb.content[ct];
        if (!media) return error(415, 'Unsupported media type', [{ at: 'header/Content-Type', message: `use ${Object.keys(rb.content).join(' or ')}` }]);
        let parsed;
        try { parsed = JSON.parse(ctx.rawBody); } catch { return error(400, 'Invalid body', [{ at: 'body', message: 'malformed JSON' }]); }
        const berrs = validate(vspec, media.schema, parsed, 'request', '');
        if (berrs.length) return error(400, 'Invalid body', berrs.map((e) => ({ ...e, at: `body${e.at}` })));
        ctx.body = opts.keepReadOnly ? parsed : stripReadOnly(vspec, media.schema, parsed);
      }
    } else if (ctx.rawBody.length && !['get', 'delete'].includes(method)) {
      // no body documented: ignore it
    }
    const h = handlers[op.operationId];
    if (!h) throw new Error(`no handler for ${op.operationId}`);
    return h(ctx);
  }

  function checkResponse(req, route, method, out) {
    // SELFCHECK=1: every response of the clean variant is checked against the spec (stderr)
    try {
      const op = route && route.item[method];
      const code = String(out.status);
      if (!op) return;
      const r = deref(spec, op.responses[code]);
      if (!r) { process.stderr.write(`SELFCHECK ${req.method} ${req.url}: undocumented status ${code}\n`); return; }
      const ct = out.status === 204 ? null : (out.headers && out.headers['Content-Type']) || 'application/json';
      if (ct && r.content && !r.content[ct]) process.stderr.write(`SELFCHECK ${req.method} ${req.url}: content type ${ct} not documented for ${code}\n`);
      if (ct && r.content && r.content[ct] && r.content[ct].schema) {
        const e = validate(spec, r.content[ct].schema, out.body, 'response');
        if (e.length) process.stderr.write(`SELFCHECK ${req.method} ${req.url} ${code}: ${JSON.stringify(e.slice(0, 3))}\n`);
      }
      if (!r.content && out.body !== undefined && out.status !== 204) process.stderr.write(`SELFCHECK ${req.method} ${req.url}: body on a response without content\n`);
      for (const hn of Object.keys(r.headers || {})) {
        if (deref(spec, r.headers[hn]).required && !(out.headers && Object.keys(out.headers).some((k) => k.toLowerCase() === hn.toLowerCase())))
          process.stderr.write(`SELFCHECK ${req.method} ${req.url}: header ${hn} missing\n`);
      }
    } catch (e) { process.stderr.write(`SELFCHECK error ${e.stack}\n`); }
  }

  const server = http.createServer(async (req, res) => {
    let out;
    try { out = await handle(req, res); } catch (e) {
      if (process.env.DEBUG) process.stderr.write(`${e.stack}\n`);
      out = { status: 500, body: opts.crashBody ? opts.crashBody(e) : { message: 'Internal Server Error' }, headers: { 'Content-Type': 'application/json' } };
    }
    if (selfcheck) {
      const url = new URL(req.url, 'http://localhost');
      const route = routes.find((r) => r.rx.test(url.pathname));
      checkResponse(req, route, req.method.toLowerCase(), out);
    }
    const headers = { ...(out.headers || {}) };
    let payload = '';
    if (out.body !== undefined && out.status !== 204) {
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      payload = typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    }
    res.writeHead(out.status, headers);
    res.end(payload);
  });
  return server;
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

export function listen(server, port, name, variant) {
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`${name} (${variant}) listening on http://127.0.0.1:${server.address().port}\n`);
  });
}

// ---------- JWT (HS256) ----------
const b64u = (b) => Buffer.from(b).toString('base64url');
export function signJwt(payload, secret) {
  const h = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const p = b64u(JSON.stringify(payload));
  const sig = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${sig}`;
}
export function verifyJwt(token, secret, now = Date.now()) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return null;
  let header, payload;
  try { header = JSON.parse(Buffer.from(parts[0], 'base64url')); payload = JSON.parse(Buffer.from(parts[1], 'base64url')); } catch { return null; }
  if (!header || header.alg !== 'HS256') return null;
  const want = crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], 'base64url');
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return null;
  if (!payload || typeof payload.exp !== 'number' || payload.exp * 1000 <= now) return null;
  return payload;
}

export function hashPassword(pw, salt) {
  return `scrypt$${salt}$${crypto.scryptSync(pw, salt, 24).toString('hex')}`;
}

// ---------- YAML emitter (for writing openapi.yaml from the spec object) ----------
const PLAIN_KEY = /^[A-Za-z_/$][A-Za-z0-9_\-./{}]*$/;
const PLAIN_VAL = /^[A-Za-z_/][A-Za-z0-9_ \-.,()/{}#]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
function scalar(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (PLAIN_VAL.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !/: |#/.test(s)) return s;
  return JSON.stringify(s);
}
const key = (k) => (PLAIN_KEY.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));
export function toYaml(v, indent = '') {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return v.map((x) => {
      if (x && typeof x === 'object' && !(Array.isArray(x) && x.length === 0) && !(typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0)) {
        const inner = toYaml(x, indent + '  ');
        return `${indent}- ${inner.trimStart()}`;
      }
      return `${indent}- ${x && typeof x === 'object' ? (Array.isArray(x) ? '[]' : '{}') : scalar(x)}`;
    }).join('\n');
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return entries.map(([k, x]) => {
      if (x && typeof x === 'object') {
        const empty = Array.isArray(x) ? x.length === 0 : Object.keys(x).length === 0;
        if (empty) return `${indent}${key(k)}: ${Array.isArray(x) ? '[]' : '{}'}`;
        return `${indent}${key(k)}:\n${toYaml(x, indent + '  ')}`;
      }
      return `${indent}${key(k)}: ${scalar(x)}`;
    }).join('\n');
  }
  return scalar(v);
}

export function writeSpecIfMain(metaUrl, spec, header) {
  // `node spec.mjs` rewrites openapi.yaml next to it
  if (process.argv[1] && new URL(metaUrl).pathname === process.argv[1]) {
    import('node:fs').then((fs) => {
      const out = new URL('./openapi.yaml', metaUrl);
      fs.writeFileSync(out, `${header}\n${toYaml(spec)}\n`);
    });
  }
}

export const clone = (o) => JSON.parse(JSON.stringify(o));
export const nowIso = (ms) => new Date(ms).toISOString();
