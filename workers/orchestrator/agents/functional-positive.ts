/**
 * functional-positive: valid requests for every operation. Spec examples first, then generated
 * requests with only the required parts, with every optional part, and one per oneOf/anyOf
 * branch of the body. Id path parameters come from setup steps creating the resource.
 * positive_data_acceptance is attached only when the request is certainly valid and addresses no
 * guessed id (a guessed id legitimately answers 404).
 */
import type { Operation, Step, TestCase } from "../../model";
import { finishCases, check, opLabel, type CaseDraft } from "./case-helpers";
import { unionBranchCount } from "./data-mocking";
import { agentEnv, buildRequest, conformanceChecks, opRng, preferredMedia, type AgentEnv, type BuildOptions } from "./requests";
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
  variants.forEach((variant, i) => {
    const built = buildRequest(env, op, rng.fork(`variant${i}`), variant.options);
    const checks = conformanceChecks();
    if (built.certain) checks.push(check("positive_data_acceptance", { valid: true }));
    const main: Step = { id: "request", request: built.request, checks };
    drafts.push({ kind: "positive", title: `${opLabel(op.method, op.path)} with ${variant.label}`, steps: [...built.setup, main], tags: variant.tags });
  });
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
