import { Validator } from "@cfworker/json-schema";
// The official SARIF 2.1.0 (rtm.5) JSON schema, shipped by Microsoft's sarif-js-sdk package.
import sarifSchema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";
import { describe, expect, it } from "vitest";
import { sarifLevel, toSarif } from "./sarif";
import { sampleReport } from "./test-fixtures";

const validator = new Validator(sarifSchema as object, "4", false);

function expectValid(log: unknown) {
  const result = validator.validate(JSON.parse(JSON.stringify(log)));
  expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
  expect(result.valid).toBe(true);
}

describe("toSarif", () => {
  it("validates against the SARIF 2.1.0 schema", () => {
    expectValid(toSarif({ report: sampleReport() }, { toolVersion: "0.1.0" }));
    expectValid(toSarif({ report: sampleReport([]) }));
    expectValid(toSarif({ report: sampleReport() }, { specUri: "api/openapi.yaml", operationLine: (op) => (op.path === "/pets" ? 12 : undefined) }));
  });

  it("the schema check can fail", () => {
    const log = toSarif({ report: sampleReport() });
    (log.runs[0] as { results: { level: string }[] }).results[0].level = "fatal";
    expect(validator.validate(JSON.parse(JSON.stringify(log))).valid).toBe(false);
  });

  it("has one rule per check with help, and results mapped by severity", () => {
    const report = sampleReport();
    const run = toSarif({ report }).runs[0] as {
      tool: { driver: { rules: { id: string; help: { text: string }; properties: Record<string, unknown> }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; partialFingerprints: Record<string, string>; locations: { logicalLocations: { name: string }[] }[] }[];
    };
    const ruleIds = run.tool.driver.rules.map((r) => r.id);
    expect(ruleIds).toEqual([...new Set(report.findings.map((f) => f.check))].sort());
    expect(run.tool.driver.rules.every((r) => r.help.text.length > 20)).toBe(true);
    expect(run.results).toHaveLength(report.findings.length);
    for (const r of run.results) {
      const finding = report.findings.find((f) => f.id === r.partialFingerprints["sentinelFinding/v1"])!;
      expect(r.ruleId).toBe(finding.check);
      expect(ruleIds[r.ruleIndex]).toBe(r.ruleId);
      expect(r.level).toBe(sarifLevel(finding.severity));
      expect(r.locations[0].logicalLocations[0].name).toBe(`${finding.operation.method.toUpperCase()} ${finding.operation.path}`);
    }
  });

  it("maps severities to levels", () => {
    expect(["critical", "high", "medium", "low", "info"].map((s) => sarifLevel(s as never))).toEqual(["error", "error", "warning", "note", "note"]);
  });

  it("adds a physical location in the spec file when given", () => {
    const run = toSarif({ report: sampleReport() }, { specUri: "api/openapi.yaml", operationLine: () => 7 }).runs[0] as {
      results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    };
    expect(run.results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "api/openapi.yaml" }, region: { startLine: 7 } });
  });
});
