import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../../../test/corpus";
import { ModelValidator } from "../../jsonschema/validate";
import { parseSpec } from "../spec";
import { generateVouched } from "./data-mocking";
import { Rng } from "./random";

const SPECS = ["kubernetes-v1.36.json", "stripe-2023-05-24.yaml", "gitea-1.16.0.yaml", "github-rest-1.1.4.yaml", "twilio-api-v2010-2.6.7.json", "docker-engine-v1.56.yaml", "jira-platform-2022-07-17.json"];

describe("values valid by construction, on real specs", () => {
  it.each(SPECS)("the validator accepts every parameter and body value the generator vouches for (%s)", (name) => {
    const { model } = parseSpec(readFileSync(corpusPath(`real/${name}`)));
    if (!model) throw new Error(`${name} does not parse`);
    const validator = new ModelValidator(model);
    let vouched = 0;
    for (const op of model.operations) {
      const schemas = [...op.parameters.map((p) => ({ schema: p.schema, wire: true })), ...(op.requestBody?.content ?? []).map((m) => ({ schema: m.schema, wire: false }))];
      for (const { schema, wire } of schemas) {
        for (const optional of ["all", "required", "random"] as const) {
          const draw = generateVouched(schema, { schemas: model.schemas, rng: new Rng(vouched + 1), mode: "request", optional, wire, useExamples: true });
          if (!draw.valid) continue;
          vouched++;
          expect(validator.check(draw.value, schema), `${op.operationId}: ${JSON.stringify(draw.value).slice(0, 300)}`).toBe("valid");
        }
      }
    }
    expect(vouched).toBeGreaterThan(0);
  });
});
