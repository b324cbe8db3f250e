/**
 * Triage when a run is finalized (after its findings are clustered, finding-memory.ts): when the
 * run has an LLM, one structured call explains each cluster and names its likely cause
 * (ai/triage/explain.ts), within what the run's LLM budget has left after planning; the run's
 * `llm` account adds the call. Without an LLM, or when anything fails, the report keeps its
 * deterministic explanation. Never fails the run.
 */
import { DEFAULT_BUDGET_TOKENS } from "../ai/config";
import { evidenceText } from "../ai/triage/cluster";
import { triageClusters, type ClusterDigest } from "../ai/triage/explain";
import type { LlmUsageSummary } from "../ai/types";
import type { Finding, Identities, LlmRunRequest } from "../model";
import { log } from "../shared/log";
import { listFindings } from "../storage/findings-repo";
import { getRunConfig, setRunLlm, setRunTriage } from "../storage/runs-repo";
import { runLlmClient } from "./llm-planning";

/** Clusters of two or more findings, worst first (listFindings' order), as the LLM sees them. */
export function clusterDigests(findings: readonly Finding[]): ClusterDigest[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) if (f.cluster) groups.set(f.cluster, [...(groups.get(f.cluster) ?? []), f]);
  return [...groups]
    .filter(([, members]) => members.length > 1)
    .map(([id, members]) => {
      const first = members[0];
      return {
        id,
        check: first.check,
        severity: first.severity,
        title: first.title,
        operations: members.map((m) => `${String(m.operation.method).toUpperCase()} ${m.operation.path}`),
        evidence: evidenceText(first) ?? first.message,
        ...(first.response ? { status: first.response.status } : {}),
      };
    });
}

const remaining = (limit: number | undefined, used: number | undefined) => (limit === undefined ? undefined : Math.max(0, limit - (used ?? 0)));

/** The planning account and the triage call's, as one `llm` account of the run. */
function merged(before: LlmUsageSummary | undefined, after: LlmUsageSummary): LlmUsageSummary {
  if (!before) return after;
  const sum = (k: "calls" | "failures" | "inputTokens" | "outputTokens" | "cached") => before[k] + after[k];
  return { ...before, calls: sum("calls"), failures: sum("failures"), inputTokens: sum("inputTokens"), outputTokens: sum("outputTokens"), cached: sum("cached"), costUsd: Math.round((before.costUsd + after.costUsd) * 1e6) / 1e6, degraded: before.degraded || after.degraded, reason: before.reason ?? after.reason };
}

export async function triageRun(env: Env, input: { orgId: string; runId: string; llm?: LlmRunRequest; identities: Identities }): Promise<void> {
  if (!input.llm) return;
  try {
    const digests = clusterDigests((await listFindings(env.DB, input.orgId, input.runId)).map((r) => r.data));
    if (digests.length === 0) return;
    const before = ((await getRunConfig(env.DB, input.runId)) as { llm?: LlmUsageSummary } | null)?.llm;
    const tokens = remaining(input.llm.budgetTokens ?? (input.llm.budgetUsd === undefined ? DEFAULT_BUDGET_TOKENS : undefined), before ? before.inputTokens + before.outputTokens : 0);
    const usd = remaining(input.llm.budgetUsd, before?.costUsd);
    const opened = await runLlmClient(env, input.orgId, { ...input.llm, budgetTokens: tokens, budgetUsd: usd }, input.identities);
    if ("refusal" in opened) return;
    const triage = await triageClusters(opened.client, digests);
    if (triage.size > 0) await setRunTriage(env.DB, input.runId, Object.fromEntries([...triage].map(([id, t]) => [id, { explanation: t.explanation, likelyCause: t.likelyCause }])));
    await setRunLlm(env.DB, input.runId, merged(before, opened.client.summary()));
    log("info", "clusters triaged", { runId: input.runId, clusters: digests.length, explained: triage.size });
  } catch (error) {
    log("warn", "clusters not triaged", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
  }
}
