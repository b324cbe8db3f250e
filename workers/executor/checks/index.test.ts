import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECK_CATALOG, CHECK_NAMES, SEVERITIES } from "../../model";
import { CHECK_FUNCTIONS, runCheck } from "./index";
import { ctx } from "./test-support";

describe("check registry", () => {
  it("maps every vocabulary name to a function; the catalog gives each a severity and a title", () => {
    expect(Object.keys(CHECK_FUNCTIONS).sort()).toEqual([...CHECK_NAMES].sort());
    for (const name of CHECK_NAMES) {
      expect(typeof CHECK_FUNCTIONS[name]).toBe("function");
      expect(SEVERITIES).toContain(CHECK_CATALOG[name].severity);
      expect(CHECK_CATALOG[name].title.length).toBeGreaterThan(3);
    }
  });

  it("has a failing and a passing test for every check name", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const tests = readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts") && f !== "index.test.ts")
      .map((f) => readFileSync(dir + f, "utf8"))
      .join("\n");
    for (const name of CHECK_NAMES) {
      expect(tests, `${name} has a describe block`).toContain(`describe("${name}"`);
    }
  });

  it("fills severity and signature on failures, and survives crashing or unknown checks", async () => {
    const failed = await runCheck({ name: "not_a_server_error" }, ctx({ status: 500 }));
    expect(failed).toMatchObject({ check: "not_a_server_error", stepId: "s1", status: "failed", severity: "high", signature: "status:500" });
    const unknown = await runCheck({ name: "nope" as never }, ctx({ status: 200 }));
    expect(unknown.status).toBe("skipped");
    const broken = ctx({ status: 200 });
    (broken as { request: unknown }).request = undefined;
    expect(await runCheck({ name: "unsupported_method" }, broken)).toMatchObject({ status: "skipped" });
  });
});

describe("runCheck outcomes", () => {
  it("a failure without its own severity or signature takes the catalog's severity and the check's name", async () => {
    const outcome = await runCheck({ name: "use_after_free" }, ctx({ status: 200 }));
    expect(outcome.status).toBe("skipped");
    expect(outcome).not.toHaveProperty("severity");
    const failed = await runCheck({ name: "max_response_time" }, ctx({ durationMs: 900 }, { maxResponseTimeMs: 500 }));
    expect(failed).toMatchObject({ status: "failed", severity: CHECK_CATALOG.max_response_time.severity, signature: "exceeded" });
    const own = await runCheck({ name: "unsupported_method" }, ctx({ method: "PATCH", path: "/pets", status: 405 }));
    expect(own).toMatchObject({ status: "failed", severity: "info" });
    const passed = await runCheck({ name: "not_a_server_error" }, ctx({ status: 200 }));
    expect(passed).toEqual({ check: "not_a_server_error", stepId: "s1", status: "passed", message: "200 is not a server error" });
  });
  it("names the check and why it crashed", async () => {
    const unknown = await runCheck({ name: "nope" as never }, ctx({ status: 200 }));
    expect(unknown.message).toBe('unknown check "nope"');
    const broken = ctx({ status: 200 });
    (broken as { request: unknown }).request = undefined;
    expect((await runCheck({ name: "unsupported_method" }, broken)).message).toMatch(/^check crashed: .+/);
    // a name the registry object inherits (toString) is no check
    expect(await runCheck({ name: "toString" as never }, ctx({ status: 200 }))).toEqual({ check: "toString", stepId: "s1", status: "skipped", message: 'unknown check "toString"' });
    const throwing = (thrown: unknown) => Object.defineProperty(ctx({ status: 200 }), "response", { get: () => { throw thrown; } });
    expect((await runCheck({ name: "not_a_server_error" }, throwing(new Error("no response")))).message).toBe("check crashed: no response");
    expect((await runCheck({ name: "not_a_server_error" }, throwing("gone"))).message).toBe("check crashed: gone");
  });
});
