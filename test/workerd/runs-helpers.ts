/** Shared by the runs-*.test.ts files: hand-made cases, a run started at its Durable Object, polling. */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { TERMINAL_STATUSES, type ApiModel, type RunInit, type RunLimitsInput, type TestCase } from "../../workers/model";
import { normalizeLimits } from "../../workers/runs/lifecycle";
import { ensureOrg } from "../../workers/storage/orgs-repo";
import { getRun, insertRun, type RunRow } from "../../workers/storage/runs-repo";

export const ORG = "org_default";

export function targetUrl(): string {
  return inject("targetUrl");
}

export const MODEL: ApiModel = {
  sourceVersion: "3.1.0",
  title: "Pipeline target",
  version: "1.0.0",
  servers: [],
  schemas: {},
  securitySchemes: {},
  operations: ["ok", "error", "hang", "slow", "huge", "reset", "die"].map((kind) => ({
    operationId: `get_${kind}`,
    method: "get" as const,
    path: `/${kind}/{n}`,
    tags: [],
    deprecated: false,
    parameters: [{ name: "n", in: "path" as const, required: true, schema: { type: "string" } }],
    responses: [{ status: "200", content: [], headers: [], links: [] }],
    security: [],
    pointer: `/paths/~1${kind}~1{n}/get`,
  })),
};

/** One GET per case on /{kind}/{i}, checked for server errors: enough to exercise the pipeline. */
export function simpleCases(count: number, kind = "ok", query: Record<string, string> = {}): TestCase[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `c${String(i).padStart(4, "0")}`,
    agent: "functional-positive",
    operationId: `get_${kind}`,
    kind: "positive" as const,
    title: `GET /${kind}/${i}`,
    steps: [
      {
        id: "s1",
        request: { method: "get", path: `/${kind}/{n}`, pathParams: { n: String(i) }, query, headers: {} },
        checks: [{ name: "not_a_server_error" as const }],
      },
    ],
  }));
}

let counter = 0;

/** Records a run in D1 and starts its Durable Object with pre-planned cases (planner not involved). */
export async function startRunWithCases(cases: TestCase[], limits: RunLimitsInput = {}, base = targetUrl()): Promise<{ runId: string; stub: DurableObjectStub<import("../../durable-objects/test-run").TestRun> }> {
  await ensureOrg(env.DB, ORG, "Default");
  const runId = `run_test_${Date.now().toString(36)}_${++counter}`;
  const modelKey = `test-models/${runId}.json`;
  await env.BLOBS.put(modelKey, JSON.stringify(MODEL));
  const normalized = normalizeLimits(limits);
  await insertRun(env.DB, {
    id: runId,
    orgId: ORG,
    specId: "spec_test",
    targetId: null,
    targetUrl: base,
    seed: 1,
    config: { spec: { title: MODEL.title, version: MODEL.version, operations: MODEL.operations.length }, target: { url: base }, identities: ["default"], limits: normalized, notify: [] },
    createdBy: null,
  });
  const init: RunInit = {
    runId,
    orgId: ORG,
    specId: "spec_test",
    modelKey,
    baseUrl: base,
    identities: { default: { authorization: "Bearer secret-token-123" } },
    seed: 1,
    limits: normalized,
    plannedCases: cases,
  };
  const stub = env.TEST_RUN.get(env.TEST_RUN.idFromName(runId));
  await stub.start(init);
  return { runId, stub };
}

export async function waitForTerminal(runId: string, timeoutMs: number): Promise<RunRow> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await getRun(env.DB, ORG, runId);
    if (row && (TERMINAL_STATUSES as readonly string[]).includes(row.status)) return row;
    if (Date.now() > until) throw new Error(`run ${runId} not finished after ${timeoutMs} ms (status ${row?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function resultRows(runId: string): Promise<{ case_id: string; status: string; reason: string | null; exchanges: string }[]> {
  const { results } = await env.DB.prepare(`SELECT case_id, status, reason, exchanges FROM results WHERE run_id = ? ORDER BY case_id`)
    .bind(runId)
    .all<{ case_id: string; status: string; reason: string | null; exchanges: string }>();
  return results;
}

export async function targetHits(): Promise<Record<string, number>> {
  return (await (await fetch(`${targetUrl()}/__hits`)).json()) as Record<string, number>;
}
