/**
 * The demo API's prose-only fault (search-limit-off-by-one) is invisible to every deterministic
 * agent and check: a full run (all agents, wasm included) against the buggy server with only that
 * fault enabled reports nothing on GET /search — the finding needs the LLM oracle (cli-ai.test.ts).
 */
import { describe, expect, it } from "vitest";
import { startDemoApi } from "../../examples/demo-api/server.mjs";
import { demoTokens } from "../../examples/demo-api/tokens.mjs";
import { describeFindings, detectionRunner } from "./detection-harness";

const tokens = demoTokens();
const run = detectionRunner({
  specFile: new URL("../../examples/demo-api/openapi.yaml", import.meta.url).pathname,
  identities: [
    { name: "alice", headers: { Authorization: `Bearer ${tokens.alice}` } },
    { name: "bob", headers: { Authorization: `Bearer ${tokens.bob}` } },
  ],
  start: () => startDemoApi({ port: 0, variant: "buggy", faults: ["search-limit-off-by-one"] }),
  maxResponseTimeMs: 1000,
});

describe("prose-only business-rule fault", () => {
  it("no deterministic check sees search-limit-off-by-one", async () => {
    const result = await run("buggy", 11);
    const onSearch = result.findings.filter((f) => f.operation.path === "/search");
    expect(onSearch, describeFindings(onSearch)).toEqual([]);
    expect(result.cases.some((c) => c.operationId === "searchItems")).toBe(true);
  }, 120_000);
});
