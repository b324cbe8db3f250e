/**
 * The embeddings of a spec's operations (guidance.ts operationText), kept beside the spec's model:
 * they are a pure function of the spec and the embedder, so a run guided by past findings reads
 * them instead of embedding every operation again. Stored exactly (full-precision numbers, the
 * zero entries left out) with the text each was embedded from: a vector is reused only for the
 * very same text and embedder, so guidance is what embedding afresh would give.
 */
import type { Embedder } from "./embedder";

/** A vector of length `n` with `v[k]` at dimension `i[k]` and zeros elsewhere. */
interface Entry {
  text: string;
  n: number;
  i: number[];
  v: number[];
}

export interface OperationVectors {
  embedder: string;
  entries: Entry[];
}

export function encodeOperationVectors(embedder: string, texts: readonly string[], vectors: readonly (readonly number[])[]): string {
  const entries = texts.map((text, k): Entry => {
    const i: number[] = [];
    const v: number[] = [];
    vectors[k].forEach((value, d) => {
      if (value !== 0) i.push(d), v.push(value);
    });
    return { text, n: vectors[k].length, i, v };
  });
  return JSON.stringify({ embedder, entries } satisfies OperationVectors);
}

function dense(entry: Entry): number[] {
  const out = new Array<number>(entry.n).fill(0);
  for (let k = 0; k < entry.i.length; k++) out[entry.i[k]] = entry.v[k];
  return out;
}

/**
 * The vectors of `texts`: the stored one where the embedder and the text are the same, the rest
 * embedded now. `missing` says how many were embedded (the stored copy is worth rewriting then).
 */
export async function operationVectors(embedder: Embedder, texts: readonly string[], stored: OperationVectors | undefined): Promise<{ vectors: number[][]; missing: number }> {
  const known = new Map<string, Entry>();
  if (stored?.embedder === embedder.id) for (const entry of stored.entries) known.set(entry.text, entry);
  const vectors: (number[] | undefined)[] = texts.map((text) => {
    const entry = known.get(text);
    return entry ? dense(entry) : undefined;
  });
  const missing = texts.filter((_, k) => vectors[k] === undefined);
  if (missing.length > 0) {
    const embedded = await embedder.embed(missing);
    let next = 0;
    for (let k = 0; k < vectors.length; k++) if (vectors[k] === undefined) vectors[k] = embedded[next++];
  }
  return { vectors: vectors as number[][], missing: missing.length };
}
