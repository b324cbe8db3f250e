/**
 * What an execution produces: per-step exchanges, per-check outcomes, findings.
 * Shapes follow the report contract of DESIGN.md.
 */
import type { CheckName, Severity } from "./checks";
import type { HttpMethod } from "./api";
import type { Extraction } from "./cases";

export interface SentRequest {
  method: string;
  /** absolute URL as sent */
  url: string;
  /** secrets redacted before the request leaves the executor's memory */
  headers: Record<string, string>;
  body?: string;
}

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  /** text body, truncated to a limit; `bodyTruncated` says so */
  body: string;
  bodyTruncated?: boolean;
  /** byte length actually read */
  bodySize: number;
  durationMs: number;
}

/**
 * Why a request got no response at all. `lost` is workerd's "Network connection lost." (a refused
 * and a reset connection look alike there), `unknown` its "internal error" (DNS or TLS); a probe
 * of the target tells them apart.
 */
export type FailureKind = "timeout" | "refused" | "reset" | "dns" | "tls" | "lost" | "unknown";

export interface Exchange {
  stepId: string;
  request: SentRequest;
  /**
   * set when the step's path was a URL the API handed out (a Location): the documented operation
   * that URL addresses, whose contract the answer is judged by and whose name a finding carries
   */
  operationId?: string;
  response?: ReceivedResponse;
  /** network failure, timeout, body too large: why there is no (complete) response */
  error?: string;
  /** set when no status line came back: the kind of connection failure */
  failure?: FailureKind;
  /** wall-clock time the request was sent (ISO 8601) */
  startedAt?: string;
  /** set when the request stalled: did the whole target stop answering while it was in flight? */
  liveness?: LivenessEvidence;
  /**
   * set when the answer was slower than the step's response-time budget: the same request sent
   * again, up to twice, and how long each repeat took (repeats answering another status are
   * left out: they measured other work). A slowness that does not reproduce is not reported.
   */
  retimedMs?: number[];
}

/**
 * A request still in flight after the stall threshold: a probe of the target (GET of its base
 * URL, no credentials) was sent meanwhile. `blocked`: the probe got no answer until this request
 * finished. `confirmed`: the same request, repeated with nothing else in flight, blocked it again.
 */
export interface LivenessEvidence {
  probeUrl: string;
  /** how long the probe waited, and what it got */
  probeMs: number;
  probeStatus?: number;
  probeError?: string;
  blocked: boolean;
  /** the repeat's duration and verdict (only when the first observation was blocked) */
  repeatMs?: number;
  /** how long a probe alone took just before the repeat: the repeat's probe must wait several times that */
  controlMs?: number;
  confirmed?: boolean;
  /**
   * the median answer time of the same operation in this run so far (other requests, at least
   * TYPICAL_MIN_SAMPLES of them): a stop no longer than a few of those is the operation's usual
   * cost on this host (a saturated host slows every answer), not something this input caused
   */
  typicalMs?: number;
}

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckOutcome {
  check: CheckName;
  stepId: string;
  status: CheckStatus;
  /** one line a developer understands without reading code */
  message?: string;
  severity?: Severity;
  /** groups equal failures for dedupe, e.g. the failing status class or schema path */
  signature?: string;
}

export const CASE_STATUSES = ["passed", "failed", "errored", "skipped"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseResult {
  caseId: string;
  agent: string;
  operationId: string;
  status: CaseStatus;
  /** set when errored or skipped */
  reason?: string;
  exchanges: Exchange[];
  checks: CheckOutcome[];
  durationMs: number;
}

/**
 * One step of the chain a finding came from (stateful, BOLA, idempotency, auth probes with a
 * baseline): what was sent and received, already redacted, in order.
 */
export interface FindingStep {
  id: string;
  /** identity the step ran as (null: no credentials) */
  identity?: string | null;
  request: SentRequest;
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number };
  error?: string;
  /** variables this step's response provided to later steps */
  extract?: Record<string, Extraction>;
  /** variables this step's request used, with the value they had (from earlier redacted responses) */
  uses?: Record<string, string>;
  /** variable → its path segment in the request URL, counted from the end (1 = last segment) */
  pathSegments?: Record<string, number>;
  /** the step whose check failed: the finding's request and response */
  finding?: boolean;
}

export interface Finding {
  id: string;
  check: CheckName;
  severity: Severity;
  operation: { method: HttpMethod | string; path: string; operationId: string };
  agent: string;
  caseId: string;
  title: string;
  message: string;
  signature: string;
  request: SentRequest;
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number };
  curl: string;
  /** who made the case or the oracle: absent = the deterministic agents and checks */
  source?: FindingSource;
  /** LLM oracles: the spec sentence and whether a user accepted it */
  oracle?: { id: string; sentence?: string; status: "proposed" | "accepted" };
  /** 0..1; below 1 for LLM-made oracles and cases until accepted */
  confidence?: number;
  /** memory across runs (set when the run is finalized) */
  firstSeen?: string;
  seenInRuns?: number;
  similar?: SimilarFinding[];
  /** the run's cluster of findings with the same likely root cause (set when the run is finalized) */
  cluster?: string;
  /** every step of a multi-step case, in order (absent for single-request cases) */
  steps?: FindingStep[];
  /** the case kind of the first occurrence (positive, negative, stateful, security, …) */
  kind?: string;
  /**
   * The distinct ways this finding was triggered (per parameter, per agent and case kind), the
   * first occurrence first, each with a curl: three parameters causing the same 500 are three
   * triggers of one finding, not one example hiding two.
   */
  triggers?: FindingTrigger[];
}

/** One distinct trigger of a finding. */
export interface FindingTrigger {
  /** what makes it distinct: agent, case kind and the varied parameter (or the case's tags) */
  key: string;
  agent: string;
  kind: string;
  caseId: string;
  /** the case title */
  title: string;
  /** the part of the request the case varied, when known ("query inStock", "body /quantity") */
  parameter?: string;
  /** status of the failing response (absent when none came) */
  status?: number;
  /** the failing request (its body cut at a few KB: `bodyCut` says so) */
  curl: string;
  bodyCut?: boolean;
  /** a chain's steps: "delete: DELETE /items/7 → 204" */
  chain?: string[];
  /** how many failing cases had this trigger */
  count: number;
}

export type FindingSource = "deterministic" | "llm" | "inferred";

/** A finding of an earlier run (same org) that looks like this one, by embedding similarity. */
export interface SimilarFinding {
  findingId: string;
  runId: string;
  title: string;
  score: number;
}
