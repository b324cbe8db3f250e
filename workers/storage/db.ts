/**
 * The drizzle handle over the D1 binding, one per binding: building one walks the whole schema
 * (relational config), which showed up in the profile of every request and queue message.
 *
 * One repository signature (repo-signature.test.ts keeps it): a repository is a set of functions
 * taking the D1 database first, then any other store it touches (an R2 bucket, the encryption
 * keys), then its arguments — `getTarget(db, orgId, id)`, `storeSpec(db, blobs, orgId, …)`.
 */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const handles = new WeakMap<D1Database, ReturnType<typeof create>>();

function create(db: D1Database) {
  return drizzle(db, { schema });
}

export function database(db: D1Database) {
  let handle = handles.get(db);
  if (!handle) handles.set(db, (handle = create(db)));
  return handle;
}

/** D1 allows at most 100 bound parameters per statement. */
export const D1_MAX_PARAMS = 100;

/** Values bound in one `IN (…)` list: under D1_MAX_PARAMS, with room for the statement's other parameters. */
export const IN_CHUNK = 90;

/** `?,?,?` for an `IN (…)` list of `n` values. */
export function inList(n: number): string {
  return Array.from({ length: n }, () => "?").join(",");
}

/**
 * Rows sent as one JSON array bound to one parameter and read with `json_each(?)`: a D1 statement
 * takes at most 100 parameters, while one text parameter holds up to 2 MB (D1's string limit).
 * Each item is serialised once; the arrays stay under `maxChars` UTF-16 units, under 2 MB of UTF-8
 * even when every character takes three bytes.
 */
export const JSON_ROWS_MAX_CHARS = 600_000;

export function jsonRowBatches(items: readonly unknown[], maxChars = JSON_ROWS_MAX_CHARS): string[] {
  return jsonTextBatches(items.map((item) => JSON.stringify(item)), maxChars);
}

/** jsonRowBatches of rows already serialised (each one JSON text), e.g. where the case ran. */
export function jsonTextBatches(texts: readonly string[], maxChars = JSON_ROWS_MAX_CHARS): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const text of texts) {
    if (parts.length > 0 && size + text.length + 1 > maxChars) {
      out.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(text);
    size += text.length + 1;
  }
  if (parts.length > 0) out.push(`[${parts.join(",")}]`);
  return out;
}

/**
 * Opaque page cursor over (created_at, id), newest first: base64 of `createdAt:id` without its
 * padding. Decoding accepts it with or without padding (cursors handed out before kept working).
 */
export function encodeCreatedCursor(row: { createdAt: number; id: string }): string {
  return btoa(`${row.createdAt}:${row.id}`).replace(/=+$/, "");
}

export function decodeCreatedCursor(cursor: string): { createdAt: number; id: string } | undefined {
  try {
    const text = atob(cursor);
    const colon = text.indexOf(":");
    const createdAt = Number(text.slice(0, colon));
    if (colon < 1 || !Number.isFinite(createdAt) || colon === text.length - 1) return undefined;
    return { createdAt, id: text.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** D1 reports constraint violations as errors whose message names the constraint. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(`${err.message} ${String((err as { cause?: unknown }).cause ?? "")}`);
}
