/**
 * The Report JSON contract (DESIGN.md) built from stored rows: a pure function, so the gateway,
 * the CLI and tests produce byte-identical reports from the same data.
 */
import { RUN_STATUSES, SEVERITY_RANK, type Finding, type FindingTrigger, type Severity } from "../model";
import { reproductionScript } from "./script";
import { operationLabel } from "./severity";
import { ReportCoverageSchema, ReportHeldBackSchema, ReportLlmSchema, ReportPreflightSchema, ReportSuppressedSchema, ReportTriageSchema, type Report, type ReportCluster, type ReportFinding, type ReportSkipped, type ReportStep, type ReportTiming, type ReportTrigger } from "./types";

export interface ReportRunInput {
  id: string;
  status: string;
  targetUrl: string;
  seed: number;
  /** runs.config as stored; only `spec` is read */
  config: unknown;
  /** runs.stats as stored (null before the run finished) */
  stats: unknown;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface ReportFindingInput {
  severity: string;
  occurrences?: number;
  data: Finding;
}

function iso(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

function specOf(config: unknown): Report["run"]["spec"] {
  const spec = (config as { spec?: Record<string, unknown> } | null)?.spec ?? {};
  return {
    title: typeof spec.title === "string" ? spec.title : "",
    version: typeof spec.version === "string" ? spec.version : "",
    operations: count(spec.operations),
  };
}

function statusOf(status: string): Report["run"]["status"] {
  return (RUN_STATUSES as readonly string[]).includes(status) ? (status as Report["run"]["status"]) : "errored";
}

export function reportFinding(finding: Finding): ReportFinding {
  const out: ReportFinding = {
    id: finding.id,
    check: finding.check,
    severity: finding.severity,
    operation: { method: String(finding.operation.method), path: finding.operation.path, operationId: finding.operation.operationId },
    agent: finding.agent,
    title: finding.title,
    message: finding.message,
    request: {
      method: finding.request.method,
      url: finding.request.url,
      headers: finding.request.headers,
      ...(finding.request.body !== undefined ? { body: finding.request.body } : {}),
    },
    curl: finding.curl,
    steps: (finding.steps ?? []).map((step) => {
      const out: ReportStep = { id: step.id, request: step.request };
      if (step.identity !== undefined) out.identity = step.identity;
      if (step.response) out.response = { ...step.response, durationMs: Math.max(0, step.response.durationMs) };
      if (step.error) out.error = step.error;
      if (step.extract) out.extract = step.extract;
      if (step.uses) out.uses = step.uses;
      if (step.pathSegments) out.pathSegments = step.pathSegments;
      if (step.finding) out.finding = true;
      return out;
    }),
    source: finding.source ?? "deterministic",
  };
  if (out.steps.length > 1) out.script = reproductionScript(out.steps, `${finding.title} (${finding.id})`);
  if (finding.oracle) out.oracle = finding.oracle;
  if (finding.confidence !== undefined) out.confidence = finding.confidence;
  if (finding.firstSeen !== undefined) out.firstSeen = finding.firstSeen;
  if (finding.seenInRuns !== undefined) out.seenInRuns = finding.seenInRuns;
  if (finding.similar !== undefined) out.similar = finding.similar;
  if (finding.cluster !== undefined) out.cluster = finding.cluster;
  if (finding.kind !== undefined) out.kind = finding.kind;
  if (finding.triggers && finding.triggers.length > 0) out.triggers = finding.triggers.map(reportTrigger);
  if (finding.response) {
    out.response = {
      status: finding.response.status,
      headers: finding.response.headers,
      body: finding.response.body,
      durationMs: Math.max(0, finding.response.durationMs),
    };
  }
  return out;
}

function reportTrigger(t: FindingTrigger): ReportTrigger {
  const out: ReportTrigger = { agent: t.agent, kind: t.kind, caseId: t.caseId, title: t.title, curl: t.curl, count: Math.max(1, Math.floor(t.count || 1)) };
  if (t.parameter !== undefined) out.parameter = t.parameter;
  if (t.status !== undefined) out.status = t.status;
  if (t.bodyCut) out.bodyCut = true;
  if (t.chain && t.chain.length > 0) out.chain = t.chain;
  return out;
}

/** Worst severity first, then the most frequent, then by id for a stable order. */
function compareFindings(a: ReportFindingInput, b: ReportFindingInput): number {
  const rank = (s: string) => SEVERITY_RANK[s as Severity] ?? -1;
  return rank(b.severity) - rank(a.severity) || (b.occurrences ?? 1) - (a.occurrences ?? 1) || (a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0);
}

export interface ReportExtras {
  /** the skipped cases with their reason */
  skipped?: ReportSkipped[];
  /** latencies of every response received (ms), for the timing line */
  latenciesMs?: number[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function timingOf(latenciesMs: readonly number[], durationMs: number | null): ReportTiming | undefined {
  if (latenciesMs.length === 0) return undefined;
  const sorted = [...latenciesMs].map((n) => Math.max(0, n)).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
    rps: durationMs && durationMs > 0 ? round(sorted.length / (durationMs / 1000)) : 0,
  };
}

export function buildRunReport(run: ReportRunInput, findings: readonly ReportFindingInput[], extras: ReportExtras = {}): Report {
  const stats = (run.stats ?? {}) as Record<string, unknown>;
  const durationMs = run.startedAt !== null && run.finishedAt !== null ? Math.max(0, run.finishedAt - run.startedAt) : null;
  const timing = timingOf(extras.latenciesMs ?? [], durationMs);
  const cases = count(stats.cases);
  const passed = count(stats.passed);
  const failed = count(stats.failed);
  const errored = count(stats.errored);
  // older rows have no skipped count: what is not otherwise accounted for was skipped
  const skipped = typeof stats.skipped === "number" ? count(stats.skipped) : Math.max(0, cases - passed - failed - errored);
  const sorted = [...findings].sort(compareFindings).map((f) => reportFinding(f.data));
  return {
    run: {
      id: run.id,
      status: statusOf(run.status),
      target: run.targetUrl,
      spec: specOf(run.config),
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      durationMs,
      seed: Math.trunc(run.seed),
      stats: { cases, passed, failed, errored, skipped, requests: count(stats.requests) },
      ...(timing ? { timing } : {}),
    },
    findings: sorted,
    clusters: clustersOf(sorted, triageOf(run.config)),
    ...llmOf(run.config),
    skipped: extras.skipped ?? [],
    heldBack: heldBackOf(run.config),
    suppressed: suppressedOf(run.config),
    ...coverageOf(run.config),
    ...preflightOf(run.config),
  };
}

/** The findings' clusters (ids set at finalize), in the findings' order: worst representative first. */
export function clustersOf(findings: readonly ReportFinding[], triage: Readonly<Record<string, { explanation: string; likelyCause: string }>> = {}): ReportCluster[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) if (f.cluster) groups.set(f.cluster, [...(groups.get(f.cluster) ?? []), f]);
  return [...groups]
    .filter(([, members]) => members.length > 1)
    .map(([id, members]) => {
      const first = members[0];
      const operations = members.map((m) => operationLabel(m.operation));
      const errorEvidence = first.response !== undefined && first.response.status >= 400;
      return {
        id,
        check: first.check,
        severity: first.severity,
        representative: first.id,
        findings: members.map((m) => m.id),
        operations,
        ...(triage[id]
          ? { explanation: triage[id].explanation, likelyCause: triage[id].likelyCause, source: "llm" as const }
          : {
              explanation:
                `${members.length} ${first.check} findings on ${new Set(operations).size} operations fail the same way${errorEvidence ? " with the same error" : ""} ` +
                `("${first.title}"): likely one cause where these operations meet (shared middleware, handler, validation or serializer). ` +
                `Fix it once, then rerun; the representative's curl reproduces it.`,
              source: "deterministic" as const,
            }),
      };
    });
}

/** The LLM's explanations of the run's clusters (kept in runs.config at finalize; absent without an LLM). */
function triageOf(config: unknown): Record<string, { explanation: string; likelyCause: string }> {
  const parsed = ReportTriageSchema.safeParse((config as { triage?: unknown } | null)?.triage);
  return parsed.success ? parsed.data : {};
}

/** The identity pre-flight of the run (how identities were obtained, which worked, which stopped). */
function preflightOf(config: unknown): Pick<Report, "preflight"> {
  const parsed = ReportPreflightSchema.safeParse((config as { preflight?: unknown } | null)?.preflight);
  return parsed.success ? { preflight: parsed.data } : {};
}

/** The coverage report, computed when the run was finalized (absent before, and for older runs). */
function coverageOf(config: unknown): Pick<Report, "coverage"> {
  const parsed = ReportCoverageSchema.safeParse((config as { coverage?: unknown } | null)?.coverage);
  return parsed.success ? { coverage: parsed.data } : {};
}

/** Destructive operations the planner did not test (kept in runs.config once planning is done). */
function heldBackOf(config: unknown): Report["heldBack"] {
  const parsed = ReportHeldBackSchema.array().safeParse((config as { heldBack?: unknown } | null)?.heldBack);
  return parsed.success ? parsed.data : [];
}

/** Findings the run did not report because its own destructive requests caused them (set at finalize). */
function suppressedOf(config: unknown): Report["suppressed"] {
  const parsed = ReportSuppressedSchema.array().safeParse((config as { suppressed?: unknown } | null)?.suppressed);
  return parsed.success ? parsed.data : [];
}

/** The run's `llm` account, kept in runs.config by the planner (absent when the run used no LLM). */
function llmOf(config: unknown): Pick<Report, "llm"> {
  const parsed = ReportLlmSchema.safeParse((config as { llm?: unknown } | null)?.llm);
  return parsed.success ? { llm: parsed.data } : {};
}
