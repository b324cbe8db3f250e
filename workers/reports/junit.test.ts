import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { toJUnit } from "./junit";
import { SAMPLE_CASES, sampleReport } from "./test-fixtures";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["testsuite", "testcase", "property"].includes(name) });

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites;
}

describe("toJUnit", () => {
  it("makes a testsuite per operation and a testcase per case", () => {
    const xml = toJUnit({ report: sampleReport(), cases: SAMPLE_CASES });
    const suites = parse(xml);
    expect(suites["@tests"]).toBe("4");
    expect(suites["@failures"]).toBe("1");
    expect(suites["@errors"]).toBe("1");
    expect(suites["@skipped"]).toBe("1");
    const names = suites.testsuite.map((s: { "@name": string }) => s["@name"]);
    expect(names).toEqual(["GET /pets (listPets)", "GET /pets/{petId} (getPet)", "POST /pets (createPet)"]);
    const getPet = suites.testsuite.find((s: { "@name": string }) => s["@name"].includes("getPet"));
    const failure = getPet.testcase[0].failure;
    expect(failure["@type"]).toBe("not_a_server_error");
    expect(failure["@message"]).toContain("not_a_server_error: 500 returned <script>");
    expect(failure["#text"]).toContain("reproduce: curl -sS -X GET http://127.0.0.1:8787/pets/1");
    expect(failure["#text"]).toContain("status_code_conformance");
  });

  it("escapes markup and drops characters XML forbids", () => {
    const xml = toJUnit({ report: sampleReport(), cases: SAMPLE_CASES });
    expect(xml).not.toContain("<script>");
    expect(xml).not.toMatch(/[\u0001\u0007]/);
  });

  it("turns findings into failing testcases when no case results are given", () => {
    const report = sampleReport();
    const suites = parse(toJUnit({ report }));
    const all = suites.testsuite.flatMap((s: { testcase: unknown[] }) => s.testcase);
    expect(all).toHaveLength(report.findings.length + report.skipped.length);
    expect(suites["@failures"]).toBe(String(report.findings.length));
    expect(suites["@skipped"]).toBe(String(report.skipped.length));
    const skipped = all.find((t: { skipped?: unknown }) => t.skipped) as { skipped: { "@message": string } };
    expect(skipped.skipped["@message"]).toBe("create returned 400");
    const uaf = all.find((t: { "@name": string }) => t["@name"].startsWith("use_after_free")) as { failure: { "#text": string } };
    expect(uaf.failure["#text"]).toContain("steps:\n1. create (as alice): POST http://127.0.0.1:8787/pets → 201");
    expect(uaf.failure["#text"]).toContain("SENTINEL_VAR_PETID=$(jq -r");
    const createPet = suites.testsuite.find((s: { "@name": string }) => s["@name"] === "POST /pets (createPet)");
    expect(createPet.testcase[0].failure["#text"]).toContain("reproduce: curl -sS -X POST");
  });

  it("has exactly one testcase per case, skipped ones with their reason, also when the run errored", () => {
    const report = sampleReport();
    report.run.status = "errored";
    const suites = parse(toJUnit({ report, cases: SAMPLE_CASES }));
    expect([suites["@tests"], suites["@failures"], suites["@errors"], suites["@skipped"]].map(Number)).toEqual([report.run.stats.cases, report.run.stats.failed, report.run.stats.errored, report.run.stats.skipped]);
    const skipped = suites.testsuite.flatMap((s: { testcase: { skipped?: { "@message": string } }[] }) => s.testcase).filter((t: { skipped?: unknown }) => t.skipped);
    expect(skipped.map((t: { skipped: { "@message": string } }) => t.skipped["@message"])).toEqual(["create returned 400"]);
    // a run that errored before any case ran still fails in CI
    const empty = parse(toJUnit({ report: { ...sampleReport([]), skipped: [], run: { ...report.run, stats: { ...report.run.stats, cases: 0 } } } }));
    expect(empty["@errors"]).toBe("1");
  });

  it("reports a clean run as one passing testcase", () => {
    const suites = parse(toJUnit({ report: sampleReport([]) }));
    expect(suites["@tests"]).toBe("1");
    expect(suites["@failures"]).toBe("0");
  });
});
