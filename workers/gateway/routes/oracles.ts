/**
 * The oracles of a spec (LLM oracles from its prose, invariants inferred from responses): list them,
 * accept one (its findings gain full confidence) or reject it (never checked again). Stored per
 * spec name, so the verdict holds for later uploads of the same spec.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AssertionSchema } from "../../ai/oracles/dsl";
import { listOracles, setOracleStatus } from "../../storage/oracles-repo";
import { getSpec } from "../../storage/specs-repo";
import { requirePermission } from "../middleware/require-permission";
import { jsonContent, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";

const Oracle = z
  .object({
    id: z.string(),
    operationId: z.string(),
    source: z.enum(["llm", "inferred"]),
    sentence: z.string().openapi({ description: "the spec sentence (LLM oracles) or the invariant in words" }),
    assertion: z.any().openapi({ description: "the assertion in the oracle DSL (workers/ai/oracles/dsl.ts)" }),
    status: z.enum(["proposed", "accepted", "rejected"]),
    observations: z.number().int().optional(),
  })
  .openapi("Oracle");

const Params = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" }, example: "spec_01HZX3K9Q2", description: "Spec id" }) });
const VerdictParams = Params.extend({
  oracleId: z.string().min(1).max(100).openapi({ param: { name: "oracleId", in: "path" }, example: "o_3f2a9c1d0b7e4a55" }),
  verdict: z.enum(["accept", "reject"]).openapi({ param: { name: "verdict", in: "path" } }),
});

export const oraclesRoutes = createRouter();

async function specName(env: { DB: D1Database }, orgId: string, specId: string): Promise<string> {
  const spec = await getSpec(env.DB, orgId, specId);
  if (!spec) throw new ProblemError("not-found", `Spec ${specId} not found`);
  return spec.name;
}

oraclesRoutes.openapi(
  createRoute({
    method: "get",
    path: "/specs/{id}/oracles",
    tags: ["specs"],
    summary: "Oracles of the spec: LLM oracles from its prose and inferred invariants, with their status",
    security: SECURED,
    middleware: [requirePermission("specs:read")] as const,
    request: { params: Params },
    responses: { 200: jsonContent(z.object({ items: z.array(Oracle) }), "The spec's oracles"), ...problemResponses(401, 403, 404) },
  }),
  async (c) => {
    const orgId = c.get("auth").orgId;
    const items = await listOracles(c.env.DB, orgId, await specName(c.env, orgId, c.req.valid("param").id));
    return c.json({ items: items.map((o) => ({ ...o, assertion: AssertionSchema.safeParse(o.assertion).success ? o.assertion : null })) }, 200);
  },
);

oraclesRoutes.openapi(
  createRoute({
    method: "post",
    path: "/specs/{id}/oracles/{oracleId}/{verdict}",
    tags: ["specs"],
    summary: "Accept (full confidence) or reject (never checked again) an oracle",
    security: SECURED,
    middleware: [requirePermission("specs:write")] as const,
    request: { params: VerdictParams },
    responses: { 200: jsonContent(Oracle, "The oracle with its new status"), ...problemResponses(401, 403, 404) },
  }),
  async (c) => {
    const { id, oracleId, verdict } = c.req.valid("param");
    const orgId = c.get("auth").orgId;
    const updated = await setOracleStatus(c.env.DB, orgId, await specName(c.env, orgId, id), oracleId, verdict === "accept" ? "accepted" : "rejected");
    if (!updated) throw new ProblemError("not-found", `Oracle ${oracleId} not found for spec ${id}`);
    return c.json(updated, 200);
  },
);
