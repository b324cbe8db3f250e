/**
 * Failed CheckOutcomes → Findings, deduplicated by (operationId, check, signature).
 *
 * The operation of a finding is the operation whose behaviour is wrong:
 *  - by default the one the failing step hit (a negative POST fails as the POST);
 *  - for chain checks that judge an earlier write through a later read, the write the check's
 *    params name (SUBJECT_PARAMS): a deleted item still served is the DELETE's bug, a created
 *    resource that cannot be read or a broken Location is the create's, a lost update the
 *    update's — the finding still shows the request/response that proves it;
 *  - a step that followed a URL the API handed out (a Location) is reported on the documented
 *    operation that URL addresses (Exchange.operationId);
 *  - a step with an undocumented method (unsupported_method probes) is reported on the
 *    documented operation of that path (the case's when it is on the path), so operationId,
 *    method and path always describe one documented operation.
 * The id is a 64-bit FNV-1a hash of the dedupe key: stable
 * across runs, so the same bug keeps its id. Response bodies are cut to `maxBodyChars` in the
 * row (the whole body goes to R2 elsewhere).
 */
import type { ApiModel, CaseResult, CheckName, Exchange, Finding, FindingStep, FindingTrigger, Operation, Step, TestCase } from "../model";
import { checkInfo, SEVERITY_RANK } from "../model";
import { findOperation, operationById, operationsOnPath } from "./checks/support";
import { toCurl } from "./curl";
import { extractValue } from "./run-case";

export interface FindingOptions {
  /** response body characters kept in the finding (default 4096) */
  maxBodyChars?: number;
  /** response body characters kept per chain step (default 2048) */
  maxStepBodyChars?: number;
}

const cut = (body: string, max: number) => (body.length > max ? body.slice(0, max) + "…[truncated]" : body);

const VARIABLE_REF = /\{\{([A-Za-z_][A-Za-z0-9_.-]*)\}\}/g;

/** Names of the `{{variables}}` a request template refers to. */
function referencedVariables(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string") for (const m of value.matchAll(VARIABLE_REF)) into.add(m[1]);
  else if (Array.isArray(value)) for (const item of value) referencedVariables(item, into);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) referencedVariables(item, into);
  return into;
}

/** Where each used variable sits in the path: `/users/{userId}/orders/{orderId}` with orderId = {{id}} → { id: 1 }. */
function pathSegmentsOf(step: Step, uses: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  const segments = step.request.path.split("/").filter(Boolean);
  for (const [param, value] of Object.entries(step.request.pathParams ?? {})) {
    const name = typeof value === "string" ? /^\{\{([A-Za-z_][A-Za-z0-9_.-]*)\}\}$/.exec(value)?.[1] : undefined;
    const index = segments.indexOf(`{${param}}`);
    if (name && uses[name] !== undefined && index >= 0) out[name] = segments.length - index;
  }
  return out;
}

/** A step of the case by id, a step sent in another's place (Step.instead) included. */
function stepOf(testCase: TestCase, id: string): Step | undefined {
  for (const step of testCase.steps) {
    if (step.id === id) return step;
    if (step.instead?.id === id) return step.instead;
  }
  return undefined;
}

/**
 * Every executed step of a chain, redacted as recorded, with what each step extracted and which
 * of those values later requests used: enough to rebuild the chain as a script.
 * Values are re-read from the recorded (redacted) responses, so no secret can enter here.
 */
function chainSteps(result: CaseResult, testCase: TestCase, findingStepId: string, maxBody: number): FindingStep[] {
  const values: Record<string, string> = {};
  const steps: FindingStep[] = [];
  for (const exchange of result.exchanges) {
    const step = stepOf(testCase, exchange.stepId);
    if (!step) continue;
    const out: FindingStep = { id: step.id, request: exchange.request };
    if (step.request.identity !== undefined) out.identity = step.request.identity;
    const uses: Record<string, string> = {};
    for (const name of referencedVariables(step.request)) if (values[name] !== undefined) uses[name] = values[name];
    if (Object.keys(uses).length > 0) out.uses = uses;
    const segments = pathSegmentsOf(step, uses);
    if (Object.keys(segments).length > 0) out.pathSegments = segments;
    if (exchange.response) {
      const { status, headers, body, durationMs } = exchange.response;
      out.response = { status, headers, body: cut(body, maxBody), durationMs };
      if (step.extract && Object.keys(step.extract).length > 0) {
        out.extract = step.extract;
        for (const [name, extraction] of Object.entries(step.extract)) {
          const value = extractValue(extraction, exchange.request, exchange.response);
          if (value !== undefined && value !== null && value !== "") values[name] = typeof value === "string" ? value : JSON.stringify(value);
        }
      }
    }
    if (exchange.error) out.error = exchange.error;
    if (exchange.stepId === findingStepId) out.finding = true;
    steps.push(out);
  }
  return steps;
}

const UTF8 = new TextEncoder();

/**
 * 64-bit FNV-1a over the UTF-8 bytes, as 16 hex digits. Computed in four 16-bit limbs (the
 * prime is 2^40 + 0x1b3), not with BigInt: it hashes every observation and finding of a run.
 */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325, lowest limb first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  // ASCII text (JSON of observations, most finding keys) is its own UTF-8: read the code units
  // directly; only other text pays for an encoded copy
  const ascii = /^[\x00-\x7f]*$/.test(text);
  const bytes = ascii ? undefined : UTF8.encode(text);
  const length = bytes ? bytes.length : text.length;
  for (let i = 0; i < length; i++) {
    h0 ^= bytes ? bytes[i] : text.charCodeAt(i);
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    h3 = (h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16)) & 0xffff;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
  }
  const hex = (limb: number) => limb.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

export function findingId(operationId: string, check: CheckName | string, signature: string): string {
  return `f_${fnv1a64(`${operationId}\n${check}\n${signature}`)}`;
}

/** Chain checks: the params naming the step whose operation the failure is about, in order of preference. */
export const SUBJECT_PARAMS: Partial<Record<CheckName, string[]>> = {
  use_after_free: ["deleteStep"],
  ensure_resource_availability: ["createStep"],
  location_header: ["createStep"],
  stateful_invariant: ["expectFrom"],
};

/** The step whose operation a failed check of `step` is about (itself unless SUBJECT_PARAMS says otherwise). */
function subjectStep(testCase: TestCase, step: Step, check: CheckName): Step {
  const spec = step.checks.find((c) => c.name === check);
  for (const param of SUBJECT_PARAMS[check] ?? []) {
    const id = spec?.params?.[param];
    const subject = typeof id === "string" ? stepOf(testCase, id) : undefined;
    if (subject) return subject;
  }
  return step;
}

/**
 * The documented operation a step stands for: its own, else the one the URL it followed addresses
 * (a Location, resolved when it was sent), else (undocumented method) its path's.
 */
function documentedOperation(model: ApiModel, testCase: TestCase, step: Step, exchanges: Exchange[]): Operation | undefined {
  const own = findOperation(model, String(step.request.method), step.request.path);
  if (own) return own;
  const addressed = exchanges.find((e) => e.stepId === step.id)?.operationId;
  const followed = addressed === undefined ? undefined : operationById(model, addressed);
  if (followed) return followed;
  const onPath = operationsOnPath(model, step.request.path);
  return onPath.find((op) => op.operationId === testCase.operationId) ?? onPath[0];
}

export function findingsFromCase(result: CaseResult, testCase: TestCase, model: ApiModel, options: FindingOptions = {}): Finding[] {
  const maxBody = options.maxBodyChars ?? 4096;
  const findings: Finding[] = [];
  for (const outcome of result.checks) {
    if (outcome.status !== "failed") continue;
    const step = stepOf(testCase, outcome.stepId);
    const exchange = result.exchanges.find((e) => e.stepId === outcome.stepId);
    if (!step || !exchange) continue;
    const subject = subjectStep(testCase, step, outcome.check);
    const documented = documentedOperation(model, testCase, subject, result.exchanges);
    const operation = {
      method: documented?.method ?? String(subject.request.method).toLowerCase(),
      path: documented?.path ?? subject.request.path,
      operationId: documented?.operationId ?? testCase.operationId,
    };
    const signature = outcome.signature ?? outcome.check;
    const definition = checkInfo(outcome.check);
    const finding: Finding = {
      id: findingId(operation.operationId, outcome.check, signature),
      check: outcome.check,
      severity: outcome.severity ?? definition.severity,
      operation,
      agent: result.agent,
      caseId: result.caseId,
      title:
        outcome.check === "unsupported_method"
          ? `${definition.title}: ${exchange.request.method.toUpperCase()} ${operation.path}`
          : `${definition.title} on ${operation.method.toUpperCase()} ${operation.path}`,
      message: outcome.message ?? "",
      signature,
      request: exchange.request,
      curl: toCurl(exchange.request),
    };
    Object.assign(finding, provenance(testCase, step, outcome.check));
    if (exchange.response) {
      const { status, headers, body, durationMs } = exchange.response;
      finding.response = { status, headers, body: cut(body, maxBody), durationMs };
    }
    if (testCase.steps.length > 1) finding.steps = chainSteps(result, testCase, outcome.stepId, options.maxStepBodyChars ?? 2048);
    finding.kind = testCase.kind;
    finding.triggers = [findingTrigger(result, testCase, step, exchange, finding.curl)];
    findings.push(finding);
  }
  return findings;
}

/** Request bodies kept in a trigger's curl (the finding's own request keeps more). */
const TRIGGER_BODY_CHARS = 2048;
/** Steps listed in a trigger's chain. */
const TRIGGER_CHAIN_STEPS = 8;

/**
 * The part of the request a case varied: its `focus`, else what the failing step's checks say
 * they judge (`location` + `parameter` params of negative, acceptance and injection checks).
 */
export function triggerParameter(testCase: TestCase, step: Step): string | undefined {
  if (testCase.focus) return testCase.focus;
  for (const spec of step.checks) {
    const location = typeof spec.params?.location === "string" ? spec.params.location : undefined;
    const parameter = typeof spec.params?.parameter === "string" ? spec.params.parameter : undefined;
    if (location && parameter) return `${location} ${parameter}`;
    if (location) return location;
  }
  return undefined;
}

function pathAndQuery(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/**
 * The trigger of one failing step: what distinguishes it from other ways to the same finding, with
 * a curl (`curl`: the exchange's own, when the caller has it already).
 */
export function findingTrigger(result: CaseResult, testCase: TestCase, step: Step, exchange: Exchange, curl?: string): FindingTrigger {
  const parameter = triggerParameter(testCase, step);
  const body = exchange.request.body;
  const bodyCut = body !== undefined && body.length > TRIGGER_BODY_CHARS;
  const request = bodyCut ? { ...exchange.request, body: body.slice(0, TRIGGER_BODY_CHARS) } : exchange.request;
  const trigger: FindingTrigger = {
    // without a varied parameter, variants of one agent (fuzz values, optional-part mixes) are one
    // trigger; chains stay apart by their tags (a lifecycle is not a delete chain); a request that
    // got no answer is its own (one of several in flight stopped the target: each keeps its curl)
    key: [result.agent, testCase.kind, parameter ?? (testCase.steps.length > 1 && testCase.kind === "stateful" ? (testCase.tags ?? []).join(",") : ""), ...(exchange.response ? [] : [result.caseId])].join("|"),
    agent: result.agent,
    kind: testCase.kind,
    caseId: result.caseId,
    title: testCase.title,
    curl: bodyCut || curl === undefined ? toCurl(request) : curl,
    count: 1,
  };
  if (parameter) trigger.parameter = parameter;
  if (exchange.response) trigger.status = exchange.response.status;
  if (bodyCut) trigger.bodyCut = true;
  if (result.exchanges.length > 1) {
    const upTo = result.exchanges.indexOf(exchange);
    trigger.chain = result.exchanges
      .slice(0, upTo >= 0 ? upTo + 1 : undefined)
      .slice(-TRIGGER_CHAIN_STEPS)
      .map((e) => `${e.stepId}: ${e.request.method.toUpperCase()} ${pathAndQuery(e.request.url)} → ${e.response ? e.response.status : (e.failure ?? "no response")}`);
  }
  return trigger;
}

/** LLM-made cases and oracles, and inferred invariants, say so (with the oracle's sentence and a lower confidence). */
function provenance(testCase: TestCase, step: Step, check: string): Partial<Finding> {
  const oracle = step.checks.find((c) => c.name === check)?.params?.oracle as { id?: string; sentence?: string; status?: string } | undefined;
  if (check === "llm_oracle" && oracle?.id) {
    const accepted = oracle.status === "accepted";
    return { source: "llm", oracle: { id: oracle.id, ...(oracle.sentence ? { sentence: oracle.sentence } : {}), status: accepted ? "accepted" : "proposed" }, confidence: accepted ? 0.9 : 0.5 };
  }
  if (check === "inferred_invariant" && oracle?.id) {
    const accepted = oracle.status === "accepted";
    return { source: "inferred", oracle: { id: oracle.id, ...(oracle.sentence ? { sentence: oracle.sentence } : {}), status: accepted ? "accepted" : "proposed" }, confidence: accepted ? 0.9 : 0.6 };
  }
  if (testCase.agent === "llm") return { source: "llm", confidence: 0.8 };
  return {};
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
