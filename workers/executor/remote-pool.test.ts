import { describe, expect, it } from "vitest";
import type { TestCase } from "../model";
import type { RemoteHandlers } from "./process-client";
import { remotePool, type Launch, type MemberHandlers } from "./remote-pool";

const testCase = (id: string) => ({ id, agent: "a", operationId: "op", kind: "k", title: id, steps: [] }) as unknown as TestCase;
const head = (caseId: string) => ({ head: { caseId, status: "passed" as const, requests: 1, answered: true }, row: "{}", findingRows: [] });

function member(log: string[], name: string): MemberHandlers {
  return {
    result: async ({ head: h }) => void log.push(`${name} result ${h.caseId}`),
    skipped: (id) => void log.push(`${name} skipped ${id}`),
    observations: (rows) => void log.push(`${name} observations ${rows.length}`),
  };
}

/** A launch the test drives: it records the groups and hands back the handlers and a way to end the call. */
function drivenLaunch() {
  const calls: { groups: string[][]; on: RemoteHandlers; end: (ok: boolean) => void }[] = [];
  const launch: Launch = (groups, on) => new Promise<boolean>((resolve) => calls.push({ groups: groups.map((g) => g.map((c) => c.id)), on, end: resolve }));
  return { calls, launch };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("remotePool", () => {
  it("sends one call once every ticket joined or left, with one group per member in join order", async () => {
    const pool = remotePool();
    const [a, b, c] = [pool.ticket(), pool.ticket(), pool.ticket()];
    const { calls, launch } = drivenLaunch();
    const log: string[] = [];
    void a.join([testCase("a1"), testCase("a2")], member(log, "A"), launch);
    await tick();
    expect(calls).toHaveLength(0);
    b.leave();
    void c.join([testCase("c1")], member(log, "C"), launch);
    await tick();
    expect(calls.map((call) => call.groups)).toEqual([[["a1", "a2"], ["c1"]]]);
  });

  it("ends a member's wait when its own group ended, while the other groups still run; results go to the case's task", async () => {
    const pool = remotePool();
    const [a, b] = [pool.ticket(), pool.ticket()];
    const { calls, launch } = drivenLaunch();
    const log: string[] = [];
    let aDone = false;
    let bDone = false;
    void a.join([testCase("a1")], member(log, "A"), launch).then(() => (aDone = true));
    void b.join([testCase("b1"), testCase("b2")], member(log, "B"), launch).then(() => (bDone = true));
    await tick();
    const { on, end } = calls[0]!;
    await on.result(head("b1"));
    await on.result(head("a1"));
    on.skipped("b2");
    on.groupEnded(0, []);
    await tick();
    expect([aDone, bDone]).toEqual([true, false]);
    on.groupEnded(1, [{ id: "o", observation: {} as never }]);
    await tick();
    expect(bDone).toBe(true);
    end(true);
    expect(log).toEqual(["B result b1", "A result a1", "B skipped b2", "A observations 0", "B observations 1"]);
  });

  it("releases every member when the call ends or fails without their groups (they run the rest themselves)", async () => {
    const pool = remotePool();
    const [a, b] = [pool.ticket(), pool.ticket()];
    const { calls, launch } = drivenLaunch();
    const waits = [a.join([testCase("a1")], member([], "A"), launch), b.join([testCase("b1")], member([], "B"), launch)];
    await tick();
    calls[0]!.end(false);
    await expect(Promise.all(waits)).resolves.toBeDefined();

    const failing = remotePool();
    const only = failing.ticket();
    await expect(only.join([testCase("x")], member([], "X"), () => Promise.reject(new Error("boom")))).resolves.toBeUndefined();
  });

  it("sends nothing when every ticket left; leaving twice or after joining changes nothing", async () => {
    const pool = remotePool();
    const [a, b] = [pool.ticket(), pool.ticket()];
    const { calls, launch } = drivenLaunch();
    a.leave();
    a.leave();
    b.leave();
    await tick();
    expect(calls).toHaveLength(0);

    const second = remotePool();
    const [c, d] = [second.ticket(), second.ticket()];
    void c.join([testCase("c1")], member([], "C"), launch);
    c.leave();
    await tick();
    expect(calls).toHaveLength(0);
    d.leave();
    await tick();
    expect(calls).toHaveLength(1);
  });
});
