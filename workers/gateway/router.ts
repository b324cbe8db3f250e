/**
 * Every route module builds its sub-app with createRouter(): an OpenAPIHono whose validation
 * failures become problem+json. Sub-apps mounted under the main app inherit its hook anyway;
 * this keeps each module correct on its own (e.g. in unit tests).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";
import { validationProblem } from "./validation";

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.target, result.error);
    },
  });
}
