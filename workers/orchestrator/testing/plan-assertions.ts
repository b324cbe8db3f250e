/** Assertions on plans over whole specs, shared by plan.test.ts (examples) and plan.corpus.test.ts (real specs). */
import { readFile } from "node:fs/promises";
import { expect } from "vitest";
import { isCheckName, type ApiModel, type TestCase } from "../../model";
import { generateValid } from "../generate/data-mocking";
import { Rng } from "../generate/random";
import { ModelValidator } from "../../jsonschema/validate";
import type { PlanConfig } from "../agents/types";
import { planRun, unfilledPlaceholders } from "../plan";
import { parseSpec } from "../spec";

export async function loadModel(path: string): Promise<ApiModel> {
  const result = parseSpec(new Uint8Array(await readFile(path)));
  if (!result.model) throw new Error(`${path}: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result.model;
}

export function assertWellFormed(cases: TestCase[]): void {
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
      // and every body reference it binds
      for (const reference of step.request.references ?? []) expect(produced.has(reference.variable), `${c.id}/${step.id} binds ${reference.pointer} to ${reference.variable} before it exists`).toBe(true);
      if (step.request.path === "{{location}}") expect(produced.has("location")).toBe(true);
      for (const name of Object.keys(step.extract ?? {})) produced.add(name);
    }
  }
}

/** Plans the spec at `path`: no warnings (besides held-back destructive operations), more cases than operations, well-formed, positive bodies schema-valid. */
export async function assertPlansCleanly(path: string, config: PlanConfig): Promise<void> {
  const model = await loadModel(path);
  const { cases, warnings, heldBack } = await planRun({ model, seed: 9, config });
  // held-back destructive operations are announced among the warnings by design; nothing else may be
  const problems = warnings.filter((w) => !heldBack.some((op) => w.startsWith(`${op.method} ${op.path} (${op.operationId}) not tested:`)));
  expect(problems, path).toEqual([]);
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

/** Share of JSON request bodies of the spec at `path` for which generateValid makes a schema-valid value. */
export async function validBodyShare(path: string): Promise<number> {
  const model = await loadModel(path);
  const validator = new ModelValidator(model);
  let total = 0;
  let valid = 0;
  for (const op of model.operations) {
    for (const media of op.requestBody?.content ?? []) {
      if (!/json/.test(media.contentType)) continue;
      total++;
      const value = generateValid(media.schema, { schemas: model.schemas, rng: new Rng(1), mode: "request", optional: "all" });
      if (validator.check(value, media.schema) === "valid") valid++;
    }
  }
  return valid / Math.max(total, 1);
}
