/**
 * Outermost middleware: a request id on every response (an incoming sane X-Request-Id is kept,
 * so callers can correlate) and one structured log line per request. The path is logged without
 * its query string, and never headers or bodies, so no credential reaches the logs.
 */
import type { MiddlewareHandler } from "hono";
import { log } from "../../shared/log";
import type { AppEnv } from "../context";

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    await next();
    try {
      c.res.headers.set("X-Request-Id", requestId);
      c.res.headers.set("X-Content-Type-Options", "nosniff");
    } catch {
      // Immutable headers (a proxied response): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("X-Request-Id", requestId);
    }
    log(c.res.status >= 500 ? "error" : "info", "request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
      requestId,
      orgId: c.get("auth")?.orgId ?? null,
      keyId: c.get("auth")?.keyId ?? null,
    });
  };
}
