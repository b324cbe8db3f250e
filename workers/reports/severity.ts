/** Severity helpers shared by the report builders and the CLI's --fail-on. */
import { SEVERITIES, SEVERITY_RANK, type Severity } from "../model";
import type { ReportFinding } from "./types";

/** Findings worst first; ties keep a stable order by check, then operation. */
export function sortFindings<T extends Pick<ReportFinding, "severity" | "check" | "operation">>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.check.localeCompare(b.check) ||
      a.operation.path.localeCompare(b.operation.path) ||
      a.operation.method.localeCompare(b.operation.method),
  );
}

/** Number of findings per severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Pick<ReportFinding, "severity">[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}


/** "GET /pets/{petId}" */
export function operationLabel(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
