import { describe, expect, it } from "vitest";
import { labelledTails } from "./local-platform";

describe("labelledTails", () => {
  it("keeps each process's own last lines, so the main process's error is not crowded out by the executor's start-up lines", () => {
    const main = ["main starting", '{"level":"error","msg":"unhandled error","requestId":"r1"}'];
    const executor = Array.from({ length: 20 }, (_, i) => `executor warning ${i}`);
    const tails = labelledTails([{ label: "main", lines: main }, { label: "executor", lines: executor }], 3);
    expect(tails).toEqual([
      "[main] main starting",
      '[main] {"level":"error","msg":"unhandled error","requestId":"r1"}',
      "[executor] executor warning 17",
      "[executor] executor warning 18",
      "[executor] executor warning 19",
    ]);
  });

  it("removes terminal colours", () => {
    expect(labelledTails([{ label: "main", lines: ["\u001b[33m▲ \u001b[43;33m[WARNING]\u001b[0m text"] }], 5)).toEqual(["[main] ▲ [WARNING] text"]);
  });
});
