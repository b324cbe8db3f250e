/**
 * Realistic values for string formats and for property/parameter names that say what they hold
 * (email, phone, country ...), plus deliberately malformed values per format for negative tests.
 */
import type { Rng } from "./random";

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

export function uuidV4(rng: Rng): string {
  const h = rng.hex(32).split("");
  h[12] = "4";
  h[16] = "89ab"[rng.int(0, 3)];
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function date(rng: Rng): string {
  return `${rng.int(2020, 2025)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

function time(rng: Rng): string {
  return `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}Z`;
}

function base64(text: string): string {
  return btoa(text);
}

/**
 * Formats that make a string the text of a number: protobuf's JSON mapping (grpc-gateway, Google
 * APIs) writes 64-bit integers as `type: string, format: int64` so that JavaScript keeps them exact,
 * and decimals travel as strings for the same reason.
 */
const NUMERIC_STRING_FORMATS = new Set(["int32", "int64", "uint32", "uint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "sint32", "sint64", "integer", "long", "double", "float", "decimal", "number"]);

/** Whether a string of this format holds a number written as text. */
export function isNumericStringFormat(format: unknown): boolean {
  return typeof format === "string" && NUMERIC_STRING_FORMATS.has(format.toLowerCase());
}

/** A valid value for a string format, or undefined for formats we do not know. */
export function formatValue(format: string, rng: Rng): string | undefined {
  if (isNumericStringFormat(format)) return String(rng.int(1, 99999));
  switch (format.toLowerCase()) {
    case "email":
    case "idn-email":
      return `sentinel.${rng.alnum(6)}@example.com`;
    case "uuid":
    case "guid":
      return uuidV4(rng);
    case "date":
      return date(rng);
    case "date-time":
    case "datetime":
      return `${date(rng)}T${time(rng)}`;
    case "time":
      return time(rng);
    case "uri":
    case "url":
    case "iri":
      return `https://example.com/sentinel/${rng.alnum(6)}`;
    case "uri-reference":
    case "iri-reference":
      return `/sentinel/${rng.alnum(6)}`;
    case "hostname":
    case "idn-hostname":
      return `sentinel-${rng.alnum(6)}.example.com`;
    case "ipv4":
      return `192.0.2.${rng.int(1, 254)}`;
    case "ipv6":
      return `2001:db8::${rng.hex(4)}`;
    case "byte":
      return base64(`sentinel-${rng.alnum(6)}`);
    case "binary":
      return `sentinel-binary-${rng.alnum(6)}`;
    case "password":
      return `S3ntinel!${rng.alnum(6)}`;
    case "duration":
      return `P${rng.int(1, 9)}D`;
    case "regex":
      return "^[a-z]+$";
    case "json-pointer":
      return `/sentinel/${rng.int(0, 9)}`;
    case "phone":
    case "tel":
      return `+1415555${pad(rng.int(0, 9999), 4)}`;
    case "country-code":
      return "US";
    case "currency":
      return "USD";
    default:
      return undefined;
  }
}




/** A value that violates the format, for negative tests (always `weak`: servers often do not check). */
export function invalidFormatValue(format: string): string | undefined {
  if (isNumericStringFormat(format)) return "sentinel-nan";
  switch (format.toLowerCase()) {
    case "email":
      return "not-an-email";
    case "uuid":
      return "not-a-uuid";
    case "date":
      return "2024-13-45";
    case "date-time":
      return "not-a-date-time";
    case "time":
      return "25:61:61";
    case "uri":
    case "url":
      return "not a uri";
    case "hostname":
      return "-invalid-host-";
    case "ipv4":
      return "999.999.999.999";
    case "ipv6":
      return "not:an:ipv6";
    case "byte":
      return "@@not base64@@";
    case "duration":
      return "one day";
    default:
      return undefined;
  }
}

/**
 * A plain string whose prose says it holds JSON ("A JSON array of image transformations", "a
 * JSON-encoded object"): the smallest JSON text of that kind. A generated word there breaks the
 * spec's own words, and the server's 400 for it says nothing about the contract.
 */
export function jsonTextFor(prose: string | undefined): string | undefined {
  if (!prose) return undefined;
  // the same descriptions come back for every value generated under them (a big spec's long
  // paragraphs, thousands of times): each is read once
  let text = jsonTexts.get(prose);
  if (text === undefined) {
    if (jsonTexts.size >= JSON_TEXTS_KEPT) jsonTexts.clear();
    jsonTexts.set(prose, (text = readJsonText(prose) ?? NONE));
  }
  return text === NONE ? undefined : text;
}

const jsonTexts = new Map<string, string>();
const JSON_TEXTS_KEPT = 10_000;
const NONE = "";

function readJsonText(prose: string): string | undefined {
  // the prose opens with it, or says the value is/must be/is sent as one ("the location in the
  // metadata JSON object", "cannot be a JSON object" name something else)
  const kind = /(?:^\s*|\b(?:is|be|as)\s+)(?:an?\s+|the\s+)?(?:valid\s+)?JSON(?:[- ]encoded)?\s+(array|list|object|map)\b/i.exec(prose)?.[1];
  if (kind === undefined) return undefined;
  return /^(array|list)$/i.test(kind) ? "[]" : "{}";
}

type Heuristic = [RegExp, (rng: Rng) => string];

/** Name → realistic value; order matters ("emailAddress" is an email before an address). */
const NAME_HEURISTICS: Heuristic[] = [
  [/e-?mail/, (r) => `sentinel.${r.alnum(6)}@example.com`],
  [/(phone|mobile|msisdn|^tel$|telephone)/, (r) => `+1415555${pad(r.int(0, 9999), 4)}`],
  [/(uuid|guid)$/, (r) => uuidV4(r)],
  [/(url|uri|website|homepage|href|link|callback|webhook|endpoint)$/, (r) => `https://example.com/sentinel/${r.alnum(6)}`],
  [/country/, () => "US"],
  [/currency/, () => "USD"],
  [/(first_?name|given_?name|forename)/, () => "Ada"],
  [/(last_?name|surname|family_?name)/, () => "Lovelace"],
  [/(user_?name|login|handle|nickname)/, (r) => `sentinel_${r.alnum(6)}`],
  [/password|passwd|secret/, (r) => `S3ntinel!${r.alnum(6)}`],
  [/city|town/, () => "Paris"],
  [/(zip|postal|postcode)/, () => "94105"],
  [/(street|address)/, () => "1 Main Street"],
  [/(^lang|language|locale)/, () => "en"],
  [/(timezone|time_?zone|^tz$)/, () => "UTC"],
  [/colou?r/, () => "blue"],
  [/(^ip$|ip_?address)/, (r) => `192.0.2.${r.int(1, 254)}`],
  [/slug/, (r) => `sentinel-${r.alnum(6)}`],
  [/(description|summary|comment|note|content|message|text|bio)$/, (r) => `Sentinel generated text ${r.alnum(4)}`],
  [/title$/, (r) => `Sentinel title ${r.alnum(4)}`],
  [/name$/, (r) => `Sentinel ${r.alnum(5)}`],
  [/(^id$|_id$|id$)/, (r) => r.alnum(12)],
];

export function valueForName(name: string | undefined, rng: Rng): string | undefined {
  if (!name) return undefined;
  const make = heuristicFor(name);
  return make === undefined ? undefined : make(rng);
}

/** The heuristic each name takes, remembered: a plan asks about the same few thousand names ~10^5 times. */
const heuristics = new Map<string, Heuristic[1] | undefined>();

function heuristicFor(name: string): Heuristic[1] | undefined {
  if (heuristics.has(name)) return heuristics.get(name);
  const lower = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  const make = NAME_HEURISTICS.find(([pattern]) => pattern.test(lower))?.[1];
  if (heuristics.size >= 10_000) heuristics.clear();
  heuristics.set(name, make);
  return make;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Valid calendar edges around a date: the other six weekdays, the month's end, a leap day, a year's last and first day. */
function dateEdges(base: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(base);
  const start = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!Number.isFinite(start) || start < Date.UTC(1000, 0, 1)) return [];
  const year = new Date(start).getUTCFullYear();
  const month = new Date(start).getUTCMonth();
  let leap = year;
  while (!isLeap(leap)) leap++;
  const out = [1, 2, 3, 4, 5, 6].map((n) => isoDay(start + n * DAY_MS));
  out.push(isoDay(Date.UTC(year, month + 1, 0)), `${leap}-02-29`, `${year}-12-31`, `${year + 1}-01-01`);
  return [...new Set(out)].filter((d) => d !== base);
}

/**
 * Valid variants of a formatted string's value, for a server error that only an edge hides: dates
 * on every weekday, month and year ends and a leap day; date-times with those dates, midnight and
 * the day's last second, UTC offsets and fractional seconds; times at the day's edges.
 */
export function formatEdgeValues(format: string, base: unknown): string[] {
  const text = typeof base === "string" ? base : "";
  switch (format.toLowerCase()) {
    case "date":
      return dateEdges(/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : "2024-01-15");
    case "date-time":
    case "datetime": {
      const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})/.exec(text);
      const day = m?.[1] ?? "2024-01-15";
      const clock = m?.[2] ?? "12:00:00";
      const days = dateEdges(day).map((d) => `${d}T${clock}Z`);
      const edges = [`${day}T00:00:00Z`, `${day}T23:59:59Z`, `${day}T${clock}.123Z`, `${day}T${clock}+05:30`, `${day}T${clock}-08:00`, `${day}T23:30:00-12:00`, `${day}T00:30:00+14:00`];
      return [...new Set([...days, ...edges])].filter((v) => v !== text);
    }
    case "time":
      return ["00:00:00Z", "23:59:59Z", "12:00:00+05:30", "12:00:00.5Z"].filter((v) => v !== text);
    default:
      return [];
  }
}
