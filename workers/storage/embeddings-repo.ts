/**
 * The local stand-in for Vectorize: vectors in the D1 table `embeddings`, searched by exact cosine
 * within one org and one embedder (the SQL filter is the isolation: another org's rows are never read).
 */
import { cosine } from "../shared/cosine";
import type { VectorIndex, VectorMatch, VectorMetadata } from "../ai/embeddings/memory";

/** Newest vectors of an org considered per query (exact search stays cheap; older ones age out). */
const SCAN_LIMIT = 5_000;

export function d1VectorIndex(db: D1Database): VectorIndex {
  return {
    async upsert(items) {
      if (items.length === 0) return;
      await db.batch(
        items.map((item) =>
          db
            .prepare(`INSERT OR REPLACE INTO embeddings (id, org_id, kind, vector, metadata) VALUES (?, ?, ?, ?, ?)`)
            .bind(item.id, item.metadata.orgId, item.metadata.embedder, JSON.stringify(item.values.map((v) => Math.round(v * 1e5) / 1e5)), JSON.stringify(item.metadata)),
        ),
      );
    },
    async query(values, options) {
      const { results } = await db
        .prepare(`SELECT id, vector, metadata FROM embeddings WHERE org_id = ? AND kind = ? ORDER BY created_at DESC LIMIT ?`)
        .bind(options.orgId, options.embedder, SCAN_LIMIT)
        .all<{ id: string; vector: string; metadata: string }>();
      const matches: VectorMatch[] = results.map((row) => ({ id: row.id, score: cosine(values, JSON.parse(row.vector) as number[]), metadata: JSON.parse(row.metadata) as VectorMetadata }));
      return matches.sort((a, b) => b.score - a.score).slice(0, options.topK);
    },
  };
}
