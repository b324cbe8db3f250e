import type { JsonSchema } from "../../model";
import { MAX_NESTING_DEPTH } from "./limits";
import { isObject } from "../../jsonschema/types";
import { joinPointer } from "../../jsonschema/pointer";
import type { ProblemList } from "./problems";
import { COMPOSITION, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_VALUES } from "../../jsonschema/keywords";

export interface SchemaContext {
  /**
   * Maps a `$ref` met in a schema to the reference to emit (`#/components/schemas/Name`), or
   * `undefined` when it cannot be resolved (the callee records the problem; `{}` is emitted).
   */
  mapRef(ref: string, pointer: string): string | undefined;
  problems: ProblemList;
  /**
   * Swagger 2.0 and OpenAPI 3.0 know no tuples (`items` is one schema): a list there is read as
   * "each item is one of these" (PowerDNS: `items: [StatisticItem, MapStatisticItem, …]`). Without
   * it a list is the tuple form of older JSON Schema drafts (prefixItems).
   */
  itemsListIsUnion?: boolean;
}

/**
 * Normalises one schema of any OpenAPI dialect to JSON Schema 2020-12 (see JsonSchema in
 * model/api.ts). Never mutates the input; `example`, `enum`, `default` and other data are kept
 * by reference, since they are never changed.
 */
export function normaliseSchema(schema: unknown, pointer: string, ctx: SchemaContext): JsonSchema {
  return new Normaliser(ctx).schema(schema, pointer, 0);
}

/** A normaliser with memory: a schema object met twice (shared YAML anchor) is converted once. */
export class Normaliser {
  private readonly memo = new WeakMap<object, JsonSchema>();

  constructor(private readonly ctx: SchemaContext) {}

  schema(schema: unknown, pointer: string, depth: number): JsonSchema {
    if (typeof schema === "boolean") return schema;
    if (!isObject(schema)) {
      this.ctx.problems.warning(pointer, "schema must be an object; treated as an empty schema");
      return {};
    }
    if (depth > MAX_NESTING_DEPTH) {
      this.ctx.problems.error(pointer, `schema nests deeper than ${MAX_NESTING_DEPTH} levels`);
      return {};
    }
    const cached = this.memo.get(schema);
    if (cached !== undefined) return cached;
    const out = this.convert(schema, pointer, depth);
    this.memo.set(schema, out);
    return out;
  }

  private convert(src: Record<string, unknown>, pointer: string, depth: number): JsonSchema {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(src)) {
      const ptr = () => joinPointer(pointer, key);
      if (key === "$ref" && typeof value === "string") {
        const mapped = this.ctx.mapRef(value, ptr());
        if (mapped !== undefined) out.$ref = mapped;
      } else if (key === "nullable" || key === "x-nullable") {
        // applied below
      } else if (SUBSCHEMA_MAPS.has(key) && isObject(value)) {
        const map: Record<string, JsonSchema> = {};
        for (const [name, sub] of Object.entries(value)) map[name] = this.schema(sub, joinPointer(pointer, key, name), depth + 1);
        out[key] = map;
      } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
        out[key] = value.map((sub, i) => this.schema(sub, joinPointer(pointer, key, i), depth + 1));
      } else if (key === "items") {
        if (Array.isArray(value)) {
          const subs = value.map((sub, i) => this.schema(sub, joinPointer(pointer, key, i), depth + 1));
          if (this.ctx.itemsListIsUnion) {
            this.ctx.problems.warning(ptr(), "items must be one schema here; the list is read as any of its schemas");
            out.items = subs.length === 1 ? subs[0] : { anyOf: subs };
          } else out.prefixItems = subs; // tuple form of older drafts is prefixItems in 2020-12
        } else out.items = this.schema(value, ptr(), depth + 1);
      } else if (SUBSCHEMA_VALUES.has(key) && (isObject(value) || typeof value === "boolean")) {
        out[key] = this.schema(value, ptr(), depth + 1);
      } else {
        out[key] = value;
      }
    }

    if (out.type === "file") {
      // Swagger 2.0 upload: a binary string in a multipart body.
      out.type = "string";
      out.format = "binary";
    }
    const alias = typeof out.type === "string" ? TYPE_ALIASES[out.type.toLowerCase()] : undefined;
    if (alias && typeof src.type === "string") {
      // real specs write `type: int` (httpbin), `int64`, `bool`, `double`: no such type, meaning plain
      this.ctx.problems.warning(joinPointer(pointer, "type"), `type "${src.type}" is not a JSON Schema type; read as ${alias.type}${alias.format ? ` (format ${alias.format})` : ""}`);
      out.type = alias.type;
      if (alias.format && out.format === undefined) out.format = alias.format;
    }
    this.requestOnly(out, pointer);
    if (typeof out.discriminator === "string") out.discriminator = { propertyName: out.discriminator };
    for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
      if (typeof out[flag] !== "boolean") continue;
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
    if (src.nullable === true || src["x-nullable"] === true) return makeNullable(out);
    return out;
  }

  /** Required properties whose text says a client adds them only when writing are read as writeOnly (see REQUEST_ONLY). */
  private requestOnly(out: Record<string, unknown>, pointer: string): void {
    if (!Array.isArray(out.required) || !isObject(out.properties)) return;
    const properties = out.properties as Record<string, JsonSchema>;
    for (const name of out.required) {
      const sub = typeof name === "string" ? properties[name] : undefined;
      if (!isObject(sub) || sub.readOnly === true || sub.writeOnly === true || typeof sub.description !== "string" || !REQUEST_ONLY.test(sub.description)) continue;
      properties[name] = { ...sub, writeOnly: true };
      this.ctx.problems.warning(joinPointer(pointer, "properties", name), `"${name}" is required, but its description says it is sent only when writing: read as writeOnly (not required in responses)`);
    }
  }
}

/** Non-standard type names seen in real specs and the JSON Schema type (and format) they mean. */
const TYPE_ALIASES: Record<string, { type: string; format?: string }> = {
  int: { type: "integer" },
  int32: { type: "integer", format: "int32" },
  int64: { type: "integer", format: "int64" },
  long: { type: "integer", format: "int64" },
  bool: { type: "boolean" },
  float: { type: "number", format: "float" },
  double: { type: "number", format: "double" },
};

/**
 * A property's own text saying the client adds it only when changing the resource ("MUST be added
 * when updating the RRSet", "only sent when creating"): a request field in a schema that answers
 * share, so a response without it is what the spec describes.
 */
const REQUEST_ONLY = /\b(?:must|should|has to|needs? to|is to|only)\b[^.]{0,30}\b(?:added|sent|included|given|provided|set|specified|supplied)\b[^.]{0,20}\bwhen (?:updating|creating|modifying|changing|patching|posting|writing)\b|\b(?:only|required) (?:in|for|on|with) (?:requests?|updates?|writes?)\b/i;

/** OpenAPI 3.0 `nullable: true` / Swagger `x-nullable: true` in 2020-12 terms. */
export function makeNullable(schema: Record<string, unknown>): JsonSchema {
  if (COMPOSITION.some((k) => k in schema)) {
    // A reference or composition cannot take "null" into its own type: allow it beside.
    return { anyOf: [schema, { type: "null" }] };
  }
  const out = { ...schema };
  if (typeof out.type === "string") out.type = out.type === "null" ? "null" : [out.type, "null"];
  else if (Array.isArray(out.type) && !out.type.includes("null")) out.type = [...out.type, "null"];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}
