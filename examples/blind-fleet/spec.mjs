// Fleetdesk: the hand-written OpenAPI 3.0.3 description of a vehicle-fleet maintenance API.
// `node spec.mjs` rewrites openapi.yaml from this object.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const resp = (n) => ({ $ref: `#/components/responses/${n}` });
const param = (n) => ({ $ref: `#/components/parameters/${n}` });
const sec = (...scopes) => [{ oauth2: scopes }];
const hal = (schema) => ({ 'application/hal+json': { schema } });
const errors = (...codes) => Object.fromEntries(codes.map((c) => [String(c), resp({ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 415: 'UnsupportedMediaType', 422: 'Unprocessable' }[c])]));
const listHeaders = { Link: { $ref: '#/components/headers/Link' } };

const description = `Fleetdesk keeps a company's vehicles, their maintenance history and their documents.

**Authentication.** OAuth2 client credentials: \`POST /oauth/token\` with a form-encoded body
\`grant_type=client_credentials&client_id=…&client_secret=…\` (and optionally \`scope\`, a
space-separated subset of the client's scopes) returns a bearer token valid for 900 seconds.
Send it as \`Authorization: Bearer <token>\`. Each operation lists the scope it needs; a token
without it gets 403, a missing, unknown or expired token 401.

**Sandbox clients** (exist in every sandbox, secrets are sandbox-only):

| client_id | client_secret | tenant | scopes |
| --- | --- | --- | --- |
| \`northwind-dispatch\` | \`sandbox-northwind-7Qe2\` | Northwind Haulage | fleet:read fleet:write fleet:admin |
| \`bluebay-dispatch\` | \`sandbox-bluebay-4Kd9\` | Bluebay Couriers | fleet:read fleet:write |
| \`northwind-auditor\` | \`sandbox-auditor-2Vx5\` | Northwind Haulage | fleet:read |

**Tenancy.** Every client belongs to one tenant and sees only that tenant's depots, vehicles,
maintenance records, documents and jobs; another tenant's item answers 404 as if it did not
exist. The auditor is read-only: it may read everything of Northwind and change nothing.

**Representations** are HAL (\`application/hal+json\`): \`_links\` on every resource, lists in
\`_embedded\` with a \`page\` object and the same links in a \`Link\` header. Errors are
\`application/problem+json\` (RFC 9457) naming each invalid field.

**Rules beyond the schemas.** A vehicle's \`vin\` is unique within its tenant (409). Its
\`odometerKm\` never decreases: an update with a lower value is refused with 422 (the same
value is fine). \`depotId\` must name a depot of the caller's tenant (422). A
report's \`from\` must not be after its \`to\` (422). Deleting a vehicle deletes its maintenance
records and documents.`;

const spec = {
  openapi: '3.0.3',
  info: { title: 'Fleetdesk', version: '2.4.0', description },
  servers: [{ url: '/' }],
  tags: [
    { name: 'auth' }, { name: 'depots' }, { name: 'vehicles' }, { name: 'maintenance' }, { name: 'documents' }, { name: 'reports' },
  ],
  paths: {
    '/oauth/token': {
      post: {
        operationId: 'issueToken',
        tags: ['auth'],
        summary: 'Exchange client credentials for an access token',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['grant_type', 'client_id', 'client_secret'],
                properties: {
                  grant_type: { type: 'string', enum: ['client_credentials'] },
                  client_id: { type: 'string', minLength: 1, maxLength: 64, example: 'northwind-dispatch' },
                  client_secret: { type: 'string', minLength: 1, maxLength: 128, format: 'password', example: 'sandbox-northwind-7Qe2' },
                  scope: { type: 'string', maxLength: 200, description: 'space-separated subset of the client scopes; default: all of them', example: 'fleet:read' },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'A bearer token',
            headers: { 'Cache-Control': { required: true, schema: { type: 'string', enum: ['no-store'] } } },
            content: { 'application/json': { schema: ref('TokenResponse') } },
          },
          400: { description: 'invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 §5.2)', content: { 'application/json': { schema: ref('OAuthError') } } },
          401: { description: 'invalid_client', content: { 'application/json': { schema: ref('OAuthError') } } },
          415: { description: 'Not form-encoded', content: { 'application/json': { schema: ref('OAuthError') } } },
        },
      },
    },
    '/me': {
      get: {
        operationId: 'getCurrentClient',
        tags: ['auth'],
        summary: 'The client the token was issued to',
        security: sec(),
        responses: { 200: { description: 'The calling client', content: hal(ref('Client')) }, ...errors(401) },
      },
    },
    '/depots': {
      get: {
        operationId: 'listDepots',
        tags: ['depots'],
        summary: "The tenant's depots",
        security: sec('fleet:read'),
        parameters: [param('page'), param('size')],
        responses: { 200: { description: 'A page of depots', headers: listHeaders, content: hal(ref('DepotPage')) }, ...errors(400, 401, 403) },
      },
    },
    '/depots/{depotId}': {
      parameters: [{ name: 'depotId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        operationId: 'getDepot',
        tags: ['depots'],
        security: sec('fleet:read'),
        responses: { 200: { description: 'A depot', content: hal(ref('Depot')) }, ...errors(400, 401, 403, 404) },
      },
    },
    '/vehicles': {
      get: {
        operationId: 'listVehicles',
        tags: ['vehicles'],
        summary: 'Search vehicles',
        security: sec('fleet:read'),
        parameters: [
          { name: 'q', in: 'query', description: 'free text matched (case-insensitive substring) against make, model and plate', schema: { type: 'string', minLength: 1, maxLength: 50 } },
          { name: 'status', in: 'query', schema: ref('VehicleStatus') },
          { name: 'fuelType', in: 'query', schema: ref('FuelType') },
          { name: 'depotId', in: 'query', schema: { type: 'integer', minimum: 1 } },
          { name: 'sort', in: 'query', description: 'order; a leading `-` sorts descending', schema: { type: 'string', enum: ['id', '-id', 'year', '-year', 'make', '-make', 'odometerKm', '-odometerKm'], default: 'id' } },
          param('page'), param('size'),
        ],
        responses: { 200: { description: 'A page of vehicles', headers: listHeaders, content: hal(ref('VehiclePage')) }, ...errors(400, 401, 403) },
      },
      post: {
        operationId: 'createVehicle',
        tags: ['vehicles'],
        summary: 'Register a vehicle',
        security: sec('fleet:write'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('VehicleInput') } } },
        responses: {
          201: { description: 'Registered', headers: { Location: { $ref: '#/components/headers/Location' } }, content: hal(ref('Vehicle')) },
          ...errors(400, 401, 403, 409, 415, 422),
        },
      },
    },
    '/vehicles/{vehicleId}': {
      parameters: [param('vehicleId')],
      get: {
        operationId: 'getVehicle',
        tags: ['vehicles'],
        security: sec('fleet:read'),
        responses: { 200: { description: 'A vehicle', content: hal(ref('Vehicle')) }, ...errors(400, 401, 403, 404) },
      },
      patch: {
        operationId: 'updateVehicle',
        tags: ['vehicles'],
        summary: 'Change a vehicle (JSON merge patch, RFC 7396: null removes a nullable field)',
        security: sec('fleet:write'),
        requestBody: { required: true, content: { 'application/merge-patch+json': { schema: ref('VehiclePatch') } } },
        responses: { 200: { description: 'The changed vehicle', content: hal(ref('Vehicle')) }, ...errors(400, 401, 403, 404, 409, 415, 422) },
      },
      delete: {
        operationId: 'deleteVehicle',
        tags: ['vehicles'],
        summary: 'Decommission a vehicle with its records and documents (needs fleet:admin)',
        security: sec('fleet:admin'),
        responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404) },
      },
    },
    '/vehicles/{vehicleId}/maintenance': {
      parameters: [param('vehicleId')],
      get: {
        operationId: 'listMaintenanceRecords',
        tags: ['maintenance'],
        summary: "A vehicle's maintenance history, newest first",
        security: sec('fleet:read'),
        parameters: [{ name: 'type', in: 'query', schema: ref('MaintenanceType') }, param('page'), param('size')],
        responses: { 200: { description: 'A page of records', headers: listHeaders, content: hal(ref('MaintenancePage')) }, ...errors(400, 401, 403, 404) },
      },
      post: {
        operationId: 'createMaintenanceRecord',
        tags: ['maintenance'],
        security: sec('fleet:write'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('MaintenanceInput') } } },
        responses: {
          201: { description: 'Recorded', headers: { Location: { $ref: '#/components/headers/Location' } }, content: hal(ref('MaintenanceRecord')) },
          ...errors(400, 401, 403, 404, 415),
        },
      },
    },
    '/vehicles/{vehicleId}/maintenance/{recordId}': {
      parameters: [param('vehicleId'), { name: 'recordId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        operationId: 'getMaintenanceRecord',
        tags: ['maintenance'],
        security: sec('fleet:read'),
        responses: { 200: { description: 'A record', content: hal(ref('MaintenanceRecord')) }, ...errors(400, 401, 403, 404) },
      },
      put: {
        operationId: 'replaceMaintenanceRecord',
        tags: ['maintenance'],
        summary: 'Replace a record (optional fields left out are cleared)',
        security: sec('fleet:write'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('MaintenanceInput') } } },
        responses: { 200: { description: 'The replaced record', content: hal(ref('MaintenanceRecord')) }, ...errors(400, 401, 403, 404, 415) },
      },
      delete: {
        operationId: 'deleteMaintenanceRecord',
        tags: ['maintenance'],
        security: sec('fleet:write'),
        responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404) },
      },
    },
    '/vehicles/{vehicleId}/documents': {
      parameters: [param('vehicleId')],
      get: {
        operationId: 'listVehicleDocuments',
        tags: ['documents'],
        security: sec('fleet:read'),
        parameters: [{ name: 'kind', in: 'query', schema: ref('DocumentKind') }, param('page'), param('size')],
        responses: { 200: { description: 'A page of documents', headers: listHeaders, content: hal(ref('DocumentPage')) }, ...errors(400, 401, 403, 404) },
      },
      post: {
        operationId: 'uploadVehicleDocument',
        tags: ['documents'],
        summary: 'Upload a document (at most 1 MiB)',
        security: sec('fleet:write'),
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file', 'kind'],
                properties: {
                  file: { type: 'string', format: 'binary' },
                  kind: ref('DocumentKind'),
                  title: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9 ._()-]+$', example: 'Insurance certificate 2026' },
                  expiresOn: { type: 'string', format: 'date', example: '2027-03-31' },
                },
              },
              encoding: { file: { contentType: 'application/pdf, image/png, image/jpeg, text/plain, application/octet-stream' } },
            },
          },
        },
        responses: {
          201: { description: 'Stored', headers: { Location: { $ref: '#/components/headers/Location' } }, content: hal(ref('Document')) },
          ...errors(400, 401, 403, 404, 415),
        },
      },
    },
    '/vehicles/{vehicleId}/documents/{documentId}': {
      parameters: [param('vehicleId'), { name: 'documentId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        operationId: 'getVehicleDocument',
        tags: ['documents'],
        summary: "A document's metadata",
        security: sec('fleet:read'),
        responses: { 200: { description: 'A document', content: hal(ref('Document')) }, ...errors(400, 401, 403, 404) },
      },
    },
    '/reports/utilization': {
      post: {
        operationId: 'requestUtilizationReport',
        tags: ['reports'],
        summary: 'Start a utilization report; poll the job its Location names',
        security: sec('fleet:read'),
        requestBody: { required: true, content: { 'application/json': { schema: ref('UtilizationRequest') } } },
        responses: {
          202: {
            description: 'Accepted; the job runs in the background',
            headers: { Location: { $ref: '#/components/headers/Location' }, 'Retry-After': { required: false, schema: { type: 'integer', minimum: 0 } } },
            content: hal(ref('Job')),
          },
          ...errors(400, 401, 403, 415, 422),
        },
      },
    },
    '/jobs/{jobId}': {
      parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        operationId: 'getJob',
        tags: ['reports'],
        summary: 'Poll a background job (queued → running → succeeded)',
        security: sec('fleet:read'),
        responses: { 200: { description: 'The job', content: hal(ref('Job')) }, ...errors(400, 401, 403, 404) },
      },
    },
  },
  components: {
    securitySchemes: {
      oauth2: {
        type: 'oauth2',
        description: 'Client credentials; see the sandbox clients in the description.',
        flows: {
          clientCredentials: {
            tokenUrl: '/oauth/token',
            scopes: { 'fleet:read': 'read depots, vehicles, records, documents, jobs; request reports', 'fleet:write': 'create and change vehicles, records and documents', 'fleet:admin': 'delete vehicles' },
          },
        },
      },
    },
    headers: {
      Location: { required: true, description: 'URL of the created resource or job', schema: { type: 'string' } },
      Link: { required: true, description: 'RFC 8288 links of the page: self, first, last, and prev/next when they exist', schema: { type: 'string' } },
    },
    parameters: {
      vehicleId: { name: 'vehicleId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
      page: { name: 'page', in: 'query', description: '1-based page number', schema: { type: 'integer', minimum: 1, default: 1 } },
      size: { name: 'size', in: 'query', description: 'items per page', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    },
    responses: {
      BadRequest: { description: 'Invalid parameters or body', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Unauthorized: {
        description: 'Missing, unknown or expired token',
        headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
      Forbidden: { description: 'The token lacks the scope the operation needs', content: { 'application/problem+json': { schema: ref('Problem') } } },
      NotFound: { description: 'No such item for this tenant', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Conflict: { description: 'Conflicts with the current state (duplicate VIN)', content: { 'application/problem+json': { schema: ref('Problem') } } },
      UnsupportedMediaType: { description: 'Wrong Content-Type', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Unprocessable: { description: 'Valid shape, broken business rule', content: { 'application/problem+json': { schema: ref('Problem') } } },
    },
    schemas: {
      Link: { type: 'object', required: ['href'], properties: { href: { type: 'string' }, templated: { type: 'boolean' } } },
      Links: { type: 'object', required: ['self'], properties: { self: ref('Link') }, additionalProperties: ref('Link') },
      PageInfo: {
        type: 'object',
        required: ['number', 'size', 'totalElements', 'totalPages'],
        properties: { number: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: 100 }, totalElements: { type: 'integer', minimum: 0 }, totalPages: { type: 'integer', minimum: 0 } },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer', minimum: 400, maximum: 599 },
          detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', required: ['in', 'name', 'message'], properties: { in: { type: 'string', enum: ['body', 'query', 'path', 'header'] }, name: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      OAuthError: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'] }, error_description: { type: 'string' } },
      },
      TokenResponse: {
        type: 'object',
        required: ['access_token', 'token_type', 'expires_in', 'scope'],
        properties: {
          access_token: { type: 'string' },
          token_type: { type: 'string', enum: ['Bearer'] },
          expires_in: { type: 'integer', minimum: 1 },
          scope: { type: 'string' },
        },
      },
      Client: {
        type: 'object',
        required: ['clientId', 'tenant', 'scopes', '_links'],
        properties: {
          clientId: { type: 'string' },
          tenant: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } },
          scopes: { type: 'array', items: { type: 'string', enum: ['fleet:read', 'fleet:write', 'fleet:admin'] } },
          _links: ref('Links'),
        },
      },
      Depot: {
        type: 'object',
        required: ['id', 'name', 'city', 'capacity', '_links'],
        properties: {
          id: { type: 'integer', readOnly: true },
          name: { type: 'string' },
          city: { type: 'string' },
          capacity: { type: 'integer', minimum: 1 },
          _links: ref('Links'),
        },
      },
      DepotPage: {
        type: 'object',
        required: ['_links', '_embedded', 'page'],
        properties: { _links: ref('Links'), _embedded: { type: 'object', required: ['depots'], properties: { depots: { type: 'array', items: ref('Depot') } } }, page: ref('PageInfo') },
      },
      VehicleStatus: { type: 'string', enum: ['active', 'in_workshop', 'retired'] },
      FuelType: { type: 'string', enum: ['diesel', 'petrol', 'electric', 'hybrid', 'hydrogen'] },
      VehicleInput: {
        type: 'object',
        required: ['vin', 'plate', 'make', 'model', 'year', 'fuelType'],
        additionalProperties: false,
        properties: {
          vin: { type: 'string', pattern: '^[A-HJ-NPR-Z0-9]{17}$', description: 'ISO 3779 vehicle identification number (no I, O or Q); unique within the tenant', example: 'WDB9066331S123456' },
          plate: { type: 'string', pattern: '^[A-Z0-9-]{2,10}$', example: 'NW26-AXF' },
          make: { type: 'string', minLength: 1, maxLength: 40, example: 'Mercedes-Benz' },
          model: { type: 'string', minLength: 1, maxLength: 40, example: 'Sprinter 316' },
          year: { type: 'integer', minimum: 1990, maximum: 2027, example: 2022 },
          fuelType: ref('FuelType'),
          status: { allOf: [ref('VehicleStatus')], default: 'active' },
          odometerKm: { type: 'integer', minimum: 0, maximum: 2000000, default: 0, example: 48210 },
          depotId: { type: 'integer', minimum: 1, nullable: true, description: 'a depot of the caller tenant (422 otherwise); null or absent: unassigned', example: 1 },
          purchasedOn: { type: 'string', format: 'date', example: '2022-05-14' },
          nickname: { type: 'string', minLength: 1, maxLength: 40, nullable: true, example: 'Big Blue' },
          telematicsKey: { type: 'string', writeOnly: true, minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9]+$', description: 'the shared key of the on-board unit; stored, never returned', example: 'tk9F3kQ7mZ2pL8sX4vB1' },
          lastServiceOn: { type: 'string', format: 'date', readOnly: true, nullable: true },
        },
      },
      VehiclePatch: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          plate: { type: 'string', pattern: '^[A-Z0-9-]{2,10}$' },
          status: ref('VehicleStatus'),
          odometerKm: { type: 'integer', minimum: 0, maximum: 2000000, description: 'may not decrease (422); the same value is accepted' },
          depotId: { type: 'integer', minimum: 1, nullable: true },
          nickname: { type: 'string', minLength: 1, maxLength: 40, nullable: true },
          telematicsKey: { type: 'string', writeOnly: true, minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9]+$' },
        },
      },
      Vehicle: {
        type: 'object',
        required: ['id', 'vin', 'plate', 'make', 'model', 'year', 'fuelType', 'status', 'odometerKm', 'depotId', 'purchasedOn', 'nickname', 'lastServiceOn', 'createdAt', '_links'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer', readOnly: true },
          vin: { type: 'string', pattern: '^[A-HJ-NPR-Z0-9]{17}$' },
          plate: { type: 'string' },
          make: { type: 'string' },
          model: { type: 'string' },
          year: { type: 'integer', minimum: 1990, maximum: 2027 },
          fuelType: ref('FuelType'),
          status: ref('VehicleStatus'),
          odometerKm: { type: 'integer', minimum: 0, maximum: 2000000 },
          depotId: { type: 'integer', nullable: true },
          purchasedOn: { type: 'string', format: 'date', nullable: true },
          nickname: { type: 'string', nullable: true },
          lastServiceOn: { type: 'string', format: 'date', readOnly: true, nullable: true, description: 'the latest performedOn of its maintenance records' },
          telematicsKey: { type: 'string', writeOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          _links: ref('Links'),
        },
      },
      VehiclePage: {
        type: 'object',
        required: ['_links', '_embedded', 'page'],
        properties: { _links: ref('Links'), _embedded: { type: 'object', required: ['vehicles'], properties: { vehicles: { type: 'array', items: ref('Vehicle') } } }, page: ref('PageInfo') },
      },
      MaintenanceType: { type: 'string', enum: ['oil_change', 'tyres', 'brakes', 'inspection', 'battery', 'repair'] },
      MaintenanceInput: {
        type: 'object',
        required: ['type', 'performedOn', 'odometerKm', 'costEur'],
        additionalProperties: false,
        properties: {
          type: ref('MaintenanceType'),
          performedOn: { type: 'string', format: 'date', example: '2026-11-02' },
          odometerKm: { type: 'integer', minimum: 0, maximum: 2000000, example: 51000 },
          costEur: { type: 'number', minimum: 0, maximum: 100000, exclusiveMaximum: true, description: 'euros, at most two decimals', example: 189.9 },
          technician: { type: 'string', minLength: 1, maxLength: 60, example: 'R. Okafor' },
          notes: { type: 'string', maxLength: 500, nullable: true, example: 'Front pads replaced' },
          nextDueOn: { type: 'string', format: 'date', nullable: true, example: '2027-05-02' },
        },
      },
      MaintenanceRecord: {
        type: 'object',
        required: ['id', 'vehicleId', 'type', 'performedOn', 'odometerKm', 'costEur', 'technician', 'notes', 'nextDueOn', 'createdAt', '_links'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer', readOnly: true },
          vehicleId: { type: 'integer', readOnly: true },
          type: ref('MaintenanceType'),
          performedOn: { type: 'string', format: 'date' },
          odometerKm: { type: 'integer', minimum: 0, maximum: 2000000 },
          costEur: { type: 'number', minimum: 0, maximum: 100000, exclusiveMaximum: true },
          technician: { type: 'string', nullable: true },
          notes: { type: 'string', nullable: true },
          nextDueOn: { type: 'string', format: 'date', nullable: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          _links: ref('Links'),
        },
      },
      MaintenancePage: {
        type: 'object',
        required: ['_links', '_embedded', 'page'],
        properties: { _links: ref('Links'), _embedded: { type: 'object', required: ['maintenance'], properties: { maintenance: { type: 'array', items: ref('MaintenanceRecord') } } }, page: ref('PageInfo') },
      },
      DocumentKind: { type: 'string', enum: ['registration', 'insurance', 'inspection', 'photo'] },
      Document: {
        type: 'object',
        required: ['id', 'vehicleId', 'kind', 'title', 'fileName', 'contentType', 'sizeBytes', 'sha256', 'expiresOn', 'uploadedAt', '_links'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          vehicleId: { type: 'integer' },
          kind: ref('DocumentKind'),
          title: { type: 'string', nullable: true },
          fileName: { type: 'string' },
          contentType: { type: 'string' },
          sizeBytes: { type: 'integer', minimum: 0, maximum: 1048576 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          expiresOn: { type: 'string', format: 'date', nullable: true },
          uploadedAt: { type: 'string', format: 'date-time' },
          _links: ref('Links'),
        },
      },
      DocumentPage: {
        type: 'object',
        required: ['_links', '_embedded', 'page'],
        properties: { _links: ref('Links'), _embedded: { type: 'object', required: ['documents'], properties: { documents: { type: 'array', items: ref('Document') } } }, page: ref('PageInfo') },
      },
      UtilizationRequest: {
        type: 'object',
        required: ['from', 'to', 'groupBy'],
        additionalProperties: false,
        properties: {
          from: { type: 'string', format: 'date', example: '2026-10-01' },
          to: { type: 'string', format: 'date', description: 'not before `from` (422)', example: '2026-10-31' },
          groupBy: { type: 'string', enum: ['vehicle', 'depot', 'fuelType'] },
          depotId: { type: 'integer', minimum: 1, description: 'only this depot (of the caller tenant; 422 otherwise)' },
        },
      },
      Job: {
        type: 'object',
        required: ['id', 'kind', 'status', 'submittedAt', 'finishedAt', 'result', '_links'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          kind: { type: 'string', enum: ['utilization_report'] },
          status: { type: 'string', enum: ['queued', 'running', 'succeeded'] },
          submittedAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: 'string', format: 'date-time', nullable: true },
          result: {
            type: 'object',
            nullable: true,
            required: ['groupBy', 'rows'],
            properties: {
              groupBy: { type: 'string', enum: ['vehicle', 'depot', 'fuelType'] },
              rows: { type: 'array', items: { type: 'object', required: ['key', 'vehicles', 'maintenanceCostEur'], properties: { key: { type: 'string' }, vehicles: { type: 'integer', minimum: 0 }, maintenanceCostEur: { type: 'number', minimum: 0 } } } },
            },
          },
          _links: ref('Links'),
        },
      },
    },
  },
};

export default spec;
writeSpecIfMain(import.meta.url, spec, '# Fleetdesk — generated from spec.mjs (node spec.mjs); edit spec.mjs, not this file.');
