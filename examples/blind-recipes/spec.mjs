// The OpenAPI 3.1 document of the recipes target (the clean behaviour). `node spec.mjs` writes
// openapi.yaml; server.mjs validates requests against this same object.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const json = (schema, extra = {}) => ({ content: { 'application/json': { schema, ...extra } } });
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const r = (n) => ({ $ref: `#/components/responses/${n}` });

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'Cookbook',
    version: '2.3.0',
    description:
      'A recipe-sharing platform. Sign up, log in to get a bearer JWT, publish recipes (identified by a slug derived from the title) and comment on them. Users are identified by their username.',
  },
  servers: [{ url: 'http://localhost:4101' }],
  tags: [{ name: 'auth' }, { name: 'users' }, { name: 'recipes' }, { name: 'comments' }, { name: 'admin', description: 'Administrators only' }],
  paths: {
    '/auth/signup': {
      post: {
        operationId: 'signup',
        tags: ['auth'],
        summary: 'Create an account',
        security: [],
        requestBody: {
          required: true,
          ...json(ref('SignupRequest'), {
            example: { user: { username: 'julia_child', email: 'julia@example.com', password: 'b0euf-bourguignon', displayName: 'Julia' } },
          }),
        },
        responses: {
          201: { description: 'Account created', ...json(ref('Me')) },
          400: r('BadRequest'),
          409: { description: 'The username or the e-mail address is already taken', ...json(ref('Errors')) },
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/auth/login': {
      post: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Exchange a username and password for a bearer token',
        description:
          'Wrong credentials answer 401 with the same body whether or not the username exists. After 10 failed attempts from one client within 60 seconds every login attempt from it answers 429 until the minute has passed.',
        security: [],
        requestBody: { required: true, ...json(ref('LoginRequest'), { example: { username: 'julia_child', password: 'b0euf-bourguignon' } }) },
        responses: {
          200: { description: 'Logged in', ...json(ref('Token')) },
          400: r('BadRequest'),
          401: { description: 'Wrong username or password', ...json(ref('Errors')) },
          415: r('UnsupportedMediaType'),
          429: {
            description: 'Too many failed attempts',
            headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 1 } } },
            ...json(ref('Errors')),
          },
        },
      },
    },
    '/users/me': {
      get: {
        operationId: 'getMe',
        tags: ['users'],
        summary: 'The logged-in user',
        security: [{ bearerAuth: [] }],
        responses: { 200: { description: 'The current user', ...json(ref('Me')) }, 401: r('Unauthorized') },
      },
    },
    '/users/{username}': {
      parameters: [{ $ref: '#/components/parameters/username' }],
      get: {
        operationId: 'getUser',
        tags: ['users'],
        summary: 'A public profile',
        security: [],
        responses: { 200: { description: 'The profile', ...json(ref('PublicUser')) }, 400: r('BadRequest'), 404: r('NotFound') },
      },
    },
    '/users/{username}/password': {
      parameters: [{ $ref: '#/components/parameters/username' }],
      put: {
        operationId: 'changePassword',
        tags: ['users'],
        summary: 'Set a new password',
        description: 'Users can change only their own password.',
        security: [{ bearerAuth: [] }],
        requestBody: { required: true, ...json(ref('PasswordChange')) },
        responses: {
          204: { description: 'Password changed' },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          404: r('NotFound'),
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/admin/users': {
      get: {
        operationId: 'adminListUsers',
        tags: ['admin'],
        summary: 'Every account with its e-mail address (administrators only)',
        security: [{ bearerAuth: [] }],
        responses: {
          200: { description: 'All accounts', ...json({ type: 'array', items: ref('Me') }) },
          401: r('Unauthorized'),
          403: r('Forbidden'),
        },
      },
    },
    '/recipes': {
      get: {
        operationId: 'listRecipes',
        tags: ['recipes'],
        summary: 'Browse recipes',
        description: 'Sorted newest first (by createdAt). Returns at most `limit` items, starting at `offset`. `q` matches titles, case-insensitively.',
        security: [],
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Text to look for in titles' },
          { name: 'tag', in: 'query', schema: { type: 'string', pattern: '^[a-z-]{2,20}$' } },
          { name: 'author', in: 'query', schema: { type: 'string', pattern: '^[a-z0-9_]{3,20}$' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 10000, default: 0 } },
        ],
        responses: { 200: { description: 'A page of recipes', ...json(ref('RecipePage')) }, 400: r('BadRequest') },
      },
      post: {
        operationId: 'createRecipe',
        tags: ['recipes'],
        summary: 'Publish a recipe',
        description: 'The slug is derived from the title (lower case, dashes); a title whose slug is taken answers 409. A title with no letters or digits gets a slug `recipe-<n>`.',
        security: [{ bearerAuth: [] }],
        requestBody: {
          required: true,
          ...json(ref('RecipeInput'), {
            example: { title: 'Tarte Tatin', summary: 'Upside-down apple tart', minutes: 75, difficulty: 'medium', servings: 6, tags: ['dessert', 'french'], ingredients: ['6 apples', '150 g sugar', '1 puff pastry'] },
          }),
        },
        responses: {
          201: {
            description: 'Published',
            headers: { Location: { required: true, description: 'URL of the new recipe', schema: { type: 'string' } } },
            ...json(ref('Recipe')),
          },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          409: { description: 'A recipe with this slug exists', ...json(ref('Errors')) },
          415: r('UnsupportedMediaType'),
        },
      },
    },
    '/recipes/{slug}': {
      parameters: [{ $ref: '#/components/parameters/slug' }],
      get: {
        operationId: 'getRecipe',
        tags: ['recipes'],
        security: [],
        responses: { 200: { description: 'The recipe', ...json(ref('Recipe')) }, 400: r('BadRequest'), 404: r('NotFound') },
      },
      put: {
        operationId: 'replaceRecipe',
        tags: ['recipes'],
        summary: 'Replace a recipe (its author only); the slug does not change',
        security: [{ bearerAuth: [] }],
        requestBody: { required: true, ...json(ref('RecipeInput')) },
        responses: {
          200: { description: 'Replaced', ...json(ref('Recipe')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          403: r('Forbidden'),
          404: r('NotFound'),
          415: r('UnsupportedMediaType'),
        },
      },
      delete: {
        operationId: 'deleteRecipe',
        tags: ['recipes'],
        summary: 'Delete a recipe (its author only)',
        security: [{ bearerAuth: [] }],
        responses: { 204: { description: 'Deleted' }, 400: r('BadRequest'), 401: r('Unauthorized'), 403: r('Forbidden'), 404: r('NotFound') },
      },
    },
    '/recipes/{slug}/comments': {
      parameters: [{ $ref: '#/components/parameters/slug' }],
      get: {
        operationId: 'listComments',
        tags: ['comments'],
        security: [],
        summary: 'Comments, oldest first',
        responses: { 200: { description: 'Comments', ...json({ type: 'array', items: ref('Comment') }) }, 400: r('BadRequest'), 404: r('NotFound') },
      },
      post: {
        operationId: 'addComment',
        tags: ['comments'],
        security: [{ bearerAuth: [] }],
        requestBody: { required: true, ...json(ref('CommentInput'), { example: { body: 'Made this twice, perfect both times.' } }) },
        responses: {
          201: { description: 'Comment added', ...json(ref('Comment')) },
          400: r('BadRequest'),
          401: r('Unauthorized'),
          404: r('NotFound'),
          415: r('UnsupportedMediaType'),
        },
      },
    },
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token from POST /auth/login (valid one hour)' } },
    parameters: {
      username: { name: 'username', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9_]{3,20}$' } },
      slug: { name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]{1,80}$' }, example: 'tarte-tatin' },
    },
    responses: {
      BadRequest: { description: 'The request is invalid', ...json(ref('Errors')) },
      Unauthorized: { description: 'Missing, invalid or expired token', ...json(ref('Errors')) },
      Forbidden: { description: 'Not allowed for this user', ...json(ref('Errors')) },
      NotFound: { description: 'No such resource', ...json(ref('Errors')) },
      UnsupportedMediaType: { description: 'The body must be application/json', ...json(ref('Errors')) },
    },
    schemas: {
      Errors: {
        type: 'object',
        required: ['errors'],
        properties: {
          errors: {
            type: 'array',
            items: { type: 'object', required: ['message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
      SignupRequest: {
        type: 'object',
        required: ['user'],
        additionalProperties: false,
        properties: { user: ref('SignupUser') },
      },
      SignupUser: {
        type: 'object',
        required: ['username', 'email', 'password'],
        additionalProperties: false,
        properties: {
          username: { type: 'string', pattern: '^[a-z0-9_]{3,20}$' },
          email: { type: 'string', format: 'email', maxLength: 254 },
          password: { type: 'string', minLength: 8, maxLength: 72, writeOnly: true },
          displayName: { type: 'string', minLength: 1, maxLength: 50 },
        },
      },
      LoginRequest: {
        type: 'object',
        required: ['username', 'password'],
        additionalProperties: false,
        properties: { username: { type: 'string', minLength: 1, maxLength: 20 }, password: { type: 'string', minLength: 1, maxLength: 72, writeOnly: true } },
      },
      Token: {
        type: 'object',
        required: ['token', 'tokenType', 'expiresIn'],
        properties: { token: { type: 'string' }, tokenType: { type: 'string', enum: ['Bearer'] }, expiresIn: { type: 'integer', minimum: 1 } },
      },
      PublicUser: {
        type: 'object',
        required: ['username', 'displayName', 'recipeCount', 'joinedAt'],
        properties: {
          username: { type: 'string' },
          displayName: { type: 'string' },
          recipeCount: { type: 'integer', minimum: 0 },
          joinedAt: { type: 'string', format: 'date-time' },
        },
      },
      Me: {
        type: 'object',
        required: ['username', 'email', 'displayName', 'role', 'recipeCount', 'joinedAt'],
        properties: {
          username: { type: 'string' },
          email: { type: 'string', format: 'email' },
          displayName: { type: 'string' },
          role: { type: 'string', enum: ['member', 'admin'], readOnly: true },
          recipeCount: { type: 'integer', minimum: 0 },
          joinedAt: { type: 'string', format: 'date-time' },
        },
      },
      PasswordChange: {
        type: 'object',
        required: ['newPassword'],
        additionalProperties: false,
        properties: { newPassword: { type: 'string', minLength: 8, maxLength: 72, writeOnly: true } },
      },
      RecipeInput: {
        type: 'object',
        required: ['title', 'minutes', 'difficulty', 'ingredients'],
        additionalProperties: false,
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 120 },
          summary: { type: 'string', maxLength: 500 },
          minutes: { type: 'integer', minimum: 1, maximum: 1440 },
          difficulty: { type: 'string', enum: ['easy', 'medium', 'hard'] },
          servings: { type: 'integer', minimum: 1, maximum: 20 },
          tags: { type: 'array', maxItems: 8, uniqueItems: true, items: { type: 'string', pattern: '^[a-z-]{2,20}$' } },
          ingredients: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
      Recipe: {
        type: 'object',
        required: ['slug', 'title', 'minutes', 'difficulty', 'ingredients', 'tags', 'author', 'createdAt', 'updatedAt'],
        properties: {
          slug: { type: 'string', pattern: '^[a-z0-9-]{1,80}$', readOnly: true },
          title: { type: 'string', minLength: 3, maxLength: 120 },
          summary: { type: 'string', maxLength: 500 },
          minutes: { type: 'integer', minimum: 1, maximum: 1440 },
          difficulty: { type: 'string', enum: ['easy', 'medium', 'hard'] },
          servings: { type: 'integer', minimum: 1, maximum: 20 },
          tags: { type: 'array', items: { type: 'string' } },
          ingredients: { type: 'array', items: { type: 'string' } },
          author: { type: 'string', readOnly: true, description: 'username of the author' },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          updatedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      RecipePage: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: ref('Recipe') },
          total: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1, maximum: 50 },
          offset: { type: 'integer', minimum: 0 },
        },
      },
      CommentInput: {
        type: 'object',
        required: ['body'],
        additionalProperties: false,
        properties: { body: { type: 'string', minLength: 1, maxLength: 1000 } },
      },
      Comment: {
        type: 'object',
        required: ['id', 'author', 'body', 'createdAt'],
        properties: {
          id: { type: 'integer', minimum: 1, readOnly: true },
          author: { type: 'string', readOnly: true },
          body: { type: 'string', maxLength: 1000 },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Generated from spec.mjs (node spec.mjs). Documents the CLEAN variant.');
