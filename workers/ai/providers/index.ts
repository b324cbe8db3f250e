/** Provider factory: one LlmModelRef + the run's key (+ the AI binding when deployed) → an LlmProvider. */
import type { LlmModelRef, LlmProvider } from "../types";
import { anthropicProvider } from "./anthropic";
import { openaiProvider } from "./openai";
import { workersAiProvider, type WorkersAiAccess } from "./workers-ai";

export interface ProviderDeps {
  /** the key for cloud providers (never logged, never in a prompt) */
  apiKey?: string;
  workersAi?: WorkersAiAccess;
  /** outbound fetch (tests intercept here) */
  fetch?: typeof fetch;
}

export function createProvider(ref: LlmModelRef, deps: ProviderDeps): LlmProvider {
  switch (ref.provider) {
    case "anthropic":
      return anthropicProvider(ref, deps.apiKey ?? "", deps.fetch);
    case "openai":
    case "openai-compatible":
      return openaiProvider(ref, deps.apiKey ?? "", deps.fetch);
    case "workers-ai":
      return workersAiProvider(ref, deps.workersAi);
  }
}
