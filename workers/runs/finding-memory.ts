/**
 * When a run is finalized its findings get their memory: `firstSeen` and `seenInRuns` (the same
 * finding id in the org's earlier runs) and `similar` (look-alikes by embedding, same org only);
 * then their vectors are stored for later runs. Vectorize with Workers AI embeddings when deployed,
 * the D1 stand-in with the lexical embedder locally. Never fails the run.
 */
import { lexicalEmbedder, workersAiEmbedder, type Embedder } from "../ai/embeddings/embedder";
import { similarFindings, type VectorIndex, type VectorMatch, type VectorMetadata } from "../ai/embeddings/memory";
import { log } from "../shared/log";
import { d1VectorIndex } from "../storage/embeddings-repo";
import { findingHistory, listFindings, setFindingMemory } from "../storage/findings-repo";

function vectorizeIndex(binding: VectorizeIndex): VectorIndex {
  return {
    async upsert(items) {
      await binding.upsert(items.map((i) => ({ id: i.id, values: i.values, metadata: { ...i.metadata } })));
    },
    async query(values, options) {
      // orgId is a metadata index of the Vectorize index (scripts/setup-cloudflare.mjs): the filter isolates orgs
      const result = await binding.query(values, { topK: Math.min(options.topK, 20), filter: { orgId: options.orgId, embedder: options.embedder }, returnMetadata: "all" });
      return result.matches.map((m): VectorMatch => ({ id: m.id, score: m.score, metadata: m.metadata as unknown as VectorMetadata }));
    },
  };
}

/** Deployed (Workers AI + Vectorize bound): bge vectors in Vectorize; otherwise lexical vectors in D1. */
export function memoryBackend(env: Env): { embedder: Embedder; index: VectorIndex } {
  if (env.AI && env.VECTORS && env.SENTINEL_ENV === "production") {
    return { embedder: workersAiEmbedder(env.AI as never), index: vectorizeIndex(env.VECTORS) };
  }
  return { embedder: lexicalEmbedder(), index: d1VectorIndex(env.DB) };
}

/** Findings per run embedded and linked (bounds the finalize step's CPU on huge runs). */
const MAX_REMEMBERED = 300;

export async function rememberFindings(env: Env, input: { orgId: string; specId: string; runId: string }): Promise<void> {
  try {
    const rows = await listFindings(env.DB, input.orgId, input.runId);
    if (rows.length === 0) return;
    // the worst first (listFindings' order); a run with more findings than this keeps the rest without links
    const findings = rows.slice(0, MAX_REMEMBERED).map((r) => r.data);
    const history = await findingHistory(env.DB, input.orgId, findings.map((f) => f.id));
    const { embedder, index } = memoryBackend(env);
    const similar = await similarFindings(index, embedder, { ...input, findings });
    const memory = new Map<string, { firstSeen: string; seenInRuns: number; similar: unknown[] }>();
    for (const f of findings) {
      const seen = history.get(f.id);
      memory.set(f.id, { firstSeen: new Date(seen?.firstSeen ?? Date.now()).toISOString(), seenInRuns: seen?.runs ?? 1, similar: similar.get(f.id) ?? [] });
    }
    await setFindingMemory(env.DB, input.orgId, input.runId, memory);
  } catch (error) {
    log("warn", "finding memory not updated", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
  }
}
