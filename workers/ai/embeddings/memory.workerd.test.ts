/**
 * The finding memory on the real local D1 (workerd): similar findings are found across runs of one
 * org by exact cosine, never across orgs; the R2 answer cache works on the real local bucket.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../model";
import { d1VectorIndex } from "../../storage/embeddings-repo";
import { r2Cache } from "../cache";
import { lexicalEmbedder } from "./embedder";
import { similarFindings } from "./memory";

function finding(id: string, check: Finding["check"], path: string, message: string): Finding {
  return {
    id,
    check,
    severity: "low",
    operation: { method: "get", path, operationId: path.slice(1) },
    agent: "llm",
    caseId: "c1",
    title: `Title of ${check} on GET ${path}`,
    message,
    signature: check,
    request: { method: "GET", url: `http://x${path}`, headers: {} },
    curl: "curl x",
  };
}

describe("finding memory (D1 stand-in for Vectorize)", () => {
  it("links a run's findings to look-alikes of earlier runs of the same org, never another org's", async () => {
    const index = d1VectorIndex(env.DB);
    const embedder = lexicalEmbedder();
    const limit = finding("f_limit", "llm_oracle", "/search", 'Documented rule broken: "Returns at most `limit` results." — size(/results) = 2, expected <= query limit = 1');
    const server = finding("f_500", "not_a_server_error", "/items", "status 500 on POST /items");
    expect(await similarFindings(index, embedder, { orgId: "org_a", specId: "s", runId: "run_a1", findings: [limit, server] })).toEqual(
      new Map([
        ["f_limit", []],
        ["f_500", []],
      ]),
    );
    const again = { ...limit, message: limit.message.replace("= 2", "= 3") };
    const second = await similarFindings(index, embedder, { orgId: "org_a", specId: "s", runId: "run_a2", findings: [again] });
    expect(second.get("f_limit")?.[0]).toMatchObject({ findingId: "f_limit", runId: "run_a1" });
    expect(second.get("f_limit")![0].score).toBeGreaterThan(0.95);
    expect(second.get("f_limit")!.some((s) => s.findingId === "f_500")).toBe(false);

    // another org with the very same finding sees nothing of org_a
    const other = await similarFindings(index, embedder, { orgId: "org_b", specId: "s", runId: "run_b1", findings: [limit] });
    expect(other.get("f_limit")).toEqual([]);
    const raw = await index.query(embedder.embed ? (await embedder.embed(["anything"]))[0] : [], { orgId: "org_b", embedder: embedder.id, topK: 50 });
    expect(raw.every((m) => m.metadata.orgId === "org_b")).toBe(true);
  });

  it("caches LLM answers in R2 per org", async () => {
    const a = r2Cache(env.BLOBS, "org_a");
    const b = r2Cache(env.BLOBS, "org_b");
    await a.put("k1", { text: '{"ok":true}', usage: { inputTokens: 3, outputTokens: 2 } });
    expect(await a.get("k1")).toEqual({ text: '{"ok":true}', usage: { inputTokens: 3, outputTokens: 2 } });
    expect(await b.get("k1")).toBeNull();
  });
});
