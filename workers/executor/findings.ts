/**
 * Failed CheckOutcomes → Findings, deduplicated by (operationId, check, signature).
 *
 * The operation of a finding is the one the failing step hit (a chain's GET fails as the GET,
 * not as the case's POST); a step with an undocumented method keeps the case's operationId and
 * its own method + path template. The id is a 64-bit FNV-1a hash of the dedupe key: stable
 * across runs, so the same bug keeps its id. Response bodies are cut to `maxBodyChars` in the
 * row (the whole body goes to R2 elsewhere).
 */
import type { ApiModel, CaseResult, CheckName, Finding, TestCase } from "../model";
import { SEVERITY_RANK } from "../model";
import { CHECKS } from "./checks";
import { findOperation } from "./checks/support";
import { toCurl } from "./curl";

export interface FindingOptions {
  /** response body characters kept in the finding (default 4096) */
  maxBodyChars?: number;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** 64-bit FNV-1a over the UTF-8 bytes, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, "0");
}

export function findingId(operationId: string, check: CheckName | string, signature: string): string {
  return `f_${fnv1a64(`${operationId}\n${check}\n${signature}`)}`;
}

export function findingsFromCase(result: CaseResult, testCase: TestCase, model: ApiModel, options: FindingOptions = {}): Finding[] {
  const maxBody = options.maxBodyChars ?? 4096;
  const findings: Finding[] = [];
  for (const outcome of result.checks) {
    if (outcome.status !== "failed") continue;
    const step = testCase.steps.find((s) => s.id === outcome.stepId);
    const exchange = result.exchanges.find((e) => e.stepId === outcome.stepId);
    if (!step || !exchange) continue;
    const method = exchange.request.method.toLowerCase();
    const documented = findOperation(model, method, step.request.path);
    const operation = {
      method: documented?.method ?? method,
      path: step.request.path,
      operationId: documented?.operationId ?? testCase.operationId,
    };
    const signature = outcome.signature ?? outcome.check;
    const definition = CHECKS[outcome.check];
    const finding: Finding = {
      id: findingId(operation.operationId, outcome.check, signature),
      check: outcome.check,
      severity: outcome.severity ?? definition?.severity ?? "medium",
      operation,
      agent: result.agent,
      caseId: result.caseId,
      title: `${definition?.title ?? outcome.check} on ${operation.method.toUpperCase()} ${operation.path}`,
      message: outcome.message ?? "",
      signature,
      request: exchange.request,
      curl: toCurl(exchange.request),
    };
    if (exchange.response) {
      const { status, headers, body, durationMs } = exchange.response;
      finding.response = { status, headers, body: body.length > maxBody ? body.slice(0, maxBody) + "…[truncated]" : body, durationMs };
    }
    findings.push(finding);
  }
  return findings;
}

/** One finding per id (= operation, check, signature); the most severe occurrence wins, then the first. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const existing = byId.get(finding.id);
    if (!existing || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[existing.severity]) byId.set(finding.id, finding);
  }
  return [...byId.values()];
}

/** The findings of one case, already deduplicated. */
export function buildFindings(result: CaseResult, testCase: TestCase, model: ApiModel, options: FindingOptions = {}): Finding[] {
  return dedupeFindings(findingsFromCase(result, testCase, model, options));
}
