/**
 * sentinel.yaml: every `sentinel run` flag as a YAML key (kebab-case or camelCase), identities
 * and headers as maps, report files under `reports:`, `sentinel load`'s settings under `load:`. `${ENV_VAR}` (or `${ENV_VAR:-default}`)
 * in any string value is replaced after parsing, so a variable can never inject YAML structure;
 * `$${` stands for a literal `${`. Relative paths are relative to the config file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { CliError } from "./exit-codes";
import type { Identities } from "./identities";
import { loadSection, type LoadConfig } from "./load-config";
import type { AuthConfig } from "./preflight";
import { parseFailOn, parseInteger, parseList, parseNumber, type ReportPaths, type RunFlags } from "./options";

export interface LoadedConfig {
  flags: RunFlags;
  /** identity name → header → value */
  identities?: Identities;
  /** headers for every identity */
  headers?: Record<string, string>;
  /** `load:`: the settings of `sentinel load` (ignored by `sentinel run`) */
  load?: LoadConfig;
  /** how to make users (signup/login) when no identity is given */
  auth?: AuthConfig;
}

const AUTH_PLACEHOLDERS = new Set(["random", "username", "email", "password", "token", "refreshToken", "refresh_token"]);
const ENV_REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces ${VAR} / ${VAR:-default} in one string; a missing variable without default is an error. */
export function substituteEnv(text: string, env: Record<string, string | undefined>, where: string): string {
  return text.replace(ENV_REF, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === "$${") return "${";
    // per-user values of the auth: flow, filled by Sentinel, not by the environment
    if (name !== undefined && AUTH_PLACEHOLDERS.has(name)) return match;
    const value = env[name!];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    throw new CliError(`${where}: environment variable ${name} is not set`, "usage");
  });
}

function substituteDeep(value: unknown, env: Record<string, string | undefined>, where: string): unknown {
  if (typeof value === "string") return substituteEnv(value, env, where);
  if (Array.isArray(value)) return value.map((v, i) => substituteDeep(v, env, `${where}[${i}]`));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, env, `${where}.${k}`)]));
  }
  return value;
}

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const REPORT_KEYS: Record<string, keyof ReportPaths> = {
  json: "json", reportJson: "json", junit: "junit", sarif: "sarif", html: "html", markdown: "markdown", md: "markdown", har: "har",
};

export function loadConfigFile(file: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "usage");
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (err) {
    throw new CliError(`config ${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`, "usage");
  }
  if (raw === null || raw === undefined) return { flags: {} };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new CliError(`config ${file}: expected a mapping of settings at the top level`, "usage");
  return configFromObject(raw as Record<string, unknown>, path.dirname(path.resolve(file)), env, path.basename(file));
}

export function configFromObject(raw: Record<string, unknown>, baseDir: string, env: Record<string, string | undefined>, where = "config"): LoadedConfig {
  const data = substituteDeep(raw, env, where) as Record<string, unknown>;
  const flags: RunFlags = {};
  const out: LoadedConfig = { flags };
  const rel = (p: string) => (path.isAbsolute(p) ? p : path.resolve(baseDir, p));
  const str = (v: unknown, key: string): string => {
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
    throw new CliError(`${where}: "${key}" must be a non-empty string`, "usage");
  };
  const bool = (v: unknown, key: string): boolean => {
    if (typeof v === "boolean") return v;
    throw new CliError(`${where}: "${key}" must be true or false`, "usage");
  };

  for (const [rawKey, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    const key = camel(rawKey);
    const what = `${where}: ${rawKey}`;
    switch (key) {
      case "spec": {
        const s = str(value, rawKey);
        flags.spec = /^https?:\/\//i.test(s) ? s : rel(s);
        break;
      }
      case "target":
      case "server":
      case "token":
      case "name":
        flags[key] = str(value, rawKey);
        break;
      case "stateDir":
        flags.stateDir = rel(str(value, rawKey));
        break;
      case "seed":
        flags.seed = parseInteger(value, what);
        break;
      case "maxResponseTime":
      case "maxResponseTimeMs":
        flags.maxResponseTimeMs = parseInteger(value, what);
        break;
      case "timeout":
      case "timeoutMs":
        flags.timeoutMs = parseInteger(value, what);
        break;
      case "deadline":
      case "deadlineMs":
        flags.deadlineMs = parseInteger(value, what);
        break;
      case "concurrency":
        flags.concurrency = parseInteger(value, what);
        break;
      case "circuitBreaker":
        flags.circuitBreaker = parseInteger(value, what);
        break;
      case "maxCases":
        flags.maxCases = parseInteger(value, what);
        break;
      case "rps":
        flags.rps = parseNumber(value, what);
        break;
      case "agents":
        flags.agents = parseList(value, what);
        break;
      case "include":
      case "exclude":
        flags[key] = filterList(value, what);
        break;
      case "allowDestructive":
        flags.allowDestructive = bool(value, rawKey);
        break;
      case "authBurst":
        flags.authBurst = bool(value, rawKey);
        break;
      case "failOn":
        flags.failOn = parseFailOn(value, what);
        break;
      case "keepState":
        flags.keepState = bool(value, rawKey);
        break;
      case "quiet":
        flags.quiet = bool(value, rawKey);
        break;
      case "llm":
        Object.assign(flags, llmSection(value, what, rel));
        break;
      case "load":
        out.load = loadSection(value, where, rel);
        break;
      case "headers":
      case "header":
        out.headers = { ...out.headers, ...headerMap(value, what) };
        break;
      case "identities":
      case "identity":
        out.identities = identityMap(value, what);
        break;
      case "roles":
      case "role":
        flags.roles = roleList(value, what);
        break;
      case "auth":
        out.auth = authSection(value, what);
        break;
      case "reports": {
        if (typeof value !== "object" || Array.isArray(value)) throw new CliError(`${what} must map formats to files`, "usage");
        for (const [format, file] of Object.entries(value as Record<string, unknown>)) {
          const slot = REPORT_KEYS[camel(format)];
          if (!slot) throw new CliError(`${what}: unknown format "${format}" (json, junit, sarif, html, markdown, har)`, "usage");
          flags.reports = { ...flags.reports, [slot]: rel(str(file, `reports.${format}`)) };
        }
        break;
      }
      default: {
        const slot = REPORT_KEYS[key];
        if (slot && key !== "json" && key !== "md") {
          flags.reports = { ...flags.reports, [slot]: rel(str(value, rawKey)) };
          break;
        }
        throw new CliError(`${where}: unknown setting "${rawKey}"`, "usage");
      }
    }
  }
  return out;
}

/**
 * `llm: openai:gpt-4o-mini` or
 * `llm: { model: openai-compatible:llama3.1, base-url: …, fallback: [anthropic:claude-haiku-4-5], budget-tokens: 100000, budget-usd: 0.5 }`
 * (`provider` + `model` apart work too). Keys never live here: they come from the environment.
 */
function llmSection(value: unknown, what: string, _rel: (p: string) => string): Partial<RunFlags> {
  if (typeof value === "string") return { llm: value };
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliError(`${what} must be PROVIDER:MODEL or a map`, "usage");
  const out: Partial<RunFlags> = {};
  const entries = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), v]));
  for (const key of Object.keys(entries)) {
    if (!["provider", "model", "baseUrl", "fallback", "budgetTokens", "budgetUsd", "enabled", "apiKey", "apiKeys"].includes(key)) throw new CliError(`${what}: unknown setting "${key}"`, "usage");
  }
  if (entries.apiKey !== undefined || entries.apiKeys !== undefined) {
    throw new CliError(`${what}: keys do not belong in sentinel.yaml; set ANTHROPIC_API_KEY, OPENAI_API_KEY or SENTINEL_LLM_API_KEY`, "usage");
  }
  const model = entries.model === undefined ? undefined : String(entries.model);
  if (model !== undefined) out.llm = entries.provider !== undefined && !model.startsWith(`${String(entries.provider)}:`) ? `${String(entries.provider)}:${model}` : model;
  if (entries.baseUrl !== undefined) out.llmBaseUrl = String(entries.baseUrl);
  if (entries.fallback !== undefined) out.llmFallback = (Array.isArray(entries.fallback) ? entries.fallback : [entries.fallback]).map(String);
  if (entries.budgetTokens !== undefined) out.llmBudgetTokens = parseInteger(entries.budgetTokens, `${what}.budget-tokens`);
  if (entries.budgetUsd !== undefined) out.llmBudgetUsd = parseNumber(entries.budgetUsd, `${what}.budget-usd`);
  if (entries.enabled === false) out.noLlm = true;
  return out;
}

/** A list of operation filters (or one filter as a string); commas may be part of a filter, so no splitting. */
function filterList(value: unknown, what: string): string[] {
  const items = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "string" || typeof v === "number" ? String(v).trim() : ""));
  if (items.length === 0 || items.some((v) => v === "")) throw new CliError(`${what}: expected a list of filters (operationId, METHOD, "METHOD /path", /path or tag:name)`, "usage");
  return items;
}

/** `{ X-Env: ci }` or `["X-Env: ci"]` */
function headerMap(value: unknown, what: string): Record<string, string> {
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const item of value) {
      const text = String(item);
      const colon = text.indexOf(":");
      if (colon <= 0) throw new CliError(`${what}: "${text}" is not "Name: value"`, "usage");
      out[text.slice(0, colon).trim()] = text.slice(colon + 1).trim();
    }
    return out;
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  throw new CliError(`${what} must be a map of header names to values`, "usage");
}

/** `roles: { olivia: owner, rhea: respondent }` → ["olivia:owner", "rhea:respondent"] (the --role form) */
function roleList(value: unknown, what: string): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliError(`${what} must map identity names to roles`, "usage");
  return Object.entries(value as Record<string, unknown>).map(([name, role]) => {
    if (typeof role !== "string" && typeof role !== "number" && typeof role !== "boolean") throw new CliError(`${what}.${name} must be a role name`, "usage");
    return `${name}:${String(role)}`;
  });
}

/** `{ alice: { Authorization: Bearer … } }` */
function identityMap(value: unknown, what: string): Identities {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliError(`${what} must map identity names to header maps`, "usage");
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, headers]) => [name, headerMap(headers, `${what}.${name}`)]));
}

/**
 * `auth: { signup: { operation, body }, login: { operation, body, token }, refresh: { operation,
 * body, token, refresh_token }, header, users }`: `${random}` in a body is one run-unique value per
 * user; a login body may name the signup's `${username}`, `${email}`, `${password}`; a refresh body
 * `${refreshToken}` (the refresh token found at `refresh_token`, a JSON pointer into the login's
 * answer); `token` is a JSON pointer ("/token") or a header name.
 */
function authSection(value: unknown, what: string): AuthConfig {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliError(`${what} must be a map (signup, login, header, users)`, "usage");
  const entries = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), v]));
  const out: AuthConfig = {};
  for (const [key, v] of Object.entries(entries)) {
    if (key === "signup" || key === "login" || key === "refresh") {
      const allowed = ["operation", "body", ...(key !== "signup" ? ["token"] : []), ...(key === "refresh" ? ["refreshToken"] : [])];
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new CliError(`${what}.${key} must be a map (${allowed.join(", ")})`, "usage");
      const norm = (k: string) => k.replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
      for (const k of Object.keys(v)) if (!allowed.includes(norm(k))) throw new CliError(`${what}.${key}: unknown setting "${k}"`, "usage");
      const step = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [norm(k), x]));
      if (typeof step.operation !== "string" || step.operation === "") throw new CliError(`${what}.${key}.operation must name an operation (operationId or "METHOD /path")`, "usage");
      if (step.token !== undefined && typeof step.token !== "string") throw new CliError(`${what}.${key}.token must be a JSON pointer ("/token") or a header name`, "usage");
      if (step.refreshToken !== undefined && typeof step.refreshToken !== "string") throw new CliError(`${what}.refresh.refresh_token must be a JSON pointer ("/refresh_token") into the login's answer`, "usage");
      const parsed = { operation: step.operation, ...(step.body !== undefined ? { body: step.body } : {}), ...(typeof step.token === "string" ? { token: step.token } : {}) };
      if (key === "refresh") out.refresh = { ...parsed, ...(typeof step.refreshToken === "string" ? { refreshToken: step.refreshToken } : {}) };
      else out[key] = parsed;
    } else if (key === "header") {
      if (typeof v !== "string" || !v.includes("${token}")) throw new CliError(`${what}.header must be "Header-Name: [prefix ]\${token}"`, "usage");
      out.header = v;
    } else if (key === "users") {
      out.users = parseInteger(v, `${what}.users`);
      if (out.users < 1 || out.users > 5) throw new CliError(`${what}.users must be between 1 and 5`, "usage");
    } else if (key === "clients") {
      out.clients = clientsSection(v, `${what}.clients`);
    } else throw new CliError(`${what}: unknown setting "${key}" (signup, login, refresh, header, users, clients)`, "usage");
  }
  if (!out.signup && !out.login && !out.clients) throw new CliError(`${what} needs signup, login or clients`, "usage");
  return out;
}

/** `clients: { northside: { client-id: …, client-secret: ${NS_SECRET}, scope: "a b" } }`: OAuth2 client-credentials identities. */
function clientsSection(value: unknown, what: string): NonNullable<AuthConfig["clients"]> {
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.keys(value).length === 0) throw new CliError(`${what} must map identity names to { client-id, client-secret, scope? }`, "usage");
  const out: NonNullable<AuthConfig["clients"]> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new CliError(`${what}.${name} must be a map (client-id, client-secret, scope)`, "usage");
    const entries = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [camel(k), v]));
    for (const k of Object.keys(entries)) if (!["clientId", "clientSecret", "scope"].includes(k)) throw new CliError(`${what}.${name}: unknown setting "${k}" (client-id, client-secret, scope)`, "usage");
    if (typeof entries.clientId !== "string" || entries.clientId === "" || typeof entries.clientSecret !== "string" || entries.clientSecret === "") throw new CliError(`${what}.${name} needs client-id and client-secret (the secret from the environment: \${VAR})`, "usage");
    out[name] = { clientId: entries.clientId, clientSecret: entries.clientSecret, ...(typeof entries.scope === "string" && entries.scope !== "" ? { scope: entries.scope } : {}) };
  }
  return out;
}
