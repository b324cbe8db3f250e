/**
 * The TestRun's task store in a real Durable Object's SQLite: task bodies live in their own table
 * (a lease, beat or done must not rewrite a 40 KB row), and rows stored before that — the body in
 * the task's own row — still read back, in order, beside new ones.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RunTaskStore } from "../../workers/storage/run-tasks-store";

describe("run task store", () => {
  it("reads bodies stored in either place, and leases and finishes without touching them", async () => {
    const stub = env.TEST_RUN.get(env.TEST_RUN.idFromName(`store-${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const store = new RunTaskStore(sql);
      // a row from before the bodies' own table: its body in the task row
      sql.exec(`INSERT INTO tasks (id, seq, body, cases) VALUES ('old', 0, '{"old":1}', 1)`);
      store.insertTask("new", 1, '{"new":2}', 2);
      store.insertTask("new", 1, '{"other":3}', 2); // idempotent: the first body stays
      expect(store.bodies()).toEqual(['{"old":1}', '{"new":2}']);
      expect(store.unsent().map((t) => [t.id, t.body])).toEqual([["old", '{"old":1}'], ["new", '{"new":2}']]);
      expect(store.unsent({ beforeSeq: 1 }).map((t) => t.id)).toEqual(["old"]);
      store.markSent(["old", "new"], 1000);
      store.takeLease("new", "lease-a", 1000);
      expect(store.countInFlight()).toBe(2);
      expect(store.finish("new", { passed: 2 })).toBe(true);
      expect(store.finish("new", { passed: 2 })).toBe(false);
      expect(store.open()).toEqual([{ id: "old", body: '{"old":1}' }]);
      expect(store.countInFlight()).toBe(1);
      // the new task's row holds no body: its updates rewrite a small row
      expect(sql.exec<{ n: number }>(`SELECT length(body) AS n FROM tasks WHERE id = 'new'`).one().n).toBe(0);
    });
  });
});
