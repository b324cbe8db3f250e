/**
 * OpenAI and every OpenAI-compatible server (Ollama, vLLM, LM Studio, Groq, Together, Gemini's
 * compatible endpoint) through the `openai` SDK with a base URL; structured output via
 * `response_format: json_schema`.
 */
import OpenAI from "openai";
import { LlmError } from "../errors";
import type { LlmModelRef, LlmProvider, RawCompletion, StructuredCall } from "../types";

export function openaiProvider(ref: LlmModelRef, apiKey: string, fetchImpl?: typeof fetch): LlmProvider {
  const client = new OpenAI({
    // local compatible servers take no key; the SDK insists on one
    apiKey: apiKey || "none",
    maxRetries: 0,
    ...(ref.baseUrl ? { baseURL: ref.baseUrl } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const compatible = ref.provider === "openai-compatible";
  return {
    ref,
    async complete(call: StructuredCall): Promise<RawCompletion> {
      const completion = await client.chat.completions.create(
        {
          model: ref.model,
          messages: [
            { role: "system", content: call.system },
            { role: "user", content: call.prompt },
          ],
          response_format: { type: "json_schema", json_schema: { name: call.schemaName, schema: call.jsonSchema, strict: false } },
          // older compatible servers know max_tokens only; OpenAI's reasoning models want the new name
          ...(compatible ? { max_tokens: call.maxOutputTokens } : { max_completion_tokens: call.maxOutputTokens }),
          temperature: 0,
        },
        { signal: call.signal },
      );
      const text = completion.choices?.[0]?.message?.content ?? "";
      if (!text) throw new LlmError("invalid_output", "no content in the answer", true);
      return { text, usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 } };
    },
  };
}
