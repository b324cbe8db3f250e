/** Anthropic through @anthropic-ai/sdk, structured output via `output_config.format` (JSON schema). */
import Anthropic from "@anthropic-ai/sdk";
import { LlmError } from "../errors";
import type { LlmModelRef, LlmProvider, RawCompletion, StructuredCall } from "../types";

export function anthropicProvider(ref: LlmModelRef, apiKey: string, fetchImpl?: typeof fetch): LlmProvider {
  const client = new Anthropic({ apiKey, maxRetries: 0, ...(ref.baseUrl ? { baseURL: ref.baseUrl } : {}), ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return {
    ref,
    async complete(call: StructuredCall): Promise<RawCompletion> {
      const message = await client.messages.create(
        {
          model: ref.model,
          max_tokens: call.maxOutputTokens,
          system: call.system,
          messages: [{ role: "user", content: call.prompt }],
          output_config: { format: { type: "json_schema", schema: call.jsonSchema } },
        },
        { signal: call.signal },
      );
      const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
      if (!text) throw new LlmError("invalid_output", `no text in the answer (stop reason ${message.stop_reason})`, true);
      return { text, usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens } };
    },
  };
}
