/// <reference types="node" />
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../scripts/build-cli.mjs";
import { CLI, ROOT, runCli } from "./cli-helpers";

const DEMO_SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");

/** A loopback port nothing listens on (bound, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  // Test the CLI as built from the current sources.
  await buildCli({ quiet: true });
});

describe("sentinel exit codes", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-cli-"));
  });

  it("exits 0 for --help and prints the flags", async () => {
    const result = await runCli(["run", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--fail-on severity");
    expect(result.stdout).toContain("--identity");
  });

  it("exits 2 for usage errors", async () => {
    const result = await runCli(["run", "--spec", DEMO_SPEC]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--target is required");
    expect((await runCli(["run", "--spec", DEMO_SPEC, "--target", "http://127.0.0.1:1", "--bogus"])).code).toBe(2);
  });

  it("sentinel llm --help lists only the flags llm use and llm check read", async () => {
    for (const args of [["llm", "--help"], ["llm", "check", "-h"], ["llm"]]) {
      const result = await runCli(args);
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage: sentinel llm use PROVIDER:MODEL");
      expect(result.stdout).toContain("--llm-budget-usd x");
      expect(result.stdout).not.toContain("--target");
    }
  });

  it("every command exits 2 on an unknown flag or a flag without its value, naming it and its help", async () => {
    const cases: [string[], string, string][] = [
      [["run", "--spec", DEMO_SPEC, "--tagret", "x"], "unknown flag --tagret", "sentinel run --help"],
      [["run", "--spec"], "--spec needs a value (file|url)", "sentinel run --help"],
      [["load", "--spec", DEMO_SPEC, "--rat", "5"], "unknown flag --rat for sentinel load", "sentinel load --help"],
      [["load", "--spec", DEMO_SPEC, "--rate"], "--rate needs a value (n)", "sentinel load --help"],
      [["oracles", "list", "--spec", "x", "--bogus"], "unknown flag --bogus for sentinel oracles", "sentinel oracles --help"],
      [["oracles", "list", "--spec"], "--spec needs a value (file|name)", "sentinel oracles --help"],
      [["llm", "check", "--bogus"], "unknown flag --bogus for sentinel llm check (its flags: --llm, --llm-base-url, --config)", "sentinel llm --help"],
      [["llm", "check", "--llm-budget-usd", "1"], "unknown flag --llm-budget-usd for sentinel llm check (its flags: --llm, --llm-base-url, --config)", "sentinel llm --help"],
      [["llm", "use", "openai:gpt-4o-mini", "--target", "http://127.0.0.1:9"], "unknown flag --target for sentinel llm use (its flags: --llm-base-url, --llm-fallback, --llm-budget-tokens, --llm-budget-usd, --config)", "sentinel llm --help"],
      [["llm", "use", "openai:gpt-4o-mini", "--llm-base-url"], "--llm-base-url needs a value (url)", "sentinel llm --help"],
    ];
    for (const [args, message, help] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(`sentinel: usage error: ${message}\n`);
      expect(result.stderr).toContain(`Run \`${help}\` for the flags.`);
    }
  });

  it("exits 2 for a missing spec file", async () => {
    const result = await runCli(["run", "--spec", path.join(dir, "nope.yaml"), "--target", "http://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read spec .*nope\.yaml: no such file/);
  });

  it("exits 2 for an invalid spec and prints each problem with pointer and line", async () => {
    const spec = path.join(dir, "bad.yaml");
    writeFileSync(spec, ["openapi: 3.0.3", "info:", "  title: Bad", "  version: '1'", "paths:", "  /pets:", "    get:", "      responses: 5", ""].join("\n"));
    const result = await runCli(["run", "--spec", spec, "--target", "http://127.0.0.1:1"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("spec error");
    expect(result.stderr).toMatch(/bad\.yaml:8:\d+\s+\/paths\/~1pets\/get\/responses\s+\S/);
  });

  it("exits 2 for a spec that is not YAML at all", async () => {
    const spec = path.join(dir, "broken.yaml");
    writeFileSync(spec, "openapi: 3.0.3\ninfo: [\n");
    const result = await runCli(["run", "--spec", spec, "--target", "http://127.0.0.1:1"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml:\d+/);
  });

  it("exits 2 when --server is unreachable", async () => {
    const port = await closedPort();
    const result = await runCli(["run", "--spec", DEMO_SPEC, "--target", "http://127.0.0.1:1", "--server", `http://127.0.0.1:${port}`, "--token", "sk_test_0000000000000000000000"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot reach Sentinel at http://127.0.0.1:${port}`);
  });

  it("exits 2 when a config file names a variable that is not set", async () => {
    const config = path.join(dir, "sentinel.yaml");
    writeFileSync(config, `spec: ${DEMO_SPEC}\ntarget: http://127.0.0.1:1\ntoken: \${SENTINEL_TEST_UNSET_VARIABLE}\n`);
    const result = await runCli(["run", "--config", config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("environment variable SENTINEL_TEST_UNSET_VARIABLE is not set");
  });
});

describe("sentinel on an older Node", () => {
  it("runs on node 22 or later whichever node starts it", async () => {
    // The first `node` on PATH outside node_modules: the machine's own (Node 20 on this project's machines).
    const systemNode = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((dir) => dir && !dir.includes("node_modules"))
      .map((dir) => path.join(dir, "node"))
      .find((file) => existsSync(file));
    expect(systemNode, "a node binary on PATH").toBeDefined();
    const out = execFileSync(systemNode!, [CLI, "version"], { encoding: "utf8", env: { ...process.env, SENTINEL_NODE22_REEXEC: "" } });
    const major = Number(/\(node v(\d+)\./.exec(out)?.[1]);
    expect(major, out).toBeGreaterThanOrEqual(22);
  });
});
