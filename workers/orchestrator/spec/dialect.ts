import type { SpecProblem } from "../../model";

export type Dialect = "2.0" | "3.0" | "3.1";

export interface DialectInfo {
  dialect: Dialect;
  /** the version string as declared, e.g. "3.0.3" */
  version: string;
}

/**
 * Reads `swagger` / `openapi` from the root. YAML turns unquoted `2.0` and `3.1` into numbers;
 * those are accepted with a warning because the intent is unambiguous.
 */
export function detectDialect(doc: Record<string, unknown>): { info?: DialectInfo; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const { openapi, swagger } = doc;
  if (openapi !== undefined) {
    let version = openapi;
    if (typeof version === "number") {
      version = version.toFixed(1);
      problems.push({ severity: "warning", pointer: "/openapi", message: `openapi version should be a string such as "${version}.0"` });
    }
    if (typeof version === "string") {
      if (/^3\.0(\.\d+)?$/.test(version)) return { info: { dialect: "3.0", version }, problems };
      if (/^3\.1(\.\d+)?$/.test(version)) return { info: { dialect: "3.1", version }, problems };
    }
    problems.push({ severity: "error", pointer: "/openapi", message: `unsupported OpenAPI version ${JSON.stringify(openapi)}: expected 3.0.x or 3.1.x` });
    return { problems };
  }
  if (swagger !== undefined) {
    if (swagger === "2.0") return { info: { dialect: "2.0", version: "2.0" }, problems };
    if (swagger === 2) {
      problems.push({ severity: "warning", pointer: "/swagger", message: 'swagger version should be the string "2.0"' });
      return { info: { dialect: "2.0", version: "2.0" }, problems };
    }
    problems.push({ severity: "error", pointer: "/swagger", message: `unsupported Swagger version ${JSON.stringify(swagger)}: expected "2.0"` });
    return { problems };
  }
  problems.push({ severity: "error", pointer: "/openapi", message: 'not an OpenAPI document: neither "openapi" nor "swagger" is declared' });
  return { problems };
}
