/// <reference types="node" />
/**
 * `sentinel run --server`: the CLI against a stand-in Sentinel that speaks the REST contract of
 * DESIGN.md and records what it was sent (fast; the real platform is covered by cli-e2e).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildCli } from "../../scripts/build-cli.mjs";
import { sampleReport } from "../../workers/reports/test-fixtures";
import type { Report } from "../../workers/reports/types";
import { runCli } from "./cli-helpers";
import { listenLoopback, type LoopbackServer } from "../loopback-server";

const TOKEN = "sk_test_server_mode_000000000000000";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let target: LoopbackServer;
let base: string;
let recorded: Recorded[] = [];
let report: Report = sampleReport();
let polls = 0;

function json(res: import("node:http").ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": type });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  await buildCli({ quiet: true });
  target = await listenLoopback((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      recorded.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { type: "https://sentinel.dev/problems/unauthorized", title: "Authentication required", status: 401 }, "application/problem+json");
      const url = new URL(req.url!, "http://x");
      if (req.method === "POST" && url.pathname === "/api/v1/specs") {
        if (body.includes("BROKEN")) {
          return json(res, 422, { type: "https://sentinel.dev/problems/invalid-spec", title: "The API description is invalid", status: 422, errors: [{ pointer: "/info", line: 2, message: "info.version is required" }] }, "application/problem+json");
        }
        return json(res, 201, { id: "spec_1", version: 1, operations: 1 });
      }
      if (req.method === "POST" && url.pathname === "/api/v1/runs") return json(res, 202, { id: "run_01", links: {} });
      if (req.method === "GET" && url.pathname === "/api/v1/runs/run_01") {
        polls++;
        return json(res, 200, polls < 2 ? { id: "run_01", status: "running", cases: 4, done: 1 } : { id: "run_01", status: report.run.status, cases: 4, done: 4, stats: report.run.stats });
      }
      if (req.method === "GET" && url.pathname === "/api/v1/runs/run_01/report") return json(res, 200, report);
      if (req.method === "GET" && url.pathname === "/api/v1/runs/run_01/report.junit") {
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end("<testsuites from-server=\"yes\"/>");
      }
      // other formats: not offered by this server, the CLI renders them itself
      json(res, 404, { type: "https://sentinel.dev/problems/not-found", title: "Not found", status: 404 }, "application/problem+json");
    });
  });
  base = target.url;
});

afterAll(() => target.close());

beforeEach(() => {
  recorded = [];
  polls = 0;
  report = sampleReport();
});

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-server-mode-"));
  mkdirSync(path.join(dir, "api/schemas"), { recursive: true });
  writeFileSync(
    path.join(dir, "api/openapi.yaml"),
    ["openapi: 3.0.3", "info: { title: Multi File, version: '1.0' }", "paths:", "  /pets:", "    get:", "      operationId: listPets", "      responses:", "        '200':", "          description: ok", "          content:", "            application/json:", "              schema: { $ref: './schemas/pet.yaml' }", ""].join("\n"),
  );
  writeFileSync(path.join(dir, "api/schemas/pet.yaml"), "type: object\nproperties:\n  name: { type: string }\n");
  return dir;
}

describe("sentinel run --server", () => {
  it("bundles a multi-file spec, sends identities and limits, writes reports and exits 1 on findings", async () => {
    const dir = workspace();
    const result = await runCli(
      [
        "run", "--spec", "api/openapi.yaml", "--target", "http://api.internal:3000",
        "--server", base, "--token", TOKEN,
        "--identity", "alice:Authorization: Bearer a", "--header", "X-Env: ci",
        "--agents", "functional-positive,bola", "--seed", "9", "--max-response-time", "700", "--timeout", "2000", "--concurrency", "2",
        "--fail-on", "high", "--junit", "out/junit.xml", "--sarif", "out/s.sarif", "--markdown", "out/s.md", "--html", "out/r.html", "--report-json", "out/r.json",
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("Result: FAIL — 3 findings at or above high");

    const upload = recorded.find((r) => r.url.startsWith("/api/v1/specs"))!;
    expect(upload.url).toBe("/api/v1/specs?name=multi-file");
    expect(upload.headers["content-type"]).toBe("application/json");
    expect(upload.body).not.toContain("./schemas/pet.yaml");
    expect(JSON.parse(upload.body).paths["/pets"]).toBeDefined();

    const create = JSON.parse(recorded.find((r) => r.method === "POST" && r.url === "/api/v1/runs")!.body);
    expect(create).toEqual({
      spec: { id: "spec_1" },
      target: { url: "http://api.internal:3000", identities: { alice: { "X-Env": "ci", Authorization: "Bearer a" } } },
      agents: ["functional-positive", "bola"],
      seed: 9,
      limits: { maxResponseTimeMs: 700, timeoutMs: 2000, concurrency: 2 },
    });

    // JUnit comes from the server; SARIF, Markdown and JSON are rendered locally; HTML falls back to local rendering.
    expect(readFileSync(path.join(dir, "out/junit.xml"), "utf8")).toBe('<testsuites from-server="yes"/>');
    const sarif = JSON.parse(readFileSync(path.join(dir, "out/s.sarif"), "utf8"));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("api/openapi.yaml");
    // the report is the server's, plus the CLI's identity pre-flight
    expect(JSON.parse(readFileSync(path.join(dir, "out/r.json"), "utf8"))).toEqual({
      ...report,
      preflight: expect.objectContaining({ identities: [expect.objectContaining({ name: "alice", source: "given" })] }),
    });
    expect(existsSync(path.join(dir, "out/r.html"))).toBe(true);
    expect(readFileSync(path.join(dir, "out/s.md"), "utf8")).toContain("| Cases passed |");
  });

  it("exits 0 when no finding reaches --fail-on", async () => {
    report = sampleReport(sampleReport().findings.filter((f) => f.severity === "low" || f.severity === "info"));
    const result = await runCli(["run", "--spec", "api/openapi.yaml", "--target", "http://x", "--server", base, "--token", TOKEN, "--fail-on", "medium"], { cwd: workspace() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Result: PASS — no finding at or above medium");
  });

  it("exits 2 when the run errored", async () => {
    report = { ...sampleReport([]), run: { ...sampleReport([]).run, status: "errored" } };
    const result = await runCli(["run", "--spec", "api/openapi.yaml", "--target", "http://x", "--server", base, "--token", TOKEN], { cwd: workspace() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the run errored");
  });

  it("exits 2 with the server's spec problems, and on a bad token", async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, "api/plain.yaml"), "openapi: 3.0.3\ninfo: { title: BROKEN, version: '1' }\npaths: {}\n");
    const rejected = await runCli(["run", "--spec", "api/plain.yaml", "--target", "http://x", "--server", base, "--token", TOKEN], { cwd: dir });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/api\/plain\.yaml:2\s+\/info\s+info\.version is required/);

    const unauthorized = await runCli(["run", "--spec", "api/openapi.yaml", "--target", "http://x", "--server", base, "--token", "sk_wrong_token_00000000000000"], { cwd: dir });
    expect(unauthorized.code).toBe(2);
    expect(unauthorized.stderr).toContain("Authentication required (HTTP 401) (check --token)");
  });

  it("exits 2 naming the file when a referenced file is broken", async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, "api/schemas/pet.yaml"), "type: [\n");
    const result = await runCli(["run", "--spec", "api/openapi.yaml", "--target", "http://x", "--server", base, "--token", TOKEN], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("spec error");
    expect(result.stderr).toContain("schemas/pet.yaml");
    expect(recorded).toEqual([]);
  });
});
