/// <reference types="node" />
/**
 * `sentinel load` end to end: the real platform (the shared one, started by the CLI's own start-up code), a
 * loopback target with a known latency distribution that counts what it receives, and the CLI
 * run as a user runs it. Exit codes: 0 thresholds hold, 1 one fails, 2 malformed threshold.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../scripts/build-cli.mjs";
import type { LoadReport } from "../../workers/load/types";
import { runCli, sharedServer } from "./cli-helpers";
import { startLoadTarget, type LoadTarget } from "./load-target";

let target: LoadTarget;
const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-load-"));
const specFile = path.join(dir, "openapi.json");

beforeAll(async () => {
  await buildCli({ quiet: true });
  target = await startLoadTarget();
  writeFileSync(
    specFile,
    JSON.stringify({
      openapi: "3.0.3",
      info: { title: "Load target", version: "1" },
      paths: {
        "/items": { get: { operationId: "listItems", responses: { "200": { description: "ok" } } } },
        "/items/{id}": { delete: { operationId: "deleteItem", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: { "204": { description: "gone" } } } },
      },
    }),
  );
}, 180_000);

afterAll(async () => {
  await target?.close();
});

const server = sharedServer;

describe("sentinel load", () => {
  it("a malformed threshold exits 2 with the position, before starting anything", async () => {
    const r = await runCli(["load", "--spec", specFile, "--target", target.url, "--threshold", "p(95)<300", "--threshold", "p(95<300"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('threshold "p(95<300": expected ")" at position 5');
    expect(r.stderr).toContain("      ^");
  });

  it("--regions wnam,weur: passing thresholds exit 0; one row per region, an overall that sums them; reports written", async () => {
    await target.reset();
    const json = path.join(dir, "load.json");
    const junit = path.join(dir, "load.xml");
    const html = path.join(dir, "load.html");
    const r = await runCli(
      ["load", ...server(), "--spec", specFile, "--target", target.url, "--rate", "40", "--duration", "4s", "--regions", "wnam,weur", "--threshold", "p(95)<3000", "--threshold", "http_req_failed<0.01", "--threshold", "weur:p(99)<5000", "--report-json", json, "--junit", junit, "--html", html],
      { timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("PASSED");
    expect(r.stdout).toMatch(/✓ weur:p\(99\)<5000/);
    const { load } = JSON.parse(readFileSync(json, "utf8")) as LoadReport;
    expect(load.regions.map((x) => [x.region, x.colo])).toEqual([
      ["wnam", "local"],
      ["weur", "local"],
    ]);
    expect(load.overall.requests).toBe(load.regions[0].requests + load.regions[1].requests);
    expect(load.overall.requests + load.overall.dropped).toBe(160);
    expect(load.overall.requests).toBe(await target.count());
    expect(load.operations).toEqual(["GET /items"]); // the planner leaves the DELETE out
    expect(readFileSync(junit, "utf8").match(/<testcase /g)).toHaveLength(3);
    expect(readFileSync(html, "utf8")).toContain("<svg");
  }, 120_000);

  it("a failing threshold exits 1 and says which", async () => {
    const r = await runCli(["load", ...server(), "--spec", specFile, "--target", target.url, "--rate", "20", "--duration", "2s", "--threshold", "p(50)<1"], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ p\(50\)<1/);
    expect(r.stdout).toContain("FAILED");
  }, 120_000);

  it("reads sentinel.yaml's load: section; a flag replaces its thresholds; an unknown key exits 2 with its path", async () => {
    await target.reset();
    const project = mkdtempSync(path.join(os.tmpdir(), "sentinel-load-yaml-"));
    const yaml = (load: string) => `spec: ${specFile}\ntarget: ${target.url}\nload:\n${load}`;
    writeFileSync(path.join(project, "sentinel.yaml"), yaml(`  rate: 10\n  duration: 2s\n  thresholds: ["p(50)<1"]\n  operations: ["GET /items"]\n  reports: { json: out/load.json }\n`));
    const r = await runCli(["load", ...server(), "--threshold", "p(95)<60000"], { cwd: project, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const { load } = JSON.parse(readFileSync(path.join(project, "out/load.json"), "utf8")) as LoadReport;
    expect(load.asked).toMatchObject({ rate: 10, duration: 2 });
    expect(load.thresholds.map((t) => t.expression)).toEqual(["p(95)<60000"]);
    expect(load.overall.requests + load.overall.dropped).toBe(20);

    writeFileSync(path.join(project, "sentinel.yaml"), yaml("  rate: 10\n  rampp: 5s\n"));
    const bad = await runCli(["load", ...server()], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("sentinel.yaml: load.rampp: unknown setting (known: operations, profile, rate, duration, ramp,");
  }, 120_000);

  it("refuses to load a write without --allow-writes (exit 2)", async () => {
    const r = await runCli(["load", ...server(), "--spec", specFile, "--target", target.url, "--operation", "DELETE /items/{id}", "--duration", "1s"], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("allowWrites");
  }, 60_000);
});
