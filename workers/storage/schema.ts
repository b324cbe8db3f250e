/**
 * D1 schema (drizzle-orm). Migrations in migrations/ are generated from this file with
 * `npm run db:generate` (drizzle-kit) and reviewed as SQL. Every tenant row carries org_id and
 * every query filters by it.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { RunStatus } from "../model/run";

const now = sql`(unixepoch('subsec') * 1000)`;

export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** hosts (or *.suffix) the org may target; empty = any public host */
  targetAllowlist: text("target_allowlist", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  createdAt: integer("created_at").notNull().default(now),
});

export const ROLES = ["admin", "manager", "tester", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("users_email").on(t.email)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id"),
    name: text("name").notNull(),
    /** the visible start of the key, e.g. "sk_live_ab12" */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key, hex */
    hash: text("hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash), index("api_keys_org").on(t.orgId)],
);

export const specs = sqliteTable(
  "specs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    name: text("name").notNull(),
    /** 1, 2, 3 … per (org, name) */
    version: integer("version").notNull(),
    title: text("title").notNull(),
    apiVersion: text("api_version").notNull(),
    sourceVersion: text("source_version").notNull(),
    operationCount: integer("operation_count").notNull(),
    /** R2 keys of the raw document and of the operation model */
    rawKey: text("raw_key").notNull(),
    modelKey: text("model_key").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    warnings: text("warnings", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("specs_org_name_version").on(t.orgId, t.name, t.version)],
);

export const operations = sqliteTable(
  "operations",
  {
    specId: text("spec_id").notNull().references(() => specs.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    operationId: text("operation_id").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    summary: text("summary"),
  },
  (t) => [primaryKey({ columns: [t.specId, t.operationId] })],
);

export const targets = sqliteTable(
  "targets",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    /** AES-GCM ciphertext (base64) of { [identity]: { [header]: value } } */
    identitiesEnc: text("identities_enc").notNull(),
    /** identity names and header names only, for display */
    identitiesMeta: text("identities_meta", { mode: "json" }).$type<Record<string, string[]>>().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("targets_org_name").on(t.orgId, t.name)],
);


export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    specId: text("spec_id").notNull(),
    targetId: text("target_id"),
    targetUrl: text("target_url").notNull(),
    status: text("status").$type<RunStatus>().notNull(),
    seed: integer("seed").notNull(),
    /** agents, limits, identities names, maxResponseTimeMs, notification URLs … (no secrets) */
    config: text("config", { mode: "json" }).notNull(),
    stats: text("stats", { mode: "json" }),
    error: text("error"),
    trigger: text("trigger").notNull().default("api"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(now),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("runs_org_created").on(t.orgId, t.createdAt)],
);

export const results = sqliteTable(
  "results",
  {
    runId: text("run_id").notNull(),
    caseId: text("case_id").notNull(),
    orgId: text("org_id").notNull(),
    agent: text("agent").notNull(),
    operationId: text("operation_id").notNull(),
    status: text("status").notNull(),
    reason: text("reason"),
    /** CheckOutcome[] */
    checks: text("checks", { mode: "json" }).notNull(),
    /** Exchange[] with bodies truncated; whole bodies in R2 under bodiesKey */
    exchanges: text("exchanges", { mode: "json" }).notNull(),
    bodiesKey: text("bodies_key"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.runId, t.caseId] }), index("results_run_status").on(t.runId, t.status)],
);

export const findings = sqliteTable(
  "findings",
  {
    id: text("id").notNull(),
    runId: text("run_id").notNull(),
    orgId: text("org_id").notNull(),
    check: text("check").notNull(),
    severity: text("severity").notNull(),
    operationId: text("operation_id").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    signature: text("signature").notNull(),
    title: text("title").notNull(),
    /** the Finding of workers/model/results.ts as JSON */
    data: text("data", { mode: "json" }).notNull(),
    occurrences: integer("occurrences").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] }), index("findings_run_severity").on(t.runId, t.severity)],
);

export const hooks = sqliteTable("hooks", {
  id: text("id").primaryKey(),
  orgId: text("org_id").notNull().references(() => orgs.id),
  kind: text("kind").$type<"github" | "generic">().notNull(),
  /** AES-GCM ciphertext of the signing secret */
  secretEnc: text("secret_enc").notNull(),
  /** which events start runs, spec/target to use, agents … */
  config: text("config", { mode: "json" }).notNull(),
  createdAt: integer("created_at").notNull().default(now),
});

export const hookDeliveries = sqliteTable(
  "hook_deliveries",
  {
    hookId: text("hook_id").notNull(),
    deliveryId: text("delivery_id").notNull(),
    runId: text("run_id"),
    receivedAt: integer("received_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.hookId, t.deliveryId] })],
);

export const schedules = sqliteTable("schedules", {
  id: text("id").primaryKey(),
  orgId: text("org_id").notNull().references(() => orgs.id),
  targetId: text("target_id").notNull(),
  specId: text("spec_id").notNull(),
  cron: text("cron").notNull(),
  config: text("config", { mode: "json" }).notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at").notNull().default(now),
});

/** One row per (schedule, due minute): the primary key makes overlapping cron events start one run. */
export const scheduleSlots = sqliteTable(
  "schedule_slots",
  {
    scheduleId: text("schedule_id").notNull(),
    slot: integer("slot").notNull(),
    runId: text("run_id"),
    /** why no run was started for this slot (start failed, or a later slot of the same catch-up ran) */
    error: text("error"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.slot] })],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    runId: text("run_id").notNull(),
    url: text("url").notNull(),
    attempts: integer("attempts").notNull().default(0),
    status: text("status").notNull().default("pending"),
    lastError: text("last_error"),
    nextAt: integer("next_at").notNull(),
  },
  (t) => [index("notifications_due").on(t.status, t.nextAt)],
);

/** Local stand-in for Vectorize: finding embeddings searched by exact cosine similarity. */
export const embeddings = sqliteTable(
  "embeddings",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    kind: text("kind").notNull(),
    vector: text("vector", { mode: "json" }).$type<number[]>().notNull(),
    metadata: text("metadata", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("embeddings_org_kind").on(t.orgId, t.kind)],
);

export const LOAD_STATUSES = ["queued", "running", "passed", "failed", "aborted", "errored"] as const;

/** Load tests (issue 10): one row per test; its windows and regions below. Config holds no secrets. */
export const loadTests = sqliteTable(
  "load_tests",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    specId: text("spec_id").notNull(),
    targetUrl: text("target_url").notNull(),
    status: text("status").$type<(typeof LOAD_STATUSES)[number]>().notNull(),
    /** profile, rate, duration, regions, operations, thresholds, limits (no credentials) */
    config: text("config", { mode: "json" }).notNull(),
    /** overall figures and threshold results once finished */
    summary: text("summary", { mode: "json" }),
    abortReason: text("abort_reason"),
    error: text("error"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull().default(now),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("load_tests_org_created").on(t.orgId, t.createdAt)],
);

/** One generator per (test, region): the colo it really ran in and whether it is done. */
export const loadRegions = sqliteTable(
  "load_regions",
  {
    testId: text("test_id").notNull(),
    region: text("region").notNull(),
    colo: text("colo"),
    done: integer("done", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.testId, t.region] })],
);

/** Each generator's finished time windows: counts and HDR histograms (compressed base64). */
export const loadWindows = sqliteTable(
  "load_windows",
  {
    testId: text("test_id").notNull(),
    region: text("region").notNull(),
    window: integer("window").notNull(),
    colo: text("colo").notNull(),
    startMs: integer("start_ms").notNull(),
    durationMs: integer("duration_ms").notNull(),
    requests: integer("requests").notNull(),
    errors: text("errors", { mode: "json" }).notNull(),
    late: integer("late").notNull(),
    dropped: integer("dropped").notNull(),
    hdr: text("hdr").notNull(),
    hdrUncorrected: text("hdr_uncorrected").notNull(),
  },
  (t) => [primaryKey({ columns: [t.testId, t.region, t.window] })],
);

/**
 * Oracles per spec (by org and spec name, so they outlive re-uploads): LLM oracles with the spec
 * sentence they came from, and invariants inferred from observed responses. Users accept or
 * reject them; rejected ones are never checked again.
 */
export const oracles = sqliteTable(
  "oracles",
  {
    orgId: text("org_id").notNull(),
    specName: text("spec_name").notNull(),
    id: text("id").notNull(),
    operationId: text("operation_id").notNull(),
    /** "llm" | "inferred" */
    source: text("source").notNull(),
    sentence: text("sentence").notNull(),
    /** the DSL assertion (workers/ai/oracles/dsl.ts) */
    assertion: text("assertion", { mode: "json" }).notNull(),
    /** "proposed" | "accepted" | "rejected" */
    status: text("status").notNull().default("proposed"),
    observations: integer("observations"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.specName, t.id] })],
);

/**
 * What a run saw of its successful responses (workers/ai/invariants/observe.ts), kept until the
 * run's finalize infers invariants from them, then deleted. The id is a hash of the data: a
 * redelivered message or a repeated exchange is one row.
 */
export const observations = sqliteTable(
  "observations",
  {
    runId: text("run_id").notNull(),
    id: text("id").notNull(),
    orgId: text("org_id").notNull(),
    operationId: text("operation_id").notNull(),
    data: text("data", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] })],
);

/**
 * An organization's LLM provider keys, sealed with AES-GCM (workers/shared/secret-box.ts, purpose
 * "org-llm-key"): never stored or returned in clear. A run without its own key for a provider uses
 * the org's.
 */
export const orgLlmKeys = sqliteTable(
  "org_llm_keys",
  {
    orgId: text("org_id").notNull(),
    provider: text("provider").notNull(),
    sealed: text("sealed").notNull(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.provider] })],
);
