/**
 * Load tests: start one (POST /load-tests), list and read them, follow one live (Server-Sent
 * Events), and its report as JSON, HTML or JUnit. Scoped by the caller's org; testers start,
 * viewers read. The work happens in workers/runs/load-tests.ts and the LoadGenerator objects.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { LOAD_PROFILES } from "../../load/plan";
import type { LoadProfile } from "../../load/types";
import { renderLoadHtml, renderLoadJunit } from "../../reports/load-report";
import { HTML_CSP } from "../../reports";
import { finalizeLoadTest, loadLinks, loadProgress, loadTestReport, startLoadTest, TERMINAL_LOAD } from "../../runs/load-tests";
import { decodeCreatedCursor } from "../../storage/db";
import { getLoadTest, listLoadTests, type LoadTestRow } from "../../storage/load-tests-repo";
import { LOAD_STATUSES } from "../../storage/schema";
import type { AppEnv } from "../context";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const Headers = z.record(z.string().min(1).max(256).regex(HEADER_NAME, "not a valid header name"), z.string().max(8192));

/** What a load test does, apart from spec and target (shared with load schedules). */
export const LoadOptions = z
  .strictObject({
    operations: z.array(z.string().min(1).max(300)).max(20).optional().openapi({ description: '"GET /items" or operationIds; default: the read operations the planner picks', example: ["GET /items"] }),
    profile: z.enum(LOAD_PROFILES as [LoadProfile, ...LoadProfile[]]).optional().openapi({ description: "load (default), stress (reports the breaking point), spike (measures recovery), soak" }),
    rate: z.number().min(0.1).max(20_000).optional().openapi({ description: "arrivals per second, the total over all regions (default 10)" }),
    duration: z.number().min(1).max(6 * 3600).optional().openapi({ description: "seconds (default 30; soak 600)" }),
    ramp: z.number().min(0).max(3600).optional().openapi({ description: "seconds of linear ramp from 0 at the start (part of the duration)" }),
    regions: z.array(z.string().min(2).max(20)).min(1).max(9).optional().openapi({ description: "locationHints (wnam, enam, sam, weur, eeur, apac, oc, afr, me), optionally weighted as weur:70", example: ["wnam", "weur"] }),
    maxInFlight: z.number().int().min(1).max(64).optional().openapi({ description: "requests in flight per generator (default and edge maximum 6)" }),
    thresholds: z.array(z.string().min(1).max(200)).max(50).optional().openapi({ example: ["p(95)<300", "http_req_failed<0.01", "weur:p(99)<500"] }),
    abortOnFail: z.boolean().optional(),
    allowWrites: z.boolean().optional().openapi({ description: "load POST/PUT/PATCH/DELETE operations too (default false)" }),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
    distressRatio: z.number().min(0).max(1).optional().openapi({ description: "5xx + 429 share of a window that stops the test (default 0.5)" }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    stress: z.strictObject({ p95Ms: z.number().positive().optional(), errorRate: z.number().min(0).max(1).optional() }).optional().openapi({ description: "stress: where it breaks (default p95 1000 ms, errors 5%)" }),
  })
  .openapi("LoadOptions");

const CreateLoadTest = LoadOptions.extend({
  spec: z.union([
    z.strictObject({ id: z.string().min(1).max(100) }),
    z.strictObject({ inline: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).openapi({ description: "the OpenAPI/Swagger document (text or object)" }) }),
  ]),
  target: z.union([
    z.strictObject({ id: z.string().min(1).max(100) }),
    z.strictObject({ url: z.string().min(1).max(2048), identities: z.record(z.string().min(1).max(64), Headers).optional() }),
  ]),
  headers: Headers.optional().openapi({ description: "sent with every request" }),
  notify: z.array(z.url().max(2048)).max(10).optional().openapi({ description: "URLs that get a signed load.finished POST when the test does not pass (threshold breached, or stopped)" }),
}).openapi("CreateLoadTest");

const Links = z.object({ self: z.string(), events: z.string(), report: z.string() });
const Created = z.object({ id: z.string(), status: z.enum(LOAD_STATUSES), links: Links }).openapi("CreatedLoadTest");

const Latency = z.object({ min: z.number(), mean: z.number(), p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), p999: z.number(), max: z.number() });
const Figures = z
  .object({
    region: z.string(),
    colo: z.string(),
    requests: z.number().int(),
    errors: z.object({ byStatus: z.record(z.string(), z.number()), byKind: z.record(z.string(), z.number()) }),
    rps: z.number(),
    late: z.number().int(),
    dropped: z.number().int(),
    latency: Latency,
    latencyUncorrected: Latency,
    generatorLimited: z.boolean(),
  })
  .openapi("LoadFigures");
const ThresholdResult = z.object({ expression: z.string(), region: z.string().optional(), value: z.number(), ok: z.boolean() });

const LoadTestView = z
  .object({
    id: z.string(),
    status: z.enum(LOAD_STATUSES),
    specId: z.string(),
    target: z.string(),
    profile: z.string(),
    rate: z.number(),
    duration: z.number(),
    regions: z.array(z.string()),
    operations: z.array(z.string()),
    skipped: z.array(z.object({ operation: z.string(), reason: z.string() })),
    thresholds: z.array(z.string()),
    summary: z.object({ overall: Figures, thresholds: z.array(ThresholdResult) }).nullable(),
    abortReason: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    links: Links,
  })
  .openapi("LoadTest");

const LoadReportSchema = z
  .object({
    load: z.looseObject({
      id: z.string(),
      status: z.enum(LOAD_STATUSES),
      asked: z.object({ rate: z.number(), duration: z.number(), regions: z.array(z.string()) }),
      regions: z.array(Figures),
      overall: Figures,
      windows: z.array(z.object({ t: z.number(), region: z.string(), requests: z.number(), errors: z.number(), rps: z.number(), p50: z.number(), p95: z.number(), p99: z.number() })),
      thresholds: z.array(ThresholdResult),
      histogram: z.string().openapi({ description: "HDR histogram (V2 compressed, base64) of the overall corrected latency, in microseconds" }),
    }),
  })
  .openapi("LoadReport");

const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional() });
const LoadId = IdParam("Load test", "load_3fK9aZ0q1Lm2Np7R");

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(row: LoadTestRow): z.infer<typeof LoadTestView> {
  const c = row.config;
  return {
    id: row.id,
    status: row.status,
    specId: row.specId,
    target: row.targetUrl,
    profile: c.profile,
    rate: c.rate,
    duration: c.durationMs / 1000,
    regions: c.regions.map((r) => (r.weight !== undefined ? `${r.region}:${r.weight}` : r.region)),
    operations: c.operations,
    skipped: c.skipped,
    thresholds: c.thresholds,
    summary: row.summary,
    abortReason: row.abortReason,
    error: row.error,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    links: loadLinks(row.id),
  };
}

async function requireLoadTest(env: Env, orgId: string, id: string): Promise<LoadTestRow> {
  let row = await getLoadTest(env.DB, orgId, id);
  if (!row) throw new ProblemError("not-found", `Load test ${id} not found`);
  // every generator done but not settled (a crash between the two): settle now
  if (!TERMINAL_LOAD.includes(row.status) && row.startedAt !== null) {
    await finalizeLoadTest(env, id);
    row = (await getLoadTest(env.DB, orgId, id)) ?? row;
  }
  return row;
}

const route = <P extends string>(method: "get" | "post", path: P, summary: string, permission: "runs:read" | "runs:create") => ({
  method,
  path,
  tags: ["load-tests"],
  summary,
  security: SECURED,
  middleware: [requirePermission(permission)],
});

const createRouteDef = createRoute({
  ...route("post", "/load-tests", "Start a load test: open-model arrivals from one or more regions, thresholds judged on merged histograms", "runs:create"),
  request: { body: { required: true, content: { "application/json": { schema: CreateLoadTest } } } },
  responses: { 202: jsonContent(Created, "Started; follow links.events or poll links.self"), ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429) },
});
const listRouteDef = createRoute({
  ...route("get", "/load-tests", "Load tests of your organization, newest first", "runs:read"),
  request: { query: PageQuery },
  responses: { 200: jsonContent(z.object({ items: z.array(LoadTestView), nextCursor: z.string().nullable() }).openapi("LoadTestList"), "A page of load tests"), ...problemResponses(400, 401, 403, 429) },
});
const getRouteDef = createRoute({
  ...route("get", "/load-tests/{id}", "A load test with its summary once finished", "runs:read"),
  request: { params: LoadId },
  responses: { 200: jsonContent(LoadTestView, "The load test"), ...problemResponses(401, 403, 404, 429) },
});
const eventsRouteDef = createRoute({
  ...route("get", "/load-tests/{id}/events", "Live progress as Server-Sent Events (`progress` each second: elapsed, rps, p95, errors per region; then one `end`)", "runs:read"),
  request: { params: LoadId },
  responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } }, ...problemResponses(401, 403, 404, 429) },
});
const reportRouteDef = createRoute({
  ...route("get", "/load-tests/{id}/report", "The load report (JSON): per region, overall, windows, thresholds, HDR histogram", "runs:read"),
  request: { params: LoadId },
  responses: { 200: jsonContent(LoadReportSchema, "The report (live while the test runs)"), ...problemResponses(401, 403, 404, 429) },
});
const htmlRouteDef = createRoute({
  ...route("get", "/load-tests/{id}/report.html", "Self-contained HTML load report (inline SVG charts, no script)", "runs:read"),
  request: { params: LoadId },
  responses: { 200: { description: "HTML report", content: { "text/html": { schema: z.string() } } }, ...problemResponses(401, 403, 404, 429) },
});
const junitRouteDef = createRoute({
  ...route("get", "/load-tests/{id}/report.junit", "JUnit XML: each threshold a testcase", "runs:read"),
  request: { params: LoadId },
  responses: { 200: { description: "JUnit XML", content: { "application/xml": { schema: z.string() } } }, ...problemResponses(401, 403, 404, 429) },
});

const EVENTS_MAX_MS = 6 * 3600_000;

export const loadTestsRoutes = createRouter()
  .openapi(createRouteDef, async (c) => {
    const auth = c.get("auth");
    const body = c.req.valid("json");
    const started = await startLoadTest(c.env, { orgId: auth.orgId, userId: auth.userId }, body);
    c.header("Location", started.links.self);
    return c.json(started, 202);
  })
  .openapi(listRouteDef, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const decoded = cursor ? decodeCreatedCursor(cursor) : undefined;
    if (cursor && !decoded) throw new ProblemError("validation-error", "cursor is not valid");
    const page = await listLoadTests(c.env.DB, c.get("auth").orgId, { limit, cursor: decoded });
    return c.json({ items: page.items.map(view), nextCursor: page.nextCursor }, 200);
  })
  .openapi(getRouteDef, async (c) => c.json(view(await requireLoadTest(c.env, c.get("auth").orgId, c.req.valid("param").id)), 200))
  .openapi(reportRouteDef, async (c) => {
    const row = await requireLoadTest(c.env, c.get("auth").orgId, c.req.valid("param").id);
    return c.json((await loadTestReport(c.env, row)) as never, 200);
  })
  .openapi(htmlRouteDef, (async (c: Context<AppEnv>) => {
    const row = await requireLoadTest(c.env, c.get("auth").orgId, c.req.param("id") ?? "");
    return new Response(renderLoadHtml(await loadTestReport(c.env, row)), {
      headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": HTML_CSP, "x-content-type-options": "nosniff" },
    });
  }) as never)
  .openapi(junitRouteDef, (async (c: Context<AppEnv>) => {
    const row = await requireLoadTest(c.env, c.get("auth").orgId, c.req.param("id") ?? "");
    return new Response(renderLoadJunit(await loadTestReport(c.env, row)), { headers: { "content-type": "application/xml; charset=utf-8" } });
  }) as never)
  .openapi(eventsRouteDef, (async (c: Context<AppEnv>) => {
    const orgId = c.get("auth").orgId;
    const id = c.req.param("id") ?? "";
    await requireLoadTest(c.env, orgId, id);
    return streamSSE(c, async (stream) => {
      const started = Date.now();
      let seq = 0;
      let last = "";
      while (!stream.aborted && Date.now() - started < EVENTS_MAX_MS) {
        const row = await requireLoadTest(c.env, orgId, id);
        const data = JSON.stringify(await loadProgress(c.env, row));
        if (data !== last) {
          await stream.writeSSE({ event: "progress", data, id: String(++seq) });
          last = data;
        } else {
          await stream.write(": keep-alive\n\n");
        }
        if (TERMINAL_LOAD.includes(row.status)) {
          await stream.writeSSE({ event: "end", data, id: String(++seq) });
          return;
        }
        await stream.sleep(1000);
      }
    });
  }) as never);
