/**
 * Zod validation failures → one problem+json (type validation-error) that lists every field:
 * where it was (body, query, path, header), its path and the message.
 */
import type { ZodError } from "zod";
import { ProblemError } from "./problem";

export interface FieldError {
  in: string;
  /** dotted path, e.g. identities.admin.Authorization ("" for the whole value) */
  path: string;
  /** the same as a JSON pointer */
  pointer: string;
  message: string;
}

const LOCATIONS: Record<string, string> = { json: "body", form: "body", query: "query", param: "path", header: "header", cookie: "cookie" };

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function fieldErrors(target: string, error: ZodError): FieldError[] {
  const where = LOCATIONS[target] ?? target;
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    // Unknown keys are reported once per key, at the key itself, so clients can point at it.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      out.push({
        in: where,
        path: path.map(String).join("."),
        pointer: pointerOf(path),
        message: key === undefined ? issue.message : `unknown field "${key}"`,
      });
    }
  }
  return out;
}

export function validationProblem(target: string, error: ZodError): ProblemError {
  const errors = fieldErrors(target, error);
  const summary = errors.map((e) => `${e.in}${e.path ? "." + e.path : ""}: ${e.message}`).slice(0, 5).join("; ");
  return new ProblemError("validation-error", summary, { errors });
}
