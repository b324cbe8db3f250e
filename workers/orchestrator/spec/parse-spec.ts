import type { ApiModel, SpecProblem } from "../../model";
import { buildApiModel } from "./build-model";
import { detectDialect } from "./dialect";
import { parseDocument, type ParseDocumentOptions } from "./parse-document";
import { isObject } from "../../jsonschema/types";
import { ProblemList } from "./problems";
import { convertSwagger2 } from "./swagger2";
import { NO_LOCATOR, type SourceLocator } from "./text-position";
import { validateDocument } from "./validate";

export type ParseSpecOptions = ParseDocumentOptions;

export interface ParseSpecResult {
  /** present exactly when no problem is an error */
  model?: ApiModel;
  problems: SpecProblem[];
  /** the document as parsed (before conversion), when it could be parsed */
  document?: unknown;
  /** the input exceeded the size limit (the gateway answers 413) */
  tooLarge?: boolean;
}

/** Spec text (JSON or YAML, any supported dialect) → operation model, or problems saying why not. */
export function parseSpec(input: string | Uint8Array, opts: ParseSpecOptions = {}): ParseSpecResult {
  const parsed = parseDocument(input, opts);
  if (!parsed.document) {
    const result: ParseSpecResult = { problems: parsed.problems };
    if (parsed.tooLarge) result.tooLarge = true;
    return result;
  }
  return modelFromDocument(parsed.document, parsed.locator, parsed.problems);
}

/**
 * The same from an already parsed document (for instance the output of bundleDocument).
 * `locator` adds line numbers to problems; `earlier` are problems found while parsing.
 */
export function modelFromDocument(document: unknown, locator: SourceLocator = NO_LOCATOR, earlier: SpecProblem[] = []): ParseSpecResult {
  const problems = new ProblemList();
  problems.addAll(earlier);
  const done = (model?: ApiModel): ParseSpecResult => {
    const list = withPositions(problems.toArray(), locator);
    return problems.hasErrors || !model ? { problems: list, document } : { model, problems: list, document };
  };
  if (!isObject(document)) {
    problems.error("", "spec must be an object at the top level");
    return done();
  }
  const dialect = detectDialect(document);
  problems.addAll(dialect.problems);
  if (!dialect.info) return done();
  validateDocument(document, dialect.info.dialect, problems);
  if (problems.hasErrors) return done();
  const doc3 = dialect.info.dialect === "2.0" ? convertSwagger2(document, problems).document : document;
  if (problems.hasErrors) return done();
  const { model } = buildApiModel(doc3, { sourceVersion: dialect.info.version, dialect: dialect.info.dialect, problems });
  if (model.operations.length === 0) problems.warning("/paths", "the document describes no operations");
  return done(model);
}

/** Fills line/column of problems that have a pointer but no position yet. */
function withPositions(problems: SpecProblem[], locator: SourceLocator): SpecProblem[] {
  const wanted = problems.filter((p) => p.line === undefined).map((p) => p.pointer);
  if (wanted.length === 0) return problems;
  let positions: Map<string, { line: number; column: number }>;
  try {
    positions = locator.locate(wanted);
  } catch {
    return problems;
  }
  return problems.map((p) => {
    const pos = p.line === undefined ? positions.get(p.pointer) : undefined;
    return pos ? { ...p, line: pos.line, column: pos.column } : p;
  });
}
