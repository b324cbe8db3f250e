/**
 * The scalar values of a request body with their schemas and JSON pointer tokens, at any depth:
 * objects through their declared properties (a union's through the branch the value belongs to), arrays through their first item
 * (`data.attributes.quantity`, `tiers.0.price`). Shared by the boundary cases
 * (functional-positive.ts) and the backtracking probes (redos.ts).
 */
import type { JsonSchema } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { unionBranchOf } from "../generate/data-mocking";
import type { AgentEnv } from "./requests";

export interface BodyLeaf {
  tokens: string[];
  schema: JsonSchema;
  value: unknown;
}

/** How deep leaves are looked for (an envelope's attributes, an array item's property). */
const LEAF_DEPTH = 5;

export function bodyLeaves(env: AgentEnv, schema: JsonSchema, value: unknown): BodyLeaf[] {
  const out: BodyLeaf[] = [];
  const walk = (sub: JsonSchema, node: unknown, tokens: string[]) => {
    if (tokens.length > LEAF_DEPTH) return;
    if (node === null || typeof node !== "object") {
      if (tokens.length > 0) out.push({ tokens, schema: sub, value: node });
      return;
    }
    const flat = flattenAllOf(sub, env.model.schemas);
    if (!isObject(flat)) return;
    if (Array.isArray(node)) {
      if (node.length > 0 && isObject(flat.items)) walk(flat.items as JsonSchema, node[0], [...tokens, "0"]);
      return;
    }
    // a oneOf/anyOf object: through the branch the value belongs to
    const branch = Array.isArray(flat.oneOf) || Array.isArray(flat.anyOf) ? unionBranchOf(sub, node, env.model.schemas, env.validator) : undefined;
    const own = branch === undefined ? flat : flattenAllOf(branch, env.model.schemas);
    const props = isObject(own) && isObject(own.properties) ? (own.properties as Record<string, JsonSchema>) : {};
    for (const [key, item] of Object.entries(node)) if (props[key] !== undefined) walk(props[key], item, [...tokens, key]);
  };
  walk(schema, value, []);
  return out;
}
