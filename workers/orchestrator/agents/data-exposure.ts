/**
 * data-exposure: mass assignment and excessive data exposure.
 *   - create and update requests (and writes readable on their own path, PATCH /users/me) that
 *     also send readOnly properties and privileged-looking extras (role=admin, isAdmin=true) with
 *     distinctive values: mass_assignment { property, injected, readStep, baselineStep } on the
 *     write, where readStep reads the resource back and baselineStep shows the value without
 *     the injection (a plain create, or a read before the update).
 *     Properties the request schema declares writable are never injected (setting them is legal).
 *   - the spec's sign-up with privileged properties in the account record (account-mass-assignment.ts).
 *   - every successful read is checked for excessive_data_exposure.
 */
import type { JsonSchema, Operation, Step, TestCase } from "../../model";
import { accountMassAssignmentDrafts } from "./account-mass-assignment";
import { RUN_LAST_TAG } from "./auth-abuse";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import { closedReadOnlyExtras, injections, privilegedExtras, successSchema } from "./mass-injections";
import type { Rng } from "../generate/random";
import { agentEnv, buildRequest, copy, isJsonMedia, opRng, preferredMedia, type AgentEnv } from "./requests";
import { PRIVILEGED_IDENTITY } from "./security-auth";
import { createResource, itemRequest, resourceTargets, responseProperties, updateOptional, type ResourceTarget } from "./stateful-resources";
import { looksSecret } from "../../executor/checks/exposure";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { generateValid, setAt } from "../generate/data-mocking";
import { freshenUnique } from "../generate/unique";
import type { Agent, AgentContext } from "./types";

const NAME = "data-exposure";

/**
 * mass_assignment goes on the write itself (the check reads the write's request schema and
 * status), naming the read that shows what was stored and the step that shows the value the
 * server had or defaults to without the injection.
 */
function massChecks(injected: [string, unknown][], readStep: string | undefined, baselineStep: string): Step["checks"] {
  return injected.map(([property, value]) => check("mass_assignment", { property, injected: value, baselineStep, ...(readStep ? { readStep } : {}) }));
}

/**
 * The body with each injection where it lives (a name at the top, a JSON pointer inside an object
 * the body has), and the injections placed.
 */
function withInjections(body: Record<string, unknown>, injected: [string, unknown][]): { body: unknown; placed: [string, unknown][] } {
  let out: unknown = { ...body, ...Object.fromEntries(injected.filter(([name]) => !name.startsWith("/"))) };
  const placed = injected.filter(([name]) => !name.startsWith("/"));
  for (const [pointer, value] of injected.filter(([name]) => name.startsWith("/"))) {
    const tokens = pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    let parent: unknown = out;
    for (const token of tokens.slice(0, -1)) parent = isObject(parent) ? parent[token] : undefined;
    if (!isObject(parent)) continue;
    out = setAt(out, tokens, value);
    placed.push([pointer, value]);
  }
  return { body: out, placed };
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
    const { body, placed } = createStep.request.body && isObject(createStep.request.body.value) ? withInjections(createStep.request.body.value, injected) : { body: undefined, placed: [] };
    if (placed.length > 0 && createStep.request.body) {
      // the same create without the injection shows the server's defaults; its unique fields get
      // values of their own (the same name twice collides: a 409, or a 500 that hides the probe)
      const baseline: Step = { id: "baseline-create", request: copy(createStep.request), checks: [] };
      freshenBaseline(env, baseline.request, media.schema, opRng(env, NAME, `${target.producer.op.operationId}:${target.itemPath}:baseline`));
      createStep.request.body.value = body;
      createStep.checks.push(...massChecks(placed, target.read ? "read-back" : undefined, "baseline-create"));
      const steps = [...created.steps.slice(0, -1), baseline, createStep];
      if (target.read) steps.push({ id: "read-back", request: itemRequest(env, target.read, rng.fork("read"), created.known, probeIdentity(env)).request, checks: [check("excessive_data_exposure")] });
      drafts.push({ kind: "security", title: `${opLabel(target.producer.op.method, target.producer.op.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] });
    }
  }
  const writeOnly = writeOnlyDraft(env, target, rng.fork("write-only"));
  if (writeOnly) drafts.push(writeOnly);
  const update = target.put ?? target.patch;
  if (update && target.read) {
    const created = createResource(env, target, rng.fork("update-chain"), { identity: probeIdentity(env) });
    const draft = updateDraft(env, update, target.read, rng.fork("update"), created.known, created.steps, target.producer.property);
    if (draft) drafts.push(draft);
    drafts.push(...closedUpdateDrafts(env, update, target.read, rng.fork("closed"), created.known, created.steps, target.producer.property));
  }
  return drafts;
}

/**
 * create with the writeOnly properties a setup leaves out (a secret, a key, a password: optional,
 * so required-only creates never send them) → read back: excessive_data_exposure on both answers
 * sees one returned. Swagger 2.0 has no writeOnly: a property named as a secret (sharedSecret,
 * password) that the create accepts and neither its answer nor the read documents is one too.
 * Each gets a value its schema admits; without such a value no case.
 */
function writeOnlyDraft(env: AgentEnv, target: ResourceTarget, rng: Rng): CaseDraft | undefined {
  const media = preferredMedia(target.producer.op);
  if (!target.read || !media || !isJsonMedia(media.contentType)) return undefined;
  const identity = probeIdentity(env);
  const created = createResource(env, target, rng.fork("create"), { identity });
  const createStep = created.steps[created.steps.length - 1];
  const body = createStep.request.body;
  const flat = flattenAllOf(media.schema, env.model.schemas);
  if (!body || !isObject(body.value) || !isObject(flat) || !isObject(flat.properties)) return undefined;
  const value: Record<string, unknown> = { ...body.value };
  const added: string[] = [];
  const answered = { ...responseProperties(env, target.producer.op), ...responseProperties(env, target.read) };
  for (const [name, sub] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
    const resolved = resolve(sub, env.model.schemas);
    if (value[name] !== undefined || !isObject(resolved) || resolved.readOnly === true) continue;
    if (resolved.writeOnly !== true && !(looksSecret(name) && answered[name] === undefined)) continue;
    const v = generateValid(sub, { schemas: env.model.schemas, rng: rng.fork(name), mode: "request", optional: "required", useExamples: true, name });
    if (v === undefined || env.validator.check(v, sub) !== "valid") continue;
    value[name] = v;
    added.push(name);
  }
  if (added.length === 0 || env.validator.check(value, media.schema) !== "valid") return undefined;
  body.value = value;
  if (isObject(body.fuller)) body.fuller = { ...body.fuller, ...value };
  createStep.checks.push(check("excessive_data_exposure"));
  const read = itemRequest(env, target.read, rng.fork("read"), created.known, identity).request;
  const steps: Step[] = [...created.steps, { id: "read-back", request: read, checks: [check("not_a_server_error"), check("excessive_data_exposure")] }];
  return { kind: "security", title: `${opLabel(target.producer.op.method, target.producer.op.path)} with its write-only ${added.join(", ")}, then read back`, steps, tags: ["exposure", "write-only"] };
}

/** read → write with injected properties → read back, on a resource that exists (setup steps). */
function updateDraft(env: AgentEnv, update: Operation, read: Operation, rng: Rng, known: Record<string, string>, setup: Step[], idProperty?: string): CaseDraft | undefined {
  const media = preferredMedia(update);
  if (!media || !isJsonMedia(media.contentType)) return undefined;
  const injected = injections(env, media.schema, successSchema(update));
  const identity = probeIdentity(env);
  const built = itemRequest(env, update, rng.fork("write"), known, identity, idProperty, updateOptional(env, update));
  if (injected.length === 0 || !built.request.body || !isObject(built.request.body.value)) return undefined;
  const { body, placed } = withInjections(built.request.body.value, injected);
  if (placed.length === 0) return undefined;
  built.request.body.value = body;
  const readRequest = () => itemRequest(env, read, rng.fork("read"), known, identity).request;
  const steps: Step[] = [
    ...setup,
    { id: "read-before", request: readRequest(), checks: [], requireSuccess: true },
    { id: "update", request: built.request, checks: [check("not_a_server_error"), ...massChecks(placed, "read-back", "read-before")], requireSuccess: true },
    { id: "read-back", request: readRequest(), checks: [check("excessive_data_exposure")] },
  ];
  return { kind: "security", title: `${opLabel(update.method, update.path)} with readOnly/privileged properties`, steps, tags: ["mass-assignment"] };
}

/** New values for the unique fields (request.unique) of a baseline create, in its body and fuller body. */
function freshenBaseline(env: AgentEnv, request: Step["request"], schema: JsonSchema, rng: Rng): void {
  const body = request.body;
  if (!body || !isObject(body.value) || !request.unique || request.unique.length === 0) return;
  const fresh = freshenUnique(body.value, schema, rng, env.model.schemas, env.validator, undefined, true);
  if (!isObject(fresh.value)) return;
  body.value = fresh.value;
  if (isObject(body.fuller)) body.fuller = { ...body.fuller, ...fresh.value };
}

/** Privilege extras, and readOnly properties, probed alone per closed update body (each costs a read, a write and a read). */
const CLOSED_PROBES = 2;

/**
 * read → write with one privilege-named property the closed request schema does not declare (the
 * response's `role`, else isAdmin …), or one readOnly property of the resource it does not declare
 * (the Account's `balance` beside a PATCH body of `{nickname}`) → read back: a closed schema refuses
 * the whole write, so each rides alone; a server that stores it anyway grants the right.
 */
function closedUpdateDrafts(env: AgentEnv, update: Operation, read: Operation, rng: Rng, known: Record<string, string>, setup: Step[], idProperty?: string): CaseDraft[] {
  const media = preferredMedia(update);
  if (!media || !isJsonMedia(media.contentType)) return [];
  const identity = probeIdentity(env);
  const drafts: CaseDraft[] = [];
  const response = successSchema(update);
  const extras = privilegedExtras(env, media.schema, response).slice(0, CLOSED_PROBES);
  const readOnly = closedReadOnlyExtras(env, media.schema, response).filter(([name]) => !extras.some(([n]) => n === name)).slice(0, CLOSED_PROBES);
  for (const [name, value, what] of [...extras.map(([n, v]) => [n, v, "undeclared"] as const), ...readOnly.map(([n, v]) => [n, v, "readOnly"] as const)]) {
    const built = itemRequest(env, update, rng.fork(`write:${name}`), known, identity, idProperty, updateOptional(env, update));
    if (!built.request.body || !isObject(built.request.body.value)) continue;
    built.request.body.value = { ...built.request.body.value, [name]: value };
    const readRequest = () => itemRequest(env, read, rng.fork("read"), known, identity).request;
    drafts.push({
      kind: "security",
      title: `${opLabel(update.method, update.path)} with the ${what} ${name}=${JSON.stringify(value)}`,
      steps: [
        ...copy(setup),
        { id: "read-before", request: readRequest(), checks: [], requireSuccess: true },
        { id: "update", request: built.request, checks: [check("not_a_server_error"), ...massChecks([[name, value]], "read-back", "read-before")] },
        { id: "read-back", request: readRequest(), checks: [check("excessive_data_exposure")] },
      ],
      tags: ["mass-assignment", "closed"],
    });
  }
  return drafts;
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
    const drafts = [...(draft ? [draft] : []), ...closedUpdateDrafts(env, op, read, rng.fork("closed"), known, base.setup)];
    // no setup made the record (the caller's own profile, shared settings): a server that takes the
    // injected role keeps it for the rest of the run, so every other verdict is taken before
    if (base.setup.length === 0) for (const d of drafts) d.tags = [...(d.tags ?? []), RUN_LAST_TAG];
    if (drafts.length > 0) out.push({ op, drafts });
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
    const account = accountMassAssignmentDrafts(env);
    if (account) out.push(...finishCases(NAME, account.opId, account.drafts, cap, `account:${account.opId}`));
    return out;
  },
};
