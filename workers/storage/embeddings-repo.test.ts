import { describe, expect, it } from "vitest";
import { cosine } from "../shared/cosine";
import { lexicalVector } from "../ai/embeddings/embedder";
import { cosineSearch, decodeVector, encodeVector, topIndexes } from "./embeddings-repo";

/** A deterministic pseudo-random stream (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the D1 vector index's exact search", () => {
  it("scores every pair exactly as the dense cosine does (sparse lexical and dense float vectors)", () => {
    const random = rng(7);
    const texts = ["server_error GET /items/{id} 500 on a valid request", "schema_mismatch POST /orders body missing total", "", "auth bypass DELETE /users/{id}"];
    const lexical = texts.map((t) => lexicalVector(t));
    const dense = Array.from({ length: 6 }, () => Array.from({ length: 64 }, () => (random() < 0.2 ? 0 : Math.round((random() - 0.5) * 1e5) / 1e5)));
    dense.push(new Array<number>(64).fill(0), [...dense[0].slice(0, 10), -0, ...dense[0].slice(11)]);
    // one index over rows of both lengths: a row of another length than the query scores 0, as in cosine()
    const rows = [...lexical, ...dense];
    const search = cosineSearch(rows);
    for (const query of [...rows, [], dense[1].slice(0, 63)]) {
      const scores = search.scores(query);
      expect(scores).toHaveLength(rows.length);
      rows.forEach((row, i) => expect(Object.is(scores[i], cosine(query, row)), `row ${i}`).toBe(true));
    }
    expect(cosineSearch([]).scores(lexical[0])).toHaveLength(0);
  });

  it("stores a mostly-zero vector as its non-zero entries, and searches stored rows of both forms as the dense rounded vectors", () => {
    const random = rng(11);
    const lexical = ["server_error GET /items/{id} 500 on a valid request", "auth bypass DELETE /users/{id}", ""].map((t) => lexicalVector(t));
    const dense = Array.from({ length: 3 }, () => Array.from({ length: 48 }, () => (random() < 0.2 ? 0 : random() - 0.5)));
    const tiny = [1e-7, -1e-7, 0.5, ...new Array<number>(10).fill(0)];
    const vectors = [...lexical, ...dense, tiny];
    const rounded = vectors.map((v) => v.map((x) => Math.round(x * 1e5) / 1e5));
    const texts = vectors.map(encodeVector);
    // the lexical vectors (mostly zeros) are stored sparse, and far shorter; the dense ones as arrays
    for (const [i, v] of lexical.entries()) {
      expect(texts[i].startsWith("{")).toBe(true);
      expect(texts[i].length).toBeLessThan(JSON.stringify(rounded[i]).length / 2);
      expect(decodeVector(texts[i])).toMatchObject({ n: v.length });
    }
    for (const i of [3, 4, 5]) expect(decodeVector(texts[i])).toEqual(rounded[i]);
    expect(decodeVector(texts[6])).toEqual({ n: 13, i: [2], v: [0.5] });
    // rows written before (dense arrays) and now (either form): the same scores, bit for bit
    const stored = cosineSearch(texts.map(decodeVector));
    const legacy = cosineSearch(rounded.map((v) => decodeVector(JSON.stringify(v))));
    for (const query of [...vectors, ...rounded]) {
      const scores = stored.scores(query);
      rounded.forEach((row, i) => expect(Object.is(scores[i], cosine(query, row)), `row ${i}`).toBe(true));
      expect([...legacy.scores(query)]).toEqual([...scores]);
    }
  });

  it("keeps the best rows in the order a stable descending sort gives, ties to the earlier row", () => {
    const random = rng(3);
    for (let round = 0; round < 200; round++) {
      const scores = Float64Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 8) / 8);
      const topK = Math.floor(random() * 10);
      const sorted = [...scores.keys()].sort((a, b) => scores[b] - scores[a]).slice(0, topK);
      expect(topIndexes(scores, topK)).toEqual(sorted);
    }
    expect(topIndexes(Float64Array.from([0.5, 0.9, 0.5, 0.9, 0.1]), 3)).toEqual([1, 3, 0]);
  });
});
