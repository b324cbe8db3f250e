import { describe, expect, it } from "vitest";
import { decideGithubEvent } from "./github-events";
import { HookConfigSchema } from "./hook-config";

const config = HookConfigSchema.parse({ specId: "s1", targetUrl: "https://api.example.com" });

describe("GitHub event mapping", () => {
  it("starts a run on push and keeps ref and sha", () => {
    expect(decideGithubEvent("push", { ref: "refs/heads/main", after: "abc" }, config)).toEqual({
      start: true, trigger: "github:push", ref: "refs/heads/main", sha: "abc",
    });
  });
  it("honours the branch filter", () => {
    const only = HookConfigSchema.parse({ specId: "s1", targetUrl: "https://a.example", branches: ["main"] });
    expect(decideGithubEvent("push", { ref: "refs/heads/feature" }, only).start).toBe(false);
    expect(decideGithubEvent("push", { ref: "refs/heads/main" }, only).start).toBe(true);
  });
  it("starts on opened/synchronize pull requests only", () => {
    const pr = (action: string) => ({ action, pull_request: { base: { ref: "main" }, head: { ref: "f", sha: "s" } } });
    expect(decideGithubEvent("pull_request", pr("synchronize"), config)).toMatchObject({ start: true, sha: "s" });
    expect(decideGithubEvent("pull_request", pr("closed"), config).start).toBe(false);
  });
  it("uses the environment_url of a successful deployment as the target", () => {
    const payload = { deployment_status: { state: "success", environment_url: "https://pr-7.example.dev" }, deployment: { sha: "d" } };
    expect(decideGithubEvent("deployment_status", payload, config)).toMatchObject({ start: true, targetUrl: "https://pr-7.example.dev" });
    expect(decideGithubEvent("deployment_status", { deployment_status: { state: "pending" } }, config).start).toBe(false);
  });
  it("ignores events the hook does not enable and pings", () => {
    const pushOnly = HookConfigSchema.parse({ specId: "s1", targetUrl: "https://a.example", events: ["push"] });
    expect(decideGithubEvent("pull_request", { action: "opened" }, pushOnly).start).toBe(false);
    expect(decideGithubEvent("ping", {}, config)).toEqual({ start: false, reason: "ping" });
  });
});
