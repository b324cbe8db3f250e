// One handler per operationId of spec.mjs. The server has already authenticated the caller and
// validated parameters and body against the (enforced) spec; behavioural faults are checked here
// with ctx.fault(id).
import { randomUUID } from "node:crypto";
import { posix } from "node:path";
import { renderTemplate, SIMULATED_FILES, simulatedSqlError, simulateFetch } from "./faults.mjs";
import { hasRole } from "./keys.mjs";
import { exportFiles } from "./store.mjs";

const PROBLEM_BASE = "https://library.example/problems/";
const TITLES = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error" };

/** An RFC 9457 problem response. */
export function problem(status, detail, errors) {
  const title = TITLES[status] ?? "Error";
  const body = { type: PROBLEM_BASE + title.toLowerCase().replace(/ /g, "-"), title, status, detail };
  if (errors?.length) body.errors = errors;
  return { status, body, contentType: "application/problem+json" };
}

const json = (status, body, headers) => ({ status, body, headers });
const noContent = () => ({ status: 204 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => new Date().toISOString();
const page = (list, { limit = 20, offset = 0 }) => ({ items: list.slice(offset, offset + limit), total: list.length, limit, offset });

// ---------------------------------------------------------------- presentation

const presentAuthor = (store, a) => {
  const out = { id: a.id, name: a.name, birthDate: a.birthDate ?? null, createdAt: a.createdAt, bookCount: [...store.books.values()].filter((b) => b.authorId === a.id).length };
  if (a.website !== undefined) out.website = a.website;
  if (a.nationality !== undefined) out.nationality = a.nationality;
  return out;
};

const BOOK_FIELDS = ["title", "isbn", "genre", "pages", "tags", "publishedOn", "publisher", "summary"];
const NULLABLE_BOOK_FIELDS = ["isbn", "publishedOn", "summary"];

function presentBook(b) {
  const out = { id: b.id, authorId: b.authorId };
  for (const field of BOOK_FIELDS) if (b[field] !== undefined) out[field] = Array.isArray(b[field]) ? [...b[field]] : b[field];
  out.createdAt = b.createdAt;
  out.updatedAt = b.updatedAt;
  return out;
}

const presentReview = (r, fault) => ({ ...r, id: fault("review-id-uppercased") ? r.id.toUpperCase() : r.id, reviewer: r.reviewer ? { ...r.reviewer } : undefined });

function presentMember(m, fault) {
  const { apiKey, ...rest } = m;
  return fault("members-api-key-exposure") ? { ...rest, apiKey } : rest;
}

const etagOf = (b, fault) => (fault("book-etag-unquoted") ? `${b.version}-${b.id.slice(0, 8)}` : `"${b.version}-${b.id.slice(0, 8)}"`);

// ---------------------------------------------------------------- lookups

function authorOr404(ctx) {
  const author = ctx.store.authors.get(ctx.params.authorId);
  return author ? { author } : { error: problem(404, `author ${ctx.params.authorId} does not exist`) };
}

/** The book at /authors/{authorId}/books/{bookId}: its author must exist (unless orphaned by a fault). */
function nestedBookOr404(ctx) {
  const book = ctx.store.books.get(ctx.params.bookId.toLowerCase());
  const authorGone = !ctx.store.authors.has(ctx.params.authorId) && !ctx.fault("author-delete-orphans-books");
  if (!book || book.authorId !== ctx.params.authorId || authorGone) return { error: problem(404, `book ${ctx.params.bookId} of author ${ctx.params.authorId} does not exist`) };
  return { book };
}

/** Editors change only what their key created; admins change anything. */
function mayChange(ctx, resource) {
  if (ctx.fault("book-update-any-key") && ctx.operationId !== "deleteBook" && resource.authorId !== undefined) return true;
  return resource.owner === ctx.caller.key || hasRole(ctx.caller.role, "admin");
}

function writeBookFields(target, body, mode) {
  for (const field of BOOK_FIELDS) {
    if (field in body) target[field] = Array.isArray(body[field]) ? [...body[field]] : body[field];
    else if (mode === "replace") {
      if (NULLABLE_BOOK_FIELDS.includes(field)) target[field] = null;
      else delete target[field];
    }
  }
}

// ---------------------------------------------------------------- handlers

export const handlers = {
  getHealth: () => json(200, { status: "ok" }),

  listAuthors(ctx) {
    const prefix = ctx.params.name?.toLowerCase();
    const list = [...ctx.store.authors.values()].filter((a) => prefix === undefined || a.name.toLowerCase().startsWith(prefix));
    const result = page(list, ctx.params);
    return json(200, { ...result, items: result.items.map((a) => presentAuthor(ctx.store, a)) });
  },

  createAuthor(ctx) {
    const { name, birthDate = null, website, nationality } = ctx.body;
    const author = { id: ctx.store.nextAuthorId++, name, birthDate, createdAt: now(), owner: ctx.caller.key };
    if (website !== undefined) author.website = website;
    if (nationality !== undefined) author.nationality = nationality;
    ctx.store.authors.set(author.id, author);
    return json(201, presentAuthor(ctx.store, author), { Location: `/authors/${author.id}` });
  },

  getAuthor(ctx) {
    const { author, error } = authorOr404(ctx);
    return error ?? json(200, presentAuthor(ctx.store, author));
  },

  deleteAuthor(ctx) {
    const { author, error } = authorOr404(ctx);
    if (error) return error;
    if (!mayChange(ctx, author)) return problem(403, "only the key that created this author may delete it");
    ctx.store.authors.delete(author.id);
    if (!ctx.fault("author-delete-orphans-books")) {
      for (const book of [...ctx.store.books.values()]) {
        if (book.authorId !== author.id) continue;
        ctx.store.books.delete(book.id);
        for (const review of [...ctx.store.reviews.values()]) if (review.bookId === book.id) ctx.store.reviews.delete(review.id);
      }
    }
    return noContent();
  },

  listAuthorBooks(ctx) {
    const { author, error } = authorOr404(ctx);
    if (error) return error;
    const list = [...ctx.store.books.values()].filter((b) => b.authorId === author.id && (ctx.params.genre === undefined || b.genre === ctx.params.genre));
    const result = page(list, ctx.params);
    const headers = {};
    // the anchor of the previous page is the item before this one: there is none past the end
    if (ctx.fault("author-books-offset-past-end-crash") && result.offset > 0) headers["X-Previous-Anchor"] = list[result.offset - 1].id;
    const dropNulls = (b) => (ctx.fault("author-books-null-fields-dropped") ? Object.fromEntries(Object.entries(b).filter(([, v]) => v !== null)) : b);
    return json(200, { ...result, items: result.items.map((b) => dropNulls(presentBook(b))) }, headers);
  },

  createBook(ctx) {
    const { author, error } = authorOr404(ctx);
    if (error) return error;
    const at = now();
    const book = { id: randomUUID(), authorId: author.id, isbn: null, publishedOn: null, summary: null, createdAt: at, updatedAt: at, version: 1, owner: ctx.caller.key };
    writeBookFields(book, ctx.body, "merge");
    if (ctx.fault("book-created-at-mass-assignment") && typeof ctx.body.createdAt === "string") book.createdAt = ctx.body.createdAt;
    ctx.store.books.set(book.id, book);
    return json(201, presentBook(book), { Location: `/authors/${author.id}/books/${book.id}` });
  },

  getAuthorBook(ctx) {
    const { book, error } = nestedBookOr404(ctx);
    return error ?? json(200, presentBook(book), { ETag: etagOf(book, ctx.fault) });
  },

  replaceBook(ctx) {
    const { book, error } = nestedBookOr404(ctx);
    if (error) return error;
    if (!mayChange(ctx, book)) return problem(403, "only the key that created this book may change it");
    const previousTags = book.tags;
    writeBookFields(book, ctx.body, "replace");
    if (ctx.fault("book-put-appends-tags")) book.tags = [...previousTags, ...ctx.body.tags];
    book.version++;
    book.updatedAt = now();
    return json(200, presentBook(book));
  },

  updateBook(ctx) {
    const { book, error } = nestedBookOr404(ctx);
    if (error) return error;
    if (!mayChange(ctx, book)) return problem(403, "only the key that created this book may change it");
    writeBookFields(book, ctx.body, "merge");
    if (ctx.fault("book-patch-clears-omitted")) {
      for (const field of ["isbn", "publishedOn", "summary"]) if (!(field in ctx.body)) book[field] = null;
      for (const field of ["pages", "publisher"]) if (!(field in ctx.body)) delete book[field];
    }
    book.version++;
    book.updatedAt = now();
    return json(200, presentBook(book));
  },

  deleteBook(ctx) {
    const { book, error } = nestedBookOr404(ctx);
    if (error) return error;
    if (!mayChange(ctx, book)) return problem(403, "only the key that created this book may delete it");
    ctx.store.books.delete(book.id);
    for (const review of [...ctx.store.reviews.values()]) if (review.bookId === book.id) ctx.store.reviews.delete(review.id);
    return noContent();
  },

  listBooks(ctx) {
    let start = 0;
    if (ctx.params.cursor !== undefined) {
      const decoded = decodeCursor(ctx.params.cursor);
      if (decoded === undefined) return problem(400, "cursor is not one this API issued");
      start = decoded;
    }
    const { publisher, genre } = ctx.params;
    if (publisher !== undefined && ctx.fault("catalog-publisher-sqli")) {
      const sqlError = simulatedSqlError(publisher);
      if (sqlError) return json(500, { error: "query failed", detail: sqlError });
    }
    const list = [...ctx.store.books.values()].filter((b) => (genre === undefined || b.genre === genre) && (publisher === undefined || b.publisher === publisher));
    const limit = ctx.params.limit ?? 20;
    const items = list.slice(start, start + limit).map(presentBook);
    const next = start + limit < list.length ? encodeCursor(start + limit) : null;
    return json(200, { items, nextCursor: next });
  },

  searchBooks(ctx) {
    const query = ctx.body;
    const matches = (book) =>
      Object.entries(query).every(([field, wanted]) => {
        const value = field === "tag" ? book.tags : book[field];
        if (isOperatorObject(wanted)) return matchOperators(value, wanted);
        if (field === "title") return typeof wanted === "string" && String(value).toLowerCase().includes(wanted.toLowerCase());
        if (field === "tag") return Array.isArray(value) && value.includes(wanted);
        return value === wanted;
      });
    const items = [...ctx.store.books.values()].filter(matches).map(presentBook);
    return json(200, { items, total: items.length });
  },

  getBook(ctx) {
    const book = ctx.store.books.get(ctx.params.bookId.toLowerCase());
    if (book) return json(200, presentBook(book));
    if (ctx.fault("book-not-found-html")) return { status: 404, text: "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>", contentType: "text/html; charset=utf-8" };
    return problem(404, `book ${ctx.params.bookId} does not exist`);
  },

  listReviews(ctx) {
    const book = ctx.store.books.get(ctx.params.bookId.toLowerCase());
    if (!book) return problem(404, `book ${ctx.params.bookId} does not exist`);
    const result = page([...ctx.store.reviews.values()].filter((r) => r.bookId === book.id), ctx.params);
    return json(200, { ...result, items: result.items.map((r) => presentReview(r, ctx.fault)) });
  },

  createReview(ctx) {
    const book = ctx.store.books.get(ctx.params.bookId.toLowerCase());
    if (!book) return problem(404, `book ${ctx.params.bookId} does not exist`);
    const review = { id: randomUUID(), bookId: book.id, rating: ctx.body.rating, comment: ctx.body.comment ?? null, createdAt: now() };
    if (ctx.body.reviewer) review.reviewer = { ...ctx.body.reviewer };
    ctx.store.reviews.set(review.id, review);
    return json(201, presentReview(review, ctx.fault), { Location: `/books/${book.id}/reviews/${review.id}` });
  },

  getReview(ctx) {
    // ids are stored lower-case; the clean server reads them case-insensitively as RFC 4122 says
    const id = ctx.fault("review-id-uppercased") ? ctx.params.reviewId : ctx.params.reviewId.toLowerCase();
    const review = ctx.store.reviews.get(id);
    if (!review || review.bookId !== ctx.params.bookId.toLowerCase()) return problem(404, `review ${ctx.params.reviewId} does not exist`);
    return json(200, presentReview(review, ctx.fault));
  },

  listMembers(ctx) {
    const result = page([...ctx.store.members.values()], ctx.params);
    return json(200, { ...result, items: result.items.map((m) => presentMember(m, ctx.fault)) });
  },

  createMember(ctx) {
    const { name, email, newsletter = false, birthDate = null } = ctx.body;
    const member = { id: ctx.store.nextMemberId++, name, email, newsletter, birthDate, joinedAt: now(), apiKey: `mk_live_${randomUUID().replace(/-/g, "").slice(0, 12)}` };
    ctx.store.members.set(member.id, member);
    const welcome = `Welcome to the library, ${name}!`;
    const greeting = ctx.fault("member-greeting-ssti") ? renderTemplate(welcome) : welcome;
    const status = ctx.fault("members-create-200") ? 200 : 201;
    return json(status, { ...presentMember(member, () => false), greeting }, { Location: `/members/${member.id}` });
  },

  getMember(ctx) {
    const member = ctx.store.members.get(ctx.params.memberId);
    return member ? json(200, presentMember(member, () => false)) : problem(404, `member ${ctx.params.memberId} does not exist`);
  },

  createImport(ctx) {
    const body = ctx.body;
    const record = { id: randomUUID(), kind: body.kind, status: "queued", preview: null, createdAt: now() };
    if (body.kind === "url") record.sourceUrl = body.sourceUrl;
    else record.isbnCount = body.isbns.length;
    if (body.kind === "url" && ctx.fault("import-ssrf-preview")) {
      // fetched synchronously, internal addresses included (simulated: nothing leaves the process)
      const fetched = simulateFetch(body.sourceUrl);
      record.status = fetched === undefined ? "failed" : "done";
      record.preview = fetched === undefined ? null : fetched.slice(0, 500);
    }
    ctx.store.imports.set(record.id, record);
    const locationId = ctx.fault("import-location-fresh-id") ? randomUUID() : record.id;
    return json(201, { ...record }, { Location: `/imports/${locationId}` });
  },

  getImport(ctx) {
    const record = ctx.store.imports.get(ctx.params.importId.toLowerCase());
    return record ? json(200, { ...record }) : problem(404, `import ${ctx.params.importId} does not exist`);
  },

  downloadExport(ctx) {
    const files = exportFiles(ctx.store);
    const name = ctx.params.file;
    if (ctx.fault("export-path-traversal")) {
      const resolved = posix.join("/srv/library/exports", name);
      const inside = resolved.startsWith("/srv/library/exports/") ? files[resolved.slice("/srv/library/exports/".length)] : SIMULATED_FILES[resolved];
      if (inside !== undefined) return { status: 200, text: inside, contentType: "text/csv; charset=utf-8" };
      return problem(404, `no export named ${name}`);
    }
    const text = files[name];
    return text === undefined ? problem(404, `no export named ${name}`) : { status: 200, text, contentType: "text/csv; charset=utf-8" };
  },

  async getStats(ctx) {
    if (ctx.fault("stats-slow")) await sleep(1300);
    const { authors, books, reviews, members } = ctx.store;
    return json(200, { authors: authors.size, books: books.size, reviews: reviews.size, members: members.size, generatedAt: now() });
  },

  getCirculationReport(ctx) {
    const FIGURES = { day: [12, 9], week: [81, 77], month: [342, 330], year: [4012, 3985] };
    const period = FIGURES[ctx.params.period] ? ctx.params.period : "month"; // reached only when the enum is not enforced
    const [loans, returns] = FIGURES[period];
    return json(200, { period, loans, returns });
  },

  getAuditLog(ctx) {
    return json(200, { entries: ctx.store.audit.slice(0, ctx.params.limit ?? 50).map((e) => ({ ...e })) });
  },
};

/**
 * Hooks that run on the raw body before validation (buggy behaviour only): they may crash, or
 * return the part of the body that validation gets to see.
 */
export const beforeValidation = {
  createAuthor(ctx, raw) {
    // the sort key is derived before the body is validated: "" has no first letter
    if (ctx.fault("authors-empty-name-crash") && typeof raw?.name === "string") ctx.sortKey = raw.name.trim()[0].toUpperCase();
    return raw;
  },
  searchBooks(ctx, raw) {
    // operator objects were meant for internal clients: validation only sees the plain values
    if (!ctx.fault("search-operator-injection") || raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const plain = Object.fromEntries(Object.entries(raw).filter(([, v]) => !isOperatorObject(v)));
    const onlyOperators = Object.keys(plain).length === 0 && Object.keys(raw).length > 0;
    return onlyOperators ? { title: "operators" } : plain;
  },
};

// ---------------------------------------------------------------- helpers

function encodeCursor(offset) {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

function decodeCursor(cursor) {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Number.isInteger(value?.o) && value.o >= 0 ? value.o : undefined;
  } catch {
    return undefined;
  }
}

/** {"$ne": null}-style objects (only the buggy search lets them through validation). */
export function isOperatorObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith("$"));
}

function matchOperators(value, operators) {
  return Object.entries(operators).every(([op, operand]) => {
    if (op === "$ne") return value !== operand;
    if (op === "$eq") return value === operand;
    if (op === "$gt") return value > operand;
    if (op === "$exists") return (value !== undefined) === Boolean(operand);
    if (op === "$regex") return typeof value === "string" && new RegExp(String(operand)).test(value);
    throw Object.assign(new Error(`unknown operator: ${op}`), { mongo: true });
  });
}
