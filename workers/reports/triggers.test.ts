import { describe, expect, it } from "vitest";
import { toHtml } from "./html";
import { toMarkdown } from "./markdown";
import { toSarif } from "./sarif";
import { sampleReport, SAMPLE_FINDINGS } from "./test-fixtures";
import { otherTriggers, triggerLabel } from "./triggers";
import { ReportSchema } from "./types";

const multi = SAMPLE_FINDINGS.find((f) => f.id === "f-500")!;

describe("distinct triggers of a finding in every report format", () => {
  it("are part of the JSON contract", () => {
    expect(ReportSchema.safeParse(sampleReport()).success).toBe(true);
    expect(otherTriggers(multi).map((t) => t.parameter ?? t.kind)).toEqual(["query verbose", "stateful"]);
    expect(triggerLabel(otherTriggers(multi)[0])).toBe("query verbose · functional-positive (positive) → 500 ×3");
    expect(otherTriggers(SAMPLE_FINDINGS[0])).toEqual([]);
  });
  it("HTML lists each other trigger with its curl and a chain's steps, escaped", () => {
    const html = toHtml({ report: sampleReport() });
    expect(html).toContain("Also triggered by</b> 2 more distinct triggers");
    expect(html).toContain("verbose=false");
    expect(html).toContain("read-deleted: GET /pets/9 → 500");
    expect(html).not.toContain("<script>alert");
  });
  it("Markdown and SARIF carry them too", () => {
    const md = toMarkdown({ report: sampleReport() });
    expect(md).toContain("Also triggered by 2 more distinct triggers");
    expect(md).toContain("curl -X 'GET' 'http://127.0.0.1:8787/pets/1?verbose=false'");
    const sarif = toSarif({ report: sampleReport() }) as unknown as { runs: { results: { message: { text: string }; properties: { triggers?: unknown[] } }[] }[] };
    const result = sarif.runs[0].results.find((r) => r.message.text.includes("Also triggered by"))!;
    expect(result.message.text).toContain("query verbose");
    expect(result.properties.triggers).toHaveLength(3);
  });
});
