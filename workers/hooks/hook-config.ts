/** What a webhook does when it fires: which spec and target a run uses, and which events start one. */
import { z } from "zod";

export const GITHUB_EVENTS = ["push", "pull_request", "deployment_status"] as const;

export const HookRunTemplateSchema = z.strictObject({
  specId: z.string().min(1),
  /** a saved target; or targetUrl; deployment_status uses the deployment's environment_url instead */
  targetId: z.string().min(1).optional(),
  targetUrl: z.url().optional(),
  agents: z.array(z.string()).optional(),
  seed: z.number().int().nonnegative().optional(),
  limits: z.record(z.string(), z.number()).optional(),
  notify: z.array(z.url()).optional(),
});

export const HookConfigSchema = HookRunTemplateSchema.extend({
  events: z.array(z.enum(GITHUB_EVENTS)).default(["push", "pull_request", "deployment_status"]),
  /** push/pull_request: only these branches (exact names); empty = all */
  branches: z.array(z.string()).default([]),
});
export type HookConfig = z.infer<typeof HookConfigSchema>;
