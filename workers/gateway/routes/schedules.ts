/**
 * Schedules (schedules:manage, org-scoped): a cron expression (UTC, five fields) and a run template
 * of a saved spec and target, or (kind "load") a load test's options: synthetic latency monitoring
 * whose breached thresholds notify. The Worker's cron trigger (workers/schedules/run-due-schedules.ts)
 * starts the runs; GET /schedules/{id} shows the latest slots and the runs they started.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { HookRunTemplateSchema } from "../../webhooks/hook-config";
import { nextFireAt, validateCron } from "../../schedules/cron";
import {
  createSchedule,
  deleteSchedule,
  getOrgSchedule,
  listSchedules,
  recentSlots,
  setScheduleEnabled,
  type ScheduleRow,
  type ScheduleLoadConfig,
  type ScheduleRunConfig,
  type SlotRow,
} from "../../storage/schedules-repo";
import { getSpec } from "../../storage/specs-repo";
import { getTarget } from "../../storage/targets-repo";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";
import { prepareLoadTest } from "../../runs/load-tests";
import { assertFetchAllowed, assertTargetAllowed } from "../../runs/target-policy";
import { LoadOptions } from "./load-tests";

const Cron = z
  .string()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    const problem = validateCron(value);
    if (problem) ctx.addIssue({ code: "custom", message: `not a valid cron expression: ${problem}` });
  })
  .openapi({ description: "five fields (minute hour day-of-month month day-of-week), evaluated in UTC", example: "0 6 * * 1-5" });

const CreateSchedule = z
  .strictObject({
    cron: Cron,
    specId: z.string().min(1).max(100),
    targetId: z.string().min(1).max(100),
    enabled: z.boolean().default(true),
    kind: z.enum(["run", "load"]).default("run").openapi({ description: "run: a test run (agents, limits); load: a load test with `load` (synthetic latency monitoring; notify is told when it does not pass)" }),
    load: LoadOptions.optional().openapi({ description: "kind load: the load test's options (as POST /load-tests)", example: { rate: 5, duration: 20, thresholds: ["p(95)<300"] } }),
  })
  .extend(HookRunTemplateSchema.pick({ agents: true, seed: true, limits: true, notify: true }).shape)
  .superRefine((body, ctx) => {
    if (body.kind === "load" && !body.load) ctx.addIssue({ code: "custom", path: ["load"], message: "a load schedule needs its load options (at least {})" });
    if (body.kind === "load") for (const key of ["agents", "limits"] as const) if (body[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "belongs to run schedules, not load ones" });
    if (body.kind === "run" && body.load) ctx.addIssue({ code: "custom", path: ["load"], message: 'only with kind "load"' });
  })
  .openapi("CreateSchedule");

const UpdateSchedule = z.strictObject({ enabled: z.boolean() }).openapi("UpdateSchedule");

const SlotView = z.object({
  slot: z.number().int(),
  at: z.string(),
  runId: z.string().nullable(),
  error: z.string().nullable(),
});

const ScheduleView = z
  .object({
    id: z.string(),
    cron: z.string(),
    specId: z.string(),
    targetId: z.string(),
    agents: z.array(z.string()).nullable(),
    seed: z.number().int().nullable(),
    limits: z.record(z.string(), z.number()),
    notify: z.array(z.string()),
    kind: z.enum(["run", "load"]),
    load: z.record(z.string(), z.unknown()).nullable().openapi({ description: "kind load: the load test's options" }),
    enabled: z.boolean(),
    nextRunAt: z.string().nullable().openapi({ description: "the next minute it fires (when enabled)" }),
    createdAt: z.string(),
  })
  .openapi("Schedule");

const ScheduleDetail = ScheduleView.extend({
  recent: z.array(SlotView).openapi({ description: "the latest due minutes, newest first, with the run each started or why none" }),
}).openapi("ScheduleDetail");

const ScheduleList = z.object({ items: z.array(ScheduleView) }).openapi("ScheduleList");

function scheduleView(row: ScheduleRow, now = Date.now()): z.infer<typeof ScheduleView> {
  const config = row.config as ScheduleRunConfig;
  const next = row.enabled ? nextFireAt(row.cron, now) : null;
  return {
    id: row.id,
    cron: row.cron,
    specId: row.specId,
    targetId: row.targetId,
    agents: config.agents ?? null,
    seed: config.seed ?? null,
    limits: { ...(config.limits ?? {}) } as Record<string, number>,
    notify: config.notify ?? [],
    kind: config.kind ?? "run",
    load: config.load ? { ...config.load } : null,
    enabled: row.enabled,
    nextRunAt: next === null ? null : new Date(next).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function slotView(row: SlotRow): z.infer<typeof SlotView> {
  return { slot: row.slot, at: new Date(row.slot * 60_000).toISOString(), runId: row.runId, error: row.error };
}

async function checkTemplate(env: Env, orgId: string, body: z.infer<typeof CreateSchedule>): Promise<void> {
  if (!(await getSpec(env.DB, orgId, body.specId))) throw new ProblemError("not-found", `Spec ${body.specId} not found`);
  const target = await getTarget(env.DB, orgId, body.targetId);
  if (!target) throw new ProblemError("not-found", `Target ${body.targetId} not found`);
  await assertTargetAllowed(env, orgId, target.baseUrl);
  for (const url of body.notify ?? []) assertFetchAllowed(env, url);
  // a load template is planned now (regions, thresholds, operations): a bad one fails here, not every minute
  if (body.kind === "load") await prepareLoadTest(env, { orgId, userId: null }, { ...body.load, spec: { id: body.specId }, target: { id: body.targetId } });
}

const idParam = IdParam("schedule", "sch_3fK9aZ0q1Lm2Np7R");

const create = createRoute({
  method: "post",
  path: "/schedules",
  tags: ["schedules"],
  summary: "Run a saved spec against a saved target on a cron schedule (UTC)",
  security: SECURED,
  middleware: [requirePermission("schedules:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateSchedule } } } },
  responses: { 201: jsonContent(ScheduleView, "The schedule"), ...problemResponses(400, 401, 403, 404, 415, 422, 429) },
});

const list = createRoute({
  method: "get",
  path: "/schedules",
  tags: ["schedules"],
  summary: "Schedules of your organization",
  security: SECURED,
  middleware: [requirePermission("schedules:manage")] as const,
  responses: { 200: jsonContent(ScheduleList, "The schedules"), ...problemResponses(401, 403, 429) },
});

const read = createRoute({
  method: "get",
  path: "/schedules/{id}",
  tags: ["schedules"],
  summary: "A schedule with its latest slots and runs",
  security: SECURED,
  middleware: [requirePermission("schedules:manage")] as const,
  request: { params: idParam },
  responses: { 200: jsonContent(ScheduleDetail, "The schedule"), ...problemResponses(401, 403, 404, 429) },
});

const update = createRoute({
  method: "patch",
  path: "/schedules/{id}",
  tags: ["schedules"],
  summary: "Pause or resume a schedule",
  security: SECURED,
  middleware: [requirePermission("schedules:manage")] as const,
  request: { params: idParam, body: { required: true, content: { "application/json": { schema: UpdateSchedule } } } },
  responses: { 200: jsonContent(ScheduleView, "The schedule"), ...problemResponses(400, 401, 403, 404, 415, 429) },
});

const remove = createRoute({
  method: "delete",
  path: "/schedules/{id}",
  tags: ["schedules"],
  summary: "Delete a schedule (its runs stay)",
  security: SECURED,
  middleware: [requirePermission("schedules:manage")] as const,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 429) },
});

export const schedulesRoutes = createRouter()
  .openapi(create, async (c) => {
    const { orgId } = c.get("auth");
    const body = c.req.valid("json");
    await checkTemplate(c.env, orgId, body);
    const config: ScheduleRunConfig = {
      ...(body.kind === "load" ? { kind: "load" as const, load: body.load as ScheduleLoadConfig } : {}),
      ...(body.agents ? { agents: body.agents } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      ...(body.limits ? { limits: body.limits } : {}),
      ...(body.notify ? { notify: body.notify } : {}),
    };
    const row = await createSchedule(c.env.DB, orgId, { cron: body.cron.trim(), specId: body.specId, targetId: body.targetId, config, enabled: body.enabled });
    return c.json(scheduleView(row), 201, { Location: `/api/v1/schedules/${row.id}` });
  })
  .openapi(list, async (c) => {
    const rows = await listSchedules(c.env.DB, c.get("auth").orgId);
    return c.json({ items: rows.map((row) => scheduleView(row)) }, 200);
  })
  .openapi(read, async (c) => {
    const row = await getOrgSchedule(c.env.DB, c.get("auth").orgId, c.req.valid("param").id);
    if (!row) throw new ProblemError("not-found", "No such schedule");
    const slots = await recentSlots(c.env.DB, row.id);
    return c.json({ ...scheduleView(row), recent: slots.map(slotView) }, 200);
  })
  .openapi(update, async (c) => {
    const row = await setScheduleEnabled(c.env.DB, c.get("auth").orgId, c.req.valid("param").id, c.req.valid("json").enabled);
    if (!row) throw new ProblemError("not-found", "No such schedule");
    return c.json(scheduleView(row), 200);
  })
  .openapi(remove, async (c) => {
    if (!(await deleteSchedule(c.env.DB, c.get("auth").orgId, c.req.valid("param").id))) throw new ProblemError("not-found", "No such schedule");
    return c.body(null, 204);
  });
