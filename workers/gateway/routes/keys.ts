/** API keys of the caller's org: create (shown once), list, revoke (keys:manage). */
import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../storage/schema";
import { getApiKey, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from "../../storage/keys-repo";
import { generateApiKey } from "../auth/api-keys";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, SECURED, jsonContent, problemResponses } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { roleAtMost } from "../roles";
import { createRouter } from "../router";

const CreateKey = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "ci-pipeline" }),
    role: z.enum(ROLES).optional().openapi({ description: "defaults to your own role; cannot exceed it" }),
  })
  .openapi("CreateKeyRequest");

const KeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "the visible start of the key" }),
    role: z.enum(ROLES),
    userId: z.string().nullable(),
    createdAt: z.number().int(),
    lastUsedAt: z.number().int().nullable(),
    revokedAt: z.number().int().nullable(),
  })
  .openapi("ApiKey");

const CreatedKey = KeySchema.extend({
  key: z.string().openapi({ description: "the secret key, shown only in this response", example: "sk_4fJ9…" }),
}).openapi("CreatedApiKey");

function keyView(row: ApiKeyRow) {
  const { id, name, prefix, role, userId, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, prefix, role, userId, createdAt, lastUsedAt, revokedAt };
}

const create = createRoute({
  method: "post",
  path: "/keys",
  tags: ["keys"],
  summary: "Create an API key (the key is returned once)",
  security: SECURED,
  middleware: [requirePermission("keys:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateKey } } } },
  responses: { 201: jsonContent(CreatedKey, "The new key"), ...problemResponses(400, 401, 403, 415, 429) },
});

const list = createRoute({
  method: "get",
  path: "/keys",
  tags: ["keys"],
  summary: "List API keys (without secrets)",
  security: SECURED,
  middleware: [requirePermission("keys:manage")] as const,
  responses: { 200: jsonContent(z.object({ keys: z.array(KeySchema) }), "The keys"), ...problemResponses(401, 403, 429) },
});

const revoke = createRoute({
  method: "delete",
  path: "/keys/{id}",
  tags: ["keys"],
  summary: "Revoke an API key",
  security: SECURED,
  middleware: [requirePermission("keys:manage")] as const,
  request: { params: IdParam("API key", "key_3fK9aQ2LmN8pR1sT") },
  responses: { 204: { description: "Revoked (or already revoked)" }, ...problemResponses(400, 401, 403, 404, 429) },
});

export const keysRoutes = createRouter()
  .openapi(create, async (c) => {
    const auth = c.get("auth");
    const body = c.req.valid("json");
    const role = body.role ?? auth.role;
    if (!roleAtMost(role, auth.role)) throw new ProblemError("forbidden", `A key cannot have a role above yours (${auth.role})`);
    const secret = await generateApiKey();
    const row = await insertApiKey(c.env.DB, { orgId: auth.orgId, userId: auth.userId, name: body.name, prefix: secret.prefix, hash: secret.hash, role });
    return c.json({ ...keyView(row), key: secret.key }, 201, { Location: `/api/v1/keys/${row.id}`, "Cache-Control": "no-store" });
  })
  .openapi(list, async (c) => {
    const rows = await listApiKeys(c.env.DB, c.get("auth").orgId);
    return c.json({ keys: rows.map(keyView) }, 200);
  })
  .openapi(revoke, async (c) => {
    const { orgId } = c.get("auth");
    const { id } = c.req.valid("param");
    if (!(await revokeApiKey(c.env.DB, orgId, id)) && !(await getApiKey(c.env.DB, orgId, id))) {
      throw new ProblemError("not-found", "No such API key");
    }
    return c.body(null, 204);
  });
