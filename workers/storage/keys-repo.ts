/** API keys: stored as SHA-256 hashes with a visible prefix; revoked keys stay for the audit trail. */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { newId } from "../shared/encoding";
import { database } from "./db";
import { apiKeys, type Role } from "./schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(
  db: D1Database,
  input: { orgId: string; userId: string | null; name: string; prefix: string; hash: string; role: Role; id?: string },
): Promise<ApiKeyRow> {
  const [row] = await database(db)
    .insert(apiKeys)
    .values({ id: input.id ?? newId("key"), orgId: input.orgId, userId: input.userId, name: input.name, prefix: input.prefix, hash: input.hash, role: input.role })
    .returning();
  return row;
}

/** INSERT OR IGNORE on the unique hash: safe when several isolates bootstrap the same key at once. */
export async function ensureApiKey(
  db: D1Database,
  input: { id: string; orgId: string; name: string; prefix: string; hash: string; role: Role },
): Promise<void> {
  await database(db)
    .insert(apiKeys)
    .values({ ...input, userId: null })
    .onConflictDoNothing();
}

export async function findApiKeyByHash(db: D1Database, hash: string): Promise<ApiKeyRow | null> {
  const [row] = await database(db).select().from(apiKeys).where(eq(apiKeys.hash, hash)).limit(1);
  return row ?? null;
}

export async function getApiKey(db: D1Database, orgId: string, id: string): Promise<ApiKeyRow | null> {
  const [row] = await database(db)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)))
    .limit(1);
  return row ?? null;
}

export async function listApiKeys(db: D1Database, orgId: string): Promise<ApiKeyRow[]> {
  return database(db).select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes once; true when this call revoked it. */
export async function revokeApiKey(db: D1Database, orgId: string, id: string, now = Date.now()): Promise<boolean> {
  const rows = await database(db)
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** Records use at most once per `everyMs`; the WHERE makes concurrent touches cheap no-ops. */
export async function touchApiKey(db: D1Database, id: string, now = Date.now(), everyMs = 60_000): Promise<void> {
  await database(db)
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - everyMs))));
}
