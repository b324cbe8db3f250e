import { afterEach, describe, expect, it, vi } from "vitest";
import { whileWaiting } from "./elapsed.mjs";

afterEach(() => vi.useRealTimers());

describe("whileWaiting", () => {
  it("logs the label, the seconds waited every interval, and the total when done", async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let finish!: (v: string) => void;
    const waiting = whileWaiting("applying migrations", new Promise<string>((r) => (finish = r)), (l) => lines.push(l), { intervalMs: 5_000 });
    await vi.advanceTimersByTimeAsync(12_300);
    finish("ok");
    await expect(waiting).resolves.toBe("ok");
    expect(lines).toEqual(["applying migrations…", "applying migrations… 5 s", "applying migrations… 10 s", "applying migrations: done in 12.3 s"]);
  });

  it("says how long it waited when the work fails, and stops ticking", async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let fail!: (e: Error) => void;
    const waiting = whileWaiting("starting", new Promise<never>((_, r) => (fail = r)), (l) => lines.push(l), { intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_500);
    fail(new Error("boom"));
    await expect(waiting).rejects.toThrow("boom");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lines).toEqual(["starting…", "starting… 1 s", "starting: failed after 1.5 s"]);
  });
});
