// Ground truth for the second (library) API: every seeded fault is observable when enabled and
// absent otherwise, the clean variant conforms to openapi.json, and the document, FAULTS.md and
// the server agree.
import { readFileSync } from "node:fs";
import { Validator } from "@cfworker/json-schema";
import { afterAll, describe, expect, it } from "vitest";
import { CHECK_NAMES } from "../../workers/model/checks";
import { FAULTS, FAULT_IDS, renderTemplate, simulateFetch, simulatedSqlError } from "./faults.mjs";
import { API_KEYS, identityArgs } from "./keys.mjs";
import { startSecondApi, type SecondApi, type StartSecondApiOptions } from "./server.mjs";
import { spec, specText, SPEC_FILE } from "./spec.mjs";
import { SEED_BOOK_ID } from "./store.mjs";
import { validate } from "./validate.mjs";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const here = (name: string) => new URL(name, import.meta.url);

// ---------------------------------------------------------------- HTTP helpers

interface CallOptions {
  /** whose key goes in X-API-Key (default editor); null for none; any other string is sent as is */
  as?: "reader" | "editor" | "admin" | null | (string & {});
  body?: unknown;
  form?: Record<string, string>;
  contentType?: string;
}
interface Reply {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  ms: number;
}

const keyOf = (as: CallOptions["as"]) => (as === null ? undefined : as === undefined ? API_KEYS.editor.key : (API_KEYS as Record<string, { key: string }>)[as]?.key ?? as);

async function call(api: SecondApi, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = keyOf(options.as);
  if (key !== undefined) headers["X-API-Key"] = key;
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = options.contentType ?? "application/json";
  }
  const started = performance.now();
  const response = await fetch(api.url + path, { method, headers, body });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method, path, status: response.status, headers: response.headers, text, json, ms: performance.now() - started };
}

async function createAuthor(api: SecondApi, as: CallOptions["as"] = "editor") {
  const r = await call(api, "POST", "/authors", { as, body: { name: "Probe Author" } });
  expect(r.status).toBe(201);
  return r.json;
}

async function createBook(api: SecondApi, fields: Record<string, unknown> = {}, as: CallOptions["as"] = "editor") {
  const author = await createAuthor(api, as);
  const r = await call(api, "POST", `/authors/${author.id}/books`, { as, body: { title: "Probe", genre: "poetry", tags: ["probe"], ...fields } });
  expect(r.status).toBe(201);
  return { author, book: r.json, path: `/authors/${author.id}/books/${r.json.id}` };
}

const servers: SecondApi[] = [];
async function start(options: StartSecondApiOptions): Promise<SecondApi> {
  const api = await startSecondApi({ port: 0, ...options });
  servers.push(api);
  return api;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

// ---------------------------------------------------------------- one probe per fault

const probes: Record<string, (api: SecondApi) => Promise<boolean>> = {
  "authors-empty-name-crash": async (api) => (await call(api, "POST", "/authors", { body: { name: "" } })).status === 500,
  "author-books-offset-past-end-crash": async (api) => {
    const author = await createAuthor(api);
    return (await call(api, "GET", `/authors/${author.id}/books?offset=5`)).status === 500;
  },
  "members-create-200": async (api) => (await call(api, "POST", "/members", { form: { name: "Probe", email: "probe@example.org" } })).status === 200,
  "book-not-found-html": async (api) => (await call(api, "GET", "/books/5b1d4c1e-0000-4000-8000-000000000000", { as: "reader" })).headers.get("content-type")!.startsWith("text/html"),
  "author-books-null-fields-dropped": async (api) => {
    const { author } = await createBook(api);
    const list = await call(api, "GET", `/authors/${author.id}/books`);
    return !("isbn" in list.json.items[0]);
  },
  "book-etag-unquoted": async (api) => {
    const { path } = await createBook(api);
    return !/^(W\/)?"[^"]*"$/.test((await call(api, "GET", path)).headers.get("etag")!);
  },
  "book-tags-duplicates-accepted": async (api) => {
    const author = await createAuthor(api);
    return (await call(api, "POST", `/authors/${author.id}/books`, { body: { title: "Dup", genre: "drama", tags: ["a", "a"] } })).status === 201;
  },
  "circulation-period-unchecked": async (api) => (await call(api, "GET", "/reports/circulation?period=fortnight")).status === 200,
  "book-pages-maximum-rejected": async (api) => {
    const author = await createAuthor(api);
    return (await call(api, "POST", `/authors/${author.id}/books`, { body: { title: "Long", genre: "reference", tags: ["long"], pages: 10000 } })).status === 400;
  },
  "authors-collection-any-method": async (api) => (await call(api, "PATCH", "/authors")).status === 200,
  "author-delete-orphans-books": async (api) => {
    const { author, path } = await createBook(api);
    expect((await call(api, "DELETE", `/authors/${author.id}`)).status).toBe(204);
    return (await call(api, "GET", path)).status === 200;
  },
  "review-id-uppercased": async (api) => {
    const { book } = await createBook(api);
    const review = await call(api, "POST", `/books/${book.id}/reviews`, { as: "reader", body: { rating: 4 } });
    expect(review.status).toBe(201);
    return (await call(api, "GET", `/books/${book.id}/reviews/${review.json.id}`, { as: "reader" })).status === 404;
  },
  "book-put-appends-tags": async (api) => {
    const { path } = await createBook(api, { tags: ["x"] });
    const body = { title: "Again", genre: "poetry", tags: ["y"] };
    const first = await call(api, "PUT", path, { body });
    const second = await call(api, "PUT", path, { body });
    return JSON.stringify(first.json.tags) !== JSON.stringify(second.json.tags);
  },
  "import-location-fresh-id": async (api) => {
    const created = await call(api, "POST", "/imports", { body: { kind: "isbn-list", isbns: ["9780061054884"] } });
    expect(created.status).toBe(201);
    return (await call(api, "GET", created.headers.get("location")!)).status === 404;
  },
  "book-patch-clears-omitted": async (api) => {
    const { path } = await createBook(api, { isbn: "9780061054884", pages: 200, summary: "kept?" });
    const patched = await call(api, "PATCH", path, { body: { title: "Renamed" }, contentType: "application/merge-patch+json" });
    expect(patched.status).toBe(200);
    return patched.json.isbn === null || patched.json.pages === undefined || patched.json.summary === null;
  },
  "export-any-key": async (api) => (await call(api, "GET", "/exports/download?file=catalogue.csv&api_key=not-a-key", { as: null })).status === 200,
  "book-update-any-key": async (api) => {
    const { path } = await createBook(api);
    return (await call(api, "PUT", path, { as: "reader", body: { title: "Mine now", genre: "drama", tags: ["taken"] } })).status === 200;
  },
  "audit-log-any-role": async (api) => (await call(api, "GET", "/admin/audit-log", { as: "reader" })).status === 200,
  "book-created-at-mass-assignment": async (api) => {
    const { path } = await createBook(api, { createdAt: "2001-02-03T04:05:06Z" });
    return (await call(api, "GET", path)).json.createdAt === "2001-02-03T04:05:06Z";
  },
  "members-api-key-exposure": async (api) => (await call(api, "GET", "/members")).json.items.some((m: Json) => "apiKey" in m),
  "catalog-publisher-sqli": async (api) => {
    const r = await call(api, "GET", `/books?publisher=${encodeURIComponent("O'Reilly")}`, { as: null });
    return r.status === 500 && r.text.includes("unterminated quoted string");
  },
  "search-operator-injection": async (api) => {
    const r = await call(api, "POST", "/books/search", { as: "reader", body: { title: { $ne: null } } });
    return r.status === 200 && r.json.items.length > 0;
  },
  "export-path-traversal": async (api) =>
    (await call(api, "GET", `/exports/download?file=${encodeURIComponent("../../../etc/passwd")}&api_key=${API_KEYS.reader.key}`, { as: null })).text.includes("root:x:0:0"),
  "import-ssrf-preview": async (api) => {
    const r = await call(api, "POST", "/imports", { body: { kind: "url", sourceUrl: "http://169.254.169.254/latest/meta-data/" } });
    return String(r.json?.preview).includes("ami-id");
  },
  "member-greeting-ssti": async (api) => String((await call(api, "POST", "/members", { form: { name: "{{7*7}}", email: "ssti@example.org" } })).json.greeting).includes("49"),
  "stats-slow": async (api) => (await call(api, "GET", "/stats", { as: "reader" })).ms > 1000,
};

describe("seeded faults", () => {
  it("every fault has a probe, a valid check name, a documented operation and a FAULTS.md row", () => {
    expect(Object.keys(probes).sort()).toEqual([...FAULT_IDS].sort());
    expect(FAULT_IDS.length).toBeGreaterThanOrEqual(15);
    const table = readFileSync(here("FAULTS.md"), "utf8");
    for (const id of FAULT_IDS) {
      const fault = FAULTS[id];
      expect(CHECK_NAMES as readonly string[], id).toContain(fault.check);
      const [method, path] = fault.operation.split(" ");
      expect(spec.paths[path]?.[method.toLowerCase()], `${id}: ${fault.operation}`).toBeDefined();
      expect(table, id).toContain(`| \`${id}\` | \`${fault.operation}\` | \`${fault.check}\` |`);
    }
  });

  it("rejects unknown fault ids and variants", async () => {
    await expect(startSecondApi({ faults: ["no-such-fault"] })).rejects.toThrow(/unknown fault/);
    await expect(startSecondApi({ variant: "broken" as never })).rejects.toThrow(/unknown variant/);
  });

  it("the buggy variant enables every fault by default, the clean one none", async () => {
    expect((await start({ variant: "buggy" })).faults.sort()).toEqual([...FAULT_IDS].sort());
    expect((await start({ variant: "clean" })).faults).toEqual([]);
  });

  for (const id of FAULT_IDS) {
    it(`${id} (${FAULTS[id].check}): present when enabled, absent in clean and in buggy-without-it`, async () => {
      const probe = probes[id];
      expect(await probe(await start({ variant: "buggy", faults: [id] })), "buggy with only this fault").toBe(true);
      expect(await probe(await start({ variant: "buggy" })), "buggy with all faults").toBe(true);
      expect(await probe(await start({ variant: "buggy", faults: FAULT_IDS.filter((f) => f !== id) })), "buggy minus this fault").toBe(false);
      expect(await probe(await start({ variant: "clean" })), "clean").toBe(false);
    });
  }
});

// ---------------------------------------------------------------- spec helpers

const resolveRef = (node: Json): Json => (node && typeof node.$ref === "string" ? resolveRef(node.$ref.slice(2).split("/").reduce((at: Json, key: string) => at[key], spec)) : node);

interface SpecOperation {
  method: string;
  path: string;
  op: Json;
  matcher: RegExp;
}
const operations: SpecOperation[] = Object.entries(spec.paths).flatMap(([path, item]: [string, Json]) =>
  Object.entries(item)
    .filter(([method]) => method !== "parameters")
    .map(([method, op]) => ({ method: method.toUpperCase(), path, op, matcher: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`) })),
);
const operationFor = (method: string, path: string) => {
  const pathname = new URL(path, "http://x").pathname;
  const found = operations.find((o) => o.method === method && o.matcher.test(pathname));
  if (!found) throw new Error(`no operation for ${method} ${pathname}`);
  return found;
};

const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"));
function schemaErrors(schema: Json, value: unknown): string[] {
  const root = { ...JSON.parse(JSON.stringify(schema).replaceAll("#/components/schemas/", "#/$defs/")), $defs: defs };
  const result = new Validator(root, "2020-12", false).validate(value);
  return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

/** Everything a spec-following oracle checks on one response of the clean server. */
function assertConforms(reply: Reply) {
  const where = `${reply.method} ${reply.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, where).toBeLessThan(500);
  if (reply.status === 405) {
    expect(reply.headers.get("allow"), where).toBeTruthy();
    return;
  }
  const { op } = operationFor(reply.method, reply.path);
  const response = op.responses[String(reply.status)];
  expect(response, `undocumented status: ${where}`).toBeDefined();
  for (const [name, header] of Object.entries(response.headers ?? {}) as [string, Json][]) {
    if (!header.required) continue;
    const value = reply.headers.get(name);
    expect(value, `missing header ${name}: ${where}`).not.toBeNull();
    expect(schemaErrors(header.schema, value), where).toEqual([]);
  }
  if (!response.content) {
    expect(reply.text, where).toBe("");
    return;
  }
  const mediaType = reply.headers.get("content-type")!.split(";")[0].trim();
  const media = response.content[mediaType];
  expect(media, `undocumented content type ${mediaType}: ${where}`).toBeDefined();
  expect(schemaErrors(media.schema, mediaType.endsWith("json") ? reply.json : reply.text), where).toEqual([]);
}

// ---------------------------------------------------------------- the document

describe("openapi.json", () => {
  it("is the text spec.mjs writes (node examples/second-api/spec.mjs --write)", () => {
    expect(readFileSync(SPEC_FILE, "utf8")).toBe(specText());
  });

  it("is OpenAPI 3.1 with type arrays, a oneOf body, allOf, a form body, a merge patch and two key schemes", () => {
    const text = JSON.stringify(spec);
    expect(spec.openapi).toBe("3.1.0");
    expect(text).toContain('"type":["string","null"]');
    expect(spec.components.schemas.ImportRequest.oneOf).toHaveLength(2);
    expect(spec.components.schemas.Book.allOf).toBeDefined();
    expect(spec.paths["/members"].post.requestBody.content["application/x-www-form-urlencoded"]).toBeDefined();
    expect(spec.paths["/authors/{authorId}/books/{bookId}"].patch.requestBody.content["application/merge-patch+json"]).toBeDefined();
    expect(Object.values(spec.components.securitySchemes).map((s: Json) => s.in)).toEqual(["header", "query"]);
  });

  it("has valid examples", () => {
    for (const { method, path, op } of operations) {
      for (const param of [...(spec.paths[path].parameters ?? []), ...(op.parameters ?? [])]) {
        if (param.example !== undefined) expect(schemaErrors(param.schema, param.example), `${method} ${path} ${param.name}`).toEqual([]);
      }
      for (const media of Object.values(op.requestBody?.content ?? {}) as Json[]) {
        if (media.example !== undefined) expect(validate(media.example, media.schema, { schemas: spec.components.schemas, mode: "request" }), `${method} ${path}`).toEqual([]);
      }
    }
  });
});

// ---------------------------------------------------------------- the clean variant

describe("clean variant", () => {
  it("answers every operation as documented (happy paths)", async () => {
    const api = await start({ variant: "clean" });
    const replies: Reply[] = [];
    const go = async (method: string, path: string, options: CallOptions = {}) => {
      const r = await call(api, method, path, options);
      replies.push(r);
      return r;
    };
    await go("GET", "/health", { as: null });
    await go("GET", "/authors?limit=1&offset=1&name=oct");
    const author = (await go("POST", "/authors", { body: { name: "Jo Walton", birthDate: null, website: "https://www.jowalton.org/", nationality: "GB" } })).json;
    await go("GET", `/authors/${author.id}`, { as: "reader" });
    const book = (await go("POST", `/authors/${author.id}/books`, { body: { title: "Among Others", genre: "fiction", tags: ["magic", "books"], pages: 302, publishedOn: "2011-01-18", publisher: "Tor", isbn: "9780765321534", summary: "A girl and her books." } })).json;
    const bookPath = `/authors/${author.id}/books/${book.id}`;
    await go("GET", `/authors/${author.id}/books?genre=fiction&limit=50`, { as: "reader" });
    await go("GET", `/authors/${author.id}/books?offset=9`);
    await go("GET", bookPath, { as: "reader" });
    await go("PUT", bookPath, { body: { title: "Among Others", genre: "fiction", tags: ["magic"] } });
    const patched = await go("PATCH", bookPath, { body: { summary: "Restored.", pages: 10000 }, contentType: "application/merge-patch+json" });
    expect(patched.json).toMatchObject({ title: "Among Others", summary: "Restored.", pages: 10000, isbn: null });
    await go("GET", `/books/${book.id}`, { as: "reader" });
    await go("GET", "/books/00000000-0000-4000-8000-000000000000", { as: "reader" });
    const page = await go("GET", "/books?limit=2", { as: null });
    expect(page.json.nextCursor).toEqual(expect.any(String));
    await go("GET", `/books?cursor=${page.json.nextCursor}&publisher=${encodeURIComponent("O'Reilly")}`, { as: null });
    await go("POST", "/books/search", { as: "reader", body: { title: "among", tag: "magic" } });
    const review = (await go("POST", `/books/${book.id}/reviews`, { as: "reader", body: { rating: 5, comment: null, reviewer: { displayName: "Mori", memberSince: "2020-02-29" } } })).json;
    await go("GET", `/books/${book.id}/reviews/${review.id.toUpperCase()}`, { as: "reader" });
    await go("GET", `/books/${book.id}/reviews?limit=1`, { as: "reader" });
    const member = (await go("POST", "/members", { form: { name: "Ada", email: "ada2@example.org", newsletter: "true", birthDate: "1990-02-03" } })).json;
    await go("GET", `/members/${member.id}`);
    await go("GET", "/members?limit=100");
    const imported = await go("POST", "/imports", { body: { kind: "url", sourceUrl: "http://127.0.0.1:22/", format: "marc" } });
    expect(imported.json).toMatchObject({ status: "queued", preview: null });
    await go("GET", imported.headers.get("location")!);
    await go("GET", `/exports/download?file=authors.csv&api_key=${API_KEYS.reader.key}`, { as: null });
    await go("GET", "/stats", { as: "reader" });
    await go("GET", "/reports/circulation?period=week");
    await go("GET", "/admin/audit-log?limit=2", { as: "admin" });
    await go("DELETE", bookPath);
    await go("DELETE", `/authors/${author.id}`);
    await go("GET", bookPath);
    for (const reply of replies) assertConforms(reply);
    expect(replies.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /books/00000000-0000-4000-8000-000000000000 404",
      `GET ${bookPath} 404`,
    ]);
  });

  it("takes keys where each operation's scheme says and enforces roles and ownership", async () => {
    const api = await start({ variant: "clean" });
    const secured = operations.filter((o) => (o.op.security ?? spec.security).length > 0);
    for (const { method, path } of secured) {
      const concrete = path.replace("{authorId}", "1").replace(/\{(bookId|reviewId|importId)\}/g, SEED_BOOK_ID).replace("{memberId}", "1");
      const r = await call(api, method, concrete, { as: null });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^ApiKey/);
      assertConforms(r);
    }
    // the export takes its key in the query only
    expect((await call(api, "GET", "/exports/download?file=catalogue.csv", { as: "reader" })).status).toBe(401);
    expect((await call(api, "GET", "/exports/download?file=catalogue.csv&api_key=wrong", { as: null })).status).toBe(401);
    // roles: reader reads and reviews, editor writes, admin audits
    const { path } = await createBook(api);
    for (const r of [
      await call(api, "PUT", path, { as: "reader", body: { title: "No", genre: "drama", tags: ["no"] } }),
      await call(api, "PATCH", path, { as: "reader", body: { title: "No" }, contentType: "application/merge-patch+json" }),
      await call(api, "DELETE", path, { as: "reader" }),
      await call(api, "GET", "/admin/audit-log", { as: "reader" }),
      await call(api, "GET", "/admin/audit-log", { as: "editor" }),
      await call(api, "GET", "/members", { as: "reader" }),
    ]) {
      expect(r.status, `${r.method} ${r.path}`).toBe(403);
      assertConforms(r);
    }
    // ownership: the admin may change the editor's book, a second editor-role key could not
    expect((await call(api, "PATCH", path, { as: "admin", body: { title: "Admin edit" }, contentType: "application/merge-patch+json" })).status).toBe(200);
    expect((await call(api, "GET", path, { as: "reader" })).json.title).toBe("Admin edit");
  });

  it("rejects malformed, mistyped and out-of-contract requests with documented 4xx", async () => {
    const api = await start({ variant: "clean" });
    const author = await createAuthor(api);
    const books = `/authors/${author.id}/books`;
    const replies = [
      await call(api, "POST", "/authors", { body: { name: "" } }),
      await call(api, "POST", "/authors", { body: { name: "X", birthDate: "2024-13-45" } }),
      await call(api, "POST", "/authors", { body: { name: "X", nationality: "usa" } }),
      await call(api, "POST", "/authors", { body: { name: "X" }, contentType: "text/plain" }),
      await call(api, "POST", books, { body: { title: "T", genre: "sci-fi", tags: ["a"] } }),
      await call(api, "POST", books, { body: { title: "T", genre: "drama", tags: [] } }),
      await call(api, "POST", books, { body: { title: "T", genre: "drama", tags: ["a", "a"] } }),
      await call(api, "POST", books, { body: { title: "T", genre: "drama", tags: ["a", "b", "c", "d", "e", "f"] } }),
      await call(api, "POST", books, { body: { title: "T", genre: "drama", tags: ["a"], pages: 10001 } }),
      await call(api, "POST", books, { body: { title: "T", genre: "drama", tags: ["a"], isbn: "123" } }),
      await call(api, "POST", books, { body: { genre: "drama", tags: ["a"] } }),
      await call(api, "PATCH", `${books}/${SEED_BOOK_ID}`, { body: {}, contentType: "application/merge-patch+json" }),
      await call(api, "GET", `${books}?limit=51`),
      await call(api, "GET", "/books/not-a-uuid"),
      await call(api, "GET", "/books?cursor=bm90LWpzb24", { as: null }),
      await call(api, "POST", "/books/search", { body: { title: { $ne: null } } }),
      await call(api, "POST", "/books/search", { body: {} }),
      await call(api, "POST", "/members", { form: { name: "A", email: "not-an-email" } }),
      await call(api, "POST", "/members", { form: { name: "A", email: "a@example.org", newsletter: "yes" } }),
      await call(api, "POST", "/imports", { body: { kind: "url", isbns: ["9780061054884"] } }),
      await call(api, "POST", "/imports", { body: { kind: "isbn-list", isbns: ["9780061054884", "9780061054884"] } }),
      await call(api, "GET", `/exports/download?file=${encodeURIComponent("../etc/passwd")}&api_key=${API_KEYS.editor.key}`, { as: null }),
      await call(api, "GET", "/reports/circulation"),
      await call(api, "GET", "/reports/circulation?period=decade"),
    ];
    for (const r of replies) {
      expect(r.status, `${r.method} ${r.path} ${r.text}`).toBeOneOf([400, 415]);
      assertConforms(r);
    }
    const notAllowed = await call(api, "PATCH", "/authors");
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get("allow")).toBe("GET, POST, HEAD");
  });

  it("ignores read-only and unknown properties, and never exposes keys", async () => {
    const api = await start({ variant: "clean" });
    const { path, book } = await createBook(api, { id: "5e171e1a-0000-4000-8000-000000000001", createdAt: "2001-02-03T04:05:06Z", authorId: 987654, role: "admin" });
    const read = await call(api, "GET", path);
    expect(read.json.id).toBe(book.id);
    expect(read.json.createdAt).not.toBe("2001-02-03T04:05:06Z");
    expect(read.json).not.toHaveProperty("role");
    const members = await call(api, "GET", "/members");
    expect(JSON.stringify(members.json)).not.toMatch(/apiKey|mk_live/);
  });

  it("lists identity flags for a user", () => {
    expect(identityArgs()).toEqual([`--identity "editor:X-API-Key: ${API_KEYS.editor.key}"`, `--identity "reader:X-API-Key: ${API_KEYS.reader.key}"`]);
  });
});

// ---------------------------------------------------------------- building blocks

describe("building blocks", () => {
  it("simulations never reach the network and imitate only what they know", () => {
    expect(simulateFetch("http://169.254.169.254/latest/meta-data/")).toContain("instance-id");
    expect(simulateFetch("http://127.0.0.1:22/")).toMatch(/^SSH-2\.0-OpenSSH/);
    expect(simulateFetch("file:///etc/passwd")).toContain("root:x:0:0");
    expect(simulateFetch("https://data.example.org/catalogue.csv")).toBeUndefined();
    expect(renderTemplate("Hi {{1337*7331}} and {{ 2 + 3 }}")).toBe("Hi 9801547 and 5");
    expect(simulatedSqlError("Harper")).toBeUndefined();
    expect(simulatedSqlError("O'Reilly")).toMatch(/^ERROR: {2}unterminated quoted string at or near/);
    expect(simulatedSqlError("' OR ''='")).toMatch(/^ERROR: {2}syntax error at or near/);
  });

  it("validate covers the keywords the spec uses", () => {
    const schemas = spec.components.schemas;
    const request = { schemas, mode: "request" as const };
    // readOnly properties are neither required nor validated in requests
    const book = { title: "T", genre: "drama", tags: ["a"], isbn: null, publishedOn: null, summary: null };
    expect(validate({ ...book, id: 42 }, { $ref: "#/components/schemas/Book" }, request)).toEqual([]);
    expect(validate({ ...book, id: 42 }, { $ref: "#/components/schemas/Book" }, { schemas, mode: "response" }).join()).toMatch(/id must be of type string/);
    expect(validate({ kind: "url", sourceUrl: "https://x.example/a.csv" }, schemas.ImportRequest, request)).toEqual([]);
    expect(validate({ kind: "url", sourceUrl: "https://x.example/a.csv", isbns: [] }, schemas.ImportRequest, request)).toHaveLength(1);
    expect(validate({ title: "T", genre: "drama", tags: ["a"] }, schemas.Book, { schemas, mode: "response" }).join()).toMatch(/must have property 'id'/);
    expect(validate(null, { type: ["string", "null"] }, request)).toEqual([]);
    expect(validate("2024-02-30", { type: "string", format: "date" }, request)).toHaveLength(1);
    expect(validate("url", { type: "string", const: "url" }, request)).toEqual([]);
  });
});
