/**
 * stateful: resource lifecycles inferred from producer → consumer links (resources.ts).
 *   create → read (ensure_resource_availability) → update → read (stateful_invariant)
 *          → the same PUT again (idempotency)
 *          → with If-Match: the same update again, now with an outdated ETag (optimistic_concurrency)
 *   create → update with every optional field → read (stateful_invariant; the lifecycle's update
 *          sends the required ones only)
 *   create → delete → read (use_after_free)
 *   create → GET the Location header (location_header), when the create declares one
 *   create → read → PUT/PATCH the read back unchanged → read (round_trip, stateful-round-trip.ts)
 *   a POST/PATCH whose spec says a retry with the same Idempotency-Key is answered like the first,
 *   sent twice with one key (idempotency, stateful-replay.ts)
 *   a workflow action (POST …/{id}/approve) sent twice after its prerequisite actions: the repeat is
 *   refused where the spec documents 409 (stateful-actions.ts)
 *   plus (stateful-chains.ts) the collection listed after the create, PATCH merge semantics and
 *   children gone with their deleted parent.
 * Nested resources create their parents first. Setup steps (and the steps a later verdict depends
 * on) use requireSuccess, so a failed precondition skips the chain instead of raising an alarm.
 */
import type { JsonSchema, RequestTemplate, Step, TestCase } from "../../model";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import { agentEnv, conformanceChecks, opRng, type AgentEnv } from "./requests";
import { requiredParts } from "./parameters";
import { hasLocationHeader } from "./resources";
import { collectionListStep, mergePatchDraft, nullMemberDraft, parentDeleteDrafts } from "./stateful-chains";
import { echoProducedFields, roundTripDraft } from "./stateful-round-trip";
import { keyedReplayDraft } from "./stateful-replay";
import { repeatedActionDrafts } from "./stateful-actions";
import { comparableFields, createResource, itemRequest, resourceTargets, updateOptional, type ResourceTarget } from "./stateful-resources";
import type { Agent, AgentContext } from "./types";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { isJsonPatch } from "../../shared/json-patch";

const NAME = "stateful";

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
    const updateOp = target.put ?? target.patch;
    // a validator the server produced goes back to it: the read's ETag becomes the update's If-Match
    const ifMatch = updateOp?.parameters.find((p) => p.in === "header" && p.name.toLowerCase() === "if-match");
    if (target.read) {
      const read = itemRequest(env, target.read, rng.fork("read1"), created.known);
      steps.push(step("read-created", read.request, [...conformanceChecks(read.valid), check("ensure_resource_availability", { createStep: "create" })], false, ifMatch ? { etag: { from: "header", name: "etag" } } : undefined));
    }
    const list = collectionListStep(env, target, rng.fork("list"), created.known);
    if (list) steps.push(list);
    if (updateOp) {
      let update = itemRequest(env, updateOp, rng.fork("update"), created.known, undefined, idProperty, updateOptional(env, updateOp));
      // a JSON Patch that writes nothing the read shows (a remove) cannot be read back, and one with a
      // `test` of a made-up value fails as a whole (RFC 6902 §5): draw another
      const unreadable = (body: unknown) => isJsonPatch(body) && (body.some((op) => op.op === "test") || comparableFields(env, body, {}, target.read).length === 0);
      for (let i = 1; i <= 12 && target.read && unreadable(update.body?.value); i++) {
        update = itemRequest(env, updateOp, rng.fork(`update-${i}`), created.known, undefined, idProperty, updateOptional(env, updateOp));
      }
      if (ifMatch && target.read) update.request.headers[ifMatch.name] = "{{etag}}";
      // a version or checksum the read produced goes back as read, never made up
      const readStep = steps.find((s) => s.id === "read-created");
      if (readStep && target.read && update.request.body?.value !== undefined) {
        const echoed = echoProducedFields(env, target.read, update.request.body.value, "echo_");
        if (Object.keys(echoed.extract).length > 0) {
          update.request.body.value = echoed.value;
          // renewed by the write itself: not a field to read back as sent
          if (update.body) update.body.value = echoed.value;
          readStep.extract = { ...(readStep.extract ?? {}), ...echoed.extract };
        }
      }
      const checks = conformanceChecks(update.valid);
      if (update.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
      steps.push(step("update", update.request, checks, true));
      const etagged = ifMatch !== undefined && target.read !== undefined;
      if (target.read && (update.body || etagged)) {
        const fields = update.body ? comparableFields(env, update.body.value, update.body.schema, target.read) : [];
        const read = itemRequest(env, target.read, rng.fork("read2"), created.known);
        const readChecks = conformanceChecks(read.valid);
        if (fields.length > 0) readChecks.push(check("stateful_invariant", { expectFrom: "update", fields }));
        steps.push(step("read-updated", read.request, readChecks));
      }
      // the same update again: a PUT must be idempotent; with If-Match it now carries an outdated ETag
      const stale = etagged ? [check("optimistic_concurrency", { updateStep: "update", staleStep: "read-created", freshStep: "read-updated" })] : [];
      if (updateOp.method === "put") {
        steps.push(step("update-again", update.request, [...conformanceChecks(update.valid), check("idempotency", { compareWith: "update" }), ...stale]));
      } else if (stale.length > 0) {
        steps.push(step("update-stale", update.request, [...conformanceChecks(update.valid), ...stale]));
      }
    }
    if (steps.length > created.steps.length) drafts.push({ kind: "stateful", title: `${label} then read and update ${target.itemPath}`, steps, tags: ["lifecycle"] });
  }

  // create → delete → read
  if (target.del) {
    const created = createResource(env, target, rng.fork("delete-chain"));
    const del = itemRequest(env, target.del, rng.fork("delete"), created.known);
    const steps = [...created.steps];
    // a read before the delete: a read after it that crashes (5xx) is then the delete's doing
    if (target.read) steps.push(step("read-before-delete", itemRequest(env, target.read, rng.fork("read-before-delete"), created.known).request, []));
    steps.push(step("delete", del.request, conformanceChecks(del.valid), true));
    if (target.read) {
      const read = itemRequest(env, target.read, rng.fork("read-deleted"), created.known);
      // the documented 404 reached on purpose: its answer is held to the spec too (an undocumented one is no finding)
      steps.push(step("read-deleted", read.request, [check("not_a_server_error"), check("content_type_conformance"), check("response_schema_conformance"), check("use_after_free", { deleteStep: "delete" })]));
    }
    drafts.push({ kind: "stateful", title: `${label} then delete ${target.itemPath}`, steps, tags: ["delete"] });
  }

  const full = fullUpdateDraft(env, target, rng.fork("full-update"));
  if (full) drafts.push(full);

  // the read sent back unchanged, with every value the server produced
  const roundTrip = roundTripDraft(env, target, rng.fork("round-trip"));
  if (roundTrip) drafts.push(roundTrip);

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
    // the Location names the new item: its read's required headers and cookies go along (its query is the Location's own)
    const follow: RequestTemplate = { method: "get", path: "{{location}}", pathParams: {}, ...requiredParts(env, target.read, ["header", "cookie"]) };
    drafts.push({ kind: "stateful", title: `${label} then GET its Location`, steps: [...created.steps, step("follow-location", follow, [check("not_a_server_error"), check("location_header", { createStep: "create" })])], tags: ["location"] });
  }
  // PATCH an optional member to null (a merge patch removes it): the answers keep to the read's schema
  const nulled = nullMemberDraft(env, target, rng.fork("null-member"));
  if (nulled) drafts.push(nulled);
  return drafts;
}

/**
 * Whether a comparable field (a top-level name or a JSON pointer) is required all the way down:
 * then the lifecycle's required-only update sends it already. An envelope's required `data` holds
 * optional attributes (`/data/attributes/temperatureC`): those are this case's to read back.
 */
function requiredAlong(env: AgentEnv, schema: JsonSchema, field: string): boolean {
  const tokens = field.startsWith("/") ? field.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")) : [field];
  let node: JsonSchema | undefined = schema;
  for (const token of tokens) {
    const flat: JsonSchema | undefined = node === undefined ? undefined : flattenAllOf(node, env.model.schemas);
    if (!isObject(flat) || !Array.isArray(flat.required) || !flat.required.includes(token)) return false;
    node = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>)[token] : undefined;
  }
  return true;
}

/**
 * The lifecycle's update sends only the required fields (an optional one may trip a business rule
 * and stop the chain); the optional ones are read back here: create → update with every optional
 * field → read. A refused update only skips the comparison. With If-Match the update carries the
 * ETag of a read before it and is sent again with that ETag after: this update changes fields, so
 * an ETag that stayed the same shows (optimistic_concurrency), which the lifecycle's update may not.
 */
function fullUpdateDraft(env: AgentEnv, target: ResourceTarget, rng: ReturnType<typeof opRng>): CaseDraft | undefined {
  const updateOp = target.put ?? target.patch;
  if (!updateOp || !target.read || updateOptional(env, updateOp) === "all") return undefined;
  const ifMatch = updateOp.parameters.find((p) => p.in === "header" && p.name.toLowerCase() === "if-match");
  const created = createResource(env, target, rng.fork("create"));
  const update = itemRequest(env, updateOp, rng.fork("update"), created.known, undefined, target.producer.property, "all");
  const value = update.body?.value;
  // a produced value the update must echo is the lifecycle's business
  if (!update.body || !isObject(value) || Object.keys(echoProducedFields(env, target.read, value, "echo_").extract).length > 0) return undefined;
  const fields = comparableFields(env, value, update.body.schema, target.read);
  const schema = update.body.schema;
  if (fields.every((f) => requiredAlong(env, schema, f))) return undefined;
  const read = itemRequest(env, target.read, rng.fork("read"), created.known);
  const readUpdated = step("read-updated", read.request, [...conformanceChecks(read.valid), check("stateful_invariant", { expectFrom: "update", fields })]);
  const label = opLabel(updateOp.method, updateOp.path);
  if (!ifMatch) {
    return { kind: "stateful", title: `${label} with every optional field, then read`, steps: [...created.steps, step("update", update.request, conformanceChecks(update.valid)), readUpdated], tags: ["full-update"] };
  }
  update.request.headers[ifMatch.name] = "{{etag}}";
  const before = itemRequest(env, target.read, rng.fork("read-before"), created.known);
  const stale = check("optimistic_concurrency", { updateStep: "update", staleStep: "read-created", freshStep: "read-updated" });
  return {
    kind: "stateful",
    title: `${label} with every optional field and the read's ETag, then read, then the same update with that ETag again`,
    steps: [
      ...created.steps,
      step("read-created", before.request, [], true, { etag: { from: "header", name: "etag" } }),
      step("update", update.request, conformanceChecks(update.valid)),
      readUpdated,
      step("update-stale", update.request, [...conformanceChecks(update.valid), stale]),
    ],
    tags: ["full-update"],
  };
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
    for (const target of targets) {
      for (const { op, drafts } of repeatedActionDrafts(env, target, opRng(env, NAME, `${target.itemPath}:transitions`))) {
        out.push(...finishCases(NAME, op.operationId, drafts, ctx.config.maxCasesPerOperation, `${op.operationId}@transition`));
      }
    }
    for (const op of env.model.operations) {
      const replay = keyedReplayDraft(env, op, targets, opRng(env, NAME, `${op.operationId}:idempotency-key`));
      if (replay) out.push(...finishCases(NAME, op.operationId, [replay], ctx.config.maxCasesPerOperation, `${op.operationId}@idempotency-key`));
    }
    return out;
  },
};
