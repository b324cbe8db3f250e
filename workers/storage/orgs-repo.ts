/** Organizations: the tenant boundary. Every other repository filters by org id. */
import { eq } from "drizzle-orm";
import { newId } from "../shared/encoding";
import { database } from "./db";
import { orgs } from "./schema";

export type Org = typeof orgs.$inferSelect;

export const DEFAULT_ORG_ID = "org_default";

export async function getOrg(db: D1Database, orgId: string): Promise<Org | null> {
  const [row] = await database(db).select().from(orgs).where(eq(orgs.id, orgId)).limit(1);
  return row ?? null;
}

export async function createOrg(db: D1Database, input: { name: string; id?: string; targetAllowlist?: string[] }): Promise<Org> {
  const [row] = await database(db)
    .insert(orgs)
    .values({ id: input.id ?? newId("org"), name: input.name, targetAllowlist: input.targetAllowlist ?? [] })
    .returning();
  return row;
}

/** Creates the org unless it exists (INSERT OR IGNORE: concurrent callers cannot collide). */
export async function ensureOrg(db: D1Database, id: string, name: string): Promise<void> {
  await database(db).insert(orgs).values({ id, name, targetAllowlist: [] }).onConflictDoNothing();
}

export async function setTargetAllowlist(db: D1Database, orgId: string, allowlist: string[]): Promise<void> {
  await database(db).update(orgs).set({ targetAllowlist: allowlist }).where(eq(orgs.id, orgId));
}
