/**
 * The valid request a wasm agent's cases start from, so a fuzzed value is the only thing wrong
 * with them and reaches the code behind the validator: the positive generator's request with the
 * required parts (the required part of the spec's example when valid), real ids from setup steps
 * that create the parents, and fresh values in unique-looking fields (a resent example collides).
 *
 * The host hands the wasm agent this request's values (model-view.ts), then puts the setup steps
 * in front of every case it returns and gives each case unique values of its own.
 */
import type { ApiModel, TestCase } from "../../model";
import type { AgentContext } from "../agents/types";
import { agentEnv, buildRequest, copy, isJsonMedia, opRng, type AgentEnv, type BuiltRequest } from "../agents/requests";
import { freshenUnique } from "../generate/unique";
import { deriveSeed, Rng } from "../generate/random";

export interface PositiveBases {
  env: AgentEnv;
  agent: string;
  byOperation: Map<string, BuiltRequest>;
}

export function positiveBases(ctx: AgentContext, agent: string): PositiveBases {
  const env = agentEnv(ctx);
  const byOperation = new Map<string, BuiltRequest>();
  for (const op of ctx.model.operations) {
    byOperation.set(op.operationId, buildRequest(env, op, opRng(env, agent, op.operationId), { useExamples: true, optional: "required", includeBody: true, exampleParts: "required" }));
  }
  return { env, agent, byOperation };
}

/** The JSON object body of a base, when it has one (wasm agents fuzz its top-level properties). */
export function baseBody(base: BuiltRequest): Record<string, unknown> | undefined {
  const value = base.request.body?.value;
  if (!base.body || !isJsonMedia(base.body.media.contentType)) return undefined;
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Every case behind its operation's setup steps; unique fields the case did not fuzz made fresh. */
export function embedInBases(cases: TestCase[], bases: PositiveBases, model: ApiModel): TestCase[] {
  return cases.map((testCase) => {
    const base = bases.byOperation.get(testCase.operationId);
    if (!base) return testCase;
    const steps = testCase.steps.map((step) => freshUnique(step, base, bases, model, testCase.id));
    return { ...testCase, steps: [...copy(neededSetup(base.setup, steps)), ...steps] };
  });
}

/**
 * The setup steps a case uses: one that only extracts values no later step reads (the case put a
 * fuzzed id of its own in the path) is left out with the steps only it needed — its create may
 * fail, and the fuzzed request would never be sent.
 */
export function neededSetup(setup: TestCase["steps"], steps: TestCase["steps"]): TestCase["steps"] {
  const kept: TestCase["steps"] = [];
  // a request uses its {{variables}} and the variables its body references are bound to
  const uses = (request: TestCase["steps"][number]["request"]) => JSON.stringify(request) + (request.references ?? []).map((r) => `{{${r.variable}}}`).join("");
  let using = steps.map((step) => uses(step.request)).join("\n");
  for (let i = setup.length - 1; i >= 0; i--) {
    const step = setup[i];
    const names = Object.keys(step.extract ?? {});
    if (names.length > 0 && !names.some((name) => using.includes(`{{${name}}}`))) continue;
    kept.unshift(step);
    using += `\n${uses(step.request)}${step.instead ? uses(step.instead.request) : ""}`;
  }
  return kept;
}

function freshUnique(step: TestCase["steps"][number], base: BuiltRequest, bases: PositiveBases, model: ApiModel, caseId: string): TestCase["steps"][number] {
  const original = baseBody(base);
  const sent = step.request.body?.value;
  if (!original || !base.body || !base.request.unique?.length || sent === null || typeof sent !== "object" || Array.isArray(sent)) return step;
  const fresh = freshenUnique(original, base.body.schema, new Rng(deriveSeed(bases.env.seed, bases.agent, caseId)), model.schemas, bases.env.validator);
  const value = { ...(sent as Record<string, unknown>) };
  const unique: string[] = [];
  for (const pointer of fresh.pointers) {
    const key = pointer.slice(1);
    if (key.includes("/") || JSON.stringify(value[key]) !== JSON.stringify(original[key])) continue; // nested, or the fuzzed field
    value[key] = (fresh.value as Record<string, unknown>)[key];
    unique.push(pointer);
  }
  const request = { ...step.request, body: { ...step.request.body!, value } };
  if (unique.length > 0) request.unique = unique;
  else delete request.unique;
  return { ...step, request };
}
