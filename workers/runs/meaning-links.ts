/**
 * Links by meaning in the run pipeline: before planning, candidate producer → consumer links whose
 * names differ are probed against the target (ai/links/confirm.ts) with the run's identities,
 * only on the operations the run tests; the confirmed ones go to the planner. Never fails the run.
 */
import { lexicalEmbedder, type Embedder } from "../ai/embeddings/embedder";
import { confirmLinks, describeProbe } from "../ai/links/confirm";
import type { ApiModel, Identities } from "../model";
import type { MeaningLink } from "../orchestrator/agents/resources";
import { selectOperations, type OperationSelection } from "../orchestrator/operation-filter";
import { log } from "../shared/log";
import { memoryBackend } from "./finding-memory";
import { PREFLIGHT_TIMEOUT_MS, targetFetch } from "./identities";

export interface MeaningLinksInput {
  runId: string;
  model: ApiModel;
  selection: OperationSelection;
  baseUrl: string;
  identities: Identities;
  seed: number;
  timeoutMs: number;
}

export async function meaningLinks(env: Env, input: MeaningLinksInput): Promise<{ links: MeaningLink[]; warnings: string[] }> {
  const model: ApiModel = { ...input.model, operations: selectOperations(input.model.operations, input.selection).operations };
  const attempt = (embedder: Embedder) =>
    confirmLinks({ model, embedder, fetch: targetFetch(input.baseUrl), baseUrl: input.baseUrl, identities: input.identities, seed: input.seed, timeoutMs: Math.min(input.timeoutMs, PREFLIGHT_TIMEOUT_MS) });
  const started = Date.now();
  try {
    const { embedder } = memoryBackend(env);
    // an embeddings endpoint that fails leaves the lexical embedder, never the links
    const result = await attempt(embedder).catch((error: unknown) => {
      if (embedder.id === lexicalEmbedder().id) throw error;
      log("warn", "links by meaning with the lexical embedder", { runId: input.runId, embedder: embedder.id, error: error instanceof Error ? error.message : String(error) });
      return attempt(lexicalEmbedder());
    });
    if (result.probes.length > 0) log("info", "links by meaning probed", { runId: input.runId, probes: result.probes.length, confirmed: result.links.length, ms: Date.now() - started });
    return { links: result.links, warnings: result.probes.map(describeProbe) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log("warn", "links by meaning not probed", { runId: input.runId, error: message });
    return { links: [], warnings: [`links by meaning not probed: ${message}`] };
  }
}
