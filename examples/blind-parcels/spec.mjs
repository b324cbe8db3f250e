// Parcelpost: the OpenAPI document of the clean behaviour. `node spec.mjs` rewrites openapi.yaml.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const err = (description) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const rl = { 'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' }, 'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' } };
const json = (schema) => ({ 'application/json': { schema } });
const E400 = err('Invalid parameters, header or body (`error.fields` names each problem).');
const E401 = err('The `api_key` query parameter is missing or unknown.');
const E404 = err('No such resource for this account.');
const E415 = err('The body is not `application/json`.');
const listHeaders = {
  ...rl,
  'X-Total-Count': { description: 'Number of items matching the filters, all pages together.', required: true, schema: { type: 'integer', minimum: 0 } },
  Link: { description: 'RFC 8288 links to the `first`, `prev`, `next` and `last` pages (relative URLs with `offset` and `limit`); `next` is absent on the last page.', schema: { type: 'string' } },
};
const pageParams = [
  { name: 'offset', in: 'query', description: 'Items to skip.', schema: { type: 'integer', minimum: 0, default: 0 } },
  { name: 'limit', in: 'query', description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
];
const accept = { $ref: '#/components/parameters/AcceptVersion' };
const shipmentIdP = { name: 'shipmentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const parcelIdP = { name: 'parcelId', in: 'path', required: true, schema: { type: 'integer', format: 'int64', minimum: 1 } };
const eventIdP = { name: 'eventId', in: 'path', required: true, schema: { type: 'integer', format: 'int64', minimum: 1 } };
const etagH = { ETag: { description: 'Version of the shipment (a strong validator).', required: true, schema: { type: 'string' } } };
const created = (schema, what) => ({
  description: `${what} created.`,
  headers: { ...rl, Location: { description: `URL of the new ${what.toLowerCase()}.`, required: true, schema: { type: 'string' } } },
  content: json(schema),
});

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'Parcelpost',
    version: '2.0.0',
    description: [
      'Parcel-shipping API: shipments with parcels, and tracking events per parcel.',
      '',
      'Credentials: an account is opened with `POST /accounts` (public), which answers the account',
      'and its API key once (`apiKey`). Every other operation (except the public `GET /track/{trackingNumber}`)',
      'takes that key in the `api_key` query parameter. An account sees and changes only its own',
      'shipments, parcels and events; another account\'s are answered 404. Operations tagged `admin`',
      'need an account whose `role` is `admin` (others get 403); the role cannot be changed through the API.',
      '',
      'Every request carries the header `Accept-Version: 2`. Errors are `{"error": {"code", "message", "fields"}}`.',
      'Successful answers to authenticated requests carry informational `RateLimit-Limit` / `RateLimit-Remaining` headers.',
    ].join('\n'),
  },
  servers: [{ url: 'http://127.0.0.1:4000' }],
  security: [{ apiKey: [] }],
  tags: [{ name: 'accounts' }, { name: 'shipments' }, { name: 'parcels' }, { name: 'tracking' }, { name: 'admin' }],
  paths: {
    '/accounts': {
      parameters: [accept],
      post: {
        operationId: 'createAccount', tags: ['accounts'], summary: 'Open an account (public); answers its API key once',
        security: [],
        requestBody: { required: true, content: json(ref('AccountInput')) },
        responses: {
          201: {
            description: 'Account opened. `apiKey` is shown only here.',
            headers: { Location: { description: 'Always `/account`.', required: true, schema: { type: 'string' } } },
            content: json(ref('AccountWithKey')),
          },
          400: E400, 409: err('An account with this e-mail exists.'), 415: E415,
        },
      },
    },
    '/account': {
      parameters: [accept],
      get: {
        operationId: 'getAccount', tags: ['accounts'], summary: 'The calling account',
        responses: { 200: { description: 'The account.', headers: rl, content: json(ref('Account')) }, 400: E400, 401: E401 },
      },
      patch: {
        operationId: 'updateAccount', tags: ['accounts'], summary: 'Change the calling account (merge: members sent replace stored ones)',
        requestBody: { required: true, content: json(ref('AccountUpdate')) },
        responses: { 200: { description: 'The updated account.', headers: rl, content: json(ref('Account')) }, 400: E400, 401: E401, 409: err('Another account has this e-mail.'), 415: E415 },
      },
    },
    '/admin/accounts': {
      parameters: [accept],
      get: {
        operationId: 'listAllAccounts', tags: ['admin'], summary: 'Every account (admin only)',
        parameters: pageParams,
        responses: {
          200: { description: 'A page of accounts.', headers: listHeaders, content: json({ type: 'array', items: ref('Account') }) },
          400: E400, 401: E401, 403: err('The caller is not an admin.'),
        },
      },
    },
    '/shipments': {
      parameters: [accept],
      get: {
        operationId: 'listShipments', tags: ['shipments'], summary: 'The account\'s shipments, newest first',
        parameters: [
          ...pageParams,
          { name: 'status', in: 'query', description: 'Only shipments in this status.', schema: ref('ShipmentStatus') },
          { name: 'q', in: 'query', description: 'Case-insensitive substring of the reference.', schema: { type: 'string', minLength: 1, maxLength: 40 } },
        ],
        responses: {
          200: { description: 'A page of shipments (an empty array when none match).', headers: listHeaders, content: json({ type: 'array', items: ref('Shipment') }) },
          400: E400, 401: E401,
        },
      },
      post: {
        operationId: 'createShipment', tags: ['shipments'], summary: 'Create a draft shipment',
        requestBody: { required: true, content: json(ref('ShipmentInput')) },
        responses: {
          201: { ...created(ref('Shipment'), 'Shipment'), headers: { ...created(ref('Shipment'), 'Shipment').headers, ...etagH } },
          400: E400, 401: E401, 415: E415,
        },
      },
    },
    '/shipments/bulk': {
      parameters: [accept],
      post: {
        operationId: 'bulkCreateShipments', tags: ['shipments'], summary: 'Create up to 20 draft shipments at once (all or none)',
        requestBody: {
          required: true,
          content: json({ type: 'object', required: ['shipments'], properties: { shipments: { type: 'array', minItems: 1, maxItems: 20, items: ref('ShipmentInput') } } }),
        },
        responses: {
          201: {
            description: 'Every shipment created, in the order sent.', headers: rl,
            content: json({ type: 'object', required: ['created'], properties: { created: { type: 'array', items: ref('Shipment') } } }),
          },
          400: E400, 401: E401, 415: E415,
        },
      },
    },
    '/shipments/{shipmentId}': {
      parameters: [accept, shipmentIdP],
      get: {
        operationId: 'getShipment', tags: ['shipments'], summary: 'One shipment',
        parameters: [{ name: 'If-None-Match', in: 'header', description: 'An ETag from an earlier read: 304 when unchanged.', schema: { type: 'string' } }],
        responses: {
          200: { description: 'The shipment.', headers: { ...rl, ...etagH }, content: json(ref('Shipment')) },
          304: { description: 'Unchanged since the ETag given in `If-None-Match`.', headers: etagH },
          400: E400, 401: E401, 404: E404,
        },
      },
      patch: {
        operationId: 'updateShipment', tags: ['shipments'], summary: 'Change a draft shipment (merge: members sent replace stored ones)',
        parameters: [{ name: 'If-Match', in: 'header', description: 'The ETag of the version being changed: 412 when the shipment changed since.', schema: { type: 'string' } }],
        requestBody: { required: true, content: json(ref('ShipmentUpdate')) },
        responses: {
          200: { description: 'The updated shipment.', headers: { ...rl, ...etagH }, content: json(ref('Shipment')) },
          400: E400, 401: E401, 404: E404, 409: err('The shipment is no longer a draft.'), 412: err('`If-Match` does not match the current ETag.'), 415: E415,
        },
      },
      delete: {
        operationId: 'deleteShipment', tags: ['shipments'], summary: 'Delete a shipment with its parcels and events',
        responses: { 204: { description: 'Deleted.' }, 400: E400, 401: E401, 404: E404 },
      },
    },
    '/shipments/{shipmentId}/dispatch': {
      parameters: [accept, shipmentIdP],
      post: {
        operationId: 'dispatchShipment', tags: ['shipments'], summary: 'Hand a draft shipment to the carrier: it gets a tracking number',
        responses: {
          200: { description: 'The dispatched shipment.', headers: { ...rl, ...etagH }, content: json(ref('Shipment')) },
          400: E400, 401: E401, 404: E404, 409: err('The shipment is not a draft.'),
        },
      },
    },
    '/shipments/{shipmentId}/parcels': {
      parameters: [accept, shipmentIdP],
      get: {
        operationId: 'listParcels', tags: ['parcels'], summary: 'The parcels of a shipment',
        responses: { 200: { description: 'Every parcel, oldest first.', headers: rl, content: json({ type: 'array', items: ref('Parcel') }) }, 400: E400, 401: E401, 404: E404 },
      },
      post: {
        operationId: 'addParcel', tags: ['parcels'], summary: 'Add a parcel to a draft shipment',
        requestBody: { required: true, content: json(ref('Parcel')) },
        responses: { 201: created(ref('Parcel'), 'Parcel'), 400: E400, 401: E401, 404: E404, 409: err('The shipment is no longer a draft.'), 415: E415 },
      },
    },
    '/shipments/{shipmentId}/parcels/{parcelId}': {
      parameters: [accept, shipmentIdP, parcelIdP],
      get: {
        operationId: 'getParcel', tags: ['parcels'], summary: 'One parcel',
        responses: { 200: { description: 'The parcel.', headers: rl, content: json(ref('Parcel')) }, 400: E400, 401: E401, 404: E404 },
      },
      delete: {
        operationId: 'removeParcel', tags: ['parcels'], summary: 'Remove a parcel (and its events)',
        responses: { 204: { description: 'Removed.' }, 400: E400, 401: E401, 404: E404 },
      },
    },
    '/shipments/{shipmentId}/parcels/{parcelId}/events': {
      parameters: [accept, shipmentIdP, parcelIdP],
      get: {
        operationId: 'listTrackingEvents', tags: ['tracking'], summary: 'Tracking events of a parcel, oldest first',
        parameters: pageParams,
        responses: { 200: { description: 'A page of events.', headers: listHeaders, content: json({ type: 'array', items: ref('TrackingEvent') }) }, 400: E400, 401: E401, 404: E404 },
      },
      post: {
        operationId: 'addTrackingEvent', tags: ['tracking'], summary: 'Record a tracking event of a parcel',
        requestBody: { required: true, content: json(ref('TrackingEvent')) },
        responses: { 201: created(ref('TrackingEvent'), 'Event'), 400: E400, 401: E401, 404: E404, 415: E415 },
      },
    },
    '/shipments/{shipmentId}/parcels/{parcelId}/events/{eventId}': {
      parameters: [accept, shipmentIdP, parcelIdP, eventIdP],
      get: {
        operationId: 'getTrackingEvent', tags: ['tracking'], summary: 'One tracking event',
        responses: { 200: { description: 'The event.', headers: rl, content: json(ref('TrackingEvent')) }, 400: E400, 401: E401, 404: E404 },
      },
    },
    '/track/{trackingNumber}': {
      parameters: [accept, { name: 'trackingNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^PP[0-9]{10}$' } }],
      get: {
        operationId: 'trackShipment', tags: ['tracking'], summary: 'Public tracking summary of a dispatched shipment (no key needed)',
        security: [],
        responses: { 200: { description: 'The summary.', content: json(ref('TrackingSummary')) }, 400: E400, 404: err('No dispatched shipment has this tracking number.') },
      },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'query', name: 'api_key', description: 'The key `POST /accounts` answered.' } },
    parameters: {
      AcceptVersion: { name: 'Accept-Version', in: 'header', required: true, description: 'API version; only `2` exists.', schema: { type: 'string', enum: ['2'] } },
    },
    headers: {
      RateLimitLimit: { description: 'Requests allowed per minute for this key.', schema: { type: 'integer' } },
      RateLimitRemaining: { description: 'Requests left in the current minute.', schema: { type: 'integer', minimum: 0 } },
    },
    schemas: {
      Error: {
        type: 'object', required: ['error'],
        properties: {
          error: {
            type: 'object', required: ['code', 'message'],
            properties: {
              code: { type: 'string' }, message: { type: 'string' },
              fields: { type: 'array', items: { type: 'object', required: ['at', 'message'], properties: { at: { type: 'string' }, message: { type: 'string' } } } },
            },
          },
        },
      },
      AccountInput: {
        type: 'object', required: ['company', 'email'],
        properties: {
          company: { type: 'string', minLength: 2, maxLength: 80 },
          email: { type: 'string', format: 'email', maxLength: 120, description: 'Unique among accounts.' },
          phone: { type: 'string', pattern: '^\\+[0-9]{7,15}$' },
        },
      },
      AccountUpdate: {
        type: 'object', minProperties: 1,
        properties: {
          company: { type: 'string', minLength: 2, maxLength: 80 },
          email: { type: 'string', format: 'email', maxLength: 120 },
          phone: { type: 'string', pattern: '^\\+[0-9]{7,15}$' },
          role: { type: 'string', enum: ['shipper', 'admin'], readOnly: true, description: 'Set by Parcelpost staff only; ignored when sent.' },
        },
      },
      Account: {
        type: 'object', required: ['id', 'company', 'email', 'role', 'createdAt'],
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true },
          company: { type: 'string' },
          email: { type: 'string', format: 'email' },
          phone: { type: 'string' },
          role: { type: 'string', enum: ['shipper', 'admin'], readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      AccountWithKey: {
        allOf: [ref('Account'), { type: 'object', required: ['apiKey'], properties: { apiKey: { type: 'string', description: 'Shown only once.' } } }],
      },
      ShipmentStatus: { type: 'string', enum: ['draft', 'dispatched', 'delivered'] },
      Address: {
        type: 'object', required: ['name', 'line1', 'city', 'postcode', 'country'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 80 },
          line1: { type: 'string', minLength: 1, maxLength: 120 },
          city: { type: 'string', minLength: 1, maxLength: 60 },
          postcode: { type: 'string', pattern: '^[A-Z0-9 ]{3,10}$' },
          country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' },
          phone: { type: 'string', pattern: '^\\+[0-9]{7,15}$' },
        },
      },
      Tags: {
        type: 'array', uniqueItems: true, maxItems: 5,
        items: { type: 'string', pattern: '^[a-z0-9-]{1,20}$' },
      },
      ShipmentInput: {
        type: 'object', required: ['reference', 'service', 'sender', 'recipient'],
        properties: {
          reference: { type: 'string', minLength: 3, maxLength: 40, pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$', description: 'The shipper\'s own reference, e.g. `ORD-2024-0001`.' },
          service: { type: 'string', enum: ['ground', 'express', 'overnight'] },
          sender: ref('Address'),
          recipient: ref('Address'),
          pickupDate: { type: 'string', format: 'date' },
          tags: ref('Tags'),
          insuredValue: { type: 'number', minimum: 0, maximum: 5000, description: 'In EUR.' },
        },
      },
      ShipmentUpdate: {
        type: 'object', minProperties: 1,
        properties: {
          reference: { type: 'string', minLength: 3, maxLength: 40, pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$' },
          service: { type: 'string', enum: ['ground', 'express', 'overnight'] },
          recipient: ref('Address'),
          pickupDate: { type: 'string', format: 'date' },
          tags: ref('Tags'),
          insuredValue: { type: 'number', minimum: 0, maximum: 5000 },
        },
      },
      Shipment: {
        allOf: [
          ref('ShipmentInput'),
          {
            type: 'object', required: ['id', 'status', 'trackingNumber', 'parcelCount', 'totalWeightGrams', 'createdAt', 'updatedAt'],
            properties: {
              id: { type: 'string', format: 'uuid', readOnly: true },
              status: ref('ShipmentStatus'),
              trackingNumber: { type: ['string', 'null'], pattern: '^PP[0-9]{10}$', readOnly: true, description: 'Set by `dispatchShipment`.' },
              parcelCount: { type: 'integer', minimum: 0, readOnly: true },
              totalWeightGrams: { type: 'integer', minimum: 0, readOnly: true },
              createdAt: { type: 'string', format: 'date-time', readOnly: true },
              updatedAt: { type: 'string', format: 'date-time', readOnly: true },
            },
          },
        ],
      },
      Dimensions: {
        type: 'object', required: ['lengthCm', 'widthCm', 'heightCm'],
        properties: {
          lengthCm: { type: 'integer', minimum: 1, maximum: 300 },
          widthCm: { type: 'integer', minimum: 1, maximum: 300 },
          heightCm: { type: 'integer', minimum: 1, maximum: 300 },
        },
      },
      ParcelBase: {
        type: 'object', required: ['id', 'kind', 'weightGrams', 'chargeableWeightGrams', 'createdAt'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          kind: { type: 'string', enum: ['box', 'envelope', 'pallet'] },
          weightGrams: { type: 'integer', minimum: 1, maximum: 1000000 },
          handling: { type: 'array', uniqueItems: true, maxItems: 4, items: { type: 'string', enum: ['fragile', 'keep_upright', 'hazardous', 'perishable'] } },
          description: { type: 'string', maxLength: 200 },
          chargeableWeightGrams: { type: 'integer', readOnly: true, description: 'The larger of the weight and the volumetric weight (L×W×H cm ÷ 5000 kg).' },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Box: {
        allOf: [ref('ParcelBase'), { type: 'object', required: ['dimensions'], properties: { kind: { type: 'string', enum: ['box'] }, dimensions: ref('Dimensions') } }],
      },
      Envelope: {
        allOf: [ref('ParcelBase'), { type: 'object', properties: { kind: { type: 'string', enum: ['envelope'] }, documentsOnly: { type: 'boolean', default: true } } }],
      },
      Pallet: {
        allOf: [ref('ParcelBase'), { type: 'object', required: ['dimensions', 'stackable'], properties: { kind: { type: 'string', enum: ['pallet'] }, dimensions: ref('Dimensions'), stackable: { type: 'boolean' } } }],
      },
      Parcel: {
        oneOf: [ref('Box'), ref('Envelope'), ref('Pallet')],
        discriminator: { propertyName: 'kind', mapping: { box: '#/components/schemas/Box', envelope: '#/components/schemas/Envelope', pallet: '#/components/schemas/Pallet' } },
      },
      TrackingEvent: {
        type: 'object', required: ['id', 'code', 'location', 'occurredAt', 'recordedAt'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          code: { type: 'string', enum: ['picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception'] },
          location: { type: 'string', minLength: 1, maxLength: 80 },
          occurredAt: { type: 'string', format: 'date-time' },
          note: { type: 'string', maxLength: 200 },
          recordedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      TrackingSummary: {
        type: 'object', required: ['trackingNumber', 'status', 'service', 'destinationCity', 'parcelCount'],
        properties: {
          trackingNumber: { type: 'string' },
          status: ref('ShipmentStatus'),
          service: { type: 'string', enum: ['ground', 'express', 'overnight'] },
          destinationCity: { type: 'string' },
          parcelCount: { type: 'integer', minimum: 0 },
          lastEvent: ref('TrackingEvent'),
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Parcelpost: generated by `node spec.mjs` (the clean behaviour). Do not edit by hand.');
