import { describe, expect, it } from "vitest";
import { corpusPath } from "../../test/corpus";
import { assertPlansCleanly, validBodyShare } from "./testing/plan-assertions";

const config = { identities: ["alice", "bob"], maxCasesPerOperation: 12 };
const REAL_SPECS = ["realworld-conduit-1.1.0.yaml", "vampi-0.1.yaml", "restler-demo-server-0.1.0.json", "discord-v10.json"];

describe("planRun on real specs", () => {
  it("plans real specs without broken cases, and positive bodies are schema-valid", async () => {
    for (const name of REAL_SPECS) await assertPlansCleanly(corpusPath(`real/${name}`), config);
  });

  it("generates a valid body for (nearly) every operation of real specs", async () => {
    // discord has a handful of schemas no value satisfies exactly (overlapping oneOf branches)
    for (const name of REAL_SPECS) expect(await validBodyShare(corpusPath(`real/${name}`)), name).toBeGreaterThanOrEqual(0.95);
  });
});
