/**
 * Plan-time validation of generated data with @cfworker/json-schema (no code generation, so it
 * runs in workerd). Agents only claim "this request is valid" (positive_data_acceptance) or
 * "this request is invalid" (negative_data_rejection) after the validator agrees: a false alarm
 * costs as much as a missed bug.
 *
 * Validation uses a *request view* of the schemas: annotations dropped and readOnly properties
 * removed from `required` (OpenAPI: readOnly properties are not expected in requests).
 */
import { validate as cfValidate, type Schema } from "@cfworker/json-schema";
import type { ApiModel, JsonSchema } from "../model";
import { normalisePattern } from "./pattern";
import { isObject, type SchemaObject } from "./types";
import { lookupRef } from "./refs";

/** keywords that carry data rather than schemas: dropped so the validator never walks them */
const ANNOTATIONS = new Set(["example", "examples", "default", "xml", "externalDocs", "discriminator", "description", "title"]);

type Lookup = Record<string, Schema | boolean>;

/** Deep copy of a schema in request view; does not mutate the model. */
export function requestView(schema: JsonSchema, depth = 0): JsonSchema {
  if (!isObject(schema) || depth > 64) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
    if (key === "properties" || key === "patternProperties" || key === "$defs" || key === "definitions" || key === "dependentSchemas") {
      const map: SchemaObject = {};
      if (isObject(value)) for (const [name, sub] of Object.entries(value)) map[name] = requestView(sub as JsonSchema, depth + 1);
      out[key] = map;
    } else if (Array.isArray(value) && (key === "allOf" || key === "anyOf" || key === "oneOf" || key === "prefixItems")) {
      out[key] = value.map((sub) => requestView(sub as JsonSchema, depth + 1));
    } else if (isObject(value) && ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"].includes(key)) {
      out[key] = requestView(value, depth + 1);
    } else if (key === "pattern" && typeof value === "string") {
      out[key] = normalisePattern(value);
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const props = out.properties as SchemaObject;
    out.required = (out.required as string[]).filter((name) => !(isObject(props[name]) && (props[name] as SchemaObject).readOnly === true));
  }
  return out;
}

export type Verdict = "valid" | "invalid" | "unknown";

export class ModelValidator {
  private readonly lookup: Lookup;
  private readonly views = new WeakMap<object, JsonSchema>();

  constructor(model: Pick<ApiModel, "schemas">) {
    const schemas = model.schemas ?? {};
    const cache = new Map<string, JsonSchema | undefined>();
    // cfworker looks `$ref`s up by their raw text when the schema was not dereferenced first:
    // answer any component pointer lazily (request view, cached) instead of walking big specs.
    this.lookup = new Proxy(Object.create(null) as Lookup, {
      get(_target, key) {
        if (typeof key !== "string") return undefined;
        if (!cache.has(key)) {
          const target = lookupRef(key, schemas);
          cache.set(key, target === undefined ? undefined : requestView(target));
        }
        return cache.get(key) as Schema | boolean | undefined;
      },
    });
  }

  private view(schema: JsonSchema): JsonSchema {
    if (!isObject(schema)) return schema;
    let v = this.views.get(schema);
    if (!v) {
      v = requestView(schema);
      this.views.set(schema, v);
    }
    return v;
  }

  /** Is `value` valid against `schema` (request view)? "unknown" when the schema cannot be evaluated. */
  check(value: unknown, schema: JsonSchema): Verdict {
    try {
      const result = cfValidate(value, this.view(schema) as Schema, "2020-12", this.lookup, true);
      return result.valid ? "valid" : "invalid";
    } catch {
      return "unknown";
    }
  }
}

