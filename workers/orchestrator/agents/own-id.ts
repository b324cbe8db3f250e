/**
 * The member of a write's body that names the item its URL addresses (`PUT /todos/{id}` with
 * `{"id": …, "title": …}`). A representation that names another item than its target is
 * inconsistent with it, and RFC 9110 §9.3.4 lets the server refuse it ("id cannot be changed from
 * 12 to 33.5", 400/409/422): a valid request a client would send carries the path's value there,
 * so a refusal says something about the API and not about the made-up id.
 */
import type { JsonSchema, Operation } from "../../model";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";
import type { Producer } from "./resources";
import { pathPlaceholders } from "./resources";

/**
 * The top-level member of `body` (a PUT/PATCH on an item path, its last segment a parameter) that
 * holds the item's own id: the one named like that parameter, or where the item's create answers
 * the id (`producer`'s body extraction, `/id` for `{todoId}`). Only a member the body already has
 * and the schema declares writable; undefined otherwise.
 */
export function ownIdMember(op: Operation, body: unknown, schema: JsonSchema, schemas: SchemaMap, producer: Producer | undefined): { param: string; key: string; schema: JsonSchema } | undefined {
  if ((op.method !== "put" && op.method !== "patch") || !op.path.endsWith("}") || !isObject(body)) return undefined;
  const placeholders = pathPlaceholders(op.path);
  const param = placeholders[placeholders.length - 1];
  if (param === undefined) return undefined;
  const flat = flattenAllOf(schema, schemas);
  const properties = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : undefined;
  if (!properties) return undefined;
  const extracted = producer?.extract.from === "body" ? /^\/([^/]+)$/.exec(producer.extract.pointer)?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
  for (const key of [param, extracted]) {
    if (key === undefined || !Object.prototype.hasOwnProperty.call(body, key) || properties[key] === undefined) continue;
    const member = resolve(properties[key], schemas);
    if (isObject(member) && member.readOnly === true) continue;
    return { param, key, schema: properties[key] };
  }
  return undefined;
}
