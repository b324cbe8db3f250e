/**
 * What the fields of a body or response say about accounts: which one is a password, an e-mail,
 * a username, a token. Names and formats only (general rules, no target's vocabulary): the
 * inference of the auth flow and the account-takeover cases both read schemas through these.
 */
import type { JsonSchema } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";

export type FieldRole = "password" | "email" | "username" | "token";

export interface Field {
  /** JSON pointer of the field in the body ("/user/password") */
  pointer: string;
  name: string;
  schema: JsonSchema;
  role?: FieldRole;
}

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The role a field's name or format gives it, if any. */
export function fieldRole(name: string, schema: JsonSchema, schemas: SchemaMap): FieldRole | undefined {
  const flat = flattenAllOf(schema, schemas);
  const format = isObject(flat) ? flat.format : undefined;
  const type = isObject(flat) ? flat.type : undefined;
  if (type === "object" || type === "array" || (isObject(flat) && isObject(flat.properties))) return undefined;
  const n = squash(name);
  if (format === "password" || /(^|[^a-z])(pass(word|wd|phrase)?|pwd)$/.test(n) || n.endsWith("password")) return "password";
  if (format === "email" || format === "idn-email" || /^(e?mail|emailaddress|.*email)$/.test(n)) return "email";
  if (/^(user(name)?|login|loginname|handle|nick(name)?|screenname|accountname|.*username)$/.test(n)) return "username";
  if (/^(accesstoken|token|jwt|idtoken|authtoken|authenticationtoken|sessiontoken|bearertoken|sessionid|apikey|apitoken)$/.test(n)) return "token";
  return undefined;
}

/** Object properties of a schema down to `maxDepth` levels of nested objects (wrappers like `{ user: {…} }`). */
export function fieldsOf(schema: JsonSchema | undefined, schemas: SchemaMap, maxDepth = 2, prefix = ""): Field[] {
  if (schema === undefined || maxDepth <= 0) return [];
  const flat = flattenAllOf(schema, schemas);
  if (!isObject(flat) || !isObject(flat.properties)) return [];
  const out: Field[] = [];
  for (const [name, child] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
    const pointer = `${prefix}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const role = fieldRole(name, child, schemas);
    out.push(role ? { pointer, name, schema: child, role } : { pointer, name, schema: child });
    const childFlat = flattenAllOf(child, schemas);
    if (isObject(childFlat) && isObject(childFlat.properties)) out.push(...fieldsOf(child, schemas, maxDepth - 1, pointer));
  }
  return out;
}

export function withRole(fields: readonly Field[], role: FieldRole): Field[] {
  return fields.filter((f) => f.role === role);
}

/** Reads a JSON pointer ("/a/b/0") in a value. */
export function readPointer(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  let node = value;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(token)];
    else if (node !== null && typeof node === "object") node = (node as Record<string, unknown>)[token];
    else return undefined;
  }
  return node;
}

/** Writes a JSON pointer in place, creating objects on the way. */
export function writePointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: Record<string, unknown> = target;
  for (const token of tokens.slice(0, -1)) {
    const next = node[token];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[token] = {};
    node = node[token] as Record<string, unknown>;
  }
  node[tokens[tokens.length - 1]] = value;
}

/** A token-like string anywhere in a response body (depth ≤ 3): what a login hands out. */
export function findToken(body: unknown, depth = 0): { pointer: string; value: string } | undefined {
  if (depth > 3 || body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const entries = Object.entries(body as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (typeof value === "string" && value.length >= 8 && fieldRole(key, {}, {}) === "token") return { pointer: `/${key}`, value };
  }
  for (const [key, value] of entries) {
    const inner = findToken(value, depth + 1);
    if (inner) return { pointer: `/${key}${inner.pointer}`, value: inner.value };
  }
  return undefined;
}
