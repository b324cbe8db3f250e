/// <reference types="node" />
/**
 * The OpenAI-compatible embedder: the real `openai` SDK against a fake embeddings server on
 * loopback (the network edge), and the choice of embedder from the deployment's settings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryBackend } from "../../runs/finding-memory";
import { openaiEmbedder } from "./embedder";
import { listenLoopback, type LoopbackServer } from "../../../test/loopback-server";

let target: LoopbackServer;
let base: string;
const seen: { auth?: string; body: { model: string; input: string[] } }[] = [];

beforeAll(async () => {
  target = await listenLoopback((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { model: string; input: string[] };
      seen.push({ auth: req.headers.authorization, body: parsed });
      if (req.url !== "/v1/embeddings" || parsed.model === "broken") return res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"down"}}');
      // answered out of order on purpose: the index decides
      const data = parsed.input.map((text, index) => ({ object: "embedding", index, embedding: [text.length, index + 1, 0.5] })).reverse();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, model: parsed.model, usage: { prompt_tokens: 3, total_tokens: 3 } }));
    });
  });
  base = `${target.url}/v1`;
});
afterAll(() => target.close());

describe("openaiEmbedder", () => {
  it("embeds a batch through the openai SDK, in input order, with the key as bearer", async () => {
    const embedder = openaiEmbedder({ baseUrl: base, model: "nomic-embed-text", apiKey: "sk-embed-test" });
    expect(embedder.id).toBe("openai:nomic-embed-text");
    expect(await embedder.embed(["ab", "abcd"])).toEqual([
      [2, 1, 0.5],
      [4, 2, 0.5],
    ]);
    expect(seen.at(-1)).toMatchObject({ auth: "Bearer sk-embed-test", body: { model: "nomic-embed-text", input: ["ab", "abcd"] } });
  });

  it("a failing endpoint is an error (the finding memory then keeps firstSeen/seenInRuns without links)", async () => {
    await expect(openaiEmbedder({ baseUrl: base, model: "broken" }).embed(["x"])).rejects.toThrow();
  });
});

describe("memoryBackend", () => {
  const db = {} as D1Database;
  it("uses the configured embeddings endpoint off Cloudflare, the lexical embedder otherwise", () => {
    const configured = memoryBackend({ DB: db, SENTINEL_ENV: "local", SENTINEL_ALLOW_LOOPBACK: "true", SENTINEL_EMBEDDINGS_BASE_URL: base, SENTINEL_EMBEDDINGS_MODEL: "nomic-embed-text" } as unknown as Env);
    expect(configured.embedder.id).toBe("openai:nomic-embed-text");
    expect(memoryBackend({ DB: db, SENTINEL_ENV: "local" } as unknown as Env).embedder.id).toBe("lexical-768");
  });

  it("an endpoint the address policy refuses is not used", () => {
    const refused = memoryBackend({ DB: db, SENTINEL_ENV: "local", SENTINEL_ALLOW_LOOPBACK: "false", SENTINEL_EMBEDDINGS_BASE_URL: base } as unknown as Env);
    expect(refused.embedder.id).toBe("lexical-768");
  });
});
