/**
 * Guidance by past findings with the operations' vectors kept beside the spec's model (real local
 * D1 and R2 in workerd): the same families as embedding every operation afresh, whether the
 * vectors are missing, kept by the run, or kept at upload; an org with nothing remembered never
 * reaches the operations' vectors.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { lexicalEmbedder } from "../ai/embeddings/embedder";
import { operationText, pastGuidance, rememberGuidance } from "../ai/embeddings/guidance";
import type { Finding } from "../model";
import { generateSyntheticSpec } from "../orchestrator/spec/synthetic";
import { parseSpec } from "../orchestrator/spec/parse-spec";
import { d1VectorIndex } from "../storage/embeddings-repo";
import { operationVectorsKey, readOperationVectors } from "../storage/specs-repo";
import { keepOperationVectors, planningGuidance } from "./finding-memory";

const model = parseSpec(JSON.stringify(generateSyntheticSpec(60))).model!;
const families = ["security-injection:injection,sql", "functional-negative:type", "functional-negative:missing"];

/** Run 1 of `orgId` found bugs on every fifth operation, each with one of the families. */
async function seed(orgId: string): Promise<void> {
  const entries = model.operations.filter((_, i) => i % 5 === 0).map((operation, i) => {
    const finding: Pick<Finding, "id" | "check" | "title" | "operation"> = { id: `f${i}`, check: "not_a_server_error", title: "t", operation: { method: operation.method, path: operation.path, operationId: operation.operationId } };
    return { finding, family: families[i % families.length], operation };
  });
  await rememberGuidance(d1VectorIndex(env.DB), lexicalEmbedder(), { orgId, specId: "spec_g", runId: `run_${orgId}`, entries });
}

describe("planning guidance with kept operation vectors", () => {
  it("guides exactly as embedding every operation afresh, vectors kept by the first guided run", async () => {
    await seed("org_kept");
    const afresh = await pastGuidance(d1VectorIndex(env.DB), lexicalEmbedder(), { orgId: "org_kept", operations: model.operations });
    expect(afresh.size).toBeGreaterThan(10);
    const modelKey = "specs/org_kept/spec_g/model.json";
    expect(await readOperationVectors(env.BLOBS, modelKey)).toBeUndefined();
    const first = await planningGuidance(env, { orgId: "org_kept", runId: "run_2", model, modelKey });
    expect(first).toEqual(afresh);
    // kept by that run, for every operation, from the same texts
    const kept = await readOperationVectors(env.BLOBS, modelKey);
    expect(kept?.entries.map((e) => e.text)).toEqual(model.operations.map(operationText));
    const second = await planningGuidance(env, { orgId: "org_kept", runId: "run_3", model, modelKey });
    expect(second).toEqual(afresh);
    // the kept vectors are the ones read: a kept vector made to differ changes the guidance
    const tampered = { ...kept!, entries: kept!.entries.map((e) => ({ ...e, v: e.v.map((x) => -x) })) };
    await env.BLOBS.put(operationVectorsKey(modelKey), JSON.stringify(tampered));
    expect(await planningGuidance(env, { orgId: "org_kept", runId: "run_4", model, modelKey })).toBeUndefined();
  });

  it("guides exactly as afresh from the vectors kept at upload", async () => {
    await seed("org_upload");
    const modelKey = "specs/org_upload/spec_g/model.json";
    await keepOperationVectors(env, { modelKey, model });
    expect((await readOperationVectors(env.BLOBS, modelKey))?.entries).toHaveLength(model.operations.length);
    const afresh = await pastGuidance(d1VectorIndex(env.DB), lexicalEmbedder(), { orgId: "org_upload", operations: model.operations });
    expect(afresh.size).toBeGreaterThan(10);
    expect(await planningGuidance(env, { orgId: "org_upload", runId: "run_2", model, modelKey })).toEqual(afresh);
  });

  it("an org with nothing remembered is not guided and never reaches the operations' vectors", async () => {
    const modelKey = "specs/org_empty/spec_g/model.json";
    expect(await planningGuidance(env, { orgId: "org_empty", runId: "run_1", model, modelKey })).toBeUndefined();
    // no vectors were asked for: none were kept
    expect(await readOperationVectors(env.BLOBS, modelKey)).toBeUndefined();
  });
});
