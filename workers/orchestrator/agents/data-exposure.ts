/**
 * data-exposure: mass assignment and excessive data exposure.
 *   - create (and update) requests that also send readOnly properties and privileged-looking
 *     extras (role=admin, isAdmin=true) with distinctive values, then read the resource back:
 *     mass_assignment { property, injected, createdBy } on the step that shows what was stored.
 *     Properties the request schema declares writable are never injected (setting them is legal).
 *   - every successful read is checked for excessive_data_exposure.
 */
import type { JsonSchema, Operation, Step, TestCase } from "../../model";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import { agentEnv, buildRequest, isJsonMedia, opRng, preferredMedia, type AgentEnv } from "./requests";
import { createResource, itemRequest, resourceTargets, type ResourceTarget } from "./stateful";
import { flattenAllOf, isObject, type SchemaObject } from "./schema";
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

/**
 * Properties to inject into a body of `schema`: readOnly ones, server-controlled ones (returned by
 * `responseSchema` but not accepted by the request schema), and undeclared privileged extras.
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

function massChecks(injected: [string, unknown][], createdBy?: string): Step["checks"] {
  return injected.map(([property, value]) => check("mass_assignment", { property, injected: value, ...(createdBy ? { createdBy, createStep: createdBy } : {}) }));
}

function withInjections(body: unknown, injected: [string, unknown][]): unknown {
  return isObject(body) ? { ...body, ...Object.fromEntries(injected) } : body;
}

function targetDrafts(env: AgentEnv, target: ResourceTarget): CaseDraft[] {
  const rng = opRng(env, NAME, `${target.producer.op.operationId}:${target.itemPath}`);
  const drafts: CaseDraft[] = [];
  const media = preferredMedia(target.producer.op);
  if (media && isJsonMedia(media.contentType)) {
    const injected = injections(env, media.schema, successSchema(target.producer.op));
    const created = createResource(env, target, rng.fork("create"));
    const createStep = created.steps[created.steps.length - 1];
    if (injected.length > 0 && createStep.request.body && isObject(createStep.request.body.value)) {
      createStep.request.body.value = withInjections(createStep.request.body.value, injected);
      const steps = [...created.steps];
      if (target.read) {
        steps.push({ id: "read-back", request: itemRequest(env, target.read, rng.fork("read"), created.known).request, checks: [...massChecks(injected, "create"), check("excessive_data_exposure")] });
      } else {
        createStep.checks.push(...massChecks(injected));
      }
      drafts.push({ kind: "security", title: `${opLabel(target.producer.op.method, target.producer.op.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] });
    }
  }
  const update = target.put ?? target.patch;
  const updateMedia = update ? preferredMedia(update) : undefined;
  if (update && updateMedia && isJsonMedia(updateMedia.contentType) && target.read) {
    const injected = injections(env, updateMedia.schema, successSchema(update));
    const created = createResource(env, target, rng.fork("update-chain"));
    const built = itemRequest(env, update, rng.fork("update"), created.known, undefined, target.producer.property);
    if (injected.length > 0 && built.request.body && isObject(built.request.body.value)) {
      built.request.body.value = withInjections(built.request.body.value, injected);
      const steps: Step[] = [
        ...created.steps,
        { id: "update", request: built.request, checks: [check("not_a_server_error")], requireSuccess: true },
        { id: "read-back", request: itemRequest(env, target.read, rng.fork("read2"), created.known).request, checks: massChecks(injected, "update") },
      ];
      drafts.push({ kind: "security", title: `${opLabel(update.method, update.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] });
    }
  }
  return drafts;
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
    for (const target of resourceTargets(env)) {
      const opId = target.producer.op.operationId;
      out.push(...finishCases(NAME, opId, targetDrafts(env, target), cap, `${opId}@${target.itemPath}`));
    }
    return out;
  },
};
