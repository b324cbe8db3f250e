import { constructFromEvents, CORE_SCHEMA, mergeTag, YAMLException } from "js-yaml";
import { parseDocument as parseLenientYaml } from "yaml";
import type { SpecProblem } from "../../model";
import { jsonDepthExceeds, jsonLocator } from "./json-locator";
import { MAX_ALIAS_EXPANSION, MAX_NESTING_DEPTH, MAX_SPEC_BYTES, MAX_YAML_BYTES } from "./limits";
import { LineIndex, NO_LOCATOR, type SourceLocator } from "./text-position";
import { checkAliases, yamlEvents } from "./yaml-events";
import { yamlLocator } from "./yaml-locator";

export interface ParseDocumentOptions {
  /** Content-Type of the upload; picks JSON or YAML. Without it the text is sniffed. */
  contentType?: string;
  /** Size limit in bytes of UTF-8 (default MAX_SPEC_BYTES). */
  maxBytes?: number;
  /** Size limit for YAML text (default MAX_YAML_BYTES; Node callers with memory to spare lift it). */
  maxYamlBytes?: number;
  /** Accept any JSON value at the top (files reached by `$ref` may hold a bare string or list). */
  anyValue?: boolean;
}

export interface ParsedDocument {
  /** The parsed root object (any value with `anyValue`); absent when an error problem was found. */
  document?: Record<string, unknown>;
  format: "json" | "yaml";
  /** Maps JSON pointers of `document` to lines of the text. */
  locator: SourceLocator;
  problems: SpecProblem[];
  /** The input was over the size limit (HTTP 413 for the gateway). */
  tooLarge: boolean;
}

function fail(format: "json" | "yaml", message: string, extra: Partial<SpecProblem> = {}, tooLarge = false): ParsedDocument {
  return { format, locator: NO_LOCATOR, tooLarge, problems: [{ severity: "error", pointer: "", message, ...extra }] };
}

/** UTF-8 byte length of a string without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Index of the first byte that is not valid UTF-8 (only called after TextDecoder refused). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}

function sniffFormat(text: string, contentType?: string): "json" | "yaml" {
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("json")) return "json";
  if (ct.includes("yaml") || ct.includes("yml")) return "yaml";
  const first = text.match(/\S/)?.[0];
  return first === "{" || first === "[" ? "json" : "yaml";
}

/**
 * Iterative walk that finds nesting beyond `limit` and cycles (a YAML alias inside its own
 * anchor). Shared subtrees (ordinary anchors) are walked once.
 */
function shapeProblem(root: unknown, limit: number): string | undefined {
  const onPath = new WeakSet<object>();
  const done = new WeakSet<object>();
  const stack: { value: object; depth: number; exit: boolean }[] = [];
  if (root !== null && typeof root === "object") stack.push({ value: root, depth: 1, exit: false });
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.exit) {
      onPath.delete(frame.value);
      done.add(frame.value);
      continue;
    }
    if (done.has(frame.value)) continue;
    if (frame.depth > limit) return `spec nests deeper than ${limit} levels`;
    onPath.add(frame.value);
    stack.push({ ...frame, exit: true });
    for (const child of Object.values(frame.value)) {
      if (child === null || typeof child !== "object" || done.has(child)) continue;
      if (onPath.has(child)) return "spec contains a YAML alias that refers to its own anchor (a cycle)";
      stack.push({ value: child, depth: frame.depth + 1, exit: false });
    }
  }
  return undefined;
}

/**
 * Turns spec text (JSON or YAML) into a plain object plus a locator for line numbers.
 * Never throws: oversized, undecodable, bomb-shaped or malformed input becomes an error problem.
 */
export function parseDocument(input: string | Uint8Array, opts: ParseDocumentOptions = {}): ParsedDocument {
  const maxBytes = opts.maxBytes ?? MAX_SPEC_BYTES;
  let text: string;
  if (typeof input === "string") {
    // Each UTF-16 unit is at least one byte, so only count exactly when it could matter.
    if (input.length > maxBytes || (input.length * 3 > maxBytes && utf8Length(input) > maxBytes)) {
      return fail(sniffFormat(input.slice(0, 64), opts.contentType), `spec is larger than the ${maxBytes}-byte limit`, {}, true);
    }
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    if (input.byteLength > maxBytes) {
      return fail("json", `spec is larger than the ${maxBytes}-byte limit (${input.byteLength} bytes)`, {}, true);
    }
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      let line = 1;
      for (let i = 0; i < at; i++) if (input[i] === 10) line++;
      return fail("json", `spec is not valid UTF-8 text (invalid byte at offset ${at})`, { line });
    }
  }

  const format = sniffFormat(text, opts.contentType);
  if (text.trim() === "") return fail(format, "spec is empty");

  if (format === "json") {
    if (jsonDepthExceeds(text, MAX_NESTING_DEPTH)) {
      return fail(format, `spec nests deeper than ${MAX_NESTING_DEPTH} levels`);
    }
    try {
      return finish(JSON.parse(text), "json", jsonLocator(text), [], opts.anyValue);
    } catch (err) {
      const explicitJson = (opts.contentType ?? "").toLowerCase().includes("json");
      if (!explicitJson) {
        const asYaml = parseYamlWithinLimit(text, opts);
        if (asYaml.document) return asYaml;
      }
      const m = /position (\d+)/.exec(String((err as Error).message));
      const pos = m ? new LineIndex(text).position(Number(m[1])) : undefined;
      return fail("json", `invalid JSON: ${(err as Error).message}`, pos ? { line: pos.line, column: pos.column } : {});
    }
  }
  return parseYamlWithinLimit(text, opts);
}

function parseYamlWithinLimit(text: string, opts: ParseDocumentOptions): ParsedDocument {
  const maxYamlBytes = opts.maxYamlBytes ?? MAX_YAML_BYTES;
  if (text.length > maxYamlBytes / 3 && utf8Length(text) > maxYamlBytes) {
    return fail(
      "yaml",
      `YAML spec is larger than the ${maxYamlBytes}-byte YAML limit: send it as JSON (the sentinel CLI converts it for you), which is accepted up to ${opts.maxBytes ?? MAX_SPEC_BYTES} bytes`,
      {},
      true,
    );
  }
  return parseYaml(text, opts.anyValue);
}

/** YAML 1.2 core schema plus merge keys (`<<: *base`), which real specs use. */
const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/** Line of the marker that starts a second document (`---` or `...` after content). */
function secondDocumentLine(text: string): number | undefined {
  const lines = text.split("\n");
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (content) return i + 1;
      content = /^---\s+\S/.test(line) && !/^---\s+#/.test(line);
    } else if (line.trim() !== "" && !line.startsWith("#") && !line.startsWith("%")) content = true;
  }
  return undefined;
}

function yamlProblem(err: unknown, text: string): ParsedDocument {
  if (err instanceof YAMLException) {
    const at = err.mark ? { line: err.mark.line + 1, column: err.mark.column + 1 } : {};
    if (/maxDepth/.test(err.reason)) return fail("yaml", `spec nests deeper than ${MAX_NESTING_DEPTH} levels`, at);
    if (/single document/.test(err.reason)) return fail("yaml", "spec holds more than one YAML document", { line: secondDocumentLine(text) });
    return fail("yaml", `invalid YAML: ${err.reason}`, at);
  }
  if (err instanceof RangeError) return fail("yaml", `spec nests too deeply (limit ${MAX_NESTING_DEPTH} levels)`);
  return fail("yaml", `invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
}

function parseYaml(text: string, anyValue = false): ParsedDocument {
  const problems: SpecProblem[] = [];
  let value: unknown;
  try {
    const events = yamlEvents(text, MAX_NESTING_DEPTH);
    const aliases = checkAliases(text, events, MAX_ALIAS_EXPANSION);
    if (aliases.documents > 1) return fail("yaml", "spec holds more than one YAML document", { line: secondDocumentLine(text) });
    if (aliases.problem) {
      const at = aliases.offset === undefined ? {} : new LineIndex(text).position(aliases.offset);
      return fail("yaml", aliases.problem, at);
    }
    const options = { source: text, schema: YAML_SCHEMA, maxAliases: -1, maxTotalMergeKeys: MAX_ALIAS_EXPANSION };
    try {
      value = constructFromEvents(events, options)[0];
    } catch (err) {
      // JSON.parse accepts duplicate keys (last wins), so YAML is not stricter: a warning, then again leniently
      if (!(err instanceof YAMLException && /duplicated mapping key/.test(err.reason))) throw err;
      problems.push({ severity: "warning", pointer: "", message: `YAML: ${err.reason} (the last one wins)`, ...(err.mark ? { line: err.mark.line + 1, column: err.mark.column + 1 } : {}) });
      value = constructFromEvents(events, { ...options, json: true })[0];
    }
  } catch (err) {
    const lenient = isSyntaxError(err) && text.length <= LENIENT_YAML_CHARS ? parseLenient(text) : undefined;
    if (lenient === undefined) return yamlProblem(err, text);
    value = lenient;
  }
  return finish(value, "yaml", yamlLocator(text), problems, anyValue);
}

/**
 * js-yaml is strict where the `yaml` package is lenient, e.g. a flow mapping whose closing `}`
 * sits at its key's indentation (Docker's engine spec). Such text, when small enough for that
 * parser's memory appetite (~35x the text), is read by it instead; bigger text gets js-yaml's error.
 */
const LENIENT_YAML_CHARS = 2 * 1024 * 1024;
const LENIENT_MAX_ALIASES = 100;

function isSyntaxError(err: unknown): boolean {
  return err instanceof YAMLException && !/maxDepth|single document|alias/.test(err.reason);
}

function parseLenient(text: string): unknown {
  try {
    const doc = parseLenientYaml(text, { merge: true, uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length > 0) return undefined;
    return doc.toJS({ maxAliasCount: LENIENT_MAX_ALIASES });
  } catch {
    return undefined;
  }
}

function finish(value: unknown, format: "json" | "yaml", locator: SourceLocator, problems: SpecProblem[], anyValue = false): ParsedDocument {
  if (value === undefined || (value === null && !anyValue)) return fail(format, "spec is empty");
  if (!anyValue && (typeof value !== "object" || Array.isArray(value))) {
    return fail(format, `spec must be an object at the top level, found ${Array.isArray(value) ? "an array" : typeof value}`, { line: 1, column: 1 });
  }
  const shape = format === "yaml" ? shapeProblem(value, MAX_NESTING_DEPTH) : undefined;
  if (shape) return fail(format, shape);
  return { document: value as Record<string, unknown>, format, locator, problems, tooLarge: false };
}
