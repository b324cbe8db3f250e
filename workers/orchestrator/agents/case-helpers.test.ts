/**
 * Lazy drafts: an agent's drafts are built only until its per-operation cap is reached (a 4 MB
 * spec keeps ~1 case per operation), and groups read twice (strong, then weak) build each item once.
 */
import { describe, expect, it } from "vitest";
import { deferred, finishCases, replayable, roundRobin, roundRobinLazy, where, type CaseDraft } from "./case-helpers";

function draft(n: number, weak = false): CaseDraft {
  return { kind: "negative", title: `draft ${n}`, steps: [{ id: "request", request: { method: "get", path: `/items/${n}`, pathParams: {}, query: {}, headers: {} }, checks: [] }], tags: weak ? ["weak"] : [] };
}

/** A lazy group that records which of its drafts were built. */
function counted(values: number[], built: number[]): Generator<CaseDraft> {
  return (function* () {
    for (const n of values) {
      built.push(n);
      yield draft(n);
    }
  })();
}

describe("lazy case drafts", () => {
  it("finishCases stops building drafts once the cap is reached", () => {
    const built: number[] = [];
    const cases = finishCases("agent", "op", roundRobinLazy([counted([1, 2], built), counted([3, 4], built)]), 1);
    expect(cases.map((c) => c.title)).toEqual(["draft 1"]);
    expect(built).toEqual([1]);
    const two = finishCases("agent", "op", roundRobinLazy([counted([1, 2], []), counted([3, 4], [])]), 3);
    expect(two.map((c) => c.id)).toEqual(["agent:op:0", "agent:op:1", "agent:op:2"]);
    expect(finishCases("agent", "op", counted([1], built), 0)).toEqual([]);
  });

  it("roundRobinLazy keeps roundRobin's order over groups of different lengths", () => {
    const groups = [[1, 2, 3], [], [4], [5, 6]];
    expect([...roundRobinLazy(groups)]).toEqual(roundRobin(groups));
  });

  it("a replayable group read by two filters builds each item once, in order", () => {
    const built: number[] = [];
    const source = replayable(
      (function* () {
        for (const [n, weak] of [[1, false], [2, true], [3, false]] as const) {
          built.push(n);
          yield draft(n, weak);
        }
      })(),
    );
    const strong = where(source, (d) => !d.tags?.includes("weak"));
    expect(strong.next().value?.title).toBe("draft 1");
    expect(built).toEqual([1]);
    const weak = [...where(source, (d) => d.tags?.includes("weak") === true)].map((d) => d.title);
    expect(weak).toEqual(["draft 2"]);
    expect([...strong].map((d) => d.title)).toEqual(["draft 3"]);
    expect(built).toEqual([1, 2, 3]);
  });

  it("a deferred group is built only when its first item is asked for", () => {
    let calls = 0;
    const group = deferred(() => {
      calls++;
      return [draft(1)];
    });
    expect(calls).toBe(0);
    expect([...group].length).toBe(1);
    expect(calls).toBe(1);
  });
});
