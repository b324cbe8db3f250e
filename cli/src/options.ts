/**
 * Command-line parsing for `sentinel run`: a table of flags (read by node:util parseArgs in
 * flags.ts), repeatable flags, and one error message per mistake (exit 2).
 */
import { SEVERITIES, type Severity } from "../../workers/model";
import { CliError } from "./exit-codes";
import { readFlags } from "./flags";

export type FailOn = Severity | "none";
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, "none"];

export interface ReportPaths {
  json?: string;
  junit?: string;
  sarif?: string;
  html?: string;
  markdown?: string;
  har?: string;
}

/** What flags (and the config file) can set; everything optional until merged. */
export interface RunFlags {
  spec?: string;
  target?: string;
  headers?: string[];
  identities?: string[];
  /** "name:role" per identity (sentinel.yaml `roles:` map) */
  roles?: string[];
  agents?: string[];
  include?: string[];
  exclude?: string[];
  allowDestructive?: boolean;
  /** the burst of failed sign-ins that looks for a missing rate limit (default on) */
  authBurst?: boolean;
  seed?: number;
  maxResponseTimeMs?: number;
  timeoutMs?: number;
  deadlineMs?: number;
  concurrency?: number;
  maxCases?: number;
  rps?: number;
  circuitBreaker?: number;
  reports?: ReportPaths;
  failOn?: FailOn;
  server?: string;
  token?: string;
  config?: string;
  name?: string;
  keepState?: boolean;
  stateDir?: string;
  quiet?: boolean;
  /** AI layer: PROVIDER:MODEL, base URL, fallbacks, budgets; --no-llm turns it off */
  llm?: string;
  llmBaseUrl?: string;
  llmFallback?: string[];
  llmBudgetTokens?: number;
  llmBudgetUsd?: number;
  noLlm?: boolean;
}

type Kind = "string" | "int" | "number" | "list" | "repeat" | "bool" | "severity" | "report";

interface FlagDef {
  key: keyof RunFlags | `reports.${keyof ReportPaths}`;
  kind: Kind;
  arg?: string;
  help: string;
}

export const RUN_FLAGS: Record<string, FlagDef> = {
  spec: { key: "spec", kind: "string", arg: "file|url", help: "OpenAPI 3.x / Swagger 2.0 document (JSON or YAML)" },
  target: { key: "target", kind: "string", arg: "url", help: "base URL of the API under test" },
  header: { key: "headers", kind: "repeat", arg: '"Name: value"', help: "header sent with every request (every identity); repeatable" },
  identity: { key: "identities", kind: "repeat", arg: '"name:Name: value"', help: "a header of a named identity; two identities enable BOLA/BFLA probes; repeatable" },
  role: { key: "roles", kind: "repeat", arg: '"name:role"', help: "an identity's role (owner, respondent …): identities of the first one's role are its peers, BFLA calls privileged operations as one of another role; default: the role its profile names; repeatable" },
  agents: { key: "agents", kind: "list", arg: "a,b,…", help: "agents to run (default: all)" },
  include: { key: "include", kind: "repeat", arg: "filter", help: 'test only matching operations: operationId, METHOD, "METHOD /path/glob*", /path/glob* or tag:name; repeatable' },
  exclude: { key: "exclude", kind: "repeat", arg: "filter", help: "skip matching operations (same forms as --include; exclude wins); repeatable" },
  "allow-destructive": { key: "allowDestructive", kind: "bool", help: "also test destructive operations (reset, seed, purge, DELETE on a collection …): alone, after every other case" },
  "auth-burst": { key: "authBurst", kind: "bool", help: "the burst of 40 failed sign-ins (run last, alone) that looks for a missing rate limit on the login; on by default, --no-auth-burst leaves it out" },
  seed: { key: "seed", kind: "int", arg: "n", help: "seed for reproducible cases" },
  "max-response-time": { key: "maxResponseTimeMs", kind: "int", arg: "ms", help: "responses slower than this are findings (max_response_time)" },
  timeout: { key: "timeoutMs", kind: "int", arg: "ms", help: "timeout of each request sent to the target" },
  deadline: { key: "deadlineMs", kind: "int", arg: "ms", help: "time limit of the whole run" },
  concurrency: { key: "concurrency", kind: "int", arg: "n", help: "requests in flight per executor (1-6)" },
  "max-cases": { key: "maxCases", kind: "int", arg: "n", help: "at most this many cases" },
  rps: { key: "rps", kind: "number", arg: "n", help: "requests per second cap" },
  "circuit-breaker": { key: "circuitBreaker", kind: "int", arg: "n", help: "stop the run after n connection failures or timeouts in a row when probes find the target dead (default 5, 0 = never)" },
  "report-json": { key: "reports.json", kind: "report", arg: "file", help: "write the JSON report" },
  junit: { key: "reports.junit", kind: "report", arg: "file", help: "write JUnit XML" },
  sarif: { key: "reports.sarif", kind: "report", arg: "file", help: "write SARIF 2.1.0" },
  html: { key: "reports.html", kind: "report", arg: "file", help: "write a self-contained HTML report" },
  markdown: { key: "reports.markdown", kind: "report", arg: "file", help: "write a Markdown summary (PR comment)" },
  har: { key: "reports.har", kind: "report", arg: "file", help: "write a HAR 1.2 archive of the requests" },
  "fail-on": { key: "failOn", kind: "severity", arg: "severity", help: `exit 1 when a finding is at or above it: ${FAIL_ON_VALUES.join("|")} (default low)` },
  server: { key: "server", kind: "string", arg: "url", help: "use a running Sentinel instead of the embedded local platform (env SENTINEL_SERVER)" },
  token: { key: "token", kind: "string", arg: "key", help: "API key for --server (env SENTINEL_TOKEN)" },
  config: { key: "config", kind: "string", arg: "file", help: "sentinel.yaml with any of these settings; ${ENV_VAR} is substituted; flags win" },
  name: { key: "name", kind: "string", arg: "name", help: "spec name on the server (default: the spec's title)" },
  "keep-state": { key: "keepState", kind: "bool", help: "local mode: keep the platform's data in .sentinel/ (default: a temporary directory)" },
  "state-dir": { key: "stateDir", kind: "string", arg: "dir", help: "local mode: keep the platform's data in this directory" },
  quiet: { key: "quiet", kind: "bool", help: "no progress or log lines on stderr" },
  llm: { key: "llm", kind: "string", arg: "provider:model", help: "AI layer: anthropic | openai | openai-compatible | workers-ai, e.g. openai:gpt-4o-mini (keys from ANTHROPIC_API_KEY, OPENAI_API_KEY or SENTINEL_LLM_API_KEY)" },
  "llm-base-url": { key: "llmBaseUrl", kind: "string", arg: "url", help: "base URL of an OpenAI-compatible server (Ollama, vLLM, LM Studio, Groq …)" },
  "llm-fallback": { key: "llmFallback", kind: "repeat", arg: "provider:model", help: "model tried when the previous one fails; repeatable" },
  "llm-budget-tokens": { key: "llmBudgetTokens", kind: "int", arg: "n", help: "the run's LLM budget in tokens (default 200000)" },
  "llm-budget-usd": { key: "llmBudgetUsd", kind: "number", arg: "x", help: "the run's LLM budget in USD (price table per model)" },
  "no-llm": { key: "noLlm", kind: "bool", help: "no LLM for this run, even if sentinel.yaml sets one" },
};

export interface ParsedCommand {
  command: "run" | "help" | "version" | "llm";
  /** `sentinel llm use|check …`: the subcommand and its arguments */
  llm?: { action: string; args: string[] };
  flags: RunFlags;
  /** `sentinel run --help` */
  help?: boolean;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { command: "help", flags: {} };
  if (command === "version" || command === "--version" || command === "-v") return { command: "version", flags: {} };
  if (command === "llm") {
    const [action = "", ...args] = rest;
    if (action !== "use" && action !== "check") throw new CliError(`sentinel llm: expected "use PROVIDER:MODEL" or "check" (got "${action}")`, "usage");
    return { command: "llm", flags: {}, llm: { action, args } };
  }
  if (command !== "run") throw new CliError(`unknown command "${command}" (try: sentinel run --help)`, "usage");
  if (rest.includes("--help") || rest.includes("-h")) return { command: "run", flags: {}, help: true };
  return { command: "run", flags: parseRunFlags(rest) };
}

export function parseRunFlags(args: readonly string[]): RunFlags {
  return readRunFlags(args, RUN_FLAGS, (name) => `unknown flag --${name}${suggest(name)}`);
}

/**
 * A command that takes a few of run's flags (`sentinel llm use|check`): only `names` are read, any
 * other flag, run's included, is a usage error for `command`.
 */
export function parseRunFlagsOf(args: readonly string[], names: readonly (keyof typeof RUN_FLAGS)[], command: string): RunFlags {
  const table = Object.fromEntries(names.map((name) => [name, RUN_FLAGS[name]]));
  return readRunFlags(args, table, (name) => `unknown flag --${name} for ${command} (its flags: ${names.map((n) => `--${n}`).join(", ")})`);
}

function readRunFlags(args: readonly string[], table: Record<string, FlagDef>, unknown: (name: string) => string): RunFlags {
  const flags: RunFlags = {};
  for (const { flag, name, value } of readFlags(args, table, { negation: true, unknown })) assign(flags, table[flag], name, value);
  return flags;
}

/** `  --flag arg   help` lines, aligned, for a command's help; `help` overrides a flag's text there. */
export function flagLines(names: readonly (keyof typeof RUN_FLAGS)[], help: Partial<Record<string, string>> = {}): string[] {
  const rows = names.map((flag) => [`--${flag}${RUN_FLAGS[flag].arg ? ` ${RUN_FLAGS[flag].arg}` : ""}`, help[flag] ?? RUN_FLAGS[flag].help]);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`);
}

function assign(flags: RunFlags, def: FlagDef, name: string, value: string): void {
  const target = flags as Record<string, unknown>;
  switch (def.kind) {
    case "string":
      if (value === "") throw new CliError(`--${name} may not be empty`, "usage");
      target[def.key] = value;
      return;
    case "int":
      target[def.key] = parseInteger(value, `--${name}`);
      return;
    case "number":
      target[def.key] = parseNumber(value, `--${name}`);
      return;
    case "list":
      target[def.key] = parseList(value, `--${name}`);
      return;
    case "repeat": {
      const list = (target[def.key] as string[] | undefined) ?? [];
      list.push(value);
      target[def.key] = list;
      return;
    }
    case "bool":
      target[def.key] = value === "true";
      return;
    case "severity":
      target[def.key] = parseFailOn(value, `--${name}`);
      return;
    case "report": {
      if (value === "") throw new CliError(`--${name} needs a file name`, "usage");
      const key = def.key.slice("reports.".length) as keyof ReportPaths;
      flags.reports = { ...flags.reports, [key]: value };
      return;
    }
  }
}

export function parseInteger(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`${what}: expected a whole number ≥ 0, got "${String(value)}"`, "usage");
  return n;
}

export function parseNumber(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${what}: expected a positive number, got "${String(value)}"`, "usage");
  return n;
}

export function parseList(value: unknown, what: string): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [];
  const list = items.map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new CliError(`${what}: expected a comma-separated list`, "usage");
  return list;
}

export function parseFailOn(value: unknown, what: string): FailOn {
  const v = String(value).trim().toLowerCase();
  if (!(FAIL_ON_VALUES as readonly string[]).includes(v)) throw new CliError(`${what}: expected one of ${FAIL_ON_VALUES.join(", ")}, got "${String(value)}"`, "usage");
  return v as FailOn;
}

function suggest(name: string): string {
  const close = Object.keys(RUN_FLAGS).find((flag) => flag.startsWith(name.slice(0, 3)) || name.startsWith(flag));
  return close ? ` (did you mean --${close}?)` : "";
}

export function runHelp(): string {
  return [
    "Usage: sentinel run --spec <file|url> --target <url> [options]",
    "",
    "Tests an HTTP API from its OpenAPI description. Without --server it starts the embedded",
    "local platform (wrangler dev on loopback) and stops it afterwards.",
    "",
    ...flagLines(Object.keys(RUN_FLAGS)),
    "",
    "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,",
    "            2 usage, spec or infrastructure error.",
  ].join("\n");
}

export function mainHelp(): string {
  return ["Usage: sentinel <command>", "", "Commands:", "  run       test an API from its OpenAPI description (sentinel run --help)",
    "  load      load and latency test from one or more regions (sentinel load --help)",
    "  llm use PROVIDER:MODEL    write the AI layer's model into sentinel.yaml (sentinel llm --help)",
    "  llm check                 one tiny structured call: model, latency, structured output ok",
    "  oracles list|accept|reject --spec <file|name>  the spec's LLM oracles and inferred invariants (sentinel oracles --help)",
    "  version   print the version", ""].join("\n");
}
