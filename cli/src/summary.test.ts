import { describe, expect, it } from "vitest";
import { sampleReport } from "../../workers/reports/test-fixtures";
import { formatSummary } from "./summary";

describe("terminal summary", () => {
  it("prints a finding's other distinct triggers, each with its curl", () => {
    const text = formatSummary(sampleReport(), { failOn: "low", failing: 1, written: [] });
    expect(text).toContain("Also triggered by (2 more distinct triggers):");
    expect(text).toContain("- query verbose · functional-positive (positive) → 500 ×3");
    expect(text).toContain("curl -X 'GET' 'http://127.0.0.1:8787/pets/1?verbose=false'");
    expect(text).toContain("Steps: create: POST /pets → 201 → delete: DELETE /pets/9 → 204 → read-deleted: GET /pets/9 → 500");
  });
});
