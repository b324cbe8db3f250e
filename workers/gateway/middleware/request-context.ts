/**
 * The request id and one structured log line per request. hono/request-id picks the id (an
 * incoming sane X-Request-Id is kept, so callers can correlate); requestContext() logs the
 * request and stamps the id on responses a handler built itself (a stream, a proxied response).
 * The path is logged without its query string, and never headers or bodies, so no credential
 * reaches the logs.
 */
import type { Context, MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { log } from "../../shared/log";
import type { AppEnv } from "../context";

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** hono's own rule keeps ids of word characters, "-" and "="; ours also keeps "." and ":" (build ids, traces). */
export function requestIds(): MiddlewareHandler<AppEnv> {
  return requestId({
    limitLength: 128,
    generator: (c: Context) => {
      const incoming = c.req.header("x-request-id");
      return incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    },
  });
}

export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    const id = c.get("requestId");
    if (c.res.headers.get("X-Request-Id") !== id) {
      try {
        c.res.headers.set("X-Request-Id", id);
      } catch {
        // Immutable headers (a proxied response): copy it once, so the headers after us can be set too.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set("X-Request-Id", id);
      }
    }
    log(c.res.status >= 500 ? "error" : "info", "request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
      requestId: id,
      orgId: c.get("auth")?.orgId ?? null,
      keyId: c.get("auth")?.keyId ?? null,
    });
  };
}
