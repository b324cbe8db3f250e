/**
 * What a check sees and returns. Checks are pure functions of a CheckContext: no I/O, no clock.
 * They run after the whole chain executed, so a check may consult any step of its case
 * (earlier steps it depends on, or later verification reads named in its params).
 */
import type { ApiModel, CheckStatus, Exchange, Operation, ReceivedResponse, Severity, Step, TestCase } from "../../model";
import type { BuiltRequest } from "../request-builder";

export interface CheckConfig {
  /** budget for max_response_time when the step's params don't set `limitMs` */
  maxResponseTimeMs?: number;
}

/** One executed step: its definition, the documented operation it hit, what went over the wire. */
export interface StepRecord {
  step: Step;
  /** operation documented for this step's method + path template; undefined for undeclared methods */
  operation?: Operation;
  /** the request as sent, unredacted (checks need real values; records are redacted separately) */
  request: BuiltRequest;
  exchange: Exchange;
}

export interface CheckContext {
  model: ApiModel;
  testCase: TestCase;
  /** the operation the case is about (testCase.operationId), when the model has it */
  caseOperation?: Operation;
  step: Step;
  /** documented operation of this step's method + path (see StepRecord.operation) */
  operation?: Operation;
  /** the CheckSpec's params ({} when absent) */
  params: Record<string, unknown>;
  request: BuiltRequest;
  exchange: Exchange;
  /** this step's response (checks are only called when there is one) */
  response: ReceivedResponse;
  /** every executed step of the case by step id */
  steps: Record<string, StepRecord>;
  /** executed step ids in execution order */
  order: string[];
  variables: Record<string, unknown>;
  config: CheckConfig;
}

export interface CheckResult {
  status: CheckStatus;
  /** one line a developer understands without reading code */
  message: string;
  /** groups equal failures for dedupe; required in practice for failures */
  signature?: string;
  /** overrides the check's default severity for this outcome */
  severity?: Severity;
}

/** Most checks are synchronous; one that needs WebCrypto (weak_jwt_secret) returns a promise. */
export type CheckFunction = (ctx: CheckContext) => CheckResult | Promise<CheckResult>;

export const pass = (message: string): CheckResult => ({ status: "passed", message });
export const skip = (message: string): CheckResult => ({ status: "skipped", message });
export const fail = (message: string, signature: string, severity?: Severity): CheckResult =>
  severity ? { status: "failed", message, signature, severity } : { status: "failed", message, signature };
