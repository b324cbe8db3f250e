/**
 * An update of a resource that exists, built on the resource's own values. A generated update body
 * can break a rule the server enforces across fields (an end after the start, tier quantities
 * within the capacity, a total that equals a sum): the probe then gets 400/422 and says nothing
 * about what it was sent for (another identity's write, one invalid value), depending on the seed.
 * The body the create was accepted with holds values that satisfy those rules together: the update
 * sends them, and its own generated values only where the create sent nothing or for free text
 * (a title, a name: no rule across fields reads them, and boundary cases move made-up text only).
 */
import type { JsonSchema } from "../../model";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";
import type { ModelValidator } from "../../jsonschema/validate";
import { cloneJson } from "../../shared/json-clone";

function freeText(schema: JsonSchema, schemas: SchemaMap): boolean {
  const flat = flattenAllOf(schema, schemas);
  return isObject(flat) && flat.type === "string" && flat.format === undefined && flat.pattern === undefined && flat.enum === undefined && flat.const === undefined;
}

/** Objects are merged member by member where the update declares the member (and not readOnly); anything else is the create's. */
function overlay(generated: unknown, created: unknown, schema: JsonSchema | undefined, schemas: SchemaMap, depth: number): unknown {
  if (!isObject(created)) return cloneJson(created);
  const flat = schema === undefined ? undefined : flattenAllOf(schema, schemas);
  const properties = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : undefined;
  if (!properties || depth > 8) return cloneJson(created);
  const out: Record<string, unknown> = isObject(generated) ? { ...generated } : {};
  for (const [key, value] of Object.entries(created)) {
    const declared = properties[key];
    if (declared === undefined) continue;
    const r = resolve(declared, schemas);
    if (isObject(r) && r.readOnly === true) continue;
    // a value an earlier step produced ("{{petId}}": the id the URL names) stays
    if (isObject(generated) && typeof generated[key] === "string" && /^\{\{[^{}]+\}\}$/.test(generated[key] as string)) continue;
    // free text (no format, pattern or set of values) takes part in no rule across fields: the update's own stays
    if (isObject(generated) && typeof generated[key] === "string" && typeof value === "string" && freeText(declared, schemas)) continue;
    out[key] = overlay(isObject(generated) ? generated[key] : undefined, value, declared, schemas, depth + 1);
  }
  return out;
}

/**
 * `generated` (an update body) with the created resource's values (`created`, the body its create
 * was accepted with) wherever the update declares them; undefined when that is no valid body for
 * `schema` (the update and the create describe different things) or changes nothing.
 */
export function onCreatedValues(generated: unknown, created: unknown, schema: JsonSchema, schemas: SchemaMap, validator: ModelValidator): unknown {
  if (!isObject(generated) || !isObject(created)) return undefined;
  const merged = overlay(generated, created, schema, schemas, 0);
  if (JSON.stringify(merged) === JSON.stringify(generated)) return undefined;
  return validator.check(merged, schema) === "valid" ? merged : undefined;
}
