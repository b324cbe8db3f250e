import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmClient } from "../client";
import { anthropicAnswer, interceptFetch, json, openaiAnswer, workersAiAnswer } from "../testing/wire";
import { createProvider } from "./index";

const Answer = z.object({ ok: z.boolean(), word: z.string() });
const task = { name: "probe", instructions: "Say hello.", data: [{ name: "spec", value: { title: "Pets" } }], schema: Answer, maxOutputTokens: 50 };

describe("providers through their real SDKs (HTTP intercepted)", () => {
  it("openai: chat completions with a json_schema response format and the key as bearer", async () => {
    const wire = interceptFetch(() => openaiAnswer(JSON.stringify({ ok: true, word: "hi" })));
    const provider = createProvider({ provider: "openai", model: "gpt-4o-mini" }, { apiKey: "sk-test-openai-000000000000", fetch: wire.fetch });
    const client = new LlmClient({ providers: [provider] });
    const out = await client.structured(task);
    expect(out).toEqual({ ok: true, value: { ok: true, word: "hi" }, cached: false, model: "gpt-4o-mini" });
    const [request] = wire.requests;
    expect(request.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer sk-test-openai-000000000000");
    expect((request.body.response_format as { type: string }).type).toBe("json_schema");
    expect(request.body.max_completion_tokens).toBe(50);
    expect(client.summary()).toMatchObject({ calls: 1, inputTokens: 120, outputTokens: 30, costUsd: expect.any(Number) });
    expect(client.summary().costUsd).toBeCloseTo((120 * 0.15 + 30 * 0.6) / 1e6, 9);
  });

  it("openai-compatible: the base URL is used and max_tokens is sent", async () => {
    const wire = interceptFetch(() => openaiAnswer(JSON.stringify({ ok: true, word: "local" })));
    const provider = createProvider({ provider: "openai-compatible", model: "llama3.1", baseUrl: "http://127.0.0.1:11434/v1" }, { fetch: wire.fetch });
    const out = await new LlmClient({ providers: [provider] }).structured(task);
    expect(out.ok).toBe(true);
    expect(wire.requests[0].url).toBe("http://127.0.0.1:11434/v1/chat/completions");
    expect(wire.requests[0].body.max_tokens).toBe(50);
  });

  it("anthropic: messages API with output_config json_schema and the key", async () => {
    const wire = interceptFetch(() => anthropicAnswer(JSON.stringify({ ok: true, word: "claude" })));
    const provider = createProvider({ provider: "anthropic", model: "claude-haiku-4-5" }, { apiKey: "sk-ant-test-0000000000000", fetch: wire.fetch });
    const client = new LlmClient({ providers: [provider] });
    const out = await client.structured(task);
    expect(out).toMatchObject({ ok: true, value: { word: "claude" } });
    const [request] = wire.requests;
    expect(request.url).toBe("https://api.anthropic.com/v1/messages");
    expect(request.headers["x-api-key"] ?? request.headers.authorization).toContain("sk-ant-test-0000000000000");
    expect((request.body.output_config as { format: { type: string } }).format.type).toBe("json_schema");
    expect(client.summary()).toMatchObject({ inputTokens: 110, outputTokens: 25 });
  });

  it("workers-ai: the ai SDK with workers-ai-provider (REST transport intercepted)", async () => {
    const wire = interceptFetch(() => workersAiAnswer(JSON.stringify({ ok: true, word: "edge" })));
    const provider = createProvider(
      { provider: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" },
      { workersAi: { accountId: "acc123", apiKey: "cf-test-token-000000", fetch: wire.fetch } },
    );
    const client = new LlmClient({ providers: [provider] });
    const out = await client.structured(task);
    expect(out).toMatchObject({ ok: true, value: { word: "edge" } });
    expect(wire.requests[0].url).toContain("/accounts/acc123/ai/run/@cf/meta/llama-3.1-8b-instruct");
    expect(client.summary()).toMatchObject({ inputTokens: 90, outputTokens: 20 });
  });

  it("workers-ai without a binding is 'not available' and the chain falls back", async () => {
    const wire = interceptFetch(() => openaiAnswer(JSON.stringify({ ok: true, word: "fallback" })));
    const client = new LlmClient({
      providers: [
        createProvider({ provider: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" }, {}),
        createProvider({ provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:9/v1" }, { fetch: wire.fetch }),
      ],
    });
    const out = await client.structured(task);
    expect(out).toMatchObject({ ok: true, value: { word: "fallback" }, model: "m" });
  });

  it("a failing primary (500 on every attempt) falls back to a working secondary", async () => {
    const primary = interceptFetch(() => json({ error: { message: "boom", type: "server_error" } }, 500));
    const secondary = interceptFetch(() => anthropicAnswer(JSON.stringify({ ok: true, word: "second" })));
    const client = new LlmClient({
      providers: [
        createProvider({ provider: "openai", model: "gpt-4o-mini" }, { apiKey: "k", fetch: primary.fetch }),
        createProvider({ provider: "anthropic", model: "claude-haiku-4-5" }, { apiKey: "k", fetch: secondary.fetch }),
      ],
      retries: 2,
      sleep: async () => undefined,
    });
    const out = await client.structured(task);
    expect(out).toMatchObject({ ok: true, value: { word: "second" }, model: "claude-haiku-4-5" });
    expect(primary.requests).toHaveLength(3); // first try + 2 retries
    expect(client.summary()).toMatchObject({ calls: 4, failures: 3, degraded: false });
  });
});
