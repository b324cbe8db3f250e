/**
 * Test support at the network edge only: provider wire formats and an intercepting fetch, so
 * the real SDKs (openai, @anthropic-ai/sdk, ai + workers-ai-provider) run unmodified in tests.
 */
export interface CapturedRequest {
  url: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export type Responder = (request: CapturedRequest, n: number) => Response | Promise<Response>;

export function interceptFetch(respond: Responder): { fetch: typeof fetch; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const intercepted = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const text = await request.text();
    const captured: CapturedRequest = {
      url: request.url,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: Object.fromEntries(request.headers),
    };
    requests.push(captured);
    if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
    return respond(captured, requests.length);
  }) as typeof fetch;
  return { fetch: intercepted, requests };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function openaiAnswer(content: string, usage = { prompt_tokens: 120, completion_tokens: 30 }): Response {
  return json({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

export function anthropicAnswer(text: string, usage = { input_tokens: 110, output_tokens: 25 }): Response {
  return json({ id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text }], stop_reason: "end_turn", usage });
}

export function workersAiAnswer(text: string, usage = { prompt_tokens: 90, completion_tokens: 20 }): Response {
  return json({ success: true, errors: [], messages: [], result: { response: text, usage } });
}

/** The concatenated prompt text of any provider request (system + messages). */
export function promptText(request: CapturedRequest): string {
  return JSON.stringify(request.body);
}
