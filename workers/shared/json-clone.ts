/**
 * A deep copy of a JSON value with JSON's own semantics (what JSON.parse(JSON.stringify(v)) gives:
 * undefined, function and symbol properties dropped, in arrays made null, non-finite numbers made
 * null, -0 made 0, toJSON honoured) without building the text: the planner copies request templates tens of
 * thousands of times.
 */
export function cloneJson<T>(value: T): T {
  return copyValue(value, true) as T;
}

/**
 * What `const out = cloneJson(value); Object.assign(out, replacements)` gives for a plain object,
 * without copying the parts the replacements take the place of (a request whose body is replaced:
 * the old body is not copied). A replaced key keeps its place in key order, as an assignment does.
 */
export function cloneJsonWith<T extends object>(value: T, replacements: Partial<T>): T {
  if (Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === "function") return Object.assign(cloneJson(value), replacements);
  const source = value as Record<string, unknown>;
  const replace = replacements as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const placed = new Set<string>();
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (Object.prototype.hasOwnProperty.call(replace, key)) {
      // the copy would have kept the key (a JSON value there): the replacement takes its place
      if (keptByCopy(source[key])) {
        out[key] = replace[key];
        placed.add(key);
      }
      continue;
    }
    const item = copyValue(source[key], false);
    if (item !== SKIP) out[key] = item;
  }
  for (const key of Object.keys(replace)) if (!placed.has(key)) out[key] = replace[key];
  return out as T;
}

/**
 * Does cloneJson keep a property with this value (rather than leave it out)? A plain object or
 * array is not walked (so a BigInt deep inside a replaced part throws nothing); anything else
 * is asked as the copy would ask it.
 */
function keptByCopy(value: unknown): boolean {
  if (typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== "function") return true;
  return copyValue(value, false) !== SKIP;
}

function copyValue(value: unknown, top: boolean): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // -0 is written as 0
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case "object":
      break;
    case "bigint":
      // JSON.stringify throws on a bigint: so does the copy
      throw new TypeError("Do not know how to serialize a BigInt");
    default:
      return top ? undefined : SKIP;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.parse(JSON.stringify(value)) as unknown;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyValue(value[i], false);
      out[i] = item === SKIP ? null : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  // own enumerable keys in Object.keys order, without making the list of them
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = copyValue((value as Record<string, unknown>)[key], false);
    if (item !== SKIP) out[key] = item;
  }
  return out;
}

const SKIP = Symbol("skip");
