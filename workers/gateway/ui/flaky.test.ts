import { describe, expect, it } from "vitest";
import { flakyCases } from "./flaky";

const run = (runId: string, failed: string[]) => ({ runId, failed: new Map(failed.map((id) => [id, `op-${id}`])) });

describe("flakyCases", () => {
  it("reports cases that fail in some runs and not others, most flips first", () => {
    const out = flakyCases([run("r1", ["a", "b", "c"]), run("r2", ["a", "c"]), run("r3", ["a", "b"])]);
    expect(out.map((f) => f.caseId)).toEqual(["b", "c"]);
    expect(out[0]).toEqual({ caseId: "b", operationId: "op-b", history: [true, false, true], flips: 2 });
    expect(out[1].history).toEqual([true, true, false]);
  });

  it("a case failing in every run is a steady failure, not flaky; one run shows nothing", () => {
    expect(flakyCases([run("r1", ["a"]), run("r2", ["a"])])).toEqual([]);
    expect(flakyCases([run("r1", ["a"])])).toEqual([]);
  });
});
