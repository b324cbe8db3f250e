/**
 * Consequences of Sentinel's own invalid values. A negative case sends a value the spec forbids
 * (`{"name": 12345}`); when the server accepts it, negative_data_rejection reports that — the
 * bug. The stored value then shows up in every later read of the collection, where the response
 * no longer meets its schema: a consequence of the same bug, not a second one. Once the run is
 * over, a response_schema_conformance finding whose every violation is a value Sentinel itself
 * sent invalid and the server accepted (the same member, the same value, in the record that
 * request created) is not reported: the report lists it under `suppressed`, naming the accepted
 * request and its finding. Any violation not explained that way keeps the finding.
 */
import type { ApiModel, CaseResult, Finding, SuppressedFinding, TestCase } from "../model";
import { findingsFromCase } from "../executor/findings";
import { findOperation, getByPointer, isPlainObject, jsonValue, responseSchemaFor } from "../executor/checks/support";
import { validateSchema, type SchemaViolation } from "../jsonschema/validate";
import { deleteFindings, listFindings, type FindingRow } from "../storage/findings-repo";
import { failedWithCheck } from "../storage/results-repo";
import { recordSuppressed } from "../storage/runs-repo";
import { log } from "../shared/log";

/** One invalid body member a negative case sent and the server accepted. */
export interface OwnInvalidValue {
  /** the negative_data_rejection finding that reports the acceptance */
  findingId: string;
  /** "POST /pets" */
  label: string;
  /** JSON pointer of the invalid member in the request body ("/name") */
  pointer: string;
  /** the whole request body as sent */
  body: unknown;
}

const decode = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");
const tokens = (pointer: string) => (pointer === "" ? [] : pointer.split("/").slice(1).map(decode));

/** The accepted invalid body members of a run's failed negative cases. */
export function ownInvalidValues(results: readonly CaseResult[], cases: ReadonlyMap<string, TestCase>, model: ApiModel): OwnInvalidValue[] {
  const out: OwnInvalidValue[] = [];
  for (const result of results) {
    const testCase = cases.get(result.caseId);
    if (!testCase) continue;
    const findings = findingsFromCase(result, testCase, model).filter((f) => f.check === "negative_data_rejection");
    for (const outcome of result.checks) {
      if (outcome.check !== "negative_data_rejection" || outcome.status !== "failed") continue;
      const params = testCase.steps.find((s) => s.id === outcome.stepId)?.checks.find((c) => c.name === "negative_data_rejection")?.params ?? {};
      const pointer = params.parameter;
      if (params.location !== "body" || typeof pointer !== "string" || !pointer.startsWith("/")) continue;
      const exchange = result.exchanges.find((e) => e.stepId === outcome.stepId);
      const finding = findings.find((f) => f.caseId === result.caseId && f.signature === (outcome.signature ?? outcome.check));
      if (!exchange?.request.body || !finding) continue;
      let body: unknown;
      try {
        body = JSON.parse(exchange.request.body);
      } catch {
        continue;
      }
      out.push({ findingId: finding.id, label: `${finding.operation.method.toUpperCase()} ${finding.operation.path}`, pointer, body });
    }
  }
  return out;
}

/** Scalars too common to say by themselves that a record is the one a request created. */
const weak = (value: unknown) => value === null || value === "" || value === 0 || value === 1 || typeof value === "boolean";

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && typeof b === "object" && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * `record` (an object of the response) is the one `sent` (the request's object at the same
 * level) created: another member holds the same distinctive value (a run-unique name, an email).
 */
function sameRecord(record: Record<string, unknown>, sent: Record<string, unknown>, invalid: string): boolean {
  return Object.entries(sent).some(([key, value]) => key !== invalid && (typeof value === "string" || typeof value === "number") && !weak(value) && String(value).length >= 3 && record[key] === value);
}

/**
 * The own invalid value that explains one violation of `instance`, if any: the member the
 * violation names (its pointer's last tokens are the sent pointer's) holds what was sent — or, for
 * a required member, was left out — in a record the request created.
 */
function explainingValue(violation: SchemaViolation, instance: unknown, own: readonly OwnInvalidValue[]): OwnInvalidValue | undefined {
  const member = memberOf(violation);
  for (const value of own) {
    const sentTokens = tokens(value.pointer);
    if (sentTokens.length === 0 || sentTokens.length > member.length) continue;
    if (sentTokens.some((t, i) => t !== member[member.length - sentTokens.length + i])) continue;
    const record = recordOf(instance, member);
    const sentRecord = sentTokens.length === 1 ? value.body : getByPointer(value.body, value.pointer.slice(0, value.pointer.lastIndexOf("/")));
    if (!isPlainObject(record) || !isPlainObject(sentRecord)) continue;
    const key = member[member.length - 1];
    const sent = sentRecord[key];
    const identified = sameRecord(record, sentRecord, key);
    if (violation.keyword === "required") {
      if (sent === undefined && !Object.prototype.hasOwnProperty.call(record, key) && identified) return value;
      continue;
    }
    if (sent === undefined || !sameValue(record[key], sent)) continue;
    if (identified || (!weak(sent) && !(typeof sent === "string" && sent.length < 3))) return value;
  }
  return undefined;
}

/** The tokens of the member a violation names: required and additionalProperties name it inside the object at instancePath. */
function memberOf(violation: SchemaViolation): string[] {
  const at = tokens(violation.instancePath);
  const named = /(?:required property|Property) "([^"]+)"/.exec(violation.message)?.[1];
  return (violation.keyword === "required" || violation.keyword === "additionalProperties") && named !== undefined ? [...at, named] : at;
}

/** The object of the response that holds the member. */
function recordOf(instance: unknown, member: readonly string[]): unknown {
  return getByPointer(instance, member.slice(0, member.length - 1).map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join(""));
}

/**
 * Whether any own invalid value at all could explain the violation: explainingValue's conditions
 * that need no sent value (a record holding the member — or, for a missing required one, a
 * distinctive member that could name the record). Without it the finding stands, whatever was sent.
 */
function explainable(violation: SchemaViolation, instance: unknown): boolean {
  const member = memberOf(violation);
  if (member.length === 0) return false;
  const record = recordOf(instance, member);
  if (!isPlainObject(record)) return false;
  const key = member[member.length - 1];
  if (violation.keyword !== "required") return record[key] !== undefined;
  if (Object.prototype.hasOwnProperty.call(record, key)) return false;
  return Object.entries(record).some(([other, value]) => other !== key && (typeof value === "string" || typeof value === "number") && !weak(value) && String(value).length >= 3);
}

interface SchemaRead {
  finding: Finding;
  violations: SchemaViolation[];
  instance: unknown;
}

/** The response_schema_conformance findings whose every violation an own invalid value could explain, with their violations. */
function suppressible(findings: readonly Finding[], model: ApiModel): SchemaRead[] {
  const out: SchemaRead[] = [];
  for (const finding of findings) {
    if (finding.check !== "response_schema_conformance") continue;
    const read = violationsOf(finding, model);
    if (!read || read.violations.length === 0 || !read.violations.every((v) => explainable(v, read.instance))) continue;
    out.push({ finding, ...read });
  }
  return out;
}

/** The finding's example: every schema violation of its response, or undefined when it cannot be re-read. */
function violationsOf(finding: Finding, model: ApiModel): { violations: SchemaViolation[]; instance: unknown } | undefined {
  const response = finding.response;
  const op = findOperation(model, String(finding.operation.method), finding.operation.path);
  if (!response || !op) return undefined;
  const received = { ...response, bodySize: response.body.length };
  const { schema } = responseSchemaFor(op, received);
  const instance = jsonValue(received);
  if (schema === undefined || instance === undefined) return undefined;
  const verdict = validateSchema(model, schema, instance, "response");
  return verdict.valid === false ? { violations: verdict.violations, instance } : undefined;
}

/** response_schema_conformance findings every violation of which is an own accepted invalid value, with the cause named. */
export function ownValueConsequences(findings: readonly Finding[], own: readonly OwnInvalidValue[], model: ApiModel): SuppressedFinding[] {
  return own.length === 0 ? [] : consequencesOf(suppressible(findings, model), own);
}

function consequencesOf(reads: readonly SchemaRead[], own: readonly OwnInvalidValue[]): SuppressedFinding[] {
  const out: SuppressedFinding[] = [];
  for (const { finding, ...read } of reads) {
    const causes = read.violations.map((v) => explainingValue(v, read.instance, own));
    if (causes.some((c) => c === undefined)) continue;
    const first = causes[0]!;
    const others = new Set(causes.map((c) => c!.findingId)).size - 1;
    const sent = getByPointer(first.body, first.pointer);
    out.push({
      findingId: finding.id,
      check: finding.check,
      operation: { method: String(finding.operation.method).toUpperCase(), path: finding.operation.path, operationId: finding.operation.operationId },
      title: finding.title,
      caseIds: [finding.caseId],
      reason:
        `a consequence of invalid data Sentinel sent and the server accepted: ${first.label} stored ${sent === undefined ? `a record without ${first.pointer}` : `${JSON.stringify(sent)} at ${first.pointer}`}` +
        ` (finding ${first.findingId}, negative_data_rejection)${others > 0 ? ` and ${others} more such value${others > 1 ? "s" : ""}` : ""}; this response returns it`,
    });
  }
  return out;
}

/**
 * The post-run pass (TestRun.finalize): schema findings caused by own accepted invalid values are
 * suppressed, with why. `findings`: the run's, when the caller has read them (else read here);
 * `cases` is read only when both kinds of finding exist.
 */
export async function suppressOwnValueConsequences(env: Env, input: { runId: string; orgId: string; model: ApiModel; cases: () => readonly TestCase[]; findings?: readonly FindingRow[] }): Promise<SuppressedFinding[]> {
  const rows = input.findings ?? (await listFindings(env.DB, input.orgId, input.runId));
  if (!rows.some((r) => r.check === "negative_data_rejection")) return [];
  // schema findings no sent value could explain stand: then neither the results nor the cases are read
  const candidates = suppressible(rows.map((r) => r.data), input.model);
  if (candidates.length === 0) return [];
  const results = await failedWithCheck(env.DB, input.runId, "negative_data_rejection");
  const own = ownInvalidValues(results, new Map(input.cases().map((c) => [c.id, c])), input.model);
  const suppressed = own.length === 0 ? [] : consequencesOf(candidates, own);
  if (suppressed.length === 0) return [];
  await deleteFindings(env.DB, input.runId, suppressed.map((s) => s.findingId));
  await recordSuppressed(env.DB, input.runId, suppressed);
  log("info", "schema findings caused by the run's own accepted invalid values not reported", { runId: input.runId, findings: suppressed.length });
  return suppressed;
}
