/** Zod schemas shared by routes, and the response fragments every OpenAPI route repeats. */
import { z } from "@hono/zod-openapi";

export const BEARER = "bearerAuth";
export const SECURED = [{ [BEARER]: [] }];

export const ProblemSchema = z
  .looseObject({
    type: z.string().openapi({ example: "https://sentinel.dev/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.looseObject({ message: z.string() }))
      .optional()
      .openapi({ description: "field errors (validation-error) or spec problems with pointer/line/column (invalid-spec)" }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

const STATUS_TEXT: Record<number, string> = {
  400: "Invalid request",
  401: "Missing or invalid credentials",
  403: "Not allowed for this role",
  404: "Not found (or another organization's)",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported content type",
  422: "Unprocessable",
  429: "Rate limited (see Retry-After)",
  500: "Internal error",
  502: "Upstream fetch failed",
};

/** Response entries for the given statuses, all application/problem+json. */
export function problemResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }> = {};
  for (const status of statuses) {
    out[status] = { description: STATUS_TEXT[status] ?? "Error", content: { "application/problem+json": { schema: ProblemSchema } } };
  }
  return out;
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const IdParam = (name: string, example: string) =>
  z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" }, example, description: `${name} id` }) });
