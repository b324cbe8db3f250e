import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../../../test/corpus";
import { bundleDocument } from "./bundle";
import { modelFromDocument } from "./parse-spec";

/** every $ref left in a bundled document is internal */
function externalRefs(doc: unknown): string[] {
  const found: string[] = [];
  const walk = (n: unknown) => {
    if (n === null || typeof n !== "object") return;
    const ref = (n as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && !ref.startsWith("#")) found.push(ref);
    Object.values(n).forEach(walk);
  };
  walk(doc);
  return found;
}

describe("bundleDocument on the real multi-file specs", () => {
  const base = corpusPath("real/");
  const cases: [string, number][] = [
    ["digitalocean-2026-08-07/DigitalOcean-public.v2.yaml", 659],
    ["surevoip-9dcb0dc8/openapi.yaml", 30],
    ["3gpp-monitoring-event-1.0.1/TS29122_MonitoringEvent.yaml", 5],
  ];
  for (const [root, operations] of cases) {
    it(`bundles ${root}`, async () => {
      const result = await bundleDocument(base + root, (p) => readFile(p, "utf8"));
      expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(externalRefs(result.document)).toEqual([]);
      const { model, problems } = modelFromDocument(result.document);
      expect(problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(model!.operations).toHaveLength(operations);
      for (const op of model!.operations) {
        for (const m of [...(op.requestBody?.content ?? []), ...op.responses.flatMap((r) => r.content)]) expect(m.schema).toBeDefined();
      }
    });
  }

  it("keeps surevoip's file-based security schemes and 3gpp's server variable", async () => {
    const sure = modelFromDocument((await bundleDocument(base + cases[1][0], (p) => readFile(p, "utf8"))).document).model!;
    expect(Object.values(sure.securitySchemes).map((s) => s.type).sort()).toEqual(["http", "oauth2", "openIdConnect"]);
    const gpp = modelFromDocument((await bundleDocument(base + cases[2][0], (p) => readFile(p, "utf8"))).document).model!;
    expect(gpp.servers).toEqual(["https://example.com/3gpp-monitoring-event/v1"]);
  });
});
