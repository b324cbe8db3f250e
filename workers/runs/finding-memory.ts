/**
 * When a run is finalized its findings get their memory: `firstSeen` and `seenInRuns` (the same
 * finding id in the org's earlier runs) and `similar` (look-alikes by embedding, same org only);
 * then their vectors are stored for later runs, and findings of one likely root cause share a
 * `cluster` (workers/ai/triage/cluster.ts). Vectorize with Workers AI embeddings when deployed,
 * the D1 stand-in with the lexical embedder locally. Never fails the run.
 */
import { DEFAULT_OPENAI_EMBEDDING_MODEL, lexicalEmbedder, openaiEmbedder, workersAiEmbedder, type Embedder } from "../ai/embeddings/embedder";
import { guidedOperations, operationText, pastGuidance, rememberGuidance, type GuidanceEntry } from "../ai/embeddings/guidance";
import { encodeOperationVectors, operationVectors } from "../ai/embeddings/operation-vectors";
import { similarFindings, type VectorIndex, type VectorMatch, type VectorMetadata } from "../ai/embeddings/memory";
import { clusterFindings, evidenceText } from "../ai/triage/cluster";
import type { ApiModel, Finding, TestCase } from "../model";
import { caseFamily, type Guidance } from "../orchestrator/guided-order";
import { checkAddress } from "../shared/address-policy";
import { log } from "../shared/log";
import { d1VectorIndex } from "../storage/embeddings-repo";
import { readOperationVectors, storeOperationVectors } from "../storage/specs-repo";
import { findingHistory, listFindings, setFindingMemory, type FindingRow } from "../storage/findings-repo";

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

/**
 * Deployed (Workers AI + Vectorize bound): bge vectors in Vectorize. Otherwise vectors in D1, from
 * the OpenAI-compatible embeddings endpoint when SENTINEL_EMBEDDINGS_BASE_URL names one the address
 * policy allows, else from the lexical embedder.
 */
export function memoryBackend(env: Env): { embedder: Embedder; index: VectorIndex } {
  if (env.AI && env.VECTORS && env.SENTINEL_ENV === "production") {
    return { embedder: workersAiEmbedder(env.AI as never), index: vectorizeIndex(env.VECTORS) };
  }
  const baseUrl = env.SENTINEL_EMBEDDINGS_BASE_URL;
  if (baseUrl) {
    const verdict = checkAddress(baseUrl, { allowLoopback: env.SENTINEL_ALLOW_LOOPBACK === "true", allowPrivate: env.SENTINEL_ALLOW_PRIVATE === "true", allowlist: [] });
    if (verdict.ok) {
      const embedder = openaiEmbedder({ baseUrl, model: env.SENTINEL_EMBEDDINGS_MODEL || DEFAULT_OPENAI_EMBEDDING_MODEL, apiKey: env.SENTINEL_EMBEDDINGS_API_KEY });
      return { embedder, index: d1VectorIndex(env.DB) };
    }
    log("warn", "embeddings endpoint refused; using the lexical embedder", { origin: safeOrigin(baseUrl), reason: verdict.reason });
  }
  return { embedder: lexicalEmbedder(), index: d1VectorIndex(env.DB) };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** Findings per run embedded and linked (bounds the finalize step's CPU on huge runs). */
const MAX_REMEMBERED = 300;

/** Finding id → its cluster (likely root cause) in this run; an embeddings endpoint that fails falls back to the lexical embedder. */
async function clusterIds(embedder: Embedder, findings: Finding[], runId: string): Promise<Map<string, string>> {
  const evidence = findings.map(evidenceText);
  const texts = evidence.filter((t): t is string => t !== undefined);
  if (texts.length < 2) return new Map();
  const embedded = await embedder.embed(texts).catch(async (error: unknown) => {
    log("warn", "findings clustered with the lexical embedder", { runId, embedder: embedder.id, error: error instanceof Error ? error.message : String(error) });
    return lexicalEmbedder().embed(texts);
  });
  let next = 0;
  const vectors = evidence.map((t) => (t === undefined ? undefined : embedded[next++]));
  const out = new Map<string, string>();
  for (const cluster of clusterFindings(findings, vectors)) for (const id of cluster.findings) out.set(id, cluster.id);
  return out;
}

/** caseId → payload family of the run's cases named in `caseIds`. */
export function caseFamilies(cases: Iterable<TestCase>, caseIds: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of cases) {
    const family = caseIds.has(c.id) ? caseFamily(c) : undefined;
    if (family) out.set(c.id, family);
  }
  return out;
}

export interface RememberInput {
  orgId: string;
  specId: string;
  runId: string;
  /** payload families of the run's cases (caseFamilies), for guidance of later runs */
  families?: (caseIds: ReadonlySet<string>) => Map<string, string>;
  /** the spec's operations (a better operation embedding than the finding's method and path) */
  model?: ApiModel;
  /** the run's findings as listFindings orders them, when the caller has read them (else read here) */
  findings?: readonly FindingRow[];
}

/** Which family found which finding: every case that triggered it counts. */
function guidanceEntries(findings: Finding[], input: RememberInput): GuidanceEntry[] {
  if (!input.families) return [];
  const caseIds = (f: Finding) => [f.caseId, ...(f.triggers ?? []).map((t) => t.caseId)];
  const families = input.families(new Set(findings.flatMap(caseIds)));
  const operations = new Map((input.model?.operations ?? []).map((op) => [op.operationId, op]));
  return findings.flatMap((finding) => {
    const distinct = [...new Set(caseIds(finding).map((id) => families.get(id)).filter((f): f is string => f !== undefined))];
    const operation = operations.get(finding.operation.operationId);
    return distinct.map((family): GuidanceEntry => ({ finding, family, ...(operation ? { operation } : {}) }));
  });
}

/**
 * Before planning: the payload families that found bugs on operations like these in the org's
 * earlier runs (ai/embeddings/guidance.ts). Undefined when there are none or the memory fails.
 * The operations' vectors come from beside the spec's model (`modelKey`) when kept there, and are
 * kept there once embedded: later runs of the spec do not embed every operation again.
 */
export async function planningGuidance(env: Env, input: { orgId: string; runId: string; model: ApiModel; modelKey?: string }): Promise<Guidance | undefined> {
  try {
    const { embedder, index } = memoryBackend(env);
    const { modelKey } = input;
    const embedOperations = modelKey
      ? async (texts: string[]) => {
          const stored = await readOperationVectors(env.BLOBS, modelKey).catch(() => undefined);
          const { vectors, missing } = await operationVectors(embedder, texts, stored);
          if (missing > 0) await storeOperationVectors(env.BLOBS, modelKey, encodeOperationVectors(embedder.id, texts, vectors)).catch(() => undefined);
          return vectors;
        }
      : undefined;
    const guidance = await pastGuidance(index, embedder, { orgId: input.orgId, operations: input.model.operations, ...(embedOperations ? { embedOperations } : {}) });
    if (guidance.size > 0) log("info", "past findings guide generation", { runId: input.runId, operations: guidance.size });
    return guidance.size > 0 ? guidance : undefined;
  } catch (error) {
    log("warn", "past findings not read for guidance", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/**
 * At upload: the operations' vectors kept beside the model, when the embedder is the local one
 * (a remote embedder is asked only once a run needs them: planningGuidance keeps them then).
 */
export async function keepOperationVectors(env: Env, input: { modelKey: string; model: ApiModel }): Promise<void> {
  const { embedder } = memoryBackend(env);
  if (embedder.id !== lexicalEmbedder().id) return;
  try {
    const texts = guidedOperations(input.model.operations).map(operationText);
    await storeOperationVectors(env.BLOBS, input.modelKey, encodeOperationVectors(embedder.id, texts, await embedder.embed(texts)));
  } catch (error) {
    log("warn", "operation vectors not kept", { error: error instanceof Error ? error.message : String(error) });
  }
}

export async function rememberFindings(env: Env, input: RememberInput): Promise<void> {
  try {
    const rows = input.findings ?? (await listFindings(env.DB, input.orgId, input.runId));
    if (rows.length === 0) return;
    // the worst first (listFindings' order); a run with more findings than this keeps the rest without links
    const findings = rows.slice(0, MAX_REMEMBERED).map((r) => r.data);
    const history = await findingHistory(env.DB, input.orgId, findings.map((f) => f.id));
    const { embedder, index } = memoryBackend(env);
    // an embeddings endpoint that fails costs the `similar` links of this run, never firstSeen/seenInRuns
    const similar = await similarFindings(index, embedder, { orgId: input.orgId, specId: input.specId, runId: input.runId, findings }).catch((error: unknown) => {
      log("warn", "similar findings not linked", { runId: input.runId, embedder: embedder.id, error: error instanceof Error ? error.message : String(error) });
      return new Map<string, unknown[]>();
    });
    await rememberGuidance(index, embedder, { orgId: input.orgId, specId: input.specId, runId: input.runId, entries: guidanceEntries(findings, input) }).catch((error: unknown) => {
      log("warn", "payload families not remembered", { runId: input.runId, embedder: embedder.id, error: error instanceof Error ? error.message : String(error) });
    });
    const clusters = await clusterIds(embedder, findings, input.runId);
    const memory = new Map<string, { firstSeen: string; seenInRuns: number; similar: unknown[]; cluster?: string }>();
    for (const f of findings) {
      const seen = history.get(f.id);
      const cluster = clusters.get(f.id);
      memory.set(f.id, { firstSeen: new Date(seen?.firstSeen ?? Date.now()).toISOString(), seenInRuns: seen?.runs ?? 1, similar: similar.get(f.id) ?? [], ...(cluster ? { cluster } : {}) });
    }
    await setFindingMemory(env.DB, input.orgId, input.runId, memory);
  } catch (error) {
    log("warn", "finding memory not updated", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
  }
}
