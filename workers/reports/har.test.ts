import { describe, expect, it } from "vitest";
import { toHar } from "./har";
import { SAMPLE_CASES, sampleReport } from "./test-fixtures";

describe("toHar", () => {
  it("has one entry per exchange with HAR 1.2 required fields", () => {
    const har = toHar({ report: sampleReport(), cases: SAMPLE_CASES }, { toolVersion: "0.1.0" });
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator).toEqual({ name: "Sentinel", version: "0.1.0" });
    const exchanges = SAMPLE_CASES.flatMap((c) => c.exchanges);
    expect(har.log.entries).toHaveLength(exchanges.length);
    for (const entry of har.log.entries as Record<string, any>[]) {
      expect(Number.isNaN(Date.parse(entry.startedDateTime))).toBe(false);
      for (const key of ["method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"]) expect(entry.request).toHaveProperty(key);
      for (const key of ["status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize"]) expect(entry.response).toHaveProperty(key);
      expect(entry.timings).toHaveProperty("wait");
    }
    const list = (har.log.entries as Record<string, any>[])[0];
    expect(list.request.queryString).toEqual([{ name: "limit", value: "2" }]);
    const post = (har.log.entries as Record<string, any>[]).find((e) => e.request.method === "POST")!;
    expect(post.request.postData).toEqual({ mimeType: "application/json", text: "{}" });
    expect(post.response.status).toBe(0);
    expect(post._error).toBe("ECONNREFUSED");
  });

  it("falls back to the findings' exchanges", () => {
    const report = sampleReport();
    const har = toHar({ report });
    expect(har.log.entries).toHaveLength(report.findings.length);
    const entry = (har.log.entries as Record<string, any>[]).find((e) => e._findingId === "f-neg")!;
    expect(entry.response.redirectURL).toBe("/pets/9");
    expect(entry.request.queryString).toEqual([{ name: "x", value: "1" }, { name: "y", value: "<z>" }]);
  });
});
