import { readFile, readdir, stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { HTTP_METHODS, type ApiModel, type JsonSchema } from "../../model";
import { bundleDocument } from "./bundle";
import { MAX_YAML_BYTES } from "./limits";
import { modelFromDocument, parseSpec } from "./parse-spec";
import { corpusPath } from "../../../test/corpus";

/** Every spec of the shared corpus parses into a consistent model (the multi-file ones through bundleDocument). */
const specsDir = corpusPath();
const MULTI_FILE_ROOTS: Record<string, string> = {
  "digitalocean-2026-08-07": "DigitalOcean-public.v2.yaml",
  "surevoip-9dcb0dc8": "openapi.yaml",
  "3gpp-monitoring-event-1.0.1": "TS29122_MonitoringEvent.yaml",
};

async function corpus(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ["oai-examples", "real"]) {
    for (const name of (await readdir(specsDir + dir)).sort()) {
      const path = `${specsDir}${dir}/${name}`;
      if ((await stat(path)).isDirectory()) out.push(`${path}/${MULTI_FILE_ROOTS[name] ?? "missing-root"}`);
      else if (/\.(json|ya?ml)$/.test(name)) out.push(path);
    }
  }
  return out;
}

/** Counts HTTP-method keys under `paths` the way SOURCES.md does, after resolving path-item refs. */
function countOperations(doc: Record<string, unknown>): number {
  let n = 0;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    n += Object.keys(item ?? {}).filter((k) => (HTTP_METHODS as readonly string[]).includes(k)).length;
  }
  return n;
}

/** All `$ref`s of the model resolve to a schema in model.schemas. */
function danglingSchemaRefs(model: ApiModel): string[] {
  const bad: string[] = [];
  const seen = new Set<object>();
  const walk = (s: JsonSchema | unknown) => {
    if (s === null || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    const ref = (s as { $ref?: unknown }).$ref;
    if (typeof ref === "string") {
      const name = ref.slice("#/components/schemas/".length).replace(/~1/g, "/").replace(/~0/g, "~");
      if (!ref.startsWith("#/components/schemas/") || !(name in model.schemas)) bad.push(ref);
    }
    for (const [k, v] of Object.entries(s)) if (k !== "example" && k !== "examples" && k !== "default" && k !== "enum" && k !== "const") walk(v);
  };
  Object.values(model.schemas).forEach(walk);
  for (const op of model.operations) {
    op.parameters.forEach((p) => walk(p.schema));
    op.requestBody?.content.forEach((m) => walk(m.schema));
    op.responses.forEach((r) => {
      r.content.forEach((m) => walk(m.schema));
      r.headers.forEach((h) => walk(h.schema));
    });
  }
  return bad;
}

describe("spec corpus", async () => {
  const files = await corpus();

  it("finds the whole corpus", () => {
    expect(files.length).toBeGreaterThanOrEqual(13 + 28);
  });

  for (const file of files) {
    const label = file.slice(specsDir.length);
    it(`parses ${label}`, async () => {
      const multi = Object.values(MULTI_FILE_ROOTS).some((root) => file.endsWith("/" + root)) && label.startsWith("real/") && label.split("/").length === 3;
      let result;
      let expectedOps: number;
      if (multi) {
        const bundled = await bundleDocument(file, (p) => readFile(p, "utf8"));
        expect(bundled.problems.filter((p) => p.severity === "error")).toEqual([]);
        result = modelFromDocument(bundled.document);
        expectedOps = countOperations(bundled.document!);
      } else {
        const bytes = new Uint8Array(await readFile(file));
        // as the CLI reads it (no YAML size cap in Node); the Worker's own cap is checked below
        result = parseSpec(bytes, { maxYamlBytes: Number.POSITIVE_INFINITY });
        if (/\.ya?ml$/.test(file) && bytes.byteLength > MAX_YAML_BYTES) {
          const inWorker = parseSpec(bytes);
          expect(inWorker.tooLarge).toBe(true);
          expect(inWorker.problems[0].message).toMatch(/send it as JSON/);
        }
        expectedOps = countOperations(result.document as Record<string, unknown>);
      }
      expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
      const model = result.model!;
      expect(model).toBeDefined();
      expect(model.operations).toHaveLength(expectedOps);
      const ids = model.operations.map((o) => o.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const op of model.operations) {
        expect(op.path.startsWith("/") || op.path === "").toBe(true);
        expect(op.path).not.toContain("#");
        const templated = [...op.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
        for (const name of templated) expect(op.parameters.some((p) => p.in === "path" && p.name === name)).toBe(true);
      }
      expect(danglingSchemaRefs(model)).toEqual([]);
      expect(() => JSON.stringify(model)).not.toThrow();
    });
  }
});
