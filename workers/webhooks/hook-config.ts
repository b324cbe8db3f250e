/** What a webhook does when it fires: which spec and target a run uses, and which events start one. */
import { z } from "zod";
import { LIMIT_BOUNDS } from "../model";

export const GITHUB_EVENTS = ["push", "pull_request", "deployment_status"] as const;

const bounded = (key: keyof typeof LIMIT_BOUNDS, int = true) => {
  const [min, max] = LIMIT_BOUNDS[key];
  return (int ? z.number().int() : z.number()).min(min).max(max).optional();
};

/** The same limits POST /runs accepts, with the same bounds. */
export const RunTemplateLimitsSchema = z.strictObject({
  maxCases: bounded("maxCases"),
  timeoutMs: bounded("timeoutMs"),
  concurrency: bounded("concurrency"),
  rps: bounded("rps", false),
  maxResponseTimeMs: bounded("maxResponseTimeMs"),
  deadlineMs: bounded("deadlineMs"),
});

export const HookRunTemplateSchema = z.strictObject({
  specId: z.string().min(1).max(100),
  /** a saved target; or targetUrl; deployment_status uses the deployment's environment_url instead */
  targetId: z.string().min(1).max(100).optional(),
  targetUrl: z.url().max(2048).optional(),
  agents: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
    .min(1)
    .max(32)
    .optional(),
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31 - 1)
    .optional(),
  limits: RunTemplateLimitsSchema.optional(),
  notify: z.array(z.url().max(2048)).max(10).optional(),
});
export type HookRunTemplate = z.infer<typeof HookRunTemplateSchema>;

export const HookConfigSchema = HookRunTemplateSchema.extend({
  events: z.array(z.enum(GITHUB_EVENTS)).min(1).default(["push", "pull_request", "deployment_status"]),
  /** push/pull_request: only these branches (exact names); empty = all */
  branches: z.array(z.string().min(1).max(255)).max(100).default([]),
});
export type HookConfig = z.infer<typeof HookConfigSchema>;
