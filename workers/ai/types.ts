/**
 * The AI layer's vocabulary: which model to call, what a structured call is, what a provider
 * returns, and the per-run usage summary that becomes the report's `llm` object.
 * Pure types and constants: imported by the CLI, the gateway and the Durable Object alike.
 */

export const LLM_PROVIDERS = ["anthropic", "openai", "openai-compatible", "workers-ai"] as const;
export type LlmProviderKind = (typeof LLM_PROVIDERS)[number];

export interface LlmModelRef {
  provider: LlmProviderKind;
  model: string;
  /** OpenAI-compatible servers (and proxies for the others) */
  baseUrl?: string;
}

/** One structured request: the provider must answer JSON matching `jsonSchema`. */
export interface StructuredCall {
  system: string;
  prompt: string;
  schemaName: string;
  jsonSchema: Record<string, unknown>;
  maxOutputTokens: number;
  signal: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface RawCompletion {
  /** the model's JSON text (validated by the caller) */
  text: string;
  usage: TokenUsage;
}

export interface LlmProvider {
  readonly ref: LlmModelRef;
  complete(call: StructuredCall): Promise<RawCompletion>;
}

export type DegradedReason = "unavailable" | "timeout" | "rate_limited" | "provider_error" | "invalid_output" | "budget_exhausted" | "not_configured";

/** The report's `llm` object (issue 11 contract: keep these names). */
export interface LlmUsageSummary {
  provider: string;
  model: string;
  calls: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: number;
  casesProposed: number;
  casesAccepted: number;
  casesRejected: number;
  oraclesProposed: number;
  oraclesAccepted: number;
  degraded: boolean;
  reason: string | null;
}
