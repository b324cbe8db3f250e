/**
 * A fake OpenAI-compatible provider on 127.0.0.1 (the one network edge tests may fake): answers
 * /v1/chat/completions with the scripted model of workers/ai/testing/fake-llm.ts and records
 * every prompt, so tests can prove what was (and was not) sent.
 */
import { createServer } from "node:http";
import { fakeChatCompletion } from "../../workers/ai/testing/fake-llm";
import { listenLoopback } from "../loopback-server";

export interface FakeLlmServer {
  url: string;
  prompts: string[];
  close(): Promise<void>;
}

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const prompts: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      prompts.push(text);
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(fakeChatCompletion(JSON.parse(text))));
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url: `${url}/v1`, prompts, close };
}
