/**
 * The AI layer in a run's planning (called by the TestRun after the deterministic agents): builds
 * the run's LLM client (providers with the run's keys, the Workers AI binding when deployed, the
 * R2 answer cache of the org, the budget), lets the planner add LLM cases and oracles, stores new
 * oracles for the spec and records the run's `llm` account. Never fails the run: whatever goes
 * wrong leaves the deterministic cases and says why in `llm.degraded` / `llm.reason`.
 */
import type { Identities, LlmRunRequest, TestCase } from "../model";
import type { ApiModel } from "../model";
import { r2Cache } from "../ai/cache";
import { disabledSummary, LlmClient } from "../ai/client";
import { DEFAULT_BUDGET_TOKENS, DEFAULT_LLM_CASES } from "../ai/config";
import { planWithLlm } from "../ai/planner/plan-llm";
import { createProvider } from "../ai/providers";
import type { LlmModelRef } from "../ai/types";
import { checkAddress } from "../shared/address-policy";
import { openOrgLlmKeys } from "./org-llm-keys";
import { log } from "../shared/log";
import { insertOracles, listOracles } from "../storage/oracles-repo";
import { setRunLlm } from "../storage/runs-repo";
import { getSpec } from "../storage/specs-repo";

export interface LlmPlanningInput {
  runId: string;
  orgId: string;
  specId: string;
  model: ApiModel;
  cases: TestCase[];
  llm?: LlmRunRequest;
  identities: Identities;
}

export async function applyAiLayer(env: Env, input: LlmPlanningInput): Promise<{ cases: TestCase[]; warnings: string[] }> {
  const warnings: string[] = [];
  const spec = await getSpec(env.DB, input.orgId, input.specId);
  const specName = spec?.name ?? input.specId;
  const stored = await listOracles(env.DB, input.orgId, specName).catch((error) => {
    warnings.push(`stored oracles not read: ${message(error)}`);
    return [];
  });
  let client: LlmClient | null = null;
  if (input.llm) {
    const opened = await runLlmClient(env, input.orgId, input.llm, input.identities);
    if ("refusal" in opened) {
      await setRunLlm(env.DB, input.runId, { ...disabledSummary(`unavailable: ${opened.refusal}`), provider: input.llm.provider, model: input.llm.model });
    } else client = opened.client;
  }
  const started = Date.now();
  try {
    const plan = await planWithLlm({ model: input.model, cases: input.cases, client, stored, maxLlmCases: input.llm?.maxCases ?? DEFAULT_LLM_CASES });
    if (plan.newOracles.length > 0) await insertOracles(env.DB, input.orgId, specName, plan.newOracles);
    if (client) {
      await setRunLlm(env.DB, input.runId, client.summary());
      log("info", "llm planning done", { runId: input.runId, ms: Date.now() - started, cases: plan.llmCases, oracles: plan.newOracles.length, ...client.summary() });
    }
    if (plan.llmCases > 0) warnings.push(`LLM added ${plan.llmCases} cases`);
    return { cases: plan.cases, warnings };
  } catch (error) {
    // the planner does not throw by design; this guards the run against a bug in it
    log("error", "llm planning failed", { runId: input.runId, error: message(error) });
    if (client) await setRunLlm(env.DB, input.runId, { ...client.summary(), degraded: true, reason: `provider_error: ${message(error)}` });
    return { cases: input.cases, warnings: [...warnings, `AI layer skipped: ${message(error)}`] };
  }
}

/**
 * The run's LLM client: its providers with the run's keys (a provider the run brought no key for
 * uses the org's stored key, opened in memory only), or why the provider's address is refused.
 */
export async function runLlmClient(env: Env, orgId: string, llm: LlmRunRequest, identities: Identities): Promise<{ client: LlmClient } | { refusal: string }> {
  const refusal = await refusedBaseUrl(env, llm);
  if (refusal) return { refusal };
  const orgKeys = await openOrgLlmKeys(env, orgId).catch(() => ({}));
  return { client: buildClient(env, orgId, { ...llm, apiKeys: { ...orgKeys, ...definedKeys(llm.apiKeys) } }, identities) };
}

function buildClient(env: Env, orgId: string, llm: LlmRunRequest, identities: Identities): LlmClient {
  const refs: LlmModelRef[] = [{ provider: llm.provider, model: llm.model, ...(llm.baseUrl ? { baseUrl: llm.baseUrl } : {}) }, ...(llm.fallback ?? [])];
  const providers = refs.map((ref) =>
    createProvider(ref, {
      apiKey: llm.apiKeys?.[ref.provider],
      ...(env.AI ? { workersAi: { binding: env.AI } } : {}),
    }),
  );
  const secrets = [...Object.values(identities).flatMap((headers) => Object.values(headers)), ...Object.values(llm.apiKeys ?? {}).filter((k): k is string => Boolean(k))];
  return new LlmClient({
    providers,
    budget: { tokens: llm.budgetTokens ?? (llm.budgetUsd === undefined ? DEFAULT_BUDGET_TOKENS : undefined), usd: llm.budgetUsd },
    prices: llm.prices,
    cache: r2Cache(env.BLOBS, orgId),
    secrets,
  });
}

/**
 * The platform sends traffic only where allowed: a provider base URL obeys the deployment's
 * loopback/private address policy (the org's target allowlist is about targets, not providers).
 */
async function refusedBaseUrl(env: Env, llm: LlmRunRequest): Promise<string | null> {
  const urls = [llm.baseUrl, ...(llm.fallback ?? []).map((f) => f.baseUrl)].filter((u): u is string => Boolean(u));
  for (const url of urls) {
    const verdict = checkAddress(url, {
      allowLoopback: env.SENTINEL_ALLOW_LOOPBACK === "true",
      allowPrivate: env.SENTINEL_ALLOW_PRIVATE === "true",
      allowlist: [],
    });
    if (!verdict.ok) return `LLM base URL ${new URL(url).origin} refused: ${verdict.reason}`;
  }
  return null;
}

function definedKeys(keys: LlmRunRequest["apiKeys"]): Record<string, string> {
  return Object.fromEntries(Object.entries(keys ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length > 0));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
