/**
 * The gateway: one OpenAPIHono app. Order matters: secure headers → request id → request log →
 * bootstrap →
 * body limit → authentication → rate limit → routes. Every route is declared with createRoute,
 * so /api/v1/openapi.json documents exactly what is served.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { MAX_SPEC_BYTES } from "../orchestrator/spec/limits";
import { ensureBootstrap } from "./auth/bootstrap";
import type { AppEnv } from "./context";
import { renderError, renderNotFound } from "./errors";
import { authenticate } from "./middleware/authenticate";
import { rateLimit } from "./middleware/rate-limit";
import { requestContext, requestIds } from "./middleware/request-context";
import { BEARER, jsonContent } from "./openapi-schemas";
import { ProblemError } from "./problem";
import { createRouter } from "./router";
import { authRoutes } from "./routes/auth";
import { hooksRoutes } from "./routes/hooks";
import { keysRoutes } from "./routes/keys";
import { llmKeysRoutes } from "./routes/llm-keys";
import { loadTestsRoutes } from "./routes/load-tests";
import { oraclesRoutes } from "./routes/oracles";
import { reportsRoutes } from "./routes/reports";
import { runsRoutes } from "./routes/runs";
import { schedulesRoutes } from "./routes/schedules";
import { specsRoutes } from "./routes/specs";
import { targetsRoutes } from "./routes/targets";
import { usersRoutes } from "./routes/users";
import { dashboard } from "./ui";

export const API_VERSION = "0.1.0";
/** JSON bodies of our own routes. Spec uploads stream against MAX_SPEC_BYTES themselves. */
const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** POST /runs may carry a whole spec inline, JSON-escaped (which can double its size). */
const MAX_RUN_BODY_BYTES = 2 * MAX_SPEC_BYTES;

const Health = z.object({ status: z.literal("ok"), service: z.literal("sentinel"), version: z.string() }).openapi("Health");

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["meta"],
  summary: "Liveness (no authentication)",
  responses: { 200: jsonContent(Health, "The service is up") },
});

const openapi = createRoute({
  method: "get",
  path: "/api/v1/openapi.json",
  tags: ["meta"],
  summary: "This OpenAPI 3.1 document (no authentication)",
  responses: { 200: jsonContent(z.looseObject({ openapi: z.string() }), "OpenAPI 3.1 document") },
});

function isSpecUpload(method: string, path: string): boolean {
  return method === "POST" && /^\/api\/v1\/specs\/?$/.test(path);
}

export function createApp(): OpenAPIHono<AppEnv> {
  const app = createRouter();

  // Outermost, so it runs last: it only fills in headers a route or the dashboard did not set.
  app.use("*", secureHeaders({ overwrite: false }));
  app.use("*", requestIds());
  app.use("*", requestContext());
  app.use("*", async (c, next) => {
    await ensureBootstrap(c.env);
    return next();
  });
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError("payload-too-large", `Request bodies are limited to ${maxSize} bytes here`, { limitBytes: maxSize });
      },
    });
  const jsonLimit = limit(MAX_JSON_BODY_BYTES);
  const runLimit = limit(MAX_RUN_BODY_BYTES);
  app.use("/api/v1/*", (c, next) => {
    if (isSpecUpload(c.req.method, c.req.path)) return next();
    if (c.req.method === "POST" && /^\/api\/v1\/runs\/?$/.test(c.req.path)) return runLimit(c, next);
    return jsonLimit(c, next);
  });
  app.use("/api/v1/*", authenticate());
  app.use("/api/v1/*", rateLimit());

  app.openapi(health, (c) => c.json({ status: "ok" as const, service: "sentinel" as const, version: API_VERSION }, 200));

  for (const routes of [authRoutes, usersRoutes, keysRoutes, specsRoutes, oraclesRoutes, targetsRoutes, runsRoutes, reportsRoutes, hooksRoutes, schedulesRoutes, loadTestsRoutes, llmKeysRoutes]) {
    app.route("/api/v1", routes);
  }

  app.openAPIRegistry.registerComponent("securitySchemes", BEARER, {
    type: "http",
    scheme: "bearer",
    description: "An API key (sk_…) or a session JWT from POST /api/v1/auth/login",
  });

  let document: unknown;
  app.openapi(openapi, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Sentinel API",
        version: API_VERSION,
        description: "Edge-native API testing: upload a spec, register a target, run tests, read findings. Errors are RFC 9457 problem+json.",
      },
      servers: [{ url: new URL(c.req.url).origin }],
      tags: [
        { name: "auth" },
        { name: "users" },
        { name: "keys" },
        { name: "specs" },
        { name: "targets" },
        { name: "runs" },
        { name: "reports" },
        { name: "hooks", description: "Webhooks that start runs (GitHub and generic signed deliveries)" },
        { name: "schedules", description: "Runs on a cron schedule (UTC)" },
        { name: "load-tests", description: "Load and latency tests from Cloudflare regions (LoadGenerator Durable Objects)" },
        { name: "meta" },
      ],
    });
    return c.json(document as { openapi: string }, 200);
  });

  // The dashboard (/ and /app): pages that call the routes above in-process.
  app.route("/", dashboard((request, env, ctx) => app.fetch(request, env, ctx)) as never);

  app.onError(renderError);
  app.notFound(renderNotFound);
  return app;
}
