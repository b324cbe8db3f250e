/**
 * Why a run could not start, as a domain error: routes, webhooks and schedules share the services
 * in workers/runs; the gateway renders a RunError as problem+json (gateway/errors.ts) with the
 * `kind` as its problem type, a schedule records `kind: message`.
 */
export type RunErrorKind = "not-found" | "invalid-spec" | "spec-too-large" | "target-not-allowed" | "validation-error" | "internal";

export class RunError extends Error {
  override readonly name = "RunError";
  constructor(
    readonly kind: RunErrorKind,
    message: string,
    /** extra fields for the problem body: `{ url }`, `{ errors }`, `{ runId }` */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
