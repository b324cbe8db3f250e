/**
 * A run's findings clustered by likely root cause. Findings are already one per (operation,
 * check, signature); a cluster joins findings of the SAME check and signature on different
 * operations whose evidence reads alike (cosine of their evidence embeddings ≥ threshold):
 * the same forged token accepted by 17 operations is one missing signature check, the same stack
 * trace behind three 500s is one bug. The evidence is the check's message with the operation
 * taken out, plus the response body when it is an error (an error body says why; a success body is
 * just the resource). Different checks or signatures are never joined: a cluster must be one fix.
 */
import type { Finding } from "../../model";
import { cosine } from "../../shared/cosine";

/** Evidence this alike (cosine) is the same cause. */
export const CLUSTER_THRESHOLD = 0.9;
const BODY_CHARS = 600;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/** What a finding's cause shows, without what differs per operation (its label, its URL, ids). */
export function evidenceText(finding: Pick<Finding, "check" | "signature" | "message" | "operation" | "request" | "response">): string {
  let message = finding.message;
  const method = String(finding.operation.method).toUpperCase();
  for (const place of [finding.operation.path, urlPath(finding.request.url)].filter((p) => p.length > 1)) {
    message = message.replace(new RegExp(`(${escapeRegExp(method)} )?${escapeRegExp(place)}`, "gi"), " ");
  }
  const response = finding.response;
  const body = response && response.status >= 400 ? ` ${response.body.slice(0, BODY_CHARS)}` : "";
  return `${finding.check} ${finding.signature} ${message}${body}`;
}

export interface FindingCluster {
  /** the representative's id prefixed: stable for the same run */
  id: string;
  /** the worst (first in the given order) finding of the cluster */
  representative: string;
  /** every member, the representative first */
  findings: string[];
}

/**
 * Clusters of two or more findings. `findings` come worst first (the representative is the first
 * member); `vectors[i]` is the embedding of evidenceText(findings[i]) from one embedder.
 */
export function clusterFindings(findings: readonly Finding[], vectors: readonly number[][], threshold = CLUSTER_THRESHOLD): FindingCluster[] {
  const parent = findings.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (let i = 0; i < findings.length; i++) {
    for (let j = i + 1; j < findings.length; j++) {
      const a = findings[i];
      const b = findings[j];
      if (a.check !== b.check || a.signature !== b.signature) continue;
      if (root(i) === root(j)) continue;
      if (cosine(vectors[i] ?? [], vectors[j] ?? []) >= threshold) parent[Math.max(root(i), root(j))] = Math.min(root(i), root(j));
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < findings.length; i++) groups.set(root(i), [...(groups.get(root(i)) ?? []), i]);
  return [...groups.values()]
    .filter((members) => members.length > 1)
    .map((members) => ({ id: `cl_${findings[members[0]].id}`, representative: findings[members[0]].id, findings: members.map((m) => findings[m].id) }));
}
