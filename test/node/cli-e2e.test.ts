/// <reference types="node" />
/**
 * End to end, as a user runs it: the demo API on loopback, `sentinel run` in local mode (which
 * starts wrangler dev with local D1/R2/Queues/DOs and stops it again), every report written.
 */
import { Validator } from "@cfworker/json-schema";
import sarifSchema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { sortFindings } from "../../workers/reports/severity";
import { ReportSchema } from "../../workers/reports/types";
import { processesMentioning, ROOT, runCli } from "./cli-helpers";

const DEMO_SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");
const RUN_TIMEOUT_MS = 240_000;

describe("sentinel run in local mode against the demo API", () => {
  let api: DemoApi;
  let dir: string;

  beforeAll(async () => {
    await buildCli({ quiet: true });
    api = await startDemoApi({ port: 0, variant: "buggy" });
    dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-e2e-"));
    // the spec inside the "repository" the CLI runs in, as in CI
    mkdirSync(path.join(dir, "api"));
    copyFileSync(DEMO_SPEC, path.join(dir, "api/openapi.yaml"));
  });
  afterAll(async () => {
    await api?.close();
  });

  it(
    "finds the seeded bugs, exits 1 and writes every report",
    async () => {
      const tokens = demoTokens();
      // Identities come from a config file with ${ENV} substitution; report paths and the rest from flags.
      writeFileSync(
        path.join(dir, "e2e.sentinel.yaml"),
        ["identities:", "  alice:", "    Authorization: Bearer ${ALICE_TOKEN}", "  bob:", "    Authorization: Bearer ${BOB_TOKEN}", "seed: 7", ""].join("\n"),
      );
      const out = (name: string) => path.join(dir, "out", name);
      const result = await runCli(
        [
          "run",
          "--config", path.join(dir, "e2e.sentinel.yaml"),
          "--spec", "api/openapi.yaml",
          "--target", api.url,
          "--report-json", out("report.json"),
          "--junit", out("junit.xml"),
          "--sarif", out("sentinel.sarif"),
          "--html", out("report.html"),
          "--markdown", out("summary.md"),
          "--har", out("requests.har"),
        ],
        { cwd: dir, env: { ALICE_TOKEN: tokens.alice, BOB_TOKEN: tokens.bob }, timeoutMs: RUN_TIMEOUT_MS },
      );
      const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
      expect(result.code, context).toBe(1);
      expect(result.stdout).toMatch(/Result: FAIL — \d+ findings? at or above low/);
      expect(result.stdout).toMatch(/SEVERITY\s+CHECK\s+OPERATION\s+TITLE/);
      // local start-up shows the seconds it waited
      expect(result.stderr).toMatch(/building the Worker: done in \d+\.\d s/);
      // and, on by default, the executor process beside it
      expect(result.stderr).toMatch(/starting the local platform on 127\.0\.0\.1:\d+ \(executor process on :\d+\): done in \d+\.\d s/);

      for (const name of ["report.json", "junit.xml", "sentinel.sarif", "report.html", "summary.md", "requests.har"]) {
        expect(existsSync(out(name)), name).toBe(true);
      }

      const report = ReportSchema.parse(JSON.parse(readFileSync(out("report.json"), "utf8")));
      expect(report.run.target).toBe(api.url);
      expect(report.run.seed).toBe(7);
      expect(report.run.status).toBe("failed");
      expect(report.findings.length).toBeGreaterThan(0);
      expect(report.findings.every((f) => f.curl.startsWith("curl"))).toBe(true);
      // distinct triggers: some finding was reached in more than one way, each with its own curl
      const multi = report.findings.find((f) => (f.triggers?.length ?? 0) > 1);
      expect(multi, "a finding with several distinct triggers").toBeDefined();
      expect(new Set(multi!.triggers!.map((t) => t.curl)).size).toBeGreaterThan(1);
      // the terminal details the first findings by severity, a cluster once; those with other triggers list them
      const hidden = new Set(report.clusters.flatMap((c) => c.findings.slice(1)));
      const detailed = sortFindings(report.findings).filter((f) => !hidden.has(f.id)).slice(0, 20);
      if (detailed.some((f) => (f.triggers?.length ?? 0) > 1)) expect(result.stdout).toContain("Also triggered by");
      else expect(result.stdout).not.toContain("Also triggered by");
      // findings clustered by likely root cause: the demo's one forged-token fault (accepted by every
      // protected operation) is one cluster, detailed once in the terminal
      const jwt = report.findings.filter((f) => f.check === "jwt_weakness");
      const jwtCluster = report.clusters.find((c) => c.check === "jwt_weakness");
      expect(jwtCluster, JSON.stringify(report.clusters.map((c) => [c.check, c.findings.length]))).toBeDefined();
      expect(jwtCluster!.findings.length).toBe(jwt.filter((f) => f.cluster === jwtCluster!.id).length);
      expect(jwtCluster!.findings.length).toBeGreaterThan(jwt.length / 2);
      expect(result.stdout).toContain("Likely root causes:");
      for (const c of report.clusters) expect(new Set(c.findings.map((id) => report.findings.find((f) => f.id === id)!.check))).toEqual(new Set([c.check]));
      // the coverage section: every operation, statuses seen and not, and a terminal summary
      expect(report.coverage?.operations.length).toBe(report.run.spec.operations);
      expect(report.coverage!.summary.reached).toBeGreaterThan(0);
      expect(report.coverage!.operations.some((op) => op.statusesSeen.length > 0 && Object.keys(op.checks).length > 0)).toBe(true);
      expect(result.stdout).toMatch(/Coverage: \d+\/\d+ operations reached · documented statuses \d+\/\d+ seen/);

      const xml = readFileSync(out("junit.xml"), "utf8");
      expect(XMLValidator.validate(xml)).toBe(true);
      const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "testsuite" || n === "testcase" }).parse(xml);
      const testcases = junit.testsuites.testsuite.flatMap((s: { testcase: unknown[] }) => s.testcase);
      expect(testcases.length).toBe(report.run.stats.cases);
      expect(Number(junit.testsuites["@failures"])).toBeGreaterThan(0);

      const sarif = JSON.parse(readFileSync(out("sentinel.sarif"), "utf8"));
      const validation = new Validator(sarifSchema as object, "4", false).validate(sarif);
      expect(validation.errors.slice(0, 5), "SARIF schema").toEqual([]);
      expect(sarif.runs[0].results).toHaveLength(report.findings.length);
      const physical = sarif.runs[0].results[0].locations[0].physicalLocation;
      expect(physical.artifactLocation.uri).toBe("api/openapi.yaml");
      expect(physical.region.startLine).toBeGreaterThan(1);

      const html = readFileSync(out("report.html"), "utf8");
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain("<h2>Coverage</h2>");
      for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) expect(tag[0], "no external reference").not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);

      expect(readFileSync(out("summary.md"), "utf8")).toContain("| Cases passed |");

      const har = JSON.parse(readFileSync(out("requests.har"), "utf8"));
      expect(har.log.version).toBe("1.2");
      expect(har.log.entries.length).toBe(report.run.stats.requests);
      expect(har.log.entries.some((e: { request: { url: string } }) => e.request.url.startsWith(api.url))).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    "exits 0 with --fail-on none and leaves no platform running",
    async () => {
      const stateDir = path.join(dir, "state-a");
      const result = await runCli(
        ["run", "--spec", DEMO_SPEC, "--target", api.url, "--fail-on", "none", "--agents", "functional-positive", "--quiet", "--state-dir", stateDir],
        { cwd: dir, timeoutMs: RUN_TIMEOUT_MS },
      );
      expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain("Result: PASS (--fail-on none)");
      expect(processesMentioning(stateDir)).toEqual([]);
      // --state-dir keeps the data (D1 lives there)
      expect(existsSync(stateDir)).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    "stops the local platform on Ctrl-C",
    async () => {
      const stateDir = path.join(dir, "state-b");
      let interrupted = false;
      const result = await runCli(["run", "--spec", DEMO_SPEC, "--target", api.url, "--state-dir", stateDir], {
        cwd: dir,
        timeoutMs: RUN_TIMEOUT_MS,
        onStderr: (stderr, child) => {
          // interrupt once the platform is up and the run has started
          if (!interrupted && /run \S+ started/.test(stderr)) {
            interrupted = true;
            child.kill("SIGINT");
          }
        },
      });
      expect(interrupted, result.stderr).toBe(true);
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toContain("interrupted; stopping");
      expect(processesMentioning(stateDir)).toEqual([]);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
