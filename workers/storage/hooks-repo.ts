/**
 * D1 access for webhooks: the hooks (signing secret sealed with AES-GCM, bound to the hook id) and
 * the deliveries seen, whose primary key (hook_id, delivery_id) makes a replay start nothing.
 */
import { and, asc, eq } from "drizzle-orm";
import { newId, randomBase62 } from "../shared/encoding";
import { decryptJson, encryptJson, type EncryptionEnv } from "../shared/secret-box";
import { database, inList } from "./db";
import { hooks } from "./schema";
export type HookKind = "github" | "generic";
export type HookRow = typeof hooks.$inferSelect;


const PURPOSE = "hook-secret";

export function hookUrl(row: { id: string; kind: HookKind }): string {
  return `/api/v1/hooks/${row.kind}/${row.id}`;
}

export async function createHook(db: D1Database, keys: EncryptionEnv, orgId: string, kind: HookKind, config: object): Promise<{ row: HookRow; secret: string }> {
  const id = newId("hook");
  // 190 bits; the prefix makes a leaked secret easy to recognise in logs and scanners
  const secret = `whsec_${randomBase62(32)}`;
  const secretEnc = await encryptJson(keys, `${PURPOSE}:${id}`, secret);
  const [row] = await database(db).insert(hooks).values({ id, orgId, kind, secretEnc, config }).returning();
  return { row, secret };
}

/** For deliveries, which carry no org: the id alone finds the hook. */
export async function findHook(db: D1Database, hookId: string): Promise<HookRow | null> {
  const [row] = await database(db).select().from(hooks).where(eq(hooks.id, hookId)).limit(1);
  return row ?? null;
}

export async function getOrgHook(db: D1Database, orgId: string, hookId: string): Promise<HookRow | null> {
  const [row] = await database(db)
    .select()
    .from(hooks)
    .where(and(eq(hooks.orgId, orgId), eq(hooks.id, hookId)))
    .limit(1);
  return row ?? null;
}

export async function listHooks(db: D1Database, orgId: string): Promise<HookRow[]> {
  return database(db).select().from(hooks).where(eq(hooks.orgId, orgId)).orderBy(asc(hooks.createdAt), asc(hooks.id));
}

/** Deletes the hook; its delivery records go too (a deleted hook's URL answers 404 anyway). */
export async function deleteHook(db: D1Database, orgId: string, hookId: string): Promise<boolean> {
  const [del] = await db.batch([
    db.prepare(`DELETE FROM hooks WHERE org_id = ? AND id = ?`).bind(orgId, hookId),
    db.prepare(`DELETE FROM hook_deliveries WHERE hook_id = ? AND NOT EXISTS (SELECT 1 FROM hooks WHERE id = ?)`).bind(hookId, hookId),
  ]);
  return del.meta.changes === 1;
}

export function hookSecret(keys: EncryptionEnv, row: HookRow): Promise<string> {
  return decryptJson<string>(keys, `${PURPOSE}:${row.id}`, row.secretEnc);
}

export type DeliveryClaim = { claimed: true } | { claimed: false; runId: string | null };

/**
 * Records a delivery under every key that identifies it (the sender's delivery id, and the
 * signature, since the delivery-id header is not signed and could be changed in a replay). One
 * D1 batch is one transaction, so of two concurrent identical deliveries exactly one claims all keys.
 */
export async function claimDelivery(db: D1Database, hookId: string, keys: readonly string[]): Promise<DeliveryClaim> {
  const results = await db.batch(keys.map((key) => db.prepare(`INSERT OR IGNORE INTO hook_deliveries (hook_id, delivery_id) VALUES (?, ?)`).bind(hookId, key)));
  if (results.every((r) => r.meta.changes === 1)) return { claimed: true };
  const seen = await db.prepare(`SELECT run_id FROM hook_deliveries WHERE hook_id = ? AND delivery_id IN (${inList(keys.length)}) AND run_id IS NOT NULL LIMIT 1`)
    .bind(hookId, ...keys)
    .first<{ run_id: string }>();
  return { claimed: false, runId: seen?.run_id ?? null };
}

export async function recordDeliveryRun(db: D1Database, hookId: string, keys: readonly string[], runId: string): Promise<void> {
  await db.prepare(`UPDATE hook_deliveries SET run_id = ? WHERE hook_id = ? AND delivery_id IN (${inList(keys.length)})`)
    .bind(runId, hookId, ...keys)
    .run();
}

/** When starting the run failed, the sender's retry of the same delivery must be able to try again. */
export async function releaseDelivery(db: D1Database, hookId: string, keys: readonly string[]): Promise<void> {
  await db.prepare(`DELETE FROM hook_deliveries WHERE hook_id = ? AND delivery_id IN (${inList(keys.length)})`)
    .bind(hookId, ...keys)
    .run();
}
