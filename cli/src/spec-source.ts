/**
 * Reads the --spec document (file or URL), bundles multi-file specs when the spec module can,
 * and checks it with the same parser the server uses, so that a broken spec fails in a second
 * with each problem's pointer and line — before any platform starts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ApiModel, SpecProblem } from "../../workers/model";
import { bundleDocument } from "../../workers/orchestrator/spec/bundle";
import { parseDocument } from "../../workers/orchestrator/spec/parse-document";
import { modelFromDocument } from "../../workers/orchestrator/spec/parse-spec";
import { CliError } from "./exit-codes";

export interface SpecSource {
  /** the text uploaded to Sentinel */
  text: string;
  contentType: "application/json" | "application/yaml";
  /** what the user passed, for messages */
  display: string;
  /** the spec file relative to the working directory with / separators (SARIF locations), for local files */
  relativePath?: string;
  model: ApiModel;
  warnings: SpecProblem[];
  /** "METHOD path" → 1-based line of the operation in the spec file (single-file specs) */
  operationLines: Map<string, number>;
  bundled: boolean;
}

const FETCH_TIMEOUT_MS = 30_000;

export async function loadSpec(spec: string, cwd = process.cwd()): Promise<SpecSource> {
  const isUrl = /^https?:\/\//i.test(spec);
  const display = isUrl ? spec : path.relative(cwd, spec) || spec;
  let text: string;
  let contentType: string | undefined;
  if (isUrl) {
    ({ text, contentType } = await fetchSpec(spec));
  } else {
    try {
      text = readFileSync(spec, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(`cannot read spec ${display}: ${code === "ENOENT" ? "no such file" : (code ?? (err as Error).message)}`, "usage");
    }
    contentType = /\.json$/i.test(spec) ? "application/json" : /\.ya?ml$/i.test(spec) ? "application/yaml" : undefined;
  }

  if (!isUrl && hasExternalRefs(text)) {
    const document = await bundleFiles(spec, display);
    const checked = check(document, undefined, [], display);
    return { text: JSON.stringify(document), contentType: "application/json", display, relativePath: toPosix(path.relative(cwd, spec)), ...checked, operationLines: new Map(), bundled: true };
  }

  const parsed = parseDocument(text, { contentType, maxYamlBytes: Number.POSITIVE_INFINITY });
  if (!parsed.document) throw specError(display, parsed.problems);
  const checked = check(parsed.document, parsed.locator, parsed.problems, display);
  const lines = new Map<string, number>();
  try {
    const positions = parsed.locator.locate(checked.model.operations.map((op) => op.pointer));
    for (const op of checked.model.operations) {
      const pos = positions.get(op.pointer);
      if (pos) lines.set(`${op.method.toUpperCase()} ${op.path}`, pos.line);
    }
  } catch {
    // lines are a nicety for SARIF; a locator failure must not stop the run
  }
  return {
    // uploaded as JSON: parsing YAML in the Worker costs far more memory than JSON
    text: parsed.format === "json" ? text : JSON.stringify(parsed.document),
    contentType: "application/json",
    display,
    relativePath: isUrl ? undefined : toPosix(path.relative(cwd, spec)),
    ...checked,
    operationLines: lines,
    bundled: false,
  };
}

function check(document: unknown, locator: Parameters<typeof modelFromDocument>[1], earlier: SpecProblem[], display: string) {
  const result = modelFromDocument(document, locator, earlier);
  if (!result.model) throw specError(display, result.problems);
  return { model: result.model, warnings: result.problems.filter((p) => p.severity === "warning") };
}

async function fetchSpec(url: string): Promise<{ text: string; contentType?: string }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/json, application/yaml;q=0.9, */*;q=0.5" } });
  } catch (err) {
    throw new CliError(`cannot fetch spec ${url}: ${causeOf(err)}`, "infrastructure");
  }
  if (!response.ok) throw new CliError(`cannot fetch spec ${url}: HTTP ${response.status}`, "infrastructure");
  const type = response.headers.get("content-type") ?? "";
  return { text: await response.text(), contentType: /json/i.test(type) ? "application/json" : /yaml/i.test(type) ? "application/yaml" : undefined };
}

/** A `$ref` whose value does not start with "#": the document points into other files. */
export function hasExternalRefs(text: string): boolean {
  return /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#][^\s"']*/.test(text);
}

/** One self-contained document from a spec split over several files (relative `$ref`s). */
async function bundleFiles(root: string, display: string): Promise<unknown> {
  const readText = async (file: string) => readFileSync(file, "utf8");
  let result: Awaited<ReturnType<typeof bundleDocument>>;
  try {
    result = await bundleDocument(root, readText);
  } catch (err) {
    throw new CliError(`cannot bundle spec ${display}: ${(err as Error).message}`, "spec");
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || result.document === undefined) throw specError(display, result.problems);
  return result.document;
}

/** One CliError listing every error problem as "file:line:column pointer: message". */
export function specError(display: string, problems: SpecProblem[]): CliError {
  const errors = problems.filter((p) => p.severity === "error");
  const list = errors.length > 0 ? errors : problems;
  const details = list.map((p) => {
    const where = p.line !== undefined ? `${display}:${p.line}${p.column !== undefined ? `:${p.column}` : ""}` : display;
    return `  ${where}  ${p.pointer || "/"}  ${p.message}`;
  });
  return new CliError(`the spec ${display} is invalid (${list.length} problem${list.length === 1 ? "" : "s"})`, "spec", details);
}

/** The path as SARIF wants it (relative, /-separated); undefined outside the working directory. */
function toPosix(p: string): string | undefined {
  if (p === "" || p.startsWith("..") || path.isAbsolute(p)) return undefined;
  return p.split(path.sep).join("/");
}

export function causeOf(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timed out";
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
