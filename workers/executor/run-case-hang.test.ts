import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Step, TestCase } from "../model";
import { model } from "./checks/test-support";
import { buildFindings } from "./findings";
import type { FetchLike } from "./http-client";
import { runCase, type RunEnv } from "./run-case";
import { TargetWatch } from "./target-watch";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

// a target that stops answering everything (the probe too) once it is sent a long name — as a
// single-threaded server stuck in catastrophic regex backtracking does; `buggy` off: the clean variant
let buggy = true;
let stopped = false;
let api: LoopbackServer;
let baseUrl: string;

beforeAll(async () => {
  api = await listenLoopback(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (buggy && raw.length > 1000) stopped = true;
    if (stopped) return; // never answers
    res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: 1, name: "Rex" }));
  });
  baseUrl = api.url;
});

afterAll(() => api.close());

beforeEach(() => {
  buggy = true;
  stopped = false;
});

function env(target: RunEnv["target"]): RunEnv {
  return { fetch: globalThis.fetch as FetchLike, baseUrl, identities: {}, model, config: { timeoutMs: 800, maxBodyBytes: 1024 * 1024, retryDelayMs: 10, stallMs: 200 }, target };
}

function one(id: string, method: string, path: string, body?: unknown): TestCase {
  const step: Step = { id, request: { method, path, pathParams: { petId: 1 }, query: {}, headers: {}, ...(body === undefined ? {} : { body: { contentType: "application/json", value: body } }) }, checks: [{ name: "not_a_server_error" }] };
  return { id: `case-${id}`, agent: "negative", operationId: "createPet", kind: "negative", title: "t", steps: [step] };
}

const LONG = { name: "a".repeat(5000) };

describe("a request in flight when the target stopped answering", () => {
  it("is named a high denial-of-service finding with its curl", async () => {
    const target = new TargetWatch();
    expect((await runCase(one("read", "get", "/pets/{petId}"), env(target))).status).toBe("passed");
    const testCase = one("long", "post", "/pets", LONG);
    const result = await runCase(testCase, env(target));
    expect(result.status).toBe("failed");
    expect(result.checks).toContainEqual(expect.objectContaining({ check: "max_response_time", status: "failed", signature: "liveness", message: expect.stringContaining("the target stopped answering while it was in flight") }));
    const finding = buildFindings(result, testCase, model).find((f) => f.check === "max_response_time");
    expect(finding).toMatchObject({ severity: "high" });
    expect(JSON.stringify(finding)).toContain("curl");
    // a request sent after the target had stopped is not named
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await runCase(one("later", "get", "/pets/{petId}"), env(target));
    expect(after.status).toBe("errored");
    expect(after.checks.filter((c) => c.status === "failed")).toEqual([]);
  });

  it("names nobody on the clean variant, nor on a target that never answered anything", async () => {
    buggy = false;
    const target = new TargetWatch();
    await runCase(one("read", "get", "/pets/{petId}"), env(target));
    const clean = await runCase(one("long", "post", "/pets", LONG), env(target));
    expect(clean.checks.filter((c) => c.status === "failed")).toEqual([]);

    stopped = true; // down from the start: nothing answered before
    const down = await runCase(one("long", "post", "/pets", LONG), env(new TargetWatch()));
    expect(down.status).toBe("errored");
    expect(down.checks.filter((c) => c.status === "failed")).toEqual([]);
  });
});
