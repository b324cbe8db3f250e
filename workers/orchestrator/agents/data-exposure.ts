/**
 * data-exposure: mass assignment and excessive data exposure.
 *   - create and update requests (and writes readable on their own path, PATCH /users/me) that
 *     also send readOnly properties and privileged-looking extras (role=admin, isAdmin=true) with
 *     distinctive values: mass_assignment { property, injected, readStep, baselineStep } on the
 *     write, where readStep reads the resource back and baselineStep shows the value without
 *     the injection (a plain create, or a read before the update).
 *     Properties the request schema declares writable are never injected (setting them is legal).
 *   - every successful read is checked for excessive_data_exposure.
 */
import type { JsonSchema, Operation, Step, TestCase } from "../../model";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import type { Rng } from "../generate/random";
import { agentEnv, buildRequest, copy, isJsonMedia, opRng, preferredMedia, type AgentEnv } from "./requests";
import { PRIVILEGED_IDENTITY } from "./security-auth";
import { createResource, itemRequest, resourceTargets, updateOptional, type ResourceTarget } from "./stateful-resources";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaObject } from "../../jsonschema/types";
import type { Agent, AgentContext } from "./types";

const NAME = "data-exposure";
const PRIVILEGED_FLAG = /(admin|verified|approved|staff|superuser|premium|privileged|owner)/i;

/** Privileged-looking extras, injected only when the request schema does not declare them. */
const EXTRAS: [string, unknown][] = [
  ["role", "admin"],
  ["isAdmin", true],
  ["is_admin", true],
];

/** A value for a readOnly property that a server default would hardly produce; undefined to skip. */
export function distinctiveValue(name: string, schema: JsonSchema, env: AgentEnv): unknown {
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s)) return undefined;
  if (Array.isArray(s.enum)) {
    const candidates = (s.enum as unknown[]).filter((v) => v !== null && JSON.stringify(v) !== JSON.stringify(s.default));
    // the first listed value is the usual default even when the spec does not say so
    return s.enum.length >= 2 && candidates.length > 0 ? candidates[candidates.length - 1] : undefined;
  }
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== "null") : (s.type as string | undefined);
  switch (type) {
    case "boolean":
      if (typeof s.default === "boolean") return !s.default;
      return PRIVILEGED_FLAG.test(name) ? true : undefined;
    case "integer":
    case "number": {
      let value = 987654;
      if (typeof s.maximum === "number" && value > s.maximum) value = Math.floor(s.maximum);
      if (typeof s.minimum === "number" && value < s.minimum) return undefined;
      return value === s.default ? undefined : value;
    }
    case "string": {
      if (s.pattern !== undefined) return undefined;
      const byFormat: Record<string, string> = {
        "date-time": "2001-02-03T04:05:06Z",
        date: "2001-02-03",
        uuid: "5e171e1a-0000-4000-8000-000000000001",
        email: "sentinel-mass-assignment@example.com",
        uri: "https://example.com/sentinel-mass-assignment",
      };
      if (typeof s.format === "string") return byFormat[s.format];
      const text = "sentinel-mass-assignment";
      return typeof s.maxLength === "number" ? (s.maxLength >= 8 ? text.slice(0, s.maxLength) : undefined) : text;
    }
    default:
      return undefined;
  }
}

/** additionalProperties/unevaluatedProperties false: undeclared properties only earn a 400. */
function isClosed(flat: SchemaObject): boolean {
  return (flat.additionalProperties === false || flat.unevaluatedProperties === false) && !isObject(flat.patternProperties);
}

/**
 * Properties to inject into a body of `schema`: readOnly ones, server-controlled ones (returned by
 * `responseSchema` but not accepted by the request schema), and undeclared privileged extras.
 * Undeclared names are only injected when the request schema is open: a closed schema makes the
 * server refuse the whole write, which would hide the readOnly probes.
 */
export function injections(env: AgentEnv, schema: JsonSchema, responseSchema?: JsonSchema): [string, unknown][] {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return [];
  const types = flat.type;
  if (types !== undefined && types !== "object" && !(Array.isArray(types) && types.includes("object"))) return [];
  const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
  const out: [string, unknown][] = [];
  for (const [name, sub] of Object.entries(props)) {
    const r = flattenAllOf(sub, env.model.schemas);
    if (!isObject(r) || (r as SchemaObject).readOnly !== true) continue;
    const value = distinctiveValue(name, sub, env);
    if (value !== undefined) out.push([name, value]);
  }
  if (isClosed(flat)) return out.slice(0, 6);
  const declared = new Set(Object.keys(props).map((k) => k.toLowerCase()));
  const response = responseSchema !== undefined ? flattenAllOf(responseSchema, env.model.schemas) : undefined;
  if (isObject(response) && isObject(response.properties)) {
    for (const [name, sub] of Object.entries(response.properties as Record<string, JsonSchema>)) {
      if (declared.has(name.toLowerCase()) || out.some(([n]) => n === name)) continue;
      const value = distinctiveValue(name, sub, env);
      if (value !== undefined) out.push([name, value]);
    }
  }
  for (const [name, value] of EXTRAS) if (!declared.has(name.toLowerCase())) out.push([name, value]);
  // privileged extras are the point: keep them when the list is long
  const extras = out.filter(([n]) => EXTRAS.some(([e]) => e === n));
  return [...out.filter(([n]) => !EXTRAS.some(([e]) => e === n)).slice(0, 6 - extras.length), ...extras];
}

function successSchema(op: Operation): JsonSchema | undefined {
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    const media = response.content.find((m) => isJsonMedia(m.contentType));
    if (media) return media.schema;
  }
  return undefined;
}

/**
 * mass_assignment goes on the write itself (the check reads the write's request schema and
 * status), naming the read that shows what was stored and the step that shows the value the
 * server had or defaults to without the injection.
 */
function massChecks(injected: [string, unknown][], readStep: string | undefined, baselineStep: string): Step["checks"] {
  return injected.map(([property, value]) => check("mass_assignment", { property, injected: value, baselineStep, ...(readStep ? { readStep } : {}) }));
}

function withInjections(body: unknown, injected: [string, unknown][]): unknown {
  return isObject(body) ? { ...body, ...Object.fromEntries(injected) } : body;
}

/**
 * Who sends the injections: the first identity not named like a privileged role (an admin
 * already has role=admin, so the escalation would not show); the default identity otherwise.
 */
export function probeIdentity(env: AgentEnv): string | undefined {
  const [first, ...rest] = env.config.identities;
  if (first === undefined || !PRIVILEGED_IDENTITY.test(first)) return undefined;
  return rest.find((name) => !PRIVILEGED_IDENTITY.test(name));
}

function targetDrafts(env: AgentEnv, target: ResourceTarget): CaseDraft[] {
  const rng = opRng(env, NAME, `${target.producer.op.operationId}:${target.itemPath}`);
  const drafts: CaseDraft[] = [];
  const media = preferredMedia(target.producer.op);
  if (media && isJsonMedia(media.contentType)) {
    const injected = injections(env, media.schema, successSchema(target.producer.op));
    const created = createResource(env, target, rng.fork("create"), { identity: probeIdentity(env) });
    const createStep = created.steps[created.steps.length - 1];
    if (injected.length > 0 && createStep.request.body && isObject(createStep.request.body.value)) {
      // the same create without the injection shows the server's defaults
      const baseline: Step = { id: "baseline-create", request: copy(createStep.request), checks: [] };
      createStep.request.body.value = withInjections(createStep.request.body.value, injected);
      createStep.checks.push(...massChecks(injected, target.read ? "read-back" : undefined, "baseline-create"));
      const steps = [...created.steps.slice(0, -1), baseline, createStep];
      if (target.read) steps.push({ id: "read-back", request: itemRequest(env, target.read, rng.fork("read"), created.known, probeIdentity(env)).request, checks: [check("excessive_data_exposure")] });
      drafts.push({ kind: "security", title: `${opLabel(target.producer.op.method, target.producer.op.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] });
    }
  }
  const update = target.put ?? target.patch;
  if (update && target.read) {
    const created = createResource(env, target, rng.fork("update-chain"), { identity: probeIdentity(env) });
    const draft = updateDraft(env, update, target.read, rng.fork("update"), created.known, created.steps, target.producer.property);
    if (draft) drafts.push(draft);
  }
  return drafts;
}

/** read → write with injected properties → read back, on a resource that exists (setup steps). */
function updateDraft(env: AgentEnv, update: Operation, read: Operation, rng: Rng, known: Record<string, string>, setup: Step[], idProperty?: string): CaseDraft | undefined {
  const media = preferredMedia(update);
  if (!media || !isJsonMedia(media.contentType)) return undefined;
  const injected = injections(env, media.schema, successSchema(update));
  const identity = probeIdentity(env);
  const built = itemRequest(env, update, rng.fork("write"), known, identity, idProperty, updateOptional(env, update));
  if (injected.length === 0 || !built.request.body || !isObject(built.request.body.value)) return undefined;
  built.request.body.value = withInjections(built.request.body.value, injected);
  const readRequest = () => itemRequest(env, read, rng.fork("read"), known, identity).request;
  const steps: Step[] = [
    ...setup,
    { id: "read-before", request: readRequest(), checks: [], requireSuccess: true },
    { id: "update", request: built.request, checks: [check("not_a_server_error"), ...massChecks(injected, "read-back", "read-before")], requireSuccess: true },
    { id: "read-back", request: readRequest(), checks: [check("excessive_data_exposure")] },
  ];
  return { kind: "security", title: `${opLabel(update.method, update.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] };
}

/**
 * Writes that are not part of a collection lifecycle but can be read back on the same path
 * (PATCH /users/me + GET /users/me, PUT /settings + GET /settings).
 */
function selfUpdateDrafts(env: AgentEnv, targets: ResourceTarget[]): { op: Operation; drafts: CaseDraft[] }[] {
  const covered = new Set(targets.map((t) => t.itemPath));
  const out: { op: Operation; drafts: CaseDraft[] }[] = [];
  for (const op of env.model.operations) {
    if ((op.method !== "put" && op.method !== "patch") || covered.has(op.path)) continue;
    const read = env.model.operations.find((o) => o.path === op.path && o.method === "get");
    if (!read) continue;
    const rng = opRng(env, NAME, `self:${op.operationId}`);
    // path parameters (if any) come from setup steps creating their resources
    const base = buildRequest(env, op, rng.fork("base"), { useExamples: true, optional: "required", includeBody: true, identity: probeIdentity(env) });
    const known: Record<string, string> = {};
    for (const [name, value] of Object.entries(base.request.pathParams)) if (typeof value === "string" || typeof value === "number") known[name] = String(value);
    const draft = updateDraft(env, op, read, rng, known, base.setup);
    if (draft) out.push({ op, drafts: [draft] });
  }
  return out;
}

function readDrafts(env: AgentEnv, op: Operation): CaseDraft[] {
  if (op.method !== "get") return [];
  const built = buildRequest(env, op, opRng(env, NAME, op.operationId), { useExamples: true, optional: "required" });
  return [
    {
      kind: "security",
      title: `${opLabel(op.method, op.path)} exposes no sensitive data`,
      steps: [...built.setup, { id: "read", request: built.request, checks: [check("not_a_server_error"), check("excessive_data_exposure")] }],
      tags: ["exposure"],
    },
  ];
}

export const dataExposure: Agent = {
  name: NAME,
  description: "Mass assignment of readOnly/privileged properties on create and update; excessive data exposure on reads",
  generate(ctx: AgentContext): TestCase[] {
    const env = agentEnv(ctx);
    const cap = ctx.config.maxCasesPerOperation;
    const out: TestCase[] = [];
    for (const op of ctx.model.operations) out.push(...finishCases(NAME, op.operationId, readDrafts(env, op), cap));
    const targets = resourceTargets(env);
    for (const target of targets) {
      const opId = target.producer.op.operationId;
      out.push(...finishCases(NAME, opId, targetDrafts(env, target), cap, `${opId}@${target.itemPath}`));
    }
    for (const { op, drafts } of selfUpdateDrafts(env, targets)) out.push(...finishCases(NAME, op.operationId, drafts, cap, `self:${op.operationId}`));
    return out;
  },
};
