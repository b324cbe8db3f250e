/**
 * Past findings guide generation, on the real local D1 (workerd): the payload family that found a
 * bug on an operation in run 1 is planned first for a similar operation of another spec in run 2
 * of the same org; another org's findings never guide.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ApiModel, Finding, TestCase } from "../../model";
import { caseFamily } from "../../orchestrator/guided-order";
import { planRun } from "../../orchestrator/plan";
import { parseSpec } from "../../orchestrator/spec/parse-spec";
import { caseFamilies } from "../../runs/finding-memory";
import { d1VectorIndex } from "../../storage/embeddings-repo";
import { lexicalEmbedder } from "./embedder";
import { operationText, pastGuidance, rememberGuidance } from "./guidance";

function spec(paths: Record<string, unknown>): ApiModel {
  return parseSpec(JSON.stringify({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths })).model!;
}

const orderBody = {
  required: true,
  content: { "application/json": { schema: { type: "object", required: ["item", "note"], properties: { item: { type: "string" }, note: { type: "string" }, quantity: { type: "integer" } } } } },
};
const created = { "201": { description: "created", content: { "application/json": { schema: { type: "object", properties: { id: { type: "integer" } } } } } }, "400": { description: "bad" } };

// run 1's spec: orders; run 2's: a shop whose order creation reads alike, and an unrelated health check
const specA = spec({ "/orders": { post: { operationId: "createOrder", summary: "Create an order", requestBody: orderBody, responses: created } } });
const specB = spec({
  "/shop/orders": { post: { operationId: "placeOrder", summary: "Place an order", requestBody: orderBody, responses: created } },
  "/health": { get: { operationId: "health", summary: "Liveness of the service", responses: { "200": { description: "up" } } } },
});

const plan = (model: ApiModel, guidance?: Map<string, string[]>) => planRun({ model, seed: 7, agents: ["security-injection", "functional-negative"], config: { identities: [], maxCasesPerOperation: 40 }, ...(guidance ? { guidance } : {}) });

function findingOf(testCase: TestCase): Finding {
  return { id: "f_nosql", check: "nosql_injection", severity: "high", operation: { method: "post", path: "/orders", operationId: testCase.operationId }, agent: testCase.agent, caseId: testCase.id, title: "NoSQL injection", message: "m", signature: "s", request: { method: "POST", url: "http://x/orders", headers: {} }, curl: "curl x" };
}

describe("past findings guide generation", () => {
  it("plans the family that found a bug on a similar operation first, for the same org only", async () => {
    const index = d1VectorIndex(env.DB);
    const embedder = lexicalEmbedder();
    const run1 = await plan(specA);
    // run 1 found a bug with a NoSQL payload on createOrder
    const nosqlCase = run1.cases.find((c) => c.operationId === "createOrder" && caseFamily(c) === "security-injection:injection,nosql")!;
    expect(nosqlCase).toBeDefined();
    const finding = findingOf(nosqlCase);
    const families = caseFamilies(run1.cases, new Set([finding.caseId]));
    expect(families.get(finding.caseId)).toBe("security-injection:injection,nosql");
    const stored = await rememberGuidance(index, embedder, { orgId: "org_guide", specId: "spec_a", runId: "run_g1", entries: [{ finding, family: families.get(finding.caseId)!, operation: specA.operations[0] }] });
    expect(stored).toBe(1);

    // run 2, another spec: the similar operation is guided, the unrelated one is not
    const guidance = await pastGuidance(index, embedder, { orgId: "org_guide", operations: specB.operations });
    expect(guidance.get("placeOrder")).toEqual(["security-injection:injection,nosql"]);
    expect(guidance.has("health")).toBe(false);

    const unguided = (await plan(specB)).cases.filter((c) => c.operationId === "placeOrder");
    const guided = (await plan(specB, guidance)).cases.filter((c) => c.operationId === "placeOrder");
    // the same cases, reordered: the NoSQL family first (it was not before)
    expect(guided.map((c) => c.id).sort()).toEqual(unguided.map((c) => c.id).sort());
    expect(caseFamily(unguided[0])).not.toBe("security-injection:injection,nosql");
    const nosql = guided.filter((c) => caseFamily(c) === "security-injection:injection,nosql").length;
    expect(nosql).toBeGreaterThan(0);
    expect(guided.slice(0, nosql).every((c) => caseFamily(c) === "security-injection:injection,nosql")).toBe(true);

    // another org with the very same spec: nothing of org_guide guides it
    expect((await pastGuidance(index, embedder, { orgId: "org_other", operations: specB.operations })).size).toBe(0);
    const raw = await index.query((await embedder.embed([operationText(specB.operations[0])]))[0], { orgId: "org_other", embedder: `${embedder.id}#operation`, topK: 20 });
    expect(raw).toEqual([]);
  });
});
