/** The schema shapes every part of the kernel speaks: one object test, one map of components. */
import type { JsonSchema } from "../model";

export type SchemaObject = { [keyword: string]: unknown };
export type SchemaMap = Record<string, JsonSchema>;

export function isObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
