/// <reference types="node" />
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configFromObject, loadConfigFile, substituteEnv } from "../../cli/src/config";
import { CliError } from "../../cli/src/exit-codes";
import { buildIdentities, parseHeader, parseIdentity } from "../../cli/src/identities";
import { parseCommandLine, parseRunFlags, RUN_FLAGS } from "../../cli/src/options";
import { checkFilters } from "../../cli/src/run-command";
import { resolveSettings } from "../../cli/src/settings";
import { petstoreModel } from "../../workers/orchestrator/agents/test-fixtures";

const usageError = (fn: () => unknown, pattern: RegExp) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).kind).toBe("usage");
    expect((err as CliError).message).toMatch(pattern);
    return;
  }
  throw new Error("expected a usage error");
};

describe("command line", () => {
  it("parses every DESIGN.md flag of sentinel run", () => {
    const flags = parseRunFlags([
      "--spec", "api.yaml", "--target", "http://localhost:3000",
      "--header", "X-Env: ci", "--header=X-Trace: 1",
      "--identity", "alice:Authorization: Bearer a:b:c", "--identity", "bob:Authorization: Bearer b",
      "--agents", "functional-positive, security-auth",
      "--seed", "42", "--max-response-time", "500",
      "--report-json", "r.json", "--junit", "j.xml", "--sarif", "s.sarif", "--html", "r.html", "--markdown", "r.md", "--har", "r.har",
      "--fail-on", "High", "--server", "https://sentinel.example", "--token", "sk_abc",
      "--timeout", "5000", "--concurrency", "3", "--quiet", "--config", "sentinel.yaml",
    ]);
    expect(flags).toEqual({
      spec: "api.yaml",
      target: "http://localhost:3000",
      headers: ["X-Env: ci", "X-Trace: 1"],
      identities: ["alice:Authorization: Bearer a:b:c", "bob:Authorization: Bearer b"],
      agents: ["functional-positive", "security-auth"],
      seed: 42,
      maxResponseTimeMs: 500,
      reports: { json: "r.json", junit: "j.xml", sarif: "s.sarif", html: "r.html", markdown: "r.md", har: "r.har" },
      failOn: "high",
      server: "https://sentinel.example",
      token: "sk_abc",
      timeoutMs: 5000,
      concurrency: 3,
      quiet: true,
      config: "sentinel.yaml",
    });
    for (const flag of ["spec", "target", "header", "identity", "agents", "seed", "max-response-time", "report-json", "junit", "sarif", "html", "markdown", "har", "fail-on", "server", "token"]) {
      expect(RUN_FLAGS[flag], flag).toBeDefined();
    }
  });

  it("reports mistakes as usage errors", () => {
    usageError(() => parseRunFlags(["--spec"]), /--spec needs a value/);
    usageError(() => parseRunFlags(["--spec", "--target", "x"]), /--spec needs a value/);
    usageError(() => parseRunFlags(["--seed", "abc"]), /--seed: expected a whole number/);
    usageError(() => parseRunFlags(["--fail-on", "urgent"]), /critical, high, medium, low, info, none/);
    usageError(() => parseRunFlags(["--tagret", "x"]), /unknown flag --tagret/);
    usageError(() => parseRunFlags(["stray"]), /unexpected argument/);
    usageError(() => parseRunFlags(["--quiet=yes"]), /takes no value/);
    usageError(() => parseCommandLine(["launch"]), /unknown command/);
  });

  it("knows help and version", () => {
    expect(parseCommandLine([]).command).toBe("help");
    expect(parseCommandLine(["--version"]).command).toBe("version");
    expect(parseCommandLine(["run", "--help"]).help).toBe(true);
  });
});

describe("headers and identities", () => {
  it("splits at the first colon so values keep theirs", () => {
    expect(parseHeader("Authorization: Bearer a:b")).toEqual(["Authorization", "Bearer a:b"]);
    expect(parseIdentity("alice:X-Api-Key: k:1")).toEqual(["alice", "X-Api-Key", "k:1"]);
    usageError(() => parseHeader("no colon"), /expected "Name: value"/);
    usageError(() => parseHeader("Bad Name: v"), /not a valid header name/);
    usageError(() => parseIdentity("alice"), /expected "name:Header-Name: value"/);
  });

  it("applies --header to every identity, the identity's own value winning", () => {
    expect(
      buildIdentities({
        identityFlags: ["alice:Authorization: Bearer a", "bob:Authorization: Bearer b", "bob:X-Env: bob-env"],
        headerFlags: ["X-Env: ci"],
      }),
    ).toEqual({
      alice: { "X-Env": "ci", Authorization: "Bearer a" },
      bob: { "X-Env": "bob-env", Authorization: "Bearer b" },
    });
  });

  it("warns, naming the winner, when --header and --identity set the same header", () => {
    const warnings: string[] = [];
    const identities = buildIdentities({ identityFlags: ["alice:Authorization: Bearer a", "bob:X-Api-Key: k"], headerFlags: ["authorization: Bearer h", "X-Env: ci"] }, (w) => warnings.push(w));
    expect(identities).toEqual({ alice: { "X-Env": "ci", Authorization: "Bearer a" }, bob: { authorization: "Bearer h", "X-Env": "ci", "X-Api-Key": "k" } });
    expect(warnings).toEqual(["--header authorization is also given by --identity alice: the identity's value wins for alice; bob sends the --header value"]);
    const none: string[] = [];
    buildIdentities({ identityFlags: ["alice:Authorization: Bearer a"], headerFlags: ["X-Env: ci"] }, (w) => none.push(w));
    expect(none).toEqual([]);
  });

  it("never echoes a credential in an error message", () => {
    usageError(() => parseIdentity("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0c2lnbmF0dXJl"), /^(?!.*eyJ)/);
    usageError(() => parseHeader("sk_live_0123456789abcdef"), /^(?!.*sk_live)/);
  });

  it("makes --header the default identity when there is no --identity", () => {
    expect(buildIdentities({ headerFlags: ["Authorization: Bearer t"] })).toEqual({ default: { Authorization: "Bearer t" } });
    expect(buildIdentities({})).toBeUndefined();
  });
});

describe("config file", () => {
  const env = { TOKEN_A: "Bearer aaa", SERVER: "https://s.example", EMPTY: "" };

  it("substitutes ${VAR}, ${VAR:-default} and $${ escapes", () => {
    expect(substituteEnv("x ${TOKEN_A} y", env, "c")).toBe("x Bearer aaa y");
    expect(substituteEnv("${MISSING:-fallback}", env, "c")).toBe("fallback");
    expect(substituteEnv("${EMPTY:-d}", env, "c")).toBe("d");
    expect(substituteEnv("$${NOT_A_VAR}", env, "c")).toBe("${NOT_A_VAR}");
    usageError(() => substituteEnv("${MISSING}", env, "sentinel.yaml: token"), /sentinel.yaml: token: environment variable MISSING is not set/);
  });

  it("reads every flag, identities and reports, with paths relative to the config file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-config-"));
    const file = path.join(dir, "sentinel.yaml");
    writeFileSync(
      file,
      [
        "spec: api/openapi.yaml",
        "target: http://127.0.0.1:4010",
        "server: ${SERVER}",
        "token: sk_${TOKEN_A:-x}",
        "headers:",
        "  X-Env: ci",
        "identities:",
        "  alice:",
        "    Authorization: ${TOKEN_A}",
        "  bob: { Authorization: Bearer bbb }",
        "agents: [functional-positive, stateful]",
        "seed: 7",
        "max-response-time: 800",
        "timeout: 3000",
        "concurrency: 2",
        "fail-on: medium",
        "quiet: true",
        "reports:",
        "  json: out/report.json",
        "  sarif: out/sentinel.sarif",
        "junit: out/junit.xml",
      ].join("\n"),
    );
    const loaded = loadConfigFile(file, env);
    expect(loaded.flags).toMatchObject({
      spec: path.join(dir, "api/openapi.yaml"),
      target: "http://127.0.0.1:4010",
      server: "https://s.example",
      token: "sk_Bearer aaa",
      agents: ["functional-positive", "stateful"],
      seed: 7,
      maxResponseTimeMs: 800,
      timeoutMs: 3000,
      concurrency: 2,
      failOn: "medium",
      quiet: true,
      reports: { json: path.join(dir, "out/report.json"), sarif: path.join(dir, "out/sentinel.sarif"), junit: path.join(dir, "out/junit.xml") },
    });
    expect(loaded.identities).toEqual({ alice: { Authorization: "Bearer aaa" }, bob: { Authorization: "Bearer bbb" } });
    expect(loaded.headers).toEqual({ "X-Env": "ci" });
  });

  it("never lets a variable inject YAML structure", () => {
    const loaded = configFromObject({ target: "${EVIL}" }, "/tmp", { EVIL: "x\nserver: http://attacker" });
    expect(loaded.flags.target).toBe("x\nserver: http://attacker");
    expect(loaded.flags.server).toBeUndefined();
  });

  it("rejects unknown settings", () => {
    usageError(() => configFromObject({ tragte: "x" }, "/tmp", {}), /unknown setting "tragte"/);
  });

  it("lets flags override the config and merges identities", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-config-"));
    writeFileSync(path.join(dir, "sentinel.yaml"), "spec: a.yaml\ntarget: http://127.0.0.1:1\nseed: 1\nfail-on: info\nidentities:\n  alice:\n    Authorization: ${A_TOKEN}\n");
    const settings = resolveSettings(
      { seed: 99, identities: ["bob:Authorization: Bearer b"], headers: ["X-Env: ci"], reports: { html: "out/r.html" } },
      dir,
      { A_TOKEN: "Bearer a" },
    );
    expect(settings.configFile).toBe(path.join(dir, "sentinel.yaml"));
    expect(settings.spec).toBe(path.join(dir, "a.yaml"));
    expect(settings.seed).toBe(99);
    expect(settings.failOn).toBe("info");
    expect(settings.identities).toEqual({ alice: { "X-Env": "ci", Authorization: "Bearer a" }, bob: { "X-Env": "ci", Authorization: "Bearer b" } });
    expect(settings.reports.html).toBe(path.join(dir, "out/r.html"));
    expect(settings.server).toBeUndefined();
  });

  it("takes identities' roles from sentinel.yaml roles: and --role, the flag winning", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-roles-"));
    writeFileSync(path.join(dir, "sentinel.yaml"), "spec: a.yaml\ntarget: http://127.0.0.1:1\nidentities:\n  olivia: { sid: s1, X-CSRF-Token: c1 }\n  oscar: { sid: s2 }\n  rhea: { sid: s3 }\nroles:\n  olivia: owner\n  oscar: owner\n  rhea: editor\n");
    const settings = resolveSettings(parseRunFlags(["--role", "rhea:respondent"]), dir, {});
    expect(settings.roles).toEqual({ olivia: "owner", oscar: "owner", rhea: "respondent" });
    expect(settings.identities?.olivia).toEqual({ sid: "s1", "X-CSRF-Token": "c1" });
    usageError(() => resolveSettings(parseRunFlags(["--role", "rhae:respondent"]), dir, {}), /--role rhae: no identity "rhae" is given \(identities: olivia, oscar, rhea\)/);
    usageError(() => resolveSettings(parseRunFlags(["--role", "respondent"]), dir, {}), /expected "name:role"/);
    usageError(() => configFromObject({ roles: ["owner"] }, dir, {}), /must map identity names to roles/);
  });

  it("checks the merged settings", () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), "sentinel-empty-"));
    usageError(() => resolveSettings({ target: "http://x" }, cwd, {}), /--spec is required/);
    usageError(() => resolveSettings({ spec: "a.yaml" }, cwd, {}), /--target is required/);
    usageError(() => resolveSettings({ spec: "a.yaml", target: "ftp://x" }, cwd, {}), /not an http\(s\) URL/);
    usageError(() => resolveSettings({ spec: "a.yaml", target: "http://x", server: "http://s" }, cwd, {}), /needs --token/);
    usageError(() => resolveSettings({ spec: "a.yaml", target: "http://x", concurrency: 50 }, cwd, {}), /--concurrency must be between 1 and 6/);
    usageError(() => resolveSettings({ spec: "a.yaml", target: "http://x", config: "missing.yaml" }, cwd, {}), /config file missing.yaml not found/);
    const fromEnv = resolveSettings({ spec: "a.yaml", target: "http://x" }, cwd, { SENTINEL_SERVER: "http://s/", SENTINEL_TOKEN: "sk_t" });
    expect(fromEnv).toMatchObject({ server: "http://s", token: "sk_t", failOn: "low", stateDir: undefined });
    expect(resolveSettings({ spec: "a.yaml", target: "http://x", keepState: true }, cwd, {}).stateDir).toBe(path.join(cwd, ".sentinel"));
  });
});

describe("operation filters and destructive operations", () => {
  const ops = petstoreModel().operations;

  it("reads repeatable --include/--exclude and --allow-destructive, from flags and from sentinel.yaml", () => {
    const flags = parseRunFlags(["--include", "tag:pets", "--include=GET /users/*", "--exclude", "deletePet", "--allow-destructive"]);
    expect(flags).toEqual({ include: ["tag:pets", "GET /users/*"], exclude: ["deletePet"], allowDestructive: true });
    expect(parseRunFlags(["--no-allow-destructive"]).allowDestructive).toBe(false);
    usageError(() => parseRunFlags(["--allow-destructive=yes"]), /takes no value/);

    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-filters-"));
    writeFileSync(path.join(dir, "sentinel.yaml"), 'spec: a.yaml\ntarget: http://127.0.0.1:1\ninclude:\n  - "POST /pets, the store"\n  - listPets\nexclude: DELETE\nallow-destructive: true\n');
    const fromConfig = resolveSettings({}, dir, {});
    // a comma may be part of a filter: lists are YAML lists, not split
    expect(fromConfig).toMatchObject({ include: ["POST /pets, the store", "listPets"], exclude: ["DELETE"], allowDestructive: true });
    const overridden = resolveSettings({ include: ["getPet"], allowDestructive: false }, dir, {});
    expect(overridden).toMatchObject({ include: ["getPet"], exclude: ["DELETE"], allowDestructive: false });
    expect(resolveSettings({ spec: "a.yaml", target: "http://x" }, mkdtempSync(path.join(os.tmpdir(), "sentinel-empty-")), {}).allowDestructive).toBe(false);
    usageError(() => configFromObject({ include: ["getPet", ""] }, "/tmp", {}), /include: expected a list of filters/);
    usageError(() => configFromObject({ "allow-destructive": "yes" }, "/tmp", {}), /"allow-destructive" must be true or false/);
  });

  it("turns the failed sign-in burst off with --no-auth-burst or auth-burst: false (on by default)", () => {
    expect(parseRunFlags(["--no-auth-burst"]).authBurst).toBe(false);
    const dir = mkdtempSync(path.join(os.tmpdir(), "sentinel-burst-"));
    expect(resolveSettings({ spec: "a.yaml", target: "http://x" }, dir, {}).authBurst).toBe(true);
    writeFileSync(path.join(dir, "sentinel.yaml"), "spec: a.yaml\ntarget: http://127.0.0.1:1\nauth-burst: false\n");
    expect(resolveSettings({}, dir, {}).authBurst).toBe(false);
    expect(resolveSettings({ authBurst: true }, dir, {}).authBurst).toBe(true);
    usageError(() => configFromObject({ authBurst: "no" }, "/tmp", {}), /"authBurst" must be true or false/);
  });

  it("names a filter that matches no operation, or a malformed one, as a usage error (exit 2)", () => {
    expect(() => checkFilters(ops, { include: ["tag:admin", "GET /pets*"], exclude: ["deletePet"] })).not.toThrow();
    usageError(() => checkFilters(ops, { include: ["getPet", "getPets"] }), /filter "getPets" matches no operation of the spec/);
    usageError(() => checkFilters(ops, { exclude: ["tag:nope"] }), /filter "tag:nope" matches no operation/);
    usageError(() => checkFilters(ops, { include: ["POST pets"] }), /must start with \//);
  });

  it("lists the flags in sentinel run --help", () => {
    for (const flag of ["include", "exclude", "allow-destructive"]) expect(RUN_FLAGS[flag]).toBeDefined();
  });
});
