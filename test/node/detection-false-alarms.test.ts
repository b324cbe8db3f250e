/**
 * No false alarms on a target that follows its spec but is as lenient and as business-rule
 * laden as real servers are (see detection-lenient-api.ts for every behaviour). All agents, three
 * identities (alice, bob and a privileged "admin" a user might well pass too), three seeds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import type { Agent } from "../../workers/orchestrator/agents/types";
import { describeFindings, parseModel, planAndRun, wasmAgents, type Identity } from "./detection-harness";
import { lenientSpec, startLenientApi, TOKENS } from "./detection-lenient-api";

const identities: Identity[] = (["alice", "bob", "admin"] as const).map((name) => ({ name, headers: { Authorization: `Bearer ${TOKENS[name]}` } }));

let model: ApiModel;
let extraAgents: Agent[];
let api: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  model = parseModel(JSON.stringify(lenientSpec));
  extraAgents = await wasmAgents();
  api = await startLenientApi();
});
afterAll(() => api?.close());

describe("no false alarms on a lenient, spec-faithful API", () => {
  it.each([1, 42, 20240601])("raises no finding (seed %i)", async (seed) => {
    const run = await planAndRun({ model, baseUrl: api.url, seed, identities, extraAgents, maxResponseTimeMs: 1000 });
    expect(run.findings.length, describeFindings(run.findings)).toBe(0);
    expect(run.results.filter((r) => r.status === "errored").map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
    // the probes that could misfire did run
    const ran = (check: string) => run.results.some((r) => r.checks.some((c) => c.check === check && c.status !== "skipped"));
    for (const check of ["bola", "bfla", "negative_data_rejection", "positive_data_acceptance", "stateful_invariant", "use_after_free", "ignored_auth", "nosql_injection", "mass_assignment", "response_schema_conformance"]) {
      expect(ran(check), check).toBe(true);
    }
  }, 60_000);
});
