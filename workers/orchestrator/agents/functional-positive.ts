/**
 * functional-positive: valid requests for every operation. Spec examples first, then generated
 * requests with only the required parts, with every optional part, and one per oneOf/anyOf
 * branch of the body. Id path parameters come from setup steps creating the resource.
 * positive_data_acceptance is attached to a lone request only when every value in it comes from
 * the spec (examples, enums) and it addresses no guessed id. Generated data is judged
 * differentially: a boundary case sends a valid request (baseline) and then the same request
 * with one plain string moved to its documented length limit (maxLength / minLength). Only
 * strings whose baseline value is made-up text ("Sentinel title x7k2") are moved: the server
 * accepted meaningless text there, so length is all that differs (an example or an e-mail-like
 * value carries meaning filler would lose). When the baseline is accepted and the boundary value
 * is refused, the server's limit differs from the spec's — an off-by-one.
 */
import type { JsonSchema, Operation, Step, TestCase } from "../../model";
import { finishCases, check, opLabel, roundRobin, type CaseDraft } from "./case-helpers";
import { unionBranchCount } from "./data-mocking";
import { agentEnv, buildRequest, conformanceChecks, copy, isJsonMedia, opRng, preferredMedia, settableParams, type AgentEnv, type BuildOptions, type BuiltRequest } from "./requests";
import { flattenAllOf, isObject } from "./schema";
import type { Agent, AgentContext } from "./types";

const NAME = "functional-positive";

function hasExamples(op: Operation): boolean {
  return op.parameters.some((p) => p.example !== undefined || (p.examples?.length ?? 0) > 0) || (op.requestBody?.content ?? []).some((m) => m.example !== undefined || (m.examples?.length ?? 0) > 0);
}

export function positiveDrafts(env: AgentEnv, op: Operation): CaseDraft[] {
  const rng = opRng(env, NAME, op.operationId);
  const variants: { options: BuildOptions; label: string; tags: string[] }[] = [];
  if (hasExamples(op)) variants.push({ options: { useExamples: true, optional: "required", includeBody: true }, label: "spec examples", tags: ["examples"] });
  variants.push({ options: { optional: "required", includeBody: true }, label: "required parts only", tags: ["required-only"] });
  variants.push({ options: { optional: "all" }, label: "all optional parts", tags: ["all-optional"] });
  const media = preferredMedia(op);
  const branches = media ? unionBranchCount(media.schema, env.model.schemas) : 0;
  for (let branch = 0; branch < Math.min(branches, 8); branch++) {
    variants.push({ options: { optional: "random", branch, includeBody: true }, label: `body branch ${branch}`, tags: [`branch[${branch}]`] });
  }
  variants.push({ options: { optional: "random" }, label: "random optional parts", tags: ["random"] });

  const drafts: CaseDraft[] = [];
  const boundaries = boundaryDrafts(env, op, buildRequest(env, op, rng.fork("boundary"), { useExamples: true, optional: "all", includeBody: true }));
  variants.forEach((variant, i) => {
    const built = buildRequest(env, op, rng.fork(`variant${i}`), variant.options);
    const checks = conformanceChecks();
    if (built.fromSpec) checks.push(check("positive_data_acceptance", { valid: true }));
    const main: Step = { id: "request", request: built.request, checks };
    drafts.push({ kind: "positive", title: `${opLabel(op.method, op.path)} with ${variant.label}`, steps: [...built.setup, main], tags: variant.tags });
  });
  return roundRobin([drafts, boundaries]);
}

/** Length boundaries of a plain string (no format, pattern, enum): the texts that are exactly at them. */
function lengthBoundaries(schema: JsonSchema, env: AgentEnv): { text: string; reason: string }[] {
  const s = flattenAllOf(schema, env.model.schemas);
  if (!isObject(s) || s.format !== undefined || s.pattern !== undefined || s.enum !== undefined || s.const !== undefined) return [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (!types.includes("string")) return [];
  const out: { text: string; reason: string }[] = [];
  const filler = (n: number) => "sentinel".repeat(Math.ceil(n / 8)).slice(0, n);
  // an empty string is often refused as "blank" by rule: only lengths >= 1
  if (typeof s.maxLength === "number" && s.maxLength >= 1 && s.maxLength <= 10_000) out.push({ text: filler(s.maxLength), reason: `maxLength ${s.maxLength}` });
  if (typeof s.minLength === "number" && s.minLength >= 1 && s.minLength !== s.maxLength) out.push({ text: filler(s.minLength), reason: `minLength ${s.minLength}` });
  return out;
}

/** Text the generator made up (generic or name-based free text, no example, no e-mail/URL). */
const MADE_UP_TEXT = /^sentinel[\w -]*$/i;

/**
 * Differential boundary cases, each differing from its baseline in one value: the baseline has
 * the required parts plus the field under test with its generated value, the boundary case the
 * same with that field at a length limit.
 */
function boundaryDrafts(env: AgentEnv, op: Operation, base: BuiltRequest): CaseDraft[] {
  if (!base.certain || op.method === "delete" || op.method === "head") return [];
  const drafts: CaseDraft[] = [];
  const add = (baseline: BuiltRequest["request"], request: BuiltRequest["request"], where: string, reason: string) => {
    const checks = [...conformanceChecks(), check("positive_data_acceptance", { valid: true, baselineStep: "baseline", location: where, description: `string at ${reason}` })];
    drafts.push({
      kind: "positive",
      title: `${opLabel(op.method, op.path)} with ${where} at its ${reason}`,
      steps: [...base.setup, { id: "baseline", request: baseline, checks: [], requireSuccess: true }, { id: "request", request, checks }],
      tags: ["boundary"],
    });
  };
  const params = settableParams(env, op);
  const requiredQuery = new Set(params.filter((p) => p.in === "query" && p.required).map((p) => p.name));
  const onlyRequiredQuery = (keep: string) => Object.fromEntries(Object.entries(base.request.query).filter(([name]) => requiredQuery.has(name) || name === keep));
  const body = base.body;
  const flat = body ? flattenAllOf(body.schema, env.model.schemas) : undefined;
  const required = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const bodyValue = body && base.request.body?.value !== undefined && isJsonMedia(body.media.contentType) && isObject(body.value) ? body.value : undefined;
  // the body with only its required properties (and `keep`), when that is still valid; else as built
  const onlyRequiredBody = (keep: string) => {
    if (!bodyValue || !body) return base.request.body?.value;
    const trimmed = Object.fromEntries(Object.entries(bodyValue).filter(([name]) => required.has(name) || name === keep));
    return env.validator.check(trimmed, body.schema) === "valid" ? trimmed : bodyValue;
  };
  const withParts = (query: Record<string, unknown>, value: unknown) => {
    const request = copy(base.request);
    request.query = query;
    if (request.body && value !== undefined) request.body = { contentType: request.body.contentType, value };
    return request;
  };

  for (const param of params) {
    const value = base.request.query[param.name];
    if (param.in !== "query" || typeof value !== "string" || !MADE_UP_TEXT.test(value)) continue;
    const baseline = withParts(onlyRequiredQuery(param.name), onlyRequiredBody(""));
    for (const { text, reason } of lengthBoundaries(param.schema, env)) {
      if (env.validator.check(text, param.schema) !== "valid") continue;
      add(baseline, withParts({ ...baseline.query, [param.name]: text }, baseline.body?.value), `query ${param.name}`, reason);
    }
  }
  if (bodyValue && body) {
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    for (const [name, value] of Object.entries(bodyValue)) {
      if (typeof value !== "string" || !MADE_UP_TEXT.test(value) || props[name] === undefined) continue;
      const baseValue = onlyRequiredBody(name) as Record<string, unknown>;
      const baseline = withParts(onlyRequiredQuery(""), baseValue);
      for (const { text, reason } of lengthBoundaries(props[name], env)) {
        const next = { ...baseValue, [name]: text };
        if (env.validator.check(next, body.schema) !== "valid") continue;
        add(baseline, withParts(baseline.query, next), `body ${name}`, reason);
      }
    }
  }
  return drafts;
}

export const functionalPositive: Agent = {
  name: NAME,
  description: "Valid requests for every operation: examples, required-only, all-optional, each oneOf/anyOf branch",
  generate(ctx: AgentContext): TestCase[] {
    const env = agentEnv(ctx);
    const out: TestCase[] = [];
    for (const op of ctx.model.operations) {
      if (op.method === "trace") continue;
      out.push(...finishCases(NAME, op.operationId, positiveDrafts(env, op), ctx.config.maxCasesPerOperation));
    }
    return out;
  },
};
