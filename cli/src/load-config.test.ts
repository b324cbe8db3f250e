/// <reference types="node" />
/** sentinel.yaml's `load:` section read by `sentinel load`: values, flags over them, errors with the key path. */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "./exit-codes";
import { parseLoadFlags } from "./load-options";
import { resolveSettings } from "./settings";

function project(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-load-yaml-"));
  writeFileSync(path.join(dir, "sentinel.yaml"), yaml);
  return dir;
}

const full = `
spec: api/openapi.yaml
target: http://127.0.0.1:8080
identities:
  alice: { Authorization: "Bearer \${ALICE_TOKEN}" }
load:
  rate: 150
  duration: 2m
  ramp: 10s
  profile: stress
  regions: { weur: 70, wnam: 30 }
  thresholds: ["p(95)<300", "weur:p(99)<500"]
  operations: ["GET /items", listUsers]
  max-in-flight: 4
  allowWrites: true
  abort-on-fail: true
  timeout: 2000
  reports: { json: out/load.json, junit: out/load.xml }
`;

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a usage error");
}

describe("sentinel.yaml load:", () => {
  it("supplies every load setting, with paths relative to the file", () => {
    const dir = project(full);
    const s = parseLoadFlags([], { ALICE_TOKEN: "t0k" }, dir);
    expect(s).toMatchObject({
      spec: path.join(dir, "api/openapi.yaml"),
      target: "http://127.0.0.1:8080",
      rate: 150,
      durationS: 120,
      rampS: 10,
      profile: "stress",
      regions: ["weur:70", "wnam:30"],
      thresholds: ["p(95)<300", "weur:p(99)<500"],
      operations: ["GET /items", "listUsers"],
      maxInFlight: 4,
      allowWrites: true,
      abortOnFail: true,
      timeoutMs: 2000,
      identities: { alice: { Authorization: "Bearer t0k" } },
      reports: { json: path.join(dir, "out/load.json"), junit: path.join(dir, "out/load.xml") },
      configFile: path.join(dir, "sentinel.yaml"),
    });
  });

  it("flags win over the file; a repeated flag replaces the file's list", () => {
    const dir = project(full);
    const s = parseLoadFlags(["--rate", "20", "--duration", "5s", "--threshold", "p(50)<100", "--regions", "apac", "--operation", "GET /x", "--profile", "load", "--report-json", "mine.json"], { ALICE_TOKEN: "x" }, dir);
    expect(s).toMatchObject({ rate: 20, durationS: 5, thresholds: ["p(50)<100"], regions: ["apac"], operations: ["GET /x"], profile: "load", maxInFlight: 4 });
    expect(s.reports).toEqual({ json: path.join(dir, "mine.json"), junit: path.join(dir, "out/load.xml"), html: undefined });
  });

  it("an unknown key names its path and the known ones; wrong kinds and bad thresholds too", () => {
    const unknown = usageError(() => parseLoadFlags([], {}, project("spec: a.yaml\ntarget: http://x\nload:\n  rate: 5\n  max-in-flght: 3\n")));
    expect(unknown.message).toBe("sentinel.yaml: load.max-in-flght: unknown setting (known: operations, profile, rate, duration, ramp, max-in-flight, regions, thresholds, abort-on-fail, allow-writes, timeout, reports)");
    expect(usageError(() => parseLoadFlags([], {}, project("load:\n  duration: soon\n"))).message).toContain('sentinel.yaml: load.duration: expected a duration such as 30s, 2m or 500ms, got "soon"');
    expect(usageError(() => parseLoadFlags([], {}, project("load:\n  allow-writes: yes please\n"))).message).toBe("sentinel.yaml: load.allow-writes must be true or false");
    expect(usageError(() => parseLoadFlags([], {}, project("load:\n  profile: burst\n"))).message).toContain("load.profile: expected one of load, stress, spike, soak");
    expect(usageError(() => parseLoadFlags([], {}, project("load: 5\n"))).message).toContain("load must be a mapping");
    const threshold = usageError(() => parseLoadFlags([], {}, project('load:\n  thresholds: ["p(95)<300", "p(95<300"]\n')));
    expect(threshold.message).toContain("sentinel.yaml: load.thresholds[1] threshold \"p(95<300\": expected \")\" at position 5");
    expect(usageError(() => parseLoadFlags(["--config", "nope.yaml"], {}, project(""))).message).toBe("config file nope.yaml not found");
  });

  it("sentinel run reads the same file and leaves load: alone", () => {
    const dir = project(full);
    const s = resolveSettings({}, dir, { ALICE_TOKEN: "x" });
    expect(s.target).toBe("http://127.0.0.1:8080");
    expect(s.limits).toEqual({});
  });
});
