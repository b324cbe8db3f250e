/**
 * Fields that look unique (an e-mail, a username, a slug, a SKU, a code, a name, a title …) get
 * a value of their own in every request that creates something. A spec's example resent by every
 * case collides with the first one (409), so nothing downstream of the create would ever run.
 *
 * A value is varied by re-rolling its trailing letters and digits, each by its class (digit for
 * digit, upper for upper, lower for lower): the shape, length and usually the pattern survive
 * ("HAM-0001" → "HAM-4821", "ada@example.com" → "q3k@example.com"). The validator confirms the
 * result; a pattern it breaks is regenerated from the pattern instead.
 */
import type { JsonSchema, Parameter } from "../../model";
import type { Rng } from "./random";
import { generateFromPattern } from "./regex-gen";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";
import type { ModelValidator } from "../../jsonschema/validate";
import { isIdLikeName } from "../agents/names";
import { generatesExactly } from "./exact";

/** Name endings of fields whose values tend to be unique per resource. */
const UNIQUE_ENDINGS = ["email", "mail", "username", "login", "handle", "nickname", "slug", "sku", "code", "name", "title", "key", "identifier", "isbn", "serial", "domain", "hostname", "alias", "label", "number", "ref", "reference"];
/** Values from a fixed real-world set: a fresh one would be meaningless. */
const FIXED_SET = /(country|currency|lang|language|locale|timezone|zip|postal|area|dial|color|colour|status|type|kind|state|region|mime|media|content|http|error|response|result|reason|first|last|middle|given|family|sur|phone|house|street|card|account|routing|tax|vat|coupon|promo|discount|voucher|invite|referral|verification|otp|auth|reset|access|api|secret|private|public|sort|order|file|host|path)(code|name|key|number|label|ref)?$/;

/** A description that promises uniqueness, and one that denies it. */
const SAYS_UNIQUE = /\bunique(?:ly)?\b|\bno two\b|\bduplicates? (?:are|is) (?:refused|rejected|not allowed)/i;
const SAYS_NOT_UNIQUE = /\b(?:not|non|need not|needn't|does not have to|doesn't have to)[- ](?:be )?(?:necessarily )?unique|\bnon-?unique\b/i;

function normalised(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Does a property name (or `format: email`) say the value is probably unique? */
export function looksUnique(name: string, schema: JsonSchema, schemas: SchemaMap): boolean {
  const flat = flattenAllOf(schema, schemas);
  if (!isObject(flat) || flat.enum !== undefined || flat.const !== undefined) return false;
  const types = Array.isArray(flat.type) ? flat.type : [flat.type ?? "string"];
  if (!types.includes("string")) return false;
  if (flat.format === "email" || flat.format === "idn-email") return true;
  if (flat.format !== undefined && flat.format !== "hostname") return false;
  // the spec says so ("unique within the tenant", "must be unique"), whatever the name; an id
  // described as "the unique id of the customer" is a reference to something else, kept as sent
  if (!isIdLikeName(name) && typeof flat.description === "string" && SAYS_UNIQUE.test(flat.description) && !SAYS_NOT_UNIQUE.test(flat.description)) return true;
  const n = normalised(name);
  if (FIXED_SET.test(n)) return false;
  return UNIQUE_ENDINGS.some((end) => n.endsWith(end));
}

/** The header of idempotent retries (IETF draft "The Idempotency-Key HTTP Header Field"), and its older X- form. */
export const IDEMPOTENCY_KEY_HEADER = /^(x-)?idempotency-key$/i;

/**
 * A header whose value the client chooses afresh for every request: an idempotency key, or one the
 * spec describes as unique ("a client-chosen key, unique per intended transfer").
 */
export function uniquePerRequest(param: Parameter): boolean {
  if (param.in !== "header") return false;
  if (IDEMPOTENCY_KEY_HEADER.test(param.name)) return true;
  const text = param.description ?? "";
  return SAYS_UNIQUE.test(text) && !SAYS_NOT_UNIQUE.test(text);
}

/** A fresh client-chosen key in the shape of `value` (every letter and digit re-rolled by its class), valid for its schema. */
export function freshKey(value: string, schema: JsonSchema, rng: Rng, schemas: SchemaMap, validator: ModelValidator): string | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidate = reroll(value, rng, value.length);
    if (candidate !== value && validator.check(candidate, schema) === "valid") return candidate;
  }
  return freshValue(value, schema, rng, schemas, validator);
}

/** An error body saying a value is taken: a conflict reported as 400/422. */
export const ALREADY_TAKEN = /already (?:exists?|taken|registered|in use|used)|duplicate|not unique|must be unique|unique constraint|is taken|conflict/i;

const DIGITS = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();

/** Re-rolls up to `count` trailing letters/digits of `text` (of the part before "@" for e-mails). */
export function reroll(text: string, rng: Rng, count = 6): string {
  const at = text.indexOf("@");
  const head = at > 0 ? text.slice(0, at) : text;
  const tail = at > 0 ? text.slice(at) : "";
  const chars = [...head];
  let left = count;
  for (let i = chars.length - 1; i >= 0 && left > 0; i--) {
    const c = chars[i];
    const pool = DIGITS.includes(c) ? DIGITS : LOWER.includes(c) ? LOWER : UPPER.includes(c) ? UPPER : undefined;
    if (!pool) continue;
    chars[i] = pool[rng.int(0, pool.length - 1)];
    left--;
  }
  return chars.join("") + tail;
}

/** A fresh value for one unique-looking string, valid for its schema; undefined when none is found. */
export function freshValue(value: string, schema: JsonSchema, rng: Rng, schemas: SchemaMap, validator: ModelValidator): string | undefined {
  const flat = flattenAllOf(schema, schemas);
  const valid = (v: string | undefined): v is string => v !== undefined && v !== value && validator.check(v, schema) === "valid";
  const maxLength = isObject(flat) && typeof flat.maxLength === "number" ? flat.maxLength : Infinity;
  // short values have few letters to re-roll: grow them when the schema allows
  const base = [...value.replace(/[^A-Za-z0-9]/g, "")].length < 6 && !(isObject(flat) && flat.pattern !== undefined) && value.length + 4 <= maxLength && !value.includes("@") ? `${value}${/[A-Z]/.test(value) && !/[a-z]/.test(value) ? "XXXX" : "xxxx"}` : value;
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidate = reroll(base, rng);
    if (valid(candidate)) return candidate;
  }
  if (isObject(flat) && typeof flat.pattern === "string") {
    for (let attempt = 0; attempt < 3; attempt++) {
      const candidate = generateFromPattern(flat.pattern, rng, { minLength: typeof flat.minLength === "number" ? flat.minLength : 0, maxLength });
      if (valid(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The body with every unique-looking string property (top level and nested objects, not the
 * names listed in `keep`) given a fresh value. Returns the new body and the JSON pointers changed.
 * `valid`: the new body is known valid — the old one was (`knownValid`, the caller's word) and
 * the schema is one whose objects are valid property by property (generate/exact.ts), so fresh
 * strings each valid for their property keep it valid; else the validator's verdict is true.
 */
export function freshenUnique(
  value: unknown,
  schema: JsonSchema,
  rng: Rng,
  schemas: SchemaMap,
  validator: ModelValidator,
  keep: ReadonlySet<string> = new Set(),
  knownValid = false,
): { value: unknown; pointers: string[]; valid?: boolean } {
  const pointers: string[] = [];
  // `at`: the JSON pointer of `node`
  const walk = (node: unknown, sub: JsonSchema, at: string, depth: number): unknown => {
    if (depth > 3 || !isObject(node)) return node;
    const flat = flattenAllOf(sub, schemas);
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    const out: Record<string, unknown> = { ...node };
    for (const key in node) {
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      const item = node[key];
      const propSchema = props[key];
      if (propSchema === undefined) continue;
      const pointer = at + "/" + (key.includes("~") || key.includes("/") ? key.replace(/~/g, "~0").replace(/\//g, "~1") : key);
      if (keep.has(pointer)) continue;
      // the generator's own made-up text ("sentinel…") is random already
      if (typeof item === "string" && !/^sentinel/i.test(item) && looksUnique(key, propSchema, schemas)) {
        const fresh = freshValue(item, propSchema, rng, schemas, validator);
        if (fresh !== undefined) {
          out[key] = fresh;
          pointers.push(pointer);
        }
      } else if (isObject(item)) {
        out[key] = walk(item, propSchema, pointer, depth + 1);
      }
    }
    return out;
  };
  const next = walk(value, schema, "", 0);
  if (pointers.length === 0) return { value, pointers, valid: knownValid };
  if (knownValid && generatesExactly(schema, schemas)) return { value: next, pointers, valid: true };
  // a change must not break the whole value (dependencies between fields)
  const verdict = validator.check(next, schema);
  return verdict === "invalid" ? { value, pointers: [], valid: knownValid } : { value: next, pointers, valid: verdict === "valid" };
}
