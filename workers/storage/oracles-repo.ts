/** Oracles per (org, spec name): LLM oracles and inferred invariants, with the user's verdict. */
import type { StoredOracle, OracleStatus } from "../ai/planner/propose-oracles";

interface OracleRow {
  id: string;
  operationId: string;
  source: string;
  sentence: string;
  assertion: string;
  status: string;
  observations: number | null;
}

function toOracle(row: OracleRow): StoredOracle {
  return {
    id: row.id,
    operationId: row.operationId,
    source: row.source === "inferred" ? "inferred" : "llm",
    sentence: row.sentence,
    assertion: JSON.parse(row.assertion),
    status: (["proposed", "accepted", "rejected"].includes(row.status) ? row.status : "proposed") as OracleStatus,
    ...(row.observations !== null ? { observations: row.observations } : {}),
  };
}

const COLUMNS = `id, operation_id AS operationId, source, sentence, assertion, status, observations`;

export async function listOracles(db: D1Database, orgId: string, specName: string): Promise<StoredOracle[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM oracles WHERE org_id = ? AND spec_name = ? ORDER BY created_at, id LIMIT 2000`).bind(orgId, specName).all<OracleRow>();
  return results.map(toOracle);
}

/** New oracles only: an existing id keeps its status (a user's verdict is never overwritten). */
export async function insertOracles(db: D1Database, orgId: string, specName: string, oracles: readonly StoredOracle[]): Promise<void> {
  if (oracles.length === 0) return;
  await db.batch(
    oracles.map((o) =>
      db
        .prepare(`INSERT OR IGNORE INTO oracles (org_id, spec_name, id, operation_id, source, sentence, assertion, status, observations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .bind(orgId, specName, o.id, o.operationId, o.source, o.sentence, JSON.stringify(o.assertion), o.status, o.observations ?? null),
    ),
  );
}

/** Inferred invariants are refreshed from each run's observations (their status is kept). */
export async function upsertInvariants(db: D1Database, orgId: string, specName: string, invariants: readonly StoredOracle[]): Promise<void> {
  if (invariants.length === 0) return;
  await db.batch(
    invariants.map((o) =>
      db
        .prepare(
          `INSERT INTO oracles (org_id, spec_name, id, operation_id, source, sentence, assertion, status, observations) VALUES (?, ?, ?, ?, 'inferred', ?, ?, 'proposed', ?)
           ON CONFLICT (org_id, spec_name, id) DO UPDATE SET observations = excluded.observations, updated_at = (unixepoch('subsec') * 1000)`,
        )
        .bind(orgId, specName, o.id, o.operationId, o.sentence, JSON.stringify(o.assertion), o.observations ?? null),
    ),
  );
}

export async function setOracleStatus(db: D1Database, orgId: string, specName: string, id: string, status: OracleStatus): Promise<StoredOracle | undefined> {
  const row = await db
    .prepare(`UPDATE oracles SET status = ?, updated_at = (unixepoch('subsec') * 1000) WHERE org_id = ? AND spec_name = ? AND id = ? RETURNING ${COLUMNS}`)
    .bind(status, orgId, specName, id)
    .first<OracleRow>();
  return row ? toOracle(row) : undefined;
}
