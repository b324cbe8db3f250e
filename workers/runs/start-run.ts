/**
 * Starting a run, shared by POST /runs, the webhook endpoints and the schedules: resolve the spec
 * and target within the org, apply the address policy, record the run row and hand the run to its
 * TestRun Durable Object. Failures are RunErrors, which the gateway renders as problem+json.
 */
import type { ApiModel, AuthConfig, Identities, LlmRunRequest, RunInit, RunLimitsInput } from "../model";
import { AuthConfigError, flowFromConfig } from "../orchestrator/auth/config";
import { MAX_SPEC_BYTES } from "../orchestrator/spec/limits";
import { parseSpec } from "../orchestrator/spec/parse-spec";
import { newId } from "../shared/encoding";
import { log } from "../shared/log";
import { insertRun, updateRun, type RunConfig } from "../storage/runs-repo";
import { getSpec, storeSpec } from "../storage/specs-repo";
import { getTarget, loadTargetIdentities } from "../storage/targets-repo";
import { RunError } from "./errors";
import { normalizeLimits } from "./lifecycle";
import { runStub } from "./stub";
import { assertFetchAllowed, assertTargetAllowed } from "./target-policy";

/** What a run is started from: the body of POST /runs, or a hook's or schedule's template. */
export interface RunInput {
  spec: { id: string } | { inline: string | Record<string, unknown> };
  target: { id: string } | { url: string; identities?: Identities; identityScopes?: Record<string, string[]>; identityRoles?: Record<string, string> };
  agents?: string[];
  seed?: number;
  limits?: RunLimitsInput;
  notify?: string[];
  /** the AI layer's settings; keys inside go to the run's Durable Object only (encrypted) */
  llm?: LlmRunRequest;
  include?: string[];
  exclude?: string[];
  allowDestructive?: boolean;
  /** false: no burst of failed sign-ins */
  authBurst?: boolean;
  /** with no identity: how to obtain users (default: the spec's signup/login, inferred); encrypted by the run */
  auth?: AuthConfig;
}

/** Who starts the run: an authenticated caller, or the org of a hook / schedule (userId null). */
export interface RunPrincipal {
  orgId: string;
  userId: string | null;
}

/** Where an automatically started run came from; kept in the run's config and shown with the run. */
export interface RunSource {
  hookId?: string;
  deliveryId?: string;
  event?: string;
  ref?: string;
  sha?: string;
  scheduleId?: string;
  slot?: number;
}

export interface StartRunOptions {
  /** runs.trigger: "api" (default), "github:push", "generic", "schedule" … */
  trigger?: string;
  source?: RunSource;
}

export interface RunLinks {
  self: string;
  events: string;
  results: string;
  findings: string;
  report: string;
}

export interface StartedRun {
  id: string;
  status: "queued";
  links: RunLinks;
}

export function runLinks(id: string): RunLinks {
  const self = `/api/v1/runs/${id}`;
  return { self, events: `${self}/events`, results: `${self}/results`, findings: `${self}/findings`, report: `${self}/report` };
}

interface ResolvedSpec {
  specId: string;
  modelKey: string;
  meta: RunConfig["spec"];
  inline: boolean;
}

export async function resolveSpec(env: Env, orgId: string, createdBy: string | null, spec: RunInput["spec"]): Promise<ResolvedSpec> {
  if ("id" in spec) {
    const row = await getSpec(env.DB, orgId, spec.id);
    if (!row) throw new RunError("not-found", `Spec ${spec.id} not found`);
    return { specId: row.id, modelKey: row.modelKey, meta: { title: row.title, version: row.apiVersion, operations: row.operationCount }, inline: false };
  }
  const text = typeof spec.inline === "string" ? spec.inline : JSON.stringify(spec.inline);
  const raw = new TextEncoder().encode(text);
  if (raw.byteLength > MAX_SPEC_BYTES) throw new RunError("spec-too-large", `The inline spec is larger than ${MAX_SPEC_BYTES} bytes`);
  const parsed = parseSpec(raw);
  if (parsed.tooLarge) throw new RunError("spec-too-large", `The inline spec is larger than ${MAX_SPEC_BYTES} bytes`);
  if (!parsed.model) {
    const errors = parsed.problems.filter((p) => p.severity === "error");
    throw new RunError("invalid-spec", errors[0]?.message ?? "The inline spec could not be read", { errors: parsed.problems.slice(0, 100) });
  }
  const name = `inline-${parsed.model.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "spec"}`;
  const row = await storeSpec(env.DB, env.BLOBS, {
    orgId,
    name,
    raw,
    contentType: typeof spec.inline === "string" ? "text/plain" : "application/json",
    model: parsed.model,
    warnings: parsed.problems,
    createdBy,
  });
  return { specId: row.id, modelKey: row.modelKey, meta: { title: row.title, version: row.apiVersion, operations: row.operationCount }, inline: true };
}

export async function resolveTarget(env: Env, orgId: string, target: RunInput["target"]): Promise<{ id: string | null; url: string; identities: Identities }> {
  if ("id" in target) {
    const row = await getTarget(env.DB, orgId, target.id);
    if (!row) throw new RunError("not-found", `Target ${target.id} not found`);
    const identities = (await loadTargetIdentities(env.DB, env, orgId, target.id)) ?? {};
    return { id: row.id, url: row.baseUrl, identities };
  }
  return { id: null, url: target.url, identities: target.identities ?? {} };
}

/** A declared auth flow that does not fit the spec is the caller's mistake (400 naming the field), not an errored run. */
async function assertAuthFits(env: Env, modelKey: string, auth: AuthConfig): Promise<void> {
  const object = await env.BLOBS.get(modelKey);
  if (!object) throw new RunError("internal", "The spec's operation model is missing");
  try {
    flowFromConfig((await object.json()) as ApiModel, auth);
  } catch (error) {
    if (!(error instanceof AuthConfigError)) throw error;
    const pointer = "/" + error.field.split(".").join("/");
    throw new RunError("validation-error", `body.${error.field}: ${error.message}`, { errors: [{ in: "body", path: error.field, pointer, message: error.message }] });
  }
}

/** The operation filters, the destructive opt-in and the sign-in burst's opt-out, only when given. */
function selectionOf(input: RunInput): Pick<RunInit, "include" | "exclude" | "allowDestructive" | "authBurst"> {
  return {
    ...(input.include?.length ? { include: input.include } : {}),
    ...(input.exclude?.length ? { exclude: input.exclude } : {}),
    ...(input.allowDestructive ? { allowDestructive: true } : {}),
    ...(input.authBurst === false ? { authBurst: false } : {}),
  };
}

export async function startRun(env: Env, principal: RunPrincipal, input: RunInput, options: StartRunOptions = {}): Promise<StartedRun> {
  const { orgId, userId } = principal;
  const target = await resolveTarget(env, orgId, input.target);
  const baseUrl = (await assertTargetAllowed(env, orgId, target.url)).toString().replace(/\/+$/, "");
  for (const url of input.notify ?? []) assertFetchAllowed(env, url);
  const spec = await resolveSpec(env, orgId, userId, input.spec);
  if (input.auth) await assertAuthFits(env, spec.modelKey, input.auth);

  const id = newId("run");
  const seed = input.seed ?? crypto.getRandomValues(new Uint32Array(1))[0] % 2 ** 31;
  const limits = normalizeLimits(input.limits);
  const notify = input.notify ?? [];
  const config: RunConfig = {
    spec: spec.meta,
    target: { ...(target.id ? { id: target.id } : {}), url: baseUrl },
    identities: Object.keys(target.identities),
    ...(input.agents ? { agents: input.agents } : {}),
    ...selectionOf(input),
    limits,
    notify,
    ...(spec.inline ? { inlineSpec: true } : {}),
  };
  // `source` is an extra key of the stored JSON (RunConfig itself stays the storage owner's type)
  const stored: RunConfig = options.source ? Object.assign(config, { source: options.source }) : config;
  await insertRun(env.DB, {
    id,
    orgId,
    specId: spec.specId,
    targetId: target.id,
    targetUrl: baseUrl,
    seed,
    config: stored,
    createdBy: userId,
    ...(options.trigger ? { trigger: options.trigger } : {}),
  });
  const init: RunInit = {
    runId: id,
    orgId,
    specId: spec.specId,
    modelKey: spec.modelKey,
    baseUrl,
    identities: target.identities,
    ...("url" in input.target && input.target.identityScopes ? { identityScopes: input.target.identityScopes } : {}),
    ...("url" in input.target && input.target.identityRoles ? { identityRoles: input.target.identityRoles } : {}),
    ...(input.agents ? { agents: input.agents } : {}),
    ...selectionOf(input),
    seed,
    limits,
    notify,
    ...(input.llm ? { llm: input.llm } : {}),
    ...(input.auth ? { auth: input.auth } : {}),
  };
  try {
    await runStub(env, id).start(init);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log("error", "run could not start", { runId: id, error: message });
    await updateRun(env.DB, id, { status: "errored", error: `could not start: ${message}`, finishedAt: Date.now() });
    throw new RunError("internal", "The run could not be started", { runId: id });
  }
  return { id, status: "queued", links: runLinks(id) };
}
