import { describe, expect, it } from "vitest";
import { ReportSchema } from "./types";
import { sampleReport } from "./test-fixtures";

describe("ReportSchema (DESIGN.md report contract)", () => {
  it("accepts a complete report", () => {
    expect(ReportSchema.safeParse(sampleReport()).success).toBe(true);
  });

  it("rejects a report missing contract fields or with an unknown severity", () => {
    const report = sampleReport();
    const { stats: _stats, ...runWithoutStats } = report.run;
    expect(ReportSchema.safeParse({ ...report, run: runWithoutStats }).success).toBe(false);
    expect(ReportSchema.safeParse({ ...report, findings: [{ ...report.findings[0], severity: "urgent" }] }).success).toBe(false);
    const { curl: _curl, ...noCurl } = report.findings[0];
    expect(ReportSchema.safeParse({ ...report, findings: [noCurl] }).success).toBe(false);
  });

  it("allows a finding without a response (network error)", () => {
    const report = sampleReport();
    const { response: _r, ...noResponse } = report.findings[0];
    expect(ReportSchema.safeParse({ ...report, findings: [noResponse] }).success).toBe(true);
  });
});
