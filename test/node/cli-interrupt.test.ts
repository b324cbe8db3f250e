/// <reference types="node" />
/**
 * Ctrl-C while the local platform starts (wrangler bundling the Worker, then applying the D1
 * migrations) must leave nothing behind: no temporary directory of ours, wrangler's or
 * Miniflare's, and no process. The CLI gets a real SIGINT; TMPDIR is a fresh directory so that
 * anything left in it is a leak.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../scripts/build-cli.mjs";
import { processesMentioning, ROOT, runCli } from "./cli-helpers";

const SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");
const roots: string[] = [];

beforeAll(async () => {
  await buildCli({ quiet: true });
});
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

/** wrangler's update check caches its answer in the temp directory: a cache, not a leak. */
const NOT_LEAKS = new Set(["update-check"]);

async function interruptAt(phase: RegExp): Promise<{ left: string[]; processes: string[]; code: number | null; stderr: string }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "sentinel-sigint-"));
  roots.push(tmp);
  let interrupted = false;
  const result = await runCli(["run", "--spec", SPEC, "--target", "http://127.0.0.1:9"], {
    env: { TMPDIR: tmp },
    timeoutMs: 120_000,
    onStderr: (stderr, child) => {
      if (!interrupted && phase.test(stderr)) {
        interrupted = true;
        // let the wrangler child get going (and create its files) before the Ctrl-C
        setTimeout(() => child.kill("SIGINT"), 400);
      }
    },
  });
  expect(interrupted, result.stderr).toBe(true);
  const left = readdirSync(tmp).filter((name) => !NOT_LEAKS.has(name));
  return { left, processes: processesMentioning(tmp), code: result.code, stderr: result.stderr };
}

describe("Ctrl-C during local start-up", () => {
  it("while the D1 migrations are applied: exit 130, no temporary directory and no process left", async () => {
    const outcome = await interruptAt(/applying D1 migrations/);
    expect(outcome.code, outcome.stderr).toBe(130);
    expect(outcome.stderr).toContain("interrupted; stopping");
    expect(outcome.left).toEqual([]);
    expect(outcome.processes).toEqual([]);
  }, 130_000);

  it("while the Worker is bundled: the same", async () => {
    const outcome = await interruptAt(/building the Worker/);
    expect(outcome.code, outcome.stderr).toBe(130);
    expect(outcome.left).toEqual([]);
    expect(outcome.processes).toEqual([]);
  }, 130_000);
});
