// The Specimen Tracker's OpenAPI 3.1 document (the CLEAN behaviour). `node spec.mjs` rewrites
// openapi.yaml from it; server.mjs routes and validates from the same object.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const JSONAPI = 'application/vnd.api+json';
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const doc = (schema) => ({ content: { [JSONAPI]: { schema } } });
const err = (description) => ({ description, ...doc(ref('Errors')) });
const R = {
  400: err('Malformed document, parameter or JSON Patch (the error names `source.pointer` or `source.parameter`).'),
  401: err('No valid `lab_session` cookie, or a write without the matching `X-CSRF-Token` header.'),
  403: err('The caller is signed in but lacks the `admin` role.'),
  404: err('No such resource visible to the caller (other users\' resources are not visible).'),
  409: err('Conflict (see the operation).'),
  410: err('The resource was deleted (soft delete): it is gone for good.'),
  415: err('The request body is not of the documented media type.'),
  422: err('The document is well-formed but breaks a business rule (the error names the pointer).'),
};
const pick = (...codes) => Object.fromEntries(codes.map((c) => [String(c), R[c]]));

const READ = [{ sessionCookie: [] }];
const WRITE = [{ sessionCookie: [], csrfHeader: [] }];
const location = { Location: { description: 'The created resource\'s URL.', required: true, schema: { type: 'string' } } };

const pageParam = {
  name: 'page', in: 'query', style: 'deepObject', explode: true,
  description: 'Pagination: `page[number]` (from 1) and `page[size]` (1-50, default 20).',
  schema: { type: 'object', properties: { number: { type: 'integer', minimum: 1, default: 1 }, size: { type: 'integer', minimum: 1, maximum: 50, default: 20 } } },
};
const includeParam = {
  name: 'include', in: 'query', description: 'Related resources to add under `included`.',
  schema: { type: 'string', enum: ['owner', 'container', 'owner,container'] },
};
const sampleId = { name: 'sampleId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const containerId = { name: 'containerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'Specimen Tracker',
    version: '1.0.0',
    description: [
      'Lab-sample tracking in JSON:API style (`application/vnd.api+json`): samples, the storage containers',
      'they sit in and each sample\'s chain-of-custody events.',
      '',
      '**Accounts.** Sign up with `POST /auth/signup`, then sign in with `POST /auth/session`. Three users',
      'exist from the start: `alice` (password `alice-bench-2024`, technician), `bob` (`bob-bench-2024`,',
      'technician) and `carol` (`carol-bench-2024`, admin).',
      '',
      '**Sessions and CSRF.** Signing in answers `Set-Cookie: lab_session=…` and a `csrfToken` in the',
      'session document. Every request sends the cookie; every write (POST, PATCH, PUT, DELETE) also sends',
      'the token as `X-CSRF-Token`. Sessions last 12 hours.',
      '',
      '**Ownership.** Samples and containers belong to the user who created them; other users\' items',
      'answer 404. Deletion is soft: a deleted sample or container answers 410 Gone afterwards.',
      '',
      '**Sign-in throttling.** After 5 failed sign-ins for one username within 15 minutes, sign-ins for it',
      'answer 429 with `Retry-After` until the window ends.',
    ].join('\n'),
  },
  servers: [{ url: 'http://127.0.0.1:4080' }],
  security: READ,
  tags: [
    { name: 'auth' }, { name: 'samples' }, { name: 'containers' },
    { name: 'admin', description: 'Only for users with the `admin` role.' },
  ],
  paths: {
    '/auth/signup': {
      post: {
        operationId: 'signUp', tags: ['auth'], summary: 'Create an account', security: [],
        requestBody: { required: true, ...doc(ref('UserDocument')) },
        responses: { 201: { description: 'The new account (role `technician`).', ...doc(ref('UserDocument')) }, ...pick(400, 409, 415) },
      },
    },
    '/auth/session': {
      post: {
        operationId: 'signIn', tags: ['auth'], summary: 'Sign in (start a session)', security: [],
        description: 'Throttled: after 5 failures for a username within 15 minutes, 429 with Retry-After.',
        requestBody: { required: true, ...doc(ref('SignInDocument')) },
        responses: {
          201: {
            description: 'Signed in. The session cookie is in Set-Cookie; the CSRF token in the body.',
            headers: { 'Set-Cookie': { description: '`lab_session=<id>; HttpOnly; SameSite=Strict; Path=/`', required: true, schema: { type: 'string' } } },
            ...doc(ref('SessionDocument')),
          },
          400: R[400],
          401: err('Wrong username or password (the same answer for both).'),
          415: R[415],
          429: { description: 'Too many failed sign-ins for this username.', headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } }, ...doc(ref('Errors')) },
        },
      },
      delete: {
        operationId: 'signOut', tags: ['auth'], summary: 'Sign out (end this session)', security: WRITE,
        responses: { 204: { description: 'Signed out.' }, ...pick(401) },
      },
    },
    '/me': {
      get: {
        operationId: 'getCurrentUser', tags: ['auth'], summary: 'The signed-in user',
        responses: { 200: { description: 'The caller\'s account.', ...doc(ref('UserDocument')) }, ...pick(401) },
      },
    },
    '/samples': {
      get: {
        operationId: 'listSamples', tags: ['samples'], summary: 'List my samples',
        parameters: [
          {
            name: 'filter', in: 'query', style: 'deepObject', explode: true,
            description: '`filter[status]`, `filter[kind]` (exact) and `filter[label]` (substring, case-insensitive).',
            schema: { type: 'object', properties: { status: ref('SampleStatus'), kind: ref('SampleKind'), label: { type: 'string', maxLength: 80 } } },
          },
          pageParam,
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['collectedAt', '-collectedAt', 'label', '-label'] } },
          includeParam,
        ],
        responses: { 200: { description: 'One page of the caller\'s samples (deleted ones left out).', ...doc(ref('SampleList')) }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createSample', tags: ['samples'], summary: 'Register a sample', security: WRITE,
        description: 'The barcode is unique (409 when taken). A `container` relationship must name one of the caller\'s containers with room left (else 422).',
        requestBody: { required: true, ...doc(ref('SampleDocument')) },
        responses: { 201: { description: 'Registered.', headers: location, ...doc(ref('SampleDocument')) }, ...pick(400, 401, 409, 415, 422) },
      },
    },
    '/samples/{sampleId}': {
      parameters: [sampleId],
      get: {
        operationId: 'getSample', tags: ['samples'], summary: 'Read a sample', parameters: [includeParam],
        responses: { 200: { description: 'The sample.', ...doc(ref('SampleDocument')) }, ...pick(400, 401, 404, 410) },
      },
      patch: {
        operationId: 'updateSample', tags: ['samples'], summary: 'Update a sample with JSON Patch', security: WRITE,
        description: 'A JSON Patch (RFC 6902) over the sample\'s attributes: `/label`, `/notes`, `/volumeMl`, `/collectedAt`, `/kind`. `remove` is allowed on `/notes` only. A failed `test` is 409; a result that breaks the attribute schema is 422.',
        requestBody: { required: true, content: { 'application/json-patch+json': { schema: ref('JsonPatch') } } },
        responses: { 200: { description: 'The patched sample.', ...doc(ref('SampleDocument')) }, ...pick(400, 401, 404, 409, 410, 415, 422) },
      },
      delete: {
        operationId: 'deleteSample', tags: ['samples'], summary: 'Delete a sample (soft)', security: WRITE,
        responses: { 204: { description: 'Deleted; the sample answers 410 from now on.' }, ...pick(400, 401, 404, 410) },
      },
    },
    '/samples/{sampleId}/events': {
      parameters: [sampleId],
      get: {
        operationId: 'listSampleEvents', tags: ['samples'], summary: 'Chain-of-custody events of a sample',
        parameters: [{ name: 'withCustodyChain', in: 'query', description: 'Also verify the custody chain (meta.custodyVerified).', schema: { type: 'boolean', default: false } }],
        responses: { 200: { description: 'Events, oldest first.', ...doc(ref('EventList')) }, ...pick(400, 401, 404, 410) },
      },
      post: {
        operationId: 'recordSampleEvent', tags: ['samples'], summary: 'Record a custody event', security: WRITE,
        description: 'A transfer moves the sample to a storage location (status `stored`); an aliquot takes volume from it (422 when more than the remaining `volumeMl`); a disposal ends its life (status `disposed`; later events are 409).',
        requestBody: { required: true, ...doc(ref('EventDocument')) },
        responses: { 201: { description: 'Recorded.', ...doc(ref('EventDocument')) }, ...pick(400, 401, 404, 409, 410, 415, 422) },
      },
    },
    '/containers': {
      get: {
        operationId: 'listContainers', tags: ['containers'], summary: 'List my containers', parameters: [pageParam],
        responses: { 200: { description: 'One page of the caller\'s containers.', ...doc(ref('ContainerList')) }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createContainer', tags: ['containers'], summary: 'Create a storage container', security: WRITE,
        requestBody: { required: true, ...doc(ref('ContainerDocument')) },
        responses: { 201: { description: 'Created.', headers: location, ...doc(ref('ContainerDocument')) }, ...pick(400, 401, 415) },
      },
    },
    '/containers/{containerId}': {
      parameters: [containerId],
      get: {
        operationId: 'getContainer', tags: ['containers'], summary: 'Read a container',
        responses: { 200: { description: 'The container.', ...doc(ref('ContainerDocument')) }, ...pick(400, 401, 404, 410) },
      },
      patch: {
        operationId: 'updateContainer', tags: ['containers'], summary: 'Update a container', security: WRITE,
        description: 'JSON:API update: the attributes sent are changed, the others kept. A `data.id` other than the path\'s is 409; a capacity below the current sample count is 422.',
        requestBody: { required: true, ...doc(ref('ContainerUpdateDocument')) },
        responses: { 200: { description: 'The updated container.', ...doc(ref('ContainerDocument')) }, ...pick(400, 401, 404, 409, 410, 415, 422) },
      },
      delete: {
        operationId: 'deleteContainer', tags: ['containers'], summary: 'Delete an empty container (soft)', security: WRITE,
        responses: { 204: { description: 'Deleted; the container answers 410 from now on.' }, ...pick(400, 401, 404, 410), 409: err('The container still holds samples.') },
      },
    },
    '/admin/users': {
      get: {
        operationId: 'listUsers', tags: ['admin'], summary: 'All accounts (admin)',
        responses: { 200: { description: 'Every account.', ...doc(ref('UserList')) }, ...pick(401, 403) },
      },
    },
    '/admin/settings': {
      get: {
        operationId: 'getSettings', tags: ['admin'], summary: 'Lab settings (admin)',
        responses: { 200: { description: 'The settings.', ...doc(ref('SettingsDocument')) }, ...pick(401, 403) },
      },
      put: {
        operationId: 'replaceSettings', tags: ['admin'], summary: 'Replace the lab settings (admin)', security: WRITE,
        requestBody: { required: true, ...doc(ref('SettingsDocument')) },
        responses: { 200: { description: 'The new settings.', ...doc(ref('SettingsDocument')) }, ...pick(400, 401, 403, 415) },
      },
    },
  },
  components: {
    securitySchemes: {
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'lab_session', description: 'From POST /auth/session.' },
      csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The session\'s csrfToken; required on writes.' },
    },
    schemas: {
      Errors: {
        type: 'object', required: ['errors'],
        properties: {
          errors: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', required: ['status', 'title'],
              properties: {
                status: { type: 'string' }, title: { type: 'string' }, detail: { type: 'string' },
                source: { type: 'object', properties: { pointer: { type: 'string' }, parameter: { type: 'string' }, header: { type: 'string' } } },
              },
            },
          },
        },
      },
      Links: { type: 'object', properties: { self: { type: 'string' }, first: { type: 'string' }, last: { type: 'string' }, prev: { type: 'string' }, next: { type: 'string' } } },
      PageMeta: {
        type: 'object', required: ['total', 'page'],
        properties: { total: { type: 'integer', minimum: 0 }, page: { type: 'object', required: ['number', 'size'], properties: { number: { type: 'integer' }, size: { type: 'integer' } } } },
      },
      UserIdentifier: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string', const: 'users' }, id: { type: 'string' } } },
      ContainerIdentifier: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string', const: 'containers' }, id: { type: 'string', format: 'uuid' } } },
      SampleKind: { type: 'string', enum: ['blood', 'serum', 'plasma', 'tissue', 'dna', 'rna'] },
      SampleStatus: { type: 'string', enum: ['registered', 'stored', 'disposed'] },

      UserAttributes: {
        type: 'object', required: ['username', 'email', 'password', 'role', 'createdAt'], additionalProperties: false,
        properties: {
          username: { type: 'string', pattern: '^[a-z][a-z0-9_]{2,29}$', description: 'Unique.', examples: ['dana_lab'] },
          email: { type: 'string', format: 'email', maxLength: 120, examples: ['dana@lab.example'] },
          password: { type: 'string', minLength: 10, maxLength: 72, writeOnly: true, examples: ['dana-bench-2024'] },
          role: { type: 'string', enum: ['technician', 'admin'], readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      UserResource: {
        type: 'object', required: ['type', 'id', 'attributes'],
        properties: { type: { type: 'string', const: 'users' }, id: { type: 'string', readOnly: true }, attributes: ref('UserAttributes') },
      },
      UserDocument: { type: 'object', required: ['data'], properties: { data: ref('UserResource') } },
      UserList: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('UserResource') } } },

      SignInDocument: {
        type: 'object', required: ['data'],
        properties: {
          data: {
            type: 'object', required: ['type', 'attributes'],
            properties: {
              type: { type: 'string', const: 'sessions' },
              attributes: {
                type: 'object', required: ['username', 'password'], additionalProperties: false,
                properties: { username: { type: 'string', maxLength: 30, examples: ['alice'] }, password: { type: 'string', maxLength: 72, writeOnly: true, examples: ['alice-bench-2024'] } },
              },
            },
          },
        },
      },
      SessionDocument: {
        type: 'object', required: ['data'],
        properties: {
          data: {
            type: 'object', required: ['type', 'id', 'attributes', 'relationships'],
            properties: {
              type: { type: 'string', const: 'sessions' }, id: { type: 'string' },
              attributes: { type: 'object', required: ['csrfToken', 'expiresAt'], properties: { csrfToken: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } },
              relationships: { type: 'object', required: ['user'], properties: { user: { type: 'object', required: ['data'], properties: { data: ref('UserIdentifier') } } } },
            },
          },
        },
      },

      SampleAttributes: {
        type: 'object', required: ['label', 'kind', 'barcode', 'volumeMl', 'collectedAt', 'status', 'location', 'createdAt', 'updatedAt'],
        additionalProperties: false,
        properties: {
          label: { type: 'string', minLength: 1, maxLength: 80, examples: ['Patient 17 baseline'] },
          kind: ref('SampleKind'),
          barcode: { type: 'string', pattern: '^LS-[0-9]{8}$', description: 'Unique across the lab.', examples: ['LS-00012345'] },
          volumeMl: { type: 'number', minimum: 0, maximum: 500, description: 'Remaining volume in millilitres.', examples: [10] },
          collectedAt: { type: 'string', format: 'date-time', examples: ['2026-11-30T08:15:00Z'] },
          notes: { type: ['string', 'null'], maxLength: 500 },
          status: { type: 'string', enum: ['registered', 'stored', 'disposed'], readOnly: true },
          location: { type: ['string', 'null'], readOnly: true, description: 'Set by the last transfer event.' },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          updatedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      SampleResource: {
        type: 'object', required: ['type', 'attributes'],
        properties: {
          type: { type: 'string', const: 'samples' },
          id: { type: 'string', format: 'uuid', readOnly: true },
          attributes: ref('SampleAttributes'),
          relationships: {
            type: 'object',
            properties: {
              owner: { type: 'object', readOnly: true, required: ['data'], properties: { data: ref('UserIdentifier') } },
              container: { type: 'object', required: ['data'], properties: { data: { anyOf: [ref('ContainerIdentifier'), { type: 'null' }] } } },
            },
          },
          links: { type: 'object', readOnly: true, properties: { self: { type: 'string' } } },
        },
      },
      Included: { anyOf: [ref('UserResource'), ref('ContainerResource')] },
      SampleDocument: {
        type: 'object', required: ['data'],
        properties: { data: ref('SampleResource'), included: { type: 'array', readOnly: true, items: ref('Included') } },
      },
      SampleList: {
        type: 'object', required: ['data', 'links', 'meta'],
        properties: { data: { type: 'array', items: ref('SampleResource') }, included: { type: 'array', items: ref('Included') }, links: ref('Links'), meta: ref('PageMeta') },
      },
      JsonPatch: {
        type: 'array', minItems: 1, maxItems: 20,
        items: {
          type: 'object', required: ['op', 'path'], additionalProperties: false,
          properties: {
            op: { type: 'string', enum: ['add', 'remove', 'replace', 'test'] },
            path: { type: 'string', enum: ['/label', '/notes', '/volumeMl', '/collectedAt', '/kind'] },
            value: { description: 'Required for add, replace and test; the attribute\'s type.' },
          },
        },
        examples: [[{ op: 'replace', path: '/notes', value: 'Re-labelled after audit' }]],
      },

      TransferEvent: {
        type: 'object', required: ['kind', 'location', 'recordedAt'],
        properties: {
          kind: { type: 'string', const: 'transfer' },
          location: { type: 'string', pattern: '^F[0-9]-R[0-9]{1,2}-B[0-9]{2}$', description: 'Freezer, rack and box.', examples: ['F2-R3-B07'] },
          note: { type: 'string', maxLength: 200 },
          recordedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      AliquotEvent: {
        type: 'object', required: ['kind', 'volumeMl', 'recordedAt'],
        properties: {
          kind: { type: 'string', const: 'aliquot' },
          volumeMl: { type: 'number', exclusiveMinimum: 0, maximum: 500, description: 'Taken from the sample; at most its remaining volume.', examples: [0.5] },
          note: { type: 'string', maxLength: 200 },
          recordedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      DisposalEvent: {
        type: 'object', required: ['kind', 'reason', 'recordedAt'],
        properties: {
          kind: { type: 'string', const: 'disposal' },
          reason: { type: 'string', enum: ['expired', 'contaminated', 'consumed', 'other'] },
          note: { type: 'string', maxLength: 200 },
          recordedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      EventAttributes: {
        oneOf: [ref('TransferEvent'), ref('AliquotEvent'), ref('DisposalEvent')],
        discriminator: { propertyName: 'kind', mapping: { transfer: '#/components/schemas/TransferEvent', aliquot: '#/components/schemas/AliquotEvent', disposal: '#/components/schemas/DisposalEvent' } },
      },
      EventResource: {
        type: 'object', required: ['type', 'attributes'],
        properties: {
          type: { type: 'string', const: 'sample-events' },
          id: { type: 'string', format: 'uuid', readOnly: true },
          attributes: ref('EventAttributes'),
          relationships: { type: 'object', readOnly: true, properties: { sample: { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string', const: 'samples' }, id: { type: 'string' } } } } } } },
        },
      },
      EventDocument: { type: 'object', required: ['data'], properties: { data: ref('EventResource') } },
      EventList: {
        type: 'object', required: ['data', 'meta'],
        properties: { data: { type: 'array', items: ref('EventResource') }, meta: { type: 'object', required: ['total'], properties: { total: { type: 'integer' }, custodyVerified: { type: 'boolean' } } } },
      },

      ContainerAttributes: {
        type: 'object', required: ['name', 'temperatureC', 'capacity', 'sampleCount', 'createdAt'], additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 60, examples: ['Freezer 2 box 7'] },
          temperatureC: { type: 'number', minimum: -196, maximum: 25, examples: [-80] },
          capacity: { type: 'integer', minimum: 1, maximum: 100, examples: [81] },
          sampleCount: { type: 'integer', minimum: 0, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      ContainerResource: {
        type: 'object', required: ['type', 'attributes'],
        properties: {
          type: { type: 'string', const: 'containers' },
          id: { type: 'string', format: 'uuid', readOnly: true },
          attributes: ref('ContainerAttributes'),
          relationships: { type: 'object', readOnly: true, properties: { owner: { type: 'object', required: ['data'], properties: { data: ref('UserIdentifier') } } } },
          links: { type: 'object', readOnly: true, properties: { self: { type: 'string' } } },
        },
      },
      ContainerDocument: { type: 'object', required: ['data'], properties: { data: ref('ContainerResource') } },
      ContainerUpdateDocument: {
        type: 'object', required: ['data'],
        properties: {
          data: {
            type: 'object', required: ['type', 'attributes'],
            properties: {
              type: { type: 'string', const: 'containers' },
              id: { type: 'string', format: 'uuid', description: 'When sent, must be the path\'s id (else 409).' },
              attributes: {
                type: 'object', additionalProperties: false, minProperties: 1,
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 60 },
                  temperatureC: { type: 'number', minimum: -196, maximum: 25 },
                  capacity: { type: 'integer', minimum: 1, maximum: 100 },
                  sampleCount: { type: 'integer', readOnly: true },
                  createdAt: { type: 'string', format: 'date-time', readOnly: true },
                },
              },
            },
          },
        },
      },
      ContainerList: {
        type: 'object', required: ['data', 'links', 'meta'],
        properties: { data: { type: 'array', items: ref('ContainerResource') }, links: ref('Links'), meta: ref('PageMeta') },
      },

      SettingsDocument: {
        type: 'object', required: ['data'],
        properties: {
          data: {
            type: 'object', required: ['type', 'attributes'],
            properties: {
              type: { type: 'string', const: 'settings' },
              id: { type: 'string', readOnly: true },
              attributes: {
                type: 'object', required: ['labName', 'retentionDays', 'notifyEmail'], additionalProperties: false,
                properties: {
                  labName: { type: 'string', minLength: 1, maxLength: 80, examples: ['North wing biobank'] },
                  retentionDays: { type: 'integer', minimum: 30, maximum: 3650, examples: [365] },
                  notifyEmail: { type: 'string', format: 'email', examples: ['lab-admin@lab.example'] },
                },
              },
            },
          },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Specimen Tracker: generated by `node spec.mjs` from spec.mjs (edit that file).');
