/**
 * Triage by the LLM through the real `openai` SDK against an intercepted OpenAI-compatible
 * endpoint: answers are used only for the clusters asked about, the prompt carries no secret,
 * the budget holds, and a failing or garbage-answering provider leaves no explanation (the
 * report's deterministic one stands).
 */
import { describe, expect, it } from "vitest";
import { LlmClient } from "../client";
import { createProvider } from "../providers";
import { interceptFetch, openaiAnswer, promptText } from "../testing/wire";
import { triageClusters, type ClusterDigest } from "./explain";

const SECRET = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXVzZXI.sig-of-alice";

const digests: ClusterDigest[] = [
  { id: "cl_a", check: "jwt_weakness", severity: "critical", title: "Token with alg none accepted", operations: ["GET /items", "GET /orders"], evidence: `jwt_weakness alg-none accepted with ${SECRET} replaced by a forged token`, status: 200 },
  { id: "cl_b", check: "not_a_server_error", severity: "high", title: "Server error", operations: ["POST /a", "POST /b"], evidence: "TypeError: cannot read properties of undefined (reading 'trim')", status: 500 },
];

const client = (fetchImpl: typeof fetch, budget?: { tokens: number }) =>
  new LlmClient({ providers: [createProvider({ provider: "openai-compatible", model: "gpt-4o-mini", baseUrl: "http://127.0.0.1:9/v1" }, { fetch: fetchImpl })], retries: 0, secrets: [SECRET], sleep: async () => undefined, ...(budget ? { budget } : {}) });

describe("triage of finding clusters by the LLM", () => {
  it("explains each cluster it was asked about, with the secrets redacted from the prompt", async () => {
    const answer = {
      clusters: [
        { id: "cl_a", explanation: "Two operations accept a token whose algorithm is none.", likelyCause: "JWT signature not verified in the auth middleware" },
        { id: "cl_zzz", explanation: "An invented cluster nobody asked about.", likelyCause: "made up" },
      ],
    };
    const wire = interceptFetch(() => openaiAnswer(JSON.stringify(answer)));
    const out = await triageClusters(client(wire.fetch), digests);
    expect(out).toEqual(new Map([["cl_a", { explanation: answer.clusters[0].explanation, likelyCause: answer.clusters[0].likelyCause, source: "llm" }]]));
    expect(wire.requests).toHaveLength(1);
    const prompt = promptText(wire.requests[0]);
    expect(prompt).toContain("cannot read properties of undefined");
    expect(prompt).not.toContain("sig-of-alice");
    expect(prompt).not.toContain("c2VjcmV0LXVzZXI");
  });

  it("leaves the deterministic explanation when the provider fails, answers garbage or the budget is spent", async () => {
    const down = interceptFetch(() => new Response("upstream down", { status: 503 }));
    expect((await triageClusters(client(down.fetch), digests)).size).toBe(0);
    const garbage = interceptFetch(() => openaiAnswer("Sure! Cluster a is about tokens."));
    expect((await triageClusters(client(garbage.fetch), digests)).size).toBe(0);
    const unused = interceptFetch(() => openaiAnswer(JSON.stringify({ clusters: [] })));
    const poor = client(unused.fetch, { tokens: 50 });
    expect((await triageClusters(poor, digests)).size).toBe(0);
    expect(unused.requests).toHaveLength(0);
    expect(poor.summary()).toMatchObject({ degraded: true, reason: expect.stringContaining("budget") });
    // nothing to explain, or no LLM configured: no call at all
    expect((await triageClusters(null, digests)).size).toBe(0);
    expect((await triageClusters(client(unused.fetch), [])).size).toBe(0);
    expect(unused.requests).toHaveLength(0);
  });
});
