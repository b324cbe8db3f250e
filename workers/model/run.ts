/**
 * The contract of a run: statuses, limits, stats, identities and the TestRun Durable Object's RPC.
 * Types and constants only. The gateway, the executor, the schedules and the Durable Object all
 * speak this; none of them imports another to learn it.
 */
import type { TestCase } from "./cases";
import type { FailureKind } from "./results";

export const RUN_STATUSES = ["queued", "planning", "running", "finalizing", "passed", "failed", "errored", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run in one of these never changes again. */
export const TERMINAL_STATUSES = ["passed", "failed", "errored", "cancelled"] as const satisfies readonly RunStatus[];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Limits as a caller gives them (POST /runs, hooks, schedules, the CLI); missing ones get defaults. */
export interface RunLimitsInput {
  maxCases?: number;
  timeoutMs?: number;
  concurrency?: number;
  rps?: number;
  maxResponseTimeMs?: number;
  deadlineMs?: number;
  circuitBreaker?: number;
}

export interface RunLimits {
  maxCases: number;
  /** per request */
  timeoutMs: number;
  /** requests in flight per executor invocation */
  concurrency: number;
  rps?: number;
  maxResponseTimeMs?: number;
  /** the whole run, from its start */
  deadlineMs: number;
  /** bytes of a response body read at most */
  maxBodyBytes: number;
  /** connection failures or timeouts in a row that open the target's circuit (0: never); see orchestrator/circuit.ts */
  circuitBreaker: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxCases: 5000,
  timeoutMs: 10_000,
  concurrency: 6,
  deadlineMs: 30 * 60_000,
  maxBodyBytes: 1024 * 1024,
  circuitBreaker: 5,
};

/** [min, max] of every limit a caller may set; the API refuses numbers outside them. */
export const LIMIT_BOUNDS = {
  maxCases: [1, 20_000],
  timeoutMs: [100, 120_000],
  concurrency: [1, 6],
  rps: [0.1, 1000],
  maxResponseTimeMs: [1, 600_000],
  deadlineMs: [1000, 24 * 3_600_000],
  circuitBreaker: [0, 1000],
} as const;

export interface CaseCounts {
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

/** Final figures of a run (runs.stats): cases = passed + failed + errored + skipped. */
export interface RunStats extends CaseCounts {
  requests: number;
  findings: number;
}

/** Headers per identity name: `{ alice: { Authorization: "Bearer …" } }`. Secret: never stored in clear. */
export type Identities = Record<string, Record<string, string>>;

/**
 * How to obtain users when no identity is given (sentinel.yaml `auth:`, POST /runs `auth`);
 * operations by operationId or "METHOD /path". Without it the run infers the spec's own signup
 * and login. `${random}` in a signup body is one run-unique value per user; a login body may name
 * `${username}`, `${email}`, `${password}`; a refresh body `${refreshToken}`.
 */
export interface AuthConfig {
  signup?: { operation: string; body?: unknown };
  /** token: a JSON pointer ("/token") or a response header name */
  login?: { operation: string; body?: unknown; token?: string };
  /** a refresh-token exchange tried before a full sign-in when a token expires; refreshToken: where the sign-in answer carries it */
  refresh?: { operation: string; body?: unknown; token?: string; refreshToken?: string };
  /** "Header-Name: prefix ${token}" — how the token is sent (default: the spec's security scheme) */
  header?: string;
  /** how many users to make (default 2, at most 5) */
  users?: number;
  /** OAuth2 client credentials, one identity per client (the CLI exchanges them at the spec's clientCredentials tokenUrl) */
  clients?: Record<string, { clientId: string; clientSecret: string; scope?: string }>;
}

/**
 * What the run decides about an identity whose request got an answer suggesting its credentials
 * stopped working (401, or a 5xx): `ok` (still works, or signed in again: `headers` are the new
 * ones of `generation`) or `dead` (it cannot be used any more, and why).
 */
export type IdentityVerdict = { state: "ok"; generation: number; headers?: Record<string, string> } | { state: "dead"; reason: string };

/** Reasons written on results the executor never produced. */
export const DEADLINE_REASON = "deadline exceeded";
export const DELIVERY_FAILED_REASON = "delivery failed";
export const CANCELLED_REASON = "run cancelled";
export const OVERSIZED_REASON = "case too large for a queue message (128 KB)";

/** A model of the AI layer: provider kind (anthropic, openai, openai-compatible, workers-ai) and name. */
export interface LlmModelChoice {
  provider: "anthropic" | "openai" | "openai-compatible" | "workers-ai";
  model: string;
  baseUrl?: string;
}

/** The LLM settings of a run (REST API `llm`, CLI `--llm…`, sentinel.yaml `llm:`). */
export interface LlmRunRequest extends LlmModelChoice {
  fallback?: LlmModelChoice[];
  budgetTokens?: number;
  budgetUsd?: number;
  prices?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
  apiKeys?: Partial<Record<LlmModelChoice["provider"], string>>;
  maxCases?: number;
}

/** An operation the run did not test by default (destructive), and why: "destructive: operationId says reset". */
export interface HeldBackOperation {
  operationId: string;
  method: string;
  path: string;
  reason: string;
}

/**
 * A finding not reported because its evidence came after Sentinel's own destructive request in
 * the same run and did not reproduce once that request had taken effect (runs/own-writes.ts).
 */
export interface SuppressedFinding {
  findingId: string;
  check: string;
  operation: { method: string; path: string; operationId: string };
  title: string;
  /** the cases whose failure it was */
  caseIds: string[];
  reason: string;
}

/** What starting a run hands to its TestRun. */
export interface RunInit {
  runId: string;
  orgId: string;
  specId: string;
  /** R2 key of the ApiModel JSON */
  modelKey: string;
  baseUrl: string;
  identities: Identities;
  /** OAuth scopes granted per given identity (not secret): BFLA probes by scope */
  identityScopes?: Record<string, string[]>;
  /** roles the user declared per identity (not secret): identities of one role are peers for BFLA */
  identityRoles?: Record<string, string>;
  agents?: string[];
  seed: number;
  limits: RunLimits;
  notify?: string[];
  /** the AI layer's settings (keys inside: encrypted by the TestRun, never stored in clear) */
  llm?: LlmRunRequest;
  /**
   * Cases planned elsewhere (a replay of an earlier run's cases, a plan made by the CLI): when
   * present the planner is skipped. The REST API never sets it; it always plans with planRun.
   */
  plannedCases?: TestCase[];
  /** operation filters (operationId, METHOD, "METHOD /glob", /glob, tag:name); exclude wins */
  include?: string[];
  exclude?: string[];
  /** run destructive operations (reset, purge, DELETE on a collection …): alone, after every other case */
  allowDestructive?: boolean;
  /** false: no burst of failed sign-ins looking for a rate limit (auth_rate_limit) */
  authBurst?: boolean;
  /** with no identity: the declared way to obtain users (default: the spec's signup/login, inferred) */
  auth?: AuthConfig;
}

/** What the TestRun hands out to run a task; `active: false` means: do not run, the run is over. */
export interface RunContext {
  active: boolean;
  status: RunStatus;
  runId: string;
  orgId: string;
  specId: string;
  modelKey: string;
  baseUrl: string;
  identities: Identities;
  defaultIdentity?: string;
  limits: RunLimits;
  /** the target's circuit as the run knows it now (orchestrator/circuit.ts) */
  circuit: CircuitView;
  /** per identity: how many times it was signed in again (its headers above are of this generation) */
  generations?: Record<string, number>;
  /** identities that stopped working during the run, and why: their cases are not run */
  dead?: Record<string, string>;
  /** when the run's deadline passes (epoch ms): the executor aborts its requests in flight then */
  deadlineAt?: number;
}

/**
 * The target's circuit, run-wide: closed (cases go), open (N connection failures in a row; cases
 * wait while the run probes the target), tripped (the probes found it dead; the run ends).
 */
export type CircuitState = "closed" | "open" | "tripped";

export interface CircuitFailure {
  kind: FailureKind;
  /** the executor's error text, e.g. "timeout: no response within 10000 ms" */
  message: string;
}

/** What executors see of the circuit. */
export interface CircuitView {
  state: CircuitState;
  /** connection failures in a row */
  failures: number;
  /** how many times it opened in this run (outages noticed) */
  opened: number;
  /** once tripped: why the run stopped ("target unreachable: …") */
  reason?: string;
}

/** What an executor tells the run after a case: a request got no answer at all, or an answer came after failures. */
export type TargetReport = { failure: CircuitFailure } | { ok: true };

/** What the executor reports for one task (a queue message of cases). */
export interface TaskSummary {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  requests: number;
}

export interface RunProgress {
  id: string;
  status: RunStatus;
  /** cases planned (known once planning is over) */
  cases: number;
  /** cases reported back by the executor (or settled by deadline / cancel) */
  done: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  tasks: { total: number; sent: number; done: number };
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  deadlineAt: number;
  error: string | null;
  warnings: string[];
  stats: RunStats | null;
}

/**
 * A queue message from the TestRun to the executor: one task, several cases of one run (a
 * stateful chain is one case). Its packing and validation: runs/task-messages.ts.
 */
export interface TaskMessage {
  v: 1;
  runId: string;
  taskId: string;
  cases: TestCase[];
}

/** The TestRun Durable Object's RPC, as its callers (gateway, runs, executor) see it. */
export interface TestRunRpc {
  /** Idempotent: a second start of the same run returns its progress and changes nothing. */
  start(init: RunInit): Promise<RunProgress>;
  getProgress(): Promise<RunProgress | null>;
  /** Stops sending, settles every case not yet reported as skipped, ends the run as cancelled. */
  cancel(): Promise<RunProgress | null>;
  getRunContext(): Promise<RunContext | null>;
  /** Tasks ended, with their summaries. Idempotent: the first report of a task counts, later ones are ignored. */
  tasksDone(reports: { taskId: string; summary: TaskSummary }[]): Promise<{ accepted: boolean[] }>;
  /** Connection failures and recoveries of the target; answers the circuit as it is now. */
  reportTarget(report: TargetReport): Promise<CircuitView>;
  /**
   * An executor takes its tasks' leases before running them (one answer per task, in order);
   * `go: false`: drop that delivery (done, or a live executor has it). `fresh`: the task's first
   * delivery, never leased before, so no case of it can have a result yet (the executor skips
   * looking for them).
   */
  tasksStarted(taskIds: string[], lease: string): Promise<{ go: boolean; fresh?: boolean }[]>;
  /**
   * The executor holding `lease` still works on these tasks (runs/watchdog.ts). `active: false`:
   * the run is over (cancelled, past its deadline, its target dead) and settles their cases
   * itself: the executor aborts its requests in flight and reports nothing more.
   */
  taskBeat(taskIds: string[], lease: string): Promise<{ active: boolean }>;
  circuitState(): Promise<CircuitView>;
  /**
   * A request as `name` (headers of `generation`) got `status` (401, or a 5xx) at `answeredAt`:
   * the run checks the identity (its profile operation), signs it in again if it can, or declares
   * it dead. Concurrent reports share one check; a check started after `answeredAt` answers them.
   */
  identityTrouble(name: string, generation: number, status: number, answeredAt: number): Promise<IdentityVerdict>;
}
