/**
 * GET /runs/{id}/report and /runs/{id}/report.{junit|sarif|html|md|har}: the run's report in
 * the DESIGN.md JSON contract and the formats derived from it. Mounted by the gateway at /api/v1.
 * A report of a run still in progress is served as it stands (its run.status says so).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { requirePermission } from "../middleware/require-permission";
import { IdParam, problemResponses, SECURED } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";
import { loadReportInput } from "../../runs/report-input";
import { HTML_CSP, renderReport, REPORT_FILE_EXTENSIONS, REPORT_FORMATS, REPORT_MEDIA_TYPES, ReportSchema, type ReportFormat } from "../../reports";

/** Formats that list every case (JUnit testcases, HAR entries, the HTML per-operation table). */
const NEEDS_CASES: ReadonlySet<ReportFormat> = new Set(["junit", "har", "html"]);

const FORMAT_DESCRIPTIONS: Record<ReportFormat, string> = {
  junit: "JUnit XML: a testsuite per operation, a testcase per case",
  sarif: "SARIF 2.1.0 for code scanning: a rule per check, a result per finding",
  html: "Self-contained HTML report (no external assets)",
  md: "Markdown summary for a pull-request comment",
  har: "HAR 1.2 of the requests sent",
};

const RunId = IdParam("Run", "run_01HZX3K9Q2");

export const reportsRoutes = createRouter();

async function load(c: Context<AppEnv>, runId: string, cases: boolean) {
  const input = await loadReportInput(c.env.DB, c.get("auth").orgId, runId, { cases });
  if (!input) throw new ProblemError("not-found", `Run ${runId} not found`);
  return input;
}

reportsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/runs/{id}/report",
    tags: ["reports"],
    summary: "The run's report (JSON contract)",
    security: SECURED,
    middleware: [requirePermission("runs:read")] as const,
    request: { params: RunId },
    responses: {
      200: { description: "Run summary and findings", content: { "application/json": { schema: ReportSchema } } },
      ...problemResponses(401, 403, 404),
    },
  }),
  async (c) => {
    const { report } = await load(c, c.req.valid("param").id, false);
    return c.json(report, 200);
  },
);

for (const format of REPORT_FORMATS) {
  const mediaType = REPORT_MEDIA_TYPES[format].split(";")[0];
  reportsRoutes.openapi(
    createRoute({
      method: "get",
      path: `/runs/{id}/report.${format}`,
      tags: ["reports"],
      summary: FORMAT_DESCRIPTIONS[format],
      security: SECURED,
      middleware: [requirePermission("runs:read")] as const,
      request: { params: RunId },
      responses: {
        200: { description: FORMAT_DESCRIPTIONS[format], content: { [mediaType]: { schema: z.string() } } },
        ...problemResponses(401, 403, 404),
      },
    }),
    // The typed-response helpers know JSON and text only; these bodies are other media types.
    (async (c: Context<AppEnv>) => {
      const runId = c.req.param("id") ?? "";
      const input = await load(c, runId, NEEDS_CASES.has(format));
      const headers: Record<string, string> = {
        "content-type": REPORT_MEDIA_TYPES[format],
        "content-disposition": `inline; filename="sentinel-${runId.replace(/[^A-Za-z0-9_.-]/g, "_")}.${REPORT_FILE_EXTENSIONS[format]}"`,
        "x-content-type-options": "nosniff",
      };
      // Response bodies in the report are attacker-controlled: the HTML may load and run nothing foreign.
      if (format === "html") headers["content-security-policy"] = HTML_CSP;
      return new Response(renderReport(format, input), { status: 200, headers });
    }) as never,
  );
}
