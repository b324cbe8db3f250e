/**
 * Round trips (issue 12) on round-trips-api.ts: a lifecycle creates with the example's required
 * part only, leaves made-up references out of an update of optional fields, sends the read's ETag
 * back and then the outdated one; the clean variant (412 on a stale ETag) draws no finding.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import { describeFindings, parseModel, planAndRun, type DetectionRun } from "./detection-harness";
import { roundTripsSpec, startRoundTripsApi } from "./round-trips-api";

let model: ApiModel;
let buggy: DetectionRun;

async function run(variant: "clean" | "buggy", seed: number): Promise<DetectionRun> {
  const api = await startRoundTripsApi(variant);
  try {
    return await planAndRun({ model, baseUrl: api.url, seed, identities: [], agentNames: ["stateful", "functional-positive", "functional-negative"] });
  } finally {
    await api.close();
  }
}

beforeAll(async () => {
  model = parseModel(JSON.stringify(roundTripsSpec));
  buggy = await run("buggy", 3);
}, 60_000);

const found = (check: string, method: string, path: string) => buggy.findings.some((f) => f.check === check && f.operation.method === method && f.operation.path === path);

describe("round trips", () => {
  it("a stale If-Match accepted after an update changed the ETag is optimistic_concurrency", () => {
    expect(found("optimistic_concurrency", "patch", "/docs/{docId}"), describeFindings(buggy.findings)).toBe(true);
  });
  it("the lifecycle's create leaves the example's optional parts out: the Location is followed", () => {
    expect(found("location_header", "post", "/docs"), describeFindings(buggy.findings)).toBe(true);
  });
  it("the full example refused is still judged on its own (positive_data_acceptance)", () => {
    expect(found("positive_data_acceptance", "post", "/docs"), describeFindings(buggy.findings)).toBe(true);
  });
  it("an optional value violating its format, sent alone and stored as sent, is negative_data_rejection", () => {
    expect(buggy.findings.some((f) => f.check === "negative_data_rejection" && f.operation.path === "/docs" && /stored:\/due/.test(f.signature)), describeFindings(buggy.findings)).toBe(true);
  });
  it.each([3, 11])("the clean variant draws no finding (seed %i)", async (seed) => {
    const clean = await run("clean", seed);
    expect(clean.findings.length, describeFindings(clean.findings)).toBe(0);
  }, 60_000);
});
