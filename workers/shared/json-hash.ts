/**
 * A 30-bit hash of a value's JSON text (what JSON.stringify writes) computed without writing it:
 * values with equal JSON have equal hashes — undefined, function and symbol properties left out,
 * in arrays read as null, non-finite numbers read as null, -0 as 0, toJSON honoured. The planner
 * tells tens of thousands of drafts apart with it before comparing any two as text.
 *
 * `depth` bounds the walk: an object or array below it counts by its kind alone (equal JSON,
 * equal kind), so a cheap hash can read the top of a big value only; a long string counts by its
 * length and its ends, a key by its length. `basis` chains hashes.
 */
export function jsonHash(value: unknown, basis = FNV_BASIS, depth = Number.POSITIVE_INFINITY): number {
  return hashValue(jsonValue(value), basis & 0x3fffffff, depth);
}

const FNV_BASIS = 0x011c9dc5;
/** what each kind of JSON token mixes in */
const Tag = { None: 1, Null: 2, False: 3, True: 4, Number: 5, String: 6, Array: 7, Object: 8, End: 9 } as const;

/** FNV-1a's step, kept to 30 bits: a small integer V8 never boxes into a heap number */
function mix(h: number, n: number): number {
  return Math.imul(h ^ n, 0x01000193) & 0x3fffffff;
}

/** What JSON.stringify reads of a value: a toJSON object's JSON, anything else as it is. */
function jsonValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null || typeof (value as { toJSON?: unknown }).toJSON !== "function") return value;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

/** undefined, a function or a symbol: no JSON value (left out of objects, null in arrays). */
function absent(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** a text by its length and its first and last characters (equal texts, equal hash; a long one costs no more) */
function hashString(h: number, text: string): number {
  h = mix(mix(h, Tag.String), text.length);
  const n = text.length;
  if (n <= 2 * STRING_ENDS) {
    for (let i = 0; i < n; i++) h = mix(h, text.charCodeAt(i));
    return h;
  }
  for (let i = 0; i < STRING_ENDS; i++) h = mix(h, text.charCodeAt(i));
  for (let i = n - STRING_ENDS; i < n; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

const STRING_ENDS = 12;

function hashValue(value: unknown, h: number, depth: number): number {
  if (value === null) return mix(h, Tag.Null);
  switch (typeof value) {
    case "string":
      return hashString(h, value);
    case "boolean":
      return mix(h, value ? Tag.True : Tag.False);
    case "number":
      if (!Number.isFinite(value)) return mix(h, Tag.Null);
      // JSON writes equal numbers alike (0 and -0 as "0"): a small integer by its value, others by their text
      return Number.isInteger(value) && Math.abs(value) < 0x40000000 ? mix(mix(h, Tag.Number), value | 0) : hashString(mix(h, Tag.Number), String(value));
    case "object":
      break;
    case "bigint":
      // JSON.stringify throws on a bigint: so does the hash
      throw new TypeError("Do not know how to serialize a BigInt");
    default:
      return mix(h, Tag.None);
  }
  if (Array.isArray(value)) {
    h = mix(h, Tag.Array);
    if (depth <= 0) return h;
    for (let i = 0; i < value.length; i++) {
      const item = jsonValue(value[i]);
      h = absent(item) ? mix(h, Tag.Null) : hashValue(item, h, depth - 1);
    }
    return mix(h, Tag.End);
  }
  h = mix(h, Tag.Object);
  if (depth <= 0) return h;
  // own enumerable keys in JSON's order, without making the list of them
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = jsonValue((value as Record<string, unknown>)[key]);
    if (absent(item)) continue;
    // a key by its length: the values in their order tell objects apart well enough
    h = hashValue(item, mix(h, key.length), depth - 1);
  }
  return mix(h, Tag.End);
}
