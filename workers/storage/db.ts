/** The drizzle handle over the D1 binding. Cheap to create; one per call site is fine. */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export function database(env: { DB: D1Database }) {
  return drizzle(env.DB, { schema });
}

type Database = ReturnType<typeof database>;

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
