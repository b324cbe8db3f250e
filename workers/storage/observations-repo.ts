/** A run's observations of successful responses, between the executor and the run's finalize. */
import type { Observation } from "../ai/invariants/observe";

/** Rows per D1 batch (bounds one statement batch). */
const CHUNK = 50;
/** Read back at most this many per run (inference needs a handful per operation, not thousands). */
const READ_LIMIT = 20_000;

export async function insertObservations(db: D1Database, orgId: string, runId: string, rows: readonly { id: string; observation: Observation }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.batch(
      rows
        .slice(i, i + CHUNK)
        .map((row) =>
          db
            .prepare(`INSERT OR IGNORE INTO observations (run_id, id, org_id, operation_id, data) VALUES (?, ?, ?, ?, ?)`)
            .bind(runId, row.id, orgId, row.observation.operationId, JSON.stringify(row.observation)),
        ),
    );
  }
}

export async function listRunObservations(db: D1Database, orgId: string, runId: string): Promise<Observation[]> {
  const { results } = await db
    .prepare(`SELECT data FROM observations WHERE run_id = ? AND org_id = ? ORDER BY operation_id, created_at LIMIT ?`)
    .bind(runId, orgId, READ_LIMIT)
    .all<{ data: string }>();
  return results.map((r) => JSON.parse(r.data) as Observation);
}

export async function deleteRunObservations(db: D1Database, runId: string): Promise<void> {
  await db.prepare(`DELETE FROM observations WHERE run_id = ?`).bind(runId).run();
}
