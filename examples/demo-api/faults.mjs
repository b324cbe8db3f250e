// The seeded bugs of the buggy variant (catalogue mirrored in FAULTS.md) and their simulations.
// Nothing here touches the real file system or runs a command: the "leaks" are canned text.

/** fault id → the operation it lives in, the Sentinel check that must catch it, what is wrong. */
export const FAULTS = {
  "items-name-type-crash": { operation: "POST /items", check: "not_a_server_error", bug: "a non-string `name` crashes the duplicate-name lookup that runs before validation (500)" },
  "webhooks-delete-202": { operation: "DELETE /webhooks/{webhookId}", check: "status_code_conformance", bug: "answers 202 with a JSON body; only 204 is documented" },
  "orders-list-text-plain": { operation: "GET /orders", check: "content_type_conformance", bug: "JSON list served as text/plain" },
  "item-price-as-string": { operation: "GET /items/{itemId}", check: "response_schema_conformance", bug: "`price` serialised as a string (\"19.99\") instead of a number" },
  "items-list-missing-total-header": { operation: "GET /items", check: "response_headers_conformance", bug: "required X-Total-Count response header not sent" },
  "items-quantity-max-ignored": { operation: "POST /items", check: "negative_data_rejection", bug: "`quantity` maximum (1000) not enforced: 5000 is accepted with 201 (PUT too)" },
  "webhooks-events-required-ignored": { operation: "POST /webhooks", check: "negative_data_rejection", bug: "required `events` not enforced: a body without it is accepted with 201" },
  "items-name-maxlength-off-by-one": { operation: "POST /items", check: "positive_data_acceptance", bug: "a `name` of exactly maxLength (64) is rejected with 400 (off-by-one; PUT too)" },
  "orders-idempotency-key-not-enforced": { operation: "POST /orders", check: "missing_required_header", bug: "required Idempotency-Key header not enforced: 201 without it" },
  "health-any-method": { operation: "GET /health", check: "unsupported_method", bug: "handler mounted for every method: DELETE/POST/PUT /health answer 200 instead of 405" },
  "items-soft-delete-read": { operation: "DELETE /items/{itemId}", check: "use_after_free", bug: "delete only flags the row; GET /items/{itemId} forgets the flag and still answers 200" },
  "webhooks-not-readable": { operation: "POST /webhooks", check: "ensure_resource_availability", bug: "created webhooks stay 'pending' and GET /webhooks/{webhookId} answers 404" },
  "items-put-increments": { operation: "PUT /items/{itemId}", check: "idempotency", bug: "PUT adds `quantity` to the stock instead of replacing it: repeating it changes the state" },
  "orders-wrong-location": { operation: "POST /orders", check: "location_header", bug: "Location points to /order/{id} (singular), which does not exist" },
  "orders-patch-not-persisted": { operation: "PATCH /orders/{orderId}", check: "stateful_invariant", bug: "the update is echoed with 200 but never saved; a later GET shows the old values" },
  "files-list-no-auth": { operation: "GET /files", check: "ignored_auth", bug: "protected listing answers 200 without any credentials" },
  "jwt-alg-none": { operation: "GET /users/me", check: "jwt_weakness", bug: "tokens with alg \"none\" and no signature are accepted (every protected operation)" },
  "orders-bola": { operation: "GET /orders/{orderId}", check: "bola", bug: "no owner check: bob can read (and DELETE) alice's orders" },
  "admin-bfla": { operation: "GET /admin/users", check: "bfla", bug: "admin role not checked: any authenticated user lists all users" },
  "users-role-mass-assignment": { operation: "PATCH /users/me", check: "mass_assignment", bug: "readOnly `role` is copied from the body and stored (role: admin sticks)" },
  "users-secret-exposure": { operation: "GET /users/me", check: "excessive_data_exposure", bug: "the raw row is serialised: `passwordHash` and `apiSecret` leak (PATCH too)" },
  "search-sqli": { operation: "GET /search", check: "sql_injection", bug: "`q` concatenated into SQL: a quote yields 500 with `SQLITE_ERROR: near \"'\": syntax error`" },
  "files-path-traversal": { operation: "GET /files/{fileName}", check: "path_traversal", bug: "name pattern not enforced and `../` resolved: ..%2F..%2Fetc%2Fpasswd returns the (simulated) passwd file" },
  "ping-command-injection": { operation: "GET /diagnostics/ping", check: "command_injection", bug: "host pattern not enforced and pasted into a (simulated) shell: `;id` prints uid=0(root)" },
  "reports-slow": { operation: "GET /reports/sales", check: "max_response_time", bug: "unindexed report query: every call takes ~1500 ms (clean: a few ms)" },
};

export const FAULT_IDS = Object.keys(FAULTS);

/**
 * Business-rule faults: the rule is stated only in the operation's prose, so no schema-driven check
 * can see the bug; an LLM oracle read from the description finds it (FAULTS.md, second table).
 */
export const PROSE_FAULTS = {
  "search-limit-off-by-one": { operation: "GET /search", check: "llm_oracle", bug: "returns `limit` + 1 results when more match, though the description says \"Returns at most `limit` results\"" },
};

export const PROSE_FAULT_IDS = Object.keys(PROSE_FAULTS);

/**
 * Regression faults: nothing in the spec states the rule, so no single run can see the bug; an
 * invariant inferred from an earlier run against the correct API does (FAULTS.md, third table).
 * Enabled only when named (`faults: [...]`), never by the plain buggy variant.
 */
export const REGRESSION_FAULTS = {
  "items-page-offset-reset": { operation: "GET /items", check: "inferred_invariant", bug: "the page's `offset` field says 0 whatever `offset` was asked (the items are still the right ones)" },
};

export const REGRESSION_FAULT_IDS = Object.keys(REGRESSION_FAULTS);

/**
 * Applies the faults that change the declared contract the server enforces (validation rules,
 * required headers, auth level, method routing). Behavioural faults are checked in the handlers.
 */
export function applyFaults(routes, schemas, enabled) {
  const s = structuredClone(schemas);
  if (enabled.has("items-quantity-max-ignored")) delete s.ItemInput.properties.quantity.maximum;
  if (enabled.has("items-name-maxlength-off-by-one")) s.ItemInput.properties.name.maxLength = 63;
  if (enabled.has("webhooks-events-required-ignored")) s.WebhookInput.required = ["url"];
  const patched = routes.map((route) => {
    const r = { ...route, params: route.params.map((p) => ({ ...p, schema: { ...p.schema } })) };
    const param = (name) => r.params.find((p) => p.name === name);
    if (r.operationId === "createOrder" && enabled.has("orders-idempotency-key-not-enforced")) param("Idempotency-Key").required = false;
    if (r.operationId === "downloadFile" && enabled.has("files-path-traversal")) param("fileName").schema = { type: "string", minLength: 1 };
    if (r.operationId === "ping" && enabled.has("ping-command-injection")) delete param("host").schema.pattern;
    if (r.operationId === "listFiles" && enabled.has("files-list-no-auth")) r.auth = "public";
    if (r.operationId === "adminListUsers" && enabled.has("admin-bfla")) r.auth = "user";
    if (r.operationId === "getHealth" && enabled.has("health-any-method")) r.method = "*";
    return r;
  });
  return { routes: patched, schemas: s };
}

export const SIMULATED_PASSWD = [
  "root:x:0:0:root:/root:/bin/bash",
  "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
  "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin",
  "shop:x:1000:1000:Demo Shop,,,:/srv/app:/bin/sh",
  "",
].join("\n");

/** The pretend file system the buggy download resolves paths in. */
export const SIMULATED_FS = {
  "/etc/passwd": SIMULATED_PASSWD,
  "/etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n",
  "/etc/hostname": "demo-api\n",
};

const SIMULATED_COMMANDS = {
  id: () => "uid=0(root) gid=0(root) groups=0(root)",
  whoami: () => "root",
  hostname: () => "demo-api",
  pwd: () => "/srv/app",
  ls: () => "bin\netc\nhome\nroot\nsrv\nusr",
  uname: (args) => (args.includes("-a") ? "Linux demo-api 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux" : "Linux"),
  echo: (args) => args.join(" "),
  cat: (args) => args.map((p) => SIMULATED_FS[p] ?? `cat: ${p}: No such file or directory`).join(""),
};

const stripQuotes = (word) => word.replace(/^(['"])(.*)\1$/, "$2");

function runSimulated(command, state) {
  const [name, ...args] = command.trim().split(/\s+/).map(stripQuotes);
  if (!name) return "";
  if (name === "sleep") {
    state.sleepMs += Math.min(Number(args[0]) || 0, 10) * 1000;
    return "";
  }
  const run = SIMULATED_COMMANDS[name.split("/").pop()];
  return run ? run(args) : `sh: 1: ${name}: not found`;
}

/**
 * What `sh -c "ping -c <count> <host>"` would print if `host` were pasted in unquoted — simulated,
 * never executed. Handles `;`, `|`, `&&`, `||`, newlines, `$(...)` and backticks.
 * @returns {{ output: string, sleepMs: number, injected: boolean }}
 */
export function simulateShell(host, count) {
  const state = { sleepMs: 0 };
  const substituted = host.replace(/\$\(([^)]*)\)|`([^`]*)`/g, (_, a, b) => runSimulated(a ?? b, state));
  const [target, ...rest] = substituted.split(/;|\|\||&&|\||\n/);
  const pingTarget = target.trim();
  const lines = [
    pingTarget ? `PING ${pingTarget}: ${count} packets transmitted, ${count} received, 0% packet loss` : "ping: usage error: Destination address required",
    ...rest.map((command) => runSimulated(command, state)).filter(Boolean),
  ];
  return { output: lines.join("\n"), sleepMs: state.sleepMs, injected: substituted !== host || rest.length > 0 };
}
