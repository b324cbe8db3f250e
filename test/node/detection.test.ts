/**
 * Sentinel's core promise, end to end: from examples/demo-api/openapi.yaml alone, with the
 * identities a user would pass (`--identity alice:… --identity bob:…`, both regular users), every
 * seeded fault of FAULTS.md is found by its check on its operation against the buggy server, and
 * the clean server — which follows its spec — yields no finding at all, whatever the seed.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { describeFindings, faultTable, opLabel, detectionRunner, type DetectionRun, type Identity } from "./detection-harness";

const demoDir = fileURLToPath(new URL("../../examples/demo-api/", import.meta.url));
const SEED = 20240601;
const MAX_RESPONSE_TIME_MS = 1000;


const tokens = demoTokens();
const identities: Identity[] = [
  { name: "alice", headers: { Authorization: `Bearer ${tokens.alice}` } },
  { name: "bob", headers: { Authorization: `Bearer ${tokens.bob}` } },
];


const runAgainst = detectionRunner({
  specFile: `${demoDir}openapi.yaml`,
  identities,
  start: (variant) => startDemoApi({ port: 0, variant }),
  maxResponseTimeMs: MAX_RESPONSE_TIME_MS,
});

describe("detection on the demo API", () => {
  const faults = faultTable(`${demoDir}FAULTS.md`);
  let buggy: DetectionRun;

  beforeAll(async () => {
    buggy = await runAgainst("buggy", SEED);
  }, 60_000);

  it("reads all 25 faults from FAULTS.md", () => {
    expect(faults).toHaveLength(25);
  });

  it("finds every seeded fault with its check on its operation (buggy variant)", () => {
    const missed = faults.filter((fault) => !buggy.findings.some((f) => f.check === fault.check && opLabel(f) === fault.operation));
    expect(missed.map((f) => `${f.id}: ${f.check} on ${f.operation}`), `findings:\n${describeFindings(buggy.findings)}`).toEqual([]);
    expect(buggy.results.filter((r) => r.status === "errored").map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
  });

  it.each([SEED, 7, 99991])("raises no finding against the clean variant (seed %i)", async (seed) => {
    const clean = await runAgainst("clean", seed);
    expect(clean.findings.length, describeFindings(clean.findings)).toBe(0);
    expect(clean.results.filter((r) => r.status === "errored").map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
    expect(clean.cases.length).toBeGreaterThan(200);
  }, 60_000);

  afterAll(() => {
    if (buggy) console.info(`detection: ${buggy.cases.length} cases, ${buggy.requests} requests, ${Math.round(buggy.durationMs)} ms (buggy)`);
  });
});
