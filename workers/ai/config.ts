/**
 * The LLM settings of a run, as the REST API, the CLI and sentinel.yaml give them. Keys travel
 * with the run request only (from ANTHROPIC_API_KEY / OPENAI_API_KEY / SENTINEL_LLM_API_KEY on
 * the CLI side), are kept encrypted by the run's Durable Object and never stored in clear.
 */
import { z } from "zod";
import type { LlmRunRequest } from "../model";
import { LLM_PROVIDERS, type LlmModelRef, type LlmProviderKind } from "./types";

export const LlmModelRefSchema = z
  .object({
    provider: z.enum(LLM_PROVIDERS),
    model: z.string().min(1).max(200),
    baseUrl: z.string().url().max(2048).optional(),
  })
  .strict();

export const LlmRunRequestSchema = LlmModelRefSchema.extend({
  fallback: z.array(LlmModelRefSchema).max(4).optional(),
  budgetTokens: z.number().int().positive().max(100_000_000).optional(),
  budgetUsd: z.number().positive().max(10_000).optional(),
  prices: z.record(z.string().max(200), z.object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() }).strict()).optional(),
  /** provider → key; write-only: encrypted at rest, never echoed */
  apiKeys: z.partialRecord(z.enum(LLM_PROVIDERS), z.string().min(1).max(1000)).optional(),
  /** at most this many LLM cases (default 50) */
  maxCases: z.number().int().min(0).max(1000).optional(),
}).strict() satisfies z.ZodType<LlmRunRequest>;

/** A run that sets no budget gets this one: the LLM layer is always bounded. */
export const DEFAULT_BUDGET_TOKENS = 200_000;
export const DEFAULT_LLM_CASES = 50;

/** "openai-compatible:llama3.1" → { provider, model }; the model may itself contain colons. */
export function parseModelRef(text: string): LlmModelRef {
  const colon = text.indexOf(":");
  const provider = colon > 0 ? text.slice(0, colon) : "";
  const model = colon > 0 ? text.slice(colon + 1).trim() : "";
  if (!(LLM_PROVIDERS as readonly string[]).includes(provider) || !model) {
    throw new Error(`"${text}" is not PROVIDER:MODEL (providers: ${LLM_PROVIDERS.join(", ")})`);
  }
  return { provider: provider as LlmProviderKind, model };
}

/** Which environment variables hold the key of each provider, first found wins. */
export const KEY_VARIABLES: Record<LlmProviderKind, string[]> = {
  anthropic: ["ANTHROPIC_API_KEY", "SENTINEL_LLM_API_KEY"],
  openai: ["OPENAI_API_KEY", "SENTINEL_LLM_API_KEY"],
  "openai-compatible": ["SENTINEL_LLM_API_KEY"],
  "workers-ai": [],
};

export function keysFromEnv(providers: readonly LlmProviderKind[], env: Record<string, string | undefined>): Partial<Record<LlmProviderKind, string>> {
  const keys: Partial<Record<LlmProviderKind, string>> = {};
  for (const provider of providers) {
    const name = KEY_VARIABLES[provider].find((v) => env[v]);
    if (name) keys[provider] = env[name]!;
  }
  return keys;
}
