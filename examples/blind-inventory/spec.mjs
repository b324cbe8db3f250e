// The OpenAPI 3.0 document of the inventory target (the clean behaviour). `node spec.mjs` writes
// openapi.yaml; server.mjs validates requests against this same object.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const json = (schema, extra = {}) => ({ content: { 'application/json': { schema, ...extra } } });
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const r = (n) => ({ $ref: `#/components/responses/${n}` });
const p = (n) => ({ $ref: `#/components/parameters/${n}` });

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Stockroom',
    version: '1.4.2',
    description:
      'Multi-merchant inventory and order service. Every merchant authenticates with its own API key (X-API-Key) and sees only its own products and orders. SKUs and coupon codes are unique across the whole service. Lists use opaque cursors: pass `nextCursor` back as `cursor`.',
  },
  servers: [{ url: 'http://localhost:4102/v1' }],
  security: [{ ApiKeyAuth: [] }],
  tags: [{ name: 'products' }, { name: 'orders' }, { name: 'account' }, { name: 'coupons' }],
  paths: {
    '/products': {
      get: {
        operationId: 'listProducts',
        tags: ['products'],
        summary: "The caller's products, ordered by SKU",
        description: 'Returns at most `limit` products. `q` matches product names (case-insensitive substring).',
        parameters: [
          p('cursor'),
          p('limit'),
          { name: 'category', in: 'query', schema: ref('Category') },
          { name: 'inStock', in: 'query', description: 'true: only products with stock > 0; false: only products with stock 0', schema: { type: 'boolean' } },
          { name: 'q', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 60 } },
        ],
        responses: { 200: { description: 'A page of products', ...json(ref('ProductPage')) }, 400: r('BadRequest'), 401: r('Unauthorized') },
      },
      post: {
        operationId: 'createProduct',
        tags: ['products'],
        requestBody: {
          required: true,
          ...json(ref('ProductCreate'), { example: { sku: 'HAM-0001', name: 'Claw hammer', category: 'tools', priceCents: 1999, stock: 40 } }),
        },
        responses: {
          201: {
            description: 'Created',
            headers: { Location: { description: 'URL of the new product', schema: { type: 'string' } } },
            ...json(ref('Product')),
          },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          409: { description: 'The SKU is already in use (by any merchant)', ...json(ref('Error')) },
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/products/{sku}': {
      parameters: [p('sku')],
      get: {
        operationId: 'getProduct',
        tags: ['products'],
        responses: { 200: { description: 'The product', ...json(ref('Product')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
      put: {
        operationId: 'replaceProduct',
        tags: ['products'],
        summary: 'Replace a product; sending the same body twice leaves it unchanged',
        requestBody: { required: true, ...json(ref('ProductReplace')) },
        responses: {
          200: { description: 'Replaced', ...json(ref('Product')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          404: r('NotFound'),
          415: r('UnsupportedMediaType'),
        },
      },
      delete: {
        operationId: 'deleteProduct',
        tags: ['products'],
        responses: { 204: { description: 'Deleted' }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
    },
    '/orders': {
      get: {
        operationId: 'listOrders',
        tags: ['orders'],
        summary: "The caller's orders, newest first",
        parameters: [p('cursor'), p('limit'), { name: 'status', in: 'query', schema: ref('OrderStatus') }],
        responses: { 200: { description: 'A page of orders', ...json(ref('OrderPage')) }, 400: r('BadRequest'), 401: r('Unauthorized') },
      },
      post: {
        operationId: 'createOrder',
        tags: ['orders'],
        summary: "Reserve stock of the caller's products",
        requestBody: {
          required: true,
          ...json(ref('OrderCreate'), { example: { items: [{ sku: 'HAM-0001', quantity: 2 }], note: 'Leave at the back door' } }),
        },
        responses: {
          201: {
            description: 'Order placed (status pending)',
            headers: { Location: { description: 'URL of the new order', schema: { type: 'string' } } },
            ...json(ref('Order')),
          },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          415: r('UnsupportedMediaType'),
          422: { description: 'Unknown SKU or coupon, or not enough stock', ...json(ref('Error')) },
        },
      },
    },
    '/orders/{orderId}': {
      parameters: [p('orderId')],
      get: {
        operationId: 'getOrder',
        tags: ['orders'],
        responses: { 200: { description: 'The order', ...json(ref('Order')) }, 400: r('BadRequest'), 401: r('Unauthorized'), 404: r('NotFound') },
      },
    },
    '/orders/{orderId}/cancel': {
      parameters: [p('orderId')],
      post: {
        operationId: 'cancelOrder',
        tags: ['orders'],
        summary: 'Cancel a pending order and release its stock',
        responses: {
          204: { description: 'Cancelled' },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          404: r('NotFound'),
          409: { description: 'The order is not pending', ...json(ref('Error')) },
        },
      },
    },
    '/me': {
      get: {
        operationId: 'getAccount',
        tags: ['account'],
        responses: { 200: { description: 'The calling merchant', ...json(ref('Merchant')) }, 401: r('Unauthorized') },
      },
    },
    '/coupons': {
      get: {
        operationId: 'listCoupons',
        tags: ['coupons'],
        responses: { 200: { description: 'Active coupons', ...json({ type: 'array', items: ref('Coupon') }) }, 401: r('Unauthorized') },
      },
      post: {
        operationId: 'createCoupon',
        tags: ['coupons'],
        summary: 'Create a coupon (operators only; merchants get 403)',
        requestBody: { required: true, ...json(ref('Coupon'), { example: { code: 'SPRING25', percentOff: 25, expiresOn: '2027-05-31' } }) },
        responses: {
          201: { description: 'Created', ...json(ref('Coupon')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          409: { description: 'The code exists', ...json(ref('Error')) },
          415: r('UnsupportedMediaType'),
        },
      },
    },
  },
  components: {
    securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    parameters: {
      cursor: { name: 'cursor', in: 'query', description: 'nextCursor of the previous page', schema: { type: 'string', maxLength: 200 } },
      limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      sku: { name: 'sku', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' }, example: 'HAM-0001' },
      orderId: { name: 'orderId', in: 'path', required: true, schema: { type: 'string', pattern: '^ord_[0-9]{6}$' } },
    },
    responses: {
      BadRequest: { description: 'Invalid request', ...json(ref('Error')) },
      Unauthorized: { description: 'Missing or unknown API key', ...json(ref('Error')) },
      Forbidden: { description: 'Not allowed for this key', ...json(ref('Error')) },
      NotFound: { description: 'No such resource for this merchant', ...json(ref('Error')) },
      UnsupportedMediaType: { description: 'Send application/json', ...json(ref('Error')) },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'unsupported_media_type', 'unprocessable', 'internal'] },
              message: { type: 'string' },
              details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, issue: { type: 'string' } } } },
            },
          },
        },
      },
      Category: { type: 'string', enum: ['tools', 'garden', 'kitchen', 'toys', 'books'] },
      OrderStatus: { type: 'string', enum: ['pending', 'shipped', 'cancelled'] },
      ProductCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'name', 'category', 'priceCents', 'stock'],
        properties: {
          sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' },
          name: { type: 'string', minLength: 1, maxLength: 80 },
          category: ref('Category'),
          priceCents: { type: 'integer', minimum: 0, maximum: 10000000 },
          stock: { type: 'integer', minimum: 0, maximum: 100000 },
          barcode: { type: 'string', pattern: '^[0-9]{13}$', description: 'EAN-13, optional' },
        },
      },
      ProductReplace: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'category', 'priceCents', 'stock'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 80 },
          category: ref('Category'),
          priceCents: { type: 'integer', minimum: 0, maximum: 10000000 },
          stock: { type: 'integer', minimum: 0, maximum: 100000 },
          barcode: { type: 'string', pattern: '^[0-9]{13}$' },
        },
      },
      Product: {
        type: 'object',
        required: ['sku', 'name', 'category', 'priceCents', 'stock', 'merchantId', 'updatedAt'],
        properties: {
          sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' },
          name: { type: 'string', maxLength: 80 },
          category: ref('Category'),
          priceCents: { type: 'integer', minimum: 0, maximum: 10000000 },
          stock: { type: 'integer', minimum: 0, maximum: 100000 },
          barcode: { type: 'string', pattern: '^[0-9]{13}$' },
          merchantId: { type: 'string', readOnly: true },
          updatedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      ProductPage: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('Product') }, nextCursor: { type: 'string', nullable: true } },
      },
      OrderItem: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity'],
        properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' }, quantity: { type: 'integer', minimum: 1, maximum: 1000 } },
      },
      OrderCreate: {
        type: 'object',
        required: ['items'],
        properties: {
          items: { type: 'array', minItems: 1, maxItems: 20, items: ref('OrderItem') },
          couponCode: { type: 'string', pattern: '^[A-Z0-9]{4,12}$' },
          note: { type: 'string', maxLength: 200 },
        },
      },
      Order: {
        type: 'object',
        required: ['id', 'status', 'items', 'totalCents', 'createdAt'],
        properties: {
          id: { type: 'string', pattern: '^ord_[0-9]{6}$' },
          status: ref('OrderStatus'),
          items: { type: 'array', items: ref('OrderItem') },
          couponCode: { type: 'string' },
          note: { type: 'string' },
          totalCents: { type: 'integer', minimum: 0 },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      OrderPage: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('Order') }, nextCursor: { type: 'string', nullable: true } },
      },
      Merchant: {
        type: 'object',
        required: ['id', 'name', 'email', 'plan'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          email: { type: 'string', format: 'email' },
          plan: { type: 'string', enum: ['starter', 'growth', 'enterprise'] },
        },
      },
      Coupon: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'percentOff', 'expiresOn'],
        properties: {
          code: { type: 'string', pattern: '^[A-Z0-9]{4,12}$' },
          percentOff: { type: 'integer', minimum: 1, maximum: 90 },
          expiresOn: { type: 'string', format: 'date' },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Generated from spec.mjs (node spec.mjs). Documents the CLEAN variant.');
