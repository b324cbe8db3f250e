/**
 * The TestRun Durable Object's own SQLite (tables `meta` and `tasks`): its state, its inputs and
 * the queue tasks of the run with their lease, heartbeat and summary. Raw SQL on purpose: the
 * statements are the point here (conditional updates that make every step idempotent, RETURNING
 * to learn whether a report counted, json_extract to total the summaries in one pass).
 */

import { inList } from "./db";

export interface TaskLease {
  lease: string | null;
  beatAt: number | null;
  done: boolean;
  /** how many times the task was sent (the watchdog sends again) */
  sends: number;
}

export interface SentTask {
  id: string;
  sentAt: number | null;
  lease: string | null;
  beatAt: number | null;
}

export interface TaskTotals {
  total: number;
  sent: number;
  done: number;
  doneCases: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}


export class RunTaskStore {
  /**
   * Parsed meta values by key: the run's state and inputs are read on every RPC and change
   * rarely. Only this object writes its storage (a Durable Object is single-threaded), so an entry
   * stays true until the next write of its key, which drops it. Values read are never mutated.
   */
  private readonly metaCache = new Map<string, unknown>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    sql.exec(
      `CREATE TABLE IF NOT EXISTS tasks (
         id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL, cases INTEGER NOT NULL,
         sent INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0, summary TEXT)`,
    );
    // watchdog columns (runs stored before them get them here): when sent, who runs it, its last beat
    const columns = new Set(sql.exec<{ name: string }>(`PRAGMA table_info(tasks)`).toArray().map((c) => c.name));
    for (const [name, type] of [["sent_at", "INTEGER"], ["lease", "TEXT"], ["beat_at", "INTEGER"], ["sends", "INTEGER NOT NULL DEFAULT 0"]]) {
      if (!columns.has(name)) sql.exec(`ALTER TABLE tasks ADD COLUMN ${name} ${type}`);
    }
    // a task's body (its cases, ~40 KB) lives in a table of its own: in the task's row it pushed the
    // columns after it into overflow pages, so every lease, beat and done rewrote the whole body and
    // every count walked all bodies. Rows stored before keep theirs in `tasks.body` (read as a fallback).
    sql.exec(`CREATE TABLE IF NOT EXISTS task_bodies (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
  }

  // ---------------------------------------------------------------- meta: JSON values by key

  readMeta<T>(key: string): T | undefined {
    if (this.metaCache.has(key)) return this.metaCache.get(key) as T | undefined;
    const rows = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = ?`, key).toArray();
    const value = rows.length ? (JSON.parse(rows[0].v) as T) : undefined;
    this.metaCache.set(key, value);
    return value;
  }

  writeMeta(key: string, value: unknown): void {
    // dropped, not replaced: a write inside a transaction that rolls back must not leave its value here
    this.metaCache.delete(key);
    this.sql.exec(`INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key, JSON.stringify(value));
  }

  deleteMeta(key: string): void {
    this.metaCache.delete(key);
    this.sql.exec(`DELETE FROM meta WHERE k = ?`, key);
  }

  /** Blanks the given fields of the JSON stored under `key` (secrets no longer needed). */
  blankMetaFields(key: string, fields: readonly string[]): void {
    if (fields.length === 0) return;
    this.metaCache.delete(key);
    const paths = fields.map(() => "?, ''").join(", ");
    this.sql.exec(`UPDATE meta SET v = json_set(v, ${paths}) WHERE k = ?`, ...fields.map((f) => `$.${f}`), key);
  }

  // ---------------------------------------------------------------- tasks

  /** Idempotent: a task already stored keeps its state. */
  insertTask(id: string, seq: number, body: string, cases: number): void {
    this.sql.exec(`INSERT OR IGNORE INTO tasks (id, seq, body, cases) VALUES (?, ?, '', ?)`, id, seq, cases);
    this.sql.exec(`INSERT OR IGNORE INTO task_bodies (id, body) VALUES (?, ?)`, id, body);
  }

  lease(taskId: string): TaskLease | undefined {
    const rows = this.sql
      .exec<{ lease: string | null; beat_at: number | null; done: number; sends: number }>(`SELECT lease, beat_at, done, sends FROM tasks WHERE id = ?`, taskId)
      .toArray();
    return rows.length === 0 ? undefined : { lease: rows[0].lease, beatAt: rows[0].beat_at, done: rows[0].done === 1, sends: rows[0].sends };
  }

  takeLease(taskId: string, lease: string, now: number): void {
    this.sql.exec(`UPDATE tasks SET lease = ?, beat_at = ? WHERE id = ?`, lease, now, taskId);
  }

  /** Heartbeat of the tasks still open under `lease`. */
  beat(taskIds: readonly string[], lease: string, now: number): void {
    if (taskIds.length === 0) return;
    this.sql.exec(`UPDATE tasks SET beat_at = ? WHERE lease = ? AND done = 0 AND id IN (${inList(taskIds.length)})`, now, lease, ...taskIds);
  }

  /** Marks a task done with its summary; false when it was done already (a late duplicate). */
  finish(taskId: string, summary: unknown): boolean {
    return this.sql.exec(`UPDATE tasks SET done = 1, summary = ? WHERE id = ? AND done = 0 RETURNING id`, JSON.stringify(summary), taskId).toArray().length > 0;
  }

  markSent(ids: readonly string[], now: number): void {
    if (ids.length === 0) return;
    this.sql.exec(`UPDATE tasks SET sent = 1, sent_at = ?, sends = sends + 1 WHERE id IN (${inList(ids.length)})`, now, ...ids);
  }

  /** Sent again by the watchdog: the lease and heartbeat are forgotten. */
  markUnsent(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.sql.exec(`UPDATE tasks SET sent = 0, lease = NULL, beat_at = NULL WHERE id IN (${inList(ids.length)})`, ...ids);
  }

  /** Unsent tasks in order; `beforeSeq` keeps those before it, `limit` the first ones. */
  unsent(opts: { beforeSeq?: number; limit?: number } = {}): { id: string; body: string }[] {
    const where = opts.beforeSeq === undefined ? "" : " AND t.seq < ?";
    const limit = opts.limit === undefined ? "" : " LIMIT ?";
    const args = [...(opts.beforeSeq === undefined ? [] : [opts.beforeSeq]), ...(opts.limit === undefined ? [] : [opts.limit])];
    return this.sql
      .exec<{ id: string; body: string }>(`SELECT t.id, COALESCE(b.body, t.body) AS body FROM tasks t LEFT JOIN task_bodies b ON b.id = t.id WHERE t.sent = 0${where} ORDER BY t.seq${limit}`, ...args)
      .toArray();
  }

  /** Tasks sent and not done yet, with what the watchdog needs to judge them. */
  inFlight(): SentTask[] {
    return this.sql
      .exec<{ id: string; sent_at: number | null; lease: string | null; beat_at: number | null }>(`SELECT id, sent_at, lease, beat_at FROM tasks WHERE sent = 1 AND done = 0`)
      .toArray()
      .map((t) => ({ id: t.id, sentAt: t.sent_at, lease: t.lease, beatAt: t.beat_at }));
  }

  countInFlight(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE sent = 1 AND done = 0`).one().n;
  }

  countOpen(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE done = 0`).one().n;
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks`).one().n;
  }

  /** Bodies of the tasks not done, in order. */
  open(): { id: string; body: string }[] {
    return this.sql.exec<{ id: string; body: string }>(`SELECT t.id, COALESCE(b.body, t.body) AS body FROM tasks t LEFT JOIN task_bodies b ON b.id = t.id WHERE t.done = 0 ORDER BY t.seq`).toArray();
  }

  /** Bodies of every task, in order. */
  bodies(): string[] {
    return this.sql.exec<{ body: string }>(`SELECT COALESCE(b.body, t.body) AS body FROM tasks t LEFT JOIN task_bodies b ON b.id = t.id ORDER BY t.seq`).toArray().map((t) => t.body);
  }

  /** Settles an open task without an executor's summary (the run ended first). */
  settle(taskId: string, summary: unknown): void {
    this.sql.exec(`UPDATE tasks SET done = 1, summary = ? WHERE id = ? AND done = 0`, JSON.stringify(summary), taskId);
  }

  /** Task counts and the case outcomes their summaries report, in one pass. */
  totals(): TaskTotals {
    return this.sql
      .exec<{ total: number; sent: number; done: number; doneCases: number; passed: number; failed: number; errored: number; skipped: number }>(
        `SELECT COUNT(*) AS total, COALESCE(SUM(sent), 0) AS sent, COALESCE(SUM(done), 0) AS done,
                COALESCE(SUM(CASE WHEN done = 1 THEN cases ELSE 0 END), 0) AS doneCases,
                COALESCE(SUM(json_extract(summary, '$.passed')), 0) AS passed,
                COALESCE(SUM(json_extract(summary, '$.failed')), 0) AS failed,
                COALESCE(SUM(json_extract(summary, '$.errored')), 0) AS errored,
                COALESCE(SUM(json_extract(summary, '$.skipped')), 0) AS skipped
         FROM tasks`,
      )
      .one();
  }
}
