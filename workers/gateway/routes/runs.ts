/**
 * Runs: start one (POST /runs), list and read them, their results and findings, follow a run live
 * (GET /runs/{id}/events, Server-Sent Events) and cancel it. Scoped by the caller's org; viewers
 * read, testers start and cancel. The report (GET /runs/{id}/report) lives in routes/reports.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { LlmRunRequestSchema } from "../../ai/config";
import { AGENT_NAMES, CASE_STATUSES, CHECK_NAMES, LIMIT_BOUNDS, RUN_STATUSES, type RunProgress } from "../../model";
import { isTerminal } from "../../runs/lifecycle";
import { runLinks as links, startRun, type RunSource } from "../../runs/start-run";
import { runStub } from "../../runs/stub";
import { log } from "../../shared/log";
import { decodeCreatedCursor } from "../../storage/db";
import { listFindings } from "../../storage/findings-repo";
import { listResults, type ResultRow } from "../../storage/results-repo";
import { getRun, listRuns, type RunConfig, type RunRow } from "../../storage/runs-repo";
import type { AppEnv } from "../context";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";

// ------------------------------------------------------------------ schemas

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const IdentitiesSchema = z
  .record(z.string().min(1).max(64), z.record(z.string().min(1).max(256).regex(HEADER_NAME, "not a valid header name"), z.string().max(8192)))
  .refine((ids) => Object.keys(ids).length <= 10, "at most 10 identities")
  .openapi({ description: "identity name → headers sent as that identity (e.g. Authorization); stored encrypted, never shown again" });

const IdentityScopesSchema = z
  .record(z.string().min(1).max(64), z.array(z.string().min(1).max(200)).max(50))
  .refine((ids) => Object.keys(ids).length <= 10, "at most 10 identities")
  .openapi({ description: "identity name → the OAuth scopes it was granted (a token answer's scope): BFLA also calls each operation as an identity lacking its scopes" });

const IdentityRolesSchema = z
  .record(z.string().min(1).max(64), z.string().min(1).max(200))
  .refine((ids) => Object.keys(ids).length <= 10, "at most 10 identities")
  .openapi({ description: "identity name → its role (e.g. owner, respondent): identities of the first one's role are its peers, BFLA calls privileged operations only as an identity of another role; without it, roles are read from each identity's profile when it names one" });

const bounded = (key: keyof typeof LIMIT_BOUNDS, int = true) => {
  const [min, max] = LIMIT_BOUNDS[key];
  return (int ? z.number().int() : z.number()).min(min).max(max).optional();
};

const LimitsSchema = z
  .strictObject({
    maxCases: bounded("maxCases"),
    timeoutMs: bounded("timeoutMs").openapi({ description: "per request (default 10000)" }),
    concurrency: bounded("concurrency").openapi({ description: "requests in flight (default and maximum 6)" }),
    rps: bounded("rps", false).openapi({ description: "requests per second ceiling per executor" }),
    maxResponseTimeMs: bounded("maxResponseTimeMs").openapi({ description: "slower responses fail max_response_time" }),
    deadlineMs: bounded("deadlineMs").openapi({ description: "the whole run (default 30 min); what has not come back then is errored" }),
    circuitBreaker: bounded("circuitBreaker").openapi({
      description: "connection failures or timeouts in a row that open the target's circuit (default 5; 0 = never); when the probes that follow find the target dead, the remaining cases are skipped and the run ends errored (target unreachable)",
    }),
  })
  .openapi("RunLimits");

const OperationFilters = z.array(z.string().trim().min(1).max(300)).min(1).max(100);

const AuthOperation = z.string().trim().min(1).max(300).openapi({ description: 'operationId or "METHOD /path"' });
const AuthSchema = z
  .strictObject({
    signup: z.strictObject({ operation: AuthOperation, body: z.unknown().optional() }).optional(),
    login: z.strictObject({ operation: AuthOperation, body: z.unknown().optional(), token: z.string().min(1).max(300).optional() }).optional(),
    refresh: z
      .strictObject({ operation: AuthOperation, body: z.unknown().optional(), token: z.string().min(1).max(300).optional(), refreshToken: z.string().min(1).max(300).optional() })
      .optional(),
    header: z.string().min(1).max(300).regex(/\$\{token\}/, "must contain ${token}").optional(),
    users: z.number().int().min(1).max(5).optional(),
  })
  .refine((a) => a.signup !== undefined || a.login !== undefined, "needs signup, login or both")
  .openapi("RunAuth", {
    description:
      "With no identity: how the run obtains users (sentinel.yaml auth:). ${random} in a signup body is one run-unique value per user; a login body may name ${username}, ${email}, ${password}; a refresh body ${refreshToken}. Without it the run infers the spec's own signup and login. Stored encrypted, never shown again",
  });

const CreateRunBody = z
  .strictObject({
    spec: z.union([
      z.strictObject({ id: z.string().min(1).max(100) }),
      z.strictObject({
        inline: z
          .union([z.string().min(1), z.record(z.string(), z.unknown())])
          .openapi({ description: "the OpenAPI/Swagger document, as text (JSON or YAML) or as a JSON object" }),
      }),
    ]),
    target: z.union([
      z.strictObject({ id: z.string().min(1).max(100) }),
      z.strictObject({ url: z.string().min(1).max(2048), identities: IdentitiesSchema.optional(), identityScopes: IdentityScopesSchema.optional(), identityRoles: IdentityRolesSchema.optional() }),
    ]),
    agents: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
      .min(1)
      .max(32)
      .optional()
      .openapi({ example: [...AGENT_NAMES.slice(0, 2)] }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    include: OperationFilters.optional().openapi({
      description: "test only the operations matching one of these: operationId, METHOD, \"METHOD /path/glob*\", /path/glob*, tag:name",
      example: ["tag:pets", "GET /users/*"],
    }),
    exclude: OperationFilters.optional().openapi({ description: "skip the operations matching one of these (same forms as include; exclude wins)" }),
    allowDestructive: z.boolean().optional().openapi({
      description: "also test destructive operations (reset, seed, purge, DELETE on a collection, x-sentinel-destructive: true); their cases run alone, after every other case. Default false: they are held back and the report says why",
    }),
    authBurst: z.boolean().optional().openapi({
      description: "the burst of 40 failed sign-ins (run last, alone) that looks for a missing rate limit on the login (auth_rate_limit). Default true; false leaves it out",
    }),
    limits: LimitsSchema.optional(),
    auth: AuthSchema.optional(),
    notify: z.array(z.string().url().max(2048)).max(10).optional().openapi({ description: "URLs that receive a POST when the run ends" }),
    llm: LlmRunRequestSchema.optional().openapi({
      description:
        "The AI layer: a model (provider anthropic | openai | openai-compatible | workers-ai), fallbacks, a budget in tokens and/or USD; apiKeys are write-only (encrypted by the run, never stored in clear or returned)",
    }),
  })
  .openapi("CreateRun");

const Links = z.object({ self: z.string(), events: z.string(), results: z.string(), findings: z.string(), report: z.string() });

const CreatedRun = z.object({ id: z.string(), status: z.enum(RUN_STATUSES), links: Links }).openapi("CreatedRun");

const Progress = z
  .object({
    cases: z.number().int(),
    done: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    errored: z.number().int(),
    skipped: z.number().int(),
  })
  .openapi("RunProgress");

const RunView = z
  .object({
    id: z.string(),
    status: z.enum(RUN_STATUSES),
    specId: z.string(),
    spec: z.object({ title: z.string(), version: z.string(), operations: z.number().int() }),
    target: z.object({ id: z.string().nullable(), url: z.string() }),
    seed: z.number().int(),
    agents: z.array(z.string()).nullable(),
    identities: z.array(z.string()),
    limits: z.record(z.string(), z.number()),
    notify: z.array(z.string()),
    trigger: z.string().openapi({ description: "api, github:push, github:pull_request, github:deployment_status, generic or schedule" }),
    source: z
      .object({
        hookId: z.string().optional(),
        deliveryId: z.string().optional(),
        event: z.string().optional(),
        ref: z.string().optional(),
        sha: z.string().optional(),
        scheduleId: z.string().optional(),
        slot: z.number().int().optional().openapi({ description: "minutes since the epoch of the schedule's due minute" }),
      })
      .nullable()
      .openapi({ description: "what started the run when a hook or schedule did (null for API runs)" }),
    stats: z.record(z.string(), z.number()).nullable(),
    progress: Progress.nullable(),
    warnings: z.array(z.string()),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    links: Links,
  })
  .openapi("Run");

const RunList = z.object({ items: z.array(RunView), nextCursor: z.string().nullable() }).openapi("RunList");

const ResultView = z
  .looseObject({
    caseId: z.string(),
    agent: z.string(),
    operationId: z.string(),
    status: z.enum(CASE_STATUSES),
    reason: z.string().nullable(),
    checks: z.array(z.object({ check: z.string(), stepId: z.string(), status: z.string(), message: z.string().optional() })),
    exchanges: z.array(z.object({ stepId: z.string(), error: z.string().optional() })).openapi({ description: "Exchange objects: request, response (bodies cut at 8 KB), error" }),
    bodiesTruncated: z.boolean(),
    durationMs: z.number(),
  })
  .openapi("CaseResult");

const ResultList = z.object({ items: z.array(ResultView), nextCursor: z.string().nullable() }).openapi("ResultList");

const FindingView = z
  .looseObject({
    id: z.string(),
    check: z.string(),
    severity: z.string(),
    operation: z.object({ method: z.string(), path: z.string(), operationId: z.string() }),
    title: z.string(),
    occurrences: z.number().int(),
    curl: z.string(),
  })
  .openapi("Finding");

const FindingList = z.object({ items: z.array(FindingView) }).openapi("FindingList");

const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const ResultsQuery = PageQuery.extend({
  status: z.enum(CASE_STATUSES).optional(),
  check: z.enum(CHECK_NAMES).optional().openapi({ description: "results in which this check was applied" }),
  operation: z.string().max(200).optional().openapi({ description: "operationId" }),
});

const RunIdParam = IdParam("run", "run_3fK9aZ0q1Lm2Np7R");

// ------------------------------------------------------------------ helpers

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function progressView(p: RunProgress | null) {
  return p ? { cases: p.cases, done: p.done, passed: p.passed, failed: p.failed, errored: p.errored, skipped: p.skipped } : null;
}

function runView(row: RunRow, live: RunProgress | null = null): z.infer<typeof RunView> {
  const config = row.config as RunConfig;
  // the row lags the Durable Object while a run is live; once terminal the row is the truth
  const status = !isTerminal(row.status) && live ? live.status : row.status;
  return {
    id: row.id,
    status,
    specId: row.specId,
    spec: config.spec,
    target: { id: row.targetId, url: row.targetUrl },
    seed: row.seed,
    agents: config.agents ?? null,
    identities: config.identities,
    limits: { ...config.limits },
    notify: config.notify,
    trigger: row.trigger,
    source: (config as RunConfig & { source?: RunSource }).source ?? null,
    stats: (row.stats as Record<string, number> | null) ?? null,
    progress: progressView(live),
    warnings: live?.warnings ?? [],
    error: row.error ?? live?.error ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt ?? live?.startedAt ?? null),
    finishedAt: iso(row.finishedAt),
    links: links(row.id),
  };
}

function resultView(row: ResultRow): z.infer<typeof ResultView> {
  const { bodiesKey, createdAt: _createdAt, ...rest } = row;
  return { ...rest, bodiesTruncated: bodiesKey !== null };
}

async function requireRun(env: Env, orgId: string, runId: string): Promise<RunRow> {
  const row = await getRun(env.DB, orgId, runId);
  if (!row) throw new ProblemError("not-found", `Run ${runId} not found`);
  return row;
}

async function liveProgress(env: Env, row: RunRow): Promise<RunProgress | null> {
  try {
    return await runStub(env, row.id).getProgress();
  } catch (error) {
    log("warn", "run progress unavailable", { runId: row.id, error: String(error) });
    return null;
  }
}

// ------------------------------------------------------------------ routes

const createRun = createRoute({
  method: "post",
  path: "/runs",
  tags: ["runs"],
  summary: "Start a run: plan test cases from a spec and execute them against a target",
  security: SECURED,
  middleware: [requirePermission("runs:create")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateRunBody } } } },
  responses: {
    202: jsonContent(CreatedRun, "The run is queued; follow links.events or poll links.self"),
    ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429),
  },
});

const listRunsRoute = createRoute({
  method: "get",
  path: "/runs",
  tags: ["runs"],
  summary: "Runs of your organization, newest first",
  security: SECURED,
  middleware: [requirePermission("runs:read")] as const,
  request: { query: PageQuery },
  responses: { 200: jsonContent(RunList, "A page of runs"), ...problemResponses(400, 401, 403, 429) },
});

const getRunRoute = createRoute({
  method: "get",
  path: "/runs/{id}",
  tags: ["runs"],
  summary: "A run with its live progress",
  security: SECURED,
  middleware: [requirePermission("runs:read")] as const,
  request: { params: RunIdParam },
  responses: { 200: jsonContent(RunView, "The run"), ...problemResponses(401, 403, 404, 429) },
});

const resultsRoute = createRoute({
  method: "get",
  path: "/runs/{id}/results",
  tags: ["runs"],
  summary: "Case results of a run, by case id; bodies are cut at 8 KB",
  security: SECURED,
  middleware: [requirePermission("runs:read")] as const,
  request: { params: RunIdParam, query: ResultsQuery },
  responses: { 200: jsonContent(ResultList, "A page of results"), ...problemResponses(400, 401, 403, 404, 429) },
});

const findingsRoute = createRoute({
  method: "get",
  path: "/runs/{id}/findings",
  tags: ["runs"],
  summary: "Findings of a run, worst first",
  security: SECURED,
  middleware: [requirePermission("runs:read")] as const,
  request: { params: RunIdParam },
  responses: { 200: jsonContent(FindingList, "The findings"), ...problemResponses(401, 403, 404, 429) },
});

const eventsRoute = createRoute({
  method: "get",
  path: "/runs/{id}/events",
  tags: ["runs"],
  summary: "Live progress as Server-Sent Events (`progress` events, then one `end` event)",
  security: SECURED,
  middleware: [requirePermission("runs:read")] as const,
  request: { params: RunIdParam },
  responses: {
    200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(401, 403, 404, 429),
  },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/runs/{id}/cancel",
  tags: ["runs"],
  summary: "Cancel a run: nothing more is sent, unfinished cases are recorded as skipped",
  security: SECURED,
  middleware: [requirePermission("runs:cancel")] as const,
  request: { params: RunIdParam },
  responses: { 200: jsonContent(RunView, "The run after cancelling (a finished run is returned unchanged)"), ...problemResponses(401, 403, 404, 429) },
});

/** How long one event stream stays open; clients reconnect (EventSource does so by itself). */
const EVENTS_MAX_MS = 30 * 60_000;
const EVENTS_POLL_MS = 1000;

export const runsRoutes = createRouter()
  .openapi(createRun, async (c) => {
    const auth = c.get("auth");
    const run = await startRun(c.env, { orgId: auth.orgId, userId: auth.userId }, c.req.valid("json"));
    c.header("Location", run.links.self);
    return c.json(run, 202);
  })
  .openapi(listRunsRoute, async (c) => {
    const auth = c.get("auth");
    const { limit, cursor } = c.req.valid("query");
    const decoded = cursor ? decodeCreatedCursor(cursor) : undefined;
    if (cursor && !decoded) throw new ProblemError("validation-error", "cursor is not valid");
    const page = await listRuns(c.env.DB, auth.orgId, { limit, cursor: decoded });
    return c.json({ items: page.items.map((row) => runView(row)), nextCursor: page.nextCursor }, 200);
  })
  .openapi(getRunRoute, async (c) => {
    const auth = c.get("auth");
    const row = await requireRun(c.env, auth.orgId, c.req.valid("param").id);
    const live = isTerminal(row.status) ? null : await liveProgress(c.env, row);
    return c.json(runView(row, live), 200);
  })
  .openapi(resultsRoute, async (c) => {
    const auth = c.get("auth");
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    await requireRun(c.env, auth.orgId, id);
    const page = await listResults(c.env.DB, auth.orgId, id, query);
    return c.json({ items: page.items.map(resultView), nextCursor: page.nextCursor }, 200);
  })
  .openapi(findingsRoute, async (c) => {
    const auth = c.get("auth");
    const { id } = c.req.valid("param");
    await requireRun(c.env, auth.orgId, id);
    const rows = await listFindings(c.env.DB, auth.orgId, id);
    return c.json({ items: rows.map((row) => ({ ...row.data, occurrences: row.occurrences })) }, 200);
  })
  .openapi(cancelRoute, async (c) => {
    const auth = c.get("auth");
    const row = await requireRun(c.env, auth.orgId, c.req.valid("param").id);
    if (!isTerminal(row.status)) await runStub(c.env, row.id).cancel();
    const after = await requireRun(c.env, auth.orgId, row.id);
    return c.json(runView(after), 200);
  })
  // streamSSE returns a plain Response; the typed-response helper only knows JSON and text.
  .openapi(eventsRoute, (async (c: Context<AppEnv>) => {
    const auth = c.get("auth");
    const runId = c.req.param("id") ?? "";
    const row = await requireRun(c.env, auth.orgId, runId);
    return streamSSE(c, async (stream) => {
      const started = Date.now();
      let last = "";
      let seq = 0;
      let lastSent = 0;
      while (!stream.aborted && Date.now() - started < EVENTS_MAX_MS) {
        const progress = await liveProgress(c.env, row);
        const current = progress ?? null;
        const status = current?.status ?? (await requireRun(c.env, auth.orgId, runId)).status;
        const data = JSON.stringify({ id: runId, status, progress: progressView(current), error: current?.error ?? null, stats: current?.stats ?? null });
        if (data !== last) {
          await stream.writeSSE({ event: "progress", data, id: String(++seq) });
          last = data;
          lastSent = Date.now();
        } else if (Date.now() - lastSent > 15_000) {
          await stream.write(": keep-alive\n\n");
          lastSent = Date.now();
        }
        if (isTerminal(status)) {
          await stream.writeSSE({ event: "end", data, id: String(++seq) });
          return;
        }
        await stream.sleep(EVENTS_POLL_MS);
      }
    });
  }) as never);
