// The Telemetry API as a Swagger 2.0 object (`node spec.mjs` rewrites swagger.yaml), and its
// conversion to the OpenAPI-3-shaped object blind-common's router and validator read.
import fs from 'node:fs';
import { toYaml, clone } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/definitions/${n}` });
const uuidPath = (name, what) => ({ name, in: 'path', required: true, type: 'string', format: 'uuid', description: `The ${what}'s id.` });
const offset = { name: 'offset', in: 'query', type: 'integer', minimum: 0, default: 0, description: 'Items to skip.' };
const limit = (max, def) => ({ name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: max, default: def, description: `Page size (at most ${max}).` });
const body = (schema, description) => ({ name: 'body', in: 'body', required: true, description, schema });
const e = (description) => ({ description, schema: ref('Error') });
const locationHeader = { Location: { type: 'string', description: 'Path of the resource (under the base path).' } };
const E = {
  400: e('The input is invalid (parameters or body); `details` names each field.'),
  401: { description: 'Missing or wrong credentials.', headers: { 'WWW-Authenticate': { type: 'string' } }, schema: ref('Error') },
  403: e('The caller is a viewer: only operators may change data.'),
  404: e('No such item in the caller\'s organization.'),
  409: e('Conflict (a device with this serial number exists in the organization).'),
  415: e('The body is not JSON.'),
  422: e('A referenced site does not exist in the caller\'s organization.'),
};
const pick = (...codes) => Object.fromEntries(codes.map((c) => [String(c), E[c]]));
const W = { 'x-sentinel-privileged': true };

const ts = (d) => ({ type: 'string', format: 'date-time', readOnly: true, description: d });
const idProp = { type: 'string', format: 'uuid', readOnly: true };
const page = (item) => ({
  type: 'object',
  required: ['items', 'total', 'offset', 'limit'],
  properties: {
    items: { type: 'array', items: ref(item) },
    total: { type: 'integer', minimum: 0, description: 'Items matching the filters, over all pages.' },
    offset: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 1 },
  },
});
const METRICS = ['temperature', 'humidity', 'pressure', 'battery'];
const MODELS = ['TH-100', 'TH-200', 'PX-9'];

export const swagger = {
  swagger: '2.0',
  info: {
    title: 'Telemetry API',
    version: '2.4.0',
    description:
      'IoT device telemetry: sites, devices, sensor readings, firmware rollouts and alert rules. ' +
      'Every resource belongs to the organization of the user that created it; another organization\'s ' +
      'items answer 404. Users are operators (read and write) or viewers (read only: writes answer 403). ' +
      'Authentication is HTTP Basic. Lists page with offset/limit and report `total`.',
  },
  basePath: '/api/v2',
  schemes: ['http'],
  consumes: ['application/json'],
  produces: ['application/json'],
  securityDefinitions: { basicAuth: { type: 'basic', description: 'username:password of an operator or a viewer' } },
  security: [{ basicAuth: [] }],
  tags: [{ name: 'account' }, { name: 'sites' }, { name: 'devices' }, { name: 'readings' }, { name: 'rollouts' }, { name: 'alerts' }],
  paths: {
    '/me': {
      get: { operationId: 'getMe', tags: ['account'], summary: 'The caller', responses: { 200: { description: 'The caller', schema: ref('Me') }, ...pick(401) } },
    },
    '/sites': {
      get: {
        operationId: 'listSites', tags: ['sites'], summary: 'List sites',
        parameters: [{ name: 'q', in: 'query', type: 'string', maxLength: 100, description: 'Case-insensitive part of the name.' }, offset, limit(100, 20)],
        responses: { 200: { description: 'A page of sites', schema: ref('SitePage') }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createSite', tags: ['sites'], summary: 'Create a site', ...W,
        parameters: [body(ref('Site'), 'The site')],
        responses: { 201: { description: 'Created', headers: locationHeader, schema: ref('Site') }, ...pick(400, 401, 403, 415) },
      },
    },
    '/sites/{siteId}': {
      get: {
        operationId: 'getSite', tags: ['sites'], summary: 'Read a site', parameters: [uuidPath('siteId', 'site')],
        responses: { 200: { description: 'The site', schema: ref('Site') }, ...pick(400, 401, 404) },
      },
      put: {
        operationId: 'putSite', tags: ['sites'], summary: 'Create or replace a site (upsert)', ...W,
        description: 'Creates the site under the given id (201) or replaces the whole site (200). Optional fields left out are cleared.',
        parameters: [uuidPath('siteId', 'site'), body(ref('Site'), 'The site')],
        responses: {
          200: { description: 'Replaced', schema: ref('Site') },
          201: { description: 'Created', headers: locationHeader, schema: ref('Site') },
          ...pick(400, 401, 403, 404, 415),
        },
      },
      delete: {
        operationId: 'deleteSite', tags: ['sites'], summary: 'Delete a site with its devices and their readings', ...W,
        parameters: [uuidPath('siteId', 'site')],
        responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404) },
      },
    },
    '/devices': {
      get: {
        operationId: 'listDevices', tags: ['devices'], summary: 'List devices',
        parameters: [
          { name: 'siteId', in: 'query', type: 'string', format: 'uuid', description: 'Only the devices of this site.' },
          { name: 'status', in: 'query', type: 'string', enum: ['active', 'inactive', 'maintenance'] },
          { name: 'q', in: 'query', type: 'string', maxLength: 100, description: 'Case-insensitive part of the name or serial number.' },
          offset, limit(100, 20),
        ],
        responses: { 200: { description: 'A page of devices', schema: ref('DevicePage') }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createDevice', tags: ['devices'], summary: 'Register a device', ...W,
        parameters: [body(ref('NewDevice'), 'The device')],
        responses: { 201: { description: 'Created', headers: locationHeader, schema: ref('Device') }, ...pick(400, 401, 403, 409, 415, 422) },
      },
    },
    '/devices/bulk': {
      post: {
        operationId: 'bulkCreateDevices', tags: ['devices'], summary: 'Register up to 50 devices at once (all or none)', ...W,
        parameters: [body({ type: 'array', minItems: 1, maxItems: 50, items: ref('NewDevice') }, 'The devices')],
        responses: { 201: { description: 'All created', schema: ref('BulkResult') }, ...pick(400, 401, 403, 409, 415, 422) },
      },
    },
    '/devices/{deviceId}': {
      get: {
        operationId: 'getDevice', tags: ['devices'], summary: 'Read a device', parameters: [uuidPath('deviceId', 'device')],
        responses: { 200: { description: 'The device', schema: ref('Device') }, ...pick(400, 401, 404) },
      },
      put: {
        operationId: 'putDevice', tags: ['devices'], summary: 'Create or replace a device (upsert)', ...W,
        description: 'Creates the device under the given id (201) or replaces it (200). The shared secret is kept when left out.',
        parameters: [uuidPath('deviceId', 'device'), body(ref('NewDevice'), 'The device')],
        responses: {
          200: { description: 'Replaced', schema: ref('Device') },
          201: { description: 'Created', headers: locationHeader, schema: ref('Device') },
          ...pick(400, 401, 403, 404, 409, 415, 422),
        },
      },
      delete: {
        operationId: 'deleteDevice', tags: ['devices'], summary: 'Delete a device and its readings', ...W,
        parameters: [uuidPath('deviceId', 'device')],
        responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404) },
      },
    },
    '/devices/{deviceId}/readings': {
      get: {
        operationId: 'listReadings', tags: ['readings'], summary: 'Readings of a device, newest first',
        parameters: [
          uuidPath('deviceId', 'device'),
          { name: 'metric', in: 'query', type: 'string', enum: METRICS },
          { name: 'from', in: 'query', type: 'string', format: 'date-time', description: 'Only readings recorded at or after this instant.' },
          { name: 'to', in: 'query', type: 'string', format: 'date-time', description: 'Only readings recorded before this instant.' },
          offset, limit(500, 100),
        ],
        responses: { 200: { description: 'A page of readings', schema: ref('ReadingPage') }, ...pick(400, 401, 404) },
      },
      post: {
        operationId: 'createReading', tags: ['readings'], summary: 'Record a reading', ...W,
        parameters: [uuidPath('deviceId', 'device'), body(ref('Reading'), 'The reading')],
        responses: { 201: { description: 'Recorded', schema: ref('Reading') }, ...pick(400, 401, 403, 404, 415) },
      },
    },
    '/rollouts': {
      post: {
        operationId: 'createRollout', tags: ['rollouts'], summary: 'Start a firmware rollout (asynchronous)', ...W,
        description: 'Queues a rollout of the firmware to every device of the model (of the site, when given) and answers 202 with the job; poll the Location until `status` is `succeeded` or `failed`.',
        parameters: [body(ref('Rollout'), 'The rollout')],
        responses: { 202: { description: 'Accepted: the job', headers: locationHeader, schema: ref('Rollout') }, ...pick(400, 401, 403, 415, 422) },
      },
    },
    '/rollouts/{rolloutId}': {
      get: {
        operationId: 'getRollout', tags: ['rollouts'], summary: 'Status of a rollout', parameters: [uuidPath('rolloutId', 'rollout')],
        responses: { 200: { description: 'The job', schema: ref('Rollout') }, ...pick(400, 401, 404) },
      },
    },
    '/alert-rules': {
      get: {
        operationId: 'listAlertRules', tags: ['alerts'], summary: 'List alert rules',
        parameters: [{ name: 'enabled', in: 'query', type: 'boolean' }, { name: 'metric', in: 'query', type: 'string', enum: METRICS }, offset, limit(100, 20)],
        responses: { 200: { description: 'A page of rules', schema: ref('AlertRulePage') }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createAlertRule', tags: ['alerts'], summary: 'Create an alert rule', ...W,
        parameters: [body(ref('AlertRule'), 'The rule')],
        responses: { 201: { description: 'Created', headers: locationHeader, schema: ref('AlertRule') }, ...pick(400, 401, 403, 415, 422) },
      },
    },
    '/alert-rules/{ruleId}': {
      get: {
        operationId: 'getAlertRule', tags: ['alerts'], summary: 'Read an alert rule', parameters: [uuidPath('ruleId', 'rule')],
        responses: { 200: { description: 'The rule', schema: ref('AlertRule') }, ...pick(400, 401, 404) },
      },
      put: {
        operationId: 'putAlertRule', tags: ['alerts'], summary: 'Create or replace an alert rule (upsert)', ...W,
        parameters: [uuidPath('ruleId', 'rule'), body(ref('AlertRule'), 'The rule')],
        responses: {
          200: { description: 'Replaced', schema: ref('AlertRule') },
          201: { description: 'Created', headers: locationHeader, schema: ref('AlertRule') },
          ...pick(400, 401, 403, 404, 415, 422),
        },
      },
      delete: {
        operationId: 'deleteAlertRule', tags: ['alerts'], summary: 'Delete an alert rule', ...W,
        parameters: [uuidPath('ruleId', 'rule')],
        responses: { 204: { description: 'Deleted' }, ...pick(400, 401, 403, 404) },
      },
    },
  },
  definitions: {
    Error: {
      type: 'object', required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Machine-readable error code.' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    Me: {
      type: 'object', required: ['username', 'role', 'orgId'],
      properties: { username: { type: 'string' }, role: { type: 'string', enum: ['operator', 'viewer'] }, orgId: { type: 'string' } },
    },
    Site: {
      type: 'object', required: ['name', 'timezone'],
      properties: {
        id: idProp,
        orgId: { type: 'string', readOnly: true, description: 'The owning organization.' },
        name: { type: 'string', minLength: 1, maxLength: 80, example: 'Harbor warehouse' },
        timezone: { type: 'string', maxLength: 64, pattern: '^(UTC|[A-Z][A-Za-z_]+/[A-Za-z_]+)$', example: 'Europe/Berlin' },
        address: { type: 'string', maxLength: 200 },
        createdAt: ts('When the site was created.'),
        updatedAt: ts('When the site last changed.'),
      },
    },
    SitePage: page('Site'),
    Device: {
      type: 'object', required: ['siteId', 'name', 'serialNumber', 'model'],
      properties: {
        id: idProp,
        siteId: { type: 'string', format: 'uuid' },
        name: { type: 'string', minLength: 1, maxLength: 64, example: 'Cold room sensor 1' },
        serialNumber: { type: 'string', pattern: '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$', description: 'Unique in the organization.', example: 'TH10-2024-A001' },
        model: { type: 'string', enum: MODELS },
        status: { type: 'string', enum: ['active', 'inactive', 'maintenance'], default: 'active' },
        tags: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 32 } },
        firmwareVersion: { type: 'string', readOnly: true, pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'Set by firmware rollouts only.' },
        lastSeenAt: ts('When the device last sent a reading (absent before the first).'),
        createdAt: ts('When the device was registered.'),
        updatedAt: ts('When the device last changed.'),
      },
    },
    NewDevice: {
      allOf: [
        ref('Device'),
        {
          type: 'object',
          properties: { sharedSecret: { type: 'string', minLength: 16, maxLength: 64, description: 'HMAC key the device signs its uplinks with. Stored, never returned.' } },
        },
      ],
    },
    DevicePage: page('Device'),
    BulkResult: {
      type: 'object', required: ['created', 'count'],
      properties: { created: { type: 'array', items: ref('Device') }, count: { type: 'integer', minimum: 1 } },
    },
    Reading: {
      type: 'object', required: ['metric', 'value'],
      properties: {
        id: idProp,
        deviceId: { type: 'string', format: 'uuid', readOnly: true },
        metric: { type: 'string', enum: METRICS },
        value: { type: 'number', minimum: -1000, maximum: 100000 },
        unit: { type: 'string', maxLength: 16, example: 'degC' },
        recordedAt: { type: 'string', format: 'date-time', description: 'When it was measured; default: when it was received.' },
      },
    },
    ReadingPage: page('Reading'),
    Rollout: {
      type: 'object', required: ['firmwareVersion', 'model'],
      properties: {
        id: idProp,
        firmwareVersion: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', example: '2.1.0' },
        model: { type: 'string', enum: MODELS },
        siteId: { type: 'string', format: 'uuid', description: 'Only the devices of this site.' },
        notes: { type: 'string', maxLength: 500 },
        status: { type: 'string', readOnly: true, enum: ['queued', 'running', 'succeeded', 'failed'] },
        progress: { type: 'integer', readOnly: true, minimum: 0, maximum: 100 },
        targetCount: { type: 'integer', readOnly: true, minimum: 0, description: 'Devices the rollout updates.' },
        createdAt: ts('When the rollout was queued.'),
        completedAt: ts('When it finished (absent before).'),
      },
    },
    AlertRule: {
      type: 'object', required: ['name', 'metric', 'comparison', 'threshold'],
      properties: {
        id: idProp,
        name: { type: 'string', minLength: 1, maxLength: 80, example: 'Cold room too warm' },
        metric: { type: 'string', enum: METRICS },
        comparison: { type: 'string', enum: ['gt', 'gte', 'lt', 'lte'] },
        threshold: { type: 'number', example: 8 },
        severity: { type: 'string', enum: ['info', 'warning', 'critical'], default: 'warning' },
        enabled: { type: 'boolean', default: true },
        siteId: { type: 'string', format: 'uuid', description: 'Only readings of this site\'s devices.' },
        createdAt: ts('When the rule was created.'),
        updatedAt: ts('When the rule last changed.'),
      },
    },
    AlertRulePage: page('AlertRule'),
  },
};

/** Swagger 2.0 -> the OpenAPI-3 shape blind-common's router reads (definitions stay where they are). */
export function toRouterSpec(sw) {
  const out = { servers: [{ url: sw.basePath }], security: sw.security, definitions: clone(sw.definitions), paths: {} };
  const schemaKeys = ['type', 'format', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'default', 'items'];
  for (const [p, item] of Object.entries(sw.paths)) {
    out.paths[p] = {};
    for (const [m, op] of Object.entries(item)) {
      const o = { ...clone(op), parameters: [], responses: {} };
      for (const prm of op.parameters || []) {
        if (prm.in === 'body') {
          o.requestBody = { required: !!prm.required, content: Object.fromEntries((op.consumes || sw.consumes).map((c) => [c, { schema: clone(prm.schema) }])) };
        } else {
          const schema = Object.fromEntries(schemaKeys.filter((k) => k in prm).map((k) => [k, clone(prm[k])]));
          o.parameters.push({ name: prm.name, in: prm.in, required: !!prm.required, schema });
        }
      }
      for (const [code, r] of Object.entries(op.responses)) {
        o.responses[code] = {
          description: r.description,
          ...(r.headers ? { headers: clone(r.headers) } : {}),
          ...(r.schema ? { content: Object.fromEntries((op.produces || sw.produces).map((c) => [c, { schema: clone(r.schema) }])) } : {}),
        };
      }
      out.paths[p][m] = o;
    }
  }
  return out;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  fs.writeFileSync(new URL('./swagger.yaml', import.meta.url),
    `# Generated by spec.mjs (node examples/blind-telemetry/spec.mjs). Telemetry API, Swagger 2.0.\n${toYaml(swagger)}\n`);
}
