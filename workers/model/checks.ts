/**
 * The closed vocabulary of check names shared by code, reports and docs (DESIGN.md).
 * Never reuse a name for a second meaning; add one when a new oracle needs it.
 */

export const CHECK_NAMES = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "negative_data_rejection",
  "positive_data_acceptance",
  "missing_required_header",
  "unsupported_method",
  "use_after_free",
  "ensure_resource_availability",
  "idempotency",
  "location_header",
  "optimistic_concurrency",
  "round_trip",
  "stateful_invariant",
  "ignored_auth",
  "jwt_weakness",
  "bola",
  "bfla",
  "mass_assignment",
  "excessive_data_exposure",
  "error_disclosure",
  "user_enumeration",
  "auth_rate_limit",
  "weak_jwt_secret",
  "sql_injection",
  "nosql_injection",
  "command_injection",
  "path_traversal",
  "ssrf",
  "template_injection",
  "max_response_time",
  "llm_oracle",
  "inferred_invariant",
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function isCheckName(value: string): value is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(value);
}

/** What a check means, for findings and reports. */
export interface CheckInfo {
  /** default severity of a failure (a check may raise or lower it per outcome) */
  severity: Severity;
  /** finding title, completed with the operation: "Server error on GET /pets/{id}" */
  title: string;
  /** what failed and what to do about it, one or two sentences (SARIF rule help, HTML report) */
  help: string;
  /** categories and OWASP API Security Top 10 (2023) ids, for SARIF tags */
  tags: readonly string[];
}

/**
 * The check catalog: the one table of what each name means. The executor maps names to
 * functions (executor/checks/index.ts); findings and reports read titles, severities and help
 * here; executor/checks/README.md is kept equal to it by a test.
 */
export const CHECK_CATALOG: Record<CheckName, CheckInfo> = {
  not_a_server_error: {
    severity: "high",
    title: "Server error",
    help: "The API answered with a 5xx status. Any input, valid or not, should get a deliberate answer; a 5xx usually means an unhandled exception. Reproduce with the curl line and look at the server log.",
    tags: ["reliability"],
  },
  status_code_conformance: {
    severity: "low",
    title: "Undocumented status code",
    help: "The response status is not among the responses the OpenAPI operation documents (and there is no `default`). Document the status or change the implementation.",
    tags: ["conformance"],
  },
  content_type_conformance: {
    severity: "low",
    title: "Undocumented Content-Type",
    help: "The response Content-Type is not one the OpenAPI response declares. Clients that dispatch on the media type will misread it.",
    tags: ["conformance"],
  },
  response_schema_conformance: {
    severity: "medium",
    title: "Response violates its schema",
    help: "The response body does not validate against the schema the OpenAPI document gives for this status and media type. The message names the failing keyword and location.",
    tags: ["conformance"],
  },
  response_headers_conformance: {
    severity: "low",
    title: "Response headers violate the spec",
    help: "A header the OpenAPI response marks as required is missing, or its value does not match the declared schema.",
    tags: ["conformance"],
  },
  negative_data_rejection: {
    severity: "medium",
    title: "Invalid data accepted",
    help: "The request violated the documented schema (wrong type, out of range, missing required field) and the API still answered 2xx. Validate input at the boundary.",
    tags: ["input-validation"],
  },
  positive_data_acceptance: {
    severity: "medium",
    title: "Valid data rejected",
    help: "The request conformed to the documented schema and the API rejected it with a 4xx. Either the spec is stricter than documented or the implementation is wrong.",
    tags: ["conformance"],
  },
  missing_required_header: {
    severity: "medium",
    title: "Missing required header accepted",
    help: "A header the operation marks as required was left out and the API still answered 2xx.",
    tags: ["input-validation"],
  },
  unsupported_method: {
    severity: "medium",
    title: "Undocumented method not refused with 405",
    help: "An HTTP method the path does not document was answered with something other than 405 (or 404/501). Undocumented methods widen the attack surface.",
    tags: ["conformance"],
  },
  use_after_free: {
    severity: "high",
    title: "Deleted resource still served",
    help: "After a successful DELETE, reading the same resource still succeeded. Deleted data must not be served.",
    tags: ["stateful"],
  },
  ensure_resource_availability: {
    severity: "medium",
    title: "Created resource not available",
    help: "A create call succeeded but reading the new resource right after failed.",
    tags: ["stateful"],
  },
  idempotency: {
    severity: "medium",
    title: "Repeated request changed the outcome",
    help: "Repeating the same PUT/DELETE (idempotent per RFC 9110), or a POST/PATCH with the same Idempotency-Key, gave a different result or state than doing it once (a keyed retry created a second resource).",
    tags: ["stateful"],
  },
  location_header: {
    severity: "low",
    title: "Broken Location header",
    help: "The Location header returned by a create does not point at a readable resource.",
    tags: ["stateful"],
  },
  optimistic_concurrency: {
    severity: "medium",
    title: "Stale write accepted",
    help: "An update carrying If-Match with an ETag that an earlier update had already made outdated was applied instead of refused with 412: concurrent clients silently overwrite each other's changes.",
    tags: ["stateful"],
  },
  round_trip: {
    severity: "medium",
    title: "Own representation refused or changed",
    help: "A resource read and sent back unchanged (PUT/PATCH with its own fields and the values the server produced: version, checksum, ETag) was refused, or a later read showed it changed: clients cannot save what they were given.",
    tags: ["stateful"],
  },
  stateful_invariant: {
    severity: "medium",
    title: "State invariant broken",
    help: "A successful update was not reflected by the following read of the same resource.",
    tags: ["stateful"],
  },
  ignored_auth: {
    severity: "critical",
    title: "Authentication not enforced",
    help: "An operation that declares a security requirement answered 2xx without valid credentials (none, malformed, expired or of the wrong scheme). OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  jwt_weakness: {
    severity: "critical",
    title: "Forged JWT accepted",
    help: "A token with `alg: none` or a wrong signature was accepted. Verify the signature and pin the algorithms. OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  bola: {
    severity: "critical",
    title: "Broken object-level authorization (BOLA)",
    help: "A resource created by one identity could be read, changed or deleted by another. Check ownership on every object access. OWASP API1:2023.",
    tags: ["security", "owasp-api1"],
  },
  bfla: {
    severity: "high",
    title: "Broken function-level authorization (BFLA)",
    help: "An identity without the required role could call a privileged operation. Enforce authorization per function. OWASP API5:2023.",
    tags: ["security", "owasp-api5"],
  },
  mass_assignment: {
    severity: "high",
    title: "Mass assignment",
    help: "A property the client should not control (e.g. a role or an owner) was accepted and stored. Bind only allowed fields. OWASP API3:2023 Broken Object Property Level Authorization.",
    tags: ["security", "owasp-api3"],
  },
  excessive_data_exposure: {
    severity: "high",
    title: "Excessive data exposure",
    help: "The response contains sensitive properties (secrets, password hashes, tokens) or properties the schema does not document. Return only what the client needs. OWASP API3:2023.",
    tags: ["security", "owasp-api3"],
  },
  error_disclosure: {
    severity: "medium",
    title: "Internal error details disclosed",
    help: "An error answer carries a database's own error text (a constraint, a column, an SQL statement) or a stack trace: it tells any client which engine, tables and source files are behind the API. Log the details and answer a generic problem description. OWASP API8:2023.",
    tags: ["security", "owasp-api8"],
  },
  user_enumeration: {
    severity: "medium",
    title: "User enumeration",
    help: "A sign-in (or password reset) answers an unknown account differently from an existing account with a wrong password (status, body shape or message), so anyone can test which accounts exist. Answer both the same way. OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  auth_rate_limit: {
    severity: "low",
    title: "No rate limit on authentication",
    help: "A short burst of failed sign-ins (at most 50) got no 429, no Retry-After or rate-limit header and no lockout, so passwords can be guessed at full speed. Throttle failed attempts per account and per client. OWASP API4:2023 Unrestricted Resource Consumption.",
    tags: ["security", "owasp-api2", "owasp-api4"],
  },
  weak_jwt_secret: {
    severity: "critical",
    title: "JWT signed with a common secret",
    help: "An HMAC-signed (HS256/384/512) token the API issues or accepts verifies with a secret from a dictionary of well-known defaults (tested offline, no request), so anyone can sign tokens for any user or role. Use a long random secret and rotate it. OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  sql_injection: {
    severity: "critical",
    title: "SQL injection",
    help: "An SQL payload changed the response (database error text, timing or content difference). Use parameterised queries.",
    tags: ["security", "injection", "owasp-api8"],
  },
  nosql_injection: {
    severity: "critical",
    title: "NoSQL injection",
    help: "A NoSQL operator payload (e.g. `{\"$ne\": null}`) changed the query result. Reject operator objects where scalars are expected.",
    tags: ["security", "injection", "owasp-api8"],
  },
  command_injection: {
    severity: "critical",
    title: "OS command injection",
    help: "A shell metacharacter payload was executed by the server (output or timing evidence). Never build shell commands from input.",
    tags: ["security", "injection", "owasp-api8"],
  },
  path_traversal: {
    severity: "critical",
    title: "Path traversal",
    help: "A `../` payload reached files outside the intended directory. Normalise and confine paths.",
    tags: ["security", "injection", "owasp-api8"],
  },
  ssrf: {
    severity: "high",
    title: "Server-side request forgery",
    help: "A URL supplied in the request was fetched by the server. Allow-list outbound destinations. OWASP API7:2023.",
    tags: ["security", "owasp-api7"],
  },
  template_injection: {
    severity: "critical",
    title: "Server-side template injection",
    help: "A template expression payload was evaluated by the server. Never render user input as a template.",
    tags: ["security", "injection", "owasp-api8"],
  },
  max_response_time: {
    severity: "low",
    title: "Response time over budget",
    help: "The response took longer than the configured --max-response-time.",
    tags: ["performance"],
  },
  llm_oracle: {
    severity: "medium",
    title: "Documented business rule broken",
    help: "A rule the API description states in prose (read by the LLM layer, quoted in the finding) does not hold. Until a user accepts the oracle its findings are low severity and low confidence.",
    tags: ["functional", "llm"],
  },
  inferred_invariant: {
    severity: "low",
    title: "Observed invariant broken",
    help: "A property every earlier response of this operation satisfied (e.g. size(items) <= limit, id equals the path id) no longer holds.",
    tags: ["functional", "regression"],
  },
};

/** Catalog entry of a stored check name; a name from an older or newer build gets a generic entry. */
export function checkInfo(check: string): CheckInfo {
  return isCheckName(check)
    ? CHECK_CATALOG[check]
    : { severity: "medium", title: check.replace(/_/g, " "), help: `The check "${check}" failed; the message of each result says why.`, tags: [] };
}
