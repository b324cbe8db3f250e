/**
 * More lifecycle chains of the stateful agent, each about one behaviour a resource must show:
 *  - listing the collection right after a create: conformance is judged on a list that holds a
 *    real item (lists of a fresh parent are otherwise always empty);
 *  - a partial update (PATCH without required fields) sends one field: the fields it leaves out
 *    must keep their values (stateful_invariant with `unchanged`);
 *  - deleting a parent: a child created under it is no longer served at its nested path
 *    (use_after_free; hierarchical URLs say the child lives inside the parent).
 */
import type { JsonSchema, Step } from "../../model";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import type { Rng } from "../generate/random";
import { buildRequest, conformanceChecks, copy, isJsonMedia, type AgentEnv } from "./requests";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { comparableFields, createResource, itemRequest, readSchema, updateOptional, type ResourceTarget } from "./stateful-resources";

function step(id: string, request: Step["request"], checks: Step["checks"], requireSuccess = false): Step {
  return requireSuccess ? { id, request, checks, requireSuccess } : { id, request, checks };
}

/** GET on the collection of `target` (the item path without its last segment), when documented. */
export function collectionListStep(env: AgentEnv, target: ResourceTarget, rng: Rng, known: Record<string, string>): Step | undefined {
  const collection = target.itemPath.slice(0, target.itemPath.lastIndexOf("/"));
  const list = env.graph.collectionOperation("get", collection);
  if (!list) return undefined;
  const built = buildRequest(env, list, rng, { known, optional: "required", chain: false });
  return step("list-after-create", built.request, conformanceChecks(built.valid));
}

/** Writable, non-secret properties of a request body schema. */
function writableProperties(env: AgentEnv, schema: JsonSchema): string[] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  return Object.entries(flat.properties as Record<string, JsonSchema>)
    .filter(([name, sub]) => {
      const r = resolve(sub, env.model.schemas);
      return !(isObject(r) && (r.readOnly === true || r.writeOnly === true)) && !/pass|secret|token/i.test(name);
    })
    .map(([name]) => name);
}

/** create (every optional field) → read → PATCH one field → read: the others are unchanged. */
export function mergePatchDraft(env: AgentEnv, target: ResourceTarget, rng: Rng): CaseDraft | undefined {
  const { patch, read } = target;
  const media = patch?.requestBody?.content.find((m) => isJsonMedia(m.contentType));
  // a PATCH with required fields is a replacement in disguise: no merge semantics to check
  if (!patch || !read || !media || updateOptional(env, patch) === "required") return undefined;
  // generated with every optional field (an example may leave some out): a wiped field shows
  const created = createResource(env, target, rng.fork("create"), { optional: "all", useExamples: false });
  const full = itemRequest(env, patch, rng.fork("patch"), created.known, undefined, target.producer.property, "all");
  const value = full.body?.value;
  if (!isObject(value) || !full.request.body) return undefined;
  // a top-level field: the PATCH body is that one member
  const field = comparableFields(env, value, media.schema, read).find((f) => !f.startsWith("/"));
  if (field === undefined) return undefined;
  const body = { [field]: value[field] };
  if (env.validator.check(body, media.schema) !== "valid") return undefined;
  const request = copy(full.request);
  request.body = { contentType: full.request.body.contentType, value: body };
  const unchanged = writableProperties(env, media.schema).filter((name) => name !== field);
  const readRequest = (key: string) => itemRequest(env, read, rng.fork(key), created.known).request;
  const readChecks = [...conformanceChecks(), check("stateful_invariant", { expectFrom: "patch", fields: [field], unchangedFrom: "read-before", unchanged })];
  return {
    kind: "stateful",
    title: `${opLabel(patch.method, patch.path)} with only ${field} keeps the other fields`,
    steps: [...created.steps, step("read-before", readRequest("before"), [], true), step("patch", request, conformanceChecks(), true), step("read-after", readRequest("after"), readChecks)],
    tags: ["merge-patch"],
  };
}

/**
 * create → read → PATCH { member: null, … } → read, for the optional members
 * the PATCH body may set to null (a merge patch's "remove it") while the read's schema does not admit
 * null: the answers must still match the read's schema (each member gone, not stored as null). The
 * read's ETag goes back as If-Match when the PATCH takes one.
 */
export function nullMemberDraft(env: AgentEnv, target: ResourceTarget, rng: Rng): CaseDraft | undefined {
  const { patch, read } = target;
  const media = patch?.requestBody?.content.find((m) => isJsonMedia(m.contentType));
  const shown = readSchema(env, read);
  if (!patch || !read || !media || !shown) return undefined;
  const flatRead = flattenAllOf(shown, env.model.schemas);
  const flatPatch = flattenAllOf(media.schema, env.model.schemas);
  if (!isObject(flatRead) || !isObject(flatRead.properties) || !isObject(flatPatch) || !isObject(flatPatch.properties)) return undefined;
  const readProps = flatRead.properties as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(flatRead.required) ? (flatRead.required as string[]) : []);
  const members = writableProperties(env, media.schema).filter((name) => {
    const readProp = readProps[name];
    return readProp !== undefined && !required.has(name) && env.validator.check(null, readProp) === "invalid" && env.validator.check({ [name]: null }, media.schema) === "valid";
  });
  // every such member at once: one case, and one removal mishandled shows
  const nulled = Object.fromEntries(members.map((name) => [name, null]));
  if (members.length === 0 || env.validator.check(nulled, media.schema) !== "valid") return undefined;
  // the setup's own create (required parts): a fuller body may trip a business rule, and the answers
  // must keep to the schema whether or not the member was set before
  const created = createResource(env, target, rng.fork("create"));
  const built = itemRequest(env, patch, rng.fork("patch"), created.known, undefined, target.producer.property, "all");
  if (!built.request.body) return undefined;
  const request = copy(built.request);
  request.body = { contentType: built.request.body.contentType, value: nulled };
  const before = step("read-before", itemRequest(env, read, rng.fork("before"), created.known).request, [], true);
  const ifMatch = patch.parameters.find((p) => p.in === "header" && p.name.toLowerCase() === "if-match");
  if (ifMatch) {
    before.extract = { etag: { from: "header", name: "etag" } };
    request.headers[ifMatch.name] = "{{etag}}";
  }
  return {
    kind: "stateful",
    title: `${opLabel(patch.method, patch.path)} with ${members.join(", ")} null keeps the answers to the read's schema`,
    steps: [...created.steps, before, step("patch", request, conformanceChecks()), step("read-after", itemRequest(env, read, rng.fork("after"), created.known).request, conformanceChecks())],
    tags: ["merge-patch", "null-member"],
  };
}

/** For each child resource nested under `parent`: create it, delete the parent, read the child. */
export function parentDeleteDrafts(env: AgentEnv, parent: ResourceTarget, targets: ResourceTarget[], rng: Rng): CaseDraft[] {
  if (!parent.del) return [];
  const drafts: CaseDraft[] = [];
  for (const child of targets) {
    if (!child.read || !child.itemPath.startsWith(`${parent.itemPath}/`)) continue;
    const created = createResource(env, child, rng.fork(child.itemPath));
    if (created.known[parent.param] === undefined) continue;
    const del = itemRequest(env, parent.del, rng.fork("delete-parent"), created.known);
    const readChild = itemRequest(env, child.read, rng.fork("read-child"), created.known);
    drafts.push({
      kind: "stateful",
      title: `${opLabel(parent.del.method, parent.del.path)} then read a ${child.itemPath} created under it`,
      steps: [...created.steps, step("delete-parent", del.request, conformanceChecks(del.valid), true), step("read-child", readChild.request, [check("not_a_server_error"), check("use_after_free", { deleteStep: "delete-parent" })])],
      tags: ["delete", "nested"],
    });
    if (drafts.length >= 3) break;
  }
  return drafts;
}
