// Ledgerly's OpenAPI document as an object: server.mjs routes and validates from it, and
// `node examples/blind-billing/spec.mjs` writes openapi.yaml from it (the two never drift).
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const json = (schema) => ({ content: { 'application/json': { schema } } });
const err = (description) => ({ description, ...json(ref('Error')) });
const E = {
  400: err('The request is malformed or a value is invalid; `error.details` names each field.'),
  401: err('No session cookie, or the session has ended.'),
  403: err('The session may not call this operation.'),
  404: err('No such resource (or it belongs to another account, or it was deleted).'),
  409: err('The resource is not in a state that allows this.'),
  415: err('The body is not in a content type this operation takes.'),
  422: err('The request is well-formed but cannot be applied.'),
};
const pick = (...codes) => Object.fromEntries(codes.map((c) => [String(c), E[c]]));

const offset = { name: 'offset', in: 'query', description: 'Number of items to skip.', schema: { type: 'integer', minimum: 0, maximum: 10000, default: 0 } };
const limit = { name: 'limit', in: 'query', description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const customerId = { name: 'customer_id', in: 'path', required: true, schema: { type: 'integer', format: 'int64', minimum: 1 } };
const invoiceId = { name: 'invoice_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Ledgerly billing API',
    version: '2.3.0',
    description: [
      'Customers, invoices, payments and exports of small businesses. Sign in with `POST /login`:',
      'the answer sets the `ledgerly_session` cookie, which every other operation needs.',
      '',
      'Sandbox accounts (sandbox only, reset on restart): `alice@acme.example` / `alice-sandbox-pw-1`',
      'and `bob@globex.example` / `bob-sandbox-pw-2`. New accounts sign up with `POST /signup`',
      '(a form post). Five failed sign-ins for one e-mail within a minute answer 429 for a minute.',
      '',
      'Customers have integer ids and are soft-deleted; invoices have UUIDs and take JSON Patch.',
      'Amounts are integer cents.',
    ].join('\n'),
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'session' }, { name: 'customers' }, { name: 'invoices' }, { name: 'exports' },
    { name: 'admin', description: 'Operations for accounts with role `admin` only.' },
  ],
  security: [{ sessionCookie: [] }],
  paths: {
    '/signup': {
      post: {
        operationId: 'signUp', tags: ['session'], security: [], summary: 'Create an account (form post)',
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('SignupForm') } } },
        responses: { 201: { description: 'The account.', ...json(ref('User')) }, ...pick(400, 409, 415) },
      },
    },
    '/login': {
      post: {
        operationId: 'logIn', tags: ['session'], security: [], summary: 'Sign in; sets the session cookie',
        requestBody: { required: true, ...json(ref('Credentials')) },
        responses: {
          200: {
            description: 'Signed in. The session cookie is in `Set-Cookie`.',
            headers: { 'Set-Cookie': { required: true, description: '`ledgerly_session=<token>; Path=/; HttpOnly; SameSite=Lax`', schema: { type: 'string' } } },
            ...json(ref('Session')),
          },
          ...pick(400, 415),
          401: err('Wrong e-mail or password (the same answer for both).'),
          429: {
            description: 'Too many failed sign-ins for this e-mail.',
            headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } },
            ...json(ref('Error')),
          },
        },
      },
    },
    '/logout': {
      post: { operationId: 'logOut', tags: ['session'], summary: 'End the session', responses: { 204: { description: 'Signed out.' }, ...pick(401) } },
    },
    '/me': {
      get: { operationId: 'getMe', tags: ['session'], summary: 'The signed-in account', responses: { 200: { description: 'The account.', ...json(ref('User')) }, ...pick(401) } },
    },
    '/customers': {
      get: {
        operationId: 'listCustomers', tags: ['customers'], summary: 'List customers (offset/limit, Link header)',
        parameters: [
          offset, limit,
          { name: 'q', in: 'query', description: 'Case-insensitive text found in the name or e-mail.', schema: { type: 'string', minLength: 1, maxLength: 100 } },
          { name: 'country', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{2}$' } },
          { name: 'include_deleted', in: 'query', description: 'Also list soft-deleted customers (with `deleted_at`).', schema: { type: 'boolean', default: false } },
        ],
        responses: {
          200: {
            description: 'One page of customers.',
            headers: {
              'X-Total-Count': { required: true, description: 'Customers matching the filters.', schema: { type: 'integer', minimum: 0 } },
              Link: { description: 'RFC 8288 links: `next`, `prev` when they exist.', schema: { type: 'string' } },
            },
            ...json({ type: 'array', items: ref('Customer') }),
          },
          ...pick(400, 401),
        },
      },
      post: {
        operationId: 'createCustomer', tags: ['customers'], summary: 'Create a customer',
        requestBody: { required: true, ...json(ref('CustomerInput')) },
        responses: {
          201: {
            description: 'Created.',
            headers: { Location: { required: true, schema: { type: 'string' }, description: '`/customers/{customer_id}`' } },
            ...json(ref('Customer')),
          },
          ...pick(400, 401, 415),
        },
      },
    },
    '/customers/{customer_id}': {
      parameters: [customerId],
      get: { operationId: 'getCustomer', tags: ['customers'], summary: 'Read a customer', responses: { 200: { description: 'The customer.', ...json(ref('Customer')) }, ...pick(400, 401, 404) } },
      put: {
        operationId: 'replaceCustomer', tags: ['customers'], summary: 'Replace a customer',
        requestBody: { required: true, ...json(ref('CustomerInput')) },
        responses: { 200: { description: 'The customer as stored.', ...json(ref('Customer')) }, ...pick(400, 401, 404, 415) },
      },
      delete: {
        operationId: 'deleteCustomer', tags: ['customers'], summary: 'Soft-delete a customer',
        description: 'The customer is kept with `deleted_at` set: reads answer 404 and listings leave it out unless `include_deleted=true`.',
        responses: { 204: { description: 'Deleted.' }, ...pick(400, 401, 404) },
      },
    },
    '/invoices': {
      get: {
        operationId: 'listInvoices', tags: ['invoices'], summary: 'List invoices',
        parameters: [
          { name: 'status', in: 'query', style: 'form', explode: true, description: 'Any of these statuses (repeat the parameter).', schema: { type: 'array', items: ref('InvoiceStatus'), maxItems: 4 } },
          { name: 'issued_from', in: 'query', description: 'Issued on or after this day.', schema: { type: 'string', format: 'date' } },
          { name: 'issued_to', in: 'query', description: 'Issued on or before this day.', schema: { type: 'string', format: 'date' } },
          { name: 'customer_id', in: 'query', schema: { type: 'integer', format: 'int64', minimum: 1 } },
          { name: 'q', in: 'query', description: 'Text found in the number or the notes.', schema: { type: 'string', minLength: 1, maxLength: 100 } },
          offset, limit,
        ],
        responses: { 200: { description: 'One page of invoices.', ...json(ref('InvoicePage')) }, ...pick(400, 401) },
      },
      post: {
        operationId: 'createInvoice', tags: ['invoices'], summary: 'Create a draft invoice',
        requestBody: { required: true, ...json(ref('InvoiceInput')) },
        responses: {
          201: { description: 'Created (status `draft`).', headers: { Location: { required: true, schema: { type: 'string' } } }, ...json(ref('Invoice')) },
          ...pick(400, 401, 415),
          422: err('The customer does not exist (or is deleted), or `due_date` is before `issue_date`.'),
        },
      },
    },
    '/invoices/bulk': {
      post: {
        operationId: 'bulkInvoiceAction', tags: ['invoices'], summary: 'Send or void several invoices',
        requestBody: { required: true, ...json(ref('BulkAction')) },
        responses: { 200: { description: 'One result per id, in order.', ...json(ref('BulkResult')) }, ...pick(400, 401, 415) },
      },
    },
    '/invoices/{invoice_id}': {
      parameters: [invoiceId],
      get: { operationId: 'getInvoice', tags: ['invoices'], summary: 'Read an invoice', responses: { 200: { description: 'The invoice.', ...json(ref('Invoice')) }, ...pick(400, 401, 404) } },
      patch: {
        operationId: 'patchInvoice', tags: ['invoices'], summary: 'Change an invoice (JSON Patch, RFC 6902)',
        description: 'Operations `add`, `replace` and `remove` on `/notes`, `/due_date` and `/po_number` only.',
        requestBody: { required: true, content: { 'application/json-patch+json': { schema: ref('JsonPatch') } } },
        responses: { 200: { description: 'The invoice as stored.', ...json(ref('Invoice')) }, ...pick(400, 401, 404, 415, 422) },
      },
      delete: {
        operationId: 'deleteInvoice', tags: ['invoices'], summary: 'Delete a draft invoice',
        responses: { 204: { description: 'Deleted.' }, ...pick(400, 401, 404), 409: err('Only drafts can be deleted; void the invoice instead.') },
      },
    },
    '/invoices/{invoice_id}/payments': {
      parameters: [invoiceId],
      get: {
        operationId: 'listPayments', tags: ['invoices'], summary: 'Payments of an invoice',
        responses: { 200: { description: 'Payments, oldest first.', ...json({ type: 'array', items: ref('Payment') }) }, ...pick(400, 401, 404) },
      },
      post: {
        operationId: 'recordPayment', tags: ['invoices'], summary: 'Record a payment (card or bank transfer)',
        requestBody: { required: true, ...json(ref('PaymentInput')) },
        responses: {
          201: { description: 'Recorded; the invoice is `paid` once the payments cover its total.', ...json(ref('Payment')) },
          ...pick(400, 401, 404, 415), 409: err('The invoice is void.'),
        },
      },
    },
    '/exports': {
      post: {
        operationId: 'startExport', tags: ['exports'], summary: 'Export invoices issued in a date range (asynchronous)',
        requestBody: { required: true, ...json(ref('ExportRequest')) },
        responses: {
          202: {
            description: 'Queued. Poll the job at `Location` until `status` is `done` or `failed`.',
            headers: { Location: { required: true, schema: { type: 'string' }, description: '`/exports/{job_id}`' } },
            ...json(ref('ExportJob')),
          },
          ...pick(400, 401, 415), 422: err('`to` is before `from`.'),
        },
      },
    },
    '/exports/{job_id}': {
      parameters: [{ name: 'job_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: { operationId: 'getExport', tags: ['exports'], summary: 'Poll an export job', responses: { 200: { description: 'The job.', ...json(ref('ExportJob')) }, ...pick(400, 401, 404) } },
    },
    '/admin/users': {
      get: {
        operationId: 'adminListUsers', tags: ['admin'], summary: 'List every account (admin only)',
        parameters: [offset, limit],
        responses: { 200: { description: 'Accounts.', ...json({ type: 'array', items: ref('User') }) }, ...pick(400, 401, 403) },
      },
    },
  },
  components: {
    securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: 'ledgerly_session', description: 'Set by `POST /login`.' } },
    schemas: {
      Error: {
        type: 'object', required: ['error'],
        properties: {
          error: {
            type: 'object', required: ['code', 'message'],
            properties: {
              code: { type: 'string', example: 'invalid_request' },
              message: { type: 'string' },
              details: { type: 'array', items: { type: 'object', required: ['field', 'issue'], properties: { field: { type: 'string' }, issue: { type: 'string' } } } },
            },
          },
        },
      },
      SignupForm: {
        type: 'object', required: ['email', 'password', 'company_name'], additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 120, example: 'owner@initech.example' },
          password: { type: 'string', minLength: 10, maxLength: 72, writeOnly: true, example: 'correct-horse-42' },
          company_name: { type: 'string', minLength: 1, maxLength: 80, example: 'Initech' },
        },
      },
      Credentials: {
        type: 'object', required: ['email', 'password'], additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 120, example: 'alice@acme.example' },
          password: { type: 'string', minLength: 1, maxLength: 72, writeOnly: true, example: 'alice-sandbox-pw-1' },
        },
      },
      User: {
        type: 'object', required: ['id', 'email', 'company_name', 'role', 'created_at'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true, example: 1 },
          email: { type: 'string', format: 'email' },
          company_name: { type: 'string' },
          role: { type: 'string', enum: ['owner', 'admin'], readOnly: true },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Session: {
        type: 'object', required: ['user', 'expires_at'],
        properties: { user: ref('User'), expires_at: { type: 'string', format: 'date-time' } },
      },
      Address: {
        type: 'object', required: ['line1', 'city', 'postal_code', 'country'], additionalProperties: false,
        properties: {
          line1: { type: 'string', minLength: 1, maxLength: 100, example: '1 Infinite Loop' },
          line2: { type: 'string', maxLength: 100, nullable: true, example: null },
          city: { type: 'string', minLength: 1, maxLength: 60, example: 'Cupertino' },
          postal_code: { type: 'string', minLength: 2, maxLength: 12, example: '95014' },
          country: { type: 'string', pattern: '^[A-Z]{2}$', example: 'US', description: 'ISO 3166-1 alpha-2.' },
        },
      },
      CustomerInput: {
        type: 'object', required: ['name', 'email', 'billing_address'], additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100, example: 'Wayne Enterprises' },
          email: { type: 'string', format: 'email', maxLength: 120, example: 'ap@wayne.example' },
          billing_address: ref('Address'),
          tax_id: { type: 'string', nullable: true, pattern: '^[A-Z0-9]{4,20}$', example: 'US123456789' },
          payment_terms_days: { type: 'integer', minimum: 0, maximum: 120, default: 30, example: 30 },
          notes: { type: 'string', maxLength: 500, nullable: true, example: null },
          balance_cents: { type: 'integer', readOnly: true, description: 'Outstanding amount; computed from invoices and payments.' },
        },
      },
      Customer: {
        type: 'object',
        required: ['id', 'owner_id', 'name', 'email', 'billing_address', 'tax_id', 'payment_terms_days', 'notes', 'balance_cents', 'created_at', 'updated_at', 'deleted_at'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          owner_id: { type: 'integer', format: 'int64', readOnly: true },
          name: { type: 'string' },
          email: { type: 'string', format: 'email' },
          billing_address: ref('Address'),
          tax_id: { type: 'string', nullable: true },
          payment_terms_days: { type: 'integer' },
          notes: { type: 'string', nullable: true },
          balance_cents: { type: 'integer', readOnly: true },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
          updated_at: { type: 'string', format: 'date-time', readOnly: true },
          deleted_at: { type: 'string', format: 'date-time', nullable: true, readOnly: true },
        },
      },
      InvoiceStatus: { type: 'string', enum: ['draft', 'sent', 'paid', 'void'] },
      Currency: { type: 'string', enum: ['USD', 'EUR', 'GBP', 'CHF'] },
      LineInput: {
        type: 'object', required: ['description', 'quantity', 'unit_amount'], additionalProperties: false,
        properties: {
          description: { type: 'string', minLength: 1, maxLength: 200, example: 'Consulting, October' },
          quantity: { type: 'integer', minimum: 1, maximum: 10000, example: 3 },
          unit_amount: { type: 'integer', minimum: 0, maximum: 100000000, example: 12500, description: 'Cents.' },
        },
      },
      InvoiceInput: {
        type: 'object', required: ['customer_id', 'currency', 'issue_date', 'lines'], additionalProperties: false,
        properties: {
          customer_id: { type: 'integer', format: 'int64', minimum: 1, example: 1 },
          currency: ref('Currency'),
          issue_date: { type: 'string', format: 'date', example: '2026-11-02' },
          due_date: { type: 'string', format: 'date', nullable: true, example: '2026-12-02', description: 'Null: due on receipt.' },
          po_number: { type: 'string', maxLength: 40, nullable: true, example: 'PO-7781' },
          notes: { type: 'string', maxLength: 1000, nullable: true, example: 'Thank you for your business.' },
          lines: { type: 'array', minItems: 1, maxItems: 50, items: ref('LineInput') },
        },
      },
      Line: {
        type: 'object', required: ['description', 'quantity', 'unit_amount', 'amount'],
        properties: { description: { type: 'string' }, quantity: { type: 'integer' }, unit_amount: { type: 'integer' }, amount: { type: 'integer' } },
      },
      Invoice: {
        type: 'object',
        required: ['id', 'number', 'customer_id', 'currency', 'status', 'issue_date', 'due_date', 'po_number', 'notes', 'lines', 'total_amount', 'amount_paid', 'created_at'],
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true },
          number: { type: 'string', pattern: '^INV-[0-9]{6}$', readOnly: true },
          customer_id: { type: 'integer', format: 'int64' },
          currency: ref('Currency'),
          status: ref('InvoiceStatus'),
          issue_date: { type: 'string', format: 'date' },
          due_date: { type: 'string', format: 'date', nullable: true },
          po_number: { type: 'string', nullable: true },
          notes: { type: 'string', nullable: true },
          lines: { type: 'array', items: ref('Line') },
          total_amount: { type: 'integer' },
          amount_paid: { type: 'integer' },
          created_by: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } } },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      InvoicePage: {
        type: 'object', required: ['data', 'total', 'offset', 'limit'],
        properties: { data: { type: 'array', items: ref('Invoice') }, total: { type: 'integer', minimum: 0 }, offset: { type: 'integer' }, limit: { type: 'integer' } },
      },
      JsonPatch: {
        type: 'array', minItems: 1, maxItems: 10,
        items: {
          type: 'object', required: ['op', 'path'], additionalProperties: false,
          properties: {
            op: { type: 'string', enum: ['add', 'replace', 'remove'] },
            path: { type: 'string', enum: ['/notes', '/due_date', '/po_number'] },
            value: { nullable: true, description: 'Required for add and replace: a string (a date for `/due_date`) or null.' },
          },
        },
        example: [{ op: 'replace', path: '/notes', value: 'Net 15' }],
      },
      BulkAction: {
        type: 'object', required: ['action', 'invoice_ids'], additionalProperties: false,
        properties: {
          action: { type: 'string', enum: ['send', 'void'] },
          invoice_ids: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', format: 'uuid' } },
        },
      },
      BulkResult: {
        type: 'object', required: ['results'],
        properties: {
          results: {
            type: 'array',
            items: {
              type: 'object', required: ['invoice_id', 'outcome'],
              properties: { invoice_id: { type: 'string' }, outcome: { type: 'string', enum: ['done', 'not_found', 'conflict'] }, status: { type: 'string', nullable: true, enum: ['draft', 'sent', 'paid', 'void', null] } },
            },
          },
        },
      },
      CardPayment: {
        type: 'object', required: ['method', 'amount', 'card_last4'], additionalProperties: false,
        properties: {
          method: { type: 'string', enum: ['card'] },
          amount: { type: 'integer', minimum: 1, maximum: 100000000 },
          paid_on: { type: 'string', format: 'date', nullable: true, description: 'Default: today.' },
          card_last4: { type: 'string', pattern: '^[0-9]{4}$', example: '4242' },
        },
      },
      BankTransferPayment: {
        type: 'object', required: ['method', 'amount', 'iban'], additionalProperties: false,
        properties: {
          method: { type: 'string', enum: ['bank_transfer'] },
          amount: { type: 'integer', minimum: 1, maximum: 100000000 },
          paid_on: { type: 'string', format: 'date', nullable: true },
          iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$', example: 'DE89370400440532013000' },
          reference: { type: 'string', maxLength: 140, nullable: true },
        },
      },
      PaymentInput: {
        oneOf: [ref('CardPayment'), ref('BankTransferPayment')],
        discriminator: { propertyName: 'method', mapping: { card: '#/components/schemas/CardPayment', bank_transfer: '#/components/schemas/BankTransferPayment' } },
        example: { method: 'card', amount: 5000, card_last4: '4242' },
      },
      Payment: {
        type: 'object', required: ['id', 'invoice_id', 'method', 'amount', 'paid_on', 'created_at'],
        properties: {
          id: { type: 'integer', format: 'int64' },
          invoice_id: { type: 'string', format: 'uuid' },
          method: { type: 'string', enum: ['card', 'bank_transfer'] },
          amount: { type: 'integer' },
          paid_on: { type: 'string', format: 'date' },
          card_last4: { type: 'string', nullable: true },
          iban_last4: { type: 'string', nullable: true },
          reference: { type: 'string', nullable: true },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      ExportRequest: {
        type: 'object', required: ['format', 'from', 'to'], additionalProperties: false,
        properties: {
          format: { type: 'string', enum: ['csv', 'json'] },
          from: { type: 'string', format: 'date', example: '2026-01-01' },
          to: { type: 'string', format: 'date', example: '2026-12-31' },
          statuses: { type: 'array', items: ref('InvoiceStatus'), uniqueItems: true, maxItems: 4 },
        },
      },
      ExportJob: {
        type: 'object', required: ['job_id', 'status', 'format', 'created_at', 'download_url', 'row_count'],
        properties: {
          job_id: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
          format: { type: 'string', enum: ['csv', 'json'] },
          created_at: { type: 'string', format: 'date-time' },
          download_url: { type: 'string', nullable: true, description: 'Set when `done`.' },
          row_count: { type: 'integer', nullable: true },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Ledgerly billing API (blind target 5). Generated from spec.mjs: edit that, then `node spec.mjs`.');
