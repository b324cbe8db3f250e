import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { isCheckName, type ApiModel, type TestCase } from "../model";
import { generateValid } from "./agents/data-mocking";
import { Rng } from "./agents/random";
import { petstoreModel } from "./agents/test-fixtures";
import { ModelValidator } from "./agents/validation";
import { capFairly, planRun, unfilledPlaceholders } from "./plan";
import { generateSyntheticSpec, modelFromDocument, parseSpec } from "./spec";

const config = { identities: ["alice", "bob"], maxCasesPerOperation: 12 };
const root = new URL("../../", import.meta.url).pathname;
const REAL_SPECS = [
  `${root}examples/demo-api/openapi.yaml`,
  `${root}../shared/specs/real/realworld-conduit-1.1.0.yaml`,
  `${root}../shared/specs/real/vampi-0.1.yaml`,
  `${root}../shared/specs/real/restler-demo-server-0.1.0.json`,
  `${root}../shared/specs/real/discord-v10.json`,
];

async function loadModel(path: string): Promise<ApiModel> {
  const result = parseSpec(new Uint8Array(await readFile(path)));
  if (!result.model) throw new Error(`${path}: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result.model;
}

function assertWellFormed(cases: TestCase[]): void {
  const ids = new Set<string>();
  for (const c of cases) {
    expect(ids.has(c.id), `duplicate id ${c.id}`).toBe(false);
    ids.add(c.id);
    expect(unfilledPlaceholders(c), c.id).toEqual([]);
    const stepIds = c.steps.map((s) => s.id);
    expect(new Set(stepIds).size, `${c.id} step ids`).toBe(stepIds.length);
    const produced = new Set<string>();
    for (const step of c.steps) {
      for (const check of step.checks) expect(isCheckName(check.name), `${c.id}: ${check.name}`).toBe(true);
      // every {{variable}} a step uses in its path parameters was extracted by an earlier step
      for (const value of Object.values(step.request.pathParams)) {
        const m = /^\{\{(\w+)\}\}$/.exec(String(value));
        if (m) expect(produced.has(m[1]), `${c.id}/${step.id} uses {{${m[1]}}} before it exists`).toBe(true);
      }
      if (step.request.path === "{{location}}") expect(produced.has("location")).toBe(true);
      for (const name of Object.keys(step.extract ?? {})) produced.add(name);
    }
  }
}

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
    expect(new Set(cases.map((c) => c.agent)).size).toBe(6);
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

  it("plans real specs without broken cases, and positive bodies are schema-valid", async () => {
    for (const path of REAL_SPECS) {
      const model = await loadModel(path);
      const { cases, warnings } = await planRun({ model, seed: 9, config });
      expect(warnings, path).toEqual([]);
      expect(cases.length, path).toBeGreaterThan(model.operations.length);
      assertWellFormed(cases);
      const validator = new ModelValidator(model);
      for (const c of cases) {
        for (const step of c.steps) {
          if (!step.checks.some((k) => k.name === "positive_data_acceptance")) continue;
          const op = model.operations.find((o) => o.method === step.request.method && o.path === step.request.path)!;
          const value = step.request.body?.value;
          if (value === undefined || JSON.stringify(value).includes("{{")) continue;
          const media = op.requestBody!.content.find((m) => m.contentType === step.request.body!.contentType) ?? op.requestBody!.content[0];
          expect(validator.check(value, media.schema), `${c.id}`).toBe("valid");
        }
      }
    }
  });

  it("generates a valid body for (nearly) every operation of real specs", async () => {
    for (const path of REAL_SPECS.slice(1)) {
      const model = await loadModel(path);
      const validator = new ModelValidator(model);
      let total = 0;
      let valid = 0;
      const failures: string[] = [];
      for (const op of model.operations) {
        for (const media of op.requestBody?.content ?? []) {
          if (!/json/.test(media.contentType)) continue;
          total++;
          const value = generateValid(media.schema, { schemas: model.schemas, rng: new Rng(1), mode: "request", optional: "all" });
          if (validator.check(value, media.schema) === "valid") valid++;
          else failures.push(op.operationId);
        }
      }
      // discord has a handful of schemas no value satisfies exactly (overlapping oneOf branches)
      expect(valid / Math.max(total, 1), `${path}: ${failures.slice(0, 5).join(", ")}`).toBeGreaterThanOrEqual(0.95);
    }
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
