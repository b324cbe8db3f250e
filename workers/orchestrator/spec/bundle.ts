import { HTTP_METHODS, type SpecProblem } from "../../model";
import { MAX_SPEC_BYTES } from "./limits";
import { parseDocument } from "./parse-document";
import { escapeSegment, joinPointer, refOf, resolvePointer, splitRef } from "../../jsonschema/pointer";
import { isObject } from "../../jsonschema/types";
import type { SourceLocator } from "./text-position";
import { SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_VALUES } from "../../jsonschema/keywords";

export interface BundleOptions {
  /** total bytes over all files (default 5 × MAX_SPEC_BYTES) */
  maxTotalBytes?: number;
  /** number of files (default 10,000) */
  maxFiles?: number;
}

export interface BundleResult {
  /** one self-contained document; absent when the root itself could not be read */
  document?: Record<string, unknown>;
  /** problems; messages name the file when it is not the root */
  problems: SpecProblem[];
  /** every file read, root first */
  files: string[];
}

/**
 * Loads a spec split over several files (relative `$ref`s) and returns one document with no
 * external reference left: schemas from other files become named component schemas (so
 * recursion stays a `$ref`), every other referenced object is inlined in place. Used by the
 * CLI; `readText` abstracts the file system (or fetch for URLs).
 */
export async function bundleDocument(rootPath: string, readText: (path: string) => Promise<string>, opts: BundleOptions = {}): Promise<BundleResult> {
  const root = normalisePath(rootPath.replace(/\\/g, "/"));
  const loader = new Loader(readText, opts.maxTotalBytes ?? 5 * MAX_SPEC_BYTES, opts.maxFiles ?? 10_000);
  await loader.crawl(root);
  const rootFile = loader.files.get(root)!;
  if (rootFile.value === undefined || !isObject(rootFile.value)) {
    return { problems: rootFile.problems.length > 0 ? rootFile.problems : [{ severity: "error", pointer: "", message: rootFile.error ?? "root is not an object" }], files: [...loader.files.keys()] };
  }
  const bundler = new Bundler(root, loader);
  const document = bundler.run(rootFile.value);
  return { document, problems: bundler.problemsWithPositions(), files: [...loader.files.keys()] };
}

interface LoadedFile {
  value?: unknown;
  locator?: SourceLocator;
  problems: SpecProblem[];
  /** why the file could not be used */
  error?: string;
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

function normalisePath(path: string): string {
  if (URL_RE.test(path)) return path;
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (seg !== ".." || !absolute) out.push(seg);
  }
  return (absolute ? "/" : "") + out.join("/");
}

/** Where `ref` (the part before `#`) points, seen from the file `from`. */
export function resolveFilePath(from: string, ref: string): string {
  let rel = ref.replace(/\\/g, "/");
  if (/%[0-9a-f]{2}/i.test(rel) && !URL_RE.test(from)) {
    try {
      rel = decodeURIComponent(rel);
    } catch {
      // keep as written
    }
  }
  if (URL_RE.test(rel)) return rel;
  if (URL_RE.test(from)) return new URL(rel, from).href;
  if (rel.startsWith("/")) return normalisePath(rel);
  const slash = from.lastIndexOf("/");
  return normalisePath((slash >= 0 ? from.slice(0, slash + 1) : "") + rel);
}

function contentTypeFor(path: string): string | undefined {
  if (/\.json$/i.test(path)) return "application/json";
  if (/\.ya?ml$/i.test(path)) return "application/yaml";
  return undefined;
}

/** Reads every file reachable through `$ref`s, a few at a time. */
class Loader {
  readonly files = new Map<string, LoadedFile>();
  private totalBytes = 0;

  constructor(
    private readonly readText: (path: string) => Promise<string>,
    private readonly maxTotalBytes: number,
    private readonly maxFiles: number,
  ) {}

  async crawl(root: string): Promise<void> {
    let wave = [root];
    while (wave.length > 0) {
      const next: string[] = [];
      for (let i = 0; i < wave.length; i += 16) {
        const batch = wave.slice(i, i + 16);
        const found = await Promise.all(batch.map((p) => this.load(p)));
        for (const refs of found) for (const r of refs) if (!this.files.has(r) && !next.includes(r)) next.push(r);
      }
      wave = next.filter((p) => !this.files.has(p));
    }
  }

  /** Loads one file and returns the files its `$ref`s name. */
  private async load(path: string): Promise<string[]> {
    if (this.files.has(path)) return [];
    const entry: LoadedFile = { problems: [] };
    this.files.set(path, entry);
    if (this.files.size > this.maxFiles) {
      entry.error = `more than ${this.maxFiles} files are referenced`;
      return [];
    }
    let text: string;
    try {
      text = await this.readText(path);
    } catch (err) {
      entry.error = `cannot be read (${String((err as Error)?.message ?? err)})`;
      return [];
    }
    this.totalBytes += text.length;
    if (this.totalBytes > this.maxTotalBytes) {
      entry.error = `the files together exceed ${this.maxTotalBytes} bytes`;
      return [];
    }
    // bundling runs where the files are (the CLI, in Node): no Worker memory limit to protect
    const parsed = parseDocument(text, { contentType: contentTypeFor(path), anyValue: true, maxYamlBytes: Number.POSITIVE_INFINITY });
    entry.problems = parsed.problems;
    if (parsed.problems.some((p) => p.severity === "error")) {
      entry.error = parsed.problems.find((p) => p.severity === "error")!.message;
      return [];
    }
    entry.value = parsed.document;
    entry.locator = parsed.locator;
    const refs = new Set<string>();
    collectFileRefs(entry.value, (ref) => refs.add(resolveFilePath(path, ref)));
    return [...refs];
  }
}

function collectFileRefs(root: unknown, found: (file: string) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    const ref = refOf(node);
    if (ref !== undefined) {
      const { file } = splitRef(ref);
      if (file !== "") found(file);
    }
    for (const child of Object.values(node)) stack.push(child);
  }
}

/** What an object found at some place in an OpenAPI document is, so `$ref`s to it are treated right. */
type Kind = string;
const METHOD_FIELDS = Object.fromEntries(HTTP_METHODS.map((m) => [m, "operation"]));
const PARAMETER_FIELDS = { schema: "schema", items: "schema", content: "map:mediaType", examples: "map:example", example: "exampleValue" };
const FIELDS: Record<string, Record<string, string>> = {
  doc: {
    paths: "map:pathItem", webhooks: "map:pathItem", components: "components",
    definitions: "map:schema", parameters: "map:parameter", responses: "map:response", securityDefinitions: "map:securityScheme",
  },
  components: {
    schemas: "map:schema", responses: "map:response", parameters: "map:parameter", examples: "map:example",
    requestBodies: "map:requestBody", headers: "map:header", securitySchemes: "map:securityScheme",
    links: "map:link", callbacks: "map:callback", pathItems: "map:pathItem",
  },
  pathItem: { ...METHOD_FIELDS, parameters: "list:parameter" },
  operation: { parameters: "list:parameter", requestBody: "requestBody", responses: "map:response", callbacks: "map:callback" },
  parameter: PARAMETER_FIELDS,
  header: PARAMETER_FIELDS,
  requestBody: { content: "map:mediaType" },
  mediaType: { schema: "schema", examples: "map:example", example: "exampleValue", encoding: "map:encoding" },
  encoding: { headers: "map:header" },
  response: { headers: "map:header", content: "map:mediaType", links: "map:link", schema: "schema", examples: "data" },
  example: { value: "exampleValue" },
  link: { parameters: "data", requestBody: "data" },
  securityScheme: {},
};
/** The kind of the value under `key` of an object of kind `kind`. */
function childKind(kind: Kind, key: string): Kind {
  if (kind === "any" || kind === "data") return kind;
  if (kind === "callback") return "pathItem";
  if (kind === "schema") {
    if (SUBSCHEMA_MAPS.has(key)) return "map:schema";
    if (SUBSCHEMA_LISTS.has(key)) return "list:schema";
    if (SUBSCHEMA_VALUES.has(key)) return "schema";
    return "data";
  }
  return FIELDS[kind]?.[key] ?? "any";
}

class Bundler {
  private readonly problems: { file: string; problem: SpecProblem }[] = [];
  private readonly schemaNames = new Map<string, string>();
  private readonly usedNames = new Set<string>();
  private readonly hoisted: Record<string, unknown> = {};
  private readonly inlined = new Map<string, unknown>();
  private readonly inProgress = new Set<string>();
  private schemaPrefix = "#/components/schemas/";

  constructor(
    private readonly root: string,
    private readonly loader: Loader,
  ) {}

  run(rootValue: Record<string, unknown>): Record<string, unknown> {
    const swagger = rootValue.swagger !== undefined;
    if (swagger) this.schemaPrefix = "#/definitions/";
    const existing = swagger ? rootValue.definitions : isObject(rootValue.components) ? rootValue.components.schemas : undefined;
    if (isObject(existing)) for (const name of Object.keys(existing)) this.usedNames.add(name);

    const out = this.process(rootValue, "doc", this.root, "") as Record<string, unknown>;
    if (Object.keys(this.hoisted).length > 0) {
      if (swagger) out.definitions = { ...(isObject(out.definitions) ? out.definitions : {}), ...this.hoisted };
      else {
        const components = isObject(out.components) ? out.components : {};
        out.components = { ...components, schemas: { ...(isObject(components.schemas) ? components.schemas : {}), ...this.hoisted } };
      }
    }
    return out;
  }

  private report(file: string, severity: "error" | "warning", pointer: string, message: string): void {
    const prefix = file === this.root ? "" : `${file}: `;
    const problem: SpecProblem = { severity, pointer, message: prefix + message };
    if (this.problems.length < 500) this.problems.push({ file, problem });
  }

  problemsWithPositions(): SpecProblem[] {
    const out: SpecProblem[] = [];
    for (const [path, entry] of this.loader.files) {
      for (const p of entry.problems) if (p.severity === "warning") out.push({ ...p, message: (path === this.root ? "" : `${path}: `) + p.message });
    }
    const byFile = new Map<string, SpecProblem[]>();
    for (const { file, problem } of this.problems) byFile.set(file, [...(byFile.get(file) ?? []), problem]);
    for (const [file, list] of byFile) {
      const locator = this.loader.files.get(file)?.locator;
      const positions = locator ? locator.locate(list.map((p) => p.pointer)) : new Map();
      for (const p of list) {
        const pos = positions.get(p.pointer);
        out.push(pos ? { ...p, line: pos.line, column: pos.column } : p);
      }
    }
    return out;
  }

  private process(node: unknown, kind: Kind, file: string, ptr: string): unknown {
    if (kind === "exampleValue") return this.exampleValue(node, file);
    if (kind === "data" || node === null || typeof node !== "object") return node;
    const ref = refOf(node);
    // A whole map given by reference (DigitalOcean: `properties: {$ref: props.yml}`) is inlined too.
    if (ref !== undefined) return this.reference(node as Record<string, unknown>, ref, kind, file, ptr);
    if (kind.startsWith("map:") || kind.startsWith("list:")) {
      const inner = kind.slice(kind.indexOf(":") + 1);
      if (Array.isArray(node)) return node.map((v, i) => this.process(v, kind.startsWith("list:") ? inner : "any", file, joinPointer(ptr, i)));
      const out: Record<string, unknown> = {};
      // Extensions are allowed among paths and responses; elsewhere (properties, headers) "x-" is an ordinary name.
      const extensible = inner === "pathItem" || inner === "response";
      for (const [k, v] of Object.entries(node)) out[k] = this.process(v, extensible && k.startsWith("x-") ? "any" : inner, file, joinPointer(ptr, k));
      return out;
    }
    if (Array.isArray(node)) return node.map((v, i) => this.process(v, kind === "any" ? "any" : "data", file, joinPointer(ptr, i)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = this.process(v, k.startsWith("x-") && kind !== "schema" ? "any" : childKind(kind, k), file, joinPointer(ptr, k));
    if (kind === "schema" && isObject(out.discriminator) && isObject(out.discriminator.mapping)) {
      out.discriminator = { ...out.discriminator, mapping: this.discriminatorMapping(out.discriminator.mapping, file, joinPointer(ptr, "discriminator", "mapping")) };
    }
    return out;
  }

  /** Discriminator mapping values are schema references written as plain strings. */
  private discriminatorMapping(mapping: Record<string, unknown>, file: string, ptr: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(mapping)) {
      const isFileRef = typeof value === "string" && (value.startsWith("#") ? file !== this.root : /[./]/.test(value));
      out[name] = isFileRef ? (this.reference({ $ref: value }, value as string, "schema", file, joinPointer(ptr, name)) as { $ref: string }).$ref : value;
    }
    return out;
  }

  private reference(node: Record<string, unknown>, ref: string, kind: Kind, file: string, ptr: string): unknown {
    const split = splitRef(ref);
    const target = split.file === "" ? file : resolveFilePath(file, split.file);
    if (target === this.root) {
      // Stays a reference inside the bundled document, resolved later by the model builder.
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) if (k !== "$ref") out[k] = this.process(v, childKind(kind, k), file, joinPointer(ptr, k));
      out.$ref = "#" + split.pointer;
      return out;
    }
    const key = `${target}#${split.pointer}`;
    const at = joinPointer(ptr, "$ref");
    if (kind === "schema") {
      let name = this.schemaNames.get(key);
      if (name === undefined) {
        name = this.allocateName(target, split.pointer);
        this.schemaNames.set(key, name);
        this.hoisted[name] = {};
        const value = this.lookup(target, split.pointer, ref, file, at);
        this.hoisted[name] = value === undefined ? {} : this.process(value, "schema", target, split.pointer);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) if (k !== "$ref") out[k] = this.process(v, childKind(kind, k), file, joinPointer(ptr, k));
      out.$ref = this.schemaPrefix + escapeSegment(name);
      return out;
    }
    if (this.inlined.has(key)) return this.inlined.get(key);
    if (this.inProgress.has(key)) {
      this.report(file, "error", at, `$ref cycle through "${ref}"`);
      return {};
    }
    this.inProgress.add(key);
    const value = this.lookup(target, split.pointer, ref, file, at);
    const result = value === undefined ? {} : this.process(value, kind, target, split.pointer);
    this.inProgress.delete(key);
    this.inlined.set(key, result);
    return result;
  }

  /**
   * Example values are data and may legitimately hold `$ref` keys (GitHub's SCIM examples).
   * Only a lone `{ $ref: "file#..." }` whose target exists is taken as a reference (DigitalOcean).
   */
  private exampleValue(node: unknown, file: string): unknown {
    const ref = refOf(node);
    if (ref === undefined || Object.keys(node as object).length !== 1) return node;
    const split = splitRef(ref);
    if (split.file === "") return node;
    const entry = this.loader.files.get(resolveFilePath(file, split.file));
    const value = entry?.value === undefined ? undefined : resolvePointer(entry.value, split.pointer);
    return value === undefined ? node : value;
  }

  private lookup(target: string, pointer: string, ref: string, file: string, at: string): unknown {
    const entry = this.loader.files.get(target);
    if (!entry || entry.value === undefined) {
      this.report(file, "error", at, `$ref "${ref}": ${target} ${entry?.error ?? "was not loaded"}`);
      return undefined;
    }
    const value = resolvePointer(entry.value, pointer);
    if (value === undefined) this.report(file, "error", at, `$ref "${ref}" points to nothing in ${target}`);
    return value;
  }

  private allocateName(file: string, pointer: string): string {
    const segs = pointer.split("/").filter((s) => s !== "");
    const stem = file.slice(file.lastIndexOf("/") + 1).replace(/\.(ya?ml|json)$/i, "");
    const base = (segs.length > 0 ? segs[segs.length - 1].replace(/~1/g, "/").replace(/~0/g, "~") : stem) || "schema";
    let name = base;
    for (let n = 2; this.usedNames.has(name); n++) name = `${base}_${n}`;
    this.usedNames.add(name);
    return name;
  }
}
