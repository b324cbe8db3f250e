/// <reference types="node" />
/**
 * The product promise, measured the way a user runs it: `sentinel run` (local mode, the README's
 * command) against the demo API finds every seeded fault of FAULTS.md with its check on its
 * operation, the curl line of each single-request finding reproduces it, and the clean variant
 * of the same API gets no finding and exit code 0.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULTS } from "../../examples/demo-api/faults.mjs";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ReportSchema, type Report } from "../../workers/reports/types";
import { ROOT, runCli } from "./cli-helpers";

const DEMO_SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");
const RUN_TIMEOUT_MS = 300_000;
type Finding = Report["findings"][number];

/** Checks whose finding is one request: replaying its curl line alone must show the same failure. */
const SINGLE_REQUEST_CHECKS = new Set([
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "negative_data_rejection",
  "missing_required_header",
  "unsupported_method",
  "ignored_auth",
  "jwt_weakness",
  "sql_injection",
  "path_traversal",
  "command_injection",
]);

async function sentinelRun(api: DemoApi, dir: string, name: string) {
  const tokens = demoTokens();
  const reportPath = path.join(dir, `${name}.json`);
  const result = await runCli(
    [
      "run", "--spec", DEMO_SPEC, "--target", api.url, "--seed", "11", "--max-response-time", "1000",
      "--identity", `alice:Authorization: Bearer ${tokens.alice}`,
      "--identity", `bob:Authorization: Bearer ${tokens.bob}`,
      "--report-json", reportPath, "--quiet",
    ],
    { cwd: dir, timeoutMs: RUN_TIMEOUT_MS },
  );
  const context = `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  const report = ReportSchema.parse(JSON.parse(readFileSync(reportPath, "utf8")));
  return { code: result.code, report, context };
}

const label = (f: Finding) => `${f.operation.method.toUpperCase()} ${f.operation.path}`;

describe("sentinel run against the demo API (buggy and clean)", () => {
  let buggy: DemoApi;
  let clean: DemoApi;
  let dir: string;

  beforeAll(async () => {
    await buildCli({ quiet: true });
    [buggy, clean] = await Promise.all([startDemoApi({ port: 0, variant: "buggy" }), startDemoApi({ port: 0, variant: "clean" })]);
    dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-detect-"));
  });
  afterAll(async () => {
    await Promise.all([buggy?.close(), clean?.close()]);
  });

  it(
    "finds every seeded fault with its check on its operation, and each single-request curl reproduces",
    async () => {
      const { code, report, context } = await sentinelRun(buggy, dir, "buggy");
      expect(code, context).toBe(1);
      const missed = Object.entries(FAULTS)
        .filter(([, fault]) => !report.findings.some((f) => f.check === fault.check && label(f) === fault.operation))
        .map(([id, fault]) => `${id}: ${fault.check} on ${fault.operation}`);
      expect(missed, report.findings.map((f) => `${f.check} ${label(f)}`).join("\n")).toEqual([]);

      // Replay: run each single-request finding's curl line in a shell with the identities'
      // secrets exported under the placeholder names the report uses; same status as recorded.
      const tokens = demoTokens();
      const env = { ...process.env, SENTINEL_ALICE_AUTHORIZATION: tokens.alice, SENTINEL_BOB_AUTHORIZATION: tokens.bob };
      // A DELETE's curl addresses a resource its case created and then deleted: replaying it
      // alone cannot give the same answer, so those are left out of the sample.
      const replayable = report.findings.filter((f) => SINGLE_REQUEST_CHECKS.has(f.check) && f.response && f.request.method.toUpperCase() !== "DELETE");
      expect(replayable.length).toBeGreaterThan(10);
      const replays: string[] = [];
      const expected: string[] = [];
      for (const finding of replayable) {
        const curl = finding.curl.replace(/^curl /, "curl -s -o /dev/null -w '%{http_code}' --max-time 10 ");
        // async: the demo API serves from this very process, so a blocking spawn would starve it
        const status = await promisify(execFile)("bash", ["-c", curl], { env, encoding: "utf8" }).then(
          (r) => r.stdout.trim(),
          (e: { code?: number; stderr?: string }) => `curl exit ${e.code} ${e.stderr ?? ""}`,
        );
        replays.push(`${finding.check} ${label(finding)} → ${status}`);
        expected.push(`${finding.check} ${label(finding)} → ${finding.response!.status}`);
      }
      expect(replays).toEqual(expected);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    "reports nothing against the clean variant and exits 0",
    async () => {
      const { code, report, context } = await sentinelRun(clean, dir, "clean");
      expect(report.findings.map((f) => `${f.check} ${label(f)}: ${f.message}`), context).toEqual([]);
      expect(code, context).toBe(0);
      expect(report.run.status).toBe("passed");
      expect(report.run.stats.cases).toBeGreaterThan(200);
      expect(report.run.stats.errored).toBe(0);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
