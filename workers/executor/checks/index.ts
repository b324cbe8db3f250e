/**
 * The check registry: every name of the shared vocabulary (model/checks.ts) maps to one function,
 * a default severity and a finding title. `runCheck` turns a CheckSpec into a CheckOutcome and
 * never throws: a crashing check is reported as skipped with the reason.
 */
import type { CheckName, CheckOutcome, CheckSpec, Severity } from "../../model";
import { bfla, bola, ignored_auth, jwt_weakness } from "./auth";
import { content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance, status_code_conformance } from "./conformance";
import { excessive_data_exposure, mass_assignment } from "./exposure";
import { command_injection, nosql_injection, path_traversal, sql_injection, ssrf, template_injection } from "./injection";
import { missing_required_header, negative_data_rejection, positive_data_acceptance, unsupported_method } from "./negative";
import { max_response_time } from "./performance";
import { ensure_resource_availability, idempotency, location_header, stateful_invariant, use_after_free } from "./stateful";
import type { CheckContext, CheckFunction } from "./types";

export type { CheckConfig, CheckContext, CheckFunction, CheckResult, StepRecord } from "./types";

export interface CheckDefinition {
  run: CheckFunction;
  severity: Severity;
  /** finding title, completed with the operation: "Server error on GET /pets/{id}" */
  title: string;
}

export const CHECKS: Record<CheckName, CheckDefinition> = {
  not_a_server_error: { run: not_a_server_error, severity: "high", title: "Server error" },
  status_code_conformance: { run: status_code_conformance, severity: "low", title: "Undocumented status code" },
  content_type_conformance: { run: content_type_conformance, severity: "low", title: "Undocumented Content-Type" },
  response_schema_conformance: { run: response_schema_conformance, severity: "medium", title: "Response violates its schema" },
  response_headers_conformance: { run: response_headers_conformance, severity: "low", title: "Response headers violate the spec" },
  negative_data_rejection: { run: negative_data_rejection, severity: "medium", title: "Invalid data accepted" },
  positive_data_acceptance: { run: positive_data_acceptance, severity: "medium", title: "Valid data rejected" },
  missing_required_header: { run: missing_required_header, severity: "medium", title: "Missing required header accepted" },
  unsupported_method: { run: unsupported_method, severity: "low", title: "Undocumented method not refused with 405" },
  use_after_free: { run: use_after_free, severity: "high", title: "Deleted resource still served" },
  ensure_resource_availability: { run: ensure_resource_availability, severity: "medium", title: "Created resource not available" },
  idempotency: { run: idempotency, severity: "medium", title: "Repeated request changed the outcome" },
  location_header: { run: location_header, severity: "low", title: "Broken Location header" },
  stateful_invariant: { run: stateful_invariant, severity: "medium", title: "State invariant broken" },
  ignored_auth: { run: ignored_auth, severity: "critical", title: "Authentication not enforced" },
  jwt_weakness: { run: jwt_weakness, severity: "critical", title: "Forged JWT accepted" },
  bola: { run: bola, severity: "critical", title: "Broken object-level authorization (BOLA)" },
  bfla: { run: bfla, severity: "high", title: "Broken function-level authorization (BFLA)" },
  mass_assignment: { run: mass_assignment, severity: "high", title: "Mass assignment" },
  excessive_data_exposure: { run: excessive_data_exposure, severity: "high", title: "Excessive data exposure" },
  sql_injection: { run: sql_injection, severity: "critical", title: "SQL injection" },
  nosql_injection: { run: nosql_injection, severity: "critical", title: "NoSQL injection" },
  command_injection: { run: command_injection, severity: "critical", title: "OS command injection" },
  path_traversal: { run: path_traversal, severity: "critical", title: "Path traversal" },
  ssrf: { run: ssrf, severity: "high", title: "Server-side request forgery" },
  template_injection: { run: template_injection, severity: "critical", title: "Server-side template injection" },
  max_response_time: { run: max_response_time, severity: "low", title: "Response time over budget" },
};

export function runCheck(spec: CheckSpec, ctx: CheckContext): CheckOutcome {
  const definition = (CHECKS as Record<string, CheckDefinition | undefined>)[spec.name];
  const stepId = ctx.step.id;
  if (!definition) return { check: spec.name, stepId, status: "skipped", message: `unknown check "${spec.name}"` };
  try {
    const result = definition.run(ctx);
    const outcome: CheckOutcome = { check: spec.name, stepId, status: result.status, message: result.message };
    if (result.status === "failed") {
      outcome.severity = result.severity ?? definition.severity;
      outcome.signature = result.signature ?? spec.name;
    }
    return outcome;
  } catch (error) {
    return { check: spec.name, stepId, status: "skipped", message: `check crashed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
