/** Why a provider call failed, in the few classes the fallback chain decides on. */
import type { DegradedReason } from "./types";

export class LlmError extends Error {
  constructor(
    readonly reason: DegradedReason,
    message: string,
    /** worth trying the same provider again (429, 5xx, network, timeout) */
    readonly retryable: boolean,
    /** server-suggested wait (Retry-After) */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

/** Maps an SDK error (openai, anthropic, ai SDK) or a plain failure to an LlmError. */
export function classifyError(error: unknown, timedOut: boolean): LlmError {
  if (error instanceof LlmError) return error;
  if (timedOut) return new LlmError("timeout", "the provider did not answer in time", true);
  const e = error as { status?: number; statusCode?: number; headers?: unknown; responseHeaders?: unknown; message?: string; name?: string };
  const status = typeof e?.status === "number" ? e.status : typeof e?.statusCode === "number" ? e.statusCode : undefined;
  const message = (e?.message ?? String(error)).slice(0, 200);
  if (status === 429) return new LlmError("rate_limited", `rate limited (429): ${message}`, true, retryAfter(e.headers ?? e.responseHeaders));
  if (status !== undefined && status >= 500) return new LlmError("provider_error", `provider error ${status}: ${message}`, true);
  if (status === 401 || status === 403) return new LlmError("provider_error", `authentication refused (${status})`, false);
  if (status !== undefined) return new LlmError("provider_error", `provider answered ${status}: ${message}`, false);
  if (e?.name === "AbortError" || /abort/i.test(message)) return new LlmError("timeout", "the provider did not answer in time", true);
  return new LlmError("provider_error", `provider unreachable: ${message}`, true);
}

function retryAfter(headers: unknown): number | undefined {
  let value: string | null | undefined;
  if (headers && typeof (headers as Headers).get === "function") value = (headers as Headers).get("retry-after");
  else if (headers && typeof headers === "object") value = (headers as Record<string, string>)["retry-after"];
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
