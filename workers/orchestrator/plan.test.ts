import { describe, expect, it } from "vitest";
import type { TestCase } from "../model";
import { RUN_LAST_TAG } from "./agents/auth-abuse";
import { petstoreModel } from "./agents/test-fixtures";
import { capFairly, planRun } from "./plan";
import { generateSyntheticSpec, modelFromDocument, parseSpec } from "./spec";
import { assertPlansCleanly, assertWellFormed, validBodyShare } from "./testing/plan-assertions";

const config = { identities: ["alice", "bob"], maxCasesPerOperation: 12 };
const root = new URL("../../", import.meta.url).pathname;
// the specs shipped in examples/; the real-world corpus gets the same checks in plan.corpus.test.ts
const EXAMPLE_SPECS = [`${root}examples/demo-api/openapi.yaml`, `${root}examples/second-api/openapi.json`];

describe("planRun", () => {
  it("is deterministic for a seed and changes with the seed", async () => {
    const a = await planRun({ model: petstoreModel(), seed: 11, config });
    const b = await planRun({ model: petstoreModel(), seed: 11, config });
    const c = await planRun({ model: petstoreModel(), seed: 12, config });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.cases)).not.toBe(JSON.stringify(c.cases));
    expect(a.cases.map((x) => x.id)).toEqual(c.cases.map((x) => x.id).filter((id) => a.cases.some((y) => y.id === id)));
  });

  it("keeps an operation's cases stable when another operation is added", async () => {
    const base = petstoreModel();
    const extended = petstoreModel();
    extended.operations.push({ ...extended.operations[0], operationId: "listPetsAgain", path: "/pets2" });
    const a = await planRun({ model: base, seed: 5, config, agents: ["functional-positive"] });
    const b = await planRun({ model: extended, seed: 5, config, agents: ["functional-positive"] });
    const pick = (r: typeof a) => JSON.stringify(r.cases.filter((c) => c.operationId === "getOrder"));
    expect(pick(a)).toBe(pick(b));
  });

  it("produces well-formed cases: unique ids, known checks, every path placeholder filled", async () => {
    const { cases, warnings } = await planRun({ model: petstoreModel(), seed: 3, config });
    expect(warnings).toEqual([]);
    // six agents, and the planner's own step toward uncovered values
    expect(new Set(cases.map((c) => c.agent)).size).toBe(7);
    assertWellFormed(cases);
    expect(cases.every((c) => c.id.startsWith(`${c.agent}:`))).toBe(true);
  });

  it("selects agents by name and warns about unknown ones", async () => {
    const { cases, warnings } = await planRun({ model: petstoreModel(), seed: 1, config, agents: ["stateful", "nope"] });
    expect(new Set(cases.map((c) => c.agent))).toEqual(new Set(["stateful"]));
    expect(warnings).toEqual(['unknown agent "nope" ignored']);
  });

  it("runs extra agents and drops cases that would send a literal placeholder", async () => {
    const broken = {
      name: "broken",
      description: "test",
      generate: (): TestCase[] => [{ id: "broken:x:0", agent: "broken", operationId: "getPet", kind: "positive", title: "t", steps: [{ id: "s", request: { method: "get", path: "/pets/{petId}", pathParams: {}, query: {}, headers: {} }, checks: [] }] }],
    };
    const { cases, warnings } = await planRun({ model: petstoreModel(), seed: 1, config, agents: ["broken"], extraAgents: [broken] });
    expect(cases).toEqual([]);
    expect(warnings[0]).toContain("unfilled path placeholder s: {petId}");
  });

  it("caps per operation and in total, keeping every operation represented", async () => {
    const perOp = await planRun({ model: petstoreModel(), seed: 1, config: { ...config, maxCasesPerOperation: 1 }, agents: ["functional-negative"] });
    expect(perOp.cases.length).toBe(new Set(perOp.cases.map((c) => c.operationId)).size);
    const total = await planRun({ model: petstoreModel(), seed: 1, config: { ...config, maxTotalCases: 10 }, agents: ["functional-negative"] });
    expect(total.cases.length).toBe(10);
    expect(new Set(total.cases.map((c) => c.operationId)).size).toBe(new Set(perOp.cases.map((c) => c.operationId)).size);
    expect(total.warnings.some((w) => w.includes("kept 10"))).toBe(true);
    expect(capFairly(total.cases, 100)).toBe(total.cases);
  });

  it("holds destructive operations back from every agent by default, and runs them last when allowed", async () => {
    const model = petstoreModel();
    const base = model.operations.find((o) => o.operationId === "createPet")!;
    model.operations.push(
      { ...base, operationId: "resetStore", method: "post", path: "/admin/reset", requestBody: undefined, parameters: [] },
      { ...base, operationId: "removePets", method: "delete", path: "/pets", requestBody: undefined, parameters: [] },
    );
    const isDestructive = (c: TestCase) => c.steps.some((s) => (s.request.method === "post" && s.request.path === "/admin/reset") || (s.request.method === "delete" && s.request.path === "/pets"));

    // cases tagged run-last (the backtracking probes) run alone too, before the destructive ones
    const runLast = (c: TestCase) => c.tags?.includes(RUN_LAST_TAG) === true;
    const held = await planRun({ model, seed: 4, config });
    expect(held.cases.length).toBeGreaterThan(0);
    expect(held.cases.filter(isDestructive)).toEqual([]);
    expect(held.destructiveCases).toBe(held.cases.filter(runLast).length);
    expect(held.heldBack.map((o) => `${o.operationId}: ${o.reason}`)).toEqual([
      "resetStore: destructive: operationId says reset",
      "removePets: destructive: DELETE on the collection /pets",
    ]);
    expect(held.warnings).toContain("POST /admin/reset (resetStore) not tested: destructive: operationId says reset (--allow-destructive runs it)");

    const allowed = await planRun({ model, seed: 4, config, selection: { allowDestructive: true } });
    const flags = allowed.cases.map(isDestructive);
    expect(allowed.destructiveCases).toBeGreaterThan(0);
    expect(flags.filter(Boolean)).toHaveLength(allowed.destructiveCases - allowed.cases.filter((c) => runLast(c) && !isDestructive(c)).length);
    // every destructive case comes after every other case
    expect(flags.indexOf(true)).toBe(allowed.cases.length - flags.filter(Boolean).length);
    expect(new Set(allowed.cases.filter(isDestructive).map((c) => c.agent)).size).toBeGreaterThan(1);
    expect(allowed.heldBack).toEqual([]);
  });

  it("plans only the operations the include/exclude filters select, and reports filters that match nothing", async () => {
    const { cases, unmatchedFilters } = await planRun({ model: petstoreModel(), seed: 2, config, selection: { include: ["/pets*"], exclude: ["DELETE", "getOrder", "tag:nothing"] } });
    expect(new Set(cases.map((c) => c.operationId)).has("getPet")).toBe(true);
    expect(cases.some((c) => c.operationId === "adminStats" || c.operationId === "getOrder" || c.operationId === "deletePet")).toBe(false);
    expect(unmatchedFilters).toEqual(["tag:nothing"]);
  });

  it("plans the example specs without broken cases, and positive bodies are schema-valid", async () => {
    for (const path of EXAMPLE_SPECS) await assertPlansCleanly(path, config);
  });

  it("generates a valid body for every operation of the example specs", async () => {
    for (const path of EXAMPLE_SPECS) expect(await validBodyShare(path), path).toBe(1);
  });

  it("plans a synthetic 1,000-operation model quickly (benchmark hint)", async () => {
    const model = modelFromDocument(generateSyntheticSpec(1000)).model!;
    const started = performance.now();
    const { cases } = await planRun({ model, seed: 1, config: { identities: ["a", "b"], maxCasesPerOperation: 10, maxTotalCases: 1_000_000 } });
    const seconds = (performance.now() - started) / 1000;
    console.log(`planned ${cases.length} cases for ${model.operations.length} operations in ${seconds.toFixed(2)} s (${Math.round(cases.length / seconds)} cases/s)`);
    expect(cases.length).toBeGreaterThan(10_000);
    expect(seconds).toBeLessThan(30);
  });
});

describe("plan size on big specs", () => {
  it("shrinks the per-operation budget so generation stays near the total cap", async () => {
    const { model } = parseSpec(JSON.stringify(generateSyntheticSpec(2000)));
    const { cases } = await planRun({ model: model!, seed: 1, config: { identities: ["a"], maxCasesPerOperation: 50, maxTotalCases: 1000 } });
    expect(cases.length).toBeLessThanOrEqual(1000);
    expect(cases.length).toBeGreaterThan(500);
  });
});
