// The OpenAPI 3.0 document of the tasks target (the clean behaviour). `node spec.mjs` writes
// openapi.yaml; server.mjs validates requests against this same object.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const PJ = 'application/problem+json';
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const r = (n) => ({ $ref: `#/components/responses/${n}` });
const p = (n) => ({ $ref: `#/components/parameters/${n}` });
const json = (schema, extra = {}) => ({ content: { 'application/json': { schema, ...extra } } });
const merge = (schema, extra = {}) => ({ content: { 'application/merge-patch+json': { schema, ...extra }, 'application/json': { schema } } });
const etag = { ETag: { $ref: '#/components/headers/ETag' } };

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Taskboard',
    version: '0.9.0',
    description: [
      'Projects (identified by a short upper-case key) hold numbered tasks.',
      'Authentication: `Authorization: Bearer <token>`; the users and their tokens exist from the start (see the README).',
      'A project and its tasks are readable by its owner, and by every user when its visibility is `team`; only the owner changes or deletes them (403 for others who can read it, 404 for those who cannot).',
      'Updates use JSON merge patch (RFC 7396): a member set to null is removed. Every project and task has a version; GET returns it as a strong `ETag`, and PATCH requires `If-Match` with the current ETag (428 without it, 412 when stale).',
    ].join('\n\n'),
  },
  servers: [{ url: 'http://localhost:4103' }],
  security: [{ bearerAuth: [] }],
  tags: [{ name: 'users' }, { name: 'projects' }, { name: 'tasks' }, { name: 'admin' }],
  paths: {
    '/users': {
      get: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'Everybody on the board',
        responses: { 200: { description: 'Users', ...json({ type: 'array', items: ref('User') }) }, 401: r('Unauthorized') },
      },
    },
    '/users/me': {
      get: { operationId: 'getMe', tags: ['users'], responses: { 200: { description: 'The caller', ...json(ref('User')) }, 401: r('Unauthorized') } },
      patch: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Change your display name or time zone (merge patch)',
        requestBody: { required: true, ...merge(ref('UserPatch'), { example: { timezone: 'Europe/Paris' } }) },
        responses: { 200: { description: 'Updated', ...json(ref('User')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 415: r('UnsupportedMediaType') },
      },
    },
    '/projects': {
      get: {
        operationId: 'listProjects',
        tags: ['projects'],
        summary: 'Projects the caller can read, by key',
        responses: { 200: { description: 'Projects', ...json({ type: 'array', items: ref('Project') }) }, 401: r('Unauthorized') },
      },
      post: {
        operationId: 'createProject',
        tags: ['projects'],
        requestBody: { required: true, ...json(ref('ProjectCreate'), { example: { key: 'MOBILE', name: 'Mobile app', visibility: 'team' } }) },
        responses: {
          201: {
            description: 'Created; the caller owns it',
            headers: { Location: { required: true, schema: { type: 'string' } }, ...etag },
            ...json(ref('Project')),
          },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          409: { description: 'The key is taken', content: { [PJ]: { schema: ref('Problem') } } },
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/projects/{projectKey}': {
      parameters: [p('projectKey')],
      get: {
        operationId: 'getProject',
        tags: ['projects'],
        responses: { 200: { description: 'The project', headers: etag, ...json(ref('Project')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
      patch: {
        operationId: 'updateProject',
        tags: ['projects'],
        parameters: [p('ifMatch')],
        requestBody: { required: true, ...merge(ref('ProjectPatch'), { example: { description: null, visibility: 'private' } }) },
        responses: {
          200: { description: 'Updated', headers: etag, ...json(ref('Project')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          404: r('NotFound'),
          412: r('PreconditionFailed'),
          415: r('UnsupportedMediaType'),
          428: r('PreconditionRequired'),
        },
      },
      delete: {
        operationId: 'deleteProject',
        tags: ['projects'],
        summary: 'Delete a project and its tasks',
        responses: { 204: { description: 'Deleted' }, 400: r('BadRequest'), 401: r('Unauthorized'), 403: r('Forbidden'), 404: r('NotFound') },
      },
    },
    '/projects/{projectKey}/tasks': {
      parameters: [p('projectKey')],
      get: {
        operationId: 'listTasks',
        tags: ['tasks'],
        summary: 'Tasks by number; `state` and `assignee` keep only the tasks that have that state / assignee',
        parameters: [
          { name: 'state', in: 'query', schema: ref('TaskState') },
          { name: 'assignee', in: 'query', schema: { type: 'integer', minimum: 1 } },
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1 } },
          { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
        ],
        responses: { 200: { description: 'A page of tasks', ...json(ref('TaskPage')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
      post: {
        operationId: 'createTask',
        tags: ['tasks'],
        requestBody: {
          required: true,
          ...json(ref('TaskCreate'), { example: { title: 'Write release notes', state: 'todo', labels: ['docs'], dueDate: '2026-12-18' } }),
        },
        responses: {
          201: { description: 'Created', headers: { Location: { required: true, schema: { type: 'string' } }, ...etag }, ...json(ref('Task')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          404: r('NotFound'),
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/projects/{projectKey}/tasks/{taskNumber}': {
      parameters: [p('projectKey'), p('taskNumber')],
      get: {
        operationId: 'getTask',
        tags: ['tasks'],
        responses: { 200: { description: 'The task', headers: etag, ...json(ref('Task')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
      patch: {
        operationId: 'updateTask',
        tags: ['tasks'],
        parameters: [p('ifMatch')],
        requestBody: { required: true, ...merge(ref('TaskPatch'), { example: { state: 'doing', dueDate: null } }) },
        responses: {
          200: { description: 'Updated', headers: etag, ...json(ref('Task')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          404: r('NotFound'),
          412: r('PreconditionFailed'),
          415: r('UnsupportedMediaType'),
          428: r('PreconditionRequired'),
        },
      },
      delete: {
        operationId: 'deleteTask',
        tags: ['tasks'],
        responses: { 204: { description: 'Deleted' }, 400: r('BadRequest'), 401: r('Unauthorized'), 403: r('Forbidden'), 404: r('NotFound') },
      },
    },
    '/search': {
      get: {
        operationId: 'searchTasks',
        tags: ['tasks'],
        summary: 'Tasks whose title contains q, in projects the caller can read',
        parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 100 } }],
        responses: { 200: { description: 'Hits', ...json({ type: 'array', items: ref('SearchHit') }) }, 400: r('BadRequest'), 401: r('Unauthorized') },
      },
    },
    '/admin/reset': {
      post: {
        operationId: 'resetBoard',
        tags: ['admin'],
        summary: 'Restore the seed data (administrators only)',
        description: 'Deletes every project and task and restores the initial ones. Users and tokens are kept.',
        responses: { 204: { description: 'Reset done' }, 401: r('Unauthorized'), 403: r('Forbidden') },
      },
    },
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An opaque personal token' } },
    headers: { ETag: { description: 'Current version, for If-Match', schema: { type: 'string' } } },
    parameters: {
      projectKey: { name: 'projectKey', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Z]{2,6}$' }, example: 'WEB' },
      taskNumber: { name: 'taskNumber', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
      ifMatch: { name: 'If-Match', in: 'header', required: true, description: 'The ETag from the last GET (or `*`)', schema: { type: 'string' } },
    },
    responses: {
      BadRequest: { description: 'Invalid request', content: { [PJ]: { schema: ref('Problem') } } },
      Unauthorized: { description: 'Missing or unknown token', content: { [PJ]: { schema: ref('Problem') } } },
      Forbidden: { description: 'Only the owner (or an administrator, for admin operations) may do this', content: { [PJ]: { schema: ref('Problem') } } },
      NotFound: { description: 'No such project or task, or not readable by the caller', content: { [PJ]: { schema: ref('Problem') } } },
      PreconditionFailed: { description: 'If-Match does not match the current ETag', content: { [PJ]: { schema: ref('Problem') } } },
      PreconditionRequired: { description: 'If-Match is missing', content: { [PJ]: { schema: ref('Problem') } } },
      UnsupportedMediaType: { description: 'Wrong Content-Type', content: { [PJ]: { schema: ref('Problem') } } },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } } },
        },
      },
      User: {
        type: 'object',
        required: ['id', 'username', 'displayName', 'role', 'timezone'],
        properties: {
          id: { type: 'integer', minimum: 1, readOnly: true },
          username: { type: 'string', readOnly: true },
          displayName: { type: 'string', minLength: 1, maxLength: 60 },
          role: { type: 'string', enum: ['member', 'admin'], readOnly: true },
          timezone: { type: 'string', pattern: '^(UTC|[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+)$' },
        },
      },
      UserPatch: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          displayName: { type: 'string', minLength: 1, maxLength: 60 },
          timezone: { type: 'string', pattern: '^(UTC|[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+)$' },
        },
      },
      Visibility: { type: 'string', enum: ['private', 'team'] },
      TaskState: { type: 'string', enum: ['todo', 'doing', 'done'] },
      ProjectCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'name'],
        properties: {
          key: { type: 'string', pattern: '^[A-Z]{2,6}$' },
          name: { type: 'string', minLength: 1, maxLength: 80 },
          description: { type: 'string', maxLength: 500 },
          visibility: { allOf: [ref('Visibility')], default: 'private' },
        },
      },
      ProjectPatch: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 80 },
          description: { type: 'string', maxLength: 500, nullable: true, description: 'null removes the description' },
          visibility: ref('Visibility'),
        },
      },
      Project: {
        type: 'object',
        required: ['key', 'name', 'visibility', 'ownerId', 'version', 'createdAt'],
        properties: {
          key: { type: 'string', pattern: '^[A-Z]{2,6}$' },
          name: { type: 'string' },
          description: { type: 'string' },
          visibility: ref('Visibility'),
          ownerId: { type: 'integer', readOnly: true },
          version: { type: 'integer', minimum: 1, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      TaskCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['title'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          state: { allOf: [ref('TaskState')], default: 'todo' },
          assigneeId: { type: 'integer', minimum: 1, description: 'id of an existing user' },
          labels: { type: 'array', maxItems: 5, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,19}$' } },
          dueDate: { type: 'string', format: 'date' },
        },
      },
      TaskPatch: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          state: ref('TaskState'),
          assigneeId: { type: 'integer', minimum: 1, nullable: true, description: 'null unassigns' },
          labels: { type: 'array', maxItems: 5, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,19}$' } },
          dueDate: { type: 'string', format: 'date', nullable: true, description: 'null removes the due date' },
        },
      },
      Task: {
        type: 'object',
        required: ['number', 'projectKey', 'title', 'state', 'labels', 'version', 'createdAt'],
        properties: {
          number: { type: 'integer', minimum: 1, readOnly: true },
          projectKey: { type: 'string', readOnly: true },
          title: { type: 'string' },
          state: ref('TaskState'),
          assigneeId: { type: 'integer', minimum: 1 },
          labels: { type: 'array', items: { type: 'string' } },
          dueDate: { type: 'string', format: 'date' },
          version: { type: 'integer', minimum: 1, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      TaskPage: {
        type: 'object',
        required: ['items', 'page', 'perPage', 'total'],
        properties: {
          items: { type: 'array', items: ref('Task') },
          page: { type: 'integer', minimum: 1 },
          perPage: { type: 'integer', minimum: 1, maximum: 100 },
          total: { type: 'integer', minimum: 0 },
        },
      },
      SearchHit: {
        type: 'object',
        required: ['projectKey', 'number', 'title'],
        properties: { projectKey: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' } },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Generated from spec.mjs (node spec.mjs). Documents the CLEAN variant.');
