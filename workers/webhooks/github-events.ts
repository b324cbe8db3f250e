/**
 * Maps a GitHub webhook delivery to "start a run" or "ignore, because …", as the hook is
 * configured. Pure: the route verifies the signature and records the delivery id first.
 */
import type { HookConfig } from "./hook-config";

export type GithubDecision =
  | { start: true; trigger: string; ref?: string; sha?: string; targetUrl?: string }
  | { start: false; reason: string };

type Payload = Record<string, unknown>;

function get(payload: Payload, path: string[]): unknown {
  let cur: unknown = payload;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function branchAllowed(config: HookConfig, branch: string | undefined): boolean {
  return config.branches.length === 0 || (branch !== undefined && config.branches.includes(branch));
}

const PR_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

export function decideGithubEvent(event: string, payload: Payload, config: HookConfig): GithubDecision {
  if (event === "ping") return { start: false, reason: "ping" };
  if (!(config.events as string[]).includes(event)) return { start: false, reason: `event ${event} is not enabled on this hook` };

  if (event === "push") {
    if (get(payload, ["deleted"]) === true) return { start: false, reason: "branch deleted" };
    const ref = str(get(payload, ["ref"]));
    const branch = ref?.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
    if (!branchAllowed(config, branch)) return { start: false, reason: `branch ${branch ?? ref ?? "?"} is not enabled` };
    return { start: true, trigger: "github:push", ref, sha: str(get(payload, ["after"])) };
  }

  if (event === "pull_request") {
    const action = str(get(payload, ["action"])) ?? "";
    if (!PR_ACTIONS.has(action)) return { start: false, reason: `pull_request action ${action} does not start runs` };
    const base = str(get(payload, ["pull_request", "base", "ref"]));
    if (!branchAllowed(config, base)) return { start: false, reason: `base branch ${base ?? "?"} is not enabled` };
    return {
      start: true,
      trigger: "github:pull_request",
      ref: str(get(payload, ["pull_request", "head", "ref"])),
      sha: str(get(payload, ["pull_request", "head", "sha"])),
    };
  }

  if (event === "deployment_status") {
    const state = str(get(payload, ["deployment_status", "state"]));
    if (state !== "success") return { start: false, reason: `deployment state ${state ?? "?"} does not start runs` };
    const targetUrl = str(get(payload, ["deployment_status", "environment_url"])) ?? str(get(payload, ["deployment_status", "target_url"]));
    if (!targetUrl) return { start: false, reason: "deployment_status has no environment_url" };
    return {
      start: true,
      trigger: "github:deployment_status",
      ref: str(get(payload, ["deployment", "ref"])),
      sha: str(get(payload, ["deployment", "sha"])),
      targetUrl,
    };
  }
  return { start: false, reason: `event ${event} is not supported` };
}
