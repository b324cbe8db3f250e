/**
 * The `load:` section of sentinel.yaml: the settings of `sentinel load` (flags override them).
 * Keys in kebab-case or camelCase; an unknown key, or a value of the wrong kind, is a usage error
 * naming its path (`sentinel.yaml: load.max-in-flght: unknown setting …`).
 */
import { parseThreshold, ThresholdError } from "../../workers/load/thresholds";
import { CliError } from "./exit-codes";
import { parseInteger, parseList, parseNumber } from "./options";

export const LOAD_PROFILES = ["load", "stress", "spike", "soak"] as const;
export type LoadProfileName = (typeof LOAD_PROFILES)[number];

export interface LoadConfig {
  operations?: string[];
  profile?: LoadProfileName;
  rate?: number;
  durationS?: number;
  rampS?: number;
  maxInFlight?: number;
  regions?: string[];
  thresholds?: string[];
  abortOnFail?: boolean;
  allowWrites?: boolean;
  timeoutMs?: number;
  /** absolute paths */
  reports?: { json?: string; html?: string; junit?: string };
}

const KEYS = ["operations", "profile", "rate", "duration", "ramp", "maxInFlight", "regions", "thresholds", "abortOnFail", "allowWrites", "timeout", "reports"] as const;
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** "30s", "2m", "500ms", "1h" or a number of seconds → seconds. */
export function parseDuration(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  const m = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value) : null;
  if (!m) throw new CliError(`${what}: expected a duration such as 30s, 2m or 500ms, got ${JSON.stringify(value)}`, "usage");
  const n = Number(m[1]);
  return m[2] === "ms" ? n / 1000 : m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : n;
}

/** A threshold expression checked before anything starts; the error points at the character. */
export function checkThreshold(expression: string, what: string): void {
  try {
    parseThreshold(expression);
  } catch (error) {
    if (error instanceof ThresholdError) throw new CliError(`${what} ${error.message}`, "usage", [`  ${expression}`, `  ${" ".repeat(error.position - 1)}^`]);
    throw error;
  }
}

function strings(value: unknown, what: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0 || items.some((v) => (typeof v !== "string" && typeof v !== "number") || String(v).trim() === "")) throw new CliError(`${what}: expected a string or a list of strings`, "usage");
  return items.map((v) => String(v).trim());
}

/** `regions: [weur, wnam]`, `regions: weur,wnam` or weighted `regions: { weur: 70, wnam: 30 }`. */
function regionList(value: unknown, what: string): string[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).map(([region, weight]) => `${region}:${parseNumber(weight, `${what}.${region}`)}`);
  }
  return Array.isArray(value) ? strings(value, what) : parseList(value, what);
}

export function loadSection(value: unknown, where: string, rel: (p: string) => string): LoadConfig {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliError(`${where}: load must be a mapping of settings (rate, duration, thresholds …)`, "usage");
  const out: LoadConfig = {};
  for (const [rawKey, v] of Object.entries(value as Record<string, unknown>)) {
    const key = camel(rawKey);
    const what = `${where}: load.${rawKey}`;
    if (v === null || v === undefined) continue;
    const bool = () => {
      if (typeof v !== "boolean") throw new CliError(`${what} must be true or false`, "usage");
      return v;
    };
    switch (key as (typeof KEYS)[number] | "timeoutMs" | "operation" | "threshold" | "region") {
      case "operations":
      case "operation":
        out.operations = strings(v, what);
        break;
      case "profile":
        if (!(LOAD_PROFILES as readonly unknown[]).includes(v)) throw new CliError(`${what}: expected one of ${LOAD_PROFILES.join(", ")}, got ${JSON.stringify(v)}`, "usage");
        out.profile = v as LoadProfileName;
        break;
      case "rate":
        out.rate = parseNumber(v, what);
        break;
      case "duration":
        out.durationS = parseDuration(v, what);
        break;
      case "ramp":
        out.rampS = parseDuration(v, what);
        break;
      case "maxInFlight":
        out.maxInFlight = parseInteger(v, what);
        break;
      case "regions":
      case "region":
        out.regions = regionList(v, what);
        break;
      case "thresholds":
      case "threshold":
        out.thresholds = strings(v, what);
        out.thresholds.forEach((t, i) => checkThreshold(t, `${what}[${i}]`));
        break;
      case "abortOnFail":
        out.abortOnFail = bool();
        break;
      case "allowWrites":
        out.allowWrites = bool();
        break;
      case "timeout":
      case "timeoutMs":
        out.timeoutMs = parseInteger(v, what);
        break;
      case "reports": {
        if (typeof v !== "object" || Array.isArray(v)) throw new CliError(`${what} must map formats (json, html, junit) to files`, "usage");
        for (const [format, file] of Object.entries(v as Record<string, unknown>)) {
          const slot = ({ json: "json", reportJson: "json", html: "html", junit: "junit" } as const)[camel(format) as "json"];
          if (!slot) throw new CliError(`${what}.${format}: unknown format (json, html, junit)`, "usage");
          if (typeof file !== "string" || file === "") throw new CliError(`${what}.${format} must be a file name`, "usage");
          out.reports = { ...out.reports, [slot]: rel(file) };
        }
        break;
      }
      default:
        throw new CliError(`${what}: unknown setting (known: ${KEYS.map(kebab).join(", ")})`, "usage");
    }
  }
  return out;
}
