/**
 * The coverage report of a run, built from the results already stored (no write per case): per
 * operation, which documented statuses came back and which never did, which parameters and which
 * enum members / booleans were sent, what each check concluded, and for every check family that
 * could not run there, why — a failed create, a missing second identity, a held-back operation.
 * Rows are added one at a time, so memory follows the size of the spec, not of the run.
 */
import { finiteDomain, flattenAllOf } from "../jsonschema/shape";
import type { ApiModel, CaseStatus, CheckName, CheckStatus, JsonSchema, Operation } from "../model";
import type { ReportCoverage, ReportCoverageOperation, ReportCoverageParameter } from "./types";
import { namedInError } from "../shared/error-fields";

/** An exchange as the coverage needs it: of the response body only a 4xx's start (`answer`). */
export interface CoverageExchange {
  stepId: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | null;
  status?: number | null;
  /** the start of the body of a 4xx answer, where an error names the fields it refused */
  answer?: string | null;
}

export interface CoverageRow {
  agent: string;
  operationId: string;
  status: CaseStatus;
  reason: string | null;
  checks: { check: string; stepId: string; status: CheckStatus; message?: string }[];
  exchanges: CoverageExchange[];
}

export interface CoverageContext {
  /** configured identities (two make BOLA/BFLA testable) */
  identities: number;
  /** operations not tested because they are destructive, with the planner's reason */
  heldBack: { operationId: string; reason: string }[];
}

/** Check families, the unit in which "could not run" is reported. */
export const CHECK_FAMILIES: Record<string, readonly CheckName[]> = {
  conformance: ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance", "response_headers_conformance"],
  "input validation": ["negative_data_rejection", "positive_data_acceptance", "missing_required_header"],
  stateful: ["use_after_free", "ensure_resource_availability", "idempotency", "location_header", "optimistic_concurrency", "round_trip", "stateful_invariant"],
  authentication: ["ignored_auth", "jwt_weakness"],
  authorization: ["bola", "bfla"],
  injection: ["sql_injection", "nosql_injection", "command_injection", "path_traversal", "ssrf", "template_injection"],
  exposure: ["excessive_data_exposure", "mass_assignment"],
};

const FAMILY_OF = new Map<string, string>(Object.entries(CHECK_FAMILIES).flatMap(([family, checks]) => checks.map((c) => [c, family] as const)));

/** The family an agent's cases serve (for cases skipped before any check ran). */
const AGENT_FAMILY: Record<string, string> = {
  "functional-negative": "input validation",
  stateful: "stateful",
  "security-auth": "authorization",
  "security-injection": "injection",
  "data-exposure": "exposure",
};

/** Parameters and values listed per operation (a bound on the report's size). */
const MAX_PARAMETERS = 60;

interface ParamTally {
  name: string;
  in: ReportCoverageParameter["in"];
  required: boolean;
  sent: number;
  domain?: string[];
  seen: Set<string>;
}

interface OpTally {
  op: Operation;
  segments: string[];
  requests: number;
  statuses: Map<number, number>;
  params: ParamTally[];
  checks: Map<string, { passed: number; failed: number; skipped: number }>;
  /** family → skip reason → count (checks that skipped, cases skipped before their checks) */
  skips: Map<string, Map<string, number>>;
  /** field → how many 4xx answers named it (an error's `details[].field`, `invalid-params` …) */
  refusedFields: Map<string, number>;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function statusKeyMatches(key: string, status: number): boolean {
  const k = key.trim().toUpperCase();
  const code = String(status);
  return /^[1-5][0-9X]{2}$/.test(k) && [...k].every((ch, i) => ch === "X" || ch === code[i]);
}

function splitPath(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** Literal segments must match, from the end (a server base path such as /v1 may precede the template). */
function matchScore(template: string[], actual: string[]): number {
  if (actual.length < template.length) return -1;
  const offset = actual.length - template.length;
  let literals = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    const a = actual[offset + i];
    if (/^\{[^}]+\}$/.test(t)) {
      if (!a) return -1;
    } else if (t === a) literals++;
    else return -1;
  }
  return literals * 1000 - offset;
}

export class CoverageBuilder {
  private readonly ops: OpTally[];
  private readonly byMethod = new Map<string, OpTally[]>();
  /** "method path" → its operation: a run sends many requests to the same path (each costs a scan of the method's templates) */
  private readonly matched = new Map<string, OpTally | undefined>();

  constructor(
    private readonly model: ApiModel,
    private readonly context: CoverageContext,
  ) {
    this.ops = model.operations.map((op) => ({
      op,
      segments: splitPath(op.path),
      requests: 0,
      statuses: new Map(),
      params: parameterTallies(model, op),
      checks: new Map(),
      skips: new Map(),
      refusedFields: new Map(),
    }));
    for (const tally of this.ops) this.byMethod.set(tally.op.method, [...(this.byMethod.get(tally.op.method) ?? []), tally]);
  }

  /** The operation a concrete request addressed (the most literal template match). */
  private operationOf(method: string, url: string): OpTally | undefined {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      return undefined;
    }
    const key = `${method.toLowerCase()} ${path}`;
    if (this.matched.has(key)) return this.matched.get(key);
    const actual = splitPath(path).map((s) => safeDecode(s));
    let best: OpTally | undefined;
    let bestScore = -1;
    for (const tally of this.byMethod.get(method.toLowerCase()) ?? []) {
      const score = matchScore(tally.segments, actual);
      if (score > bestScore) (best = tally), (bestScore = score);
    }
    this.matched.set(key, best);
    return best;
  }

  add(row: CoverageRow): void {
    const stepOps = new Map<string, OpTally>();
    for (const exchange of row.exchanges) {
      const tally = this.operationOf(exchange.method, exchange.url);
      if (!tally) continue;
      stepOps.set(exchange.stepId, tally);
      tally.requests++;
      if (typeof exchange.status === "number") tally.statuses.set(exchange.status, (tally.statuses.get(exchange.status) ?? 0) + 1);
      for (const field of refusedFields(exchange)) tally.refusedFields.set(field, (tally.refusedFields.get(field) ?? 0) + 1);
      observeParameters(tally, exchange);
    }
    for (const outcome of row.checks) {
      const tally = stepOps.get(outcome.stepId);
      if (!tally) continue;
      const counts = tally.checks.get(outcome.check) ?? { passed: 0, failed: 0, skipped: 0 };
      counts[outcome.status]++;
      tally.checks.set(outcome.check, counts);
      const family = FAMILY_OF.get(outcome.check);
      if (outcome.status === "skipped" && family && outcome.message) addSkip(tally, family, outcome.message);
    }
    // a case skipped before its checks (a failed precondition): say which request failed and how
    const family = AGENT_FAMILY[row.agent];
    if (row.status === "skipped" && family) {
      const tally = this.ops.find((t) => t.op.operationId === row.operationId);
      const last = row.exchanges[row.exchanges.length - 1];
      const lastOp = last ? this.operationOf(last.method, last.url) : undefined;
      if (tally) {
        const named = last ? refusedFields(last) : [];
        const reason =
          last && lastOp && typeof last.status === "number" && /precondition/.test(row.reason ?? "")
            ? `precondition ${lastOp.op.method.toUpperCase()} ${lastOp.op.path} answered ${last.status}${named.length > 0 ? ` naming ${named.slice(0, 3).join(", ")}` : ""}`
            : (row.reason ?? "skipped");
        addSkip(tally, family, reason);
      }
    }
  }

  build(): ReportCoverage {
    const heldBack = new Map(this.context.heldBack.map((h) => [h.operationId, h.reason]));
    const operations = this.ops.map((tally) => this.operationReport(tally, heldBack.get(tally.op.operationId)));
    const summary = { operations: operations.length, reached: 0, statusesDocumented: 0, statusesSeen: 0, valuesDocumented: 0, valuesSeen: 0, gaps: 0 };
    for (const op of operations) {
      if (op.requests > 0) summary.reached++;
      summary.statusesSeen += op.statusesSeen.length;
      summary.statusesDocumented += op.statusesSeen.length + op.statusesNotSeen.length;
      for (const p of op.parameters) {
        summary.valuesSeen += p.valuesSeen?.length ?? 0;
        summary.valuesDocumented += (p.valuesSeen?.length ?? 0) + (p.valuesNotSeen?.length ?? 0);
      }
      summary.gaps += op.notRun.length;
    }
    return { summary, operations };
  }

  private operationReport(tally: OpTally, heldBackReason: string | undefined): ReportCoverageOperation {
    const { op } = tally;
    const documented = op.responses.map((r) => r.status.trim()).filter((s) => s.toLowerCase() !== "default");
    const seen = [...tally.statuses.keys()];
    const undocumented: Record<string, number> = {};
    for (const [status, n] of [...tally.statuses].sort((a, b) => a[0] - b[0])) if (!documented.some((key) => statusKeyMatches(key, status))) undocumented[String(status)] = n;
    const parameters: ReportCoverageParameter[] = tally.params.slice(0, MAX_PARAMETERS).map((p) => {
      const out: ReportCoverageParameter = { name: p.name, in: p.in, required: p.required, sent: p.sent };
      if (p.domain) {
        out.valuesSeen = p.domain.filter((v) => p.seen.has(v));
        out.valuesNotSeen = p.domain.filter((v) => !p.seen.has(v));
      }
      return out;
    });
    const checks: ReportCoverageOperation["checks"] = {};
    for (const [name, counts] of [...tally.checks].sort((a, b) => a[0].localeCompare(b[0]))) checks[name] = counts;
    return {
      operationId: op.operationId,
      method: op.method.toUpperCase(),
      path: op.path,
      requests: tally.requests,
      statusesSeen: documented.filter((key) => seen.some((status) => statusKeyMatches(key, status))),
      statusesNotSeen: documented.filter((key) => !seen.some((status) => statusKeyMatches(key, status))),
      undocumented,
      parameters,
      checks,
      notRun: heldBackReason !== undefined ? [{ family: "all", reason: `operation held back as destructive (${heldBackReason}); --allow-destructive runs it` }] : this.gaps(tally),
    };
  }

  /** Families expected on this operation that produced no verdict, each with the likeliest reason. */
  private gaps(tally: OpTally): ReportCoverageOperation["notRun"] {
    const out: ReportCoverageOperation["notRun"] = [];
    for (const family of expectedFamilies(this.model, tally.op)) {
      const ran = CHECK_FAMILIES[family].some((name) => {
        const c = tally.checks.get(name);
        return c !== undefined && c.passed + c.failed > 0;
      });
      if (ran) continue;
      out.push({ family, reason: this.reason(tally, family) });
    }
    return out;
  }

  private reason(tally: OpTally, family: string): string {
    if (tally.requests === 0) return "no request reached this operation";
    if (family === "authorization" && this.context.identities < 2) return "no second identity: give two --identity to test who may touch whose resources";
    const producer = needsResource(family) ? this.producerOf(tally.op) : undefined;
    if (producer && ![...producer.statuses.keys()].some(isSuccess)) {
      const answers = [...producer.statuses].sort((a, b) => b[1] - a[1]);
      const conflict = answers[0]?.[0] === 409 || answers[0]?.[0] === 422;
      const listed = answers.length > 0 ? `answered ${answers.slice(0, 3).map(([s, n]) => `${s} ×${n}`).join(", ")}` : "was never sent";
      // what the refusals name is the hint; only when they name nothing is a collision the guess
      const named = [...producer.refusedFields].sort((a, b) => b[1] - a[1]).slice(0, 3);
      const hint = named.length > 0 ? ` — the answers name ${named.map(([field, n]) => `${field} (×${n})`).join(", ")}` : conflict ? " — unique fields?" : "";
      return `no resource created: ${producer.op.method.toUpperCase()} ${producer.op.path} ${listed}${hint}`;
    }
    const skips = tally.skips.get(family);
    if (skips && skips.size > 0) {
      const [reason, n] = [...skips].sort((a, b) => b[1] - a[1])[0];
      return `${reason} (${n}×)`;
    }
    return "no case of this family applied to this operation";
  }

  /** The create (POST on the collection) whose resources an item operation or a nested list needs. */
  private producerOf(op: Operation): OpTally | undefined {
    const segments = splitPath(op.path);
    for (let end = segments.length; end > 0; end--) {
      if (!/^\{[^}]+\}$/.test(segments[end - 1])) continue;
      const collection = "/" + segments.slice(0, end - 1).join("/");
      const post = this.ops.find((t) => t.op.method === "post" && t.op.path.replace(/\/+$/, "") === collection);
      if (post) return post;
    }
    return undefined;
  }
}

/** The fields a 4xx answer's error body names (none for other answers or a body that is no JSON). */
function refusedFields(exchange: CoverageExchange): string[] {
  if (typeof exchange.answer !== "string" || typeof exchange.status !== "number" || exchange.status < 400 || exchange.status > 499) return [];
  try {
    return namedInError(JSON.parse(exchange.answer));
  } catch {
    return [];
  }
}

function needsResource(family: string): boolean {
  return family === "stateful" || family === "authorization";
}

function addSkip(tally: OpTally, family: string, reason: string): void {
  const byReason = tally.skips.get(family) ?? new Map<string, number>();
  byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  tally.skips.set(family, byReason);
}

/** The families a run should be able to judge on an operation, from its shape alone. */
export function expectedFamilies(model: ApiModel, op: Operation): string[] {
  const families = ["conformance"];
  const settable = op.parameters.some((p) => p.in !== "path") || op.requestBody !== undefined;
  if (settable || op.parameters.length > 0) families.push("input validation");
  const item = /\{[^}]+\}\/?$/.test(op.path);
  const secured = op.security.length > 0 && !op.security.some((alt) => Object.keys(alt).length === 0);
  if (item && op.method !== "post") families.push("stateful");
  if (secured) families.push("authentication");
  if (secured && item) families.push("authorization");
  return families;
}

function parameterTallies(model: ApiModel, op: Operation): ParamTally[] {
  const out: ParamTally[] = op.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, sent: 0, domain: finiteDomain(p.schema, model.schemas), seen: new Set<string>() }));
  const media = op.requestBody?.content.find((m) => /json/i.test(m.contentType)) ?? op.requestBody?.content[0];
  if (media) {
    const schema = flattenForProperties(model, media.schema);
    const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      out.push({ name, in: "body", required: required.has(name), sent: 0, domain: finiteDomain(property as JsonSchema, model.schemas), seen: new Set<string>() });
    }
  }
  return out;
}

/**
 * The body's properties; of a union body (oneOf card | bank transfer), those of every branch: a
 * property is required when every branch that has it requires it, and its enum values are those
 * of all branches (the discriminator's).
 */
function flattenForProperties(model: ApiModel, schema: unknown): { properties?: Record<string, unknown>; required?: unknown } | undefined {
  const s = flattenAllOf(schema as JsonSchema, model.schemas);
  if (!s || typeof s !== "object") return undefined;
  const union = (s as { oneOf?: unknown; anyOf?: unknown }).oneOf ?? (s as { anyOf?: unknown }).anyOf;
  if (!Array.isArray(union)) return s as { properties?: Record<string, unknown>; required?: unknown };
  const properties: Record<string, unknown> = { ...((s as { properties?: Record<string, unknown> }).properties ?? {}) };
  const optional = new Set<string>();
  const enums = new Map<string, unknown[]>();
  for (const branch of union) {
    const flat = flattenAllOf(branch as JsonSchema, model.schemas) as { properties?: Record<string, unknown>; required?: unknown } | undefined;
    if (!flat || typeof flat !== "object" || !flat.properties) continue;
    const required = new Set(Array.isArray(flat.required) ? (flat.required as string[]) : []);
    for (const [name, property] of Object.entries(flat.properties)) {
      properties[name] ??= property;
      if (!required.has(name)) optional.add(name);
      const values = (flattenAllOf(property as JsonSchema, model.schemas) as { enum?: unknown } | undefined)?.enum;
      if (Array.isArray(values)) enums.set(name, [...(enums.get(name) ?? []), ...values]);
    }
  }
  for (const [name, values] of enums) properties[name] = { enum: [...new Set(values)] };
  return { properties, required: Object.keys(properties).filter((name) => !optional.has(name)) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Which parameters (and which of their finite values) a request carried; cookies are not told apart. */
function observeParameters(tally: OpTally, exchange: CoverageExchange): void {
  let url: URL;
  try {
    url = new URL(exchange.url);
  } catch {
    return;
  }
  const actual = splitPath(url.pathname);
  const offset = actual.length - tally.segments.length;
  let body: unknown;
  if (exchange.body) {
    try {
      body = JSON.parse(exchange.body);
    } catch {
      body = undefined;
    }
  }
  for (const p of tally.params) {
    const values: string[] = [];
    if (p.in === "query") values.push(...url.searchParams.getAll(p.name).flatMap((v) => v.split(",")));
    else if (p.in === "path") {
      const index = tally.segments.indexOf(`{${p.name}}`);
      if (index >= 0 && offset >= 0) values.push(safeDecode(actual[offset + index]));
    } else if (p.in === "body" && body && typeof body === "object" && !Array.isArray(body) && p.name in body) {
      const value = (body as Record<string, unknown>)[p.name];
      for (const v of Array.isArray(value) ? value : [value]) values.push(typeof v === "string" ? v : JSON.stringify(v));
    } else if (p.in === "header") {
      const value = headerValue(exchange.headers, p.name);
      if (value !== undefined) values.push(value);
    }
    if (values.length === 0) continue;
    p.sent++;
    if (p.domain) for (const v of values) if (p.domain.includes(v)) p.seen.add(v);
  }
}

/** "12/14 operations reached · documented statuses 20/31 seen · enum and boolean values 15/22 sent · 5 gaps" */
export function coverageSummaryLine(coverage: ReportCoverage): string {
  const s = coverage.summary;
  return `${s.reached}/${s.operations} operations reached · documented statuses ${s.statusesSeen}/${s.statusesDocumented} seen · enum and boolean values ${s.valuesSeen}/${s.valuesDocumented} sent · ${s.gaps} check famil${s.gaps === 1 ? "y" : "ies"} could not run`;
}

/** Every (operation, family) that could not run, as "GET /x: stateful — why". */
export function coverageGapLines(coverage: ReportCoverage): string[] {
  return coverage.operations.flatMap((op) => op.notRun.map((gap) => `${op.method} ${op.path}: ${gap.family} — ${gap.reason}`));
}

/** "query status: shipped, cancelled; body urgent: false" — the finite values never sent on an operation. */
export function valuesNotSent(op: ReportCoverageOperation): string {
  return op.parameters
    .filter((p) => (p.valuesNotSeen?.length ?? 0) > 0)
    .map((p) => `${p.in} ${p.name}: ${p.valuesNotSeen!.join(", ")}`)
    .join("; ");
}
