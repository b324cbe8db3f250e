/**
 * The Report JSON contract of DESIGN.md ("Contracts other tools rely on"): what
 * GET /api/v1/runs/{id}/report returns and what `sentinel run --report-json` writes.
 * Every other report format (JUnit, SARIF, HTML, Markdown, HAR) is derived from it.
 * `ReportSchema` is the executable form of the contract; tests check producers against it.
 */
import { z } from "zod";
import { RUN_STATUSES, SEVERITIES, type CaseResult } from "../model";

const headers = z.record(z.string(), z.string());

const RequestSchema = z.object({
  method: z.string().min(1),
  url: z.string(),
  headers,
  body: z.string().optional(),
});

const ResponseSchema = z.object({
  status: z.number().int(),
  headers,
  body: z.string(),
  durationMs: z.number().nonnegative(),
});

const OperationRefSchema = z.object({
  /** empty when the operation is no longer in the spec */
  method: z.string(),
  /** the OpenAPI path template, e.g. /pets/{petId} */
  path: z.string(),
  operationId: z.string(),
});

/** One step of a chain finding (create → delete → read, A creates → B reads, …), in order. */
export const ReportStepSchema = z.object({
  id: z.string().min(1),
  /** identity the step ran as; null = no credentials */
  identity: z.string().nullable().optional(),
  request: RequestSchema,
  response: ResponseSchema.optional(),
  error: z.string().optional(),
  /** variable → where this step's response provides it (JSON pointer, header, Location id) */
  extract: z.record(z.string(), z.unknown()).optional(),
  /** variable → the value this step's request used */
  uses: z.record(z.string(), z.string()).optional(),
  /** variable → its path segment in the URL, counted from the end (1 = last) */
  pathSegments: z.record(z.string(), z.number().int().positive()).optional(),
  /** the step whose check failed */
  finding: z.boolean().optional(),
});

/** A case that did not run, and why (a precondition failed, the run was cancelled, the target was unreachable, …). */
export const ReportSkippedSchema = z.object({
  caseId: z.string(),
  agent: z.string(),
  operation: OperationRefSchema,
  reason: z.string(),
});

/** An operation the run did not test because it is destructive (run it with --allow-destructive). */
export const ReportHeldBackSchema = z.object({
  operationId: z.string(),
  method: z.string(),
  path: z.string(),
  /** "destructive: operationId says reset" */
  reason: z.string(),
});

/**
 * A finding not reported, with why: its evidence came after Sentinel's own destructive request in
 * the same run and did not reproduce once that request had taken effect; or its request was in
 * flight when the target stopped answering and was answered when replayed alone.
 */
export const ReportSuppressedSchema = z.object({
  findingId: z.string(),
  check: z.string(),
  operation: OperationRefSchema,
  title: z.string(),
  caseIds: z.array(z.string()),
  reason: z.string(),
});

/**
 * The pre-flight of identities: which ones work and how they were obtained (given by the user,
 * or provisioned through the spec's signup/login); the one line on why authorization between
 * users was not tested when fewer than two work. Never holds a credential.
 */
export const ReportIdentitySchema = z.object({
  name: z.string(),
  source: z.enum(["given", "provisioned"]),
  ok: z.boolean(),
  how: z.string(),
  detail: z.string().optional(),
  account: z.record(z.string(), z.string()).optional(),
  /** the role the identity's profile named at the pre-flight, or the one declared (BFLA takes identities of one role as peers) */
  role: z.string().optional(),
  /** set when the identity no longer worked after the run, and why */
  afterRun: z.string().optional(),
});

export const ReportPreflightSchema = z.object({
  identities: z.array(ReportIdentitySchema),
  /** why BOLA/BFLA between users did not run, when they did not */
  authorization: z.string().optional(),
});

/** Request latency over the run (every response received), k6-style. */
export const ReportTimingSchema = z.object({
  requests: z.number().int().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
  /** requests per second over the run's duration */
  rps: z.number().nonnegative(),
});

/** One distinct way a finding was triggered (per parameter, per agent and case kind), with its curl. */
export const ReportTriggerSchema = z.object({
  agent: z.string(),
  /** the case kind: positive, negative, stateful, security, … */
  kind: z.string(),
  caseId: z.string(),
  title: z.string(),
  /** the part of the request the case varied, when known ("query inStock", "body /quantity") */
  parameter: z.string().optional(),
  status: z.number().int().optional(),
  curl: z.string(),
  /** the request body in the curl was cut (the case's result holds it whole) */
  bodyCut: z.boolean().optional(),
  /** a chain's steps up to the failing one: "delete: DELETE /items/7 → 204" */
  chain: z.array(z.string()).optional(),
  /** failing cases with this trigger */
  count: z.number().int().positive(),
});

export const ReportFindingSchema = z.object({
  id: z.string().min(1),
  /** a name of the check vocabulary (workers/model/checks.ts); open so that new checks never break old readers */
  check: z.string().min(1),
  severity: z.enum(SEVERITIES),
  operation: z.object({
    method: z.string().min(1),
    /** the OpenAPI path template, e.g. /pets/{petId} */
    path: z.string(),
    operationId: z.string(),
  }),
  agent: z.string(),
  title: z.string(),
  message: z.string(),
  request: z.object({
    method: z.string().min(1),
    url: z.string(),
    headers,
    body: z.string().optional(),
  }),
  /** absent when no response arrived (network error, timeout) */
  response: z
    .object({
      status: z.number().int(),
      headers,
      body: z.string(),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
  curl: z.string(),
  /** who made the case or oracle behind the finding */
  source: z.enum(["deterministic", "llm", "inferred"]).optional(),
  /** LLM oracles: the spec sentence the rule came from; findings are lower confidence until accepted */
  oracle: z.object({ id: z.string(), sentence: z.string().optional(), status: z.enum(["proposed", "accepted"]) }).optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** memory across runs of the org: when this finding was first seen, in how many runs, and look-alikes */
  firstSeen: z.string().optional(),
  seenInRuns: z.number().int().nonnegative().optional(),
  similar: z.array(z.object({ findingId: z.string(), runId: z.string(), title: z.string(), score: z.number() })).optional(),
  /** the id of the run's cluster of findings with the same likely root cause (see `clusters`) */
  cluster: z.string().optional(),
  /** every step of a multi-step case in order; empty for a single request */
  steps: z.array(ReportStepSchema).default([]),
  /** for a chain: a bash script (curl + jq) replaying every step up to the failing one */
  script: z.string().optional(),
  /** the case kind of the first occurrence (positive, negative, stateful, security, …) */
  kind: z.string().optional(),
  /** the distinct triggers, the finding's own first (at most 12; `occurrences` counts every failing case) */
  triggers: z.array(ReportTriggerSchema).optional(),
});

/** The AI layer's account of a run (issue 11 contract). */
export const ReportLlmSchema = z.object({
  provider: z.string(),
  model: z.string(),
  calls: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  cached: z.number().int().nonnegative(),
  casesProposed: z.number().int().nonnegative(),
  casesAccepted: z.number().int().nonnegative(),
  casesRejected: z.number().int().nonnegative(),
  oraclesProposed: z.number().int().nonnegative(),
  oraclesAccepted: z.number().int().nonnegative(),
  degraded: z.boolean(),
  reason: z.string().nullable(),
});

export const ReportStatsSchema = z.object({
  cases: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errored: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
});


export const ReportRunSchema = z.object({
  id: z.string().min(1),
  status: z.enum(RUN_STATUSES),
  /** base URL of the API under test */
  target: z.string(),
  spec: z.object({
    title: z.string(),
    version: z.string(),
    /** number of operations in the spec */
    operations: z.number().int().nonnegative(),
  }),
  /** ISO 8601 timestamps; null while the run has not started / finished */
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  seed: z.number().int(),
  /** cases = passed + failed + errored + skipped, always */
  stats: ReportStatsSchema,
  timing: ReportTimingSchema.optional(),
});

/** One parameter (or top-level body property) of an operation: how often it was sent, which values of its enum or boolean. */
export const ReportCoverageParameterSchema = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie", "body"]),
  required: z.boolean(),
  /** requests that carried it */
  sent: z.number().int().nonnegative(),
  /** enum members (or true/false for a boolean) sent at least once, and those never sent */
  valuesSeen: z.array(z.string()).optional(),
  valuesNotSeen: z.array(z.string()).optional(),
});

/** A check family that could not run on an operation, and why. */
export const ReportCoverageGapSchema = z.object({
  family: z.string(),
  /** "no resource created: POST /things answered 409 ×224 — unique fields?", "no second identity", … */
  reason: z.string(),
});

export const ReportCoverageOperationSchema = z.object({
  operationId: z.string(),
  method: z.string(),
  path: z.string(),
  /** requests that reached this operation (any case, any step) */
  requests: z.number().int().nonnegative(),
  /** documented statuses ("200", "4XX") answered at least once / never; `default` is not listed */
  statusesSeen: z.array(z.string()),
  statusesNotSeen: z.array(z.string()),
  /** statuses answered that the operation does not document, with counts */
  undocumented: z.record(z.string(), z.number().int().nonnegative()),
  parameters: z.array(ReportCoverageParameterSchema),
  /** check name → outcomes on this operation's requests */
  checks: z.record(z.string(), z.object({ passed: z.number().int().nonnegative(), failed: z.number().int().nonnegative(), skipped: z.number().int().nonnegative() })),
  /** check families that could not run here, each with why */
  notRun: z.array(ReportCoverageGapSchema),
});

/** What the run exercised, per operation, and what it could not (issue 12). */
export const ReportCoverageSchema = z.object({
  summary: z.object({
    operations: z.number().int().nonnegative(),
    /** operations that received at least one request */
    reached: z.number().int().nonnegative(),
    statusesDocumented: z.number().int().nonnegative(),
    statusesSeen: z.number().int().nonnegative(),
    /** enum members and boolean values of parameters and top-level body properties */
    valuesDocumented: z.number().int().nonnegative(),
    valuesSeen: z.number().int().nonnegative(),
    /** (operation, family) pairs that could not run */
    gaps: z.number().int().nonnegative(),
  }),
  operations: z.array(ReportCoverageOperationSchema),
});

/** Findings of one check with the same failure and alike evidence on several operations: one likely root cause. */
export const ReportClusterSchema = z.object({
  id: z.string(),
  check: z.string(),
  /** the worst severity among its findings */
  severity: z.enum(SEVERITIES),
  /** the finding shown for all of them (the worst) */
  representative: z.string(),
  /** every member, the representative first */
  findings: z.array(z.string()).min(2),
  /** "GET /items/{id}" of each member, in order */
  operations: z.array(z.string()),
  /** why they are thought to share a cause and what to do */
  explanation: z.string(),
  /** the likely defect in a few words (from the LLM's triage; absent in the deterministic text) */
  likelyCause: z.string().optional(),
  /** who wrote the explanation: the LLM's triage when configured, else Sentinel's fixed text */
  source: z.enum(["llm", "deterministic"]),
});

/** The LLM's triage of a run's clusters (runs.config.triage): cluster id → explanation and likely cause. */
export const ReportTriageSchema = z.record(z.string(), z.object({ explanation: z.string(), likelyCause: z.string() }));

export const ReportSchema = z.object({
  run: ReportRunSchema,
  findings: z.array(ReportFindingSchema),
  /** findings grouped by likely root cause (groups of two or more; set when the run is finalized) */
  clusters: z.array(ReportClusterSchema).default([]),
  llm: ReportLlmSchema.optional(),
  /** the skipped cases with their reason (the first REPORT_MAX_CASES) */
  skipped: z.array(ReportSkippedSchema).default([]),
  /** destructive operations held back (not tested) and why */
  heldBack: z.array(ReportHeldBackSchema).default([]),
  /** findings not reported because the run's own destructive requests caused them, and why */
  suppressed: z.array(ReportSuppressedSchema).default([]),
  /** identities checked before the run (the CLI's pre-flight) */
  preflight: ReportPreflightSchema.optional(),
  /** per operation: statuses, parameters and values exercised, checks run, and why a check family could not run (absent before the run finished) */
  coverage: ReportCoverageSchema.optional(),
});

export type Report = z.infer<typeof ReportSchema>;
export type ReportFinding = z.infer<typeof ReportFindingSchema>;
export type ReportCluster = z.infer<typeof ReportClusterSchema>;
export type ReportStep = z.infer<typeof ReportStepSchema>;
export type ReportTrigger = z.infer<typeof ReportTriggerSchema>;
export type ReportCoverage = z.infer<typeof ReportCoverageSchema>;
export type ReportCoverageOperation = z.infer<typeof ReportCoverageOperationSchema>;
type ReportCoverageParameter = z.infer<typeof ReportCoverageParameterSchema>;
export type { ReportCoverageParameter };
export type ReportSkipped = z.infer<typeof ReportSkippedSchema>;
export type ReportTiming = z.infer<typeof ReportTimingSchema>;

/**
 * What every format builder takes: the report plus, when available, the per-case results
 * (JUnit needs one testcase per case; HAR needs every exchange, not only the failing ones).
 */
export interface ReportInput {
  report: Report;
  cases?: CaseResult[];
  /** operationId → method and path of every operation of the spec (labels for cases without findings) */
  operations?: Record<string, { method: string; path: string }>;
}

/** The formats served at /api/v1/runs/{id}/report.{format} and written by the CLI. */
export const REPORT_FORMATS = ["junit", "sarif", "html", "md", "har"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportPreflight = z.infer<typeof ReportPreflightSchema>;
