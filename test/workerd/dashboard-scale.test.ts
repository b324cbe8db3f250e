/**
 * The dashboard's pages for a big run — 5,000 results and 300 findings, seeded through the storage
 * layer — render whole (every finding listed, the trend drawn, the finding's curl redacted). Each
 * page's server time is printed, not asserted: speed is measured on a quiet machine (bench/RESULTS.md,
 * "dashboard"), and a timed assertion only measures how busy the CI machine is.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { CaseResult, Finding } from "../../workers/model";
import { writeCaseOutcomes, type CaseOutcome } from "../../workers/storage/results-repo";
import { insertRun, updateRun } from "../../workers/storage/runs-repo";
import { Browser } from "./dashboard-helpers";
import { BOOTSTRAP_KEY, api, PETSTORE_JSON } from "./gateway-helpers";

const ORG = "org_default";
const RESULTS = 5000;
const FINDINGS = 300;
const CHECKS = ["not_a_server_error", "status_code_conformance", "response_schema_conformance", "bola", "ignored_auth", "sql_injection"] as const;
const SEVERITY = ["critical", "high", "medium", "low", "info"] as const;
const OPS = Array.from({ length: 30 }, (_, i) => ({ operationId: `op${i}`, method: i % 2 ? "post" : "get", path: `/things${i}/{id}` }));

/**
 * Wall time in workerd: the clock only moves at I/O, so each reading follows a D1 round trip; the
 * interval then covers the handler's CPU time as well as its I/O.
 */
async function wallNow(): Promise<number> {
  await env.DB.prepare("SELECT 1").first();
  return Date.now();
}

let runId = "";
let findingId = "";
let specId = "";

function finding(i: number, caseId: string): Finding {
  const op = OPS[i % OPS.length];
  return {
    id: `f_${i.toString(36).padStart(4, "0")}`,
    check: CHECKS[i % CHECKS.length],
    severity: SEVERITY[i % SEVERITY.length],
    operation: { method: op.method, path: op.path, operationId: op.operationId },
    agent: "functional-negative",
    caseId,
    title: `Finding number ${i} on ${op.method.toUpperCase()} ${op.path}`,
    message: "the response did not match the schema ".repeat(3),
    signature: `sig${i}`,
    request: { method: op.method.toUpperCase(), url: `http://127.0.0.1:9/things${i % 30}/${i}`, headers: { authorization: "$SENTINEL_AUTHORIZATION", "content-type": "application/json" }, body: JSON.stringify({ n: i, pad: "x".repeat(400) }) },
    response: { status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: "boom", trace: "y".repeat(800) }), durationMs: 12 },
    curl: `curl -X GET 'http://127.0.0.1:9/things/${i}' -H "authorization: $SENTINEL_AUTHORIZATION"`,
  };
}

function result(i: number): CaseResult {
  const op = OPS[i % OPS.length];
  const failed = i % Math.floor(RESULTS / FINDINGS) === 0 && i / Math.floor(RESULTS / FINDINGS) < FINDINGS;
  return {
    caseId: `c${String(i).padStart(5, "0")}`,
    agent: "functional-negative",
    operationId: op.operationId,
    status: failed ? "failed" : "passed",
    exchanges: [
      {
        stepId: "s1",
        request: { method: "GET", url: `http://127.0.0.1:9/things/${i}`, headers: { authorization: "$SENTINEL_AUTHORIZATION" } },
        response: { status: failed ? 500 : 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ id: i, pad: "z".repeat(300) }), bodySize: 320, durationMs: 5 },
      },
    ],
    checks: [{ check: "not_a_server_error", stepId: "s1", status: failed ? "failed" : "passed" }],
    durationMs: 5,
  } as CaseResult;
}

beforeAll(async () => {
  const upload = await api("/api/v1/specs?name=scale", { method: "POST", body: PETSTORE_JSON, headers: { "content-type": "application/json" } });
  specId = ((await upload.json()) as { id: string }).id;
  const config = { spec: { title: "Scale", version: "1", operations: 30 }, target: { url: "http://127.0.0.1:9" }, identities: ["alice"], limits: {} as never, notify: [] };
  // some earlier runs for the trend
  for (let r = 0; r < 12; r++) {
    const id = `run_scale_old_${r}`;
    await insertRun(env.DB, { id, orgId: ORG, specId, targetId: null, targetUrl: "http://127.0.0.1:9", seed: r, config, createdBy: null });
    await updateRun(env.DB, id, { status: "failed", startedAt: 1_000 + r, finishedAt: 2_000 + r, stats: { cases: 100, passed: 90, failed: 10, errored: 0, skipped: 0, requests: 100, findings: r } });
  }
  runId = `run_scale_${Date.now().toString(36)}`;
  await insertRun(env.DB, { id: runId, orgId: ORG, specId, targetId: null, targetUrl: "http://127.0.0.1:9", seed: 1, config, createdBy: null });
  const step = Math.floor(RESULTS / FINDINGS);
  const outcomes: CaseOutcome[] = Array.from({ length: RESULTS }, (_, i) => {
    const res = result(i);
    const isFinding = i % step === 0 && i / step < FINDINGS;
    return { orgId: ORG, runId, result: res, findings: isFinding ? [finding(i / step, res.caseId)] : [], bodiesKey: null };
  });
  for (let i = 0; i < outcomes.length; i += 100) await writeCaseOutcomes(env.DB, outcomes.slice(i, i + 100));
  await updateRun(env.DB, runId, {
    status: "failed",
    startedAt: Date.now() - 60_000,
    finishedAt: Date.now(),
    stats: { cases: RESULTS, passed: RESULTS - FINDINGS, failed: FINDINGS, errored: 0, skipped: 0, requests: RESULTS, findings: FINDINGS },
  });
  findingId = finding(FINDINGS - 1, "").id; // its case sorts last: the detail page pages through results
}, 120_000);

describe("dashboard at scale", () => {
  it("renders each page of a 5,000-result, 300-finding run whole, and prints its server time", async () => {
    const b = new Browser();
    await b.signIn(BOOTSTRAP_KEY);
    const pages = [
      "/app/runs",
      `/app/runs/${runId}`,
      `/app/runs/${runId}/findings`,
      `/app/runs/${runId}/findings?severity=high`,
      `/app/runs/${runId}/findings/${findingId}`,
      `/app/specs/${specId}`,
    ];
    await b.page(pages[0]); // warm the isolate once
    const timings: Record<string, number> = {};
    for (const path of pages) {
      const t0 = await wallNow();
      const page = await b.page(path);
      const ms = (await wallNow()) - t0;
      timings[path.replace(runId, "<run>").replace(specId, "<spec>")] = ms;
      expect(page.status, path).toBe(200);
      if (path.endsWith("/findings")) {
        expect(page.html).toContain(`${FINDINGS} of ${FINDINGS} findings`);
        expect(page.html.match(/<li>/g)?.length).toBeGreaterThanOrEqual(FINDINGS);
      }
      if (path.includes(findingId)) expect(page.html).toContain("$SENTINEL_AUTHORIZATION");
      if (path === "/app/runs") expect(page.html).toContain("<polyline");
    }
    console.log(`dashboard page times (ms) for ${RESULTS} results / ${FINDINGS} findings: ${JSON.stringify(timings)}`);
  }, 60_000);
});
