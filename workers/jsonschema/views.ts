/**
 * The request and response views of a schema: what @cfworker/json-schema is given to validate.
 * Deep copies, so the model is never mutated, adjusted to avoid known false alarms:
 *  - `required` names whose property is writeOnly are dropped for responses (OpenAPI: required
 *    applies to requests only for writeOnly properties), readOnly ones for requests;
 *  - formats whose checkers disagree with common practice are dropped: `url` (the library
 *    rejects private hosts and localhost), `regex` (dialects differ); unknown formats are
 *    ignored by the library anyway;
 *  - `pattern`s that are not valid ECMAScript (`u` flag) are dropped rather than crash, and one
 *    written as a regex literal (`/^[a-z]+$/`, a common slip) is read as its body;
 *  - for responses, `oneOf` is read as `anyOf`: a body matching two overlapping branches
 *    (oneOf [Cat, Dog] of open objects) is an ambiguity of the spec, not a server bug;
 *  - for responses of a Swagger 2.0 document, a schema whose own description says it may be
 *    null ("otherwise this will be null", "one of null, 'text' …", "defaults to null") admits
 *    null: that format has no keyword for it (only the `x-nullable` extension), prose is its way;
 *  - annotations (example, examples, x-* …), `$id` and `$schema` are not copied.
 * `#/components/schemas/Name` refs are rewritten to per-component absolute URIs (COMPONENT_BASE),
 * which the validator resolves lazily (validate.ts).
 */
import type { ApiModel, JsonSchema } from "../model";
import { ANNOTATIONS, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_VALUES } from "./keywords";
import { normalisePattern } from "./pattern";
import { decodeRefToken } from "./pointer";

export type Purpose = "response" | "request";

export const COMPONENT_BASE = "https://sentinel.invalid/components/schemas/";
const COMPONENT_REF = /^#\/components\/schemas\/([^/#]+)(\/.*)?$/;
const DROPPED_FORMATS = new Set(["url", "regex"]);

/** What a view needs of the model: its schemas, and the OpenAPI version it was written in. */
export type ViewModel = Pick<ApiModel, "schemas"> & Partial<Pick<ApiModel, "sourceVersion">>;

/**
 * A description saying the value may be null: "or null", "otherwise null", "one of null, …",
 * "may / can / will be null", "defaults to null". Not "cannot be null", "will not be null",
 * nor "if content is not null" (a condition on something else).
 */
const NULL_IN_PROSE = /\b(?:or|otherwise|one of)\s+null\b|\b(?:may|might|can|could|will|would)\s+(?:also\s+)?be\s+null\b|\bdefaults?\s+to\s+null\b/i;

/** The schema as validated for `purpose`. */
export function validationView(model: ViewModel, schema: unknown, purpose: Purpose, depth = 0): JsonSchema {
  if (typeof schema === "boolean") return schema;
  if (!schema || typeof schema !== "object" || Array.isArray(schema) || depth > 200) return {};
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-") || key === "$id" || key === "$schema") continue;
    if (key === "$ref" && typeof value === "string") {
      const match = COMPONENT_REF.exec(value);
      if (match) {
        const name = decodeRefToken(match[1]);
        out.$ref = COMPONENT_BASE + encodeURIComponent(name) + (match[2] ? "#" + match[2] : "");
      } else {
        out.$ref = value;
      }
    } else if (SUBSCHEMA_MAPS.has(key) && value && typeof value === "object" && !Array.isArray(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        if (key === "patternProperties" && !isValidPattern(name)) continue;
        map[name] = validationView(model, sub, purpose, depth + 1);
      }
      out[key] = map;
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      const target = key === "oneOf" && purpose === "response" && !Array.isArray(source.anyOf) ? "anyOf" : key;
      out[target] = value.map((sub) => validationView(model, sub, purpose, depth + 1));
    } else if (SUBSCHEMA_VALUES.has(key) && (typeof value === "object" || typeof value === "boolean")) {
      out[key] = Array.isArray(value) ? value.map((sub) => validationView(model, sub, purpose, depth + 1)) : validationView(model, value, purpose, depth + 1);
    } else if (key === "format" && typeof value === "string" && DROPPED_FORMATS.has(value)) {
      continue;
    } else if (key === "pattern" && typeof value === "string") {
      const body = normalisePattern(value);
      if (isValidPattern(body)) out[key] = body;
    } else {
      out[key] = cloneJson(value);
    }
  }
  if (purpose === "response" && model.sourceVersion?.startsWith("2") && typeof source.description === "string" && NULL_IN_PROSE.test(source.description)) admitNull(out);
  if (Array.isArray(out.required) && out.properties && typeof out.properties === "object") {
    const flag = purpose === "response" ? "writeOnly" : "readOnly";
    const properties = source.properties as Record<string, unknown>;
    out.required = (out.required as unknown[]).filter((name) => typeof name !== "string" || !hasFlag(model, properties?.[name], flag));
  }
  return out;
}

/** Adds null to a view's type and enum (a schema without `type` admits it already). */
function admitNull(view: Record<string, unknown>): void {
  if (typeof view.type === "string" && view.type !== "null") view.type = [view.type, "null"];
  else if (Array.isArray(view.type) && !view.type.includes("null")) view.type = [...view.type, "null"];
  if (Array.isArray(view.enum) && !view.enum.includes(null)) view.enum = [...view.enum, null];
}

function hasFlag(model: ViewModel, schema: unknown, flag: string): boolean {
  let current = schema;
  for (let i = 0; i < 10 && current && typeof current === "object"; i++) {
    const record = current as Record<string, unknown>;
    if (record[flag] === true) return true;
    const ref = typeof record.$ref === "string" ? COMPONENT_REF.exec(record.$ref) : null;
    if (!ref || ref[2]) return false;
    current = model.schemas[decodeRefToken(ref[1])];
  }
  return false;
}

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out;
  }
  return value;
}
