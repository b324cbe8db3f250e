/// <reference types="node" />
/**
 * `sentinel run --spec … --target …` with no identity on an API whose users come from its own
 * signup + login (examples/blind-recipes): Sentinel provisions two users, says so in its
 * pre-flight, and tests authorization between them — the buggy variant's account takeover, recipe
 * replacement and admin listing are found, the clean variant gives no finding. No password
 * Sentinel chose and no token the target issued appears in any output.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ReportSchema } from "../../workers/reports/types";
import { ROOT, runCli, sharedServer } from "./cli-helpers";

const RUN_TIMEOUT_MS = 240_000;
const SERVER = path.join(ROOT, "examples/blind-recipes/server.mjs");

function startTarget(variant: "buggy" | "clean"): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, "--port", "0", "--variant", variant], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on("error", reject);
  });
}

/** Tokens the target signed itself (HS256 with its secret): real credentials, unlike Sentinel's forged probes. */
function issuedTokens(text: string): string[] {
  const secret = /const SECRET = '([^']+)'/.exec(readFileSync(SERVER, "utf8"))![1];
  return [...text.matchAll(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g)]
    .map((m) => m[0])
    .filter((jwt) => {
      const [h, p, s] = jwt.split(".");
      return createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url") === s;
    });
}

describe("identities provisioned through the spec's signup and login", () => {
  const targets: ChildProcess[] = [];
  beforeAll(async () => {
    await buildCli({ quiet: true });
  }, 120_000);
  afterAll(async () => {
    for (const t of targets) t.kill();
  });

  async function run(variant: "buggy" | "clean") {
    const target = await startTarget(variant);
    targets.push(target.child);
    const dir = mkdtempSync(path.join(os.tmpdir(), `sentinel-provision-${variant}-`));
    const reportFile = path.join(dir, "report.json");
    const harFile = path.join(dir, "run.har");
    const result = await runCli(
      ["run", "--spec", path.join(ROOT, "examples/blind-recipes/openapi.yaml"), "--target", target.url, "--agents", "security-auth", "--seed", "5",
        ...sharedServer(), "--report-json", reportFile, "--har", harFile],
      { timeoutMs: RUN_TIMEOUT_MS },
    );
    const outputs = [result.stdout, result.stderr, readFileSync(reportFile, "utf8"), readFileSync(harFile, "utf8")].join("\n");
    return { result, report: ReportSchema.parse(JSON.parse(readFileSync(reportFile, "utf8"))), outputs };
  }

  it(
    "buggy: finds the account takeover, the recipe replacement and the member's admin listing; clean: nothing; secrets stay out",
    async () => {
      const buggy = await run("buggy");
      expect(buggy.result.stderr).toMatch(/identities: user1: works — signed up with POST \/auth\/signup, logged in with POST \/auth\/login \(GET \/users\/me → 200\)/);
      expect(buggy.report.preflight?.identities.map((i) => [i.name, i.source, i.ok])).toEqual([["user1", "provisioned", true], ["user2", "provisioned", true]]);
      expect(buggy.report.preflight?.authorization).toBeUndefined();
      const found = buggy.report.findings.map((f) => `${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path}`);
      expect(found).toEqual(expect.arrayContaining(["bola PUT /users/{username}/password", "bola PUT /recipes/{slug}", "bfla GET /admin/users"]));
      expect(buggy.result.code).toBe(1);

      const clean = await run("clean");
      expect(clean.report.preflight?.identities.every((i) => i.ok)).toBe(true);
      expect(clean.report.findings).toEqual([]);
      expect(clean.result.code).toBe(0);

      for (const { outputs } of [buggy, clean]) {
        expect(outputs).toContain("[redacted]"); // the victim's chosen passwords and its tokens were there, redacted
        expect(outputs.match(/Sn[A-Za-z0-9]{14}7!/g)).toBeNull(); // the shape of every password Sentinel chooses
        expect(issuedTokens(outputs)).toEqual([]);
      }
    },
    RUN_TIMEOUT_MS * 2,
  );
});
