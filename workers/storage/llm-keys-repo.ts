/** An org's sealed LLM provider keys (sealing and opening happen in runs/org-llm-keys.ts). */

export async function putSealedLlmKey(db: D1Database, orgId: string, provider: string, sealed: string): Promise<void> {
  await db
    .prepare(`INSERT INTO org_llm_keys (org_id, provider, sealed) VALUES (?, ?, ?) ON CONFLICT (org_id, provider) DO UPDATE SET sealed = excluded.sealed, updated_at = (unixepoch('subsec') * 1000)`)
    .bind(orgId, provider, sealed)
    .run();
}

export async function deleteLlmKey(db: D1Database, orgId: string, provider: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM org_llm_keys WHERE org_id = ? AND provider = ?`).bind(orgId, provider).run();
  return (result.meta.changes ?? 0) > 0;
}

export async function listSealedLlmKeys(db: D1Database, orgId: string): Promise<{ provider: string; sealed: string; updatedAt: number }[]> {
  const { results } = await db
    .prepare(`SELECT provider, sealed, updated_at AS updatedAt FROM org_llm_keys WHERE org_id = ? ORDER BY provider`)
    .bind(orgId)
    .all<{ provider: string; sealed: string; updatedAt: number }>();
  return results;
}
