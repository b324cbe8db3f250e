/**
 * Targets: a base URL plus identities (header sets). Header values are sealed with AES-GCM before
 * they reach D1; only identity and header names are stored in clear, for display.
 */
import { and, asc, eq } from "drizzle-orm";
import { newId } from "../shared/encoding";
import { decryptJson, encryptJson, type EncryptionEnv } from "../shared/secret-box";
import { database, isUniqueViolation } from "./db";
import { targets } from "./schema";

export type Identities = Record<string, Record<string, string>>;
export type TargetRow = typeof targets.$inferSelect;


/** Purpose bound into the ciphertext: target credentials cannot be replayed as, e.g., a hook secret. */
const PURPOSE = "target-identities";

export class TargetNameTakenError extends Error {}

export async function createTarget(db: D1Database, keys: EncryptionEnv, orgId: string, input: { name: string; baseUrl: string; identities: Identities }): Promise<TargetRow> {
  const id = newId("tgt");
  // The target id is part of the purpose so a ciphertext copied onto another target row fails to open.
  const identitiesEnc = await encryptJson(keys, `${PURPOSE}:${id}`, input.identities);
  const identitiesMeta = Object.fromEntries(Object.entries(input.identities).map(([name, headers]) => [name, Object.keys(headers)]));
  try {
    const [row] = await database(db)
      .insert(targets)
      .values({ id, orgId, name: input.name, baseUrl: input.baseUrl, identitiesEnc, identitiesMeta })
      .returning();
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new TargetNameTakenError(input.name);
    throw err;
  }
}

export async function getTarget(db: D1Database, orgId: string, targetId: string): Promise<TargetRow | null> {
  const [row] = await database(db)
    .select()
    .from(targets)
    .where(and(eq(targets.orgId, orgId), eq(targets.id, targetId)))
    .limit(1);
  return row ?? null;
}

export async function listTargets(db: D1Database, orgId: string): Promise<TargetRow[]> {
  return database(db).select().from(targets).where(eq(targets.orgId, orgId)).orderBy(asc(targets.name));
}

export async function deleteTarget(db: D1Database, orgId: string, targetId: string): Promise<boolean> {
  const rows = await database(db)
    .delete(targets)
    .where(and(eq(targets.orgId, orgId), eq(targets.id, targetId)))
    .returning({ id: targets.id });
  return rows.length > 0;
}

/** The decrypted identities of a target, for the run pipeline only; null when not this org's target. */
export async function loadTargetIdentities(db: D1Database, keys: EncryptionEnv, orgId: string, targetId: string): Promise<Identities | null> {
  const row = await getTarget(db, orgId, targetId);
  if (!row) return null;
  return decryptJson<Identities>(keys, `${PURPOSE}:${row.id}`, row.identitiesEnc);
}
