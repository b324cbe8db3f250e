// The seeded bugs of the buggy variant (mirrored in FAULTS.md), the contract changes some of them
// make to what the server enforces, and the simulations they need. Nothing here touches the real
// file system or the network: leaked files and fetched URLs are canned text.

/** fault id → the operation it lives in, the Sentinel check that must catch it, what is wrong. */
export const FAULTS = {
  "authors-empty-name-crash": { operation: "POST /authors", check: "not_a_server_error", bug: "an empty or blank `name` crashes the sort-key computation that runs before validation (500)" },
  "author-books-offset-past-end-crash": { operation: "GET /authors/{authorId}/books", check: "not_a_server_error", bug: "an `offset` past the end of the list crashes the previous-page computation (500) instead of an empty page" },
  "members-create-200": { operation: "POST /members", check: "status_code_conformance", bug: "a created member is answered 200; only 201 is documented" },
  "book-not-found-html": { operation: "GET /books/{bookId}", check: "content_type_conformance", bug: "an unknown book id gets the framework's text/html 404 page instead of application/problem+json" },
  "author-books-null-fields-dropped": { operation: "GET /authors/{authorId}/books", check: "response_schema_conformance", bug: "list items drop null fields, so the required nullable `isbn` / `publishedOn` / `summary` go missing" },
  "book-etag-unquoted": { operation: "GET /authors/{authorId}/books/{bookId}", check: "response_headers_conformance", bug: "the required ETag is sent without the quotes RFC 9110 (and the documented pattern) require" },
  "book-tags-duplicates-accepted": { operation: "POST /authors/{authorId}/books", check: "negative_data_rejection", bug: "`tags` uniqueItems is not enforced: [\"a\", \"a\"] is accepted with 201 (PUT too)" },
  "circulation-period-unchecked": { operation: "GET /reports/circulation", check: "negative_data_rejection", bug: "the required enum `period` is not checked: an unknown value silently reports the month (200)" },
  "book-pages-maximum-rejected": { operation: "POST /authors/{authorId}/books", check: "positive_data_acceptance", bug: "`pages` maximum is enforced as exclusive: exactly 10000 pages is rejected with 400 (PUT too)" },
  "authors-collection-any-method": { operation: "GET /authors", check: "unsupported_method", bug: "every method but POST on /authors runs the listing: PATCH/PUT/DELETE answer 200 instead of 405" },
  "author-delete-orphans-books": { operation: "DELETE /authors/{authorId}", check: "use_after_free", bug: "deleting an author leaves their books behind, still served at /authors/{authorId}/books/{bookId}" },
  "review-id-uppercased": { operation: "POST /books/{bookId}/reviews", check: "ensure_resource_availability", bug: "the created review's `id` is returned upper-cased; lookups are case-sensitive, so reading it answers 404" },
  "book-put-appends-tags": { operation: "PUT /authors/{authorId}/books/{bookId}", check: "idempotency", bug: "PUT appends the sent `tags` to the stored ones instead of replacing them: repeating it changes the book" },
  "import-location-fresh-id": { operation: "POST /imports", check: "location_header", bug: "the Location header is built from a second, freshly generated id, so it points to nothing (404)" },
  "book-patch-clears-omitted": { operation: "PATCH /authors/{authorId}/books/{bookId}", check: "stateful_invariant", bug: "the merge patch treats fields left out as null: isbn, pages, publishedOn, publisher and summary are wiped" },
  "export-any-key": { operation: "GET /exports/download", check: "ignored_auth", bug: "the `api_key` query parameter is only checked for presence: any value downloads" },
  "book-update-any-key": { operation: "PUT /authors/{authorId}/books/{bookId}", check: "bola", bug: "book updates check neither the role nor the owner: the reader key changes the editor's books (PATCH too)" },
  "audit-log-any-role": { operation: "GET /admin/audit-log", check: "bfla", bug: "the admin role is not checked: any valid key reads the audit log" },
  "book-created-at-mass-assignment": { operation: "POST /authors/{authorId}/books", check: "mass_assignment", bug: "readOnly `createdAt` is taken from the request body and stored" },
  "members-api-key-exposure": { operation: "GET /members", check: "excessive_data_exposure", bug: "listed members carry their personal `apiKey`" },
  "catalog-publisher-sqli": { operation: "GET /books", check: "sql_injection", bug: "`publisher` is pasted into SQL: a quote yields 500 with a PostgreSQL syntax error" },
  "search-operator-injection": { operation: "POST /books/search", check: "nosql_injection", bug: "operator objects skip validation and reach the (simulated) document-store matcher: {\"title\": {\"$ne\": null}} returns every book" },
  "export-path-traversal": { operation: "GET /exports/download", check: "path_traversal", bug: "`file` pattern not enforced and `../` resolved: ../../../../etc/passwd returns the (simulated) passwd file" },
  "import-ssrf-preview": { operation: "POST /imports", check: "ssrf", bug: "URL imports are fetched at once and the first bytes returned as `preview`, internal addresses included (simulated: metadata, SSH banner, local files)" },
  "member-greeting-ssti": { operation: "POST /members", check: "template_injection", bug: "the welcome `greeting` is rendered by a template engine that evaluates {{ a * b }} in the member's name" },
  "stats-slow": { operation: "GET /stats", check: "max_response_time", bug: "statistics are recomputed by a full scan on every call: ~1300 ms (clean: a few ms)" },
};

export const FAULT_IDS = Object.keys(FAULTS);

/** The spec the server enforces: a copy of the document with the contract-changing faults applied. */
export function enforcedSpec(spec, enabled) {
  const s = structuredClone(spec);
  const op = (path, method) => s.paths[path][method];
  const param = (path, method, name) => op(path, method).parameters.find((p) => p.name === name);
  if (enabled.has("book-tags-duplicates-accepted")) delete s.components.schemas.Tags.uniqueItems;
  if (enabled.has("circulation-period-unchecked")) delete param("/reports/circulation", "get", "period").schema.enum;
  if (enabled.has("book-pages-maximum-rejected")) {
    const pages = s.components.schemas.BookFields.properties.pages;
    delete pages.maximum;
    pages.exclusiveMaximum = 10000;
  }
  if (enabled.has("export-path-traversal")) param("/exports/download", "get", "file").schema = { type: "string", minLength: 1 };
  if (enabled.has("audit-log-any-role")) op("/admin/audit-log", "get").security = [{ ApiKeyHeader: [] }];
  if (enabled.has("book-update-any-key")) {
    op("/authors/{authorId}/books/{bookId}", "put").security = [{ ApiKeyHeader: [] }];
    op("/authors/{authorId}/books/{bookId}", "patch").security = [{ ApiKeyHeader: [] }];
  }
  return s;
}

export const SIMULATED_FILES = {
  "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nlibrary:x:1000:1000:Library,,,:/srv/library:/bin/sh\n",
  "/etc/hostname": "library-api\n",
};

/**
 * What fetching `url` from inside the server's network would return — simulated, never sent.
 * Undefined for hosts the simulation does not know (nothing is fetched for real).
 */
export function simulateFetch(url) {
  let target;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  if (target.protocol === "file:") return SIMULATED_FILES[decodeURIComponent(target.pathname)] ?? "";
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (host === "169.254.169.254" || host === "metadata.google.internal") {
    return "ami-id\nami-launch-index\nhostname\niam/\ninstance-id\ninstance-type\nlocal-ipv4\nplacement/\nsecurity-groups\n";
  }
  if (host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "0.0.0.0") {
    if (target.port === "22") return "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
    if (target.port === "6379") return "# Server\r\nredis_version:7.2.4\r\n";
    return "<html><title>library-api internal admin</title></html>";
  }
  return undefined;
}

/** The buggy greeting renderer: evaluates {{ a * b }} and {{ a + b }} like a template engine would. */
export function renderTemplate(text) {
  return text.replace(/\{\{\s*(\d{1,9})\s*([*+])\s*(\d{1,9})\s*\}\}/g, (_, a, op, b) => String(op === "*" ? BigInt(a) * BigInt(b) : BigInt(a) + BigInt(b)));
}

/** The error PostgreSQL gives for the buggy catalogue query with `publisher` pasted in. */
export function simulatedSqlError(publisher) {
  const sql = `SELECT * FROM books WHERE publisher = '${publisher}' ORDER BY created_at`;
  const quotes = (publisher.match(/'/g) ?? []).length;
  if (quotes === 0) return undefined;
  const at = publisher.slice(publisher.indexOf("'") + 1).slice(0, 20);
  return quotes % 2 === 1
    ? `ERROR:  unterminated quoted string at or near "'${at}" at character ${sql.indexOf(publisher) + publisher.indexOf("'") + 1}`
    : `ERROR:  syntax error at or near "${at.split(/\s/)[0] || "'"}"`;
}
