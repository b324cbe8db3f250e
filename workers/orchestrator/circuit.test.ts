import { describe, expect, it } from "vitest";
import { afterProbe, closedCircuit, PROBE_DELAYS_MS, recordFailure, recordSuccess, unreachableReason, viewOf } from "./circuit";

const refused = { kind: "refused" as const, message: "network error: ECONNREFUSED" };

describe("target circuit", () => {
  it("opens after the threshold of failures in a row; an answer in between resets the streak", () => {
    let c = closedCircuit();
    for (let i = 0; i < 4; i++) c = recordFailure(c, refused, 5, 1000);
    expect(c.state).toBe("closed");
    c = recordSuccess(c);
    expect(c.failures).toBe(0);
    for (let i = 0; i < 5; i++) c = recordFailure(c, refused, 5, 1000);
    expect(c).toMatchObject({ state: "open", failures: 5, opened: 1, probeAt: 1000 + PROBE_DELAYS_MS[0] });
    // answers that arrive while open do not close it: only a probe does
    expect(recordSuccess(c).state).toBe("open");
  });

  it("threshold 0 never opens", () => {
    let c = closedCircuit();
    for (let i = 0; i < 50; i++) c = recordFailure(c, refused, 0, 0);
    expect(c.state).toBe("closed");
  });

  it("a probe that answers closes it (half-open → closed), keeping the count of outages", () => {
    let c = closedCircuit();
    for (let i = 0; i < 5; i++) c = recordFailure(c, refused, 5, 0);
    c = afterProbe(c, { alive: false, failure: refused }, 600, "http://h:1");
    expect(c).toMatchObject({ state: "open", probes: 1 });
    c = afterProbe(c, { alive: true }, 2200, "http://h:1");
    expect(viewOf(c)).toEqual({ state: "closed", failures: 0, opened: 1 });
  });

  it("trips after every probe failed, with one line naming the kind of failure and the target", () => {
    let c = closedCircuit();
    for (let i = 0; i < 5; i++) c = recordFailure(c, { kind: "lost", message: "Network connection lost." }, 5, 0);
    for (let i = 0; i < PROBE_DELAYS_MS.length; i++) c = afterProbe(c, { alive: false, failure: refused }, 1000 * i, "http://127.0.0.1:9");
    expect(c.state).toBe("tripped");
    expect(c.reason).toBe("target unreachable: connection refused at http://127.0.0.1:9 (5 requests failed in a row, then 3 probes)");
    // a tripped circuit stays tripped
    expect(recordFailure(c, refused, 5, 0)).toBe(c);
    const timeout = unreachableReason({ ...c, last: { kind: "timeout", message: "timeout: no response within 2000 ms" } }, "https://api.example");
    expect(timeout).toMatch(/^target unreachable: no response \(timeout\) within 2000 ms at https:\/\/api\.example /);
    for (const [kind, text] of [["dns", "DNS lookup failed"], ["tls", "TLS handshake failed"], ["reset", "connection reset"]] as const) {
      expect(unreachableReason({ ...c, last: { kind, message: "" } }, "x")).toContain(text);
    }
  });
});
