/** The REST API's JSON as the pages read it (only the fields they show; the API has more). */

export interface Me {
  orgId: string;
  role: string;
  userId: string | null;
  keyId: string | null;
  permissions: string[];
}

export interface Progress {
  cases: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

export interface Run {
  id: string;
  status: string;
  specId: string;
  spec: { title: string; version: string; operations: number };
  target: { id: string | null; url: string };
  seed: number;
  agents: string[] | null;
  identities: string[];
  limits: Record<string, number>;
  trigger: string;
  source: { scheduleId?: string; hookId?: string; event?: string; ref?: string; sha?: string } | null;
  stats: Record<string, number> | null;
  progress: Progress | null;
  warnings: string[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Exchange {
  stepId: string;
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body?: string; durationMs?: number };
  error?: string;
}

export interface FindingStep {
  id: string;
  identity?: string | null;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number };
  error?: string;
  /** the step whose check failed */
  finding?: boolean;
}

export interface Finding {
  id: string;
  check: string;
  severity: string;
  operation: { method: string; path: string; operationId: string };
  agent: string;
  caseId?: string;
  title: string;
  message: string;
  signature?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number };
  curl: string;
  occurrences: number;
  /** every step of a multi-step case, in order */
  steps?: FindingStep[];
  /** memory across runs, when the run was finalized with it */
  firstSeen?: string;
  seenInRuns?: number;
  similar?: { findingId: string; runId: string; title: string; score: number }[];
}

export interface CaseResult {
  caseId: string;
  agent: string;
  operationId: string;
  status: string;
  reason: string | null;
  checks: { check: string; stepId: string; status: string; message?: string }[];
  exchanges: Exchange[];
  durationMs: number;
}

export interface Spec {
  id: string;
  name: string;
  version: number;
  title: string;
  apiVersion: string;
  sourceVersion: string;
  operations: number;
  sizeBytes: number;
  warnings: { pointer: string; message: string }[];
  createdAt: number;
}

export interface SpecDetail extends Spec {
  operationList: { method: string; path: string; operationId: string; summary: string | null }[];
}

export interface Target {
  id: string;
  name: string;
  baseUrl: string;
  identities: Record<string, Record<string, string>>;
}

export interface Hook {
  id: string;
  kind: "github" | "generic";
  url: string;
  config: { specId: string; targetId?: string; targetUrl?: string; events?: string[]; branches?: string[] };
  createdAt: string;
}

export interface Schedule {
  id: string;
  cron: string;
  specId: string;
  targetId: string;
  enabled: boolean;
  nextRunAt: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
