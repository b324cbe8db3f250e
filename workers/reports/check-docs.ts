/**
 * What each check of the vocabulary means, for humans: SARIF rule help, HTML and Markdown
 * reports. Keyed by the shared check names; a name without an entry gets a generic text, so
 * a new check never breaks a report.
 */
import type { CheckName } from "../model";

export interface CheckDoc {
  /** short title, e.g. "Server error" */
  title: string;
  /** what failed and what to do about it, one or two sentences */
  help: string;
  /** OWASP API Security Top 10 (2023) or a category, for SARIF tags */
  tags: string[];
}

export const CHECK_DOCS: Record<CheckName, CheckDoc> = {
  not_a_server_error: {
    title: "Server error",
    help: "The API answered with a 5xx status. Any input, valid or not, should get a deliberate answer; a 5xx usually means an unhandled exception. Reproduce with the curl line and look at the server log.",
    tags: ["reliability"],
  },
  status_code_conformance: {
    title: "Undocumented status code",
    help: "The response status is not among the responses the OpenAPI operation documents (and there is no `default`). Document the status or change the implementation.",
    tags: ["conformance"],
  },
  content_type_conformance: {
    title: "Undocumented content type",
    help: "The response Content-Type is not one the OpenAPI response declares. Clients that dispatch on the media type will misread it.",
    tags: ["conformance"],
  },
  response_schema_conformance: {
    title: "Response does not match its schema",
    help: "The response body does not validate against the schema the OpenAPI document gives for this status and media type. The message names the failing keyword and location.",
    tags: ["conformance"],
  },
  response_headers_conformance: {
    title: "Response headers do not conform",
    help: "A header the OpenAPI response marks as required is missing, or its value does not match the declared schema.",
    tags: ["conformance"],
  },
  negative_data_rejection: {
    title: "Invalid data accepted",
    help: "The request violated the documented schema (wrong type, out of range, missing required field) and the API still answered 2xx. Validate input at the boundary.",
    tags: ["input-validation"],
  },
  positive_data_acceptance: {
    title: "Valid data rejected",
    help: "The request conformed to the documented schema and the API rejected it with a 4xx. Either the spec is stricter than documented or the implementation is wrong.",
    tags: ["conformance"],
  },
  missing_required_header: {
    title: "Missing required header accepted",
    help: "A header the operation marks as required was left out and the API still answered 2xx.",
    tags: ["input-validation"],
  },
  unsupported_method: {
    title: "Undocumented method allowed",
    help: "An HTTP method the path does not document was answered with something other than 405 (or 404/501). Undocumented methods widen the attack surface.",
    tags: ["conformance"],
  },
  use_after_free: {
    title: "Deleted resource still available",
    help: "After a successful DELETE, reading the same resource still succeeded. Deleted data must not be served.",
    tags: ["stateful"],
  },
  ensure_resource_availability: {
    title: "Created resource not available",
    help: "A create call succeeded but reading the new resource right after failed.",
    tags: ["stateful"],
  },
  idempotency: {
    title: "Idempotent operation is not idempotent",
    help: "Repeating the same PUT/DELETE (idempotent per RFC 9110) gave a different result or state than doing it once.",
    tags: ["stateful"],
  },
  location_header: {
    title: "Broken Location header",
    help: "The Location header returned by a create does not point at a readable resource.",
    tags: ["stateful"],
  },
  stateful_invariant: {
    title: "Update not reflected",
    help: "A successful update was not reflected by the following read of the same resource.",
    tags: ["stateful"],
  },
  ignored_auth: {
    title: "Authentication not enforced",
    help: "An operation that declares a security requirement answered 2xx without valid credentials (none, malformed, expired or of the wrong scheme). OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  jwt_weakness: {
    title: "Weak JWT validation",
    help: "A token with `alg: none` or a wrong signature was accepted. Verify the signature and pin the algorithms. OWASP API2:2023 Broken Authentication.",
    tags: ["security", "owasp-api2"],
  },
  bola: {
    title: "Broken object level authorization (BOLA)",
    help: "A resource created by one identity could be read, changed or deleted by another. Check ownership on every object access. OWASP API1:2023.",
    tags: ["security", "owasp-api1"],
  },
  bfla: {
    title: "Broken function level authorization (BFLA)",
    help: "An identity without the required role could call a privileged operation. Enforce authorization per function. OWASP API5:2023.",
    tags: ["security", "owasp-api5"],
  },
  mass_assignment: {
    title: "Mass assignment",
    help: "A property the client should not control (e.g. a role or an owner) was accepted and stored. Bind only allowed fields. OWASP API3:2023 Broken Object Property Level Authorization.",
    tags: ["security", "owasp-api3"],
  },
  excessive_data_exposure: {
    title: "Excessive data exposure",
    help: "The response contains sensitive properties (secrets, password hashes, tokens) or properties the schema does not document. Return only what the client needs. OWASP API3:2023.",
    tags: ["security", "owasp-api3"],
  },
  sql_injection: {
    title: "SQL injection",
    help: "An SQL payload changed the response (database error text, timing or content difference). Use parameterised queries.",
    tags: ["security", "injection", "owasp-api8"],
  },
  nosql_injection: {
    title: "NoSQL injection",
    help: "A NoSQL operator payload (e.g. `{\"$ne\": null}`) changed the query result. Reject operator objects where scalars are expected.",
    tags: ["security", "injection", "owasp-api8"],
  },
  command_injection: {
    title: "Command injection",
    help: "A shell metacharacter payload was executed by the server (output or timing evidence). Never build shell commands from input.",
    tags: ["security", "injection", "owasp-api8"],
  },
  path_traversal: {
    title: "Path traversal",
    help: "A `../` payload reached files outside the intended directory. Normalise and confine paths.",
    tags: ["security", "injection", "owasp-api8"],
  },
  ssrf: {
    title: "Server-side request forgery",
    help: "A URL supplied in the request was fetched by the server. Allow-list outbound destinations. OWASP API7:2023.",
    tags: ["security", "owasp-api7"],
  },
  template_injection: {
    title: "Template injection",
    help: "A template expression payload was evaluated by the server. Never render user input as a template.",
    tags: ["security", "injection", "owasp-api8"],
  },
  max_response_time: {
    title: "Slow response",
    help: "The response took longer than the configured --max-response-time.",
    tags: ["performance"],
  },
};

export function checkDoc(check: string): CheckDoc {
  return (
    (CHECK_DOCS as Record<string, CheckDoc | undefined>)[check] ?? {
      title: check.replace(/_/g, " "),
      help: `The check "${check}" failed; the message of each result says why.`,
      tags: [],
    }
  );
}
