/**
 * Targets: base URL + identities (header sets per identity). Credentials are encrypted at rest and
 * never returned: responses show identity and header names with the values masked.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getOrg } from "../../storage/orgs-repo";
import { TargetNameTakenError, createTarget, deleteTarget, getTarget, listTargets, type TargetRow } from "../../storage/targets-repo";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, SECURED, jsonContent, problemResponses } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";
import { assertTargetAllowed } from "../../runs/target-policy";

export const MASK = "••••";
const MAX_IDENTITIES = 10;
const MAX_HEADERS = 30;
/** Headers the HTTP client owns; letting a target set them would break or smuggle requests. */
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive"]);

const IdentityName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "1-64 letters, digits, '_', '.', '-'");
const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, "an HTTP header name")
  .refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), "this header is set by the HTTP client");
const HeaderValue = z
  .string()
  .max(8192)
  .regex(/^[^\r\n\0]*$/, "no line breaks or NUL");

const Identities = z
  .record(IdentityName, z.record(HeaderName, HeaderValue).refine((h) => Object.keys(h).length <= MAX_HEADERS, `at most ${MAX_HEADERS} headers`))
  .refine((ids) => Object.keys(ids).length <= MAX_IDENTITIES, `at most ${MAX_IDENTITIES} identities`)
  .openapi({
    description: "identity name → header name → value (values are write-only)",
    example: { alice: { Authorization: "Bearer …" }, bob: { Authorization: "Bearer …" } },
  });

const CreateTarget = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "staging" }),
    baseUrl: z.string().min(1).max(2048).openapi({ example: "https://staging.api.example.com/v1" }),
    identities: Identities.default({}),
  })
  .openapi("CreateTargetRequest");

const TargetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    baseUrl: z.string(),
    identities: z.record(z.string(), z.record(z.string(), z.literal(MASK))).openapi({ description: "header values are never returned" }),
    createdAt: z.number().int(),
  })
  .openapi("Target");

function targetView(row: TargetRow) {
  const identities = Object.fromEntries(
    Object.entries(row.identitiesMeta).map(([name, headers]) => [name, Object.fromEntries(headers.map((h) => [h, MASK] as const))]),
  );
  return { id: row.id, name: row.name, baseUrl: row.baseUrl, identities, createdAt: row.createdAt };
}

/** Stored without a trailing slash so "<baseUrl><path>" joins cleanly. */
function normaliseBaseUrl(url: URL): string {
  if (url.hash) throw new ProblemError("validation-error", "baseUrl must not contain a #fragment", { errors: [{ in: "body", path: "baseUrl", pointer: "/baseUrl", message: "no #fragment" }] });
  return url.href.replace(/\/+$/, "");
}

const idParam = IdParam("target", "tgt_3fK9aQ2LmN8pR1sT");

const create = createRoute({
  method: "post",
  path: "/targets",
  tags: ["targets"],
  summary: "Register a target API and its identities",
  security: SECURED,
  middleware: [requirePermission("targets:write")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateTarget } } } },
  responses: { 201: jsonContent(TargetSchema, "The target (credentials masked)"), ...problemResponses(400, 401, 403, 409, 415, 422, 429) },
});

const list = createRoute({
  method: "get",
  path: "/targets",
  tags: ["targets"],
  summary: "List targets",
  security: SECURED,
  middleware: [requirePermission("targets:read")] as const,
  responses: { 200: jsonContent(z.object({ targets: z.array(TargetSchema) }), "The targets"), ...problemResponses(401, 403, 429) },
});

const read = createRoute({
  method: "get",
  path: "/targets/{id}",
  tags: ["targets"],
  summary: "A target (credentials masked)",
  security: SECURED,
  middleware: [requirePermission("targets:read")] as const,
  request: { params: idParam },
  responses: { 200: jsonContent(TargetSchema, "The target"), ...problemResponses(400, 401, 403, 404, 429) },
});

const remove = createRoute({
  method: "delete",
  path: "/targets/{id}",
  tags: ["targets"],
  summary: "Delete a target",
  security: SECURED,
  middleware: [requirePermission("targets:write")] as const,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404, 429) },
});

export const targetsRoutes = createRouter()
  .openapi(create, async (c) => {
    const { orgId } = c.get("auth");
    const body = c.req.valid("json");
    const org = await getOrg(c.env.DB, orgId);
    const url = await assertTargetAllowed(c.env, org ?? { targetAllowlist: [] }, body.baseUrl);
    try {
      const row = await createTarget(c.env.DB, c.env, orgId, { name: body.name, baseUrl: normaliseBaseUrl(url), identities: body.identities });
      return c.json(targetView(row), 201, { Location: `/api/v1/targets/${row.id}` });
    } catch (err) {
      if (err instanceof TargetNameTakenError) throw new ProblemError("conflict", `A target named "${body.name}" already exists`);
      throw err;
    }
  })
  .openapi(list, async (c) => {
    const rows = await listTargets(c.env.DB, c.get("auth").orgId);
    return c.json({ targets: rows.map(targetView) }, 200);
  })
  .openapi(read, async (c) => {
    const row = await getTarget(c.env.DB, c.get("auth").orgId, c.req.valid("param").id);
    if (!row) throw new ProblemError("not-found", "No such target");
    return c.json(targetView(row), 200);
  })
  .openapi(remove, async (c) => {
    if (!(await deleteTarget(c.env.DB, c.get("auth").orgId, c.req.valid("param").id))) throw new ProblemError("not-found", "No such target");
    return c.body(null, 204);
  });
