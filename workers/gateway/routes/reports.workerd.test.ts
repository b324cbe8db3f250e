/**
 * The report routes inside workerd over real local D1: rows written the way the executor writes
 * them, read back as the JSON contract and every derived format, scoped to the caller's org.
 */
import { env } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newOrgWithKey, problem } from "../../../test/workerd/gateway-helpers";
import { generateApiKey } from "../auth/api-keys";
import { insertApiKey } from "../../storage/keys-repo";
import type { CaseResult, Finding } from "../../model";
import { normalizeLimits } from "../../runs/lifecycle";
import { writeCaseOutcome } from "../../storage/results-repo";
import { insertRun, updateRun } from "../../storage/runs-repo";
import { ReportSchema } from "../../reports/types";

const RUN_ID = "run_reports_route_1";
const URL = "http://127.0.0.1:9/pets/1";

const finding: Finding = {
  id: "f_500_getPet",
  check: "not_a_server_error",
  severity: "high",
  operation: { method: "get", path: "/pets/{petId}", operationId: "getPet" },
  agent: "functional-positive",
  caseId: "c_fail",
  title: "Server error on GET /pets/{petId}",
  message: "500 <b>boom</b>",
  signature: "5xx",
  request: { method: "GET", url: URL, headers: { accept: "application/json" } },
  response: { status: 500, headers: { "content-type": "text/html" }, body: "<script>alert(1)</script>", durationMs: 4 },
  curl: `curl -sS -X GET '${URL}'`,
};

const failing: CaseResult = {
  caseId: "c_fail",
  agent: "functional-positive",
  operationId: "getPet",
  status: "failed",
  exchanges: [{ stepId: "s1", request: finding.request, response: { status: 500, headers: {}, body: "<script>alert(1)</script>", bodySize: 25, durationMs: 4 } }],
  checks: [{ check: "not_a_server_error", stepId: "s1", status: "failed", severity: "high", message: "500 <b>boom</b>" }],
  durationMs: 5,
};
const passing: CaseResult = {
  caseId: "c_ok",
  agent: "functional-positive",
  operationId: "listPets",
  status: "passed",
  exchanges: [{ stepId: "s1", request: { method: "GET", url: "http://127.0.0.1:9/pets?limit=1", headers: {} }, response: { status: 200, headers: {}, body: "[]", bodySize: 2, durationMs: 2 } }],
  checks: [{ check: "not_a_server_error", stepId: "s1", status: "passed" }],
  durationMs: 3,
};

let orgKey: string;
let orgId: string;

beforeAll(async () => {
  const org = await newOrgWithKey("admin", "reports-org");
  orgKey = org.key;
  orgId = org.orgId;
  await insertRun(env.DB, {
    id: RUN_ID,
    orgId: org.orgId,
    specId: "spec_x",
    targetId: null,
    targetUrl: "http://127.0.0.1:9",
    seed: 5,
    config: { spec: { title: "Pets", version: "1.0.0", operations: 2 }, target: { url: "http://127.0.0.1:9" }, identities: [], limits: normalizeLimits(), notify: [] },
    createdBy: null,
  });
  for (const result of [failing, passing]) {
    await writeCaseOutcome(env.DB, { orgId: org.orgId, runId: RUN_ID, result, findings: result === failing ? [finding] : [], bodiesKey: null });
  }
  await updateRun(env.DB, RUN_ID, {
    status: "failed",
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_002_000,
    stats: { cases: 2, passed: 1, failed: 1, errored: 0, skipped: 0, requests: 2, findings: 1 },
  });
});

describe("GET /api/v1/runs/{id}/report", () => {
  it("serves the JSON contract", async () => {
    const res = await api(`/api/v1/runs/${RUN_ID}/report`, { token: orgKey });
    expect(res.status).toBe(200);
    const report = ReportSchema.parse(await res.json());
    expect(report.run).toMatchObject({ id: RUN_ID, status: "failed", seed: 5, durationMs: 2000, spec: { title: "Pets", operations: 2 } });
    expect(report.findings.map((f) => f.id)).toEqual(["f_500_getPet"]);
  });

  it("serves JUnit with a testcase per case", async () => {
    const res = await api(`/api/v1/runs/${RUN_ID}/report.junit`, { token: orgKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(await res.text());
    expect(xml.testsuites["@tests"]).toBe("2");
    expect(xml.testsuites["@failures"]).toBe("1");
  });

  it("serves SARIF, Markdown and HAR", async () => {
    const sarif = await api(`/api/v1/runs/${RUN_ID}/report.sarif`, { token: orgKey });
    expect(sarif.headers.get("content-type")).toMatch(/^application\/sarif\+json/);
    expect(((await sarif.json()) as { version: string }).version).toBe("2.1.0");
    const md = await api(`/api/v1/runs/${RUN_ID}/report.md`, { token: orgKey });
    expect(await md.text()).toContain("not\\_a\\_server\\_error");
    const har = await api(`/api/v1/runs/${RUN_ID}/report.har`, { token: orgKey });
    expect(((await har.json()) as { log: { entries: unknown[] } }).log.entries).toHaveLength(2);
  });

  it("serves HTML under a CSP, with bodies escaped", async () => {
    const res = await api(`/api/v1/runs/${RUN_ID}/report.html`, { token: orgKey });
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)");
  });

  it("lets a viewer of the org read", async () => {
    const secret = await generateApiKey();
    await insertApiKey(env.DB, { orgId, userId: null, name: "viewer", prefix: secret.prefix, hash: secret.hash, role: "viewer" });
    expect((await api(`/api/v1/runs/${RUN_ID}/report.md`, { token: secret.key })).status).toBe(200);
  });

  it("hides the run from other orgs and anonymous callers", async () => {
    const other = await newOrgWithKey("admin", "reports-other");
    const foreign = await api(`/api/v1/runs/${RUN_ID}/report.junit`, { token: other.key });
    expect(foreign.status).toBe(404);
    expect((await problem(foreign)).type).toMatch(/not-found$/);
    expect((await api(`/api/v1/runs/${RUN_ID}/report`, { token: null })).status).toBe(401);
    // the bootstrap org's admin does not own this run either
    expect((await api(`/api/v1/runs/${RUN_ID}/report`)).status).toBe(404);
  });
});
