/**
 * Distinct triggers of a finding, as every report format shows them: the finding's own request
 * is the first trigger; the others are the evidence deduplication would otherwise hide.
 */
import type { ReportFinding, ReportTrigger } from "./types";

/** The triggers beyond the finding's own (first) one. */
export function otherTriggers(f: Pick<ReportFinding, "triggers">): ReportTrigger[] {
  return (f.triggers ?? []).slice(1);
}

/** "query inStock · functional-positive (positive) → 500 ×3" */
export function triggerLabel(t: ReportTrigger): string {
  const what = t.parameter ?? t.title;
  const status = t.status !== undefined ? ` → ${t.status}` : " → no response";
  return `${what} · ${t.agent} (${t.kind})${status}${t.count > 1 ? ` ×${t.count}` : ""}`;
}
