import { describe, expect, it } from "vitest";
import { sampleReport } from "../../workers/reports/test-fixtures";
import { clustersOf } from "../../workers/reports/run-report";
import { operationLabel } from "../../workers/reports/severity";
import { formatSummary } from "./summary";

describe("terminal summary", () => {
  it("prints a finding's other distinct triggers, each with its curl", () => {
    const text = formatSummary(sampleReport(), { failOn: "low", failing: 1, written: [] });
    expect(text).toContain("Also triggered by (2 more distinct triggers):");
    expect(text).toContain("- query verbose · functional-positive (positive) → 500 ×3");
    expect(text).toContain("curl -X 'GET' 'http://127.0.0.1:8787/pets/1?verbose=false'");
    expect(text).toContain("Steps: create: POST /pets → 201 → delete: DELETE /pets/9 → 204 → read-deleted: GET /pets/9 → 500");
  });

  it("details a cluster of findings (one likely root cause) once, by its representative", () => {
    const base = sampleReport();
    const [first, second] = base.findings;
    const findings = base.findings.map((f) => (f.id === first.id || f.id === second.id ? { ...f, cluster: `cl_${first.id}` } : f));
    const report = { ...base, findings, clusters: clustersOf(findings) };
    const text = formatSummary(report, { failOn: "low", failing: 1, written: [] });
    expect(text).toContain(`Likely root causes: 1 cluster group 2 findings`);
    expect(text).toContain(`Same likely cause on 1 more operation: ${operationLabel(second.operation)}`);
    expect(text.match(/^\d+\. \[/gm)).toHaveLength(base.findings.length - 1);
  });
});
