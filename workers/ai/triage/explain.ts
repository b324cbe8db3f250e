/**
 * Triage by the LLM (optional): for each cluster of findings (cluster.ts), a short explanation
 * and the likely cause, from one structured call for the whole run. The clusters' evidence is
 * data, never instructions (prompt.ts frames it; the client redacts secrets and holds the
 * budget). Whatever goes wrong — no provider, budget spent, garbage — leaves the report's own
 * deterministic explanation (reports/run-report.ts clustersOf): an answer is used only for the
 * clusters it was asked about.
 */
import { z } from "zod";
import type { LlmClient } from "../client";

export interface ClusterDigest {
  id: string;
  check: string;
  severity: string;
  /** the representative finding's title */
  title: string;
  /** "GET /items/{id}" of each member */
  operations: string[];
  /** what the failures show without the operation (cluster.ts evidenceText), cut short */
  evidence: string;
  status?: number;
}

export interface ClusterTriage {
  explanation: string;
  likelyCause: string;
  source: "llm";
}

export const TriageAnswerSchema = z.object({
  clusters: z
    .array(
      z.object({
        id: z.string().max(120),
        explanation: z.string().min(10).max(600),
        likelyCause: z.string().min(3).max(200),
      }),
    )
    .max(20),
});

export const TRIAGE_INSTRUCTIONS = [
  "Each cluster below groups findings of an API test run that fail the same way on several operations.",
  "For each cluster id, write `explanation`: one or two plain sentences a developer understands (what fails, where),",
  "and `likelyCause`: the most likely defect in the server in a few words (e.g. 'JWT signature not verified in the auth middleware').",
  "Use only what the evidence shows; answer only for the given ids.",
].join(" ");

/** Clusters explained per run (one call; the worst first). */
export const MAX_TRIAGED = 10;

/** cluster id → the LLM's explanation; empty when no client, nothing to explain or the call failed. */
export async function triageClusters(client: LlmClient | null, digests: readonly ClusterDigest[]): Promise<Map<string, ClusterTriage>> {
  const out = new Map<string, ClusterTriage>();
  const asked = digests.slice(0, MAX_TRIAGED);
  if (!client || asked.length === 0) return out;
  const outcome = await client.structured({
    name: "cluster_triage",
    instructions: TRIAGE_INSTRUCTIONS,
    data: [{ name: "clusters", value: asked.map((d) => ({ ...d, evidence: d.evidence.slice(0, 600), operations: d.operations.slice(0, 12) })) }],
    schema: TriageAnswerSchema,
    maxOutputTokens: 150 * asked.length,
  });
  if (!outcome.ok) return out;
  const ids = new Set(asked.map((d) => d.id));
  for (const c of outcome.value.clusters) if (ids.has(c.id) && !out.has(c.id)) out.set(c.id, { explanation: c.explanation.trim(), likelyCause: c.likelyCause.trim(), source: "llm" });
  return out;
}
