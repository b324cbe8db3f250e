/**
 * The check registry: every name of the shared vocabulary (model/checks.ts) maps to one function.
 * Severities, titles and help live in the catalog (CHECK_CATALOG). `runCheck` turns a CheckSpec
 * into a CheckOutcome and never throws: a crashing check is reported as skipped with the reason.
 */
import { CHECK_CATALOG, isCheckName, type CheckName, type CheckOutcome, type CheckSpec } from "../../model";
import { auth_rate_limit, user_enumeration, weak_jwt_secret } from "./abuse";
import { bfla, bola, ignored_auth, jwt_weakness } from "./auth";
import { content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance, status_code_conformance } from "./conformance";
import { excessive_data_exposure, mass_assignment } from "./exposure";
import { error_disclosure } from "./disclosure";
import { command_injection, nosql_injection, path_traversal, sql_injection, ssrf, template_injection } from "./injection";
import { missing_required_header, negative_data_rejection, positive_data_acceptance, unsupported_method } from "./negative";
import { inferred_invariant, llm_oracle } from "./oracles";
import { max_response_time } from "./performance";
import { round_trip } from "./round-trip";
import { ensure_resource_availability, idempotency, location_header, optimistic_concurrency, stateful_invariant, use_after_free } from "./stateful";
import type { CheckContext, CheckFunction, CheckResult } from "./types";

export type { CheckConfig, CheckContext, CheckFunction, CheckResult, StepRecord } from "./types";

/** Every name of the vocabulary maps to its function; what the name means is in the catalog (model/checks.ts). */
export const CHECK_FUNCTIONS: Record<CheckName, CheckFunction> = {
  not_a_server_error,
  status_code_conformance,
  content_type_conformance,
  response_schema_conformance,
  response_headers_conformance,
  negative_data_rejection,
  positive_data_acceptance,
  missing_required_header,
  unsupported_method,
  use_after_free,
  ensure_resource_availability,
  idempotency,
  location_header,
  optimistic_concurrency,
  round_trip,
  stateful_invariant,
  ignored_auth,
  jwt_weakness,
  bola,
  bfla,
  mass_assignment,
  excessive_data_exposure,
  error_disclosure,
  user_enumeration,
  auth_rate_limit,
  weak_jwt_secret,
  sql_injection,
  nosql_injection,
  command_injection,
  path_traversal,
  ssrf,
  template_injection,
  max_response_time,
  llm_oracle,
  inferred_invariant,
};

export async function runCheck(spec: CheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  return judge(spec, ctx);
}

/**
 * runCheck without a promise for a check that answers at once (most do): a case runs several
 * checks per step, each awaited otherwise. A check that returns a promise gets one.
 */
export function judge(spec: CheckSpec, ctx: CheckContext): CheckOutcome | Promise<CheckOutcome> {
  const run = isCheckName(spec.name) ? CHECK_FUNCTIONS[spec.name] : undefined;
  const stepId = ctx.step.id;
  if (!run) return { check: spec.name, stepId, status: "skipped", message: `unknown check "${spec.name}"` };
  let result: CheckResult | Promise<CheckResult>;
  try {
    result = run(ctx);
  } catch (error) {
    return crashed(spec, stepId, error);
  }
  if (result instanceof Promise) return result.then((settled) => outcomeOf(spec, stepId, settled), (error: unknown) => crashed(spec, stepId, error));
  return outcomeOf(spec, stepId, result);
}

function outcomeOf(spec: CheckSpec, stepId: string, result: CheckResult): CheckOutcome {
  const outcome: CheckOutcome = { check: spec.name, stepId, status: result.status, message: result.message };
  if (result.status === "failed") {
    outcome.severity = result.severity ?? CHECK_CATALOG[spec.name as CheckName].severity;
    outcome.signature = result.signature ?? spec.name;
  }
  return outcome;
}

function crashed(spec: CheckSpec, stepId: string, error: unknown): CheckOutcome {
  return { check: spec.name, stepId, status: "skipped", message: `check crashed: ${error instanceof Error ? error.message : String(error)}` };
}
