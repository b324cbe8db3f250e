/**
 * The JSON Schema keywords whose values are schemas, by shape: one table for every walker of
 * schemas (the normaliser, the bundler, the validation views), so none of them skips a place
 * where a subschema hides.
 */

/** `{ name: schema }` maps */
export const SUBSCHEMA_MAPS: ReadonlySet<string> = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);

/** `[schema, …]` lists */
export const SUBSCHEMA_LISTS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);

/** one schema (`items` may also be a list, the tuple form of drafts before 2020-12) */
export const SUBSCHEMA_VALUES: ReadonlySet<string> = new Set([
  "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
  "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
]);

/** keywords that make a schema a reference or a composition of others */
export const COMPOSITION: readonly string[] = ["$ref", "allOf", "anyOf", "oneOf", "not"];

/** keywords that carry data or documentation, never a constraint: validators need not walk them */
export const ANNOTATIONS: ReadonlySet<string> = new Set(["example", "examples", "xml", "externalDocs", "discriminator"]);
