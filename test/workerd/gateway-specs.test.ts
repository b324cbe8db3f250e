/// <reference types="vite/client" />
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import { MAX_SPEC_BYTES, MAX_YAML_BYTES } from "../../workers/orchestrator/spec/limits";
import { generateSyntheticSpec } from "../../workers/orchestrator/spec/synthetic";
import { stringify as stringifyYaml } from "yaml";
import { DEFAULT_ORG_ID } from "../../workers/storage/orgs-repo";
import { loadSpecModel } from "../../workers/storage/specs-repo";
import { PETSTORE_JSON, PETSTORE_YAML, SWAGGER2, api, keyWithRole, newOrgWithKey, postJson, problem, uploadSpec as upload } from "./gateway-helpers";


interface SpecSummary {
  id: string;
  name: string;
  version: number;
  title: string;
  operations: number;
  warnings: unknown[];
  sourceVersion: string;
}


/** A 3,000-operation spec whose operations carry long descriptions (as Stripe's do), about `bytes` of YAML. */
function paddedSpec(bytes: number): ReturnType<typeof generateSyntheticSpec> {
  const doc = generateSyntheticSpec(3000);
  const operations = Object.values(doc.paths as Record<string, Record<string, { description?: string }>>).flatMap((item) => Object.values(item));
  const sentence = "Returns the resource with every field, as documented in the guide. ";
  let each = 0;
  // twice: the second pass corrects for how YAML folds and indents the long descriptions
  for (let pass = 0; pass < 2; pass++) {
    each = Math.max(0, each + Math.floor((bytes - stringifyYaml(doc).length) / operations.length));
    for (const op of operations) op.description = sentence.repeat(Math.ceil(each / sentence.length)).slice(0, each).trim();
  }
  return doc;
}

describe("spec upload", () => {
  it("stores a JSON spec: D1 rows, R2 raw document and model", async () => {
    const res = await upload("petstore-json", PETSTORE_JSON);
    expect(res.status).toBe(201);
    const spec = (await res.json()) as SpecSummary;
    expect(spec).toMatchObject({ name: "petstore-json", version: 1, title: "Petstore", operations: 3, sourceVersion: "3.0.3" });
    expect(res.headers.get("location")).toBe(`/api/v1/specs/${spec.id}`);

    const raw = await env.BLOBS.get(`specs/${DEFAULT_ORG_ID}/${spec.id}/raw`);
    expect(await raw?.text()).toBe(PETSTORE_JSON);
    const ops = await env.DB.prepare("SELECT operation_id FROM operations WHERE spec_id = ? ORDER BY operation_id").bind(spec.id).all();
    expect(ops.results.map((r) => r.operation_id)).toEqual(["createPet", "listPets", "showPet"]);

    const model = (await loadSpecModel(env.DB, env.BLOBS, DEFAULT_ORG_ID, spec.id)) as ApiModel;
    expect(model.operations.map((o) => o.operationId).sort()).toEqual(["createPet", "listPets", "showPet"]);
    const viaApi = (await (await api(`/api/v1/specs/${spec.id}/model`)).json()) as ApiModel;
    expect(viaApi).toEqual(model);

    const detail = (await (await api(`/api/v1/specs/${spec.id}`)).json()) as SpecSummary & { operationList: { method: string; path: string; operationId: string; summary: string | null }[] };
    expect(detail.operationList).toContainEqual({ method: "get", path: "/pets", operationId: "listPets", summary: "List pets" });
    expect(detail.operationList).toHaveLength(3);
  });

  it("accepts YAML under each YAML media type and Swagger 2.0", async () => {
    for (const type of ["application/yaml", "text/yaml", "application/x-yaml", "application/yaml; charset=utf-8"]) {
      const res = await upload("yaml-pets", PETSTORE_YAML, type);
      expect(res.status, type).toBe(201);
      expect(await res.json()).toMatchObject({ title: "Yaml Pets", operations: 1, sourceVersion: "3.1.0" });
    }
    const v2 = await upload("swagger", SWAGGER2);
    expect(v2.status).toBe(201);
    const spec = (await v2.json()) as SpecSummary;
    expect(spec).toMatchObject({ sourceVersion: "2.0", operations: 1 });
    const model = (await (await api(`/api/v1/specs/${spec.id}/model`)).json()) as ApiModel;
    expect(model.servers[0]).toContain("pets.example.com/v1");
  });

  it("counts versions per name and lists the latest by default", async () => {
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) versions.push(((await (await upload("versioned", PETSTORE_JSON)).json()) as SpecSummary).version);
    expect(versions).toEqual([1, 2, 3]);
    // concurrent uploads still get distinct versions
    const parallel = await Promise.all([0, 1, 2, 3].map(() => upload("versioned", PETSTORE_JSON).then((r) => r.json() as Promise<SpecSummary>)));
    expect(parallel.map((s) => s.version).sort()).toEqual([4, 5, 6, 7]);

    const latest = (await (await api("/api/v1/specs?name=versioned")).json()) as { specs: SpecSummary[] };
    expect(latest.specs.map((s) => s.version)).toEqual([7]);
    const all = (await (await api("/api/v1/specs?name=versioned&versions=all")).json()) as { specs: SpecSummary[] };
    expect(all.specs.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const everything = (await (await api("/api/v1/specs")).json()) as { specs: SpecSummary[] };
    expect(everything.specs.filter((s) => s.name === "versioned")).toHaveLength(1);
  });

  it("deletes a spec with its operations and objects", async () => {
    const spec = (await (await upload("to-delete", PETSTORE_JSON)).json()) as SpecSummary;
    expect((await api(`/api/v1/specs/${spec.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/v1/specs/${spec.id}`)).status).toBe(404);
    expect(await env.BLOBS.get(`specs/${DEFAULT_ORG_ID}/${spec.id}/raw`)).toBeNull();
    const ops = await env.DB.prepare("SELECT COUNT(*) AS n FROM operations WHERE spec_id = ?").bind(spec.id).first<{ n: number }>();
    expect(ops?.n).toBe(0);
    expect((await api(`/api/v1/specs/${spec.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("stores a large spec's operations in chunks under D1's parameter limit", async () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 120; i++) paths[`/r${i}`] = { get: { operationId: `get${i}`, responses: { "200": { description: "ok" } } }, delete: { operationId: `del${i}`, responses: { "204": { description: "gone" } } } };
    const res = await upload("big", JSON.stringify({ openapi: "3.0.0", info: { title: "Big", version: "1" }, paths }));
    expect(res.status).toBe(201);
    const spec = (await res.json()) as SpecSummary;
    expect(spec.operations).toBe(240);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM operations WHERE spec_id = ?").bind(spec.id).first<{ n: number }>();
    expect(n?.n).toBe(240);
  });
});

describe("spec upload refusals", () => {
  it("refuses a viewer with 403", async () => {
    const viewer = await keyWithRole("viewer");
    const res = await upload("nope", PETSTORE_JSON, "application/json", viewer.key);
    expect(res.status).toBe(403);
    expect((await problem(res)).type).toMatch(/forbidden$/);
    // but a viewer can read
    expect((await api("/api/v1/specs", { token: viewer.key })).status).toBe(200);
  });

  it("requires a name and a supported content type", async () => {
    const noName = await api("/api/v1/specs", { method: "POST", body: PETSTORE_JSON, headers: { "content-type": "application/json" } });
    expect(noName.status).toBe(400);
    expect((await problem(noName)).errors).toContainEqual(expect.objectContaining({ in: "query", path: "name" }));
    for (const type of ["text/plain", "application/xml", "multipart/form-data; boundary=x"]) {
      const res = await upload("x", PETSTORE_JSON, type);
      expect(res.status, type).toBe(415);
      expect((await problem(res)).type).toMatch(/unsupported-media-type$/);
    }
    const none = await api("/api/v1/specs?name=x", { method: "POST", body: new Blob([PETSTORE_JSON]) });
    expect(none.status).toBe(415);
  });

  it("answers 413 for an oversized body, declared or streamed", async () => {
    const big = new Uint8Array(MAX_SPEC_BYTES + 1).fill(0x20);
    const declared = await upload("huge", big);
    expect(declared.status).toBe(413);
    expect((await problem(declared)).type).toMatch(/spec-too-large$/);

    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_SPEC_BYTES * 3) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await upload("huge", stream);
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(MAX_SPEC_BYTES * 3);
  });

  it("accepts a YAML spec of nearly 8 MB (the YAML limit) with 201", async () => {
    const yamlText = stringifyYaml(paddedSpec(7.9 * 1024 * 1024));
    expect(yamlText.length).toBeGreaterThan(7.5 * 1024 * 1024);
    expect(yamlText.length).toBeLessThanOrEqual(MAX_YAML_BYTES);
    const res = await upload("almost-8mb-yaml", yamlText, "application/yaml");
    expect(res.status, res.status === 201 ? "" : await res.clone().text()).toBe(201);
    expect(((await res.json()) as SpecSummary).operations).toBe(3000);
  }, 180_000);

  it("answers 413 for YAML over the YAML limit, advising JSON, and accepts the same document as JSON", async () => {
    const doc = paddedSpec(MAX_YAML_BYTES + 512 * 1024);
    const yamlText = stringifyYaml(doc);
    expect(yamlText.length).toBeGreaterThan(MAX_YAML_BYTES);
    const asYaml = await upload("big-yaml", yamlText, "application/yaml");
    expect(asYaml.status).toBe(413);
    expect((await problem(asYaml)).detail).toMatch(/send it as JSON/);
    const asJson = await upload("big-yaml", JSON.stringify(doc), "application/json");
    expect(asJson.status).toBe(201);
  }, 180_000);

  it("refuses a YAML alias bomb quickly with 422", async () => {
    let yaml = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const letters = "abcdefghij";
    for (let i = 1; i < letters.length; i++) {
      const prev = letters[i - 1];
      yaml += `${letters[i]}: &${letters[i]} [${new Array(9).fill("*" + prev).join(",")}]\n`;
    }
    const started = Date.now();
    const res = await upload("bomb", yaml, "application/yaml");
    expect(res.status).toBe(422);
    expect(Date.now() - started).toBeLessThan(2000);
    const body = await problem(res);
    expect(body.type).toMatch(/invalid-spec$/);
    expect(JSON.stringify(body.errors)).toMatch(/alias/i);
  });

  it("refuses deep nesting, non-UTF-8 and empty bodies with 422", async () => {
    expect((await upload("deep", "[".repeat(100_000))).status).toBe(422);
    const deepYaml = "a:\n" + Array.from({ length: 400 }, (_, i) => " ".repeat(i + 1) + "- ").join("\n") + "x";
    expect((await upload("deep-yaml", deepYaml, "application/yaml")).status).toBe(422);
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"openapi":"3.0.0","info":{"title":"Caf'), 0xe9, ...new TextEncoder().encode('"}}')]);
    const bad = await upload("latin1", latin1);
    expect(bad.status).toBe(422);
    expect(JSON.stringify((await problem(bad)).errors)).toMatch(/UTF-8/);
    expect((await upload("empty", "")).status).toBe(422);
  });

  it("reports $ref loops and dangling $refs with pointer and line", async () => {
    const spec = (schemas: unknown, ref: string) =>
      JSON.stringify(
        {
          openapi: "3.0.3",
          info: { title: "Refs", version: "1" },
          paths: { "/a": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: ref } } } } } } } },
          components: { schemas },
        },
        null,
        2,
      );
    const loop = await upload("loop", spec({ A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } }, "#/components/schemas/A"));
    expect(loop.status).toBe(422);
    const loopErrors = (await problem(loop)).errors as { pointer: string; line?: number; message: string }[];
    expect(loopErrors[0].pointer).toMatch(/^\/components\/schemas\//);
    expect(loopErrors[0].line).toBeGreaterThan(1);

    const dangling = await upload("dangling", spec({}, "#/components/schemas/Missing"));
    expect(dangling.status).toBe(422);
    const body = await problem(dangling);
    const errors = body.errors as { pointer: string; line?: number; column?: number; message: string }[];
    expect(errors[0]).toMatchObject({ pointer: "/paths/~1a/get/responses/200/content/application~1json/schema/$ref", line: 16 });
    expect(errors[0].message).toMatch(/Missing/);
  });

  it("refuses documents that are not API descriptions", async () => {
    const res = await upload("not-openapi", JSON.stringify({ hello: "world" }));
    expect(res.status).toBe(422);
    expect((await problem(res)).errors?.length).toBeGreaterThan(0);
  });
});

describe("spec import", () => {
  it("refuses addresses outside the policy and reports fetch failures as 502", async () => {
    const metadata = await postJson("/api/v1/specs/import", { name: "meta", url: "http://169.254.169.254/latest/meta-data/" });
    expect(metadata.status).toBe(422);
    expect((await problem(metadata)).type).toMatch(/target-not-allowed$/);
    expect((await postJson("/api/v1/specs/import", { name: "f", url: "file:///etc/passwd" })).status).toBe(422);
    const refused = await postJson("/api/v1/specs/import", { name: "down", url: "http://127.0.0.1:1/openapi.json" });
    expect(refused.status).toBe(502);
    expect((await problem(refused)).type).toMatch(/upstream-error$/);
    expect((await postJson("/api/v1/specs/import", { name: "x", url: "https://example.com/", extra: 1 })).status).toBe(400);
  });

  it("fetches from the loopback test server: HTTP errors → 502, oversize → 413, non-specs → 422", async () => {
    const base = inject("targetUrl");
    const failed = await postJson("/api/v1/specs/import", { name: "err", url: `${base}/error/spec.json` });
    expect(failed.status).toBe(502);
    expect(await problem(failed)).toMatchObject({ upstreamStatus: 500 });
    const huge = await postJson("/api/v1/specs/import", { name: "huge", url: `${base}/huge/spec.json?mb=11` });
    expect(huge.status).toBe(413);
    expect((await problem(huge)).type).toMatch(/spec-too-large$/);
    const notSpec = await postJson("/api/v1/specs/import", { name: "ok", url: `${base}/ok/spec.json` });
    expect(notSpec.status).toBe(422);
    expect((await problem(notSpec)).type).toMatch(/invalid-spec$/);
  });
});

describe("cross-org isolation", () => {
  it("answers 404 for another org's spec on every spec route", async () => {
    const spec = (await (await upload("mine", PETSTORE_JSON)).json()) as SpecSummary;
    const other = await newOrgWithKey();
    for (const [method, path] of [
      ["GET", `/api/v1/specs/${spec.id}`],
      ["GET", `/api/v1/specs/${spec.id}/model`],
      ["DELETE", `/api/v1/specs/${spec.id}`],
    ]) {
      const res = await api(path, { method, token: other.key });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await api("/api/v1/specs", { token: other.key })).json()) as { specs: SpecSummary[] };
    expect(list.specs).toEqual([]);
    expect(await loadSpecModel(env.DB, env.BLOBS, other.orgId, spec.id)).toBeNull();
    // still there for its owner
    expect((await api(`/api/v1/specs/${spec.id}`)).status).toBe(200);
    // the other org's versions count on their own
    const theirs = (await (await upload("mine", PETSTORE_JSON, "application/json", other.key)).json()) as SpecSummary;
    expect(theirs.version).toBe(1);
  });
});
