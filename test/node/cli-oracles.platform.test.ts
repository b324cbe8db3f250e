/**
 * `sentinel oracles list|accept|reject` against the real local platform (workerd, D1; the one the
 * *.platform.test.ts files share, so the demo spec gets a title of its own here), in the CLI's
 * --server mode: a run against the clean demo API learns invariants; the CLI lists them,
 * accepts one and rejects another; a run against the demo with the regression fault
 * `items-page-offset-reset` then reports the accepted invariant as accepted (full confidence),
 * and a rejected one is never checked.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ReportSchema } from "../../workers/reports/types";
import { ROOT, runCli, sharedServer } from "./cli-helpers";

const RUN_TIMEOUT_MS = 240_000;

let clean: DemoApi;
let faulty: DemoApi;
let dir: string;
let DEMO_SPEC: string;

beforeAll(async () => {
  await buildCli({ quiet: true });
  [clean, faulty] = await Promise.all([startDemoApi({ port: 0 }), startDemoApi({ port: 0, faults: ["items-page-offset-reset"] })]);
  dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-oracles-"));
  // the stored spec is found by its title: another file's runs of the demo spec must not add invariants to this one's
  const demo = readFileSync(path.join(ROOT, "examples/demo-api/openapi.yaml"), "utf8");
  const own = demo.replace(/^  title: Demo Shop API$/m, "  title: Demo Shop API (oracles test)");
  expect(own).not.toBe(demo);
  DEMO_SPEC = path.join(dir, "openapi.yaml");
  writeFileSync(DEMO_SPEC, own);
}, 180_000);

afterAll(async () => {
  await Promise.all([clean?.close(), faulty?.close()]);
});

const server = sharedServer;

async function run(target: string, seed: number, name: string) {
  const reportPath = path.join(dir, `${name}.json`);
  const result = await runCli(
    ["run", "--spec", DEMO_SPEC, "--target", target, "--seed", String(seed), "--identity", `alice:Authorization: Bearer ${demoTokens().alice}`, "--include", "listItems", "--include", "getItem", "--report-json", reportPath, "--fail-on", "none", "--quiet", ...server()],
    { timeoutMs: RUN_TIMEOUT_MS },
  );
  expect(result.code, result.stderr).toBe(0);
  return ReportSchema.parse(JSON.parse(readFileSync(reportPath, "utf8")));
}

describe("sentinel oracles against the local platform", () => {
  it(
    "lists the invariants a run learned, accepts and rejects them; the next run checks only the accepted one",
    async () => {
      await run(clean.url, 5, "learn");
      const list = await runCli(["oracles", "list", "--spec", DEMO_SPEC, "--json", ...server()]);
      expect(list.code, list.stderr).toBe(0);
      const oracles = JSON.parse(list.stdout) as { id: string; operationId: string; source: string; sentence: string; status: string }[];
      const offset = oracles.find((o) => o.operationId === "listItems" && o.sentence === "/offset equals the query parameter offset");
      const other = oracles.find((o) => o !== offset && o.operationId === "listItems");
      expect(offset, list.stdout).toMatchObject({ source: "inferred", status: "proposed" });
      expect(other, list.stdout).toBeDefined();

      const text = await runCli(["oracles", "list", "--spec", DEMO_SPEC, ...server()]);
      expect(text.stdout).toContain(`${offset!.id}  proposed  inferred  listItems: /offset equals the query parameter offset`);

      const accepted = await runCli(["oracles", "accept", offset!.id, "--spec", DEMO_SPEC, ...server()]);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toContain(`${offset!.id}  accepted`);
      const rejected = await runCli(["oracles", "reject", other!.id, "--spec", DEMO_SPEC, ...server()]);
      expect(rejected.stdout).toContain(`${other!.id}  rejected`);
      const after = JSON.parse((await runCli(["oracles", "list", "--spec", DEMO_SPEC, "--json", ...server()])).stdout) as { id: string; status: string }[];
      expect(after.find((o) => o.id === offset!.id)?.status).toBe("accepted");
      expect(after.find((o) => o.id === other!.id)?.status).toBe("rejected");

      const unknown = await runCli(["oracles", "accept", "o_0000000000000000", "--spec", DEMO_SPEC, ...server()]);
      expect(unknown.code).not.toBe(0);

      const report = await run(faulty.url, 6, "check");
      const broken = report.findings.filter((f) => f.check === "inferred_invariant");
      expect(broken.map((f) => f.operation.operationId), JSON.stringify(broken.map((f) => f.message))).toEqual(["listItems"]);
      expect(broken[0].message).toContain("/offset equals the query parameter offset");
      expect(broken[0].message).not.toContain("not yet accepted");
      expect(report.findings.some((f) => f.message.includes(other!.sentence))).toBe(false);
    },
    3 * RUN_TIMEOUT_MS,
  );
});
