/**
 * `$ref` resolution against the components of the operation model (ApiModel.schemas):
 * `#/components/schemas/Name`, `#/definitions/Name` and `#/$defs/Name`, with an optional deeper
 * pointer. Bounded, so reference cycles end.
 */
import type { JsonSchema } from "../model";
import { decodeRefToken } from "./pointer";
import { isObject, type SchemaMap } from "./types";

const REF_PREFIXES = ["#/components/schemas/", "#/definitions/", "#/$defs/"];
const MAX_HOPS = 32;

/** Decoded names by `$ref` text: a plan resolves the same few hundred references ~10^6 times. */
const names = new Map<string, string | undefined>();
/**
 * Resolved targets per component map and `$ref` text, with the component they start from: a hit
 * counts only while the map still holds that same component object (a map changed since answers anew).
 */
const targets = new WeakMap<SchemaMap, Map<string, { component: string; from: unknown; target: JsonSchema | undefined }>>();
/** Bound on each memo's entries: a long-lived isolate plans many specs. */
const MEMO_LIMIT = 50_000;

/** The name a `$ref` points at ("#/components/schemas/Pet" → "Pet"), if it is a component ref. */
export function refName(ref: string): string | undefined {
  if (names.has(ref)) return names.get(ref);
  const name = decodeName(ref);
  if (names.size >= MEMO_LIMIT) names.clear();
  names.set(ref, name);
  return name;
}

function decodeName(ref: string): string | undefined {
  for (const prefix of REF_PREFIXES) {
    if (ref.startsWith(prefix)) {
      const rest = ref.slice(prefix.length).split("/");
      if (rest.length === 1) return decodeRefToken(rest[0]);
    }
  }
  return undefined;
}

/** Resolve one `$ref` (component name plus an optional deeper pointer); undefined when dangling. */
export function lookupRef(ref: string, schemas: SchemaMap): JsonSchema | undefined {
  let memo = targets.get(schemas);
  if (!memo) targets.set(schemas, (memo = new Map()));
  const known = memo.get(ref);
  if (known !== undefined && schemas[known.component] === known.from) return known.target;
  for (const prefix of REF_PREFIXES) {
    if (!ref.startsWith(prefix)) continue;
    const tokens = ref.slice(prefix.length).split("/").map((t) => decodeRefToken(t));
    const target = walk(schemas[tokens[0]], tokens);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(ref, { component: tokens[0], from: schemas[tokens[0]], target });
    return target;
  }
  return undefined;
}

/** From a component down the pointer's further tokens. */
function walk(component: unknown, tokens: string[]): JsonSchema | undefined {
  let node: unknown = component;
  for (const token of tokens.slice(1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node === undefined ? undefined : (node as JsonSchema);
}

/**
 * Follows `$ref` chains to the components (cycle-safe, bounded) without merging sibling
 * keywords; a reference that is not a component reference is returned as it is. `undefined`
 * when a component reference points at nothing.
 */
export function followRef(schema: JsonSchema, schemas: SchemaMap): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string" && seen.size < MAX_HOPS) {
    const ref: string = current.$ref;
    if (!REF_PREFIXES.some((prefix) => ref.startsWith(prefix)) || seen.has(ref)) return current;
    seen.add(ref);
    current = lookupRef(ref, schemas);
  }
  return current;
}
