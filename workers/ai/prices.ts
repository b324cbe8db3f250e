/**
 * USD per million tokens (input, output) by model, from the providers' public price lists
 * (December 2026). Overridable per run (`prices` in the LLM config); unknown models cost 0 and
 * say so, so a USD budget on an unpriced model is enforced on tokens only.
 */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  "gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
  "@cf/meta/llama-3.1-8b-instruct": { inputPerMTok: 0.282, outputPerMTok: 0.827 },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { inputPerMTok: 0.293, outputPerMTok: 2.253 },
};

export function priceOf(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  return overrides[model] ?? DEFAULT_PRICES[model];
}

export function costUsd(price: ModelPrice | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
