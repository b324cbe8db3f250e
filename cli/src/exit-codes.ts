/** Exit codes of `sentinel run` (DESIGN.md CLI contract). */
export const EXIT_OK = 0;
/** findings at or above --fail-on */
export const EXIT_FINDINGS = 1;
/** usage, spec or infrastructure error */
export const EXIT_ERROR = 2;

/** An error the CLI reports in one message and exits 2 for (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly kind: "usage" | "spec" | "infrastructure" = "infrastructure",
    /** extra lines printed after the message (spec problems, hints) */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }
}
