// The Lending Desk API (OpenAPI 3.1.0). `node spec.mjs` rewrites openapi.yaml next to it; the
// server reads this object, so the spec and the clean variant cannot drift apart.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const R = {
  400: { $ref: '#/components/responses/BadRequest' },
  401: { $ref: '#/components/responses/Unauthorized' },
  403: { $ref: '#/components/responses/Forbidden' },
  404: { $ref: '#/components/responses/NotFound' },
  409: { $ref: '#/components/responses/Conflict' },
  415: { $ref: '#/components/responses/UnsupportedMediaType' },
  422: { $ref: '#/components/responses/Unprocessable' },
};
const json = (schema) => ({ 'application/json': { schema } });
const ok = (description, schema) => ({ description, content: json(schema) });
const created = (description, schema, where) => ({
  description,
  headers: { Location: { description: `URL of the new ${where}`, required: true, schema: { type: 'string' } } },
  content: json(schema),
});
const mergePatch = (schema) => ({ required: true, content: { 'application/merge-patch+json': { schema } } });
const jsonBody = (schema) => ({ required: true, content: json(schema) });
const idParam = (name, what) => ({
  name, in: 'path', required: true, description: `The ${what}'s id`,
  schema: { type: 'integer', minimum: 1, examples: [1] },
});
const limit = { $ref: '#/components/parameters/Limit' };
const cursor = { $ref: '#/components/parameters/Cursor' };
const page = (item) => ({
  type: 'object',
  additionalProperties: false,
  required: ['items', 'next_cursor'],
  properties: {
    items: { type: 'array', items: ref(item) },
    next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` to get the next page; null on the last page.' },
  },
});
const librarianOnly = { 'x-sentinel-privileged': true };
const instant = { type: 'string', format: 'date-time', readOnly: true };
const BRANCHES = ['central', 'riverside', 'hillcrest'];

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'Lending Desk',
    version: '1.4.0',
    summary: 'Members, catalogue, copies, loans, holds and fines of a public library.',
    description:
      'Members sign up (POST /members) and get a bearer token from POST /auth/token (form body). ' +
      'Two roles: `member` and `librarian`. Librarians manage the catalogue, copies and fines and see every ' +
      "member's loans, holds and fines; a member sees only their own (another member's item answers 404). " +
      'Lists are paged with an opaque cursor: the body\'s `next_cursor` is passed back as `cursor`. ' +
      'Partial updates use JSON Merge Patch (RFC 7396). Errors are RFC 7807 problem details.',
  },
  servers: [{ url: 'http://127.0.0.1:4190', description: 'local' }],
  security: [{ bearerAuth: [] }],
  tags: [
    { name: 'auth' }, { name: 'members' }, { name: 'books' }, { name: 'copies' },
    { name: 'loans' }, { name: 'holds' }, { name: 'fines' },
  ],
  paths: {
    '/auth/token': {
      post: {
        operationId: 'issueToken',
        tags: ['auth'],
        summary: 'Sign in: exchange a username and password for a bearer token',
        description:
          'Failed sign-ins are throttled per username: after 5 failures within a minute the next attempts ' +
          'answer 429 with Retry-After until the minute is over.',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['username', 'password'],
                properties: {
                  username: { type: 'string', minLength: 1, maxLength: 24, examples: ['dana_reads'] },
                  password: { type: 'string', minLength: 1, maxLength: 128, format: 'password', examples: ['correct-horse-9'] },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'A bearer token',
            headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
            content: json(ref('Token')),
          },
          400: R[400],
          401: R[401],
          415: R[415],
          429: {
            description: 'Too many failed sign-ins for this username',
            headers: { 'Retry-After': { required: true, description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
            content: { 'application/problem+json': { schema: ref('Problem') } },
          },
        },
      },
    },
    '/members': {
      post: {
        operationId: 'signUp',
        tags: ['members'],
        summary: 'Sign up as a member',
        security: [],
        requestBody: jsonBody(ref('MemberSignup')),
        responses: {
          201: created('The new member', ref('Member'), 'member'),
          400: R[400], 409: R[409], 415: R[415],
        },
      },
      get: {
        operationId: 'listMembers',
        tags: ['members'],
        summary: 'List members (librarians only)',
        ...librarianOnly,
        parameters: [limit, cursor],
        responses: { 200: ok('A page of members', page('Member')), 400: R[400], 401: R[401], 403: R[403] },
      },
    },
    '/members/me': {
      get: {
        operationId: 'getMe',
        tags: ['members'],
        summary: "The caller's own member record",
        responses: { 200: ok('The caller', ref('Member')), 401: R[401] },
      },
      patch: {
        operationId: 'updateMe',
        tags: ['members'],
        summary: "Change the caller's contact details (JSON Merge Patch)",
        requestBody: mergePatch(ref('MemberPatch')),
        responses: { 200: ok('The updated member', ref('Member')), 400: R[400], 401: R[401], 409: R[409], 415: R[415] },
      },
    },
    '/members/{member_id}': {
      parameters: [idParam('member_id', 'member')],
      get: {
        operationId: 'getMember',
        tags: ['members'],
        summary: 'A member (the member themself, or a librarian)',
        responses: { 200: ok('The member', ref('Member')), 400: R[400], 401: R[401], 404: R[404] },
      },
    },
    '/books': {
      get: {
        operationId: 'listBooks',
        tags: ['books'],
        summary: 'Search the catalogue',
        security: [],
        parameters: [
          { name: 'q', in: 'query', description: 'Words of the title (case-insensitive substring)', schema: { type: 'string', minLength: 1, maxLength: 100, examples: ['garden'] } },
          { name: 'author', in: 'query', description: "Part of an author's name (case-insensitive substring)", schema: { type: 'string', minLength: 1, maxLength: 100, examples: ['Burnett'] } },
          { name: 'subject', in: 'query', description: 'Exact subject', schema: { type: 'string', minLength: 1, maxLength: 40, examples: ['fiction'] } },
          limit, cursor,
        ],
        responses: { 200: ok('A page of books', page('Book')), 400: R[400] },
      },
      post: {
        operationId: 'createBook',
        tags: ['books'],
        summary: 'Add a book to the catalogue (librarians only)',
        ...librarianOnly,
        requestBody: jsonBody(ref('BookCreate')),
        responses: {
          201: created('The new book', ref('Book'), 'book'),
          400: R[400], 401: R[401], 403: R[403], 409: R[409], 415: R[415],
        },
      },
    },
    '/books/{book_id}': {
      parameters: [idParam('book_id', 'book')],
      get: {
        operationId: 'getBook',
        tags: ['books'],
        summary: 'A book',
        security: [],
        responses: { 200: ok('The book', ref('Book')), 400: R[400], 404: R[404] },
      },
      patch: {
        operationId: 'updateBook',
        tags: ['books'],
        summary: 'Change a book (JSON Merge Patch; librarians only)',
        ...librarianOnly,
        requestBody: mergePatch(ref('BookPatch')),
        responses: { 200: ok('The updated book', ref('Book')), 400: R[400], 401: R[401], 403: R[403], 404: R[404], 415: R[415] },
      },
      delete: {
        operationId: 'deleteBook',
        tags: ['books'],
        summary: 'Remove a book and its copies (librarians only); refused while a copy is on loan',
        ...librarianOnly,
        responses: { 204: { description: 'Removed' }, 400: R[400], 401: R[401], 403: R[403], 404: R[404], 409: R[409] },
      },
    },
    '/books/{book_id}/copies': {
      parameters: [idParam('book_id', 'book')],
      get: {
        operationId: 'listCopies',
        tags: ['copies'],
        summary: 'The copies of a book',
        security: [],
        responses: {
          200: ok('Every copy of the book', {
            type: 'object', additionalProperties: false, required: ['items'],
            properties: { items: { type: 'array', items: ref('Copy') } },
          }),
          400: R[400], 404: R[404],
        },
      },
      post: {
        operationId: 'addCopy',
        tags: ['copies'],
        summary: 'Add a copy of a book (librarians only)',
        ...librarianOnly,
        requestBody: jsonBody(ref('CopyCreate')),
        responses: {
          201: created('The new copy', ref('Copy'), 'copy'),
          400: R[400], 401: R[401], 403: R[403], 404: R[404], 409: R[409], 415: R[415],
        },
      },
    },
    '/copies/{copy_id}': {
      parameters: [idParam('copy_id', 'copy')],
      get: {
        operationId: 'getCopy',
        tags: ['copies'],
        summary: 'A copy',
        responses: { 200: ok('The copy', ref('Copy')), 400: R[400], 401: R[401], 404: R[404] },
      },
      delete: {
        operationId: 'withdrawCopy',
        tags: ['copies'],
        summary: 'Withdraw a copy (librarians only); refused while it is on loan',
        ...librarianOnly,
        responses: { 204: { description: 'Withdrawn' }, 400: R[400], 401: R[401], 403: R[403], 404: R[404], 409: R[409] },
      },
    },
    '/loans': {
      get: {
        operationId: 'listLoans',
        tags: ['loans'],
        summary: "The caller's loans (a librarian: every loan)",
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'returned'] } },
          limit, cursor,
        ],
        responses: { 200: ok('A page of loans', page('Loan')), 400: R[400], 401: R[401] },
      },
      post: {
        operationId: 'borrowCopy',
        tags: ['loans'],
        summary: 'Borrow an available copy',
        description: 'A member borrows for themself; a librarian may lend to another member with `member_id`.',
        requestBody: jsonBody(ref('LoanCreate')),
        responses: {
          201: created('The new loan', ref('Loan'), 'loan'),
          400: R[400], 401: R[401], 403: R[403], 409: R[409], 415: R[415], 422: R[422],
        },
      },
    },
    '/loans/{loan_id}': {
      parameters: [idParam('loan_id', 'loan')],
      get: {
        operationId: 'getLoan',
        tags: ['loans'],
        summary: 'A loan (its member, or a librarian)',
        responses: { 200: ok('The loan', ref('Loan')), 400: R[400], 401: R[401], 404: R[404] },
      },
    },
    '/loans/{loan_id}/return': {
      parameters: [idParam('loan_id', 'loan')],
      post: {
        operationId: 'returnLoan',
        tags: ['loans'],
        summary: 'Return a borrowed copy (its member, or a librarian)',
        responses: { 200: ok('The returned loan', ref('Loan')), 400: R[400], 401: R[401], 404: R[404], 409: R[409] },
      },
    },
    '/loans/{loan_id}/renew': {
      parameters: [idParam('loan_id', 'loan')],
      post: {
        operationId: 'renewLoan',
        tags: ['loans'],
        summary: 'Renew an active loan for 14 more days (its member; at most 2 renewals)',
        responses: { 200: ok('The renewed loan', ref('Loan')), 400: R[400], 401: R[401], 404: R[404], 409: R[409] },
      },
    },
    '/holds': {
      get: {
        operationId: 'listHolds',
        tags: ['holds'],
        summary: "The caller's holds (a librarian: every hold)",
        parameters: [limit, cursor],
        responses: { 200: ok('A page of holds', page('Hold')), 400: R[400], 401: R[401] },
      },
      post: {
        operationId: 'placeHold',
        tags: ['holds'],
        summary: 'Place a hold on a book',
        requestBody: jsonBody(ref('HoldCreate')),
        responses: {
          201: created('The new hold', ref('Hold'), 'hold'),
          400: R[400], 401: R[401], 415: R[415], 422: R[422],
        },
      },
    },
    '/holds/{hold_id}': {
      parameters: [idParam('hold_id', 'hold')],
      get: {
        operationId: 'getHold',
        tags: ['holds'],
        summary: 'A hold (its member, or a librarian)',
        responses: { 200: ok('The hold', ref('Hold')), 400: R[400], 401: R[401], 404: R[404] },
      },
      patch: {
        operationId: 'updateHold',
        tags: ['holds'],
        summary: 'Change the pickup branch or notes of a hold (JSON Merge Patch; its member, or a librarian)',
        requestBody: mergePatch(ref('HoldPatch')),
        responses: { 200: ok('The updated hold', ref('Hold')), 400: R[400], 401: R[401], 404: R[404], 415: R[415] },
      },
      delete: {
        operationId: 'cancelHold',
        tags: ['holds'],
        summary: 'Cancel a hold (its member, or a librarian)',
        responses: { 204: { description: 'Cancelled' }, 400: R[400], 401: R[401], 404: R[404] },
      },
    },
    '/fines': {
      get: {
        operationId: 'listFines',
        tags: ['fines'],
        summary: "The caller's fines (a librarian: every fine)",
        parameters: [limit, cursor],
        responses: { 200: ok('A page of fines', page('Fine')), 400: R[400], 401: R[401] },
      },
      post: {
        operationId: 'chargeFine',
        tags: ['fines'],
        summary: 'Charge a member a fine (librarians only)',
        ...librarianOnly,
        requestBody: jsonBody(ref('FineCreate')),
        responses: {
          201: created('The new fine', ref('Fine'), 'fine'),
          400: R[400], 401: R[401], 403: R[403], 415: R[415], 422: R[422],
        },
      },
    },
    '/fines/{fine_id}': {
      parameters: [idParam('fine_id', 'fine')],
      get: {
        operationId: 'getFine',
        tags: ['fines'],
        summary: 'A fine (its member, or a librarian)',
        responses: { 200: ok('The fine', ref('Fine')), 400: R[400], 401: R[401], 404: R[404] },
      },
    },
    '/fines/{fine_id}/pay': {
      parameters: [idParam('fine_id', 'fine')],
      post: {
        operationId: 'payFine',
        tags: ['fines'],
        summary: 'Pay an open fine (its member)',
        responses: { 200: ok('The paid fine', ref('Fine')), 400: R[400], 401: R[401], 404: R[404], 409: R[409] },
      },
    },
    '/fines/{fine_id}/waive': {
      parameters: [idParam('fine_id', 'fine')],
      post: {
        operationId: 'waiveFine',
        tags: ['fines'],
        summary: 'Waive an open fine (librarians only)',
        ...librarianOnly,
        responses: { 200: ok('The waived fine', ref('Fine')), 400: R[400], 401: R[401], 403: R[403], 404: R[404], 409: R[409] },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token of POST /auth/token' },
    },
    parameters: {
      Limit: { name: 'limit', in: 'query', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      Cursor: { name: 'cursor', in: 'query', description: 'The `next_cursor` of the previous page', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } },
    },
    responses: {
      BadRequest: problem('The request is malformed or fails validation'),
      Unauthorized: problem('No valid bearer token (or, on sign-in, wrong credentials)'),
      Forbidden: problem('The caller is not allowed to do this'),
      NotFound: problem('No such item visible to the caller'),
      Conflict: problem('The request conflicts with the current state'),
      UnsupportedMediaType: problem('The body is not of a documented media type'),
      Unprocessable: problem('The request refers to something that does not exist'),
    },
    schemas: {
      Problem: {
        type: 'object',
        description: 'RFC 7807 problem details',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer', minimum: 400, maximum: 599 },
          detail: { type: 'string' },
          instance: { type: 'string' },
          invalid_params: {
            type: 'array',
            items: {
              type: 'object', required: ['name', 'reason'],
              properties: { name: { type: 'string' }, reason: { type: 'string' } },
            },
          },
        },
      },
      Token: {
        type: 'object',
        additionalProperties: false,
        required: ['access_token', 'token_type', 'expires_in'],
        properties: {
          access_token: { type: 'string' },
          token_type: { const: 'bearer' },
          expires_in: { type: 'integer', examples: [7200] },
        },
      },
      Member: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'username', 'email', 'full_name', 'phone', 'role', 'created_at'],
        properties: {
          id: { type: 'integer', readOnly: true },
          username: { type: 'string', pattern: '^[a-z][a-z0-9_]{2,23}$' },
          email: { type: 'string', format: 'email' },
          full_name: { type: 'string', minLength: 1, maxLength: 80 },
          phone: { type: ['string', 'null'] },
          role: { type: 'string', enum: ['member', 'librarian'], readOnly: true },
          created_at: instant,
        },
      },
      MemberSignup: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'email', 'password', 'full_name'],
        properties: {
          username: { type: 'string', pattern: '^[a-z][a-z0-9_]{2,23}$', description: 'Unique', examples: ['dana_reads'] },
          email: { type: 'string', format: 'email', maxLength: 120, description: 'Unique', examples: ['dana@example.org'] },
          password: { type: 'string', minLength: 8, maxLength: 128, writeOnly: true, examples: ['correct-horse-9'] },
          full_name: { type: 'string', minLength: 1, maxLength: 80, examples: ['Dana Whitfield'] },
          phone: { type: ['string', 'null'], pattern: '^\\+?[0-9 ()-]{6,20}$', examples: ['+44 20 7946 0018'] },
        },
      },
      MemberPatch: {
        type: 'object',
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 120 },
          full_name: { type: 'string', minLength: 1, maxLength: 80 },
          phone: { type: ['string', 'null'], pattern: '^\\+?[0-9 ()-]{6,20}$' },
        },
      },
      Book: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'isbn', 'title', 'authors', 'published_year', 'subjects', 'total_copies', 'available_copies', 'created_at'],
        properties: {
          id: { type: 'integer', readOnly: true },
          isbn: { type: 'string', pattern: '^97[89][0-9]{10}$' },
          title: { type: 'string', minLength: 1, maxLength: 200 },
          authors: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 100 } },
          published_year: { type: ['integer', 'null'], minimum: 1450, maximum: 2100 },
          subjects: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 40 } },
          total_copies: { type: 'integer', minimum: 0, readOnly: true },
          available_copies: { type: 'integer', minimum: 0, readOnly: true },
          created_at: instant,
        },
      },
      BookCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['isbn', 'title', 'authors'],
        properties: {
          isbn: { type: 'string', pattern: '^97[89][0-9]{10}$', description: 'ISBN-13, unique in the catalogue', examples: ['9780140449136'] },
          title: { type: 'string', minLength: 1, maxLength: 200, examples: ['Crime and Punishment'] },
          authors: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 100 }, examples: [['Fyodor Dostoevsky']] },
          published_year: { type: ['integer', 'null'], minimum: 1450, maximum: 2100, examples: [1866] },
          subjects: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 40 }, examples: [['fiction', 'classics']] },
        },
      },
      BookPatch: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 200 },
          authors: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 100 } },
          published_year: { type: ['integer', 'null'], minimum: 1450, maximum: 2100 },
          subjects: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 40 } },
        },
      },
      Copy: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'book_id', 'barcode', 'branch', 'condition', 'status', 'added_at'],
        properties: {
          id: { type: 'integer', readOnly: true },
          book_id: { type: 'integer', readOnly: true },
          barcode: { type: 'string', pattern: '^LIB-[0-9]{6}$' },
          branch: { type: 'string', enum: BRANCHES },
          condition: { type: 'string', enum: ['good', 'worn', 'damaged'] },
          status: { type: 'string', enum: ['available', 'on_loan'], readOnly: true },
          added_at: instant,
        },
      },
      CopyCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['barcode', 'branch'],
        properties: {
          barcode: { type: 'string', pattern: '^LIB-[0-9]{6}$', description: 'Unique', examples: ['LIB-004211'] },
          branch: { type: 'string', enum: BRANCHES },
          condition: { type: 'string', enum: ['good', 'worn', 'damaged'], default: 'good' },
        },
      },
      Loan: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'copy_id', 'book_id', 'member_id', 'status', 'borrowed_at', 'due_date', 'returned_at', 'renewals'],
        properties: {
          id: { type: 'integer', readOnly: true },
          copy_id: { type: 'integer' },
          book_id: { type: 'integer', readOnly: true },
          member_id: { type: 'integer' },
          status: { type: 'string', enum: ['active', 'returned'], readOnly: true },
          borrowed_at: instant,
          due_date: { type: 'string', format: 'date', readOnly: true },
          returned_at: { type: ['string', 'null'], format: 'date-time', readOnly: true },
          renewals: { type: 'integer', minimum: 0, maximum: 2, readOnly: true },
        },
      },
      LoanCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['copy_id'],
        properties: {
          copy_id: { type: 'integer', minimum: 1, description: 'An available copy' },
          member_id: { type: 'integer', minimum: 1, description: 'Librarians only: the borrowing member (default: the caller)' },
        },
      },
      Hold: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'book_id', 'member_id', 'pickup_branch', 'notes', 'status', 'placed_at'],
        properties: {
          id: { type: 'integer', readOnly: true },
          book_id: { type: 'integer' },
          member_id: { type: 'integer', readOnly: true },
          pickup_branch: { type: 'string', enum: BRANCHES },
          notes: { type: ['string', 'null'], maxLength: 200 },
          status: { type: 'string', enum: ['waiting', 'ready'], readOnly: true },
          placed_at: instant,
        },
      },
      HoldCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['book_id', 'pickup_branch'],
        properties: {
          book_id: { type: 'integer', minimum: 1 },
          pickup_branch: { type: 'string', enum: BRANCHES },
          notes: { type: ['string', 'null'], maxLength: 200, examples: ['Large print if possible'] },
        },
      },
      HoldPatch: {
        type: 'object',
        additionalProperties: false,
        properties: {
          pickup_branch: { type: 'string', enum: BRANCHES },
          notes: { type: ['string', 'null'], maxLength: 200 },
        },
      },
      Fine: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'member_id', 'amount_cents', 'reason', 'status', 'created_at'],
        properties: {
          id: { type: 'integer', readOnly: true },
          member_id: { type: 'integer' },
          amount_cents: { type: 'integer', minimum: 1, maximum: 100000 },
          reason: { type: 'string', minLength: 1, maxLength: 200 },
          status: { type: 'string', enum: ['open', 'paid', 'waived'], readOnly: true },
          created_at: instant,
        },
      },
      FineCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['member_id', 'amount_cents', 'reason'],
        properties: {
          member_id: { type: 'integer', minimum: 1, description: 'An existing member' },
          amount_cents: { type: 'integer', minimum: 1, maximum: 100000, examples: [250] },
          reason: { type: 'string', minLength: 1, maxLength: 200, examples: ['Damaged dust jacket'] },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Lending Desk — generated by `node spec.mjs`; edit spec.mjs, not this file.');
