/**
 * The local stand-in for Vectorize: vectors in the D1 table `embeddings`, searched by exact cosine
 * within one org and one embedder (the SQL filter is the isolation: another org's rows are never read).
 * A vector is stored rounded to 5 decimals: as a JSON array, or — when most entries are zero, as
 * the lexical embedder's are — as its non-zero entries only (`{"n", "i", "v"}`), a fraction of the
 * text to write, read and parse at every finalize; rows of either form are read.
 */
import type { VectorIndex, VectorMatch, VectorMetadata } from "../ai/embeddings/memory";

/** Newest vectors of an org considered (exact search stays cheap in CPU and memory; older ones age out). */
const SCAN_LIMIT = 2_000;

interface StoredRow {
  id: string;
  vector: StoredVector;
  metadata: VectorMetadata;
}

/** The non-zero entries of a vector of length `n`: `v[k]` at dimension `i[k]`, `i` increasing. */
export interface SparseVector {
  n: number;
  i: number[];
  v: number[];
}

export type StoredVector = readonly number[] | SparseVector;

/** The stored text of a vector: its entries rounded to 5 decimals, sparse when that is the shorter form. */
export function encodeVector(values: readonly number[]): string {
  const rounded = values.map((v) => Math.round(v * 1e5) / 1e5);
  const i: number[] = [];
  const v: number[] = [];
  rounded.forEach((value, d) => {
    if (value !== 0) i.push(d), v.push(value);
  });
  return 2 * i.length < rounded.length ? JSON.stringify({ n: rounded.length, i, v } satisfies SparseVector) : JSON.stringify(rounded);
}

export function decodeVector(text: string): StoredVector {
  return JSON.parse(text) as StoredVector;
}

/** The non-zero entries of a stored vector, in increasing dimension. */
function sparseOf(vector: StoredVector): SparseVector {
  if (!Array.isArray(vector)) return vector as SparseVector;
  const dense = vector as readonly number[];
  const i: number[] = [];
  const v: number[] = [];
  for (let d = 0; d < dense.length; d++) if (dense[d] !== 0) i.push(d), v.push(dense[d]);
  return { n: dense.length, i, v };
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

export function cosineSearch(vectors: readonly StoredVector[]): CosineSearch {
  const rows = vectors.length;
  const sparse = vectors.map(sparseOf);
  const squares = new Float64Array(rows);
  const byLength = new Map<number, { rows: number[]; postings: { row: Uint32Array; value: Float64Array }[] }>();
  const groups = new Map<number, number[]>();
  sparse.forEach((vector, row) => {
    // zero entries add exactly nothing: the sum over the non-zero ones is the dense loop's
    let sum = 0;
    for (const v of vector.v) sum += v * v;
    squares[row] = sum;
    const group = groups.get(vector.n) ?? [];
    group.push(row);
    groups.set(vector.n, group);
  });
  for (const [length, members] of groups) {
    const counts = new Uint32Array(length);
    for (const row of members) for (const d of sparse[row].i) counts[d]++;
    const postings = Array.from(counts, (n) => ({ row: new Uint32Array(n), value: new Float64Array(n) }));
    const filled = new Uint32Array(length);
    for (const row of members) {
      const { i, v } = sparse[row];
      for (let k = 0; k < i.length; k++) {
        const d = i[k];
        const at = filled[d]++;
        postings[d].row[at] = row;
        postings[d].value[at] = v[k];
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
          const rows = results.map((row): StoredRow => ({ id: row.id, vector: decodeVector(row.vector), metadata: JSON.parse(row.metadata) as VectorMetadata }));
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
            .bind(item.id, item.metadata.orgId, item.metadata.embedder, encodeVector(item.values), JSON.stringify(item.metadata)),
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
