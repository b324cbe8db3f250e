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
  "stateful_invariant",
  "ignored_auth",
  "jwt_weakness",
  "bola",
  "bfla",
  "mass_assignment",
  "excessive_data_exposure",
  "sql_injection",
  "nosql_injection",
  "command_injection",
  "path_traversal",
  "ssrf",
  "template_injection",
  "max_response_time",
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function isCheckName(value: string): value is CheckName {
  return (CHECK_NAMES as readonly string[]).includes(value);
}
