/**
 * Flags of `sentinel load` (issue 10's contract) over sentinel.yaml (its `load:` section, and the
 * top-level spec, target, identities, headers, server, token, state-dir) → LoadSettings.
 * Thresholds are checked here, before anything starts, so a malformed one exits 2 with its
 * position at once.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfigFile, type LoadedConfig } from "./config";
import { CliError } from "./exit-codes";
import { readFlags } from "./flags";
import { buildIdentities, type Identities } from "./identities";
import { checkThreshold, LOAD_PROFILES, parseDuration } from "./load-config";
import { parseInteger, parseList, parseNumber } from "./options";
import { DEFAULT_CONFIG_NAMES } from "./settings";

export interface LoadSettings {
  spec: string;
  target: string;
  operations: string[];
  profile: (typeof LOAD_PROFILES)[number];
  rate?: number;
  durationS?: number;
  rampS?: number;
  maxInFlight?: number;
  regions?: string[];
  thresholds: string[];
  abortOnFail: boolean;
  allowWrites: boolean;
  identities?: Identities;
  timeoutMs?: number;
  reports: { json?: string; html?: string; junit?: string };
  server?: string;
  token?: string;
  stateDir?: string;
  quiet: boolean;
  /** the config file that was read, if any */
  configFile?: string;
}

type Kind = "string" | "int" | "number" | "duration" | "list" | "repeat" | "bool";
interface Def {
  kind: Kind;
  arg?: string;
  help: string;
}

export const LOAD_FLAGS: Record<string, Def> = {
  spec: { kind: "string", arg: "file|url", help: "OpenAPI 3.x / Swagger 2.0 document" },
  target: { kind: "string", arg: "url", help: "base URL of the API under test" },
  operation: { kind: "repeat", arg: '"GET /items"|operationId', help: "operation to load; repeatable (default: the read operations the planner picks)" },
  profile: { kind: "string", arg: "load|stress|spike|soak", help: "load (default); stress finds the breaking point; spike measures recovery; soak runs long" },
  rate: { kind: "number", arg: "n", help: "arrivals per second, total over all regions (open model; default 10)" },
  duration: { kind: "duration", arg: "30s", help: "how long (default 30s; soak 10m); s, m, ms or seconds" },
  ramp: { kind: "duration", arg: "10s", help: "ramp from 0 to the rate at the start (part of the duration)" },
  "max-in-flight": { kind: "int", arg: "n", help: "requests in flight per generator (default 6, the edge's limit)" },
  regions: { kind: "list", arg: "wnam,weur", help: "regions (locationHints), optionally weighted as weur:70,wnam:30 (default: the nearest)" },
  threshold: { kind: "repeat", arg: '"p(95)<300"', help: 'k6-style threshold: p(N), avg, min, max, med, http_req_failed, rps, http_reqs; "weur:" prefix for one region; repeatable' },
  "abort-on-fail": { kind: "bool", help: "stop as soon as a latency or error threshold fails" },
  "allow-writes": { kind: "bool", help: "allow loading POST/PUT/PATCH/DELETE operations" },
  identity: { kind: "repeat", arg: '"name:Name: value"', help: "credentials (the first identity is used); repeatable" },
  header: { kind: "repeat", arg: '"Name: value"', help: "header sent with every request; repeatable" },
  timeout: { kind: "int", arg: "ms", help: "timeout of each request (default 10000)" },
  "report-json": { kind: "string", arg: "file", help: "write the JSON report" },
  html: { kind: "string", arg: "file", help: "write the HTML report (charts, percentile table)" },
  junit: { kind: "string", arg: "file", help: "write JUnit XML (each threshold a testcase)" },
  server: { kind: "string", arg: "url", help: "a running Sentinel instead of the embedded local platform (env SENTINEL_SERVER)" },
  token: { kind: "string", arg: "key", help: "API key for --server (env SENTINEL_TOKEN)" },
  "state-dir": { kind: "string", arg: "dir", help: "local mode: keep the platform's data here" },
  config: { kind: "string", arg: "file", help: "sentinel.yaml to read (default ./sentinel.yaml if present; its load: section, flags win)" },
  quiet: { kind: "bool", help: "no progress lines on stderr" },
};

function readConfig(file: string | undefined, cwd: string, env: Record<string, string | undefined>): { config: LoadedConfig; file?: string } {
  const found = file ? path.resolve(cwd, file) : DEFAULT_CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => existsSync(f));
  if (file && !existsSync(found!)) throw new CliError(`config file ${file} not found`, "usage");
  return found ? { config: loadConfigFile(found, env), file: found } : { config: { flags: {} } };
}

export function parseLoadFlags(args: readonly string[], env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): LoadSettings {
  const raw: Record<string, string | string[] | boolean> = {};
  for (const { flag, value } of readFlags(args, LOAD_FLAGS, { unknown: (name) => `unknown flag --${name} for sentinel load` })) {
    const def = LOAD_FLAGS[flag];
    if (def.kind === "bool") raw[flag] = true;
    else if (def.kind === "repeat") raw[flag] = [...((raw[flag] as string[] | undefined) ?? []), value];
    else raw[flag] = value;
  }
  const str = (name: string) => raw[name] as string | undefined;
  const { config, file: configFile } = readConfig(str("config"), cwd, env);
  const top = config.flags;
  const load = config.load ?? {};
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));

  const specFlag = str("spec");
  const spec = specFlag !== undefined ? (/^https?:\/\//i.test(specFlag) ? specFlag : abs(specFlag)) : top.spec;
  const target = str("target") ?? top.target;
  if (!spec) throw new CliError("--spec is required (or spec: in sentinel.yaml)", "usage");
  if (!target) throw new CliError("--target is required (or target: in sentinel.yaml)", "usage");
  const profile = (str("profile") ?? load.profile ?? "load") as LoadSettings["profile"];
  if (!LOAD_PROFILES.includes(profile)) throw new CliError(`--profile: expected one of ${LOAD_PROFILES.join(", ")}, got "${profile}"`, "usage");
  const flagThresholds = raw.threshold as string[] | undefined;
  for (const expression of flagThresholds ?? []) checkThreshold(expression, "--threshold");
  const server = str("server") ?? top.server ?? (env.SENTINEL_SERVER || undefined);
  const token = str("token") ?? top.token ?? (env.SENTINEL_TOKEN || undefined);
  if (server && !token) throw new CliError("--server needs --token (or SENTINEL_TOKEN)", "usage");
  const identities = buildIdentities({
    configIdentities: config.identities,
    configHeaders: config.headers,
    identityFlags: raw.identity as string[] | undefined,
    headerFlags: raw.header as string[] | undefined,
  });
  // flags win over load:, which wins over the top level (timeout and quiet are shared with run)
  const pick = <T>(flag: string, parse: (v: string) => T, fromConfig: T | undefined): T | undefined => (str(flag) !== undefined ? parse(str(flag)!) : fromConfig);
  const rate = pick("rate", (v) => parseNumber(v, "--rate"), load.rate);
  const durationS = pick("duration", (v) => parseDuration(v, "--duration"), load.durationS);
  const rampS = pick("ramp", (v) => parseDuration(v, "--ramp"), load.rampS);
  const maxInFlight = pick("max-in-flight", (v) => parseInteger(v, "--max-in-flight"), load.maxInFlight);
  const regions = pick("regions", (v) => parseList(v, "--regions"), load.regions);
  const timeoutMs = pick("timeout", (v) => parseInteger(v, "--timeout"), load.timeoutMs ?? top.timeoutMs);
  const stateDir = abs(str("state-dir")) ?? top.stateDir;
  return {
    spec,
    target,
    operations: (raw.operation as string[] | undefined) ?? load.operations ?? [],
    profile,
    ...(rate !== undefined ? { rate } : {}),
    ...(durationS !== undefined ? { durationS } : {}),
    ...(rampS !== undefined ? { rampS } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(regions !== undefined ? { regions } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    thresholds: flagThresholds ?? load.thresholds ?? [],
    abortOnFail: raw["abort-on-fail"] === true || (load.abortOnFail ?? false),
    allowWrites: raw["allow-writes"] === true || (load.allowWrites ?? false),
    ...(identities ? { identities } : {}),
    reports: { json: abs(str("report-json")) ?? load.reports?.json, html: abs(str("html")) ?? load.reports?.html, junit: abs(str("junit")) ?? load.reports?.junit },
    ...(server ? { server, token } : {}),
    ...(stateDir ? { stateDir } : {}),
    quiet: raw.quiet === true || (top.quiet ?? false),
    ...(configFile ? { configFile } : {}),
  };
}

export function loadHelp(): string {
  const rows = Object.entries(LOAD_FLAGS).map(([flag, def]) => [`--${flag}${def.arg ? ` ${def.arg}` : ""}`, def.help]);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    "Usage: sentinel load --spec <file|url> --target <url> [options]",
    "",
    "Load and latency test: open-model arrivals at --rate, from one or more regions, latency measured",
    "from each request's intended send time (corrected for coordinated omission), thresholds judged on",
    "merged HDR histograms. Without --server it starts the embedded local platform.",
    "",
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
    "",
    "Exit codes: 0 every threshold holds, 1 a threshold failed (or the target went into distress),",
    "            2 usage, spec or infrastructure error.",
  ].join("\n");
}
