// The Ledgerline banking API (OpenAPI 3.1) as a JS object; `node spec.mjs` rewrites openapi.yaml.
// The document describes the CLEAN variant's behaviour exactly.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const ULID = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'A ULID (26 Crockford base-32 characters).' };
const ro = (s) => ({ ...s, readOnly: true });
const AMOUNT = {
  type: 'string',
  pattern: '^(0\\.(0[1-9]|[1-9][0-9])|[1-9][0-9]{0,5}\\.[0-9]{2})$',
  description: 'A positive amount of money as a decimal string with exactly two decimals, from 0.01 to 999999.99.',
  example: '25.00',
};
const BALANCE = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)\\.[0-9]{2}$', description: 'An amount of money as a decimal string with exactly two decimals.' };
const CURRENCY = { type: 'string', enum: ['EUR', 'USD', 'GBP'] };
const TIME = { type: 'string', format: 'date-time' };

const err = (description) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const E400 = err('Invalid parameter or body; `error.field` names the offending input.');
const E401 = {
  ...err('Missing, unknown or expired bearer token.'),
  headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } },
};
const E403 = {
  ...err('The token lacks a scope this operation requires (`insufficient_scope`).'),
  headers: { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } },
};
const E404 = err('No such resource visible to the caller (unknown, of another tenant, or closed).');
const E409 = err('Conflict with the current state (see `error.code`).');
const E415 = err('The body is not application/json.');
const E422 = err('A business rule refused the request (see `error.code` and `error.field`).');
const sec = (...scopes) => [{ oauth2: scopes }];
const json = (schema) => ({ 'application/json': { schema } });
const body = (ref) => ({ required: true, content: json({ $ref: `#/components/schemas/${ref}` }) });
const ok = (description, ref, headers) => ({ description, content: json(typeof ref === 'string' ? { $ref: `#/components/schemas/${ref}` } : ref), ...(headers ? { headers } : {}) });
const LOCATION = { Location: { required: true, description: 'The URL of the created resource.', schema: { type: 'string' } } };
const page = (ref) => ({
  type: 'object',
  required: ['data', 'next_cursor'],
  properties: {
    data: { type: 'array', items: { $ref: `#/components/schemas/${ref}` } },
    next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` to get the next page; null on the last page.' },
  },
});
const pathId = (name, what) => ({ name, in: 'path', required: true, description: `The ${what}'s id.`, schema: ULID });
const paging = [
  { name: 'limit', in: 'query', description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'cursor', in: 'query', description: 'The `next_cursor` of the previous page. An unknown or malformed cursor is a 400.', schema: { type: 'string', minLength: 1, maxLength: 200 } },
];

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'Ledgerline Banking API',
    version: '2.0.0',
    description: [
      'A sandbox core-banking API: customers, accounts, deposits, transfers between accounts, cards and statements.',
      '',
      '**Authentication.** OAuth 2.0 client credentials: `POST /oauth/token` (form-encoded `grant_type=client_credentials`, `client_id`, `client_secret`, optional space-separated `scope`, a subset of the client\'s scopes; default all of them) answers `{access_token, token_type: "Bearer", expires_in: 3600, scope}`. Send it as `Authorization: Bearer <token>`. Sandbox clients:',
      '- `northwind-ops` (tenant northwind): accounts:read accounts:write transfers:write cards:read cards:write admin',
      '- `contoso-app` (tenant contoso): accounts:read accounts:write transfers:write cards:read cards:write',
      '- `fabrikam-viewer` (tenant fabrikam): accounts:read cards:read',
      '',
      'Every operation names the scopes it needs; a token without them gets 403 `insufficient_scope`.',
      'Each client acts for its tenant: resources of another tenant answer 404 and cannot be referenced (422).',
      '',
      '**Money** is a decimal string with two decimals (`"12.50"`) and a currency (EUR, USD, GBP). Sandbox accounts open with a balance of `1000000.00` (their first ledger entry, a deposit with the reference "Sandbox opening balance").',
      '**Ids** are ULIDs. **Lists** are cursor-paginated (`limit`, `cursor` → `next_cursor`).',
      '**Errors** are `{"error": {"code", "message", "field"}}`.',
      '**Closing** an account (DELETE) is a soft delete: it disappears from reads and lists, cannot send or receive money or get cards, and an admin can restore it (`POST /accounts/{account_id}/restore`).',
    ].join('\n'),
  },
  servers: [{ url: '/v2' }],
  security: sec(),
  tags: [{ name: 'customers' }, { name: 'accounts' }, { name: 'transfers' }, { name: 'cards' }, { name: 'admin' }],
  paths: {
    '/me': {
      get: {
        operationId: 'getMe', summary: 'The calling client', tags: ['admin'], security: sec(),
        responses: { 200: ok('The client, its tenant and the scopes of the token.', 'Me'), 401: E401 },
      },
    },
    '/customers': {
      post: {
        operationId: 'createCustomer', summary: 'Register a customer', tags: ['customers'], security: sec('accounts:write'),
        description: 'E-mail addresses are unique within a tenant (409 `email_taken`).',
        requestBody: body('Customer'),
        responses: { 201: ok('Created.', 'Customer', LOCATION), 400: E400, 401: E401, 403: E403, 409: E409, 415: E415 },
      },
      get: {
        operationId: 'listCustomers', summary: 'List customers', tags: ['customers'], security: sec('accounts:read'),
        parameters: [
          ...paging,
          { name: 'search', in: 'query', description: 'Case-insensitive substring of the full name or e-mail.', schema: { type: 'string', minLength: 1, maxLength: 100 } },
        ],
        responses: { 200: ok('A page of customers, oldest first.', page('Customer')), 400: E400, 401: E401, 403: E403 },
      },
    },
    '/customers/{customer_id}': {
      get: {
        operationId: 'getCustomer', summary: 'Get a customer', tags: ['customers'], security: sec('accounts:read'),
        parameters: [pathId('customer_id', 'customer')],
        responses: { 200: ok('The customer.', 'Customer'), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/accounts': {
      post: {
        operationId: 'openAccount', summary: 'Open an account for a customer', tags: ['accounts'], security: sec('accounts:write'),
        description: 'The customer must be one of the tenant\'s (422 `customer_not_found`). The account opens with the sandbox balance 1000000.00.',
        requestBody: body('Account'),
        responses: { 201: ok('Opened.', 'Account', LOCATION), 400: E400, 401: E401, 403: E403, 415: E415, 422: E422 },
      },
      get: {
        operationId: 'listAccounts', summary: 'List open accounts', tags: ['accounts'], security: sec('accounts:read'),
        parameters: [...paging, { name: 'customer_id', in: 'query', description: 'Only this customer\'s accounts.', schema: ULID }],
        responses: { 200: ok('A page of open accounts, oldest first.', page('Account')), 400: E400, 401: E401, 403: E403 },
      },
    },
    '/accounts/{account_id}': {
      parameters: [pathId('account_id', 'account')],
      get: {
        operationId: 'getAccount', summary: 'Get an open account', tags: ['accounts'], security: sec('accounts:read'),
        responses: { 200: ok('The account.', 'Account'), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
      patch: {
        operationId: 'updateAccount', summary: 'Rename an account', tags: ['accounts'], security: sec('accounts:write'),
        description: 'Only the nickname can be changed; the balance moves through deposits and transfers only.',
        requestBody: body('AccountPatch'),
        responses: { 200: ok('The updated account.', 'Account'), 400: E400, 401: E401, 403: E403, 404: E404, 415: E415 },
      },
      delete: {
        operationId: 'closeAccount', summary: 'Close an account (soft delete)', tags: ['accounts'], security: sec('accounts:write'),
        responses: { 204: { description: 'Closed.' }, 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/accounts/{account_id}/restore': {
      parameters: [pathId('account_id', 'account')],
      post: {
        operationId: 'restoreAccount', summary: 'Reopen a closed account', tags: ['admin'], security: sec('admin'),
        responses: { 200: ok('The reopened account.', 'Account'), 400: E400, 401: E401, 403: E403, 404: E404, 409: E409 },
      },
    },
    '/accounts/{account_id}/deposits': {
      parameters: [pathId('account_id', 'account')],
      post: {
        operationId: 'deposit', summary: 'Deposit money into an open account', tags: ['accounts'], security: sec('transfers:write'),
        requestBody: body('Deposit'),
        responses: { 201: ok('The deposit\'s ledger entry.', 'Transaction'), 400: E400, 401: E401, 403: E403, 404: E404, 415: E415 },
      },
    },
    '/accounts/{account_id}/transactions': {
      parameters: [pathId('account_id', 'account')],
      get: {
        operationId: 'listTransactions', summary: 'Ledger entries of an account', tags: ['accounts'], security: sec('accounts:read'),
        parameters: paging,
        responses: { 200: ok('A page of ledger entries, oldest first.', page('Transaction')), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/accounts/{account_id}/statements': {
      parameters: [pathId('account_id', 'account')],
      get: {
        operationId: 'getStatement', summary: 'Statement of an account for a period', tags: ['accounts'], security: sec('accounts:read'),
        description: 'Covers the ledger entries made on the days from `from` to `to` inclusive (UTC). A period with no entries (also one whose `from` is after its `to`) has no entries, and its opening and closing balances are both the balance at the start of `from`.',
        parameters: [
          { name: 'from', in: 'query', required: true, description: 'First day.', schema: { type: 'string', format: 'date', example: '2026-01-01' } },
          { name: 'to', in: 'query', required: true, description: 'Last day.', schema: { type: 'string', format: 'date', example: '2026-12-31' } },
        ],
        responses: { 200: ok('The statement.', 'Statement'), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/transfers': {
      post: {
        operationId: 'createTransfer', summary: 'Transfer money between two accounts of the tenant', tags: ['transfers'], security: sec('transfers:write'),
        description: [
          'Both accounts must be open accounts of the caller\'s tenant in the same currency. Business rules answer 422 with `error.code`: `account_not_found`, `account_closed`, `same_account`, `currency_mismatch`, `insufficient_funds`, `idempotency_key_reused`.',
          'Idempotency: a retry with the same `Idempotency-Key` (per client) and the same body is answered exactly like the first request (same status and transfer, with `Idempotent-Replayed: true`) and moves no money again; the same key with a different body is a 422 `idempotency_key_reused`.',
        ].join('\n'),
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: true, description: 'A client-chosen key, unique per intended transfer.', schema: { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
        ],
        requestBody: body('Transfer'),
        responses: {
          201: ok('The transfer, completed.', 'Transfer', {
            ...LOCATION,
            'Idempotent-Replayed': { description: '`true` when this answer replays an earlier request with the same key.', schema: { type: 'string', enum: ['true'] } },
          }),
          400: E400, 401: E401, 403: E403, 415: E415, 422: E422,
        },
      },
      get: {
        operationId: 'listTransfers', summary: 'List transfers', tags: ['transfers'], security: sec('accounts:read'),
        parameters: [...paging, { name: 'account_id', in: 'query', description: 'Only transfers from or to this account.', schema: ULID }],
        responses: { 200: ok('A page of transfers, oldest first.', page('Transfer')), 400: E400, 401: E401, 403: E403 },
      },
    },
    '/transfers/{transfer_id}': {
      get: {
        operationId: 'getTransfer', summary: 'Get a transfer', tags: ['transfers'], security: sec('accounts:read'),
        parameters: [pathId('transfer_id', 'transfer')],
        responses: { 200: ok('The transfer.', 'Transfer'), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/cards': {
      post: {
        operationId: 'issueCard', summary: 'Issue a debit card on an open account', tags: ['cards'], security: sec('cards:write'),
        description: 'The account must be an open account of the tenant (422 `account_not_found` / `account_closed`). The PIN is write-only and never returned.',
        requestBody: body('Card'),
        responses: { 201: ok('Issued.', 'Card', LOCATION), 400: E400, 401: E401, 403: E403, 415: E415, 422: E422 },
      },
      get: {
        operationId: 'listCards', summary: 'List cards', tags: ['cards'], security: sec('cards:read'),
        parameters: [...paging, { name: 'account_id', in: 'query', description: 'Only this account\'s cards.', schema: ULID }],
        responses: { 200: ok('A page of cards, oldest first.', page('Card')), 400: E400, 401: E401, 403: E403 },
      },
    },
    '/cards/{card_id}': {
      parameters: [pathId('card_id', 'card')],
      get: {
        operationId: 'getCard', summary: 'Get a card', tags: ['cards'], security: sec('cards:read'),
        responses: { 200: ok('The card.', 'Card'), 400: E400, 401: E401, 403: E403, 404: E404 },
      },
      patch: {
        operationId: 'updateCard', summary: 'Freeze, unfreeze or change the daily limit', tags: ['cards'], security: sec('cards:write'),
        requestBody: body('CardPatch'),
        responses: { 200: ok('The updated card.', 'Card'), 400: E400, 401: E401, 403: E403, 404: E404, 415: E415 },
      },
      delete: {
        operationId: 'cancelCard', summary: 'Cancel a card', tags: ['cards'], security: sec('cards:write'),
        responses: { 204: { description: 'Cancelled; the card is gone.' }, 400: E400, 401: E401, 403: E403, 404: E404 },
      },
    },
    '/audit-events': {
      get: {
        operationId: 'listAuditEvents', summary: 'The tenant\'s audit trail', tags: ['admin'], security: sec('admin'),
        parameters: paging,
        responses: { 200: ok('A page of audit events, oldest first.', page('AuditEvent')), 400: E400, 401: E401, 403: E403 },
      },
    },
  },
  components: {
    securitySchemes: {
      oauth2: {
        type: 'oauth2',
        description: 'Client credentials; see the API description for the sandbox clients.',
        flows: {
          clientCredentials: {
            tokenUrl: '/oauth/token',
            scopes: {
              'accounts:read': 'Read customers, accounts, ledgers, statements and transfers',
              'accounts:write': 'Register customers; open, rename and close accounts',
              'transfers:write': 'Deposit and transfer money',
              'cards:read': 'Read cards',
              'cards:write': 'Issue, change and cancel cards',
              admin: 'Restore closed accounts; read the audit trail',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'field'],
            properties: {
              code: { type: 'string', description: 'Stable machine-readable code, e.g. validation_error, not_found, insufficient_scope.' },
              message: { type: 'string' },
              field: { type: ['string', 'null'], description: 'The offending input (a body member, parameter or header), or null.' },
            },
          },
        },
      },
      Me: {
        type: 'object',
        required: ['client_id', 'tenant', 'scopes'],
        properties: { client_id: { type: 'string' }, tenant: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } },
      },
      Customer: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'full_name', 'email', 'created_at'],
        properties: {
          id: ro(ULID),
          full_name: { type: 'string', minLength: 1, maxLength: 100, example: 'Ada Lovelace' },
          email: { type: 'string', format: 'email', maxLength: 254, description: 'Unique within the tenant.', example: 'ada@example.com' },
          phone: { type: ['string', 'null'], pattern: '^\\+[1-9][0-9]{6,14}$', example: '+442071234567' },
          date_of_birth: { type: ['string', 'null'], format: 'date', example: '1990-12-10' },
          created_at: ro(TIME),
        },
      },
      Account: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'customer_id', 'type', 'currency', 'balance', 'status', 'created_at'],
        properties: {
          id: ro(ULID),
          customer_id: ULID,
          type: { type: 'string', enum: ['checking', 'savings'] },
          currency: CURRENCY,
          nickname: { type: ['string', 'null'], maxLength: 40, description: 'Always returned (null when unset).', example: 'Household' },
          balance: ro(BALANCE),
          status: ro({ type: 'string', enum: ['open'] }),
          created_at: ro(TIME),
        },
      },
      AccountPatch: {
        type: 'object',
        additionalProperties: false,
        required: ['nickname'],
        properties: { nickname: { type: ['string', 'null'], maxLength: 40, example: 'Holidays' } },
      },
      Deposit: {
        type: 'object',
        additionalProperties: false,
        required: ['amount'],
        properties: { amount: AMOUNT, reference: { type: 'string', maxLength: 140, example: 'Salary' } },
      },
      Transaction: {
        type: 'object',
        required: ['id', 'account_id', 'kind', 'amount', 'balance_after', 'transfer_id', 'reference', 'created_at'],
        properties: {
          id: ULID,
          account_id: ULID,
          kind: { type: 'string', enum: ['deposit', 'transfer_in', 'transfer_out'] },
          amount: { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$', description: 'The amount moved (positive; `kind` says which way).' },
          balance_after: BALANCE,
          transfer_id: { anyOf: [ULID, { type: 'null' }] },
          reference: { type: ['string', 'null'] },
          created_at: TIME,
        },
      },
      Statement: {
        type: 'object',
        required: ['account_id', 'currency', 'from', 'to', 'opening_balance', 'closing_balance', 'total_in', 'total_out', 'entries'],
        properties: {
          account_id: ULID,
          currency: CURRENCY,
          from: { type: 'string', format: 'date' },
          to: { type: 'string', format: 'date' },
          opening_balance: BALANCE,
          closing_balance: BALANCE,
          total_in: BALANCE,
          total_out: BALANCE,
          entries: { type: 'array', items: { $ref: '#/components/schemas/Transaction' } },
        },
      },
      Transfer: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'from_account_id', 'to_account_id', 'amount', 'currency', 'status', 'created_at'],
        properties: {
          id: ro(ULID),
          from_account_id: ULID,
          to_account_id: ULID,
          amount: AMOUNT,
          description: { type: 'string', maxLength: 140, example: 'Rent' },
          currency: ro(CURRENCY),
          status: ro({ type: 'string', enum: ['completed'] }),
          created_at: ro(TIME),
        },
      },
      Card: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'account_id', 'cardholder_name', 'pin', 'pan_last4', 'expiry', 'status', 'created_at'],
        properties: {
          id: ro(ULID),
          account_id: ULID,
          cardholder_name: { type: 'string', minLength: 2, maxLength: 26, pattern: "^[A-Z][A-Z .'-]*[A-Z]$", description: 'As embossed: capital letters, spaces, dots, apostrophes and hyphens.', example: 'ADA LOVELACE' },
          pin: { type: 'string', pattern: '^[0-9]{4}$', writeOnly: true, example: '4821' },
          daily_limit: { ...AMOUNT, description: 'Daily spending limit (default 1000.00); always returned.', example: '500.00' },
          pan_last4: ro({ type: 'string', pattern: '^[0-9]{4}$' }),
          expiry: ro({ type: 'string', pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$' }),
          status: ro({ type: 'string', enum: ['active', 'frozen'] }),
          created_at: ro(TIME),
        },
      },
      CardPatch: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { status: { type: 'string', enum: ['active', 'frozen'] }, daily_limit: AMOUNT },
      },
      AuditEvent: {
        type: 'object',
        required: ['id', 'client_id', 'action', 'resource_id', 'created_at'],
        properties: { id: ULID, client_id: { type: 'string' }, action: { type: 'string' }, resource_id: ULID, created_at: TIME },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Generated from spec.mjs (node spec.mjs). Documents the clean variant exactly.');
