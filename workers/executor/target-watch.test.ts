import { describe, expect, it } from "vitest";
import { IN_FLIGHT_SLACK_MS, TargetWatch, TYPICAL_MIN_SAMPLES, watchRegistry } from "./target-watch";

describe("which requests the target stopped on", () => {
  it("every request in flight while it still answered is a suspect, each knowing how many others were", () => {
    const watch = new TargetWatch();
    const before = watch.sent(0);
    const first = watch.sent(5);
    const second = watch.sent(12);
    watch.answered(before, 20);
    // in whatever order they end: a threaded server can freeze an earlier request while a later one spins
    expect(watch.unanswered(second, "timeout")).toEqual({ suspect: true, alongside: 1 });
    expect(watch.unanswered(first, "timeout")).toEqual({ suspect: true, alongside: 1 });
  });

  it("names nobody on a target that never answered, nor a request sent after it had stopped", () => {
    const down = new TargetWatch();
    expect(down.unanswered(down.sent(0), "timeout").suspect).toBe(false);
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    const inFlight = watch.sent(11);
    const late = watch.sent(10 + IN_FLIGHT_SLACK_MS + 1);
    expect(watch.unanswered(late, "timeout")).toEqual({ suspect: false, alongside: 1 });
    expect(watch.unanswered(inFlight, "timeout")).toEqual({ suspect: true, alongside: 0 });
  });

  it("a timeout the target outlived (it answered a later request) is not counted beside the next one", () => {
    const watch = new TargetWatch();
    const slow = watch.sent(0);
    watch.answered(watch.sent(1), 2);
    expect(watch.unanswered(slow, "timeout").suspect).toBe(true);
    watch.answered(watch.sent(100), 110); // the target answers again: it was only slow on that one
    expect(watch.unanswered(watch.sent(111), "timeout")).toEqual({ suspect: true, alongside: 0 });
  });

  it("a target that dies: the requests whose connections closed, sent before the first close, are suspects; none sent after", () => {
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    const culprit = watch.sent(12);
    const beside = watch.sent(14);
    // sent after the first close, over a pooled connection that had not noticed yet
    const stale = watch.sent(21);
    const refused = watch.sent(22);
    // each close is told when it happens; the retries end in whatever order
    [20, 20.2, 21.5].forEach((at) => watch.closed(at));
    expect(watch.unanswered(stale, "dropped")).toEqual({ suspect: false, alongside: 2 });
    expect(watch.unanswered(culprit, "dropped")).toEqual({ suspect: true, alongside: 1 });
    expect(watch.unanswered(refused, "other").suspect).toBe(false);
    expect(watch.unanswered(beside, "dropped")).toEqual({ suspect: true, alongside: 1 });
    // it came back: a request sent after the outage and answered ends it
    watch.answered(watch.sent(5_000), 5_010);
    const next = watch.sent(5_011);
    watch.closed(5_020);
    expect(watch.unanswered(next, "dropped")).toEqual({ suspect: true, alongside: 0 });
  });

  it("a refused request is not a stop", () => {
    const watch = new TargetWatch();
    watch.answered(watch.sent(0), 10);
    const reset = watch.sent(11);
    expect(watch.unanswered(reset, "other").suspect).toBe(false);
    expect(watch.unanswered(watch.sent(12), "timeout")).toEqual({ suspect: true, alongside: 0 });
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

describe("an operation's usual answer time in the run", () => {
  it("is the median of its latest answers, known from TYPICAL_MIN_SAMPLES on, per operation", () => {
    const watch = new TargetWatch();
    expect(TYPICAL_MIN_SAMPLES).toBe(5);
    [40, 10, 30, 20].forEach((ms) => watch.took("POST /login", ms));
    expect(watch.typical("POST /login")).toBeUndefined();
    watch.took("POST /login", 5_000);
    expect(watch.typical("POST /login")).toBe(30);
    watch.took("POST /login", 50);
    expect(watch.typical("POST /login")).toBe(35);
    expect(watch.typical("GET /items")).toBeUndefined();
    // only the latest 64 count
    for (let i = 0; i < 64; i++) watch.took("POST /login", 1_000);
    expect(watch.typical("POST /login")).toBe(1_000);
  });
});
