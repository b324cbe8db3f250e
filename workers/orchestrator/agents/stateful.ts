/**
 * stateful: resource lifecycles inferred from producer → consumer links (resources.ts).
 *   create → read (ensure_resource_availability) → update → read (stateful_invariant)
 *          → the same PUT again (idempotency)
 *   create → delete → read (use_after_free)
 *   create → GET the Location header (location_header), when the create declares one
 *   plus (stateful-chains.ts) the collection listed after the create, PATCH merge semantics and
 *   children gone with their deleted parent.
 * Nested resources create their parents first. Setup steps (and the steps a later verdict depends
 * on) use requireSuccess, so a failed precondition skips the chain instead of raising an alarm.
 */
import type { JsonSchema, Operation, RequestTemplate, Step, TestCase } from "../../model";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import { agentEnv, buildRequest, conformanceChecks, isJsonMedia, opRng, type AgentEnv, type BuiltRequest } from "./requests";
import type { Rng } from "./random";
import { hasLocationHeader, pathPlaceholders, type Producer } from "./resources";
import { collectionListStep, mergePatchDraft, parentDeleteDrafts } from "./stateful-chains";
import { flattenAllOf, isIdLikeName, isObject, resolve } from "./schema";
import type { Agent, AgentContext } from "./types";

const NAME = "stateful";

/** A resource reachable at `itemPath` = `collection/{param}` and the operation that creates it. */
export interface ResourceTarget {
  itemPath: string;
  param: string;
  producer: Producer;
  read?: Operation;
  put?: Operation;
  patch?: Operation;
  del?: Operation;
}

export function resourceTargets(env: AgentEnv): ResourceTarget[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of env.model.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const out: ResourceTarget[] = [];
  for (const [path, ops] of byPath) {
    const last = path.split("/").pop() ?? "";
    const m = /^\{([^{}]+)\}$/.exec(last);
    if (!m) continue;
    const param = m[1];
    const producer = ops.map((op) => env.graph.producerFor(op, param)).find((p) => p !== undefined);
    if (!producer) continue;
    const find = (method: string) => ops.find((op) => op.method === method);
    out.push({ itemPath: path, param, producer, read: find("get"), put: find("put"), patch: find("patch"), del: find("delete") });
  }
  return out;
}

export interface CreatedResource {
  /** parent setup steps followed by the create step (id "create") */
  steps: Step[];
  create: BuiltRequest;
  /** path parameters later requests on the item path reuse: parents and the new id as "{{var}}" */
  known: Record<string, string>;
}

/** Steps creating the resource of `target` (parents first); the create step is `createId`. */
export function createResource(env: AgentEnv, target: ResourceTarget, rng: Rng, options: { identity?: string | null; createId?: string; checks?: boolean; optional?: "all" | "required"; useExamples?: boolean } = {}): CreatedResource {
  const create = buildRequest(env, target.producer.op, rng, { useExamples: options.useExamples ?? true, optional: options.optional ?? "required", includeBody: true, identity: options.identity });
  const checks = options.checks ? conformanceChecks(create.valid) : [];
  if (options.checks && create.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
  const createStep: Step = {
    id: options.createId ?? "create",
    request: create.request,
    extract: { [target.param]: target.producer.extract },
    checks,
    requireSuccess: true,
  };
  const known: Record<string, string> = {};
  for (const [name, value] of Object.entries(create.request.pathParams)) if (typeof value === "string") known[name] = value;
  known[target.param] = `{{${target.param}}}`;
  return { steps: [...create.setup, createStep], create, known };
}

/** A request on the item path addressing the created resource. */
export function itemRequest(env: AgentEnv, op: Operation, rng: Rng, known: Record<string, string>, identity?: string | null, idProperty?: string, optional: "all" | "required" = "required"): BuiltRequest {
  const built = buildRequest(env, op, rng, { known, optional, includeBody: true, chain: false, identity });
  // the body names the same resource as the URL (PUT /pets/{id} with { id, ... })
  const value = built.body?.value;
  const param = pathPlaceholders(op.path).pop();
  if (idProperty && param && isObject(value) && bodyHasProperty(env, built.body!.schema, idProperty)) {
    value[idProperty] = known[param];
    if (built.request.body) built.request.body.value = value;
  }
  return built;
}

/**
 * Which optional body parts an update sends: only the required ones when there are some (an
 * optional field can trip a business rule — an unknown coupon — and block the whole lifecycle),
 * all of them when nothing is required (a PATCH body of optional fields).
 */
export function updateOptional(env: AgentEnv, op: Operation): "all" | "required" {
  const media = op.requestBody?.content.find((m) => isJsonMedia(m.contentType));
  const flat = media ? flattenAllOf(media.schema, env.model.schemas) : undefined;
  return isObject(flat) && Array.isArray(flat.required) && flat.required.length > 0 ? "required" : "all";
}

function bodyHasProperty(env: AgentEnv, schema: JsonSchema, name: string): boolean {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return false;
  const prop = (flat.properties as Record<string, JsonSchema>)[name];
  if (prop === undefined) return false;
  const r = resolve(prop, env.model.schemas);
  return !(isObject(r) && r.readOnly === true);
}

function responseProperties(env: AgentEnv, op: Operation | undefined): Record<string, JsonSchema> {
  if (!op) return {};
  for (const response of op.responses.filter((r) => /^2/.test(r.status))) {
    const media = response.content.find((m) => isJsonMedia(m.contentType));
    if (!media) continue;
    const flat = flattenAllOf(media.schema, env.model.schemas);
    if (isObject(flat) && isObject(flat.properties)) return flat.properties as Record<string, JsonSchema>;
  }
  return {};
}

/**
 * Fields of an update body whose read-back must equal what was sent: plain scalars the read
 * returns, no formats (servers normalise dates, URIs), no ids, no secrets.
 */
export function comparableFields(env: AgentEnv, body: unknown, bodySchema: JsonSchema, read: Operation | undefined): string[] {
  if (!isObject(body)) return [];
  const readProps = responseProperties(env, read);
  const flat = flattenAllOf(bodySchema, env.model.schemas);
  const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
  return Object.entries(body)
    .filter(([key, value]) => {
      if (!(key in readProps) || props[key] === undefined) return false;
      if (!["string", "number", "boolean"].includes(typeof value)) return false;
      if (typeof value === "string" && value.includes("{{")) return false;
      if (isIdLikeName(key) || /pass|secret|token|key$/i.test(key)) return false;
      const s = flattenAllOf(props[key], env.model.schemas);
      const r = flattenAllOf(readProps[key], env.model.schemas);
      if (!isObject(s) || s.readOnly === true || s.writeOnly === true || s.format !== undefined) return false;
      return !(isObject(r) && (r.writeOnly === true || r.format !== undefined));
    })
    .map(([key]) => key);
}

function step(id: string, request: RequestTemplate, checks: Step["checks"], requireSuccess = false, extract?: Step["extract"]): Step {
  const out: Step = { id, request, checks };
  if (extract) out.extract = extract;
  if (requireSuccess) out.requireSuccess = true;
  return out;
}

export function statefulDrafts(env: AgentEnv, target: ResourceTarget, targets: ResourceTarget[] = []): CaseDraft[] {
  const rng = opRng(env, NAME, `${target.producer.op.operationId}:${target.itemPath}`);
  const drafts: CaseDraft[] = [];
  const label = opLabel(target.producer.op.method, target.producer.op.path);
  const idProperty = target.producer.property;

  // create → read → update → read → update again
  {
    const created = createResource(env, target, rng.fork("lifecycle"), { checks: true });
    const steps = [...created.steps];
    if (target.read) {
      const read = itemRequest(env, target.read, rng.fork("read1"), created.known);
      steps.push(step("read-created", read.request, [...conformanceChecks(read.valid), check("ensure_resource_availability", { createStep: "create" })]));
    }
    const list = collectionListStep(env, target, rng.fork("list"), created.known);
    if (list) steps.push(list);
    const updateOp = target.put ?? target.patch;
    if (updateOp) {
      const update = itemRequest(env, updateOp, rng.fork("update"), created.known, undefined, idProperty, updateOptional(env, updateOp));
      const checks = conformanceChecks(update.valid);
      if (update.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
      steps.push(step("update", update.request, checks, true));
      if (target.read && update.body) {
        const fields = comparableFields(env, update.body.value, update.body.schema, target.read);
        const read = itemRequest(env, target.read, rng.fork("read2"), created.known);
        const readChecks = conformanceChecks(read.valid);
        if (fields.length > 0) readChecks.push(check("stateful_invariant", { expectFrom: "update", fields }));
        steps.push(step("read-updated", read.request, readChecks));
      }
      if (updateOp.method === "put") {
        steps.push(step("update-again", update.request, [...conformanceChecks(update.valid), check("idempotency", { compareWith: "update" })]));
      }
    }
    if (steps.length > created.steps.length) drafts.push({ kind: "stateful", title: `${label} then read and update ${target.itemPath}`, steps, tags: ["lifecycle"] });
  }

  // create → delete → read
  if (target.del) {
    const created = createResource(env, target, rng.fork("delete-chain"));
    const del = itemRequest(env, target.del, rng.fork("delete"), created.known);
    const steps = [...created.steps, step("delete", del.request, conformanceChecks(del.valid), true)];
    if (target.read) {
      const read = itemRequest(env, target.read, rng.fork("read-deleted"), created.known);
      steps.push(step("read-deleted", read.request, [check("not_a_server_error"), check("use_after_free", { deleteStep: "delete" })]));
    }
    drafts.push({ kind: "stateful", title: `${label} then delete ${target.itemPath}`, steps, tags: ["delete"] });
  }

  // PATCH one field → the others unchanged; delete a parent → its children gone
  const merge = mergePatchDraft(env, target, rng.fork("merge-patch"));
  if (merge) drafts.push(merge);
  drafts.push(...parentDeleteDrafts(env, target, targets, rng.fork("parent-delete")));

  // create → follow Location
  if (hasLocationHeader(target.producer.op)) {
    const created = createResource(env, target, rng.fork("location"));
    const createStep = created.steps[created.steps.length - 1];
    createStep.extract = { location: { from: "header", name: "location" } };
    createStep.checks.push(check("location_header"));
    const follow: RequestTemplate = { method: "get", path: "{{location}}", pathParams: {}, query: {}, headers: {} };
    drafts.push({ kind: "stateful", title: `${label} then GET its Location`, steps: [...created.steps, step("follow-location", follow, [check("not_a_server_error"), check("location_header", { createStep: "create" })])], tags: ["location"] });
  }
  return drafts;
}

export const stateful: Agent = {
  name: NAME,
  description: "Resource lifecycles: create, read, update, idempotent PUT, delete, use after delete, Location",
  generate(ctx: AgentContext): TestCase[] {
    const env = agentEnv(ctx);
    const out: TestCase[] = [];
    const targets = resourceTargets(env);
    for (const target of targets) {
      const opId = target.producer.op.operationId;
      // one producer may create several item paths: keep case ids unique
      const idKey = out.some((c) => c.operationId === opId) ? `${opId}@${target.itemPath}` : opId;
      out.push(...finishCases(NAME, opId, statefulDrafts(env, target, targets), ctx.config.maxCasesPerOperation, idKey));
    }
    return out;
  },
};
