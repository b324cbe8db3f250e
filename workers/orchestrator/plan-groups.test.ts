import { describe, expect, it } from "vitest";
import type { TestCase } from "../model";
import { functionalNegative } from "./agents/functional-negative";
import { petstoreModel } from "./agents/test-fixtures";
import type { Agent } from "./agents/types";
import { Rng } from "./generate/random";
import { capFairly, planRun } from "./plan";
import { capRuns, runsOf, type Run } from "./plan-groups";
import { generateSyntheticSpec, parseSpec } from "./spec";

const testCase = (agent: string, operationId: string, n: number, badPath = false): TestCase => ({
  id: `${agent}:${operationId}:${n}`,
  agent,
  operationId,
  kind: "negative",
  title: "t",
  steps: [{ id: "s", request: { method: "get", path: badPath ? "/x/{id}" : "/x", pathParams: {}, query: {}, headers: {} }, checks: [] }],
});
const drop = (c: TestCase) => (c.steps[0].request.path.includes("{") ? `dropped ${c.id}` : undefined);

describe("capRuns", () => {
  it("keeps what capFairly keeps of the whole list, in its order, building lazy runs only as far as needed", () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 200; trial++) {
      const runs: Run[] = [];
      const all: TestCase[] = [];
      const lazy: { raw: TestCase[]; built: number }[] = [];
      for (let r = 0; r < rng.int(1, 8); r++) {
        const op = `op${rng.int(0, 3)}`;
        const agent = rng.int(0, 1) === 0 ? "a" : "b";
        const size = rng.int(0, 6);
        const raw = Array.from({ length: size }, (_, n) => testCase(agent, op, n + 10 * r, rng.int(0, 5) === 0));
        all.push(...raw.filter((c) => drop(c) === undefined));
        if (rng.int(0, 1) === 0) runs.push(...runsOf(raw.filter((c) => drop(c) === undefined), 0));
        else {
          const counted = { raw, built: 0 };
          lazy.push(counted);
          const rest = (function* () {
            for (const c of raw) {
              counted.built++;
              yield c;
            }
          })();
          runs.push({ key: `${agent}\u0000${op}`, agent: 0, cases: [], rest, room: size, warnings: [] });
        }
      }
      const cap = rng.int(0, 20);
      const { kept, more } = capRuns(runs, cap, drop);
      expect(kept).toEqual(capFairly(all, cap));
      expect(more).toBe(kept.length < all.length);
      // a lazy run is built up to its next case past those kept (the look-ahead), no further
      for (const { raw, built } of lazy) {
        const accepted = raw.filter((c) => drop(c) === undefined);
        const keptHere = accepted.filter((c) => kept.includes(c)).length;
        const bound = keptHere < accepted.length ? raw.indexOf(accepted[keptHere]) + 1 : raw.length;
        expect(built).toBeLessThanOrEqual(bound);
      }
    }
  });
});

describe("planRun with a lazy agent", () => {
  // the same agent building every case first: the plan it gives is the reference
  const eager: Agent = { ...functionalNegative, byOperation: undefined };

  it("plans what building every case first plans, with the total cap binding or not", async () => {
    const model = parseSpec(JSON.stringify(generateSyntheticSpec(40))).model!;
    for (const maxTotalCases of [7, 100, 400, 20_000]) {
      const config = { identities: ["alice", "bob"], maxCasesPerOperation: 50, maxTotalCases };
      const agents = ["functional-positive", "functional-negative", "stateful"];
      const lazy = await planRun({ model, seed: 3, agents, config });
      const reference = await planRun({ model, seed: 3, agents, config, extraAgents: [eager] });
      expect(JSON.stringify(lazy.cases)).toBe(JSON.stringify(reference.cases));
      expect(lazy.destructiveCases).toBe(reference.destructiveCases);
      const capped = (w: string) => w.includes("total cap");
      expect(lazy.warnings.filter((w) => !capped(w))).toEqual(reference.warnings.filter((w) => !capped(w)));
      expect(lazy.warnings.some(capped)).toBe(reference.warnings.some(capped));
    }
  });

  it("builds only the cases the total cap can keep", async () => {
    let built = 0;
    const counting: Agent = {
      ...functionalNegative,
      byOperation: (ctx) =>
        functionalNegative.byOperation!(ctx).map((group) => ({
          operationId: group.operationId,
          cases: (function* () {
            for (const c of group.cases) {
              built++;
              yield c;
            }
          })(),
        })),
    };
    const model = petstoreModel();
    const config = { identities: ["alice"], maxCasesPerOperation: 50, maxTotalCases: model.operations.length };
    const { cases, warnings } = await planRun({ model, seed: 1, agents: ["functional-negative"], extraAgents: [counting], config });
    // one case per operation, and one more built to tell that the cap left cases out
    expect(cases.length).toBe(model.operations.length);
    expect(built).toBe(cases.length + 1);
    expect(warnings).toContain(`planned at least ${built} cases, kept ${cases.length} (total cap ${cases.length})`);
  });

  it("drops an agent that fails while its cases are built, as when it fails at once", async () => {
    const failing: Agent = {
      ...functionalNegative,
      byOperation: (ctx) =>
        functionalNegative.byOperation!(ctx).map((group, i) => ({
          operationId: group.operationId,
          cases: (function* () {
            if (i === 1) throw new Error("boom");
            yield* group.cases;
          })(),
        })),
    };
    const { cases, warnings } = await planRun({ model: petstoreModel(), seed: 1, agents: ["functional-negative", "functional-positive"], extraAgents: [failing], config: { identities: ["alice"], maxCasesPerOperation: 50, maxTotalCases: 5 } });
    expect(cases.every((c) => c.agent !== "functional-negative")).toBe(true);
    expect(cases.length).toBe(5);
    expect(warnings[0]).toBe("agent functional-negative failed: boom");
  });
});
