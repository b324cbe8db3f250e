/**
 * Webhooks. Management (hooks:manage, bearer auth, org-scoped): create a hook — its signing secret
 * is shown once and kept AES-GCM sealed —, list, read, delete. Delivery endpoints
 * (POST /hooks/github/{id}, /hooks/generic/{id}) carry no bearer token: they authenticate by
 * signature, record the delivery so a replay starts nothing, and start a run from the hook's
 * template through startRun.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { decideGithubEvent } from "../../webhooks/github-events";
import { HookConfigSchema, HookRunTemplateSchema, type HookConfig, type HookRunTemplate } from "../../webhooks/hook-config";
import {
  claimDelivery,
  createHook,
  deleteHook,
  findHook,
  getOrgHook,
  hookSecret,
  hookUrl,
  listHooks,
  recordDeliveryRun,
  releaseDelivery,
  type HookKind,
  type HookRow,
} from "../../storage/hooks-repo";
import { GENERIC_TOLERANCE_SECONDS, verifyGenericSignature, verifyGithubSignature } from "../../shared/signature";
import { getSpec } from "../../storage/specs-repo";
import { getTarget } from "../../storage/targets-repo";
import type { AppEnv } from "../context";
import { takeRateLimit, throwIfLimited } from "../middleware/rate-limit";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { RunError } from "../../runs/errors";
import { ProblemError } from "../problem";
import { parseRateLimit } from "../../shared/token-bucket";
import { readLimited } from "../read-limited";
import { createRouter } from "../router";
import { startRun, type RunInput, type RunSource, type StartedRun } from "../../runs/start-run";
import { assertFetchAllowed, assertTargetAllowed } from "../../runs/target-policy";
import { validationProblem } from "../validation";

/** GitHub caps payloads at 25 MB but real ones are far smaller; ours are refused above 1 MB. */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

// ------------------------------------------------------------------ schemas

const CreateHook = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("github"), config: HookConfigSchema }),
    z.strictObject({ kind: z.literal("generic"), config: HookRunTemplateSchema }),
  ])
  .openapi("CreateHook", {
    description:
      "config: the run template (specId; targetId or targetUrl; agents, seed, limits, notify). GitHub hooks also take events (push, pull_request, deployment_status) and branches.",
    example: { kind: "github", config: { specId: "spec_…", targetId: "tgt_…", events: ["push"], branches: ["main"] } },
  });

const HookView = z
  .object({
    id: z.string(),
    kind: z.enum(["github", "generic"]),
    url: z.string().openapi({ description: "the delivery URL (path; prefix it with this server's origin)" }),
    config: z.looseObject({ specId: z.string() }),
    createdAt: z.string(),
  })
  .openapi("Hook");

const CreatedHook = HookView.extend({
  secret: z.string().openapi({ description: "the signing secret; shown only in this response" }),
}).openapi("CreatedHook");

const HookList = z.object({ items: z.array(HookView) }).openapi("HookList");

const DeliveryStarted = z
  .object({ started: z.literal(true), runId: z.string(), links: z.record(z.string(), z.string()) })
  .openapi("HookDeliveryStarted");

const DeliveryNotStarted = z
  .object({
    started: z.literal(false),
    duplicate: z.boolean().openapi({ description: "true when this delivery was received before (runId is the run it started, if any)" }),
    runId: z.string().nullable(),
    reason: z.string(),
  })
  .openapi("HookDeliveryNotStarted");

const GenericOverrides = z.strictObject({
  targetUrl: z.url().max(2048).optional().openapi({ description: "test this base URL instead of the hook's target (e.g. a preview deployment)" }),
  ref: z.string().max(255).optional(),
  sha: z.string().max(64).optional(),
});

const HookIdParam = z.object({
  hookId: z.string().min(1).max(100).openapi({ param: { name: "hookId", in: "path" }, example: "hook_3fK9aZ0q1Lm2Np7R" }),
});

// ------------------------------------------------------------------ helpers

function hookView(row: HookRow): z.infer<typeof HookView> {
  return { id: row.id, kind: row.kind, url: hookUrl(row), config: row.config as HookConfig, createdAt: new Date(row.createdAt).toISOString() };
}

/** A hook must be able to start something: its spec and target exist and its URLs pass the policy. */
async function checkTemplate(env: Env, orgId: string, kind: HookKind, config: HookRunTemplate & Partial<Pick<HookConfig, "events">>): Promise<void> {
  if (!(await getSpec(env.DB, orgId, config.specId))) throw new ProblemError("not-found", `Spec ${config.specId} not found`);
  if (config.targetId && !(await getTarget(env.DB, orgId, config.targetId))) throw new ProblemError("not-found", `Target ${config.targetId} not found`);
  if (config.targetId && config.targetUrl) throw fieldProblem("config.targetUrl", "give targetId or targetUrl, not both");
  if (config.targetUrl) await assertTargetAllowed(env, orgId, config.targetUrl);
  for (const url of config.notify ?? []) assertFetchAllowed(env, url);
  // only deployment_status brings its own target URL; generic deliveries may send one
  const needsTarget = kind === "github" && (config.events ?? []).some((e) => e !== "deployment_status");
  if (needsTarget && !config.targetId && !config.targetUrl) {
    throw fieldProblem("config.targetId", "push and pull_request events need a targetId or targetUrl");
  }
}

function fieldProblem(path: string, message: string, where = "body"): ProblemError {
  const pointer = "/" + path.split(".").join("/");
  return new ProblemError("validation-error", `${where}.${path}: ${message}`, { errors: [{ in: where, path, pointer, message }] });
}

function templateTarget(template: HookRunTemplate, overrideUrl?: string): RunInput["target"] | null {
  if (overrideUrl) return { url: overrideUrl }; // a deployment's own URL: the saved target's credentials are not sent there
  if (template.targetId) return { id: template.targetId };
  if (template.targetUrl) return { url: template.targetUrl };
  return null;
}

type DeliveryCtx = Context<AppEnv>;

async function loadDeliveryHook(c: DeliveryCtx, kind: HookKind): Promise<{ hook: HookRow; raw: Uint8Array; secret: string }> {
  const hookId = c.req.param("hookId") ?? "";
  const hook = await findHook(c.env.DB, hookId);
  if (!hook || hook.kind !== kind) throw new ProblemError("not-found", `No ${kind} hook ${hookId}`);
  // deliveries have no principal: each hook gets the per-key budget of the gateway
  throwIfLimited(await takeRateLimit(c.env, `hook:${hook.id}`, parseRateLimit(c.env.SENTINEL_RATE_LIMIT)));
  const read = await readLimited(c.req.raw.body, MAX_DELIVERY_BYTES);
  if (!read.ok) throw new ProblemError("payload-too-large", `Deliveries are limited to ${MAX_DELIVERY_BYTES} bytes`, { limitBytes: MAX_DELIVERY_BYTES });
  return { hook, raw: read.bytes, secret: await hookSecret(c.env, hook) };
}

function requiredHeader(c: DeliveryCtx, name: string): string {
  const value = c.req.header(name)?.trim();
  if (!value) throw fieldProblem(name, "this header is required", "header");
  if (value.length > 200) throw fieldProblem(name, "at most 200 characters", "header");
  return value;
}

function parseJson(raw: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new ProblemError("validation-error", `${what} is not valid JSON`);
  }
}

/** GitHub sends JSON, or `payload=<json>` when the hook was set to application/x-www-form-urlencoded. */
function githubPayload(c: DeliveryCtx, raw: Uint8Array): Record<string, unknown> {
  const type = c.req.header("content-type") ?? "";
  const value = type.startsWith("application/x-www-form-urlencoded")
    ? parseJson(new TextEncoder().encode(new URLSearchParams(new TextDecoder().decode(raw)).get("payload") ?? ""), "The payload field")
    : parseJson(raw, "The body");
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ProblemError("validation-error", "The payload must be a JSON object");
  return value as Record<string, unknown>;
}

/**
 * Claims the delivery, starts the run and records it. Returns the JSON to answer with. A run that
 * cannot start releases the claim so the sender's retry may succeed; a spec or target deleted since
 * the hook was made is a conflict of the hook's state, not a missing URL.
 */
async function startFromDelivery(
  c: DeliveryCtx,
  hook: HookRow,
  keys: string[],
  input: () => RunInput | ProblemError,
  trigger: string,
  source: RunSource,
): Promise<Response> {
  const claim = await claimDelivery(c.env.DB, hook.id, keys);
  if (!claim.claimed) return c.json({ started: false as const, duplicate: true, runId: claim.runId, reason: "this delivery was already received" }, 200);
  let run: StartedRun;
  try {
    const made = input();
    if (made instanceof ProblemError) throw made;
    run = await startRun(c.env, { orgId: hook.orgId, userId: null }, made, { trigger, source });
  } catch (error) {
    await releaseDelivery(c.env.DB, hook.id, keys);
    if (error instanceof RunError && error.kind === "not-found") {
      throw new ProblemError("conflict", `The hook's template no longer resolves: ${error.message}`, { hookId: hook.id });
    }
    throw error;
  }
  await recordDeliveryRun(c.env.DB, hook.id, keys, run.id);
  return c.json({ started: true as const, runId: run.id, links: { ...run.links } }, 202);
}

function runInput(template: HookRunTemplate, target: RunInput["target"]): RunInput {
  return {
    spec: { id: template.specId },
    target,
    ...(template.agents ? { agents: template.agents } : {}),
    ...(template.seed !== undefined ? { seed: template.seed } : {}),
    ...(template.limits ? { limits: template.limits } : {}),
    ...(template.notify ? { notify: template.notify } : {}),
  };
}

// ------------------------------------------------------------------ routes

const idParam = IdParam("hook", "hook_3fK9aZ0q1Lm2Np7R");

const create = createRoute({
  method: "post",
  path: "/hooks",
  tags: ["hooks"],
  summary: "Create a webhook; the response holds its signing secret, shown only once",
  security: SECURED,
  middleware: [requirePermission("hooks:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateHook } } } },
  responses: { 201: jsonContent(CreatedHook, "The hook and its secret"), ...problemResponses(400, 401, 403, 404, 415, 422, 429) },
});

const list = createRoute({
  method: "get",
  path: "/hooks",
  tags: ["hooks"],
  summary: "Webhooks of your organization (secrets are never shown again)",
  security: SECURED,
  middleware: [requirePermission("hooks:manage")] as const,
  responses: { 200: jsonContent(HookList, "The hooks"), ...problemResponses(401, 403, 429) },
});

const read = createRoute({
  method: "get",
  path: "/hooks/{id}",
  tags: ["hooks"],
  summary: "A webhook (without its secret)",
  security: SECURED,
  middleware: [requirePermission("hooks:manage")] as const,
  request: { params: idParam },
  responses: { 200: jsonContent(HookView, "The hook"), ...problemResponses(401, 403, 404, 429) },
});

const remove = createRoute({
  method: "delete",
  path: "/hooks/{id}",
  tags: ["hooks"],
  summary: "Delete a webhook; its URL answers 404 from then on",
  security: SECURED,
  middleware: [requirePermission("hooks:manage")] as const,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 429) },
});

const deliveryResponses = {
  202: jsonContent(DeliveryStarted, "A run was started"),
  200: jsonContent(DeliveryNotStarted, "Nothing was started: a replayed delivery, a ping, or an event the hook ignores"),
  ...problemResponses(400, 401, 404, 409, 413, 422, 429),
};

const githubDelivery = createRoute({
  method: "post",
  path: "/hooks/github/{hookId}",
  tags: ["hooks"],
  summary: "GitHub webhook delivery (authenticated by X-Hub-Signature-256, no bearer token)",
  description:
    "Needs X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the hook's secret). push and pull_request test the hook's target; a successful deployment_status tests its environment_url (without the saved target's credentials).",
  security: [],
  request: { params: HookIdParam },
  responses: deliveryResponses,
});

const genericDelivery = createRoute({
  method: "post",
  path: "/hooks/generic/{hookId}",
  tags: ["hooks"],
  summary: "Generic signed webhook delivery (no bearer token)",
  description: `Headers: X-Sentinel-Timestamp (unix seconds, within ${GENERIC_TOLERANCE_SECONDS} s of the server's clock), X-Sentinel-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">, X-Sentinel-Delivery (unique per delivery). The optional JSON body may override targetUrl and carry ref and sha.`,
  security: [],
  request: { params: HookIdParam },
  responses: deliveryResponses,
});

export const hooksRoutes = createRouter()
  .openapi(create, async (c) => {
    const { orgId } = c.get("auth");
    const body = c.req.valid("json");
    await checkTemplate(c.env, orgId, body.kind, body.config);
    const { row, secret } = await createHook(c.env.DB, c.env, orgId, body.kind, body.config as HookConfig);
    return c.json({ ...hookView(row), secret }, 201, { Location: `/api/v1/hooks/${row.id}` });
  })
  .openapi(list, async (c) => {
    const rows = await listHooks(c.env.DB, c.get("auth").orgId);
    return c.json({ items: rows.map(hookView) }, 200);
  })
  .openapi(read, async (c) => {
    const row = await getOrgHook(c.env.DB, c.get("auth").orgId, c.req.valid("param").id);
    if (!row) throw new ProblemError("not-found", "No such hook");
    return c.json(hookView(row), 200);
  })
  .openapi(remove, async (c) => {
    if (!(await deleteHook(c.env.DB, c.get("auth").orgId, c.req.valid("param").id))) throw new ProblemError("not-found", "No such hook");
    return c.body(null, 204);
  })
  // The delivery handlers answer 200, 202 or a problem; typed responses cannot express the choice.
  .openapi(githubDelivery, (async (c: DeliveryCtx) => {
    const { hook, raw, secret } = await loadDeliveryHook(c, "github");
    const signature = c.req.header("x-hub-signature-256") ?? null;
    if (!(await verifyGithubSignature(secret, raw, signature))) {
      throw new ProblemError("bad-signature", "X-Hub-Signature-256 is missing or does not match the body and the hook's secret");
    }
    const event = requiredHeader(c, "x-github-event");
    const deliveryId = requiredHeader(c, "x-github-delivery");
    const payload = githubPayload(c, raw);
    const config = HookConfigSchema.parse(hook.config);
    const decision = decideGithubEvent(event, payload, config);
    if (!decision.start) {
      // still recorded, so a replayed ignored delivery is reported as a duplicate
      const claim = await claimDelivery(c.env.DB, hook.id, [deliveryId]);
      return c.json({ started: false as const, duplicate: !claim.claimed, runId: claim.claimed ? null : claim.runId, reason: decision.reason }, 200);
    }
    const target = templateTarget(config, decision.targetUrl);
    return startFromDelivery(
      c,
      hook,
      [deliveryId, `sig:${signature}`],
      () => (target ? runInput(config, target) : new ProblemError("validation-error", "The hook has no target for this event")),
      decision.trigger,
      { hookId: hook.id, deliveryId, event, ...(decision.ref ? { ref: decision.ref } : {}), ...(decision.sha ? { sha: decision.sha } : {}) },
    );
  }) as never)
  .openapi(genericDelivery, (async (c: DeliveryCtx) => {
    const { hook, raw, secret } = await loadDeliveryHook(c, "generic");
    const timestamp = c.req.header("x-sentinel-timestamp") ?? null;
    const signature = c.req.header("x-sentinel-signature") ?? null;
    const verdict = await verifyGenericSignature(secret, raw, timestamp, signature, Date.now());
    if (!verdict.ok) {
      const detail = {
        missing: "Send X-Sentinel-Timestamp (unix seconds) and X-Sentinel-Signature: sha256=<hex HMAC of \"<timestamp>.<body>\">",
        stale: `The timestamp is stale: it is more than ${GENERIC_TOLERANCE_SECONDS} s away from the server's clock`,
        mismatch: "X-Sentinel-Signature does not match the timestamp, the body and the hook's secret",
      }[verdict.reason];
      throw new ProblemError("bad-signature", detail, { reason: verdict.reason });
    }
    const deliveryId = requiredHeader(c, "x-sentinel-delivery");
    const text = new TextDecoder().decode(raw).trim();
    const parsed = GenericOverrides.safeParse(text ? parseJson(raw, "The body") : {});
    if (!parsed.success) throw validationProblem("json", parsed.error);
    const overrides = parsed.data;
    const template = HookRunTemplateSchema.parse(hook.config);
    const target = templateTarget(template, overrides.targetUrl);
    return startFromDelivery(
      c,
      hook,
      [deliveryId, `sig:${signature}`],
      () => (target ? runInput(template, target) : fieldProblem("targetUrl", "the hook has no target: send targetUrl")),
      "generic",
      { hookId: hook.id, deliveryId, ...(overrides.ref ? { ref: overrides.ref } : {}), ...(overrides.sha ? { sha: overrides.sha } : {}) },
    );
  }) as never);
