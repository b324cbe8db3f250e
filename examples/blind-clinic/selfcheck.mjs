// SELFCHECK=1: every response the server sends is checked against openapi.yaml (status documented
// for the operation, content type, JSON schema, required headers); deviations go to stderr.
import { readFileSync } from 'node:fs';
import { Validator } from '@cfworker/json-schema';
import { parse } from 'yaml';

function deref(node, root, seen = new Set()) {
  if (Array.isArray(node)) return node.map((n) => deref(n, root, seen));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) throw new Error(`$ref cycle at ${node.$ref}`);
    const target = node.$ref
      .slice(2)
      .split('/')
      .reduce((o, k) => o?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], root);
    if (target === undefined) throw new Error(`dangling $ref ${node.$ref}`);
    const { $ref, ...rest } = node;
    return { ...deref(target, root, new Set([...seen, $ref])), ...deref(rest, root, seen) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, root, seen)]));
}

export function createSelfCheck(specPath = new URL('./openapi.yaml', import.meta.url)) {
  const raw = parse(readFileSync(specPath, 'utf8'));
  const spec = deref(raw, raw);
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
      if (item[method]) ops.push({ method: method.toUpperCase(), path, re, op: item[method] });
    }
  }
  const validators = new Map();
  const validatorFor = (key, schema) => {
    if (!validators.has(key)) validators.set(key, new Validator(schema, '2020-12', false));
    return validators.get(key);
  };
  let checked = 0;
  let deviations = 0;
  const report = (what, method, url, status, message) => {
    deviations++;
    console.error(`SELFCHECK deviation #${deviations} ${method} ${url} -> ${status} (${what}): ${message}`);
  };
  process.on('exit', () => console.error(`SELFCHECK: ${checked} responses checked, ${deviations} deviations`));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));

  function check(method, url, status, headers, bodyText) {
    checked++;
    const pathname = new URL(url, 'http://localhost').pathname;
    const entry = ops.find((o) => o.method === method && o.re.test(pathname));
    if (!entry) {
      // Not a documented operation (undeclared method or path): only a success would be wrong.
      if (status < 400) report('undocumented operation', method, url, status, 'success for an operation the spec does not have');
      return;
    }
    const opName = `${entry.op.operationId}`;
    const doc = entry.op.responses[String(status)] ?? entry.op.responses.default;
    if (!doc) return report(opName, method, url, status, `status ${status} is not documented (documented: ${Object.keys(entry.op.responses).join(', ')})`);
    for (const [name, h] of Object.entries(doc.headers ?? {})) {
      if (h.required && headers[name.toLowerCase()] === undefined) report(opName, method, url, status, `required header ${name} missing`);
    }
    const content = doc.content;
    if (!content) {
      if (bodyText.length > 0) report(opName, method, url, status, 'a body where the spec documents none');
      return;
    }
    const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const media = content[type];
    if (!media) return report(opName, method, url, status, `content type "${type}" is not documented (${Object.keys(content).join(', ')})`);
    if (!media.schema) return;
    let body;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return report(opName, method, url, status, 'body is not JSON');
    }
    const result = validatorFor(`${entry.method} ${entry.path} ${status} ${type}`, media.schema).validate(body);
    if (!result.valid) {
      const errs = result.errors.filter((e) => !e.error.startsWith('Property') && !e.error.startsWith('Items did not match'));
      report(opName, method, url, status, (errs.length ? errs : result.errors).slice(0, 3).map((e) => `${e.instanceLocation}: ${e.error}`).join('; '));
    }
  }
  return { check };
}
