/// <reference types="node" />
/**
 * The AI layer end to end, the way a user runs it: `sentinel run --llm openai-compatible:…` against
 * the demo API with a fake OpenAI-compatible provider on loopback. LLM cases run and are reported
 * with provenance; the LLM oracle read from "Returns at most `limit` results." finds the seeded
 * business-rule fault (that no deterministic check sees: test/node/detection-prose.test.ts); no identity secret reaches a prompt; a
 * second run over the same platform state marks its findings as seen before, with similar links
 * to the first run, and answers every LLM call from the cache.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULT_IDS } from "../../examples/demo-api/faults.mjs";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ReportSchema, type Report } from "../../workers/reports/types";
import { ROOT, runCli } from "./cli-helpers";
import { startFakeLlmServer, type FakeLlmServer } from "./fake-llm-server";

const DEMO_SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");
const RUN_TIMEOUT_MS = 300_000;

describe("sentinel run with the AI layer (fake OpenAI-compatible provider on loopback)", () => {
  let api: DemoApi;
  let llm: FakeLlmServer;
  let dir: string;
  const tokens = demoTokens();

  async function run(name: string, extra: string[] = []): Promise<{ code: number | null; report: Report; context: string }> {
    const reportPath = path.join(dir, `${name}.json`);
    const result = await runCli(
      [
        "run", "--spec", DEMO_SPEC, "--target", api.url, "--seed", "5",
        "--identity", `alice:Authorization: Bearer ${tokens.alice}`,
        "--identity", `bob:Authorization: Bearer ${tokens.bob}`,
        "--agents", "functional-positive", "--max-cases", "40",
        "--state-dir", path.join(dir, "state"),
        "--report-json", reportPath, "--quiet", ...extra,
      ],
      { cwd: dir, timeoutMs: RUN_TIMEOUT_MS, env: { SENTINEL_LLM_API_KEY: "sk-local-llm-key-0000000000000" } },
    );
    const context = `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    return { code: result.code, report: ReportSchema.parse(JSON.parse(readFileSync(reportPath, "utf8"))), context };
  }

  beforeAll(async () => {
    await buildCli({ quiet: true });
    // only the prose fault: every finding on GET /search must come from the LLM oracle
    api = await startDemoApi({ port: 0, variant: "buggy", faults: ["search-limit-off-by-one"] });
    llm = await startFakeLlmServer();
    dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-ai-"));
  });
  afterAll(async () => {
    await Promise.all([api?.close(), llm?.close()]);
  });

  it(
    "the LLM oracle finds the business-rule fault, with provenance; a rerun remembers and is free",
    async () => {
      const first = await run("first", ["--llm", "openai-compatible:fake-model", "--llm-base-url", llm.url, "--llm-budget-tokens", "60000"]);
      const account = first.report.llm!;
      expect(account, first.context).toMatchObject({ provider: "openai-compatible", model: "fake-model", degraded: false, reason: null, failures: 0 });
      expect(account.calls).toBeGreaterThan(0);
      expect(account.casesAccepted).toBeGreaterThan(0);
      expect(account.oraclesAccepted).toBe(1);
      expect(account.inputTokens + account.outputTokens).toBeLessThanOrEqual(60_000);

      const oracle = first.report.findings.find((f) => f.check === "llm_oracle");
      expect(oracle, first.context).toMatchObject({
        operation: { method: "get", path: "/search", operationId: "searchItems" },
        source: "llm",
        oracle: { status: "proposed", sentence: expect.stringContaining("Returns at most `limit` results.") },
        severity: "low",
      });
      expect(oracle!.confidence).toBeLessThan(1);
      expect(oracle!.curl).toContain("limit=1");
      expect(first.code).toBe(1);
      // no secret in any prompt the provider received
      for (const prompt of llm.prompts) {
        expect(prompt).not.toContain(tokens.alice);
        expect(prompt).not.toContain(tokens.bob);
        expect(prompt).not.toContain("sk-local-llm-key-0000000000000");
      }

      const callsBefore = llm.prompts.length;
      const second = await run("second", ["--llm", "openai-compatible:fake-model", "--llm-base-url", llm.url]);
      expect(second.report.llm, second.context).toMatchObject({ calls: 0, cached: account.calls, inputTokens: 0 });
      expect(llm.prompts.length).toBe(callsBefore);
      const again = second.report.findings.find((f) => f.check === "llm_oracle")!;
      expect(again.id).toBe(oracle!.id);
      expect(again.seenInRuns).toBe(2);
      expect(Date.parse(again.firstSeen!)).toBeLessThan(Date.parse(second.report.run.startedAt!));
      expect(again.similar?.[0]).toMatchObject({ findingId: oracle!.id, runId: first.report.run.id });
      expect(again.similar![0].score).toBeGreaterThan(0.9);
      // the first run's own findings were new then
      expect(oracle!.seenInRuns).toBe(1);
      expect(oracle!.similar).toEqual([]);
      expect(FAULT_IDS).not.toContain("search-limit-off-by-one");
    },
    3 * RUN_TIMEOUT_MS,
  );

  it(
    "the LLM explains each cluster of findings with its likely cause, within the run's budget",
    async () => {
      const buggy = await startDemoApi({ port: 0, variant: "buggy" });
      try {
        const reportPath = path.join(dir, "triage.json");
        const htmlPath = path.join(dir, "triage.html");
        const result = await runCli(
          [
            "run", "--spec", DEMO_SPEC, "--target", buggy.url, "--seed", "5",
            "--identity", `alice:Authorization: Bearer ${tokens.alice}`,
            "--identity", `bob:Authorization: Bearer ${tokens.bob}`,
            "--agents", "security-auth", "--max-cases", "200", "--state-dir", path.join(dir, "state-triage"),
            "--llm", "openai-compatible:fake-model", "--llm-base-url", llm.url, "--llm-budget-tokens", "60000",
            "--report-json", reportPath, "--html", htmlPath, "--quiet",
          ],
          { cwd: dir, timeoutMs: RUN_TIMEOUT_MS, env: { SENTINEL_LLM_API_KEY: "sk-local-llm-key-0000000000000" } },
        );
        const context = `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
        const report = ReportSchema.parse(JSON.parse(readFileSync(reportPath, "utf8")));
        const explained = report.clusters.filter((c) => c.source === "llm");
        expect(explained.length, context).toBeGreaterThan(0);
        expect(explained.length).toBe(report.clusters.length);
        const jwt = report.clusters.find((c) => c.check === "jwt_weakness");
        expect(jwt, context).toMatchObject({ source: "llm", likelyCause: "token signature not verified in the shared auth middleware" });
        // the model sees at most 12 operations of a cluster
        expect(jwt!.explanation).toContain(`${Math.min(12, jwt!.operations.length)} operations show the same jwt_weakness failure`);
        expect(readFileSync(htmlPath, "utf8")).toContain("Likely cause: token signature not verified in the shared auth middleware.");
        expect(report.llm!.calls).toBeGreaterThan(0);
        expect(report.llm!.inputTokens + report.llm!.outputTokens).toBeLessThanOrEqual(60_000);
        // the triage prompt carries findings (requests, responses): no credential in it
        expect(llm.prompts.some((p) => p.includes("Each cluster below"))).toBe(true);
        for (const p of llm.prompts) {
          expect(p).not.toContain(tokens.alice);
          expect(p).not.toContain(tokens.bob);
        }
      } finally {
        await buggy.close();
      }
    },
    2 * RUN_TIMEOUT_MS,
  );
});
