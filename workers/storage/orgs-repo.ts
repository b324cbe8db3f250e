/** Organizations: the tenant boundary. Every other repository filters by org id. */
import { eq } from "drizzle-orm";
import { newId } from "../shared/encoding";
import { database } from "./db";
import { orgs } from "./schema";

export type Org = typeof orgs.$inferSelect;

export const DEFAULT_ORG_ID = "org_default";

export async function getOrg(env: { DB: D1Database }, orgId: string): Promise<Org | null> {
  const [row] = await database(env).select().from(orgs).where(eq(orgs.id, orgId)).limit(1);
  return row ?? null;
}

export async function createOrg(env: { DB: D1Database }, input: { name: string; id?: string; targetAllowlist?: string[] }): Promise<Org> {
  const [row] = await database(env)
    .insert(orgs)
    .values({ id: input.id ?? newId("org"), name: input.name, targetAllowlist: input.targetAllowlist ?? [] })
    .returning();
  return row;
}

/** Creates the org unless it exists (INSERT OR IGNORE: concurrent callers cannot collide). */
export async function ensureOrg(env: { DB: D1Database }, id: string, name: string): Promise<void> {
  await database(env).insert(orgs).values({ id, name, targetAllowlist: [] }).onConflictDoNothing();
}

export async function setTargetAllowlist(env: { DB: D1Database }, orgId: string, allowlist: string[]): Promise<void> {
  await database(env).update(orgs).set({ targetAllowlist: allowlist }).where(eq(orgs.id, orgId));
}
