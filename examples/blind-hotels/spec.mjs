// The Hotels API description (clean behaviour). `node spec.mjs` rewrites openapi.yaml.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const err = (description) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const json = (description, schema, extra = {}) => ({ description, content: { 'application/json': { schema } }, ...extra });
const location = { Location: { description: 'URL of the created resource', required: true, schema: { type: 'string' } } };
const p = (n) => ({ $ref: `#/components/parameters/${n}` });
const page = [p('offset'), p('limit')];
const listOf = (item) => ({
  type: 'object', additionalProperties: false, required: ['items', 'total', 'offset', 'limit'],
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer', minimum: 0 }, offset: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 100 } },
});
const std = { 400: err('Invalid request'), 401: err('Missing or unknown api_key') };

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Hotels API',
    version: '1.0.0',
    description: [
      'Bookings for a small hotel chain. Every request carries an API key in the `api_key` query parameter.',
      'Keys and roles: a **manager** key manages the hotels it created (their rooms, bookings and invoices) and',
      'the guests it registered; another manager\'s hotels and guests answer 404 to it. A **frontdesk** key is',
      'read-only over every hotel and guest of the chain: it may call every GET, and every other method answers 403.',
      'Rooms have client-chosen ids (PUT upsert). Hotels and rooms carry a `version`: an update that sends a',
      '`version` other than the current one is refused with 409. Bookings of one room may not overlap',
      '(check-out day is free for the next check-in): an overlapping booking is refused with 409.',
      'Cancelling a booking (DELETE) removes it and voids its invoice.',
    ].join(' '),
  },
  servers: [{ url: 'http://127.0.0.1:47600' }],
  security: [{ apiKey: [] }],
  tags: [{ name: 'hotels' }, { name: 'rooms' }, { name: 'bookings' }, { name: 'guests' }, { name: 'invoices' }],
  paths: {
    '/me': {
      get: { operationId: 'getMe', tags: ['hotels'], summary: 'The caller\'s key profile', responses: { 200: json('The key', ref('Me')), 401: std[401] } },
    },
    '/hotels': {
      get: {
        operationId: 'listHotels', tags: ['hotels'], summary: 'Hotels visible to the caller',
        parameters: [...page, { name: 'city', in: 'query', schema: { type: 'string', maxLength: 80 }, description: 'exact city filter' }],
        responses: { 200: json('A page of hotels', listOf('Hotel')), ...std },
      },
      post: {
        operationId: 'createHotel', tags: ['hotels'], summary: 'Create a hotel (managers only)',
        description: 'Managers only; a frontdesk key gets 403. The caller becomes the hotel\'s manager.',
        requestBody: { required: true, content: { 'application/json': { schema: ref('Hotel'), example: { name: 'Aurora Inn', city: 'Oslo', stars: 4 } } } },
        responses: { 201: json('Created', ref('Hotel'), { headers: location }), ...std, 403: err('Not a manager') },
      },
    },
    '/hotels/{hotelId}': {
      parameters: [p('hotelId')],
      get: { operationId: 'getHotel', tags: ['hotels'], responses: { 200: json('The hotel', ref('Hotel')), 401: std[401], 404: err('No such hotel') } },
      patch: {
        operationId: 'updateHotel', tags: ['hotels'], summary: 'Change a hotel (optimistic locking by version)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('HotelPatch'), example: { stars: 5, version: 1 } } } },
        responses: { 200: json('Updated', ref('Hotel')), ...std, 403: err('Frontdesk key'), 404: err('No such hotel'), 409: err('Version mismatch') },
      },
      delete: {
        operationId: 'deleteHotel', tags: ['hotels'], summary: 'Delete a hotel with its rooms, bookings and invoices (managers only)',
        responses: { 204: { description: 'Deleted' }, 401: std[401], 403: err('Frontdesk key'), 404: err('No such hotel') },
      },
    },
    '/hotels/{hotelId}/rooms': {
      parameters: [p('hotelId')],
      get: { operationId: 'listRooms', tags: ['rooms'], parameters: page, responses: { 200: json('A page of rooms', listOf('Room')), ...std, 404: err('No such hotel') } },
    },
    '/hotels/{hotelId}/rooms/{roomId}': {
      parameters: [p('hotelId'), p('roomId')],
      get: { operationId: 'getRoom', tags: ['rooms'], responses: { 200: json('The room', ref('Room')), 401: std[401], 404: err('No such hotel or room') } },
      put: {
        operationId: 'upsertRoom', tags: ['rooms'], summary: 'Create or replace a room under a client-chosen id',
        description: 'Creates the room (201) or replaces it (200). When `version` is sent it must equal the current version (409 otherwise); without it the replace is unconditional.',
        requestBody: { required: true, content: { 'application/json': { schema: ref('Room'), example: { name: 'Sea view double', type: 'double', ratePerNight: 120.5, capacity: 2 } } } },
        responses: { 200: json('Replaced', ref('Room')), 201: json('Created', ref('Room'), { headers: location }), ...std, 403: err('Frontdesk key'), 404: err('No such hotel'), 409: err('Version mismatch') },
      },
      delete: { operationId: 'deleteRoom', tags: ['rooms'], responses: { 204: { description: 'Deleted' }, 401: std[401], 403: err('Frontdesk key'), 404: err('No such hotel or room'), 409: err('The room has bookings') } },
    },
    '/hotels/{hotelId}/rooms/{roomId}/bookings': {
      parameters: [p('hotelId'), p('roomId')],
      get: {
        operationId: 'listBookings', tags: ['bookings'],
        parameters: [...page, { name: 'from', in: 'query', schema: { type: 'string', format: 'date' }, description: 'only bookings that end after this day' }],
        responses: { 200: json('A page of bookings', listOf('Booking')), ...std, 404: err('No such hotel or room') },
      },
      post: {
        operationId: 'createBooking', tags: ['bookings'], summary: 'Book the room for a date range',
        description: '`checkOut` must be after `checkIn` (400). A booking overlapping another of the same room is refused with 409. `guestId` must name a guest of the caller (400 otherwise). An open invoice is issued with it.',
        requestBody: { required: true, content: { 'application/json': { schema: ref('Booking'), example: { guestId: 'gst_example', checkIn: '2027-03-01', checkOut: '2027-03-04', adults: 2 } } } },
        responses: { 201: json('Booked', ref('Booking'), { headers: location }), ...std, 403: err('Frontdesk key'), 404: err('No such hotel or room'), 409: err('Overlaps another booking') },
      },
    },
    '/hotels/{hotelId}/rooms/{roomId}/bookings/{bookingId}': {
      parameters: [p('hotelId'), p('roomId'), { name: 'bookingId', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } }],
      get: { operationId: 'getBooking', tags: ['bookings'], responses: { 200: json('The booking', ref('Booking')), 401: std[401], 404: err('No such booking') } },
      delete: { operationId: 'cancelBooking', tags: ['bookings'], summary: 'Cancel a booking (its invoice is voided)', responses: { 204: { description: 'Cancelled' }, 401: std[401], 403: err('Frontdesk key'), 404: err('No such booking') } },
    },
    '/guests': {
      get: {
        operationId: 'listGuests', tags: ['guests'],
        parameters: [...page, { name: 'q', in: 'query', schema: { type: 'string', maxLength: 80 }, description: 'substring of the last name' }],
        responses: { 200: json('A page of guests', listOf('Guest')), ...std },
      },
      post: {
        operationId: 'createGuest', tags: ['guests'], summary: 'Register a guest (managers only)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('Guest'), example: { firstName: 'Ada', lastName: 'Lind', email: 'ada.lind@example.com', phone: '+4712345678', passportNumber: 'N1234567' } } } },
        responses: { 201: json('Registered', ref('Guest'), { headers: location }), ...std, 403: err('Frontdesk key') },
      },
    },
    '/guests/{guestId}': {
      parameters: [{ name: 'guestId', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } }],
      get: { operationId: 'getGuest', tags: ['guests'], responses: { 200: json('The guest', ref('Guest')), 401: std[401], 404: err('No such guest') } },
      delete: { operationId: 'deleteGuest', tags: ['guests'], responses: { 204: { description: 'Deleted' }, 401: std[401], 403: err('Frontdesk key'), 404: err('No such guest') } },
    },
    '/hotels/{hotelId}/invoices': {
      parameters: [p('hotelId')],
      get: {
        operationId: 'listInvoices', tags: ['invoices'],
        parameters: [...page, { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'void'] } }],
        responses: { 200: json('A page of invoices', listOf('Invoice')), ...std, 404: err('No such hotel') },
      },
    },
    '/hotels/{hotelId}/invoices/{invoiceId}': {
      parameters: [p('hotelId'), { name: 'invoiceId', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } }],
      get: { operationId: 'getInvoice', tags: ['invoices'], responses: { 200: json('The invoice', ref('Invoice')), 401: std[401], 404: err('No such invoice') } },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'query', name: 'api_key' } },
    parameters: {
      hotelId: { name: 'hotelId', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } },
      roomId: { name: 'roomId', in: 'path', required: true, description: 'client-chosen: lower-case letters, digits and dashes', schema: { type: 'string', pattern: '^[a-z0-9-]{1,32}$' } },
      offset: { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
      limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    },
    schemas: {
      Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, message: { type: 'string' } } } } } },
      Me: { type: 'object', required: ['keyName', 'role'], properties: { keyName: { type: 'string' }, role: { type: 'string', enum: ['manager', 'frontdesk'] } } },
      Hotel: {
        type: 'object', required: ['name', 'city', 'id', 'stars', 'version', 'createdAt'],
        properties: {
          id: { type: 'string', readOnly: true },
          name: { type: 'string', minLength: 1, maxLength: 80 },
          city: { type: 'string', minLength: 1, maxLength: 80 },
          stars: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
          version: { type: 'integer', minimum: 1, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      HotelPatch: {
        type: 'object', additionalProperties: false, required: ['version'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 80 }, city: { type: 'string', minLength: 1, maxLength: 80 }, stars: { type: 'integer', minimum: 1, maximum: 5 }, version: { type: 'integer', minimum: 1, description: 'the version read; 409 when it is not the current one' } },
      },
      Room: {
        type: 'object', required: ['name', 'type', 'ratePerNight', 'capacity'],
        properties: {
          id: { type: 'string', readOnly: true },
          hotelId: { type: 'string', readOnly: true },
          name: { type: 'string', minLength: 1, maxLength: 80 },
          type: { type: 'string', enum: ['single', 'double', 'suite'] },
          ratePerNight: { type: 'number', minimum: 1, maximum: 10000 },
          capacity: { type: 'integer', minimum: 1, maximum: 8 },
          version: { type: 'integer', minimum: 1, description: 'always in answers; optional in a PUT (409 when it is not the current one)' },
        },
      },
      Booking: {
        type: 'object', required: ['guestId', 'checkIn', 'checkOut', 'adults'],
        properties: {
          id: { type: 'string', readOnly: true },
          hotelId: { type: 'string', readOnly: true },
          roomId: { type: 'string', readOnly: true },
          guestId: { type: 'string', maxLength: 40 },
          checkIn: { type: 'string', format: 'date' },
          checkOut: { type: 'string', format: 'date' },
          adults: { type: 'integer', minimum: 1, maximum: 8 },
          notes: { type: 'string', maxLength: 500 },
          status: { type: 'string', enum: ['confirmed'], readOnly: true },
          totalPrice: { type: 'number', readOnly: true, description: 'nights × the room\'s rate, computed by the server' },
          invoiceId: { type: 'string', readOnly: true },
        },
      },
      Guest: {
        type: 'object', required: ['firstName', 'lastName', 'email'],
        properties: {
          id: { type: 'string', readOnly: true },
          firstName: { type: 'string', minLength: 1, maxLength: 60 },
          lastName: { type: 'string', minLength: 1, maxLength: 60 },
          email: { type: 'string', format: 'email', maxLength: 120 },
          phone: { type: 'string', maxLength: 30 },
          passportNumber: { type: 'string', maxLength: 20, writeOnly: true, description: 'kept for the police register, never returned' },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Invoice: {
        type: 'object', required: ['id', 'bookingId', 'amount', 'currency', 'status', 'issuedOn'],
        properties: {
          id: { type: 'string' }, bookingId: { type: 'string' }, amount: { type: 'number', minimum: 0 },
          currency: { type: 'string', enum: ['EUR'] }, status: { type: 'string', enum: ['open', 'void'] }, issuedOn: { type: 'string', format: 'date' },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Hotels API (examples/blind-hotels) — generated by `node spec.mjs`; documents the CLEAN variant.');
