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
/** The name a `$ref` points at ("#/components/schemas/Pet" → "Pet"), if it is a component ref. */
export function refName(ref: string): string | undefined {
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
  for (const prefix of REF_PREFIXES) {
    if (!ref.startsWith(prefix)) continue;
    const tokens = ref.slice(prefix.length).split("/").map((t) => decodeRefToken(t));
    let node: unknown = schemas[tokens[0]];
    for (const token of tokens.slice(1)) {
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isObject(node)) node = node[token];
      else return undefined;
    }
    return node === undefined ? undefined : (node as JsonSchema);
  }
  return undefined;
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
