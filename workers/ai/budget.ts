/**
 * The per-run budget in tokens and USD. A call is allowed only if its worst case fits: the
 * reservation counts one token per prompt byte (no tokenizer makes more tokens than bytes, plus
 * a fixed overhead for the message frame) and the call's whole output cap. Actual usage is then
 * charged, so the total never exceeds the budget whatever the provider answers.
 */
import { costUsd, type ModelPrice } from "./prices";
import type { TokenUsage } from "./types";

export interface BudgetLimits {
  tokens?: number;
  usd?: number;
}

const FRAME_OVERHEAD_TOKENS = 64;

export class Budget {
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  constructor(readonly limits: BudgetLimits) {}

  /** Worst-case tokens of a call with this prompt and output cap. */
  static reservation(promptBytes: number, maxOutputTokens: number): TokenUsage {
    return { inputTokens: promptBytes + FRAME_OVERHEAD_TOKENS, outputTokens: maxOutputTokens };
  }

  /** Why the call may not be made, or null when its worst case fits. */
  refuse(worst: TokenUsage, price: ModelPrice | undefined): string | null {
    const tokens = this.inputTokens + this.outputTokens + worst.inputTokens + worst.outputTokens;
    if (this.limits.tokens !== undefined && tokens > this.limits.tokens) {
      return `token budget ${this.limits.tokens} would be exceeded (used ${this.inputTokens + this.outputTokens}, next call up to ${worst.inputTokens + worst.outputTokens})`;
    }
    const usd = this.costUsd + costUsd(price, worst.inputTokens, worst.outputTokens);
    if (this.limits.usd !== undefined && usd > this.limits.usd) {
      return `USD budget ${this.limits.usd} would be exceeded (spent ${this.costUsd.toFixed(6)})`;
    }
    return null;
  }

  charge(usage: TokenUsage, price: ModelPrice | undefined): void {
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.costUsd += costUsd(price, usage.inputTokens, usage.outputTokens);
  }
}
