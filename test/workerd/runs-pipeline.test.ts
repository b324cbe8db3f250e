/**
 * The run pipeline inside workerd with real D1, R2, Queues and Durable Objects: TestRun → TASKS
 * queue → executor → D1, against a local target. Cases are made here (the planner has its own
 * tests); runs-api.test.ts goes through the REST API and the planner.
 */
import { abortAllDurableObjects, createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TestRun } from "../../durable-objects/test-run";
import worker from "../../workers/index";
import { countFindings, listFindings } from "../../workers/storage/findings-repo";
import { RunTaskStore } from "../../workers/storage/run-tasks-store";
import { resultRows, simpleCases, startRunWithCases, waitForTerminal } from "./runs-helpers";

async function storedTaskBodies(stub: DurableObjectStub<TestRun>): Promise<unknown[]> {
  return runInDurableObject(stub, (_instance, state) =>
    new RunTaskStore(state.storage.sql).bodies().map((body) => JSON.parse(body) as unknown),
  );
}

function expectEachCaseOnce(rows: { case_id: string }[], count: number) {
  expect(rows.length).toBe(count);
  expect(new Set(rows.map((r) => r.case_id)).size).toBe(count);
}

describe("run pipeline", () => {
  it("runs 320 cases and stores every result exactly once", async () => {
    const cases = simpleCases(320, "ok");
    const { runId, stub } = await startRunWithCases(cases);
    const run = await waitForTerminal(runId, 50_000);
    expect(run.status).toBe("passed");
    const rows = await resultRows(runId);
    expectEachCaseOnce(rows, 320);
    expect(rows.every((r) => r.status === "passed")).toBe(true);
    expect(run.stats).toMatchObject({ cases: 320, passed: 320, failed: 0, errored: 0, requests: 320, findings: 0 });
    expect(run.startedAt).toBeTypeOf("number");
    expect(run.finishedAt! >= run.startedAt!).toBe(true);
    // the credentials were sent but never stored in clear
    expect(rows[0].exchanges).not.toContain("secret-token-123");
    // in the object's storage too the credentials were sealed, and they are dropped once the run is over
    const meta = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ v: string }>(`SELECT v FROM meta`).toArray().map((r) => r.v).join("\n"));
    expect(meta).not.toContain("secret-token-123");
    expect(meta).toContain('"identitiesEnc":""');
    const progress = await stub.getProgress();
    expect(progress).toMatchObject({ status: "passed", cases: 320, done: 320 });
    expect(progress!.tasks.total).toBe(progress!.tasks.done);
  });

  it("stores results and counts findings once when every message is delivered again, twice", async () => {
    const cases = [...simpleCases(300, "ok"), ...simpleCases(30, "error").map((c) => ({ ...c, id: `err-${c.id}` }))];
    const { runId, stub } = await startRunWithCases(cases, { deadlineMs: 55_000 });
    // wait until the object has queued its tasks, then deliver each of them twice more, concurrently
    let bodies: unknown[] = [];
    for (let i = 0; i < 100 && bodies.length === 0; i++) {
      bodies = await storedTaskBodies(stub);
      if (bodies.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(bodies.length).toBeGreaterThan(5);
    const messages = bodies.flatMap((body, i) => [
      { id: `dup-a-${i}`, timestamp: new Date(), attempts: 1, body },
      { id: `dup-b-${i}`, timestamp: new Date(), attempts: 1, body },
    ]);
    const ctx = createExecutionContext();
    const batch = createMessageBatch("sentinel-tasks", messages);
    await worker.queue(batch, env);
    const outcome = await getQueueResult(batch, ctx);
    expect(outcome.retryMessages).toEqual([]);
    expect(outcome.explicitAcks.length).toBe(messages.length);

    const run = await waitForTerminal(runId, 50_000);
    expect(run.status).toBe("failed");
    const rows = await resultRows(runId);
    expectEachCaseOnce(rows, 330);
    expect(rows.filter((r) => r.status === "failed").length).toBe(30);
    expect(run.stats).toMatchObject({ cases: 330, passed: 300, failed: 30, errored: 0, requests: 330 });
    // the 30 equal server errors are one finding seen 30 times, not 60 or 90
    expect(await countFindings(env.DB, runId)).toBeGreaterThan(0);
    const findings = await listFindings(env.DB, "org_default", runId);
    expect(findings.reduce((n, f) => n + f.occurrences, 0)).toBe(30);
  });

  it("finishes correctly when the TestRun object is restarted mid-run", async () => {
    const cases = simpleCases(300, "ok", { delay: "15" });
    const { runId } = await startRunWithCases(cases, { deadlineMs: 55_000 });
    // let some results land, then tear every Durable Object down (storage survives)
    for (let i = 0; i < 200; i++) {
      const { n } = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM results WHERE run_id = ?`).bind(runId).first<{ n: number }>())!;
      if (n >= 30) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = (await resultRows(runId)).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(300);
    await abortAllDurableObjects();
    const run = await waitForTerminal(runId, 55_000);
    expect(run.status).toBe("passed");
    expectEachCaseOnce(await resultRows(runId), 300);
    expect(run.stats).toMatchObject({ cases: 300, passed: 300 });
  });

  it("survives a reload mid-run: work of a killed executor and a lost queue message are sent again, every case counted once", async () => {
    const cases = simpleCases(240, "ok", { delay: "15" });
    const lost = simpleCases(8, "ok").map((c) => ({ ...c, id: `lost-${c.id}` }));
    const { runId, stub } = await startRunWithCases(cases, { timeoutMs: 2000, deadlineMs: 55_000 });
    let bodies: { taskId: string }[] = [];
    for (let i = 0; i < 100 && bodies.length === 0; i++) {
      bodies = (await storedTaskBodies(stub)) as { taskId: string }[];
      if (bodies.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    // two tasks an executor took and was killed with by the reload (it holds their leases and never
    // beats), and a queue message lost in the reload (recorded as sent, the queue never delivers it).
    // Made here rather than taken from the run's own tasks: the local queue may have delivered all
    // of those in its first batch already.
    const killed = [0, 1].map((n) => ({ v: 1, runId, taskId: `${runId}.killed${n}`, cases: simpleCases(4, "ok").map((c) => ({ ...c, id: `killed${n}-${c.id}` })) }));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const add = [{ v: 1, runId, taskId: `${runId}.lost`, cases: lost }, ...killed];
      add.forEach((task, n) => sql.exec(`INSERT INTO tasks (id, seq, body, cases, sent, sent_at) VALUES (?, ?, ?, ?, 1, ?)`, task.taskId, 99997 + n, JSON.stringify(task), task.cases.length, Date.now()));
      const row = sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'state'`).one();
      const runState = JSON.parse(row.v) as { cases: number };
      sql.exec(`UPDATE meta SET v = ? WHERE k = 'state'`, JSON.stringify({ ...runState, cases: runState.cases + add.reduce((n, t) => n + t.cases.length, 0) }));
    });
    const taken = await stub.tasksStarted(
      killed.map((t) => t.taskId),
      "killed-invocation",
    );
    expect(taken.every((t) => t.go)).toBe(true);
    // a first delivery never leased before: the executor may skip looking for recorded results
    expect(taken.every((t) => t.fresh === true)).toBe(true);
    // once leased, a later take of the same task is not fresh (its executor may have written results)
    expect((await stub.tasksStarted([killed[1].taskId], "killed-invocation"))[0]!.fresh).not.toBe(true);
    // their messages arrive meanwhile: a live executor finds them under the killed one's lease and drops them
    const ctx = createExecutionContext();
    const batch = createMessageBatch("sentinel-tasks", killed.map((body, i) => ({ id: `killed-${i}`, timestamp: new Date(), attempts: 1, body })));
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks.length).toBe(2);
    // and the Durable Object itself restarts
    await abortAllDurableObjects();
    const run = await waitForTerminal(runId, 50_000);
    expect(run.status).toBe("passed");
    expectEachCaseOnce(await resultRows(runId), 256);
    expect(run.stats).toMatchObject({ cases: 256, passed: 256, errored: 0 });
    // the stub from before the restart is dead: a fresh one
    const fresh = env.TEST_RUN.get(env.TEST_RUN.idFromName(runId));
    const sends = await runInDurableObject(fresh, (_i, state) =>
      state.storage.sql.exec<{ id: string; sends: number }>(`SELECT id, sends FROM tasks WHERE id = ?`, `${runId}.lost`).one(),
    );
    // the lost task was sent by the watchdog (it was never sent before)
    expect(sends.sends).toBeGreaterThanOrEqual(1);
  });

  it("does not lose cases whose messages could not be delivered (dead-letter queue)", async () => {
    const cases = simpleCases(5, "ok");
    const { runId, stub } = await startRunWithCases(cases);
    const run = await waitForTerminal(runId, 20_000);
    expect(run.status).toBe("passed");
    // a late dead letter for an already finished task changes nothing
    const [body] = await storedTaskBodies(stub);
    const ctx = createExecutionContext();
    const batch = createMessageBatch("sentinel-tasks-dlq", [{ id: "dead-1", timestamp: new Date(), attempts: 4, body }]);
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dead-1"]);
    expect((await resultRows(runId)).every((r) => r.status === "passed")).toBe(true);
  });

  it("settles a dead letter's cases as errored (delivery failed) and the run ends", async () => {
    const { runId, stub } = await startRunWithCases(simpleCases(3, "hang"), { timeoutMs: 8_000, deadlineMs: 40_000 });
    let bodies: unknown[] = [];
    for (let i = 0; i < 100 && bodies.length === 0; i++) {
      bodies = await storedTaskBodies(stub);
      if (bodies.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const ctx = createExecutionContext();
    const batch = createMessageBatch("sentinel-tasks-dlq", bodies.map((body, i) => ({ id: `dead-${i}`, timestamp: new Date(), attempts: 4, body })));
    await worker.queue(batch, env);
    await getQueueResult(batch, ctx);
    const run = await waitForTerminal(runId, 10_000);
    expect(run.status).toBe("errored");
    const rows = await resultRows(runId);
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.status === "errored" && r.reason === "delivery failed")).toBe(true);
  });

  it("cancel stops the run and records unfinished cases as skipped", async () => {
    const { runId, stub } = await startRunWithCases(simpleCases(20, "hang"), { timeoutMs: 5_000, deadlineMs: 50_000 });
    await new Promise((r) => setTimeout(r, 300));
    const progress = await stub.cancel();
    expect(progress?.status).toBe("cancelled");
    const run = await waitForTerminal(runId, 5_000);
    expect(run.status).toBe("cancelled");
    const rows = await resultRows(runId);
    expect(rows.length).toBe(20);
    expect(rows.every((r) => r.status === "skipped" && r.reason === "run cancelled")).toBe(true);
    // cancelling again is harmless
    expect((await stub.cancel())?.status).toBe("cancelled");
  });
});
