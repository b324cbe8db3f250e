/// <reference types="node" />
/**
 * No secret ever leaves: a full `sentinel run` in local mode against the demo API with a JWT
 * identity, an API-key identity and `--header` secrets, then every output is searched for every
 * secret — the report files (JSON, JUnit, SARIF, HTML, Markdown, HAR), the terminal (stdout and
 * stderr), the platform's log (SENTINEL_DEBUG=1 and wrangler's log files) and the REST API
 * (run, results, findings, every report format) of the kept state, served again afterwards.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { startLocalPlatform, type LocalPlatform } from "../../cli/src/local-platform";
import { XMLParser } from "fast-xml-parser";
import { ReportSchema } from "../../workers/reports/types";
import { ROOT, runCli } from "./cli-helpers";

const RUN_TIMEOUT_MS = 300_000;

/** Every text file under `dir` (wrangler's log files). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe("secrets in every output of a local run", () => {
  let api: DemoApi;
  let platform: LocalPlatform | undefined;

  beforeAll(async () => {
    await buildCli({ quiet: true });
    api = await startDemoApi({ port: 0, variant: "buggy" });
  });
  afterAll(async () => {
    await platform?.stop();
    await api?.close();
  });

  it(
    "holds no identity secret, no real token signature and no --header value anywhere",
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-secrets-"));
      const stateDir = path.join(dir, "state");
      const out = (name: string) => path.join(dir, "out", name);
      const jwt = demoTokens().alice;
      const apiKey = `sk_bob_${randomBytes(12).toString("hex")}`;
      const headerSecret = `hdr-${randomBytes(12).toString("hex")}`;
      const headerAuth = `sk_hdrauth_${randomBytes(12).toString("hex")}`;
      const secrets: Record<string, string> = {
        "alice's JWT": jwt,
        "alice's JWT signature": jwt.split(".")[2],
        "bob's API key": apiKey,
        "--header X-Tenant-Secret": headerSecret,
        "--header Authorization": headerAuth,
      };

      const result = await runCli(
        [
          "run",
          "--spec", path.join(ROOT, "examples/demo-api/openapi.yaml"),
          "--target", api.url,
          "--identity", `alice:Authorization: Bearer ${jwt}`,
          "--identity", `bob:X-Api-Key: ${apiKey}`,
          "--header", `X-Tenant-Secret: ${headerSecret}`,
          "--header", `Authorization: Bearer ${headerAuth}`,
          "--seed", "11",
          "--keep-state", "--state-dir", stateDir,
          "--report-json", out("report.json"),
          "--junit", out("junit.xml"),
          "--sarif", out("sentinel.sarif"),
          "--html", out("report.html"),
          "--markdown", out("summary.md"),
          "--har", out("requests.har"),
        ],
        { cwd: dir, env: { SENTINEL_DEBUG: "1" }, timeoutMs: RUN_TIMEOUT_MS },
      );
      const context = `stdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}`;
      expect(result.code, context).toBe(1);
      expect(result.stderr).toContain("sentinel: warning: --header Authorization is also given by --identity alice: the identity's value wins for alice; bob sends the --header value");

      const outputs: Record<string, string> = { stdout: result.stdout, "stderr (with the platform log)": result.stderr };
      for (const name of ["report.json", "junit.xml", "sentinel.sarif", "report.html", "summary.md", "requests.har"]) outputs[name] = readFileSync(out(name), "utf8");
      for (const file of filesUnder(path.join(stateDir, "logs"))) outputs[`platform log ${path.basename(file)}`] = readFileSync(file, "utf8");
      // the forged tokens are in there, with the probes' own signatures
      expect(outputs["requests.har"]).toMatch(/expired JWT|eyJ/);

      // the REST API over the same state
      const runId = JSON.parse(outputs["report.json"]).run.id as string;
      platform = await startLocalPlatform({ packageRoot: ROOT, stateDir });
      const get = async (route: string) => {
        const response = await fetch(`${platform!.url}/api/v1${route}`, { headers: { authorization: `Bearer ${platform!.token}` } });
        expect(response.status, route).toBe(200);
        return response.text();
      };
      outputs[`GET /runs/${runId}`] = await get(`/runs/${runId}`);
      outputs[`GET /runs/${runId}/findings`] = await get(`/runs/${runId}/findings`);
      let cursor: string | undefined;
      let page = 0;
      do {
        const text = await get(`/runs/${runId}/results?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        outputs[`GET /runs/${runId}/results page ${++page}`] = text;
        cursor = (JSON.parse(text) as { nextCursor?: string | null }).nextCursor ?? undefined;
      } while (cursor);
      for (const suffix of ["", ".junit", ".sarif", ".html", ".md", ".har"]) outputs[`GET /runs/${runId}/report${suffix}`] = await get(`/runs/${runId}/report${suffix}`);

      const hits: string[] = [];
      for (const [where, text] of Object.entries(outputs)) {
        for (const [what, secret] of Object.entries(secrets)) {
          const at = text.indexOf(secret);
          if (at >= 0) hits.push(`${what} in ${where}: …${text.slice(Math.max(0, at - 80), at + 20).replace(/\s+/g, " ")}…`);
        }
      }
      expect(hits).toEqual([]);
      expect(Object.keys(outputs).length).toBeGreaterThan(14);

      // The same run's reports add up in every format and list the skipped cases with their reason.
      const report = ReportSchema.parse(JSON.parse(outputs["report.json"]));
      const stats = report.run.stats;
      expect(stats.passed + stats.failed + stats.errored + stats.skipped).toBe(stats.cases);
      expect(report.skipped).toHaveLength(stats.skipped);
      for (const skipped of report.skipped) expect(skipped.reason.length, skipped.caseId).toBeGreaterThan(0);
      const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(outputs["junit.xml"]).testsuites;
      expect([Number(junit["@tests"]), Number(junit["@skipped"]), Number(junit["@errors"])]).toEqual([stats.cases, stats.skipped, stats.errored]);
      expect(outputs["report.html"]).toContain(`<b>${stats.skipped}</b><span>skipped</span>`);
      expect(outputs["summary.md"]).toContain(`| ${stats.passed} | ${stats.failed} | ${stats.errored} | ${stats.skipped} |`);
      expect(result.stdout).toContain(`${stats.cases} cases (${stats.passed} passed, ${stats.failed} failed, ${stats.errored} errored, ${stats.skipped} skipped)`);
      expect(result.stdout).toMatch(/Timing: \d+ requests · p50 [\d.]+ ms · p95 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms · [\d.]+ req\/s/);
      expect(result.stdout).toMatch(/\n {3}Received: HTTP \d{3} in \d+ ms\n {3}Body: /);
      // every operation row of the HTML table names its method and path
      const table = outputs["report.html"].slice(outputs["report.html"].indexOf("<h2>Cases per operation</h2>"));
      const rows = [...table.matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td><code>([^<]*)<\/code>/g)];
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.filter((r) => !/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \//.test(r[2])).map((r) => r[1])).toEqual([]);

      // A chain finding, through D1 and the report route, replays as its script against the demo API.
      const chain = report.findings.find((f) => f.check === "use_after_free")!;
      expect(chain.steps.length).toBeGreaterThan(1);
      for (const format of ["junit.xml", "sentinel.sarif", "report.html", "summary.md"]) expect(outputs[format], format).toContain("SENTINEL_VAR_");
      const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          "bash",
          ["-c", chain.script!],
          { timeout: 30_000, env: { ...process.env, SENTINEL_ALICE_AUTHORIZATION: jwt, SENTINEL_ALICE_X_TENANT_SECRET: headerSecret } },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
      expect(ran.code, `${chain.script}\n${ran.stdout}\n${ran.stderr}`).toBe(0);
      const statuses = [...ran.stdout.matchAll(/^step \S+: HTTP (\d{3})$/gm)].map((m) => Number(m[1]));
      expect(statuses.at(-1)).toBe(chain.response!.status);
    },
    RUN_TIMEOUT_MS + 120_000,
  );
});
