/**
 * The task messages of one run in one queue invocation share one call to the executor process
 * (process-protocol.ts): their cases run there as one pool, so a task's last slow cases no longer
 * leave the slots of the others idle, and the call's start (its request, the context) is paid
 * once per invocation instead of once per task.
 *
 * Each task takes a ticket when the invocation starts (before anything is awaited, so their number
 * is known); it then joins with its cases, or leaves (it sends nothing there: dropped, refused,
 * settled, nothing pending). Once every ticket joined or left, the call goes out. A member's wait
 * ends as soon as its own group ended there — the task is stored and reported while the other
 * groups' cases go on — or when the call ended or failed (the task then runs what was not
 * answered itself). A ticket that neither joins nor leaves would hold the others: callers leave
 * in a `finally`.
 */
import type { TestCase } from "../model";
import type { RemoteHandlers } from "./process-client";

/** What a task is told of its own cases in the pool. */
export interface MemberHandlers {
  result: RemoteHandlers["result"];
  skipped(caseId: string): void;
  /** the task's observations, once its last case ended */
  observations: (rows: Parameters<RemoteHandlers["groupEnded"]>[1]) => void;
}

/** Sends the groups to the executor process; true when every group ended (or the run is over), false when the call failed. */
export type Launch = (groups: TestCase[][], on: RemoteHandlers) => Promise<boolean>;

export interface PoolTicket {
  /** Runs `cases` (non-empty) in the pool; resolves once they all ended there, or the call ended or failed. */
  join(cases: TestCase[], on: MemberHandlers, launch: Launch): Promise<void>;
  /** This task sends nothing there (nothing once it joined; idempotent). */
  leave(): void;
}

interface Member {
  cases: TestCase[];
  on: MemberHandlers;
  done: () => void;
}

export function remotePool(): { ticket(): PoolTicket } {
  let open = 0;
  const members: Member[] = [];
  let launcher: Launch | undefined;

  const settle = () => {
    if (--open > 0 || members.length === 0) return;
    const byCase = new Map<string, Member>();
    for (const member of members) for (const c of member.cases) byCase.set(c.id, member);
    const groups = members.map((m) => m.cases);
    void launcher!(groups, {
      result: async (stored) => byCase.get(stored.head.caseId)?.on.result(stored),
      skipped: (caseId) => byCase.get(caseId)?.on.skipped(caseId),
      groupEnded: (group, rows) => {
        const member = members[group];
        if (!member) return;
        member.on.observations(rows);
        member.done();
      },
    })
      .catch(() => false)
      .finally(() => members.forEach((m) => m.done()));
  };

  return {
    ticket() {
      open++;
      let settled = false;
      return {
        join(cases, on, launch) {
          if (settled) throw new Error("a pool ticket joins at most once, and not after leaving");
          settled = true;
          launcher ??= launch;
          const joined = new Promise<void>((resolve) => members.push({ cases, on, done: resolve }));
          settle();
          return joined;
        },
        leave() {
          if (settled) return;
          settled = true;
          settle();
        },
      };
    },
  };
}
