import { describe, expect, it } from "vitest";
import { IN_FLIGHT_SLACK_MS, TargetWatch, watchRegistry } from "./target-watch";

describe("which request stopped the target", () => {
  it("names the earliest request never answered, not those that waited behind it", () => {
    const watch = new TargetWatch();
    const before = watch.sent(0);
    const culprit = watch.sent(5);
    const behind = [watch.sent(12), watch.sent(13)];
    watch.answered(before, 10);
    // the culprit times out first; the two sent after it are still in flight
    expect(watch.unanswered(culprit, true)).toEqual({ culprit: true, behind: 2 });
    expect(watch.unanswered(behind[0], true)).toEqual({ culprit: false, behind: 1 });
    expect(watch.unanswered(behind[1], true).culprit).toBe(false);
  });

  it("whatever order they end in", () => {
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    const culprit = watch.sent(11);
    const later = watch.sent(12);
    expect(watch.unanswered(later, true).culprit).toBe(false);
    expect(watch.unanswered(culprit, true)).toEqual({ culprit: true, behind: 1 });
  });

  it("names nobody on a target that never answered, nor a request sent after it had stopped", () => {
    const down = new TargetWatch();
    expect(down.unanswered(down.sent(0), true).culprit).toBe(false);
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    expect(watch.unanswered(watch.sent(10 + IN_FLIGHT_SLACK_MS + 1), true).culprit).toBe(false);
  });

  it("a timeout the target outlived (it answered a later request) does not shield the next culprit", () => {
    const watch = new TargetWatch();
    const slow = watch.sent(0);
    watch.answered(watch.sent(1), 2);
    expect(watch.unanswered(slow, true).culprit).toBe(true);
    watch.answered(watch.sent(100), 110); // the target answers again: it was only slow on that one
    const culprit = watch.sent(111);
    expect(watch.unanswered(culprit, true).culprit).toBe(true);
  });

  it("a refused or reset request is not a hang and shields nobody", () => {
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    const reset = watch.sent(11);
    const culprit = watch.sent(12);
    expect(watch.unanswered(reset, false).culprit).toBe(false);
    expect(watch.unanswered(culprit, true).culprit).toBe(true);
  });

  it("one watch per run, the oldest forgotten", () => {
    const watchOf = watchRegistry(2);
    const a = watchOf("a");
    expect(watchOf("a")).toBe(a);
    watchOf("b");
    watchOf("c");
    expect(watchOf("a")).not.toBe(a);
  });
});
