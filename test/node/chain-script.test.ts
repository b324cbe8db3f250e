/// <reference types="node" />
/**
 * A chain finding's reproduction is a script of every step: plan and run the stateful and auth
 * agents against the buggy demo API, turn each chain finding into its report form, run its script
 * with bash (curl + jq) against the same server, and see the finding's status again.
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { reportFinding } from "../../workers/reports/run-report";
import { parseModel, planAndRun } from "./detection-harness";
import { ROOT } from "./cli-helpers";

const CHAIN_CHECKS = ["use_after_free", "ensure_resource_availability", "idempotency", "location_header", "stateful_invariant", "bola"];

describe("chain findings reproduce as a bash script of every step", () => {
  let api: DemoApi;

  beforeAll(async () => {
    api = await startDemoApi({ port: 0, variant: "buggy" });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("replays each chain finding with curl and jq and gets the finding's status again", async () => {
    // curl and jq are what the script needs: missing tools fail the test, they never skip it
    expect(() => execFileSync("jq", ["--version"]), "jq is required (apt-get install -y jq)").not.toThrow();
    expect(() => execFileSync("curl", ["--version"]), "curl is required").not.toThrow();

    const tokens = demoTokens();
    const model = parseModel(readFileSync(path.join(ROOT, "examples/demo-api/openapi.yaml"), "utf8"));
    const run = await planAndRun({
      model,
      baseUrl: api.url,
      seed: 3,
      identities: [
        { name: "alice", headers: { Authorization: `Bearer ${tokens.alice}` } },
        { name: "bob", headers: { Authorization: `Bearer ${tokens.bob}` } },
      ],
      agentNames: ["stateful", "security-auth"],
    });
    const chains = run.findings.filter((f) => CHAIN_CHECKS.includes(f.check));
    expect(new Set(chains.map((f) => f.check))).toEqual(new Set(CHAIN_CHECKS));

    for (const finding of chains) {
      const reported = reportFinding(finding);
      const label = `${finding.check} ${finding.operation.method.toUpperCase()} ${finding.operation.path}`;
      expect(reported.steps.length, label).toBeGreaterThan(1);
      expect(reported.steps.filter((s) => s.finding).map((s) => s.request.url), label).toEqual([finding.request.url]);
      const script = reported.script!;
      expect(script, label).toMatch(/^#!\/usr\/bin\/env bash\n/);
      // asynchronously: the demo server answers from this very process
      const ran = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile("bash", ["-c", script], { encoding: "utf8", timeout: 30_000, env: { ...process.env, SENTINEL_ALICE_AUTHORIZATION: tokens.alice, SENTINEL_BOB_AUTHORIZATION: tokens.bob } }, (err, stdout, stderr) =>
          resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        ),
      );
      expect(ran.status, `${label}\n${script}\nstdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`).toBe(0);
      const statuses = [...ran.stdout.matchAll(/^step (\S+): HTTP (\d{3})$/gm)].map((m) => [m[1], Number(m[2])]);
      const upTo = reported.steps.findIndex((s) => s.finding) + 1;
      expect(statuses.map(([id]) => id), label).toEqual(reported.steps.slice(0, upTo).map((s) => s.id));
      // every value a later step needed came from an earlier response, through jq or the headers
      if (reported.steps.some((s) => s.uses)) expect(script, label).toMatch(/SENTINEL_VAR_[A-Z0-9_]+=\$\((jq|grep)/);
      expect(statuses[statuses.length - 1][1], `${label}\n${script}\n${ran.stdout}`).toBe(finding.response!.status);
    }
  }, 120_000);
});
