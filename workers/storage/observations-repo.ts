/** A run's observations of successful responses, between the executor and the run's finalize. */
import type { Observation } from "../ai/invariants/observe";
import { jsonRowBatches } from "./db";

/** Read back at most this many per run (inference needs a handful per operation, not thousands). */
const READ_LIMIT = 20_000;

/**
 * The statements that store a task's observations, to run in the same D1 batch as its results
 * (one round trip per task); the rows travel as one JSON parameter (json_each). Observations are
 * bounded summaries (ai/invariants/observe.ts), so they cannot make that batch fail where the
 * results alone would not; a redelivery ignores them.
 */
export function observationInserts(db: D1Database, orgId: string, runId: string, rows: readonly { id: string; observation: Observation }[]): D1PreparedStatement[] {
  return jsonRowBatches(rows.map((row) => ({ id: row.id, operationId: row.observation.operationId, data: row.observation }))).map((json) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO observations (run_id, id, org_id, operation_id, data)
         SELECT ?, json_extract(r.value, '$.id'), ?, json_extract(r.value, '$.operationId'), json_extract(r.value, '$.data') FROM json_each(?) r`,
      )
      .bind(runId, orgId, json),
  );
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
