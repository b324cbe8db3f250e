/**
 * No false alarms on real-world specs: each spec of the corpus (shared/specs beside the clone) is served by a
 * spec-faithful mock (spec-mock-server.ts), planned with every agent (the wasm one included) for
 * two regular identities whose credentials match the spec's security scheme, run with 6 requests
 * in flight, and must yield ZERO findings — a server that follows its spec has no bugs to find.
 * Also guards coverage: planning warns of no agent crash, and errored/skipped cases stay a
 * minority (a request the executor cannot build is lost coverage).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel, CaseResult, Finding, Operation, TestCase } from "../../workers/model";
import { dedupeFindings, findingsFromCase } from "../../workers/executor/findings";
import { runCase, type RunEnv } from "../../workers/executor/run-case";
import { AGENTS } from "../../workers/orchestrator/agents";
import type { Agent } from "../../workers/orchestrator/agents/types";
import { planRun } from "../../workers/orchestrator/plan";
import { parseSpec } from "../../workers/orchestrator/spec";
import { confirmedLinks, describeFindings, mapLimit, wasmAgents, type Identity } from "./detection-harness";
import { startSpecMock, type SpecMock } from "./spec-mock-server";
import { corpusPath } from "../corpus";
import { identityHeaders } from "./spec-mock-identities";

const SPECS = corpusPath().replace(/\/$/, "");

interface SpecRun {
  name: string;
  file: string;
  /** cases per operation per agent */
  perOperation: number;
  /** keep every n-th operation, at most `maxOperations` (big specs) */
  maxOperations?: number;
  /** most cases run in all (fair cap across agents and operations) */
  maxCases?: number;
  /** share of errored + skipped cases tolerated */
  maxLostShare?: number;
  /**
   * Findings the spec itself mandates ("check METHOD /path"): a faithful server has them. Only a
   * deliberately vulnerable API's own documentation earns an entry, with the reason beside it.
   */
  documentedFaults?: string[];
}

const RUNS: SpecRun[] = [
  { name: "restler-demo-server", file: `${SPECS}/real/restler-demo-server-0.1.0.json`, perOperation: 12 },
  { name: "realworld-conduit", file: `${SPECS}/real/realworld-conduit-1.1.0.yaml`, perOperation: 8 },
  // VAmPI is vulnerable on purpose: its spec documents a debug operation listing every user with a plaintext password
  { name: "vampi", file: `${SPECS}/real/vampi-0.1.yaml`, perOperation: 8, documentedFaults: ["excessive_data_exposure GET /users/v1/_debug"] },
  { name: "redocly-museum", file: `${SPECS}/real/redocly-museum-1.2.1.yaml`, perOperation: 10 },
  { name: "nytimes-article-search", file: `${SPECS}/real/nytimes-article-search-1.0.0.json`, perOperation: 12 },
  { name: "nytimes-top-stories", file: `${SPECS}/real/nytimes-top-stories-2.0.0.yaml`, perOperation: 12 },
  { name: "mercure", file: `${SPECS}/real/mercure-2026-07-26.yaml`, perOperation: 12 },
  { name: "intellifi-brain", file: `${SPECS}/real/intellifi-brain-2.27.2.yaml`, perOperation: 4 },
  { name: "gitea (Swagger 2.0)", file: `${SPECS}/real/gitea-1.16.0.yaml`, perOperation: 2, maxOperations: 120 },
  { name: "peertube", file: `${SPECS}/real/peertube-3.3.0.yaml`, perOperation: 3 },
  { name: "spotify", file: `${SPECS}/real/spotify-2026.5.31.yaml`, perOperation: 3 },
  { name: "github (sample)", file: `${SPECS}/real/github-rest-1.1.4.yaml`, perOperation: 2, maxOperations: 80 },
  { name: "stripe (sample)", file: `${SPECS}/real/stripe-2023-05-24.yaml`, perOperation: 2, maxOperations: 80 },
  { name: "asana (sample)", file: `${SPECS}/real/asana-2026-06-11.yaml`, perOperation: 2, maxOperations: 80 },
  // the other big single-file specs, 60 operations each
  ...["openai-2.3.0.yaml", "twilio-api-v2010-2.6.7.json", "discord-v10.json", "pagerduty-2026-08-14.json", "box-2024.0.json", "jira-platform-2022-07-17.json", "zoom-meeting-2023-07-10.json", "slack-web-1.7.0.json", "docker-engine-v1.56.yaml", "kubernetes-v1.36.json"].map(
    (f) => ({ name: `${f.replace(/-v?[\d.-]+\.(json|yaml)$/, "")} (sample)`, file: `${SPECS}/real/${f}`, perOperation: 2, maxOperations: 60 }),
  ),
  { name: "petstore 3.0", file: `${SPECS}/oai-examples/v3.0-petstore.json`, perOperation: 12 },
  { name: "petstore-expanded 3.0", file: `${SPECS}/oai-examples/v3.0-petstore-expanded.json`, perOperation: 12 },
  { name: "petstore 2.0", file: `${SPECS}/oai-examples/v2.0-petstore.yaml`, perOperation: 12 },
  { name: "petstore-expanded 2.0", file: `${SPECS}/oai-examples/v2.0-petstore-expanded.yaml`, perOperation: 12 },
];

function sampled(model: ApiModel, max: number | undefined): ApiModel {
  if (max === undefined || model.operations.length <= max) return model;
  const step = model.operations.length / max;
  const operations: Operation[] = [];
  for (let i = 0; i < max; i++) operations.push(model.operations[Math.floor(i * step)]);
  return { ...model, operations };
}

interface Outcome {
  cases: TestCase[];
  results: CaseResult[];
  findings: Finding[];
  warnings: string[];
}

async function runSpec(run: SpecRun, extra: Agent[], seed: number): Promise<{ outcome: Outcome; mock: SpecMock }> {
  const t0 = performance.now();
  const parsed = parseSpec(readFileSync(run.file, "utf8"), { maxYamlBytes: Infinity });
  if (!parsed.model) throw new Error(`${run.name} did not parse: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  const model = sampled(parsed.model, run.maxOperations);
  const identities: Identity[] = ["alice", "bob"].map((name) => ({ name, headers: identityHeaders(model, name) }));
  const mock = await startSpecMock({ model, identities, seed });
  // links by meaning probed against the mock first, as the platform does before planning
  const meaning = await confirmedLinks(model, mock.url, identities, seed);
  const linked = performance.now();
  const plan = await planRun({
    model,
    seed,
    agents: [...AGENTS.map((a) => a.name), ...extra.map((a) => a.name)],
    extraAgents: extra,
    config: {
      identities: identities.map((i) => i.name),
      maxCasesPerOperation: run.perOperation,
      maxTotalCases: run.maxCases,
      identityTokens: Object.fromEntries(identities.flatMap((i) => (i.headers.Authorization ? [[i.name, i.headers.Authorization]] : []))),
      ...(meaning.links.length > 0 ? { links: meaning.links } : {}),
    },
  });
  const planned = performance.now();
  const env: RunEnv = {
    fetch: (input, init) => fetch(input, init),
    baseUrl: mock.url,
    identities: Object.fromEntries(identities.map((i) => [i.name, i.headers])),
    defaultIdentity: identities[0].name,
    model,
    config: { timeoutMs: 15_000, maxBodyBytes: 1024 * 1024, retries: 0 },
  };
  const results = await mapLimit(plan.cases, 6, (testCase) => runCase(testCase, env));
  if (process.env.SENTINEL_MOCK_DEBUG) console.log(`  timing: links ${Math.round(linked - t0)} ms (${meaning.warnings.length} probes), plan ${Math.round(planned - linked)} ms, run ${Math.round(performance.now() - planned)} ms`);
  const findings = dedupeFindings(results.flatMap((result, i) => findingsFromCase(result, plan.cases[i], model)));
  return { outcome: { cases: plan.cases, results, findings, warnings: [...meaning.warnings, ...plan.warnings] }, mock };
}

let extraAgents: Agent[];
const table: string[] = [];
/** checks that reached a verdict (passed) over every spec: the oracles that could misfire did run */
const judged = new Map<string, number>();

beforeAll(async () => {
  extraAgents = await wasmAgents();
});
afterAll(() => {
  console.log(["spec | cases | findings | errored | skipped | ms", ...table].join("\n"));
});

describe("no false alarms on real specs served by a spec-faithful mock", () => {
  it.each(RUNS.map((r) => [r.name, r] as const))("%s", async (_name, run) => {
    const started = performance.now();
    const { outcome, mock } = await runSpec(run, extraAgents, Number(process.env.SENTINEL_MOCK_SEED ?? 20240601));
    await mock.close();
    for (const r of outcome.results) for (const c of r.checks) if (c.status === "passed") judged.set(c.check, (judged.get(c.check) ?? 0) + 1);
    const errored = outcome.results.filter((r) => r.status === "errored");
    const skipped = outcome.results.filter((r) => r.status === "skipped");
    table.push(`${run.name} | ${outcome.cases.length} | ${outcome.findings.length} | ${errored.length} | ${skipped.length} | ${Math.round(performance.now() - started)}`);
    if (process.env.SENTINEL_MOCK_DEBUG) {
      const reasons = new Map<string, number>();
      for (const r of [...errored, ...skipped]) {
        const key = `${r.status} ${r.agent}: ${(r.reason ?? "").replace(/step [\w-]+/, "step").replace(/\d+/g, "N").slice(0, 140)}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
      for (const f of outcome.findings) {
        const url = new URL(f.request.url);
        const entry = [...mock.log].reverse().find((e) => e.path === url.pathname + url.search && e.method === f.request.method && e.status === f.response?.status);
        if (process.env.SENTINEL_MOCK_DEBUG === "2") console.log(JSON.stringify(outcome.results.find((r) => r.caseId === f.caseId)?.exchanges.map((e) => [e.request.method, e.request.url, e.request.headers["Content-Type"] ?? e.request.headers["content-type"], e.request.body?.slice(0, 300), e.response?.status, e.response?.body.slice(0, 300)])));
        console.log(`  FINDING ${f.check} ${f.request.method} ${f.request.url.slice(0, 160)} → ${f.response?.status} mock: ${entry?.reason} body ${entry?.body.slice(0, 150)} :: ${f.message.slice(0, 200)}`);
      }
      if (process.env.SENTINEL_MOCK_DEBUG === "2") {
        for (const r of skipped.slice(0, 4)) {
          const ex = r.exchanges[r.exchanges.length - 1];
          const entry = [...mock.log].reverse().find((e) => ex && e.path === new URL(ex.request.url).pathname + new URL(ex.request.url).search && e.method === ex.request.method);
          console.log(`  SKIP ${r.caseId}: ${r.reason} :: ${ex?.request.method} ${ex?.request.url} ${ex?.request.body?.slice(0, 200)} → mock: ${entry?.reason}`);
        }
      }
      const hist = new Map<string, number>();
      for (const e of mock.log) {
        const key = `${e.status} ${e.reason.replace(/:.*/, "")}`;
        hist.set(key, (hist.get(key) ?? 0) + 1);
      }
      const checkStats = new Map<string, number>();
      for (const r of outcome.results) for (const c of r.checks) if (c.status === "passed") checkStats.set(c.check, (checkStats.get(c.check) ?? 0) + 1);
      console.log(`  mock: ${[...hist].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, n]) => `${k}=${n}`).join(", ")}`);
      console.log(`  passed checks: ${[...checkStats].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`).join(", ")}`);
      console.log(`== ${run.name}\n${[...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `  ${n} × ${k}`).join("\n")}\n  generator-invalid: ${mock.invalidGenerated.slice(0, 5).join(" | ")}`);
    }
    expect(outcome.warnings.filter((w) => /failed/.test(w)), "agent crashes").toEqual([]);
    expect(mock.invalidGenerated, "response bodies generateValid could not make valid").toEqual([]);
    const documented = new Set(run.documentedFaults ?? []);
    const findings = outcome.findings.filter((f) => !documented.has(`${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path}`));
    expect(findings.length, describeFindings(findings)).toBe(0);
    const lost = (errored.length + skipped.length) / Math.max(1, outcome.cases.length);
    expect(lost, `errored ${errored.length} / skipped ${skipped.length} of ${outcome.cases.length}: ${[...errored, ...skipped].slice(0, 5).map((r) => `${r.caseId}: ${r.reason}`).join("; ")}`).toBeLessThanOrEqual(run.maxLostShare ?? 0.5);
  });

  it("judged every risky oracle somewhere", () => {
    const risky = ["bola", "bfla", "ignored_auth", "jwt_weakness", "mass_assignment", "excessive_data_exposure", "use_after_free", "ensure_resource_availability", "stateful_invariant", "idempotency", "negative_data_rejection", "positive_data_acceptance", "response_schema_conformance", "response_headers_conformance", "unsupported_method", "missing_required_header"];
    expect(risky.filter((check) => !judged.get(check))).toEqual([]);
  });
});
