/**
 * Authorization on data that was there before the run (examples/blind-tasks, its FAULTS.md T8):
 * the users and projects exist from start-up; an identity deletes a task of a project another
 * user owns, found through the listings. The buggy variant lets any reader delete (a finding);
 * the clean variant answers 403 (none).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { ROOT } from "./cli-helpers";

const DIR = path.join(ROOT, "examples/blind-tasks");
const started: ChildProcess[] = [];

async function start(variant: "buggy" | "clean"): Promise<string> {
  const child = spawn(process.execPath, [path.join(DIR, "server.mjs"), "--port", "0", "--variant", variant], { stdio: ["ignore", "pipe", "inherit"] });
  started.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`taskboard exited ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
  });
}

afterAll(() => {
  for (const child of started) child.kill();
});

// the target's own fixed tokens (examples/blind-tasks/tokens.mjs, plain JavaScript)
const tokens = async () => ((await import(path.join(DIR, "tokens.mjs"))) as { USERS: { username: string; token: string }[] }).USERS;
const identity = async (name: string) => ({ name, headers: { Authorization: `Bearer ${(await tokens()).find((u) => u.username === name)!.token}` } });

async function run(variant: "buggy" | "clean") {
  const url = await start(variant);
  const model = parseModel(readFileSync(path.join(DIR, "openapi.yaml"), "utf8"));
  return planAndRun({ model, baseUrl: url, seed: 13, identities: [await identity("alice"), await identity("bob")], agentNames: ["security-auth"] });
}

describe("pre-existing data of other users (Taskboard)", () => {
  it("an identity deleting a task of another user's project, found in the listings, is bola (T8); the clean variant refuses", async () => {
    const buggy = await run("buggy");
    const t8 = buggy.findings.find((f) => f.check === "bola" && f.operation.method === "delete" && f.operation.path === "/projects/{projectKey}/tasks/{taskNumber}" && f.signature.includes("pre-existing"));
    expect(t8, describeFindings(buggy.findings)).toBeDefined();
    expect(t8!.message).toMatch(/identity "bob" deleted an item another user owns/);
    // the project it went for is neither alice's nor bob's: their own are never "another user's"
    const attack = buggy.results.flatMap((r) => r.exchanges).find((e) => e.stepId === "attacker-write" && e.request.method === "DELETE" && e.request.url.includes("/tasks/"));
    expect(attack?.request.url).toMatch(/\/projects\/OPS\/tasks\/\d+$/);

    const clean = await run("clean");
    expect(clean.findings, describeFindings(clean.findings)).toEqual([]);
    const refused = clean.results.find((r) => r.exchanges.some((e) => e.stepId === "attacker-write" && e.request.method === "DELETE" && e.request.url.includes("/tasks/")));
    expect(refused?.checks.find((c) => c.check === "bola")).toMatchObject({ status: "passed" });
  }, 120_000);
});
