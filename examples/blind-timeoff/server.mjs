// Time-off service (blind target): `node server.mjs --variant clean|buggy --port N`.
// The buggy variant's 16 faults are marked `FAULT Hnn` and listed in FAULTS.md.
import crypto from 'node:crypto';
import { createServer, listen, parseArgs, clone } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const buggy = variant === 'buggy';

// The buggy variant validates against a looser document (faults H06, H13).
const vspec = clone(spec);
if (buggy) {
  delete vspec.components.schemas.Employee.properties.hire_date.format; // FAULT H06
  delete vspec.components.parameters.per_page.schema.maximum; // FAULT H13
}

// ---------- state ----------
const KEYS = {
  admin: process.env.TIMEOFF_ADMIN_KEY || 'tok-admin-5b1e0c7a9d',
  manager: process.env.TIMEOFF_MANAGER_KEY || 'tok-manager-c4f82e61b3',
  employee: process.env.TIMEOFF_EMPLOYEE_KEY || 'tok-employee-9a07d3e254',
};
const db = { departments: new Map(), employees: new Map(), policies: new Map(), requests: new Map() };
const seq = { departments: 0, employees: 0, policies: 0, requests: 0 };
const nextId = (t) => ++seq[t];
function seed() {
  const d = { id: nextId('departments'), name: 'Operations', code: 'OPS', deleted: false };
  db.departments.set(d.id, d);
  for (const [role, name] of [['admin', 'Avery Admin'], ['manager', 'Morgan Manager'], ['employee', 'Elliot Employee']]) {
    const e = { id: nextId('employees'), email: `${role}@timeoff.example`, full_name: name, department_id: d.id, role, hire_date: '2023-01-09', phone: null, api_key: KEYS[role], deleted: false };
    db.employees.set(e.id, e);
  }
  const p = { id: nextId('policies'), name: 'Annual leave', annual_days: 25, carry_over: false, deleted: false };
  db.policies.set(p.id, p);
}
seed();

// ---------- helpers ----------
const HAL = { 'Content-Type': 'application/hal+json' };
function error(status, title, errors) {
  const body = { type: 'about:blank', title, status };
  if (errors) body.errors = errors;
  return { status, body, headers: { 'Content-Type': 'application/problem+json' } };
}
const ok = (body, status = 200, headers = {}) => ({ status, body, headers: { ...HAL, ...headers } });
const created = (body) => ok(body, 201, { Location: body._links.self.href });
const noContent = () => ({ status: 204 });
const self = (href) => ({ self: { href } });

const deptOut = (d) => ({ id: d.id, name: d.name, code: d.code, _links: self(`/departments/${d.id}`) });
function empOut(e) {
  const o = { id: e.id, email: e.email, full_name: e.full_name, department_id: e.department_id, role: e.role, hire_date: e.hire_date, phone: e.phone, _links: self(`/employees/${e.id}`) };
  if (buggy) o.api_key = e.api_key; // FAULT H11: every employee representation carries the employee's API key
  return o;
}
function polOut(p) {
  const o = { id: p.id, name: p.name, annual_days: p.annual_days, carry_over: p.carry_over, _links: self(`/leave-policies/${p.id}`) };
  if (p.description !== undefined) o.description = p.description;
  return o;
}
function reqOut(r) {
  const o = {
    id: r.id, employee_id: r.employee_id, policy_id: r.policy_id, start_date: r.start_date, end_date: r.end_date,
    days: r.days, status: r.status, decision_reason: r.decision_reason, created_at: r.created_at, _links: self(`/leave-requests/${r.id}`),
  };
  if (r.note !== undefined) o.note = r.note;
  return o;
}

function paged(ctx, path, listName, items, out, extraQuery = {}) {
  const page = ctx.query.page ?? 1;
  const perPage = ctx.query.per_page ?? 20;
  const total = items.length;
  const totalPages = Math.ceil(total / perPage);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const q = (p) => {
    const sp = new URLSearchParams({ ...extraQuery, page: String(p), per_page: String(perPage) });
    return { href: `${path}?${sp}` };
  };
  const links = { self: q(page) };
  if (totalPages > 0) { links.first = q(1); links.last = q(totalPages); }
  if (page < totalPages) links.next = q(page + 1);
  if (page > 1 && page <= totalPages) links.prev = q(page - 1);
  return ok({ _links: links, _embedded: { [listName]: slice.map(out) }, page, per_page: perPage, total, total_pages: totalPages });
}

// lookup with soft delete: undefined → 404, deleted → 410
function find(table, id) {
  const r = db[table].get(id);
  if (!r) return { res: error(404, 'Not found') };
  if (r.deleted) return { res: error(410, 'Gone') };
  return { row: r };
}
const isAdmin = (ctx) => ctx.auth.role === 'admin';
const isApprover = (ctx) => ctx.auth.role === 'admin' || ctx.auth.role === 'manager';
const adminOnly = (ctx) => (isAdmin(ctx) ? null : error(403, 'Forbidden', [{ at: 'role', message: 'admins only' }]));
const canSee = (ctx, r) => isApprover(ctx) || r.employee_id === ctx.auth.id;
const active = (t) => [...db[t].values()].filter((x) => !x.deleted);

function daysBetween(start, end) {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86400000) + 1;
}
function usedDays(employeeId, policyId) {
  return [...db.requests.values()].filter((r) => !r.deleted && r.employee_id === employeeId && r.policy_id === policyId && r.status === 'approved')
    .reduce((n, r) => n + r.days, 0);
}
const taken = (t, field, value, exceptId) => active(t).some((x) => x.id !== exceptId && x[field] === value);
const conflict = (field) => error(409, 'Conflict', [{ at: `body/${field}`, message: 'already exists' }]);

// ---------- handlers ----------
function deptWrite(ctx, existing) {
  const b = ctx.body;
  if (buggy && /[^\x00-\x7f]/.test(b.name)) {
    // FAULT H16: the name's ASCII slug helper crashes on any non-ASCII character
    const slug = b.name.match(/^[\x00-\x7f]+$/)[0].toLowerCase();
    void slug;
  }
  if (taken('departments', 'name', b.name, existing?.id)) return conflict('name');
  if (taken('departments', 'code', b.code, existing?.id)) return conflict('code');
  const d = existing || { id: nextId('departments'), deleted: false };
  d.name = b.name; d.code = b.code;
  db.departments.set(d.id, d);
  return existing ? ok(deptOut(d)) : created(deptOut(d));
}

function empWrite(ctx, existing) {
  const b = ctx.body;
  if (taken('employees', 'email', b.email, existing?.id)) return conflict('email');
  const d = db.departments.get(b.department_id);
  if (!d || d.deleted) return error(422, 'Unprocessable', [{ at: 'body/department_id', message: 'no such department' }]);
  const e = existing || { id: nextId('employees'), api_key: `tok-${crypto.randomBytes(8).toString('hex')}`, deleted: false };
  Object.assign(e, { email: b.email, full_name: b.full_name, department_id: b.department_id, role: b.role, hire_date: b.hire_date, phone: b.phone ?? null });
  db.employees.set(e.id, e);
  return existing ? ok(empOut(e)) : created(empOut(e));
}

function polWrite(ctx, existing) {
  const b = ctx.body;
  if (taken('policies', 'name', b.name, existing?.id)) return conflict('name');
  const p = existing || { id: nextId('policies'), deleted: false };
  Object.assign(p, { name: b.name, annual_days: b.annual_days, carry_over: b.carry_over ?? false });
  if (b.description !== undefined) p.description = b.description; else delete p.description;
  db.policies.set(p.id, p);
  if (existing) return ok(polOut(p));
  const res = created(polOut(p));
  if (buggy) res.headers.Location = `/leave-policy/${p.id}`; // FAULT H15: Location names a path that does not exist
  return res;
}

function reqFields(ctx) {
  const b = ctx.body;
  const p = db.policies.get(b.policy_id);
  if (!p || p.deleted) return { res: error(422, 'Unprocessable', [{ at: 'body/policy_id', message: 'no such policy' }]) };
  // FAULT H05: the buggy variant never checks end_date >= start_date (days can go to zero or below)
  if (!buggy && b.end_date < b.start_date) return { res: error(422, 'Unprocessable', [{ at: 'body/end_date', message: 'must be on or after start_date' }]) };
  const f = { policy_id: b.policy_id, start_date: b.start_date, end_date: b.end_date, days: daysBetween(b.start_date, b.end_date) };
  if (b.note !== undefined) f.note = b.note;
  return { f };
}

function loadRequest(ctx) {
  const { row, res } = find('requests', ctx.path.requestId);
  if (res) return { res };
  if (!canSee(ctx, row)) return { res: error(404, 'Not found') };
  return { row };
}
const transition = (r, to) => error(409, 'Conflict', [{ at: 'status', message: `cannot go from ${r.status} to ${to}` }]);
const notOwner = () => error(403, 'Forbidden', [{ at: 'employee_id', message: 'only the owner may do this' }]);

const handlers = {
  listDepartments: (ctx) => paged(ctx, '/departments', 'departments', active('departments'), deptOut),
  createDepartment: (ctx) => adminOnly(ctx) || deptWrite(ctx, null),
  getDepartment: (ctx) => { const { row, res } = find('departments', ctx.path.departmentId); return res || ok(deptOut(row)); },
  replaceDepartment: (ctx) => { const { row, res } = find('departments', ctx.path.departmentId); return res || adminOnly(ctx) || deptWrite(ctx, row); },
  deleteDepartment: (ctx) => {
    const { row, res } = find('departments', ctx.path.departmentId);
    if (res) return res;
    const f = adminOnly(ctx); if (f) return f;
    row.deleted = true;
    return noContent();
  },

  listEmployees: (ctx) => {
    let items = active('employees');
    const q = ctx.query.q;
    if (q !== undefined && buggy) {
      // FAULT H12: the filter is pasted into a LIKE clause of a hand-built query
      const sql = `SELECT * FROM employees WHERE deleted = 0 AND (full_name LIKE '%${q}%' OR email LIKE '%${q}%')`;
      if ((q.match(/'/g) || []).length % 2 === 1) {
        return { status: 500, headers: { 'Content-Type': 'application/json' }, body: { error: `SQLITE_ERROR: unrecognized token: "'${q}%')"`, query: sql } };
      }
      if (/'\s*or\s*'?(\w+)'?\s*=\s*'?\1/i.test(q)) items = [...db.employees.values()];
      else if (/'\s*and\s*'?1'?\s*=\s*'?2/i.test(q)) items = [];
      else items = items.filter((e) => e.full_name.toLowerCase().includes(q.toLowerCase()) || e.email.toLowerCase().includes(q.toLowerCase()));
    } else if (q !== undefined) {
      const t = q.toLowerCase();
      items = items.filter((e) => e.full_name.toLowerCase().includes(t) || e.email.toLowerCase().includes(t));
    }
    return paged(ctx, '/employees', 'employees', items, empOut, q !== undefined ? { q } : {});
  },
  createEmployee: (ctx) => adminOnly(ctx) || empWrite(ctx, null),
  getEmployee: (ctx) => {
    const e = db.employees.get(ctx.path.employeeId);
    if (buggy && e) return ok(empOut(e)); // FAULT H14: soft-deleted employees are still served (200, not 410)
    const { row, res } = find('employees', ctx.path.employeeId);
    return res || ok(empOut(row));
  },
  replaceEmployee: (ctx) => { const { row, res } = find('employees', ctx.path.employeeId); return res || adminOnly(ctx) || empWrite(ctx, row); },
  deleteEmployee: (ctx) => {
    const { row, res } = find('employees', ctx.path.employeeId);
    if (res) return res;
    const f = adminOnly(ctx); if (f) return f;
    row.deleted = true;
    return noContent();
  },
  listBalances: (ctx) => {
    const { row, res } = find('employees', ctx.path.employeeId);
    if (res) return res;
    if (!isApprover(ctx) && row.id !== ctx.auth.id) return error(403, 'Forbidden', [{ at: 'employeeId', message: 'not your balances' }]);
    const items = active('policies').map((p) => {
      const used = usedDays(row.id, p.id);
      return { policy_id: p.id, policy_name: p.name, allowance_days: p.annual_days, used_days: used, remaining_days: p.annual_days - used, _links: self(`/leave-policies/${p.id}`) };
    });
    return paged(ctx, `/employees/${row.id}/balances`, 'balances', items, (x) => x);
  },
  getMe: (ctx) => ok(empOut(ctx.auth)),
  replaceMe: (ctx) => {
    const me = ctx.auth;
    me.full_name = ctx.body.full_name;
    me.phone = ctx.body.phone ?? null;
    // FAULT H10: the buggy variant keeps readOnly `role` and stores it (self-promotion to admin)
    if (buggy && typeof ctx.body.role === 'string' && ['admin', 'manager', 'employee'].includes(ctx.body.role)) me.role = ctx.body.role;
    return ok(empOut(me));
  },

  listPolicies: (ctx) => paged(ctx, '/leave-policies', 'policies', active('policies'), polOut),
  createPolicy: (ctx) => adminOnly(ctx) || polWrite(ctx, null),
  getPolicy: (ctx) => { const { row, res } = find('policies', ctx.path.policyId); return res || ok(polOut(row)); },
  replacePolicy: (ctx) => { const { row, res } = find('policies', ctx.path.policyId); return res || adminOnly(ctx) || polWrite(ctx, row); },
  deletePolicy: (ctx) => {
    const { row, res } = find('policies', ctx.path.policyId);
    if (res) return res;
    const f = adminOnly(ctx); if (f) return f;
    row.deleted = true;
    return noContent();
  },

  listLeaveRequests: (ctx) => {
    let items = active('requests').filter((r) => canSee(ctx, r));
    if (ctx.query.status !== undefined) items = items.filter((r) => r.status === ctx.query.status);
    return paged(ctx, '/leave-requests', 'leave_requests', items, reqOut, ctx.query.status ? { status: ctx.query.status } : {});
  },
  createLeaveRequest: (ctx) => {
    const { f, res } = reqFields(ctx);
    if (res) return res;
    // FAULT H09: the buggy variant takes a client-sent (readOnly) status, skipping the workflow
    const status = buggy && ['draft', 'submitted', 'approved', 'rejected', 'cancelled'].includes(ctx.body.status) ? ctx.body.status : 'draft';
    const r = { id: nextId('requests'), employee_id: ctx.auth.id, ...f, status, decision_reason: null, created_at: new Date().toISOString(), deleted: false };
    db.requests.set(r.id, r);
    return created(reqOut(r));
  },
  getLeaveRequest: (ctx) => {
    if (buggy) { const { row, res } = find('requests', ctx.path.requestId); return res || ok(reqOut(row)); } // FAULT H07: no visibility check on reads
    const { row, res } = loadRequest(ctx);
    return res || ok(reqOut(row));
  },
  replaceLeaveRequest: (ctx) => {
    const { row, res } = loadRequest(ctx);
    if (res) return res;
    if (row.employee_id !== ctx.auth.id) return notOwner();
    if (row.status !== 'draft') return transition(row, 'draft');
    const r2 = reqFields(ctx);
    if (r2.res) return r2.res;
    delete row.note;
    Object.assign(row, r2.f);
    return ok(reqOut(row));
  },
  deleteLeaveRequest: (ctx) => {
    const lookup = buggy ? find('requests', ctx.path.requestId) : loadRequest(ctx);
    if (lookup.res) return lookup.res;
    const row = lookup.row;
    if (!buggy && row.employee_id !== ctx.auth.id) return notOwner(); // FAULT H08: the buggy variant lets anyone discard anyone's draft
    if (row.status !== 'draft') return transition(row, 'deleted');
    row.deleted = true;
    return noContent();
  },
  submitLeaveRequest: (ctx) => {
    const { row, res } = loadRequest(ctx);
    if (res) return res;
    if (row.employee_id !== ctx.auth.id) return notOwner();
    if (row.status !== 'draft') return transition(row, 'submitted');
    row.status = 'submitted';
    const out = reqOut(row);
    if (buggy) out.status = 'SUBMITTED'; // FAULT H04: the action answers the state in upper case (not in the enum)
    return ok(out);
  },
  approveLeaveRequest: (ctx) => {
    // FAULT H01: the buggy variant never checks the caller's role (nor visibility), so employees approve
    const { row, res } = buggy ? find('requests', ctx.path.requestId) : loadRequest(ctx);
    if (res) return res;
    if (!buggy && !isApprover(ctx)) return error(403, 'Forbidden', [{ at: 'role', message: 'managers and admins only' }]);
    if (row.employee_id === ctx.auth.id) return error(403, 'Forbidden', [{ at: 'employee_id', message: 'not on your own request' }]);
    // FAULT H02: the buggy variant approves an approved request again (200 instead of 409)
    if (row.status !== 'submitted' && !(buggy && row.status === 'approved')) return transition(row, 'approved');
    const p = db.policies.get(row.policy_id);
    if (p.annual_days - usedDays(row.employee_id, row.policy_id) < row.days) return error(409, 'Conflict', [{ at: 'days', message: 'balance too small' }]);
    row.status = 'approved';
    row.decision_reason = null;
    return ok(reqOut(row));
  },
  rejectLeaveRequest: (ctx) => {
    const { row, res } = loadRequest(ctx);
    if (res) return res;
    if (!isApprover(ctx)) return error(403, 'Forbidden', [{ at: 'role', message: 'managers and admins only' }]);
    if (row.employee_id === ctx.auth.id) return error(403, 'Forbidden', [{ at: 'employee_id', message: 'not on your own request' }]);
    if (row.status !== 'submitted') return transition(row, 'rejected');
    row.status = 'rejected';
    row.decision_reason = ctx.body.reason;
    return ok(reqOut(row));
  },
  cancelLeaveRequest: (ctx) => {
    const { row, res } = loadRequest(ctx);
    if (res) return res;
    if (row.employee_id !== ctx.auth.id) return notOwner();
    if (buggy && row.status === 'draft') {
      // FAULT H03: cancelling a draft reads the decision it never had and crashes (500)
      const decidedAt = row.decision.at;
      void decidedAt;
    }
    if (!['submitted', 'approved'].includes(row.status)) return transition(row, 'cancelled');
    row.status = 'cancelled';
    return ok(reqOut(row));
  },
};

const server = createServer({
  spec,
  validationSpec: vspec,
  handlers,
  error,
  keepReadOnly: buggy,
  authenticate: (scheme, req) => {
    if (scheme !== 'apiKey') return null;
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || !key) return null;
    const e = [...db.employees.values()].find((x) => !x.deleted && x.api_key === key);
    return e || null;
  },
});
listen(server, port, 'Time-off service', variant);
