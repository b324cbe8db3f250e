// The Library API's OpenAPI 3.1 document, as a JS object: the single source of truth that
// openapi.json is written from (`node examples/second-api/spec.mjs --write`) and that the server
// enforces. It describes the CLEAN behaviour exactly.
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema, extra = {}) => ({ "application/json": { schema, ...extra } });
const problemContent = { "application/problem+json": { schema: ref("Problem") } };

const ERROR_TEXT = {
  400: "Invalid parameters or body",
  401: "Missing or unknown API key",
  403: "The API key's role may not do this",
  404: "No such resource",
  415: "Unsupported request media type",
};

/** Responses of an operation: the success ones plus the listed error statuses (problem+json). */
function responses(success, errors) {
  const out = { ...success };
  for (const status of errors) out[String(status)] = { description: ERROR_TEXT[status], content: problemContent };
  return out;
}

const locationHeader = { Location: { description: "URL of the created resource", required: true, schema: { type: "string", format: "uri-reference" } } };
const created = (schemaName, extra = {}) => ({ "201": { description: "Created", headers: locationHeader, content: json(ref(schemaName)), ...extra } });
const ok = (schema, description = "OK") => ({ "200": { description, content: json(schema) } });
const noContent = { "204": { description: "Deleted" } };

const authorId = { name: "authorId", in: "path", required: true, schema: { type: "integer", minimum: 1, maximum: 2147483647 }, example: 1 };
const bookId = { name: "bookId", in: "path", required: true, schema: { type: "string", format: "uuid" }, example: "3f1c2a9e-6b7d-4e21-9a0f-1c2d3e4f5a6b" };
const reviewId = { name: "reviewId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const memberId = { name: "memberId", in: "path", required: true, schema: { type: "integer", minimum: 1, maximum: 2147483647 } };
const importId = { name: "importId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const limit = (max, dflt = 20) => ({ name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: max, default: dflt } });
const offset = { name: "offset", in: "query", required: false, schema: { type: "integer", minimum: 0, default: 0 } };
const genreFilter = { name: "genre", in: "query", required: false, schema: ref("Genre") };

const EDITOR = [{ ApiKeyHeader: ["editor"] }];
const ADMIN = [{ ApiKeyHeader: ["admin"] }];
const PUBLIC = [];

const tags = {
  type: "array",
  items: { type: "string", minLength: 1, maxLength: 30 },
  minItems: 1,
  maxItems: 5,
  uniqueItems: true,
  examples: [["anarchism", "utopia"]],
};

export const spec = {
  openapi: "3.1.0",
  info: {
    title: "Library API",
    version: "2.0.0",
    description:
      "Authors, their books (nested), reviews, members, imports and exports of a small library. API keys go in the X-API-Key header, except for export downloads, which take them in the api_key query parameter so that links can be pasted into a browser. Keys have a role: reader (read and review), editor (also write; may change only what the same key created) or admin (everything). The role an operation needs is listed in its security requirement.",
  },
  servers: [{ url: "/" }],
  security: [{ ApiKeyHeader: [] }],
  tags: [{ name: "authors" }, { name: "books" }, { name: "reviews" }, { name: "members" }, { name: "imports" }, { name: "exports" }, { name: "reports" }, { name: "admin" }],
  paths: {
    "/health": {
      get: {
        operationId: "getHealth",
        summary: "Liveness probe",
        security: PUBLIC,
        responses: ok({ type: "object", required: ["status"], properties: { status: { const: "ok" } } }),
      },
    },
    "/authors": {
      get: {
        operationId: "listAuthors",
        tags: ["authors"],
        summary: "List authors, oldest first",
        parameters: [limit(100), offset, { name: "name", in: "query", required: false, description: "case-insensitive name prefix", schema: { type: "string", minLength: 1, maxLength: 100 } }],
        responses: responses(ok(ref("AuthorPage")), [400, 401]),
      },
      post: {
        operationId: "createAuthor",
        tags: ["authors"],
        security: EDITOR,
        requestBody: { required: true, content: json(ref("AuthorInput"), { example: { name: "Ursula K. Le Guin", birthDate: "1929-10-21", website: "https://www.ursulakleguin.com/", nationality: "US" } }) },
        responses: responses(created("Author"), [400, 401, 403, 415]),
      },
    },
    "/authors/{authorId}": {
      parameters: [authorId],
      get: { operationId: "getAuthor", tags: ["authors"], responses: responses(ok(ref("Author")), [400, 401, 404]) },
      delete: {
        operationId: "deleteAuthor",
        tags: ["authors"],
        summary: "Delete an author together with their books and the books' reviews",
        security: EDITOR,
        responses: responses(noContent, [400, 401, 403, 404]),
      },
    },
    "/authors/{authorId}/books": {
      parameters: [authorId],
      get: {
        operationId: "listAuthorBooks",
        tags: ["books"],
        summary: "An author's books, oldest first",
        parameters: [limit(50), offset, genreFilter],
        responses: responses(ok(ref("BookPage")), [400, 401, 404]),
      },
      post: {
        operationId: "createBook",
        tags: ["books"],
        security: EDITOR,
        requestBody: { required: true, content: json(ref("BookInput")) },
        responses: responses(
          created("Book", {
            links: {
              GetBook: { operationId: "getAuthorBook", parameters: { authorId: "$request.path.authorId", bookId: "$response.body#/id" } },
              ListReviews: { operationId: "listReviews", parameters: { bookId: "$response.body#/id" } },
              CreateReview: { operationId: "createReview", parameters: { bookId: "$response.body#/id" } },
            },
          }),
          [400, 401, 403, 404, 415],
        ),
      },
    },
    "/authors/{authorId}/books/{bookId}": {
      parameters: [authorId, bookId],
      get: {
        operationId: "getAuthorBook",
        tags: ["books"],
        responses: responses(
          {
            "200": {
              description: "OK",
              headers: { ETag: { description: "entity tag of this version (RFC 9110: a quoted string)", required: true, schema: { type: "string", pattern: '^(W/)?"[^"]*"$' } } },
              content: json(ref("Book")),
            },
          },
          [400, 401, 404],
        ),
      },
      put: {
        operationId: "replaceBook",
        tags: ["books"],
        summary: "Replace a book: optional fields left out are cleared",
        security: EDITOR,
        requestBody: { required: true, content: json(ref("BookInput")) },
        responses: responses(ok(ref("Book")), [400, 401, 403, 404, 415]),
      },
      patch: {
        operationId: "updateBook",
        tags: ["books"],
        summary: "Update a book with JSON Merge Patch (RFC 7396): fields left out keep their values, null clears a nullable field",
        security: EDITOR,
        requestBody: { required: true, content: { "application/merge-patch+json": { schema: ref("BookPatch") } } },
        responses: responses(ok(ref("Book")), [400, 401, 403, 404, 415]),
      },
      delete: { operationId: "deleteBook", tags: ["books"], security: EDITOR, responses: responses(noContent, [400, 401, 403, 404]) },
    },
    "/books": {
      get: {
        operationId: "listBooks",
        tags: ["books"],
        summary: "The public catalogue, cursor-paginated",
        security: PUBLIC,
        parameters: [
          { name: "cursor", in: "query", required: false, description: "opaque cursor from nextCursor", schema: { type: "string", pattern: "^[A-Za-z0-9_-]{4,64}$" }, example: "eyJvIjowfQ" },
          limit(100),
          genreFilter,
          { name: "publisher", in: "query", required: false, schema: { type: "string", minLength: 1, maxLength: 100 } },
        ],
        responses: responses(ok(ref("CatalogPage")), [400]),
      },
    },
    "/books/search": {
      post: {
        operationId: "searchBooks",
        tags: ["books"],
        requestBody: { required: true, content: json(ref("BookQuery"), { example: { title: "dispossessed" } }) },
        responses: responses(ok(ref("SearchResult")), [400, 401, 415]),
      },
    },
    "/books/{bookId}": {
      parameters: [bookId],
      get: { operationId: "getBook", tags: ["books"], responses: responses(ok(ref("Book")), [400, 401, 404]) },
    },
    "/books/{bookId}/reviews": {
      parameters: [bookId],
      get: { operationId: "listReviews", tags: ["reviews"], parameters: [limit(50), offset], responses: responses(ok(ref("ReviewPage")), [400, 401, 404]) },
      post: {
        operationId: "createReview",
        tags: ["reviews"],
        summary: "Review a book (any role)",
        requestBody: { required: true, content: json(ref("ReviewInput")) },
        responses: responses(created("Review"), [400, 401, 404, 415]),
      },
    },
    "/books/{bookId}/reviews/{reviewId}": {
      parameters: [bookId, reviewId],
      get: { operationId: "getReview", tags: ["reviews"], responses: responses(ok(ref("Review")), [400, 401, 404]) },
    },
    "/members": {
      get: {
        operationId: "listMembers",
        tags: ["members"],
        security: EDITOR,
        parameters: [limit(100), offset],
        responses: responses(ok(ref("MemberPage")), [400, 401, 403]),
      },
      post: {
        operationId: "createMember",
        tags: ["members"],
        summary: "Register a member (HTML form post)",
        security: EDITOR,
        requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: ref("MemberForm") } } },
        responses: responses(created("MemberCreated"), [400, 401, 403, 415]),
      },
    },
    "/members/{memberId}": {
      parameters: [memberId],
      get: { operationId: "getMember", tags: ["members"], security: EDITOR, responses: responses(ok(ref("Member")), [400, 401, 403, 404]) },
    },
    "/imports": {
      post: {
        operationId: "createImport",
        tags: ["imports"],
        summary: "Queue an import of books from a URL or from a list of ISBNs",
        security: EDITOR,
        requestBody: {
          required: true,
          content: json(ref("ImportRequest"), { example: { kind: "url", sourceUrl: "https://data.example.org/catalogue.csv", format: "csv" } }),
        },
        responses: responses(created("Import"), [400, 401, 403, 415]),
      },
    },
    "/imports/{importId}": {
      parameters: [importId],
      get: { operationId: "getImport", tags: ["imports"], security: EDITOR, responses: responses(ok(ref("Import")), [400, 401, 403, 404]) },
    },
    "/exports/download": {
      get: {
        operationId: "downloadExport",
        tags: ["exports"],
        summary: "Download an export file; the key goes in the query so the link works in a browser",
        security: [{ ApiKeyQuery: [] }],
        parameters: [{ name: "file", in: "query", required: true, schema: { type: "string", pattern: "^[a-z0-9-]{1,40}\\.csv$" }, example: "catalogue.csv" }],
        responses: responses({ "200": { description: "The file", content: { "text/csv": { schema: { type: "string" } } } } }, [400, 401, 404]),
      },
    },
    "/stats": {
      get: { operationId: "getStats", tags: ["reports"], responses: responses(ok(ref("Stats")), [401]) },
    },
    "/reports/circulation": {
      get: {
        operationId: "getCirculationReport",
        tags: ["reports"],
        security: EDITOR,
        parameters: [{ name: "period", in: "query", required: true, schema: { type: "string", enum: ["day", "week", "month", "year"] } }],
        responses: responses(ok(ref("CirculationReport")), [400, 401, 403]),
      },
    },
    "/admin/audit-log": {
      get: {
        operationId: "getAuditLog",
        tags: ["admin"],
        security: ADMIN,
        parameters: [limit(200, 50)],
        responses: responses(ok(ref("AuditLog")), [400, 401, 403]),
      },
    },
  },
  components: {
    securitySchemes: {
      ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      ApiKeyQuery: { type: "apiKey", in: "query", name: "api_key" },
    },
    schemas: {
      Problem: {
        type: "object",
        required: ["type", "title", "status"],
        properties: {
          type: { type: "string", format: "uri" },
          title: { type: "string" },
          status: { type: "integer", minimum: 400, maximum: 599 },
          detail: { type: "string" },
          errors: { type: "array", items: { type: "string" } },
        },
      },
      Genre: { type: "string", enum: ["fiction", "non-fiction", "poetry", "drama", "reference"] },
      Tags: tags,
      AuthorInput: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1, maxLength: 100, examples: ["Octavia E. Butler"] },
          birthDate: { type: ["string", "null"], format: "date" },
          website: { type: "string", format: "uri", maxLength: 300 },
          nationality: { type: "string", pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" },
        },
      },
      Author: {
        allOf: [
          ref("AuthorInput"),
          {
            type: "object",
            required: ["id", "birthDate", "createdAt", "bookCount"],
            properties: {
              id: { type: "integer", minimum: 1, readOnly: true },
              createdAt: { type: "string", format: "date-time", readOnly: true },
              bookCount: { type: "integer", minimum: 0, readOnly: true },
            },
          },
        ],
      },
      AuthorPage: {
        type: "object",
        required: ["items", "total", "limit", "offset"],
        properties: { items: { type: "array", items: ref("Author") }, total: { type: "integer", minimum: 0 }, limit: { type: "integer" }, offset: { type: "integer" } },
      },
      BookFields: {
        type: "object",
        properties: {
          title: { type: "string", minLength: 1, maxLength: 200, examples: ["The Dispossessed"] },
          isbn: { type: ["string", "null"], pattern: "^97[89][0-9]{10}$", examples: ["9780061054884"] },
          genre: ref("Genre"),
          pages: { type: "integer", minimum: 1, maximum: 10000 },
          tags: ref("Tags"),
          publishedOn: { type: ["string", "null"], format: "date" },
          publisher: { type: "string", minLength: 1, maxLength: 100 },
          summary: { type: ["string", "null"], maxLength: 2000 },
        },
      },
      BookInput: { allOf: [ref("BookFields"), { type: "object", required: ["title", "genre", "tags"] }] },
      Book: {
        allOf: [
          ref("BookFields"),
          {
            type: "object",
            required: ["id", "authorId", "title", "isbn", "genre", "tags", "publishedOn", "summary", "createdAt", "updatedAt"],
            properties: {
              id: { type: "string", format: "uuid", readOnly: true },
              authorId: { type: "integer", minimum: 1, readOnly: true },
              createdAt: { type: "string", format: "date-time", readOnly: true },
              updatedAt: { type: "string", format: "date-time", readOnly: true },
            },
          },
        ],
      },
      BookPatch: {
        type: "object",
        minProperties: 1,
        additionalProperties: false,
        properties: {
          title: { type: "string", minLength: 1, maxLength: 200 },
          isbn: { type: ["string", "null"], pattern: "^97[89][0-9]{10}$" },
          genre: ref("Genre"),
          pages: { type: "integer", minimum: 1, maximum: 10000 },
          tags: ref("Tags"),
          publishedOn: { type: ["string", "null"], format: "date" },
          publisher: { type: "string", minLength: 1, maxLength: 100 },
          summary: { type: ["string", "null"], maxLength: 2000 },
        },
      },
      BookPage: {
        type: "object",
        required: ["items", "total", "limit", "offset"],
        properties: { items: { type: "array", items: ref("Book") }, total: { type: "integer", minimum: 0 }, limit: { type: "integer" }, offset: { type: "integer" } },
      },
      CatalogPage: {
        type: "object",
        required: ["items", "nextCursor"],
        properties: { items: { type: "array", items: ref("Book") }, nextCursor: { type: ["string", "null"] } },
      },
      BookQuery: {
        type: "object",
        minProperties: 1,
        additionalProperties: false,
        properties: {
          title: { type: "string", minLength: 1, maxLength: 200, description: "case-insensitive substring" },
          genre: ref("Genre"),
          publisher: { type: "string", minLength: 1, maxLength: 100 },
          tag: { type: "string", minLength: 1, maxLength: 30 },
        },
      },
      SearchResult: {
        type: "object",
        required: ["items", "total"],
        properties: { items: { type: "array", items: ref("Book") }, total: { type: "integer", minimum: 0 } },
      },
      Reviewer: {
        type: "object",
        required: ["displayName"],
        properties: { displayName: { type: "string", minLength: 1, maxLength: 60 }, memberSince: { type: "string", format: "date" } },
      },
      ReviewInput: {
        type: "object",
        required: ["rating"],
        properties: {
          rating: { type: "integer", minimum: 1, maximum: 5 },
          comment: { type: ["string", "null"], maxLength: 1000 },
          reviewer: ref("Reviewer"),
        },
      },
      Review: {
        allOf: [
          ref("ReviewInput"),
          {
            type: "object",
            required: ["id", "bookId", "comment", "createdAt"],
            properties: {
              id: { type: "string", format: "uuid", readOnly: true },
              bookId: { type: "string", format: "uuid", readOnly: true },
              createdAt: { type: "string", format: "date-time", readOnly: true },
            },
          },
        ],
      },
      ReviewPage: {
        type: "object",
        required: ["items", "total", "limit", "offset"],
        properties: { items: { type: "array", items: ref("Review") }, total: { type: "integer", minimum: 0 }, limit: { type: "integer" }, offset: { type: "integer" } },
      },
      MemberForm: {
        type: "object",
        required: ["name", "email"],
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 80 },
          email: { type: "string", format: "email", maxLength: 254 },
          newsletter: { type: "boolean", default: false },
          birthDate: { type: "string", format: "date" },
        },
      },
      Member: {
        type: "object",
        required: ["id", "name", "email", "newsletter", "birthDate", "joinedAt"],
        properties: {
          id: { type: "integer", minimum: 1, readOnly: true },
          name: { type: "string" },
          email: { type: "string", format: "email" },
          newsletter: { type: "boolean" },
          birthDate: { type: ["string", "null"], format: "date" },
          joinedAt: { type: "string", format: "date-time", readOnly: true },
        },
      },
      MemberCreated: {
        allOf: [ref("Member"), { type: "object", required: ["greeting"], properties: { greeting: { type: "string", description: "welcome text for the new member" } } }],
      },
      MemberPage: {
        type: "object",
        required: ["items", "total", "limit", "offset"],
        properties: { items: { type: "array", items: ref("Member") }, total: { type: "integer", minimum: 0 }, limit: { type: "integer" }, offset: { type: "integer" } },
      },
      UrlImport: {
        type: "object",
        required: ["kind", "sourceUrl"],
        additionalProperties: false,
        properties: {
          kind: { type: "string", const: "url" },
          sourceUrl: { type: "string", format: "uri", maxLength: 2048 },
          format: { type: "string", enum: ["csv", "json", "marc"], default: "csv" },
        },
      },
      IsbnImport: {
        type: "object",
        required: ["kind", "isbns"],
        additionalProperties: false,
        properties: {
          kind: { type: "string", const: "isbn-list" },
          isbns: { type: "array", items: { type: "string", pattern: "^97[89][0-9]{10}$" }, minItems: 1, maxItems: 20, uniqueItems: true },
        },
      },
      ImportRequest: {
        oneOf: [ref("UrlImport"), ref("IsbnImport")],
        discriminator: { propertyName: "kind", mapping: { url: "#/components/schemas/UrlImport", "isbn-list": "#/components/schemas/IsbnImport" } },
      },
      Import: {
        type: "object",
        required: ["id", "kind", "status", "preview", "createdAt"],
        properties: {
          id: { type: "string", format: "uuid", readOnly: true },
          kind: { type: "string", enum: ["url", "isbn-list"] },
          status: { type: "string", enum: ["queued", "running", "done", "failed"] },
          sourceUrl: { type: "string", format: "uri" },
          isbnCount: { type: "integer", minimum: 1 },
          preview: { type: ["string", "null"], description: "first bytes of the fetched source, once fetched" },
          createdAt: { type: "string", format: "date-time", readOnly: true },
        },
      },
      Stats: {
        type: "object",
        required: ["authors", "books", "reviews", "members", "generatedAt"],
        properties: {
          authors: { type: "integer", minimum: 0 },
          books: { type: "integer", minimum: 0 },
          reviews: { type: "integer", minimum: 0 },
          members: { type: "integer", minimum: 0 },
          generatedAt: { type: "string", format: "date-time" },
        },
      },
      CirculationReport: {
        type: "object",
        required: ["period", "loans", "returns"],
        properties: {
          period: { type: "string", enum: ["day", "week", "month", "year"] },
          loans: { type: "integer", minimum: 0 },
          returns: { type: "integer", minimum: 0 },
        },
      },
      AuditEntry: {
        type: "object",
        required: ["id", "at", "actor", "action"],
        properties: {
          id: { type: "integer", minimum: 1 },
          at: { type: "string", format: "date-time" },
          actor: { type: "string" },
          action: { type: "string", enum: ["key.created", "key.revoked", "member.deleted", "export.downloaded"] },
          target: { type: "string" },
        },
      },
      AuditLog: { type: "object", required: ["entries"], properties: { entries: { type: "array", items: ref("AuditEntry") } } },
    },
  },
};

export const SPEC_FILE = fileURLToPath(new URL("./openapi.json", import.meta.url));

/** The text of openapi.json. */
export function specText() {
  return JSON.stringify(spec, null, 2) + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--write")) {
  writeFileSync(SPEC_FILE, specText());
  console.log(`wrote ${SPEC_FILE}`);
}
