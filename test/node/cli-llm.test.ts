/// <reference types="node" />
/** The AI layer's CLI contract: --llm flags, sentinel.yaml `llm:`, keys only from the environment, `sentinel llm use|check`. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llmCommand, llmHelp } from "../../cli/src/llm-command";
import { parseCommandLine, parseRunFlags } from "../../cli/src/options";
import { resolveSettings } from "../../cli/src/settings";
import { startFakeLlmServer, type FakeLlmServer } from "./fake-llm-server";

const base = ["--spec", "openapi.yaml", "--target", "http://127.0.0.1:9"];

describe("--llm flags and settings", () => {
  it("builds the run's LLM settings with keys from the environment only", () => {
    const flags = parseRunFlags([...base, "--llm", "anthropic:claude-haiku-4-5", "--llm-fallback", "openai:gpt-4o-mini", "--llm-budget-tokens", "5000", "--llm-budget-usd", "0.25"]);
    const settings = resolveSettings(flags, os.tmpdir(), { ANTHROPIC_API_KEY: "sk-ant-x", OPENAI_API_KEY: "sk-oa-y" });
    expect(settings.llm).toEqual({
      provider: "anthropic",
      model: "claude-haiku-4-5",
      fallback: [{ provider: "openai", model: "gpt-4o-mini" }],
      budgetTokens: 5000,
      budgetUsd: 0.25,
      apiKeys: { anthropic: "sk-ant-x", openai: "sk-oa-y" },
    });
  });

  it("refuses what cannot work, as usage errors", () => {
    const settings = (args: string[], env: Record<string, string> = {}) => resolveSettings(parseRunFlags([...base, ...args]), os.tmpdir(), env);
    expect(() => settings(["--llm", "gpt-4o"])).toThrow(/PROVIDER:MODEL/);
    expect(() => settings(["--llm", "openai:gpt-4o-mini"])).toThrow(/OPENAI_API_KEY/);
    expect(() => settings(["--llm", "openai-compatible:llama3.1"])).toThrow(/--llm-base-url/);
    expect(() => settings(["--llm-budget-tokens", "10"])).toThrow(/need --llm/);
    expect(() => parseRunFlags(["--llm-api-key", "x"])).toThrow(/unknown flag/);
    expect(settings(["--llm", "openai:gpt-4o-mini", "--no-llm"]).llm).toBeUndefined();
    expect(settings(["--llm", "openai-compatible:llama3.1", "--llm-base-url", "http://127.0.0.1:11434/v1"]).llm).toEqual({ provider: "openai-compatible", model: "llama3.1", baseUrl: "http://127.0.0.1:11434/v1" });
  });

  it("reads llm: from sentinel.yaml, refuses keys there, and --no-llm wins", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-llm-"));
    writeFileSync(path.join(dir, "sentinel.yaml"), "spec: openapi.yaml\ntarget: http://127.0.0.1:9\nllm:\n  model: openai-compatible:qwen2.5\n  base-url: http://127.0.0.1:8000/v1\n  budget-tokens: 1234\n");
    expect(resolveSettings({}, dir, {}).llm).toEqual({ provider: "openai-compatible", model: "qwen2.5", baseUrl: "http://127.0.0.1:8000/v1", budgetTokens: 1234 });
    expect(resolveSettings({ noLlm: true }, dir, {}).llm).toBeUndefined();
    writeFileSync(path.join(dir, "sentinel.yaml"), "spec: openapi.yaml\ntarget: http://127.0.0.1:9\nllm:\n  model: openai:gpt-4o-mini\n  api-key: sk-nope\n");
    expect(() => resolveSettings({}, dir, {})).toThrow(/keys do not belong/);
  });
});

describe("sentinel llm use | check", () => {
  let llm: FakeLlmServer;
  beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  afterAll(async () => {
    await llm?.close();
  });

  it("`llm use` writes the llm: section and keeps the rest of sentinel.yaml", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-llm-"));
    writeFileSync(path.join(dir, "sentinel.yaml"), "# my settings\nspec: openapi.yaml\ntarget: http://127.0.0.1:9\n");
    const out: string[] = [];
    expect(parseCommandLine(["llm", "use", "openai-compatible:fake", "--llm-base-url", llm.url])).toMatchObject({ command: "llm", llm: { action: "use" } });
    const code = await llmCommand("use", ["openai-compatible:fake", "--llm-base-url", llm.url, "--llm-budget-usd", "0.1"], { stdout: { write: (t: string) => out.push(t) }, cwd: dir, env: {} });
    expect(code).toBe(0);
    const text = readFileSync(path.join(dir, "sentinel.yaml"), "utf8");
    expect(text).toContain("# my settings");
    expect(text).toContain("model: openai-compatible:fake");
    expect(resolveSettings({}, dir, {}).llm).toEqual({ provider: "openai-compatible", model: "fake", baseUrl: llm.url, budgetUsd: 0.1 });

    const check: string[] = [];
    expect(await llmCommand("check", [], { stdout: { write: (t: string) => check.push(t) }, cwd: dir, env: {} })).toBe(0);
    expect(check.join("")).toMatch(/model: openai-compatible:fake at http:\/\/127\.0\.0\.1:\d+\/v1\nlatency: \d+ ms\nstructured output: ok/);
  });

  it("each action takes only the run flags it reads, and its help lists exactly those", async () => {
    const io = { stdout: { write: () => true }, cwd: os.tmpdir(), env: {} };
    await expect(llmCommand("check", ["--llm-fallback", "openai:gpt-4o-mini"], io)).rejects.toThrow("unknown flag --llm-fallback for sentinel llm check (its flags: --llm, --llm-base-url, --config)");
    await expect(llmCommand("check", ["--no-llm"], io)).rejects.toThrow("unknown flag --no-llm for sentinel llm check");
    await expect(llmCommand("use", ["openai:gpt-4o-mini", "--llm", "openai:gpt-4o"], io)).rejects.toThrow("unknown flag --llm for sentinel llm use");
    await expect(llmCommand("use", ["openai:gpt-4o-mini", "--spec", "openapi.yaml"], io)).rejects.toThrow("unknown flag --spec for sentinel llm use");
    const [use, check] = llmHelp().split("Options of llm check:");
    const flags = (text: string) => [...text.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
    expect(flags(use)).toEqual(["--llm-base-url", "--llm-fallback", "--llm-budget-tokens", "--llm-budget-usd", "--config"]);
    expect(flags(check)).toEqual(["--llm", "--llm-base-url", "--config"]);
  });

  it("`llm check` reports a broken provider and exits 2", async () => {
    const out: string[] = [];
    const code = await llmCommand("check", ["--llm", "openai-compatible:fake", "--llm-base-url", "http://127.0.0.1:9/v1"], { stdout: { write: (t: string) => out.push(t) }, cwd: os.tmpdir(), env: {} });
    expect(code).toBe(2);
    expect(out.join("")).toContain("structured output: FAILED");
  });
});
