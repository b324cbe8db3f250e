/// <reference types="node" />
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RUN_FLAGS } from "../../cli/src/options";
import { ROOT } from "./cli-helpers";

interface Step {
  name: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

describe("action.yml", () => {
  const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
    runs: { using: string; steps: Step[] };
  };

  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    for (const input of ["spec", "target", "fail-on", "server", "token", "args"]) expect(action.inputs[input], input).toBeDefined();
    expect(action.inputs.spec.required).toBe(true);
    expect(action.inputs["fail-on"].default).toBe("low");
  });

  it("runs `sentinel run` with flags the CLI knows and uploads the SARIF it wrote", () => {
    const run = action.runs.steps.find((s) => s.run?.includes("sentinel run"))!;
    const cli = run.run!.slice(run.run!.indexOf("sentinel run"));
    const flags = [...cli.matchAll(/--([a-z-]+) "\$/g)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(5);
    for (const flag of flags) expect(RUN_FLAGS[flag], flag).toBeDefined();
    const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.with!.sarif_file).toBe("${{ inputs.report-dir }}/sentinel.sarif");
    expect(run.run).toContain('--sarif "$REPORT_DIR/sentinel.sarif"');
  });
});
