/**
 * Embedders for findings: Workers AI `@cf/baai/bge-base-en-v1.5` when deployed, an
 * OpenAI-compatible embeddings endpoint when the run configures one, otherwise a local
 * deterministic lexical embedder (hashed words and trigrams) that needs nothing at all.
 * Vectors of different embedders are never compared: each carries its embedder id.
 */
import OpenAI from "openai";

export interface Embedder {
  /** stored with every vector; only vectors of the same embedder are compared */
  readonly id: string;
  embed(texts: string[]): Promise<number[][]>;
}

export const LEXICAL_DIMENSIONS = 768;

/** 32-bit FNV-1a over the UTF-16 code units of text[start, end) (a trigram is hashed in place, not sliced). */
function fnv32(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Words of a text: camelCase and snake_case split, lower-cased, digits folded (ids differ, bugs do not). */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[0-9a-f]{8,}/g, " ")
    .replace(/\d+/g, "0")
    .split(/[^a-z0]+/)
    .filter((w) => w.length > 1);
}

export function lexicalVector(text: string, dimensions = LEXICAL_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of words(text)) {
    const h = fnv32(word);
    vector[h % dimensions] += h & 0x80000000 ? -1 : 1;
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const g = fnv32(padded, i, i + 3);
      vector[g % dimensions] += (g & 0x80000000 ? -1 : 1) * 0.5;
    }
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

export function lexicalEmbedder(): Embedder {
  return { id: `lexical-${LEXICAL_DIMENSIONS}`, embed: async (texts) => texts.map((t) => lexicalVector(t)) };
}

export const WORKERS_AI_EMBEDDING_MODEL = "@cf/baai/bge-base-en-v1.5";

interface AiLike {
  run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

export function workersAiEmbedder(ai: AiLike, model = WORKERS_AI_EMBEDDING_MODEL): Embedder {
  return {
    id: model,
    async embed(texts) {
      const out = (await ai.run(model, { text: texts })) as { data?: number[][] };
      if (!Array.isArray(out?.data) || out.data.length !== texts.length) throw new Error("Workers AI returned no embeddings");
      return out.data;
    },
  };
}

export const DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";

/** An OpenAI-compatible embeddings endpoint through the `openai` SDK (OpenAI, Ollama, vLLM, LM Studio …). */
export function openaiEmbedder(options: { model: string; baseUrl?: string; apiKey?: string; fetch?: typeof fetch }): Embedder {
  const client = new OpenAI({ apiKey: options.apiKey || "none", maxRetries: 1, timeout: 30_000, ...(options.baseUrl ? { baseURL: options.baseUrl } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  return {
    id: `openai:${options.model}`,
    async embed(texts) {
      const response = await client.embeddings.create({ model: options.model, input: texts, encoding_format: "float" });
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== texts.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) throw new Error(`the embeddings endpoint returned ${vectors.length} vectors for ${texts.length} texts`);
      return vectors;
    },
  };
}
