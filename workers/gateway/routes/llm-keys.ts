/**
 * The organization's LLM provider keys: set (sealed with AES-GCM at rest), list (which providers
 * have one, never the key) and clear. A run that sends no key for a provider uses the org's.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LLM_PROVIDERS } from "../../ai/types";
import { clearOrgLlmKey, orgLlmKeyProviders, setOrgLlmKey } from "../../runs/org-llm-keys";
import { requirePermission } from "../middleware/require-permission";
import { jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";

const Provider = z.object({ provider: z.enum(LLM_PROVIDERS).openapi({ param: { name: "provider", in: "path" }, example: "openai" }) });
const KeyBody = z.strictObject({ apiKey: z.string().min(1).max(4096).openapi({ description: "write-only: sealed at rest, never returned or logged" }) }).openapi("LlmKeyInput");
const KeyList = z.object({ keys: z.array(z.object({ provider: z.string(), updatedAt: z.string() })) }).openapi("LlmKeys");

export const llmKeysRoutes = createRouter();

llmKeysRoutes.openapi(
  createRoute({
    method: "get",
    path: "/org/llm-keys",
    tags: ["org"],
    summary: "Which LLM providers have an org key (the keys are never returned)",
    security: SECURED,
    middleware: [requirePermission("keys:manage")] as const,
    responses: { 200: jsonContent(KeyList, "Providers with a key"), ...problemResponses(401, 403) },
  }),
  async (c) => c.json({ keys: await orgLlmKeyProviders(c.env, c.get("auth").orgId) }, 200),
);

llmKeysRoutes.openapi(
  createRoute({
    method: "put",
    path: "/org/llm-keys/{provider}",
    tags: ["org"],
    summary: "Set the org's key for an LLM provider (encrypted at rest)",
    security: SECURED,
    middleware: [requirePermission("keys:manage")] as const,
    request: { params: Provider, body: { required: true, content: { "application/json": { schema: KeyBody } } } },
    responses: { 204: { description: "Stored (sealed)" }, ...problemResponses(400, 401, 403, 415, 422) },
  }),
  async (c) => {
    await setOrgLlmKey(c.env, c.get("auth").orgId, c.req.valid("param").provider, c.req.valid("json").apiKey);
    return c.body(null, 204);
  },
);

llmKeysRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/org/llm-keys/{provider}",
    tags: ["org"],
    summary: "Clear the org's key for an LLM provider",
    security: SECURED,
    middleware: [requirePermission("keys:manage")] as const,
    request: { params: Provider },
    responses: { 204: { description: "Cleared" }, ...problemResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { provider } = c.req.valid("param");
    if (!(await clearOrgLlmKey(c.env, c.get("auth").orgId, provider))) throw new ProblemError("not-found", `No org key for ${provider}`);
    return c.body(null, 204);
  },
);
