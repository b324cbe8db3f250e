/**
 * Workers AI through workers-ai-provider and the `ai` SDK (object output from a JSON schema).
 * Deployed only: the binding exists in the production configuration; without it the provider is
 * "not available". Credentials mode (account id + token over the REST API) serves tests.
 */
import { generateText, jsonSchema, Output } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import { LlmError } from "../errors";
import type { LlmModelRef, LlmProvider, RawCompletion, StructuredCall } from "../types";

/** the AI binding (deployed) or REST credentials (tests, `sentinel llm check`) — workers-ai-provider's own settings type */
export type WorkersAiAccess = Parameters<typeof createWorkersAI>[0];

export function workersAiProvider(ref: LlmModelRef, access: WorkersAiAccess | undefined): LlmProvider {
  if (!access) {
    return {
      ref,
      async complete(): Promise<RawCompletion> {
        throw new LlmError("unavailable", "Workers AI is not available here (no AI binding: deployed environment only)", false);
      },
    };
  }
  const workersai = createWorkersAI(access);
  return {
    ref,
    async complete(call: StructuredCall): Promise<RawCompletion> {
      const result = await generateText({
        model: workersai(ref.model as Parameters<typeof workersai>[0]),
        system: call.system,
        prompt: call.prompt,
        output: Output.object({ schema: jsonSchema(call.jsonSchema), name: call.schemaName }),
        maxOutputTokens: call.maxOutputTokens,
        maxRetries: 0,
        temperature: 0,
        abortSignal: call.signal,
      });
      const text = result.text;
      if (!text) throw new LlmError("invalid_output", "no text in the answer", true);
      return { text, usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 } };
    },
  };
}
