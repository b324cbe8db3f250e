/**
 * Past findings guide generation. When a run ends, the operation of each finding whose case
 * belongs to a payload family (orchestrator/guided-order.ts caseFamily) is embedded and stored
 * with that family; when a later run of the same org plans, each of its operations retrieves the
 * families that found bugs on similar operations (cosine of the operation embeddings), and those
 * cases are tried first. The vectors live in the same index as the findings' own, under their own
 * kind (`<embedder>#operation`), so they are never compared with finding vectors, and every query
 * is filtered by org: another org's findings never guide a run.
 */
import type { Finding, Operation } from "../../model";
import type { Embedder } from "./embedder";
import type { VectorIndex } from "./memory";

/** Operations this alike (cosine of operationText) are "similar" for guidance: a wrong match only reorders cases. */
export const GUIDANCE_THRESHOLD = 0.6;
/** Operations of a spec looked up per run (bounds the planning CPU on huge specs). */
const MAX_OPERATIONS = 400;
/** Families remembered per run. */
const MAX_REMEMBERED = 200;

export type OperationLike = Pick<Operation, "method" | "path" | "operationId"> & Partial<Pick<Operation, "summary" | "parameters">>;

export const operationKind = (embedder: Embedder) => `${embedder.id}#operation`;

/** What an operation is about: method, path words, id, summary and parameter names (no prose: it drowns the names). */
export function operationText(op: OperationLike): string {
  const params = (op.parameters ?? []).map((p) => p.name).join(" ");
  return `${op.method.toUpperCase()} ${op.path.replace(/[{}/_-]+/g, " ")} ${op.operationId} ${op.summary ?? ""} ${params}`.slice(0, 1000);
}

export interface GuidanceEntry {
  finding: Pick<Finding, "id" | "check" | "title" | "operation">;
  /** the payload family of the finding's case */
  family: string;
  /** the spec's operation (summary and parameters make a better embedding), when known */
  operation?: OperationLike;
}

/** Stores what this run's findings teach: which family found a bug on which operation. */
export async function rememberGuidance(index: VectorIndex, embedder: Embedder, input: { orgId: string; specId: string; runId: string; entries: GuidanceEntry[] }): Promise<number> {
  const seen = new Set<string>();
  const entries = input.entries.filter((e) => {
    const key = `${e.finding.operation.operationId}\n${e.family}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, MAX_REMEMBERED);
  if (entries.length === 0) return 0;
  const vectors = await embedder.embed(entries.map((e) => operationText(e.operation ?? { ...e.finding.operation, method: e.finding.operation.method as Operation["method"] })));
  const kind = operationKind(embedder);
  await index.upsert(
    entries.map((e, i) => ({
      id: `g:${input.runId}:${e.finding.id}`.slice(0, 64),
      values: vectors[i],
      metadata: { orgId: input.orgId, specId: input.specId, runId: input.runId, findingId: e.finding.id, operationId: e.finding.operation.operationId, check: e.finding.check, title: e.finding.title.slice(0, 200), embedder: kind, family: e.family },
    })),
  );
  return entries.length;
}

/** The operations of a spec looked up per run. */
export function guidedOperations<T>(operations: readonly T[]): readonly T[] {
  return operations.slice(0, MAX_OPERATIONS);
}

/** operationId → the families that found bugs on similar operations of the org's earlier runs, most similar first. */
/**
 * `embedOperations` gives the operations' vectors (operationText, this embedder) when they are kept
 * somewhere (operation-vectors.ts); asked only once the org has something remembered.
 */
export async function pastGuidance(
  index: VectorIndex, embedder: Embedder,
  input: { orgId: string; operations: readonly OperationLike[]; embedOperations?: (texts: string[]) => Promise<number[][]> },
  options: { minScore?: number } = {},
): Promise<Map<string, string[]>> {
  const minScore = options.minScore ?? GUIDANCE_THRESHOLD;
  const operations = guidedOperations(input.operations);
  const out = new Map<string, string[]>();
  if (operations.length === 0) return out;
  const kind = operationKind(embedder);
  // nothing remembered yet: no embedding of the whole spec
  const probe = await index.query((await embedder.embed([operationText(operations[0])]))[0], { orgId: input.orgId, embedder: kind, topK: 1 });
  if (probe.length === 0) return out;
  const texts = operations.map(operationText);
  const vectors = await (input.embedOperations ?? ((t: string[]) => embedder.embed(t)))(texts);
  for (let i = 0; i < operations.length; i++) {
    const matches = await index.query(vectors[i], { orgId: input.orgId, embedder: kind, topK: 10 });
    const families: string[] = [];
    for (const m of matches) {
      // the filter is the index's; checked again so that no other org's vector can ever guide
      if (m.metadata.orgId !== input.orgId || m.score < minScore || !m.metadata.family) continue;
      if (!families.includes(m.metadata.family)) families.push(m.metadata.family);
    }
    if (families.length > 0) out.set(operations[i].operationId, families);
  }
  return out;
}
