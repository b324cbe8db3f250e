/**
 * Specs: upload (raw JSON/YAML body), import by URL, list, read, model, delete.
 * Versions count up per (org, name); the stored model feeds runs and the CLI.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { deleteSpec, getSpec, listOperations, listSpecs, openSpecModel, type SpecRow } from "../../storage/specs-repo";
import { fetchDocument } from "../fetch-document";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, SECURED, jsonContent, problemResponses } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";
import { SPEC_CONTENT_TYPES, essence, ingestSpec, isSpecContentType, readSpecBody, warningViews } from "../spec-upload";

const SpecName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\x00-\x1f\x7f]+$/, "no control characters")
  .openapi({ example: "petstore" });

const SpecProblemSchema = z
  .object({ pointer: z.string(), line: z.number().int().optional(), column: z.number().int().optional(), message: z.string() })
  .openapi("SpecProblem");

const SpecSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.number().int().openapi({ description: "1, 2, 3 … per name" }),
    title: z.string(),
    apiVersion: z.string().openapi({ description: "info.version of the document" }),
    sourceVersion: z.string().openapi({ description: "2.0, 3.0.x or 3.1.x as declared" }),
    operations: z.number().int().openapi({ description: "number of operations" }),
    sizeBytes: z.number().int(),
    warnings: z.array(SpecProblemSchema),
    createdAt: z.number().int(),
  })
  .openapi("Spec");

const OperationSummary = z
  .object({ method: z.string(), path: z.string(), operationId: z.string(), summary: z.string().nullable() })
  .openapi("OperationSummary");

const SpecDetail = SpecSummary.extend({ operationList: z.array(OperationSummary) }).openapi("SpecDetail");

const ApiModelSchema = z
  .looseObject({
    sourceVersion: z.string(),
    title: z.string(),
    version: z.string(),
    servers: z.array(z.string()),
    operations: z.array(z.looseObject({ operationId: z.string(), method: z.string(), path: z.string() })),
    schemas: z.record(z.string(), z.unknown()),
    securitySchemes: z.record(z.string(), z.unknown()),
  })
  .openapi("ApiModel", { description: "the operation model (workers/model/api.ts)" });

function summary(row: SpecRow) {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    title: row.title,
    apiVersion: row.apiVersion,
    sourceVersion: row.sourceVersion,
    operations: row.operationCount,
    sizeBytes: row.sizeBytes,
    warnings: warningViews(row),
    createdAt: row.createdAt,
  };
}

/** A minimal valid document: the example a client (or an API tester) can send as it is. */
const EXAMPLE_SPEC = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  paths: { "/pets": { get: { operationId: "listPets", responses: { "200": { description: "The pets" } } } } },
};
const EXAMPLE_SPEC_YAML = [
  "openapi: 3.0.3",
  "info: {title: Pets, version: 1.0.0}",
  "paths:",
  "  /pets:",
  "    get:",
  "      operationId: listPets",
  "      responses: {'200': {description: The pets}}",
  "",
].join("\n");

const rawBody = {
  required: true,
  description: "The OpenAPI 3.x or Swagger 2.0 document as the raw body",
  content: Object.fromEntries(
    SPEC_CONTENT_TYPES.map((type) => [
      type,
      type === "application/json" ? { schema: { type: "object" as const }, example: EXAMPLE_SPEC } : { schema: { type: "string" as const }, example: EXAMPLE_SPEC_YAML },
    ]),
  ),
};

const upload = createRoute({
  method: "post",
  path: "/specs",
  tags: ["specs"],
  summary: "Upload an API description (raw JSON or YAML body)",
  security: SECURED,
  middleware: [requirePermission("specs:write")] as const,
  request: { query: z.object({ name: SpecName }), body: rawBody },
  responses: {
    201: jsonContent(SpecSummary, "Stored; the version counts up per name"),
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

const ImportBody = z
  .strictObject({
    name: SpecName,
    url: z.string().min(1).max(2048).openapi({ example: "https://petstore3.swagger.io/api/v3/openapi.json" }),
  })
  .openapi("ImportSpecRequest");

const importSpec = createRoute({
  method: "post",
  path: "/specs/import",
  tags: ["specs"],
  summary: "Fetch an API description from a URL and store it",
  security: SECURED,
  middleware: [requirePermission("specs:write")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ImportBody } } } },
  responses: {
    201: jsonContent(SpecSummary, "Stored"),
    ...problemResponses(400, 401, 403, 413, 415, 422, 429, 502),
  },
});

const list = createRoute({
  method: "get",
  path: "/specs",
  tags: ["specs"],
  summary: "List specs (latest version of each name unless versions=all)",
  security: SECURED,
  middleware: [requirePermission("specs:read")] as const,
  request: {
    query: z.object({
      name: SpecName.optional(),
      versions: z.enum(["latest", "all"]).default("latest"),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: { 200: jsonContent(z.object({ specs: z.array(SpecSummary) }), "The specs"), ...problemResponses(400, 401, 403, 429) },
});

const idParam = IdParam("spec", "spec_3fK9aQ2LmN8pR1sT");

const read = createRoute({
  method: "get",
  path: "/specs/{id}",
  tags: ["specs"],
  summary: "A spec with its operations",
  security: SECURED,
  middleware: [requirePermission("specs:read")] as const,
  request: { params: idParam },
  responses: { 200: jsonContent(SpecDetail, "The spec"), ...problemResponses(400, 401, 403, 404, 429) },
});

const model = createRoute({
  method: "get",
  path: "/specs/{id}/model",
  tags: ["specs"],
  summary: "The parsed operation model of a spec",
  security: SECURED,
  middleware: [requirePermission("specs:read")] as const,
  request: { params: idParam },
  responses: { 200: jsonContent(ApiModelSchema, "The model"), ...problemResponses(400, 401, 403, 404, 429) },
});

const remove = createRoute({
  method: "delete",
  path: "/specs/{id}",
  tags: ["specs"],
  summary: "Delete a spec version",
  security: SECURED,
  middleware: [requirePermission("specs:write")] as const,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404, 429) },
});

export const specsRoutes = createRouter()
  .openapi(upload, async (c) => {
    const contentType = c.req.header("content-type");
    if (!isSpecContentType(contentType)) {
      throw new ProblemError(
        "unsupported-media-type",
        `Send the document as ${SPEC_CONTENT_TYPES.join(", ")} (got ${essence(contentType) || "no Content-Type"})`,
        { accepted: [...SPEC_CONTENT_TYPES] },
      );
    }
    const auth = c.get("auth");
    const bytes = await readSpecBody(c.req.raw.body, c.req.header("content-length"));
    const row = await ingestSpec(c.env, { orgId: auth.orgId, name: c.req.valid("query").name, bytes, contentType, createdBy: auth.userId ?? auth.keyId });
    return c.json(summary(row), 201, { Location: `/api/v1/specs/${row.id}` });
  })
  .openapi(importSpec, async (c) => {
    const auth = c.get("auth");
    const { name, url } = c.req.valid("json");
    const doc = await fetchDocument(c.env, url);
    const row = await ingestSpec(c.env, { orgId: auth.orgId, name, bytes: doc.bytes, contentType: doc.contentType, createdBy: auth.userId ?? auth.keyId });
    return c.json(summary(row), 201, { Location: `/api/v1/specs/${row.id}` });
  })
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listSpecs(c.env.DB, c.get("auth").orgId, { name: q.name, allVersions: q.versions === "all", limit: q.limit });
    return c.json({ specs: rows.map(summary) }, 200);
  })
  .openapi(read, async (c) => {
    const { orgId } = c.get("auth");
    const { id } = c.req.valid("param");
    const row = await getSpec(c.env.DB, orgId, id);
    if (!row) throw new ProblemError("not-found", "No such spec");
    return c.json({ ...summary(row), operationList: await listOperations(c.env.DB, orgId, id) }, 200);
  })
  .openapi(model, async (c) => {
    // Streamed from R2 as stored: models of big specs are megabytes, no need to parse them here.
    const stream = await openSpecModel(c.env.DB, c.env.BLOBS, c.get("auth").orgId, c.req.valid("param").id);
    if (!stream) throw new ProblemError("not-found", "No such spec");
    // (typed as the route's JSON output: the bytes are exactly that JSON)
    return c.body(stream, 200, { "content-type": "application/json" }) as never;
  })
  .openapi(remove, async (c) => {
    if (!(await deleteSpec(c.env.DB, c.env.BLOBS, c.get("auth").orgId, c.req.valid("param").id))) throw new ProblemError("not-found", "No such spec");
    return c.body(null, 204);
  });
