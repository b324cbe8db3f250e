/**
 * The local stand-in for Vectorize: vectors in the D1 table `embeddings`, searched by exact cosine
 * within one org and one embedder (the SQL filter is the isolation: another org's rows are never read).
 */
import type { VectorIndex, VectorMatch, VectorMetadata } from "../ai/embeddings/memory";

/** Newest vectors of an org considered (exact search stays cheap in CPU and memory; older ones age out). */
const SCAN_LIMIT = 2_000;

interface StoredRow {
  id: string;
  vector: number[];
  metadata: VectorMetadata;
}

/**
 * Exact cosine search over stored vectors of one length through an inverted index: per dimension,
 * the rows whose entry there is not zero. A zero entry adds nothing to a dot product, so summing,
 * per row, only the terms where both entries are non-zero, in increasing dimension, gives the
 * dense loop's sum of shared/cosine.ts bit for bit — at a fraction of the work for the lexical
 * embedder's vectors, which are mostly zeros.
 */
export interface CosineSearch {
  /** cosine(query, row) of every row, in row order */
  scores(query: readonly number[]): Float64Array;
}

export function cosineSearch(vectors: readonly (readonly number[])[]): CosineSearch {
  const rows = vectors.length;
  const squares = new Float64Array(rows);
  const byLength = new Map<number, { rows: number[]; postings: { row: Uint32Array; value: Float64Array }[] }>();
  const groups = new Map<number, number[]>();
  vectors.forEach((vector, row) => {
    let sum = 0;
    for (const v of vector) sum += v * v;
    squares[row] = sum;
    const group = groups.get(vector.length) ?? [];
    group.push(row);
    groups.set(vector.length, group);
  });
  for (const [length, members] of groups) {
    const counts = new Uint32Array(length);
    for (const row of members) {
      const vector = vectors[row];
      for (let d = 0; d < length; d++) if (vector[d] !== 0) counts[d]++;
    }
    const postings = Array.from(counts, (n) => ({ row: new Uint32Array(n), value: new Float64Array(n) }));
    const filled = new Uint32Array(length);
    for (const row of members) {
      const vector = vectors[row];
      for (let d = 0; d < length; d++) {
        const v = vector[d];
        if (v === 0) continue;
        const k = filled[d]++;
        postings[d].row[k] = row;
        postings[d].value[k] = v;
      }
    }
    byLength.set(length, { rows: members, postings });
  }
  return {
    scores(query) {
      const out = new Float64Array(rows);
      const group = query.length === 0 ? undefined : byLength.get(query.length);
      if (!group) return out;
      let querySquares = 0;
      for (const v of query) querySquares += v * v;
      if (querySquares === 0) return out;
      const dots = new Float64Array(rows);
      for (let d = 0; d < query.length; d++) {
        const q = query[d];
        if (q === 0) continue;
        const { row, value } = group.postings[d];
        for (let k = 0; k < row.length; k++) dots[row[k]] += q * value[k];
      }
      for (const row of group.rows) out[row] = squares[row] === 0 ? 0 : dots[row] / Math.sqrt(querySquares * squares[row]);
      return out;
    },
  };
}

/**
 * The `topK` best of `scores` in the order a stable sort by descending score would give (earlier
 * rows first among equal scores), without sorting every row.
 */
export function topIndexes(scores: Float64Array, topK: number): number[] {
  const best: number[] = [];
  if (topK <= 0) return best;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (best.length === topK && !(score > scores[best[topK - 1]])) continue;
    // after every kept row whose score is at least this one's
    let slot = best.length;
    while (slot > 0 && scores[best[slot - 1]] < score) slot--;
    best.splice(slot, 0, i);
    if (best.length > topK) best.pop();
  }
  return best;
}

/** One index per use (a run's finalize): the org's vectors are read once and searched in memory. */
export function d1VectorIndex(db: D1Database): VectorIndex {
  const loaded = new Map<string, Promise<{ rows: StoredRow[]; search: CosineSearch }>>();
  const rows = (orgId: string, embedder: string) => {
    const key = `${orgId}\n${embedder}`;
    let entry = loaded.get(key);
    if (!entry) {
      entry = db
        .prepare(`SELECT id, vector, metadata FROM embeddings WHERE org_id = ? AND kind = ? ORDER BY created_at DESC LIMIT ?`)
        .bind(orgId, embedder, SCAN_LIMIT)
        .all<{ id: string; vector: string; metadata: string }>()
        .then(({ results }) => {
          const rows = results.map((row): StoredRow => ({ id: row.id, vector: JSON.parse(row.vector) as number[], metadata: JSON.parse(row.metadata) as VectorMetadata }));
          return { rows, search: cosineSearch(rows.map((row) => row.vector)) };
        });
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
      const { rows: stored, search } = await rows(options.orgId, options.embedder);
      const scores = search.scores(values);
      return topIndexes(scores, options.topK).map((i): VectorMatch => ({ id: stored[i].id, score: scores[i], metadata: stored[i].metadata }));
    },
  };
}
