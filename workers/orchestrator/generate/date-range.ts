/**
 * Date ranges in an object: two date or date-time members whose names read as the two ends of one
 * range (start_date/end_date, validFrom/validTo, check_in/check_out …). Servers commonly refuse a
 * range that ends before it starts, a rule specs state only in prose; valid values keep such
 * pairs ordered, and functional-negative sends them swapped.
 */
import type { JsonSchema } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";

/** One end's word and the other end's words, as name tokens (lower case). */
const ENDS: [string, string[]][] = [
  ["start", ["end", "finish", "stop"]],
  ["starts", ["ends"]],
  ["begin", ["end"]],
  ["begins", ["ends"]],
  ["from", ["to", "until", "till"]],
  ["since", ["until", "till"]],
  ["in", ["out"]],
  ["opens", ["closes"]],
  ["open", ["close"]],
];

export interface DateRange {
  start: string;
  end: string;
}

/** snake_case, kebab-case and camelCase names as lower-case tokens. */
function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

function isDateLike(schema: JsonSchema, schemas: SchemaMap): boolean {
  const s = flattenAllOf(schema, schemas);
  return isObject(s) && (s.format === "date" || s.format === "date-time") && s.readOnly !== true;
}

/**
 * The ranges among `properties`: same tokens but one, that one a start word in the first and its
 * end word in the second (`check_in`/`check_out` pairs on `in`/`out` only beside another token).
 */
export function dateRanges(properties: Record<string, JsonSchema>, schemas: SchemaMap): DateRange[] {
  const dated = Object.keys(properties).filter((name) => isDateLike(properties[name], schemas));
  if (dated.length < 2) return [];
  const out: DateRange[] = [];
  for (const start of dated) {
    const a = tokens(start);
    for (const end of dated) {
      if (end === start || out.some((r) => r.end === end || r.start === start)) continue;
      const b = tokens(end);
      if (a.length !== b.length) continue;
      const differ = a.map((t, i) => (t === b[i] ? -1 : i)).filter((i) => i >= 0);
      if (differ.length !== 1) continue;
      const i = differ[0];
      if ((a[i] === "in" || a[i] === "open") && a.length === 1) continue;
      if (ENDS.some(([s, e]) => s === a[i] && e.includes(b[i]))) out.push({ start, end });
    }
  }
  return out;
}

/** Date or date-time text as a comparable instant; NaN when it is neither. */
function instant(value: unknown): number {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : NaN;
}

/** Whether `value` holds both ends of `range` with the end before the start. */
export function endsBeforeStart(value: Record<string, unknown>, range: DateRange): boolean {
  const start = instant(value[range.start]);
  const end = instant(value[range.end]);
  return !Number.isNaN(start) && !Number.isNaN(end) && end < start;
}

/** Puts the ends of every range of the object value in order (swaps them), in place. */
export function orderDateRanges(value: Record<string, unknown>, properties: Record<string, JsonSchema>, schemas: SchemaMap): void {
  for (const range of dateRanges(properties, schemas)) {
    if (!endsBeforeStart(value, range)) continue;
    const start = value[range.start];
    value[range.start] = value[range.end];
    value[range.end] = start;
  }
}
