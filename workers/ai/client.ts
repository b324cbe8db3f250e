/**
 * The LLM client a run uses: one structured call at a time through a fallback chain of
 * providers, each attempt with a timeout and retries with exponential backoff, answers parsed
 * and validated by zod, every call inside the run's budget, answers cached by hash of (model,
 * prompt). It never throws at the caller: a call that cannot be answered returns why, and the
 * run goes on with its deterministic cases (`degraded` in the summary says why).
 */
import { z } from "zod";
import { Budget, type BudgetLimits } from "./budget";
import { sha256Hex } from "../shared/encoding";
import { cacheKeyText, type CompletionCache } from "./cache";
import { classifyError, LlmError } from "./errors";
import { priceOf, type ModelPrice } from "./prices";
import { buildPrompt, SYSTEM_PREAMBLE, type DataSection } from "./prompt";
import type { DegradedReason, LlmProvider, LlmUsageSummary, RawCompletion } from "./types";

export interface LlmClientOptions {
  /** primary first, then the fallbacks in order */
  providers: LlmProvider[];
  budget?: BudgetLimits;
  prices?: Record<string, ModelPrice>;
  cache?: CompletionCache;
  /** per attempt (default 30 s) */
  timeoutMs?: number;
  /** extra attempts per provider on retryable failures (default 2) */
  retries?: number;
  /** first backoff (default 500 ms), doubled per retry, capped at 8 s */
  backoffMs?: number;
  /** values that must never appear in a prompt (identity headers, keys) */
  secrets?: string[];
  sleep?: (ms: number) => Promise<void>;
}

export interface StructuredTask<T> {
  /** names the JSON schema (and the cache entry) */
  name: string;
  /** what to do, written by us (trusted) */
  instructions: string;
  /** untrusted material, framed as data */
  data: DataSection[];
  schema: z.ZodType<T>;
  maxOutputTokens: number;
}

export type StructuredOutcome<T> =
  | { ok: true; value: T; cached: boolean; model: string }
  | { ok: false; reason: DegradedReason; message: string };

const MAX_BACKOFF_MS = 8_000;

export class LlmClient {
  readonly budget: Budget;
  calls = 0;
  failures = 0;
  cached = 0;
  degradedReason: string | null = null;
  private readonly dead = new Set<LlmProvider>();
  readonly counters = { casesProposed: 0, casesAccepted: 0, casesRejected: 0, oraclesProposed: 0, oraclesAccepted: 0 };

  constructor(private readonly options: LlmClientOptions) {
    this.budget = new Budget(options.budget ?? {});
  }

  get primary(): LlmProvider | undefined {
    return this.options.providers[0];
  }

  async structured<T>(task: StructuredTask<T>): Promise<StructuredOutcome<T>> {
    const secrets = this.options.secrets ?? [];
    const prompt = buildPrompt(task.instructions, task.data, secrets);
    const jsonSchema = z.toJSONSchema(task.schema, { target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
    let last: LlmError | undefined;
    for (const provider of this.options.providers) {
      if (this.dead.has(provider)) continue;
      const keyText = cacheKeyText({ provider: provider.ref.provider, model: provider.ref.model, system: SYSTEM_PREAMBLE, prompt, schemaName: task.name });
      const key = this.options.cache ? await sha256Hex(keyText) : "";
      if (this.options.cache) {
        const hit = await this.options.cache.get(key).catch(() => null);
        const parsed = hit ? parseAnswer(hit.text, task.schema) : undefined;
        if (parsed?.ok) {
          this.cached += 1;
          return { ok: true, value: parsed.value, cached: true, model: provider.ref.model };
        }
      }
      const price = priceOf(provider.ref.model, this.options.prices);
      const refusal = this.budget.refuse(reservationFor(prompt, task.maxOutputTokens), price);
      if (refusal) {
        last = new LlmError("budget_exhausted", refusal, false);
        continue; // a cheaper fallback may still fit
      }
      const answer = await this.attempt(provider, task, prompt, jsonSchema, price);
      if (answer.ok) {
        if (this.options.cache) await this.options.cache.put(key, answer.raw).catch(() => undefined);
        return { ok: true, value: answer.value, cached: false, model: provider.ref.model };
      }
      last = answer.error;
      if (!answer.error.retryable && answer.error.reason !== "invalid_output") this.dead.add(provider);
    }
    const error = last ?? new LlmError("not_configured", "no LLM provider configured", false);
    this.degradedReason ??= `${error.reason}: ${error.message}`;
    return { ok: false, reason: error.reason, message: error.message };
  }

  /** One provider: attempts with timeout, retries with backoff on retryable failures and garbage. */
  private async attempt<T>(
    provider: LlmProvider,
    task: StructuredTask<T>,
    prompt: string,
    jsonSchema: Record<string, unknown>,
    price: ModelPrice | undefined,
  ): Promise<{ ok: true; value: T; raw: RawCompletion } | { ok: false; error: LlmError }> {
    const retries = this.options.retries ?? 2;
    let error: LlmError = new LlmError("provider_error", "not attempted", false);
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        const refusal = this.budget.refuse(reservationFor(prompt, task.maxOutputTokens), price);
        if (refusal) return { ok: false, error: new LlmError("budget_exhausted", refusal, false) };
        const wait = error.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, (this.options.backoffMs ?? 500) * 2 ** (attempt - 1));
        await (this.options.sleep ?? sleep)(Math.min(wait, MAX_BACKOFF_MS));
      }
      this.calls += 1;
      try {
        const raw = await this.withTimeout((signal) =>
          provider.complete({ system: SYSTEM_PREAMBLE, prompt, schemaName: task.name, jsonSchema, maxOutputTokens: task.maxOutputTokens, signal }),
        );
        // usage is charged even for an answer we then reject: it was spent
        this.budget.charge({ inputTokens: raw.usage.inputTokens, outputTokens: Math.min(raw.usage.outputTokens, task.maxOutputTokens) }, price);
        const parsed = parseAnswer(raw.text, task.schema);
        if (parsed.ok) return { ok: true, value: parsed.value, raw };
        error = new LlmError("invalid_output", `answer is not valid ${task.name}: ${parsed.message}`, true);
      } catch (caught) {
        error = classifyError(caught, caught instanceof TimeoutSignal);
      }
      this.failures += 1;
      if (!error.retryable) break;
    }
    return { ok: false, error };
  }

  private async withTimeout<R>(run: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TimeoutSignal());
      }, timeoutMs);
    });
    try {
      // the race guarantees the deadline even if an SDK ignores the signal
      return await Promise.race([run(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  summary(): LlmUsageSummary {
    const primary = this.primary;
    return {
      provider: primary?.ref.provider ?? "none",
      model: primary?.ref.model ?? "",
      calls: this.calls,
      failures: this.failures,
      inputTokens: this.budget.inputTokens,
      outputTokens: this.budget.outputTokens,
      costUsd: Math.round(this.budget.costUsd * 1e6) / 1e6,
      cached: this.cached,
      ...this.counters,
      degraded: this.degradedReason !== null,
      reason: this.degradedReason,
    };
  }
}

class TimeoutSignal extends Error {
  constructor() {
    super("timeout");
  }
}

function reservationFor(prompt: string, maxOutputTokens: number) {
  return Budget.reservation(new TextEncoder().encode(SYSTEM_PREAMBLE + prompt).byteLength, maxOutputTokens);
}

/** JSON text (a ```json fence tolerated) validated by the schema. */
export function parseAnswer<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; message: string } {
  const trimmed = text.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    return { ok: false, message: "not JSON" };
  }
  const result = schema.safeParse(data);
  if (!result.success) return { ok: false, message: result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  return { ok: true, value: result.data };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The usage summary of a run whose LLM layer did not run (no provider, or the provider was refused), with the reason. */
export function disabledSummary(reason: string | null = null): LlmUsageSummary {
  return {
    provider: "none",
    model: "",
    calls: 0,
    failures: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    cached: 0,
    casesProposed: 0,
    casesAccepted: 0,
    casesRejected: 0,
    oraclesProposed: 0,
    oraclesAccepted: 0,
    degraded: reason !== null,
    reason,
  };
}
