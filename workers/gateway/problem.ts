/**
 * RFC 9457 problem details. Every error Sentinel returns is application/problem+json with a
 * stable `type` URI from PROBLEM_TYPES, so clients can branch on it.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const BASE = "https://sentinel.dev/problems/";

export const PROBLEM_TYPES = {
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed for your role" },
  "not-found": { status: 404, title: "Not found" },
  "validation-error": { status: 400, title: "The request is invalid" },
  "invalid-spec": { status: 422, title: "The API description is invalid" },
  "spec-too-large": { status: 413, title: "The API description is too large" },
  "payload-too-large": { status: 413, title: "The request body is too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported content type" },
  "target-not-allowed": { status: 422, title: "The target address is not allowed" },
  conflict: { status: 409, title: "Conflict" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "bad-signature": { status: 401, title: "The signature does not verify" },
  "upstream-error": { status: 502, title: "Fetching a remote resource failed" },
  internal: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemBody(type: ProblemType, detail?: string, extensions: Record<string, unknown> = {}): ProblemBody {
  const { status, title } = PROBLEM_TYPES[type];
  return { type: BASE + type, title, status, ...(detail ? { detail } : {}), ...extensions };
}

export function problemResponse(
  type: ProblemType,
  detail?: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(type, detail, extensions);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/** Throw from anywhere in a request: the app's error handler renders it. */
export class ProblemError extends HTTPException {
  constructor(
    readonly problemType: ProblemType,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(PROBLEM_TYPES[problemType].status as ContentfulStatusCode, { message: detail ?? PROBLEM_TYPES[problemType].title });
  }
  override getResponse(): Response {
    return problemResponse(this.problemType, this.message, this.extensions, this.headers);
  }
}
