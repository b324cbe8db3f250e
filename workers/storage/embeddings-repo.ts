/**
 * The local stand-in for Vectorize: vectors in the D1 table `embeddings`, searched by exact cosine
 * within one org and one embedder (the SQL filter is the isolation: another org's rows are never read).
 */
import { cosine } from "../shared/cosine";
import type { VectorIndex, VectorMatch, VectorMetadata } from "../ai/embeddings/memory";

/** Newest vectors of an org considered (exact search stays cheap in CPU and memory; older ones age out). */
const SCAN_LIMIT = 2_000;

/** One index per use (a run's finalize): the org's vectors are read once and searched in memory. */
export function d1VectorIndex(db: D1Database): VectorIndex {
  const loaded = new Map<string, Promise<{ id: string; vector: number[]; metadata: VectorMetadata }[]>>();
  const rows = (orgId: string, embedder: string) => {
    const key = `${orgId}\n${embedder}`;
    let entry = loaded.get(key);
    if (!entry) {
      entry = db
        .prepare(`SELECT id, vector, metadata FROM embeddings WHERE org_id = ? AND kind = ? ORDER BY created_at DESC LIMIT ?`)
        .bind(orgId, embedder, SCAN_LIMIT)
        .all<{ id: string; vector: string; metadata: string }>()
        .then(({ results }) => results.map((row) => ({ id: row.id, vector: JSON.parse(row.vector) as number[], metadata: JSON.parse(row.metadata) as VectorMetadata })));
      loaded.set(key, entry);
    }
    return entry;
  };
  return {
    async upsert(items) {
      if (items.length === 0) return;
      for (const item of items) loaded.delete(`${item.metadata.orgId}\n${item.metadata.embedder}`);
      await db.batch(
        items.map((item) =>
          db
            .prepare(`INSERT OR REPLACE INTO embeddings (id, org_id, kind, vector, metadata) VALUES (?, ?, ?, ?, ?)`)
            .bind(item.id, item.metadata.orgId, item.metadata.embedder, JSON.stringify(item.values.map((v) => Math.round(v * 1e5) / 1e5)), JSON.stringify(item.metadata)),
        ),
      );
    },
    async query(values, options) {
      const matches: VectorMatch[] = (await rows(options.orgId, options.embedder)).map((row) => ({ id: row.id, score: cosine(values, row.vector), metadata: row.metadata }));
      return matches.sort((a, b) => b.score - a.score).slice(0, options.topK);
    },
  };
}
