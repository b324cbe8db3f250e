/**
 * OAuth2 client credentials on a real target (examples/blind-clinic): the pre-flight takes the
 * token URL from the spec's clientCredentials flow, exchanges each configured client for a token,
 * checks it, and never lets a secret or a token into what it reports.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPreflight } from "../../cli/src/preflight";
import { clientCredentialsTokenUrl } from "../../workers/orchestrator/auth/client-credentials";
import { parseModel } from "./detection-harness";
import { ROOT } from "./cli-helpers";

const DIR = path.join(ROOT, "examples/blind-clinic");
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill();
});

function start(): Promise<string> {
  child = spawn(process.execPath, [path.join(DIR, "server.mjs"), "--port", "0", "--variant", "clean"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child!.once("exit", (code) => reject(new Error(`clinicbook exited ${code}`)));
    child!.stdout!.on("data", (chunk: Buffer) => {
      const m = /on (http:\/\/\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
  });
}

describe("identities from OAuth2 client credentials", () => {
  it("exchanges each client at the spec's token URL, proves the token, and reports no secret", async () => {
    const model = parseModel(readFileSync(path.join(DIR, "openapi.yaml"), "utf8"));
    expect(clientCredentialsTokenUrl(model)).toBe("/oauth/token");
    const url = await start();
    // the sandbox clients the spec's description publishes (a table of `client_id` | `client_secret`)
    const [ns, hb] = [...model.description!.matchAll(/\|\s*`([a-z-]+)`\s*\|\s*`([^`]+)`\s*\|/g)].map((m) => ({ clientId: m[1], clientSecret: m[2] }));
    const clients = { northside: ns, harbor: hb, wrong: { clientId: hb.clientId, clientSecret: "not-the-secret" } };
    const result = await runPreflight({ model, target: url, auth: { clients } });
    expect(Object.keys(result.identities ?? {})).toEqual(["northside", "harbor"]);
    expect(result.identities!.northside.Authorization).toMatch(/^Bearer \S+$/);
    expect(result.report.identities.map((s) => [s.name, s.ok])).toEqual([["northside", true], ["harbor", true], ["wrong", false]]);
    expect(result.report.identities[2].detail).toMatch(/POST \/oauth\/token answered 4\d\d/);
    const shown = JSON.stringify(result.report) + result.lines.join("\n");
    for (const secret of [clients.northside.clientSecret, clients.harbor.clientSecret, result.identities!.northside.Authorization.slice(7)]) expect(shown).not.toContain(secret);
  }, 60_000);
});
