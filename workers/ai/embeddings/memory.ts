/**
 * The memory of findings: each finding is embedded and stored with its org, spec, operation,
 * check and run; a run's findings learn `similar` (top look-alikes of earlier runs of the same org,
 * with score). The index is Vectorize when deployed (metadata filter on orgId) or the D1 table
 * `embeddings` with exact cosine locally — behind one interface, so a query can never cross orgs.
 */
import type { Finding } from "../../model";
import type { Embedder } from "./embedder";

export interface VectorMetadata {
  orgId: string;
  specId: string;
  runId: string;
  findingId: string;
  operationId: string;
  check: string;
  title: string;
  embedder: string;
  /** guidance vectors (guidance.ts): the payload family of the finding's case */
  family?: string;
}

export interface VectorMatch {
  id: string;
  score: number;
  metadata: VectorMetadata;
}

export interface VectorIndex {
  upsert(items: { id: string; values: number[]; metadata: VectorMetadata }[]): Promise<void>;
  /** matches within one org (never another's), of the same embedder, best first */
  query(values: number[], options: { orgId: string; embedder: string; topK: number }): Promise<VectorMatch[]>;
}

export function findingText(finding: Pick<Finding, "check" | "title" | "message" | "operation">): string {
  return `${finding.check} ${finding.operation.method.toUpperCase()} ${finding.operation.path} ${finding.title}. ${finding.message}`.slice(0, 2000);
}

export interface MemoryInput {
  orgId: string;
  specId: string;
  runId: string;
  findings: Finding[];
}

/** Look-alikes in earlier runs (same org), then this run's vectors are stored for later runs. */
export async function similarFindings(index: VectorIndex, embedder: Embedder, input: MemoryInput, options: { topK?: number; minScore?: number } = {}) {
  const topK = options.topK ?? 3;
  const minScore = options.minScore ?? 0.5;
  const out = new Map<string, { findingId: string; runId: string; title: string; score: number }[]>();
  if (input.findings.length === 0) return out;
  const vectors = await embedder.embed(input.findings.map(findingText));
  for (let i = 0; i < input.findings.length; i++) {
    const matches = await index.query(vectors[i], { orgId: input.orgId, embedder: embedder.id, topK: topK + 5 });
    out.set(
      input.findings[i].id,
      matches
        .filter((m) => m.metadata.runId !== input.runId && m.metadata.orgId === input.orgId && m.score >= minScore)
        .slice(0, topK)
        .map((m) => ({ findingId: m.metadata.findingId, runId: m.metadata.runId, title: m.metadata.title, score: Math.round(m.score * 1000) / 1000 })),
    );
  }
  await index.upsert(
    input.findings.map((f, i) => ({
      id: `${input.runId}:${f.id}`.slice(0, 64),
      values: vectors[i],
      metadata: { orgId: input.orgId, specId: input.specId, runId: input.runId, findingId: f.id, operationId: f.operation.operationId, check: f.check, title: f.title.slice(0, 200), embedder: embedder.id },
    })),
  );
  return out;
}
