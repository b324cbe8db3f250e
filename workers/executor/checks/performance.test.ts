import { describe, expect, it } from "vitest";
import { max_response_time } from "./performance";
import { ctx, record } from "./test-support";

const post = (id: string, durationMs: number) => record({ id, method: "POST", path: "/pets", status: 400, body: { title: "bad" }, durationMs });
const params = { redos: true, location: "body.name", payload: "a".repeat(23) + "!", shorterLength: 18, controlStep: "valid-1", shortStep: "shorter", repeatStep: "probe-2", repeatControlStep: "valid-2" };

/** max_response_time on the first probe, with the valid values, the shorter probe and the repeat as given (ms). */
function redos(probe: number, repeat: number, valid: [number, number], shorter: number, liveness?: { blocked: boolean; confirmed?: boolean }) {
  const others = [post("valid-1", valid[0]), post("shorter", shorter), post("valid-2", valid[1]), post("probe-2", repeat)];
  const c = ctx(post("probe-1", probe), { others, params });
  if (liveness) c.exchange.liveness = { probeUrl: "http://127.0.0.1/", probeMs: 300, ...liveness };
  return max_response_time(c);
}

describe("max_response_time on catastrophic-backtracking probes", () => {
  it("fails when the probe is slow twice, far slower than a valid value of its length and than the shorter probe", () => {
    expect(redos(600, 550, [8, 12], 40)).toMatchObject({ status: "failed", signature: "redos", severity: "medium" });
    // a server that checks only the text's last characters sees two of the six more: 4× still counts
    expect(redos(600, 550, [8, 12], 135)).toMatchObject({ status: "failed", signature: "redos" });
    expect(redos(600, 550, [8, 12], 40).message).toContain("18 characters long 40 ms");
    // a long probe is shown by its ends, a short one whole
    expect(redos(600, 550, [8, 12], 40).message).toContain('body.name of 24 characters ("aaa…aa!"');
    const short = { ...params, payload: "a".repeat(11) + "!" };
    const others = [post("valid-1", 8), post("shorter", 40), post("valid-2", 12), post("probe-2", 550)];
    expect(max_response_time(ctx(post("probe-1", 600), { others, params: short })).message).toContain('("aaaaaaaaaaa!"');
  });
  it("passes on noise: one slow probe, a slow valid value, linear growth, or times below the floor", () => {
    expect(redos(600, 20, [8, 12], 40)).toMatchObject({ status: "passed", message: expect.stringContaining("body.name: the 24-character probe took 600 and 20 ms") });
    expect(redos(600, 550, [8, 300], 40).status).toBe("passed");
    expect(redos(600, 550, [8, 12], 500).status).toBe("passed");
    // polynomial work over six more characters stays under 4×
    expect(redos(600, 550, [8, 12], 200).status).toBe("passed");
    expect(redos(120, 110, [1, 1], 5).status).toBe("passed");
    // a slow target whose answer time depends on the value (a spec mock generating big answers)
    expect(redos(460, 519, [91, 84], 146).status).toBe("passed");
  });
  it("fails at each threshold exactly (150 ms, 10× the slowest valid value, 4× the shorter probe)", () => {
    expect(redos(150, 150, [15, 15], 37.5)).toMatchObject({ status: "failed", signature: "redos" });
    expect(redos(149, 150, [14, 14], 37)).toMatchObject({ status: "passed" });
  });
  it("skips without a comparison when the repeat, the shorter probe or either valid value has no record", () => {
    const steps = { "valid-1": 8, shorter: 40, "valid-2": 12, "probe-2": 550 };
    for (const missing of Object.keys(steps)) {
      const others = Object.entries(steps).filter(([id]) => id !== missing).map(([id, ms]) => post(id, ms));
      const result = max_response_time(ctx(post("probe-1", 600), { others, params }));
      expect(result, missing).toMatchObject({ status: "skipped", message: expect.stringContaining("no comparison") });
    }
  });
  it("names the input and the shorter length it was not told as such", () => {
    const { location: _l, shorterLength: _s, ...bare } = params;
    const others = [post("valid-1", 8), post("shorter", 40), post("valid-2", 12), post("probe-2", 550)];
    const result = max_response_time(ctx(post("probe-1", 600), { others, params: bare }));
    expect(result.status).toBe("failed");
    expect(result.message).toContain("the input of 24 characters");
    expect(result.message).toContain("the same probe a few characters long 40 ms");
    const { payload: _p, ...noPayload } = params;
    expect(max_response_time(ctx(post("probe-1", 600), { others, params: noPayload })).message).toContain("body.name of 0 characters");
  });
  it("does not name a probe that only waited behind another request", () => {
    expect(redos(1800, 1700, [8, 12], 40, { blocked: true, confirmed: false })).toMatchObject({ status: "skipped", message: expect.stringContaining("waited behind another request") });
    expect(redos(1800, 1700, [8, 12], 40, { blocked: true, confirmed: true })).toMatchObject({ status: "failed", signature: "liveness" });
  });
});
