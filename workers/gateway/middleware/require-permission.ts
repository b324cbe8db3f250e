/** Route-level guard: routes ask for a permission (auth/permissions.ts), never for a role. */
import type { MiddlewareHandler } from "hono";
import { can, type Permission } from "../auth/permissions";
import type { AppEnv } from "../context";
import { ProblemError } from "../problem";

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) throw new ProblemError("unauthorized", "Authentication required");
    if (!can(auth.role, permission)) {
      throw new ProblemError("forbidden", `Your role (${auth.role}) lacks the ${permission} permission`, { permission });
    }
    return next();
  };
}
