/**
 * Round trips and coverage-seeking generation (issue 12) on read-back-api.ts: the buggy ledger's
 * faults are found (a checksum the server refuses to take back, a PATCH that changes an entry
 * sent back unchanged, an enum member and a boolean flag that crash, a required enum parameter
 * that crashes, an empty list answered 200 with a body breaking its schema); the clean variant,
 * which refuses a wrong checksum with its documented 409, draws no finding. The coverage report
 * of the run shows every enum and boolean value sent and the documented 204 seen.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import { CoverageBuilder } from "../../workers/reports/coverage";
import { describeFindings, parseModel, planAndRun, type DetectionRun } from "./detection-harness";
import { readBackSpec, startReadBackApi } from "./read-back-api";

let model: ApiModel;
let buggy: DetectionRun;

async function run(variant: "clean" | "buggy", seed: number): Promise<DetectionRun> {
  const api = await startReadBackApi(variant);
  try {
    // a small per-operation cap, as on a big spec: the agents alone leave values unsent
    return await planAndRun({ model, baseUrl: api.url, seed, identities: [], maxCasesPerOperation: 12, agentNames: ["stateful", "functional-positive", "functional-negative"] });
  } finally {
    await api.close();
  }
}

beforeAll(async () => {
  model = parseModel(JSON.stringify(readBackSpec));
  buggy = await run("buggy", 5);
}, 60_000);

const found = (check: string, method: string, path: string, signature?: RegExp) =>
  buggy.findings.some((f) => f.check === check && f.operation.method === method && f.operation.path === path && (!signature || signature.test(f.signature)));

describe("round trips: the server's own representation sent back", () => {
  it("a PUT refusing the entry's own checksum is round_trip", () => {
    expect(found("round_trip", "put", "/entries/{entryId}", /refused:409/), describeFindings(buggy.findings)).toBe(true);
  });
  it("a PATCH that changes an entry sent back unchanged is round_trip on the read after it", () => {
    expect(found("round_trip", "get", "/entries/{entryId}", /changed:amount/) || found("round_trip", "patch", "/entries/{entryId}", /changed:amount/), describeFindings(buggy.findings)).toBe(true);
  });
});

describe("coverage-seeking generation", () => {
  it("a documented enum member of a required body property that crashes is found", () => {
    expect(buggy.findings.some((f) => f.check === "not_a_server_error" && f.operation.method === "post" && f.operation.path === "/entries" && /transfer|counter-account/.test(JSON.stringify(f))), describeFindings(buggy.findings)).toBe(true);
  });
  it("a boolean query flag and a required enum parameter that crash are found", () => {
    // one finding (GET /entries, status:500) whose distinct triggers are these requests
    expect(found("not_a_server_error", "get", "/entries"), describeFindings(buggy.findings)).toBe(true);
    const crashed = buggy.results.flatMap((r) => r.checks.filter((c) => c.check === "not_a_server_error" && c.status === "failed").map((c) => r.exchanges.find((e) => e.stepId === c.stepId)?.request.url ?? ""));
    expect(crashed.some((url) => /[?&]recurring=true/.test(url))).toBe(true);
    // alone, not only beside the crashing flag
    expect(crashed.some((url) => /[?&]currency=JPY/.test(url) && !/recurring=true/.test(url))).toBe(true);
  });
  it("an empty list answered 200 with null where 204 is documented breaks the 200 schema", () => {
    expect(found("response_schema_conformance", "get", "/entries"), describeFindings(buggy.findings)).toBe(true);
  });
});

function coverageOf(detection: DetectionRun) {
  const builder = new CoverageBuilder(model, { identities: 0, heldBack: [] });
  for (const r of detection.results) {
    builder.add({ agent: r.agent, operationId: r.operationId, status: r.status, reason: r.reason ?? null, checks: r.checks, exchanges: r.exchanges.map((e) => ({ stepId: e.stepId, method: e.request.method, url: e.request.url, headers: e.request.headers, body: e.request.body ?? null, status: e.response?.status ?? null })) });
  }
  return builder.build();
}

describe("clean variant", () => {
  it.each([5, 12])("draws no finding (seed %i)", async (seed) => {
    const clean = await run("clean", seed);
    expect(clean.findings.length, describeFindings(clean.findings)).toBe(0);
    // the round trip ran and was accepted, the coverage cases ran
    const checks = clean.results.flatMap((r) => r.checks);
    expect(checks.some((c) => c.check === "round_trip" && c.status === "passed")).toBe(true);
    expect(clean.results.some((r) => r.agent === "coverage")).toBe(true);
    // the lifecycle's update sends back the checksum its read produced: accepted, not refused as made up
    const updates = clean.results.filter((r) => r.agent === "stateful").flatMap((r) => r.exchanges.filter((e) => e.stepId === "update" && e.request.method === "PUT"));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((e) => e.response?.status === 200)).toBe(true);
    // the coverage report: every enum and boolean value sent, the empty collection's documented 204 seen
    const coverage = coverageOf(clean);
    for (const op of coverage.operations) for (const p of op.parameters) expect(p.valuesNotSeen ?? [], `${op.method} ${op.path} ${p.in} ${p.name}`).toEqual([]);
    expect(coverage.operations.find((o) => o.operationId === "listEntries")!.statusesSeen).toContain("204");
  }, 60_000);
});
