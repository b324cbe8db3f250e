/**
 * `npm run bench -- ai-cost`: what the AI layer costs per 100 operations. Real specs are planned
 * with the LLM layer against the scripted OpenAI-compatible model (workers/ai/testing/fake-llm.ts)
 * through the real `openai` SDK with HTTP intercepted; token counts are the prompt and answer
 * sizes at 4 characters per token (the usual English/JSON ratio of BPE tokenizers), priced with
 * the price table (gpt-4o-mini and claude-haiku-4-5). Time is the AI layer's own planning time
 * (prompt building, validation, attachment) plus, separately, an assumed provider latency.
 * The same plan rerun with the same cache measures the cache hit rate.
 */
import { readFileSync } from "node:fs";
import { memoryCache } from "../workers/ai/cache";
import { LlmClient } from "../workers/ai/client";
import { planWithLlm } from "../workers/ai/planner/plan-llm";
import { costUsd, DEFAULT_PRICES } from "../workers/ai/prices";
import { createProvider } from "../workers/ai/providers";
import { fakeChatCompletion } from "../workers/ai/testing/fake-llm";
import { interceptFetch, json } from "../workers/ai/testing/wire";
import { parseSpec } from "../workers/orchestrator/spec";

const SPECS = ["slack-web-1.7.0.json", "twilio-api-v2010-2.6.7.json", "jira-platform-2022-07-17.json", "spotify-2026.5.31.yaml"];
const ASSUMED_LATENCY_MS = 2_000; // per call, a mid-size hosted model answering ~1 kB of JSON

for (const name of SPECS) {
  const model = parseSpec(readFileSync(`${import.meta.dirname}/../../shared/specs/real/${name}`, "utf8")).model!;
  model.operations = model.operations.slice(0, 100);
  const cache = memoryCache();
  const plan = async () => {
    const wire = interceptFetch((req) => json(fakeChatCompletion(req.body as never)));
    const client = new LlmClient({ providers: [createProvider({ provider: "openai-compatible", model: "gpt-4o-mini", baseUrl: "http://127.0.0.1:9/v1" }, { fetch: wire.fetch })], cache, budget: { tokens: 5_000_000 } });
    const started = performance.now();
    const result = await planWithLlm({ model, cases: [], client, stored: [], maxLlmCases: 200 });
    return { ms: performance.now() - started, summary: client.summary(), result };
  };
  const first = await plan();
  const rerun = await plan();
  const s = first.summary;
  const per100 = 100 / model.operations.length;
  console.log(
    JSON.stringify({
      spec: name,
      operations: model.operations.length,
      calls: s.calls,
      inputTokensPer100Ops: Math.round(s.inputTokens * per100),
      outputTokensPer100Ops: Math.round(s.outputTokens * per100),
      usdPer100Ops_gpt4oMini: +(costUsd(DEFAULT_PRICES["gpt-4o-mini"], s.inputTokens, s.outputTokens) * per100).toFixed(4),
      usdPer100Ops_claudeHaiku45: +(costUsd(DEFAULT_PRICES["claude-haiku-4-5"], s.inputTokens, s.outputTokens) * per100).toFixed(4),
      llmCases: first.result.llmCases,
      oracles: first.result.newOracles.length,
      planningMs: Math.round(first.ms),
      withAssumedLatencyMs: Math.round(first.ms + s.calls * ASSUMED_LATENCY_MS),
      rerunCalls: rerun.summary.calls,
      rerunCacheHitRate: +(rerun.summary.cached / Math.max(1, rerun.summary.cached + rerun.summary.calls)).toFixed(3),
      rerunMs: Math.round(rerun.ms),
    }),
  );
}
