/**
 * The settings of one `sentinel run`: flags over the config file over environment defaults
 * (SENTINEL_SERVER, SENTINEL_TOKEN), checked once so that every mistake is a usage error
 * (exit 2) before anything starts.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { LIMIT_BOUNDS } from "../../workers/model";
import { loadConfigFile, type LoadedConfig } from "./config";
import { CliError } from "./exit-codes";
import { buildIdentities, parseRoles, type Identities } from "./identities";
import type { AuthConfig } from "./preflight";
import type { FailOn, ReportPaths, RunFlags } from "./options";
import type { LlmRunRequest } from "../../workers/model";
import { keysFromEnv, KEY_VARIABLES, parseModelRef } from "../../workers/ai/config";

/** --llm & co. (flags over sentinel.yaml) → the run's LLM settings; keys only from the environment. */
export function resolveLlm(pick: <K extends keyof RunFlags>(key: K) => RunFlags[K], env: Record<string, string | undefined>): LlmRunRequest | undefined {
  if (pick("noLlm")) return undefined;
  const spec = pick("llm");
  if (!spec) {
    for (const flag of ["llmBaseUrl", "llmFallback", "llmBudgetTokens", "llmBudgetUsd"] as const) {
      if (pick(flag) !== undefined) throw new CliError("--llm-base-url, --llm-fallback and --llm-budget-* need --llm PROVIDER:MODEL", "usage");
    }
    return undefined;
  }
  const ref = (text: string, flag: string) => {
    try {
      return parseModelRef(text);
    } catch (error) {
      throw new CliError(`${flag}: ${(error as Error).message}`, "usage");
    }
  };
  const primary = ref(spec, "--llm");
  const baseUrl = pick("llmBaseUrl");
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) throw new CliError(`--llm-base-url "${baseUrl}" is not an http(s) URL`, "usage");
  if (primary.provider === "openai-compatible" && !baseUrl) throw new CliError("--llm openai-compatible:… needs --llm-base-url (e.g. http://127.0.0.1:11434/v1 for Ollama)", "usage");
  const fallback = (pick("llmFallback") ?? []).map((f) => ref(f, "--llm-fallback"));
  const chain = [primary, ...fallback];
  const apiKeys = keysFromEnv(chain.map((r) => r.provider), env);
  for (const r of chain) {
    if ((r.provider === "anthropic" || r.provider === "openai") && !apiKeys[r.provider]) {
      throw new CliError(`--llm ${r.provider}:${r.model} needs ${KEY_VARIABLES[r.provider].join(" or ")} in the environment (keys are never flags)`, "usage");
    }
  }
  const budgetTokens = pick("llmBudgetTokens");
  const budgetUsd = pick("llmBudgetUsd");
  return {
    ...primary,
    ...(baseUrl ? { baseUrl } : {}),
    ...(fallback.length > 0 ? { fallback } : {}),
    ...(budgetTokens !== undefined ? { budgetTokens } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(Object.keys(apiKeys).length > 0 ? { apiKeys } : {}),
  };
}

export interface RunLimitsRequest {
  maxResponseTimeMs?: number;
  timeoutMs?: number;
  deadlineMs?: number;
  concurrency?: number;
  maxCases?: number;
  rps?: number;
  circuitBreaker?: number;
}

export interface RunSettings {
  /** absolute file path or http(s) URL */
  spec: string;
  target: string;
  identities?: Identities;
  /** identity name → its declared role (--role, sentinel.yaml roles:) */
  roles?: Record<string, string>;
  /** sentinel.yaml auth: users to provision when no identity is given */
  auth?: AuthConfig;
  agents?: string[];
  /** operation filters (flags replace the config file's list) */
  include?: string[];
  exclude?: string[];
  allowDestructive: boolean;
  /** false: no burst of failed sign-ins (auth_rate_limit) */
  authBurst: boolean;
  seed?: number;
  limits: RunLimitsRequest;
  /** absolute paths */
  reports: ReportPaths;
  failOn: FailOn;
  server?: string;
  token?: string;
  name?: string;
  /** local mode: where the platform keeps D1/R2/DO data; undefined = a temporary directory */
  stateDir?: string;
  quiet: boolean;
  /** the config file that was read, if any */
  configFile?: string;
  /** things the user should know before the run starts (printed on stderr) */
  warnings: string[];
  /** the AI layer's settings with keys from the environment (undefined: no LLM) */
  llm?: LlmRunRequest;
}

export const DEFAULT_CONFIG_NAMES = ["sentinel.yaml", "sentinel.yml"];

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
};

function checkRange(value: number | undefined, bounds: readonly [number, number], flag: string): void {
  if (value !== undefined && (value < bounds[0] || value > bounds[1])) throw new CliError(`${flag} must be between ${bounds[0]} and ${bounds[1]}, got ${value}`, "usage");
}

export function resolveSettings(flags: RunFlags, cwd: string = process.cwd(), env: Record<string, string | undefined> = process.env): RunSettings {
  let configFile = flags.config ? path.resolve(cwd, flags.config) : DEFAULT_CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => existsSync(f));
  if (flags.config && !existsSync(configFile!)) throw new CliError(`config file ${flags.config} not found`, "usage");
  const config: LoadedConfig = configFile ? loadConfigFile(configFile, env) : { flags: {} };
  if (!configFile) configFile = undefined;

  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const fromFlags: RunFlags = {
    ...flags,
    spec: flags.spec && !isHttpUrl(flags.spec) ? abs(flags.spec) : flags.spec,
    stateDir: abs(flags.stateDir),
    reports: flags.reports ? (Object.fromEntries(Object.entries(flags.reports).map(([k, v]) => [k, abs(v)])) as ReportPaths) : undefined,
  };
  const pick = <K extends keyof RunFlags>(key: K): RunFlags[K] => (fromFlags[key] !== undefined ? fromFlags[key] : config.flags[key]);

  const spec = pick("spec");
  const target = pick("target");
  if (!spec) throw new CliError("--spec is required (a file or an http(s) URL)", "usage");
  if (!target) throw new CliError("--target is required (the base URL of the API under test)", "usage");
  if (!isHttpUrl(target)) throw new CliError(`--target "${target}" is not an http(s) URL`, "usage");

  const server = pick("server") ?? (env.SENTINEL_SERVER || undefined);
  const token = pick("token") ?? (env.SENTINEL_TOKEN || undefined);
  if (server !== undefined && !isHttpUrl(server)) throw new CliError(`--server "${server}" is not an http(s) URL`, "usage");
  if (server !== undefined && !token) throw new CliError("--server needs --token (or SENTINEL_TOKEN): an API key of that Sentinel", "usage");

  const limits: RunLimitsRequest = {};
  for (const key of ["maxResponseTimeMs", "timeoutMs", "deadlineMs", "concurrency", "maxCases", "rps", "circuitBreaker"] as const) {
    const value = pick(key);
    if (value !== undefined) limits[key] = value;
  }
  checkRange(limits.concurrency, LIMIT_BOUNDS.concurrency, "--concurrency");
  checkRange(limits.timeoutMs, LIMIT_BOUNDS.timeoutMs, "--timeout");
  checkRange(limits.deadlineMs, LIMIT_BOUNDS.deadlineMs, "--deadline");
  checkRange(limits.maxCases, LIMIT_BOUNDS.maxCases, "--max-cases");
  checkRange(limits.maxResponseTimeMs, LIMIT_BOUNDS.maxResponseTimeMs, "--max-response-time");
  checkRange(limits.rps, LIMIT_BOUNDS.rps, "--rps");
  checkRange(limits.circuitBreaker, LIMIT_BOUNDS.circuitBreaker, "--circuit-breaker");

  const seed = pick("seed");
  // the API takes 31-bit seeds
  checkRange(seed, [0, 2 ** 31 - 1], "--seed");

  const warnings: string[] = [];
  const identities = buildIdentities(
    {
      configIdentities: config.identities,
      configHeaders: config.headers,
      identityFlags: flags.identities,
      headerFlags: flags.headers,
    },
    (line) => warnings.push(line),
  );

  const roles = parseRoles([...(config.flags.roles ?? []), ...(fromFlags.roles ?? [])], identities);

  const keepState = pick("keepState") ?? false;
  const stateDir = pick("stateDir") ?? (keepState ? path.join(cwd, ".sentinel") : undefined);

  const llm = resolveLlm(pick, env);

  return {
    llm,
    spec,
    target,
    identities,
    ...(roles ? { roles } : {}),
    ...(config.auth ? { auth: config.auth } : {}),
    agents: pick("agents"),
    include: pick("include"),
    exclude: pick("exclude"),
    allowDestructive: pick("allowDestructive") ?? false,
    authBurst: pick("authBurst") ?? true,
    seed,
    limits,
    reports: { ...config.flags.reports, ...fromFlags.reports },
    failOn: pick("failOn") ?? "low",
    server: server?.replace(/\/+$/, ""),
    token,
    name: pick("name"),
    stateDir,
    quiet: pick("quiet") ?? false,
    configFile,
    warnings,
  };
}
