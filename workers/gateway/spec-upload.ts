/**
 * Turning an uploaded or fetched spec body into a stored spec: content-type and size rules,
 * parsing, the 413/415/422 problems, storage. Shared by POST /specs and POST /specs/import.
 */
import type { SpecProblem } from "../model";
import { MAX_SPEC_BYTES, MAX_YAML_BYTES } from "../orchestrator/spec/limits";
import { parseSpec } from "../orchestrator/spec/parse-spec";
import { keepOperationVectors } from "../runs/finding-memory";
import { storeSpec, type SpecRow } from "../storage/specs-repo";
import { ProblemError } from "./problem";
import { readLimited } from "./read-limited";

export const SPEC_CONTENT_TYPES = ["application/json", "application/yaml", "text/yaml", "application/x-yaml"] as const;

/** The media type without parameters, lower-cased ("" when absent). */
export function essence(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** Accepts the listed types, +json/+yaml suffixes (application/vnd.oai.openapi+json) and text/x-yaml. */
export function isSpecContentType(contentType: string | null | undefined): boolean {
  const type = essence(contentType);
  return (SPEC_CONTENT_TYPES as readonly string[]).includes(type) || type === "text/x-yaml" || /^application\/[\w.-]+\+(json|yaml)$/.test(type);
}

export function tooLarge(size?: number): ProblemError {
  return new ProblemError(
    "spec-too-large",
    `The API description exceeds the ${MAX_SPEC_BYTES}-byte limit${size ? ` (${size} bytes)` : ""}`,
    { limitBytes: MAX_SPEC_BYTES },
  );
}

/** Refuses early on a declared Content-Length, then reads the stream only up to the limit. */
export async function readSpecBody(body: ReadableStream<Uint8Array> | null, contentLength: string | null | undefined): Promise<Uint8Array> {
  const declared = contentLength ? Number(contentLength) : NaN;
  if (Number.isFinite(declared) && declared > MAX_SPEC_BYTES) {
    await body?.cancel().catch(() => {});
    throw tooLarge(declared);
  }
  const read = await readLimited(body, MAX_SPEC_BYTES);
  if (!read.ok) throw tooLarge();
  return read.bytes;
}

export interface SpecProblemView {
  pointer: string;
  line?: number;
  column?: number;
  message: string;
}

function view(p: SpecProblem): SpecProblemView {
  return { pointer: p.pointer, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.column !== undefined ? { column: p.column } : {}), message: p.message };
}

export async function ingestSpec(
  env: Env,
  input: { orgId: string; name: string; bytes: Uint8Array; contentType: string | undefined; createdBy: string | null },
): Promise<SpecRow> {
  const hint = input.contentType && /json|yaml|yml/i.test(input.contentType) ? input.contentType : undefined;
  const result = parseSpec(input.bytes, { contentType: hint, maxBytes: MAX_SPEC_BYTES });
  if (result.tooLarge) {
    // the parser's message says which limit (the YAML one advises sending JSON)
    const reason = result.problems.find((p) => p.severity === "error")?.message;
    throw new ProblemError("spec-too-large", reason ?? tooLarge(input.bytes.byteLength).message, { limitBytes: MAX_SPEC_BYTES, yamlLimitBytes: MAX_YAML_BYTES });
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  if (!result.model || errors.length > 0) {
    const first = errors[0];
    throw new ProblemError(
      "invalid-spec",
      first ? `${first.message}${first.pointer ? ` at ${first.pointer}` : ""}${first.line ? ` (line ${first.line})` : ""}` : "The document could not be read as an API description",
      {
        errors: (errors.length > 0 ? errors : result.problems).map(view),
        warnings: result.problems.filter((p) => p.severity === "warning").map(view),
      },
    );
  }
  const row = await storeSpec(env.DB, env.BLOBS, {
    orgId: input.orgId,
    name: input.name,
    raw: input.bytes,
    contentType: input.contentType ?? "application/octet-stream",
    model: result.model,
    warnings: result.problems.filter((p) => p.severity === "warning"),
    createdBy: input.createdBy,
  });
  // embedded once here rather than by every run the org's past findings guide
  await keepOperationVectors(env, { modelKey: row.modelKey, model: result.model });
  return row;
}

export function warningViews(row: SpecRow): SpecProblemView[] {
  return row.warnings.map(view);
}
