/**
 * Generality: a second target designed independently of the demo (examples/second-api: OpenAPI
 * 3.1, nested resources, integer and uuid ids, API keys in a header and in the query, roles, a
 * form endpoint, merge patch, oneOf body). From its openapi.json alone, with the two keys a user
 * would pass (`--identity "editor:X-API-Key: …" --identity "reader:X-API-Key: …"`), every seeded
 * fault of its FAULTS.md is found by its check on its operation, and the clean server yields no
 * finding at all, whatever the seed.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEYS } from "../../examples/second-api/keys.mjs";
import { startSecondApi } from "../../examples/second-api/server.mjs";
import { describeFindings, faultTable, opLabel, detectionRunner, type DetectionRun, type Identity } from "./detection-harness";

const apiDir = fileURLToPath(new URL("../../examples/second-api/", import.meta.url));
const SEED = 20240601;
const MAX_RESPONSE_TIME_MS = 1000;


// editor first: it is the identity that can create, so it is the natural default
const identities: Identity[] = [
  { name: "editor", headers: { "X-API-Key": API_KEYS.editor.key } },
  { name: "reader", headers: { "X-API-Key": API_KEYS.reader.key } },
];


const runAgainst = detectionRunner({
  specFile: `${apiDir}openapi.json`,
  identities,
  start: (variant) => startSecondApi({ port: 0, variant }),
  maxResponseTimeMs: MAX_RESPONSE_TIME_MS,
});

describe("detection on the second (library) API", () => {
  const faults = faultTable(`${apiDir}FAULTS.md`);
  let buggy: DetectionRun;

  beforeAll(async () => {
    buggy = await runAgainst("buggy", SEED);
  }, 120_000);

  it("reads every fault from FAULTS.md", () => {
    expect(faults.length).toBeGreaterThanOrEqual(15);
    expect(new Set(faults.map((f) => f.id)).size).toBe(faults.length);
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
  }, 120_000);

  afterAll(() => {
    if (buggy) console.info(`detection (second api): ${buggy.cases.length} cases, ${buggy.requests} requests, ${Math.round(buggy.durationMs)} ms (buggy)`);
  });
});
