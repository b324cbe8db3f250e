/**
 * The general detection rules of issue 12 on a small API (rules-api.ts) with one fault per rule,
 * each reachable only when the rule works; its clean variant, lenient where real servers are
 * (clamped limits, ignored unknown properties), must draw no finding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import type { Agent } from "../../workers/orchestrator/agents/types";
import { describeFindings, parseModel, planAndRun, wasmAgents, type DetectionRun } from "./detection-harness";
import { rulesSpec, startRulesApi } from "./rules-api";

let model: ApiModel;
let extraAgents: Agent[];
let buggy: DetectionRun;

async function run(variant: "clean" | "buggy", seed: number): Promise<DetectionRun> {
  const api = await startRulesApi(variant);
  try {
    return await planAndRun({ model, baseUrl: api.url, seed, identities: [], extraAgents });
  } finally {
    await api.close();
  }
}

beforeAll(async () => {
  model = parseModel(JSON.stringify(rulesSpec));
  extraAgents = await wasmAgents();
  buggy = await run("buggy", 7);
}, 60_000);
afterAll(() => undefined);

const found = (check: string, method: string, path: string, signature?: RegExp) =>
  buggy.findings.some((f) => f.check === check && f.operation.method === method && f.operation.path === path && (!signature || signature.test(f.signature)));

describe("general detection rules", () => {
  it("unique fields get fresh values: a created account is read back (example account pre-exists)", () => {
    expect(found("response_schema_conformance", "get", "/accounts/{accountId}"), describeFindings(buggy.findings)).toBe(true);
  });
  it("an optional property alone, refused against an accepted baseline, is positive_data_acceptance", () => {
    expect(found("positive_data_acceptance", "post", "/accounts/{accountId}/notes"), describeFindings(buggy.findings)).toBe(true);
  });
  it("each boolean of an optional parameter is sent on its own", () => {
    expect(found("not_a_server_error", "get", "/accounts"), describeFindings(buggy.findings)).toBe(true);
  });
  it("an out-of-range optional limit that is used (not ignored, not clamped) is negative_data_rejection", () => {
    expect(found("negative_data_rejection", "get", "/accounts", /limit/), describeFindings(buggy.findings)).toBe(true);
  });
  it("an undeclared property of a closed schema that is stored is negative_data_rejection", () => {
    expect(found("negative_data_rejection", "post", "/accounts", /stored/), describeFindings(buggy.findings)).toBe(true);
  });
  it("a SQL tautology returning more records than its falsehood and control is sql_injection", () => {
    expect(found("sql_injection", "get", "/accounts", /boolean-pair/), describeFindings(buggy.findings)).toBe(true);
  });
  it("an integer id read as SQL (`4 OR 1=1` reads another account) is sql_injection", () => {
    expect(found("sql_injection", "get", "/accounts/{accountId}", /boolean-pair/), describeFindings(buggy.findings)).toBe(true);
  });
  it("a sleep that delays the answer twice, its zero-second twin not, is time-based sql_injection", () => {
    expect(found("sql_injection", "get", "/accounts", /time-based/), describeFindings(buggy.findings)).toBe(true);
  });
  it("the fuzzer reaches the code: a hostile value inside an otherwise valid, fresh body crashes the create", () => {
    const fuzzed = buggy.findings.filter((f) => f.check === "not_a_server_error" && f.operation.method === "post" && f.operation.path === "/accounts");
    expect(fuzzed.some((f) => f.caseId.startsWith("robustness-fuzzer:")), describeFindings(buggy.findings)).toBe(true);
  });
  it.each([7, 42])("the clean variant draws no finding (seed %i)", async (seed) => {
    const clean = await run("clean", seed);
    expect(clean.findings.length, describeFindings(clean.findings)).toBe(0);
  }, 60_000);
});
