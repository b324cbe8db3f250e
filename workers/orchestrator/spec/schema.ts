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
}

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
