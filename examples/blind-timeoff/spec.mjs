// The Time-off service's OpenAPI 3.0.3 document (`node spec.mjs` rewrites openapi.yaml).
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const HAL = 'application/hal+json';
const PROBLEM = 'application/problem+json';
const problem = (description) => ({ description, content: { [PROBLEM]: { schema: ref('Problem') } } });
const hal = (description, schema, extra = {}) => ({ description, content: { [HAL]: { schema } }, ...extra });
const created = (name) => hal(`${name} created`, ref(name), {
  headers: { Location: { description: 'URL of the new resource', required: true, schema: { type: 'string' } } },
});
const idParam = (name, description) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 1 } });
const paging = [
  { $ref: '#/components/parameters/page' },
  { $ref: '#/components/parameters/per_page' },
];
const jsonBody = (schema) => ({ required: true, content: { 'application/json': { schema } } });
const E = {
  400: problem('The request is malformed or violates the schema'),
  401: problem('Missing or unknown API key'),
  403: problem('The caller\'s role may not do this'),
  404: problem('No such resource (or not visible to the caller)'),
  409: problem('Conflict: a unique value is taken, or the action is not allowed in the current state'),
  410: problem('The resource was deleted'),
  422: problem('The values are well-formed but break a business rule'),
};
const pick = (...codes) => Object.fromEntries(codes.map((c) => [String(c), E[c]]));
const links = { type: 'object', readOnly: true, required: ['self'], properties: { self: ref('Link') } };
const page = (listName, item) => ({
  type: 'object',
  required: ['_links', '_embedded', 'page', 'per_page', 'total', 'total_pages'],
  properties: {
    _links: {
      type: 'object', required: ['self'],
      properties: { self: ref('Link'), next: ref('Link'), prev: ref('Link'), first: ref('Link'), last: ref('Link') },
    },
    _embedded: { type: 'object', required: [listName], properties: { [listName]: { type: 'array', items: ref(item) } } },
    page: { type: 'integer', minimum: 1 },
    per_page: { type: 'integer', minimum: 1, maximum: 100 },
    total: { type: 'integer', minimum: 0 },
    total_pages: { type: 'integer', minimum: 0 },
  },
});

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Time-off service',
    version: '1.0.0',
    description:
      'HR time-off: departments, employees, leave policies, leave requests with an approval workflow ' +
      '(draft → submitted → approved or rejected; submitted or approved → cancelled) and balances. ' +
      'Every call needs a per-user API key in `X-Api-Key`; the key\'s employee has a role: `admin` (manages ' +
      'departments, employees and policies), `manager` (decides leave requests of others) or `employee`. ' +
      'Responses are HAL (`application/hal+json`); errors are problem details. Lists take `page` and ' +
      '`per_page`. Updates are full replacements with PUT (no PATCH). Deleted resources are soft-deleted ' +
      'and answer 410 Gone afterwards.',
  },
  servers: [{ url: 'http://127.0.0.1:4600' }],
  security: [{ apiKey: [] }],
  tags: [{ name: 'departments' }, { name: 'employees' }, { name: 'policies' }, { name: 'leave' }],
  paths: {
    '/departments': {
      get: {
        operationId: 'listDepartments', tags: ['departments'], summary: 'List departments', parameters: paging,
        responses: { 200: hal('A page of departments', page('departments', 'Department')), ...pick(400, 401) },
      },
      post: {
        operationId: 'createDepartment', tags: ['departments'], summary: 'Create a department (admin)',
        requestBody: jsonBody(ref('Department')),
        responses: { 201: created('Department'), ...pick(400, 401, 403, 409) },
      },
    },
    '/departments/{departmentId}': {
      parameters: [idParam('departmentId', 'Department id')],
      get: { operationId: 'getDepartment', tags: ['departments'], summary: 'Read a department', responses: { 200: hal('The department', ref('Department')), ...pick(400, 401, 404, 410) } },
      put: {
        operationId: 'replaceDepartment', tags: ['departments'], summary: 'Replace a department (admin)',
        requestBody: jsonBody(ref('Department')),
        responses: { 200: hal('The department', ref('Department')), ...pick(400, 401, 403, 404, 409, 410) },
      },
      delete: { operationId: 'deleteDepartment', tags: ['departments'], summary: 'Delete a department (admin, soft)', responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404, 410) } },
    },
    '/employees': {
      get: {
        operationId: 'listEmployees', tags: ['employees'], summary: 'Employee directory',
        parameters: [...paging, { name: 'q', in: 'query', description: 'Only employees whose name or e-mail contains this text', schema: { type: 'string', maxLength: 100 } }],
        responses: { 200: hal('A page of employees', page('employees', 'Employee')), ...pick(400, 401) },
      },
      post: {
        operationId: 'createEmployee', tags: ['employees'], summary: 'Hire an employee (admin)',
        requestBody: jsonBody(ref('Employee')),
        responses: { 201: created('Employee'), ...pick(400, 401, 403, 409, 422) },
      },
    },
    '/employees/{employeeId}': {
      parameters: [idParam('employeeId', 'Employee id')],
      get: { operationId: 'getEmployee', tags: ['employees'], summary: 'Read an employee', responses: { 200: hal('The employee', ref('Employee')), ...pick(400, 401, 404, 410) } },
      put: {
        operationId: 'replaceEmployee', tags: ['employees'], summary: 'Replace an employee (admin)',
        requestBody: jsonBody(ref('Employee')),
        responses: { 200: hal('The employee', ref('Employee')), ...pick(400, 401, 403, 404, 409, 410, 422) },
      },
      delete: { operationId: 'deleteEmployee', tags: ['employees'], summary: 'Remove an employee (admin, soft)', responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404, 410) } },
    },
    '/employees/{employeeId}/balances': {
      parameters: [idParam('employeeId', 'Employee id')],
      get: {
        operationId: 'listBalances', tags: ['employees'], summary: 'Leave balances of an employee',
        description: 'The employee themself, managers and admins may read balances; other employees get 403.',
        parameters: paging,
        responses: { 200: hal('Balances, one per active policy', page('balances', 'Balance')), ...pick(400, 401, 403, 404, 410) },
      },
    },
    '/me': {
      get: { operationId: 'getMe', tags: ['employees'], summary: 'The caller\'s own employee record', responses: { 200: hal('The caller', ref('Employee')), ...pick(401) } },
      put: {
        operationId: 'replaceMe', tags: ['employees'], summary: 'Replace the caller\'s own profile',
        description: 'Only `full_name` and `phone` can be changed here; a missing `phone` clears it.',
        requestBody: jsonBody(ref('Profile')),
        responses: { 200: hal('The caller', ref('Employee')), ...pick(400, 401) },
      },
    },
    '/leave-policies': {
      get: {
        operationId: 'listPolicies', tags: ['policies'], summary: 'List leave policies', parameters: paging,
        responses: { 200: hal('A page of policies', page('policies', 'Policy')), ...pick(400, 401) },
      },
      post: {
        operationId: 'createPolicy', tags: ['policies'], summary: 'Create a leave policy (admin)',
        requestBody: jsonBody(ref('Policy')),
        responses: { 201: created('Policy'), ...pick(400, 401, 403, 409) },
      },
    },
    '/leave-policies/{policyId}': {
      parameters: [idParam('policyId', 'Policy id')],
      get: { operationId: 'getPolicy', tags: ['policies'], summary: 'Read a leave policy', responses: { 200: hal('The policy', ref('Policy')), ...pick(400, 401, 404, 410) } },
      put: {
        operationId: 'replacePolicy', tags: ['policies'], summary: 'Replace a leave policy (admin)',
        requestBody: jsonBody(ref('Policy')),
        responses: { 200: hal('The policy', ref('Policy')), ...pick(400, 401, 403, 404, 409, 410) },
      },
      delete: { operationId: 'deletePolicy', tags: ['policies'], summary: 'Retire a leave policy (admin, soft)', responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404, 410) } },
    },
    '/leave-requests': {
      get: {
        operationId: 'listLeaveRequests', tags: ['leave'], summary: 'List leave requests',
        description: 'Employees see their own requests; managers and admins see everyone\'s.',
        parameters: [...paging, { name: 'status', in: 'query', description: 'Only requests in this state', schema: ref('LeaveStatus') }],
        responses: { 200: hal('A page of leave requests', page('leave_requests', 'LeaveRequest')), ...pick(400, 401) },
      },
      post: {
        operationId: 'createLeaveRequest', tags: ['leave'], summary: 'Draft a leave request for the caller',
        description: 'The new request is a `draft` of the caller. `end_date` must be on or after `start_date` (422 otherwise); ' +
          '`days` counts both ends. `policy_id` must name an active policy (422 otherwise).',
        requestBody: jsonBody(ref('LeaveRequest')),
        responses: { 201: created('LeaveRequest'), ...pick(400, 401, 422) },
      },
    },
    '/leave-requests/{requestId}': {
      parameters: [idParam('requestId', 'Leave request id')],
      get: {
        operationId: 'getLeaveRequest', tags: ['leave'], summary: 'Read a leave request',
        description: 'Visible to its owner, managers and admins; 404 for other employees.',
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 404, 410) },
      },
      put: {
        operationId: 'replaceLeaveRequest', tags: ['leave'], summary: 'Replace a draft leave request (owner)',
        description: 'Only the owner, only while `draft` (409 otherwise). `end_date` must be on or after `start_date` (422).',
        requestBody: jsonBody(ref('LeaveRequest')),
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 403, 404, 409, 410, 422) },
      },
      delete: {
        operationId: 'deleteLeaveRequest', tags: ['leave'], summary: 'Discard a draft leave request (owner, soft)',
        description: 'Only the owner, only while `draft` (409 otherwise).',
        responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404, 409, 410) },
      },
    },
    '/leave-requests/{requestId}/submit': {
      parameters: [idParam('requestId', 'Leave request id')],
      post: {
        operationId: 'submitLeaveRequest', tags: ['leave'], summary: 'Submit a draft for approval (owner)',
        description: 'draft → submitted. Any other state answers 409.',
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 403, 404, 409, 410) },
      },
    },
    '/leave-requests/{requestId}/approve': {
      parameters: [idParam('requestId', 'Leave request id')],
      post: {
        operationId: 'approveLeaveRequest', tags: ['leave'], summary: 'Approve a submitted request (manager or admin)',
        description: 'submitted → approved; the days are taken from the owner\'s balance of the policy (409 when it is too small). ' +
          'Only managers and admins, never on their own request (403). Any state but `submitted` answers 409.',
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 403, 404, 409, 410) },
      },
    },
    '/leave-requests/{requestId}/reject': {
      parameters: [idParam('requestId', 'Leave request id')],
      post: {
        operationId: 'rejectLeaveRequest', tags: ['leave'], summary: 'Reject a submitted request (manager or admin)',
        description: 'submitted → rejected, with a reason. Only managers and admins, never on their own request (403). Any state but `submitted` answers 409.',
        requestBody: jsonBody(ref('Decision')),
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 403, 404, 409, 410) },
      },
    },
    '/leave-requests/{requestId}/cancel': {
      parameters: [idParam('requestId', 'Leave request id')],
      post: {
        operationId: 'cancelLeaveRequest', tags: ['leave'], summary: 'Cancel a submitted or approved request (owner)',
        description: 'submitted or approved → cancelled; approved days go back to the balance. Any other state answers 409.',
        responses: { 200: hal('The leave request', ref('LeaveRequest')), ...pick(400, 401, 403, 404, 409, 410) },
      },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A per-user API key' } },
    parameters: {
      page: { name: 'page', in: 'query', description: 'Page number, from 1', schema: { type: 'integer', minimum: 1, default: 1 } },
      per_page: { name: 'per_page', in: 'query', description: 'Items per page', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    },
    schemas: {
      Link: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
      Problem: {
        type: 'object', required: ['title', 'status'],
        properties: {
          type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      Department: {
        type: 'object', required: ['id', 'name', 'code', '_links'],
        properties: {
          id: { type: 'integer', readOnly: true },
          name: { type: 'string', minLength: 1, maxLength: 80, description: 'Unique', example: 'Operations' },
          code: { type: 'string', pattern: '^[A-Z]{2,6}$', description: 'Unique short code', example: 'OPS' },
          _links: links,
        },
      },
      Role: { type: 'string', enum: ['admin', 'manager', 'employee'] },
      Employee: {
        type: 'object', required: ['id', 'email', 'full_name', 'department_id', 'role', 'hire_date', '_links'],
        properties: {
          id: { type: 'integer', readOnly: true },
          email: { type: 'string', format: 'email', maxLength: 120, description: 'Unique', example: 'ada@example.com' },
          full_name: { type: 'string', minLength: 1, maxLength: 120, example: 'Ada Lovelace' },
          department_id: { type: 'integer', minimum: 1, description: 'An existing department' },
          role: ref('Role'),
          hire_date: { type: 'string', format: 'date', example: '2024-03-01' },
          phone: { type: 'string', nullable: true, pattern: '^\\+?[0-9 ]{6,20}$', example: '+44 20 7946 0000' },
          _links: links,
        },
      },
      Profile: {
        type: 'object', required: ['full_name'],
        properties: {
          full_name: { type: 'string', minLength: 1, maxLength: 120 },
          phone: { type: 'string', nullable: true, pattern: '^\\+?[0-9 ]{6,20}$' },
          role: { allOf: [ref('Role')], readOnly: true, description: 'Shown, never changed here' },
        },
      },
      Policy: {
        type: 'object', required: ['id', 'name', 'annual_days', '_links'],
        properties: {
          id: { type: 'integer', readOnly: true },
          name: { type: 'string', minLength: 1, maxLength: 80, description: 'Unique', example: 'Annual leave' },
          annual_days: { type: 'integer', minimum: 0, maximum: 60, example: 25 },
          carry_over: { type: 'boolean', default: false },
          description: { type: 'string', maxLength: 500 },
          _links: links,
        },
      },
      LeaveStatus: { type: 'string', enum: ['draft', 'submitted', 'approved', 'rejected', 'cancelled'] },
      LeaveRequest: {
        type: 'object', required: ['id', 'employee_id', 'policy_id', 'start_date', 'end_date', 'days', 'status', 'created_at', '_links'],
        description: '`end_date` must be on or after `start_date`.',
        properties: {
          id: { type: 'integer', readOnly: true },
          employee_id: { type: 'integer', readOnly: true, description: 'The owner (the caller who drafted it)' },
          policy_id: { type: 'integer', minimum: 1, description: 'An active leave policy' },
          start_date: { type: 'string', format: 'date', example: '2025-07-01' },
          end_date: { type: 'string', format: 'date', description: 'On or after start_date', example: '2025-07-04' },
          note: { type: 'string', maxLength: 500 },
          days: { type: 'integer', minimum: 1, readOnly: true },
          status: { allOf: [ref('LeaveStatus')], readOnly: true },
          decision_reason: { type: 'string', nullable: true, readOnly: true },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
          _links: links,
        },
      },
      Decision: {
        type: 'object', required: ['reason'],
        properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
      },
      Balance: {
        type: 'object', required: ['policy_id', 'policy_name', 'allowance_days', 'used_days', 'remaining_days', '_links'],
        properties: {
          policy_id: { type: 'integer' }, policy_name: { type: 'string' },
          allowance_days: { type: 'integer', minimum: 0 }, used_days: { type: 'integer', minimum: 0 }, remaining_days: { type: 'integer' },
          _links: links,
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Time-off service (blind target). Generated by spec.mjs: node spec.mjs');
