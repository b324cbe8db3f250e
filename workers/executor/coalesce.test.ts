import { describe, expect, it } from "vitest";
import { coalescer } from "./coalesce";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A write the test ends by hand; it records each round's jobs. */
function drivenWrite() {
  const rounds: { jobs: string[]; end: (error?: Error) => void }[] = [];
  const write = (jobs: string[]) => new Promise<void>((resolve, reject) => rounds.push({ jobs, end: (error) => (error ? reject(error) : resolve()) }));
  return { rounds, write };
}

describe("coalescer", () => {
  it("writes at once when every member handed its job in", async () => {
    const { rounds, write } = drivenWrite();
    const add = coalescer(write, { lingerMs: 10_000, allIn: () => true });
    const done = add("a");
    expect(rounds.map((r) => r.jobs)).toEqual([["a"]]);
    rounds[0]!.end();
    await done;
  });

  it("holds a job for the others until its linger ends, then writes what came meanwhile in one round", async () => {
    const { rounds, write } = drivenWrite();
    const add = coalescer(write, { lingerMs: 40, allIn: () => false });
    const settled: string[] = [];
    const a = add("a").then(() => settled.push("a"));
    await sleep(10);
    const b = add("b").then(() => settled.push("b"));
    expect(rounds).toHaveLength(0);
    await sleep(60);
    expect(rounds.map((r) => r.jobs)).toEqual([["a", "b"]]);
    expect(settled).toEqual([]);
    rounds[0]!.end();
    await Promise.all([a, b]);
    expect(settled).toEqual(["a", "b"]);
  });

  it("goes as soon as the last member hands in, without waiting out the linger", async () => {
    const { rounds, write } = drivenWrite();
    let members = 2;
    const add = coalescer(write, { lingerMs: 10_000, allIn: () => --members <= 0 });
    void add("a");
    expect(rounds).toHaveLength(0);
    void add("b");
    expect(rounds.map((r) => r.jobs)).toEqual([["a", "b"]]);
  });

  it("never writes two rounds at a time: jobs handed in during a write go together in the next", async () => {
    const { rounds, write } = drivenWrite();
    const add = coalescer(write, { lingerMs: 0, allIn: () => true });
    const a = add("a");
    const b = add("b");
    const c = add("c");
    expect(rounds.map((r) => r.jobs)).toEqual([["a"]]);
    rounds[0]!.end();
    await a;
    expect(rounds.map((r) => r.jobs)).toEqual([["a"], ["b", "c"]]);
    rounds[1]!.end();
    await Promise.all([b, c]);
  });

  it("a failed write fails its own jobs only; the next round is written", async () => {
    const { rounds, write } = drivenWrite();
    const add = coalescer(write, { lingerMs: 0, allIn: () => true });
    const a = add("a");
    const b = add("b");
    rounds[0]!.end(new Error("D1 down"));
    await expect(a).rejects.toThrow("D1 down");
    expect(rounds.map((r) => r.jobs)).toEqual([["a"], ["b"]]);
    rounds[1]!.end();
    await expect(b).resolves.toBeUndefined();
  });
});
