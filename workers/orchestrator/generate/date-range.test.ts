/**
 * Date ranges: valid bodies keep start/end pairs ordered, and the negative agent sends them
 * swapped where a 400/422 is documented; pairs that are no range (first/last names, from/to
 * accounts, created/updated instants) are left alone.
 */
import { describe, expect, it } from "vitest";
import type { TestCase } from "../../model";
import { parseSpec } from "../spec";
import { functionalNegative } from "../agents/functional-negative";
import { generateValid } from "./data-mocking";
import { dateRanges } from "./date-range";
import { Rng } from "./random";

const date = { type: "string", format: "date" };
const instant = { type: "string", format: "date-time" };

describe("dateRanges", () => {
  it("pairs the two ends of a range whatever the naming style", () => {
    const props = { start_date: date, end_date: date, validFrom: instant, validTo: instant, check_in: date, check_out: date, since: instant, until: instant };
    expect(dateRanges(props, {})).toEqual([
      { start: "start_date", end: "end_date" },
      { start: "validFrom", end: "validTo" },
      { start: "check_in", end: "check_out" },
      { start: "since", end: "until" },
    ]);
  });

  it("pairs nothing that is not two dates of one range", () => {
    const props = { first_name: { type: "string" }, last_name: { type: "string" }, from_account: { type: "string" }, to_account: { type: "string" }, created_at: instant, updated_at: instant, start_time: instant, end_time: { ...instant, readOnly: true }, in: date, out: date };
    expect(dateRanges(props, {})).toEqual([]);
  });
});

const schema = { type: "object", required: ["start_date", "end_date", "name"], properties: { name: { type: "string" }, start_date: date, end_date: date, starts_at: instant, ends_at: instant } };

describe("valid values", () => {
  it("keep every range ordered (end on or after start), whatever the seed", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const v = generateValid(schema, { schemas: {}, rng: new Rng(seed), mode: "request", optional: "all", useExamples: false }) as Record<string, string>;
      expect(v.end_date >= v.start_date, JSON.stringify(v)).toBe(true);
      expect(Date.parse(v.ends_at) >= Date.parse(v.starts_at), JSON.stringify(v)).toBe(true);
    }
  });
});

function spec(responses: Record<string, unknown>) {
  return {
    openapi: "3.0.3",
    info: { title: "leave", version: "1" },
    paths: {
      "/leaves": {
        post: { operationId: "createLeave", requestBody: { required: true, content: { "application/json": { schema } } }, responses: { "201": { description: "created" }, ...responses } },
      },
    },
  };
}

async function negatives(responses: Record<string, unknown>): Promise<TestCase[]> {
  const { model } = parseSpec(JSON.stringify(spec(responses)));
  return functionalNegative.generate({ model: model!, seed: 3, config: { identities: [], maxCasesPerOperation: 20 } });
}

describe("swapped range", () => {
  it("is sent as invalid data where the operation documents a 422", async () => {
    const swapped = (await negatives({ "422": { description: "invalid" } })).find((c) => c.title.includes("end_date before start_date"));
    expect(swapped).toBeDefined();
    const step = swapped!.steps[swapped!.steps.length - 1];
    const body = step.request.body?.value as Record<string, string>;
    expect(body.end_date < body.start_date).toBe(true);
    expect(step.checks.find((k) => k.name === "negative_data_rejection")?.params).toMatchObject({ invalid: true, location: "body" });
  });

  it("is not judged where no rejection is documented", async () => {
    expect((await negatives({})).some((c) => c.title.includes("before start_date"))).toBe(false);
  });
});
