/**
 * A run's findings clustered by likely root cause. Findings are already one per (operation,
 * check, signature); a cluster joins findings of the SAME check and signature on different
 * operations whose evidence reads alike (cosine of their evidence embeddings ≥ threshold):
 * the same forged token accepted by 17 operations is one missing signature check, the same stack
 * trace behind three 500s is one bug. The evidence is the check's message with the operation
 * taken out, or for an error answer the cause its body states (detail, message, error…: an error
 * body says why; a success body is just the resource). An error answer that states no cause is
 * never clustered. Different checks or signatures are never joined: a cluster must be one fix.
 */
import type { Finding } from "../../model";
import { cosine } from "../../shared/cosine";
import { escapeRegExp } from "../../shared/regexp";

/** Evidence this alike (cosine) is the same cause. */
export const CLUSTER_THRESHOLD = 0.9;
const BODY_CHARS = 600;

function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

const MESSAGE_KEY = /^(detail|details|message|msg|error_?message|error_?description|description|exception|trace|stack_?trace|stack|cause|reason|error|errors)$/i;
/** error texts that say nothing about the cause */
const GENERIC = /^(internal server error|server error|bad request|not found|error|an error occurred|unknown error|something went wrong|unexpected error|service unavailable|validation (error|failed)|invalid request)\.?$/i;

/** The cause an error body states: its message-like JSON field (detail, message, error…), else its text. */
function errorMessage(body: string): string {
  try {
    const found: string[] = [];
    const walk = (value: unknown, key: string, depth: number) => {
      if (found.length > 0 || depth > 4) return;
      if (typeof value === "string" && MESSAGE_KEY.test(key) && value.trim()) found.push(value);
      else if (Array.isArray(value)) value.slice(0, 3).forEach((v) => walk(v, key, depth + 1));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, MESSAGE_KEY.test(key) && !MESSAGE_KEY.test(k) ? key : k, depth + 1);
    };
    walk(JSON.parse(body), "", 0);
    return found[0] ?? "";
  } catch {
    return body.replace(/<[^>]*>/g, " ");
  }
}

/**
 * What a finding's cause shows, without what differs per operation (its label, its URL, ids), or
 * undefined when an error answer states no cause (a bare "Internal Server Error" on two operations
 * is no evidence that they share one).
 */
export function evidenceText(finding: Pick<Finding, "check" | "signature" | "message" | "operation" | "request" | "response">): string | undefined {
  const method = String(finding.operation.method).toUpperCase();
  const places = [finding.operation.path, urlPath(finding.request.url)].filter((p) => p.length > 1);
  const strip = (text: string) => places.reduce((t, place) => t.replace(new RegExp(`(${escapeRegExp(method)} )?${escapeRegExp(place)}`, "gi"), " "), text);
  const response = finding.response;
  if (response && response.status >= 400) {
    const cause = errorMessage(response.body).replace(/\s+/g, " ").trim().slice(0, BODY_CHARS);
    if (cause.length < 12 || GENERIC.test(cause)) return undefined;
    // the cause alone: the check's message repeats the status and the body's boilerplate
    return `${finding.check} ${finding.signature} ${strip(cause)}`;
  }
  return `${finding.check} ${finding.signature} ${strip(finding.message)}`;
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
export function clusterFindings(findings: readonly Finding[], vectors: readonly (number[] | undefined)[], threshold = CLUSTER_THRESHOLD): FindingCluster[] {
  const parent = findings.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (let i = 0; i < findings.length; i++) {
    for (let j = i + 1; j < findings.length; j++) {
      const a = findings[i];
      const b = findings[j];
      if (a.check !== b.check || a.signature !== b.signature || !vectors[i] || !vectors[j]) continue;
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
