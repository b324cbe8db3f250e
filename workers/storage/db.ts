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

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** D1 reports constraint violations as errors whose message names the constraint. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(`${err.message} ${String((err as { cause?: unknown }).cause ?? "")}`);
}
