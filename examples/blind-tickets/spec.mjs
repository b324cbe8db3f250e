// The Boxoffice API's OpenAPI 3.0 document (the clean behaviour). `node spec.mjs` rewrites openapi.yaml.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const JA = 'application/vnd.api+json';
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const jr = (schema) => ({ content: { [JA]: { schema } } });
const err = (description) => ({ description, ...jr(ref('Errors')) });
const idPattern = '^[1-9][0-9]{5,11}$';

const R = {
  400: { $ref: '#/components/responses/BadRequest' },
  401: { $ref: '#/components/responses/Unauthorized' },
  403: { $ref: '#/components/responses/Forbidden' },
  404: { $ref: '#/components/responses/NotFound' },
  415: { $ref: '#/components/responses/UnsupportedMediaType' },
  422: { $ref: '#/components/responses/Unprocessable' },
};
const etag = { ETag: { required: true, description: 'Strong validator of the event representation', schema: { type: 'string' } } };
const location = { Location: { required: true, description: 'URL of the created resource', schema: { type: 'string' } } };

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Boxoffice',
    version: '1.2.0',
    description: [
      'Event ticketing: organizers publish events with price tiers; users buy tickets.',
      'Authentication: HTTP Basic. Sandbox users (pre-existing, no sign-up): `alice` / `alice-sandbox-1`,',
      '`bob` / `bob-sandbox-2` (organizers and buyers), `carol` / `carol-sandbox-3` (role admin).',
      'Bodies follow JSON:API conventions (`application/vnd.api+json`). Ids are strings of digits.',
      'A draft event is visible to its organizer only; a published event can be read and bought by every user,',
      'but only its organizer may replace or delete it. A ticket is visible to its buyer only.',
    ].join('\n'),
  },
  servers: [{ url: 'http://127.0.0.1:4650' }],
  security: [{ basicAuth: [] }],
  tags: [{ name: 'events' }, { name: 'tickets' }, { name: 'account' }, { name: 'admin' }],
  paths: {
    '/auth/verify': {
      post: {
        operationId: 'verifyCredentials', tags: ['account'], security: [],
        summary: 'Check a username and password (for clients that want to validate a login form)',
        description: 'After 5 failed checks for one username within a minute, further checks for it answer 429 until the minute is over.',
        requestBody: { required: true, content: { [JA]: { schema: ref('VerifyRequest'), example: { data: { type: 'credentials', attributes: { username: 'alice', password: 'alice-sandbox-1' } } } } } },
        responses: {
          200: { description: 'The credentials are valid', ...jr(ref('UserDocument')) },
          400: R[400], 401: R[401], 415: R[415], 422: R[422],
          429: { description: 'Too many failed checks for this username', headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } }, ...jr(ref('Errors')) },
        },
      },
    },
    '/me': {
      get: {
        operationId: 'getMe', tags: ['account'], summary: 'The authenticated user',
        responses: { 200: { description: 'The caller', ...jr(ref('UserDocument')) }, 401: R[401] },
      },
    },
    '/admin/users': {
      get: {
        operationId: 'listUsers', tags: ['admin'], summary: 'Every account (admins only)',
        responses: { 200: { description: 'All users', ...jr(ref('UserCollection')) }, 401: R[401], 403: R[403] },
      },
    },
    '/events': {
      get: {
        operationId: 'listEvents', tags: ['events'], summary: 'Events visible to the caller (own events and published ones)',
        parameters: [
          { name: 'filter[status]', in: 'query', schema: { type: 'string', enum: ['draft', 'published'] } },
          { name: 'filter[city]', in: 'query', description: 'Exact city name', schema: { type: 'string', minLength: 1, maxLength: 60 } },
          { name: 'filter[title]', in: 'query', description: 'Case-insensitive substring of the title', schema: { type: 'string', minLength: 1, maxLength: 60 } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['created_at', '-created_at', 'starts_on', '-starts_on'], default: '-created_at' } },
          { name: 'page[size]', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 20 } },
          { name: 'page[number]', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
        ],
        responses: { 200: { description: 'A page of events', ...jr(ref('EventCollection')) }, 400: R[400], 401: R[401] },
      },
      post: {
        operationId: 'createEvent', tags: ['events'], summary: 'Create an event (the caller is its organizer)',
        requestBody: { required: true, content: { [JA]: { schema: ref('EventWrite'), example: { data: { type: 'events', attributes: {
          title: 'Harbour Jazz Night', city: 'Lisbon', venue_url: 'https://venues.example.com/harbour-hall', starts_on: '2027-03-14', capacity: 400,
          status: 'draft', tags: ['jazz', 'live'], scanner_ips: ['192.0.2.10'], tiers: [{ name: 'general', price_cents: 2500, quantity: 350 }, { name: 'vip', price_cents: 6000, quantity: 50 }] } } } } } },
        responses: {
          201: { description: 'Created', headers: { ...location, ...etag }, ...jr(ref('EventDocument')) },
          400: R[400], 401: R[401], 415: R[415], 422: R[422],
        },
      },
    },
    '/events/{eventId}': {
      parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string', pattern: idPattern } }],
      get: {
        operationId: 'getEvent', tags: ['events'], summary: 'One event (conditional GET with If-None-Match)',
        parameters: [{ name: 'If-None-Match', in: 'header', schema: { type: 'string' } }],
        responses: {
          200: { description: 'The event', headers: etag, ...jr(ref('EventDocument')) },
          304: { description: 'Not modified (the If-None-Match matched the current ETag)', headers: etag },
          400: R[400], 401: R[401], 404: R[404],
        },
      },
      put: {
        operationId: 'putEvent', tags: ['events'], summary: 'Create the event under this id, or replace it (organizer only)',
        requestBody: { required: true, content: { [JA]: { schema: ref('EventWrite') } } },
        responses: {
          200: { description: 'Replaced', headers: etag, ...jr(ref('EventDocument')) },
          201: { description: 'Created under the given id', headers: { ...location, ...etag }, ...jr(ref('EventDocument')) },
          400: R[400], 401: R[401], 403: R[403], 404: R[404], 415: R[415], 422: R[422],
        },
      },
      delete: {
        operationId: 'deleteEvent', tags: ['events'], summary: 'Delete an event (organizer only)',
        responses: { 204: { description: 'Deleted' }, 400: R[400], 401: R[401], 403: R[403], 404: R[404] },
      },
    },
    '/events/{eventId}/tickets': {
      parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string', pattern: idPattern } }],
      post: {
        operationId: 'buyTickets', tags: ['tickets'], summary: 'Buy tickets of one tier of a published event (or of an own event)',
        description: 'With an Idempotency-Key, a repeated purchase with the same key answers the first ticket again (201, same id) and buys nothing more.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } }],
        requestBody: { required: true, content: { [JA]: { schema: ref('TicketWrite'), example: { data: { type: 'tickets', attributes: { tier: 'general', quantity: 2, holder_name: 'Ana Costa', holder_email: 'ana@example.com' } } } } } },
        responses: {
          201: { description: 'Bought', headers: location, ...jr(ref('TicketDocument')) },
          400: R[400], 401: R[401], 404: R[404], 415: R[415], 422: R[422],
        },
      },
    },
    '/tickets': {
      get: {
        operationId: 'listTickets', tags: ['tickets'], summary: "The caller's tickets",
        parameters: [
          { name: 'filter[event_id]', in: 'query', schema: { type: 'string', pattern: idPattern } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['created_at', '-created_at'], default: '-created_at' } },
        ],
        responses: { 200: { description: 'Tickets', ...jr(ref('TicketCollection')) }, 400: R[400], 401: R[401] },
      },
    },
    '/tickets/{ticketId}': {
      get: {
        operationId: 'getTicket', tags: ['tickets'], summary: 'One of the caller\'s tickets',
        parameters: [{ name: 'ticketId', in: 'path', required: true, schema: { type: 'string', pattern: idPattern } }],
        responses: { 200: { description: 'The ticket', ...jr(ref('TicketDocument')) }, 400: R[400], 401: R[401], 404: R[404] },
      },
    },
  },
  components: {
    securitySchemes: { basicAuth: { type: 'http', scheme: 'basic', description: 'Sandbox users: alice/alice-sandbox-1, bob/bob-sandbox-2, carol/carol-sandbox-3 (admin)' } },
    responses: {
      BadRequest: err('Malformed JSON or an invalid parameter'),
      Unauthorized: { ...err('Missing or wrong credentials'), headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } } },
      Forbidden: err('Not allowed for this user'),
      NotFound: err('No such resource (or not visible to the caller)'),
      UnsupportedMediaType: err('Use application/vnd.api+json'),
      Unprocessable: err('The document is well-formed but invalid; one error per field, with its JSON pointer'),
    },
    schemas: {
      Errors: {
        type: 'object', required: ['errors'], additionalProperties: false,
        properties: { errors: { type: 'array', minItems: 1, items: { type: 'object', required: ['status', 'title'], additionalProperties: false, properties: {
          status: { type: 'string', pattern: '^[45][0-9]{2}$' }, title: { type: 'string' }, detail: { type: 'string' },
          source: { type: 'object', additionalProperties: false, properties: { pointer: { type: 'string' }, parameter: { type: 'string' }, header: { type: 'string' } } },
        } } } },
      },
      Links: { type: 'object', required: ['self'], additionalProperties: false, properties: { self: { type: 'string' }, next: { type: 'string' }, prev: { type: 'string' } } },
      Tier: {
        type: 'object', required: ['name', 'price_cents', 'quantity'], additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,19}$' },
          price_cents: { type: 'integer', minimum: 0, maximum: 1000000, multipleOf: 50 },
          quantity: { type: 'integer', minimum: 1, maximum: 50000 },
        },
      },
      EventAttributes: {
        type: 'object', required: ['title', 'city', 'starts_on', 'capacity', 'tiers'], additionalProperties: false,
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 120 },
          city: { type: 'string', minLength: 1, maxLength: 60 },
          venue_url: { type: 'string', format: 'uri', maxLength: 200 },
          starts_on: { type: 'string', format: 'date' },
          capacity: { type: 'integer', minimum: 1, maximum: 50000 },
          status: { type: 'string', enum: ['draft', 'published'], default: 'draft' },
          tags: { type: 'array', maxItems: 5, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9-]{1,20}$' } },
          scanner_ips: { type: 'array', maxItems: 4, uniqueItems: true, items: { type: 'string', format: 'ipv4', pattern: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$' } },
          tiers: { type: 'array', minItems: 1, maxItems: 5, items: ref('Tier') },
          featured: { type: 'boolean', readOnly: true, description: 'Set by the box office staff only' },
          organizer_id: { type: 'string', readOnly: true },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
          updated_at: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      EventWrite: {
        type: 'object', required: ['data'], additionalProperties: false,
        properties: { data: { type: 'object', required: ['type', 'attributes'], additionalProperties: false, properties: {
          type: { type: 'string', enum: ['events'] }, attributes: ref('EventAttributes') } } },
      },
      EventResource: {
        type: 'object', required: ['type', 'id', 'attributes', 'links'], additionalProperties: false,
        properties: { type: { type: 'string', enum: ['events'] }, id: { type: 'string', pattern: idPattern }, attributes: ref('EventAttributes'), links: ref('Links') },
      },
      EventDocument: { type: 'object', required: ['data'], additionalProperties: false, properties: { data: ref('EventResource') } },
      EventCollection: {
        type: 'object', required: ['data', 'links', 'meta'], additionalProperties: false,
        properties: { data: { type: 'array', items: ref('EventResource') }, links: ref('Links'),
          meta: { type: 'object', required: ['total'], additionalProperties: false, properties: { total: { type: 'integer', minimum: 0 } } } },
      },
      TicketAttributes: {
        type: 'object', required: ['quantity', 'holder_name', 'holder_email'], additionalProperties: false,
        properties: {
          event_id: { type: 'string', readOnly: true },
          tier: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,19}$', description: 'Defaults to the first tier of the event' },
          quantity: { type: 'integer', minimum: 1, maximum: 10 },
          holder_name: { type: 'string', minLength: 1, maxLength: 80 },
          holder_email: { type: 'string', format: 'email', maxLength: 120 },
          total_cents: { type: 'integer', readOnly: true },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      TicketWrite: {
        type: 'object', required: ['data'], additionalProperties: false,
        properties: { data: { type: 'object', required: ['type', 'attributes'], additionalProperties: false, properties: {
          type: { type: 'string', enum: ['tickets'] }, attributes: ref('TicketAttributes') } } },
      },
      TicketResource: {
        type: 'object', required: ['type', 'id', 'attributes', 'links'], additionalProperties: false,
        properties: { type: { type: 'string', enum: ['tickets'] }, id: { type: 'string', pattern: idPattern }, attributes: ref('TicketAttributes'), links: ref('Links') },
      },
      TicketDocument: { type: 'object', required: ['data'], additionalProperties: false, properties: { data: ref('TicketResource') } },
      TicketCollection: { type: 'object', required: ['data', 'links'], additionalProperties: false, properties: { data: { type: 'array', items: ref('TicketResource') }, links: ref('Links') } },
      UserResource: {
        type: 'object', required: ['type', 'id', 'attributes'], additionalProperties: false,
        properties: { type: { type: 'string', enum: ['users'] }, id: { type: 'string', pattern: '^[0-9]+$' }, attributes: {
          type: 'object', required: ['username', 'email', 'role'], additionalProperties: false,
          properties: { username: { type: 'string' }, email: { type: 'string', format: 'email' }, role: { type: 'string', enum: ['member', 'admin'] } } } },
      },
      UserDocument: { type: 'object', required: ['data'], additionalProperties: false, properties: { data: ref('UserResource') } },
      UserCollection: { type: 'object', required: ['data'], additionalProperties: false, properties: { data: { type: 'array', items: ref('UserResource') } } },
      VerifyRequest: {
        type: 'object', required: ['data'], additionalProperties: false,
        properties: { data: { type: 'object', required: ['type', 'attributes'], additionalProperties: false, properties: {
          type: { type: 'string', enum: ['credentials'] },
          attributes: { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: {
            username: { type: 'string', minLength: 1, maxLength: 40 }, password: { type: 'string', minLength: 1, maxLength: 100, format: 'password' } } } } } },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Boxoffice (blind-tickets): generated from spec.mjs by `node spec.mjs`; documents the clean variant.');
