/** Every failure leaves the gateway as problem+json; unexpected errors are logged, never echoed. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { EncryptionKeyError } from "../shared/secret-box";
import { log } from "../shared/log";
import { MissingSecretError } from "./auth/sessions";
import type { AppEnv } from "./context";
import { RunError } from "../runs/errors";
import { ProblemError, problemResponse, type ProblemType } from "./problem";

const BY_STATUS: Record<number, ProblemType> = {
  400: "validation-error",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
};

export function renderError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  if (err instanceof ProblemError) {
    return problemResponse(err.problemType, err.message, { ...err.extensions, requestId }, err.headers);
  }
  if (err instanceof RunError) {
    return problemResponse(err.kind, err.message, { ...err.details, requestId });
  }
  if (err instanceof HTTPException && BY_STATUS[err.status]) {
    return problemResponse(BY_STATUS[err.status], err.message, { requestId });
  }
  if (err instanceof MissingSecretError || err instanceof EncryptionKeyError) {
    log("error", "server misconfigured", { requestId, error: err.message });
    return problemResponse("internal", `Server configuration: ${err.message}`, { requestId });
  }
  log("error", "unhandled error", { requestId, error: err.message, name: err.name, stack: err.stack });
  return problemResponse("internal", "An unexpected error occurred; quote the request id when reporting it", { requestId });
}

export function renderNotFound(c: Context<AppEnv>): Response {
  return problemResponse("not-found", `No route for ${c.req.method} ${c.req.path}`, { requestId: c.get("requestId") });
}
