/**
 * Dashboard pages over data the pipeline makes: a finished two-region load test (real
 * LoadGenerator objects), a chain finding with its history, flaky cases across a schedule's runs,
 * and schedules, webhooks and keys created and removed through their forms.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { CaseResult, Finding } from "../../workers/model";
import { writeCaseOutcomes } from "../../workers/storage/results-repo";
import { insertRun, updateRun, type RunConfig } from "../../workers/storage/runs-repo";
import { Browser, csrfOf } from "./dashboard-helpers";
import { BOOTSTRAP_KEY, api, postJson, PETSTORE_JSON } from "./gateway-helpers";

const ORG = "org_default";
const target = inject("targetUrl");
let specId = "";
let targetId = "";
const b = new Browser();

beforeAll(async () => {
  const upload = await api("/api/v1/specs?name=pages", { method: "POST", body: PETSTORE_JSON, headers: { "content-type": "application/json" } });
  specId = ((await upload.json()) as { id: string }).id;
  const t = await postJson("/api/v1/targets", { name: "pets", baseUrl: "http://127.0.0.1:9", identities: { alice: { Authorization: "Bearer secret-a" } } });
  targetId = ((await t.json()) as { id: string }).id;
  await b.signIn(BOOTSTRAP_KEY);
});

async function seedRun(id: string, extra: Partial<RunConfig> & { source?: { scheduleId: string } }, results: CaseResult[], findings: Record<string, Finding[]> = {}): Promise<void> {
  const config = { spec: { title: "Petstore", version: "1", operations: 3 }, target: { url: "http://127.0.0.1:9" }, identities: ["alice", "bob"], limits: {} as never, notify: [], ...extra } as RunConfig;
  await insertRun(env.DB, { id, orgId: ORG, specId, targetId: null, targetUrl: "http://127.0.0.1:9", seed: 7, config, createdBy: null });
  await writeCaseOutcomes(
    env.DB,
    results.map((result) => ({ orgId: ORG, runId: id, result, findings: findings[result.caseId] ?? [], bodiesKey: null })),
  );
  const failed = results.filter((r) => r.status === "failed").length;
  await updateRun(env.DB, id, {
    status: failed ? "failed" : "passed",
    startedAt: Date.now() - 1000,
    finishedAt: Date.now(),
    stats: { cases: results.length, passed: results.length - failed, failed, errored: 0, skipped: 0, requests: results.length, findings: Object.keys(findings).length },
  });
}

function result(caseId: string, status: "passed" | "failed"): CaseResult {
  return {
    caseId,
    agent: "stateful",
    operationId: "showPet",
    status,
    exchanges: [{ stepId: "s1", request: { method: "GET", url: "http://127.0.0.1:9/pets/1", headers: {} } }],
    checks: [{ check: "not_a_server_error", stepId: "s1", status }],
    durationMs: 3,
  } as CaseResult;
}

describe("dashboard pages", () => {
  it("a chain finding shows every step with its identity, the failing step, its history and similar findings", async () => {
    const runId = `run_pages_chain_${Date.now().toString(36)}`;
    const finding: Finding = {
      id: "f_bola",
      check: "bola",
      severity: "high",
      operation: { method: "get", path: "/pets/{petId}", operationId: "showPet" },
      agent: "security-auth",
      caseId: "c1",
      title: "bob reads alice's pet",
      message: "GET /pets/{petId} answered 200 to bob for a pet alice created",
      signature: "s",
      request: { method: "GET", url: "http://127.0.0.1:9/pets/7", headers: { Authorization: "$SENTINEL_BOB_AUTHORIZATION" } },
      response: { status: 200, headers: {}, body: '{"id":7}', durationMs: 2 },
      curl: `curl -X GET 'http://127.0.0.1:9/pets/7' -H "Authorization: $SENTINEL_BOB_AUTHORIZATION"`,
      seenInRuns: 3,
      firstSeen: "run_earlier",
      similar: [{ findingId: "f_old", runId: "run_earlier", title: "bob reads alice's order", score: 0.91 }],
      steps: [
        { id: "create", identity: "alice", request: { method: "POST", url: "http://127.0.0.1:9/pets", headers: { Authorization: "$SENTINEL_ALICE_AUTHORIZATION" }, body: "{}" }, response: { status: 201, headers: {}, body: '{"id":7}', durationMs: 1 } },
        { id: "read", identity: "bob", request: { method: "GET", url: "http://127.0.0.1:9/pets/7", headers: { Authorization: "$SENTINEL_BOB_AUTHORIZATION" } }, response: { status: 200, headers: {}, body: '{"id":7}', durationMs: 1 }, finding: true },
      ],
    };
    await seedRun(runId, {}, [result("c1", "failed")], { c1: [finding] });
    const list = await b.page(`/app/runs/${runId}/findings`);
    expect(list.html).toContain("seen before (in 3 runs)");
    const page = await b.page(`/app/runs/${runId}/findings/f_bola`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Chain steps");
    expect(page.html).toContain("Step 1 as alice: POST http://127.0.0.1:9/pets");
    expect(page.html).toContain("(the failing step)");
    expect(page.html).toContain("$SENTINEL_ALICE_AUTHORIZATION");
    expect(page.html).toContain('href="/app/runs/run_earlier/findings/f_old"');
    expect(page.html).not.toContain("secret-a");
  });

  it("a schedule's page lists the cases that flip between runs", async () => {
    const form = await b.page("/app/schedules");
    const created = await b.post("/app/schedules", { cron: "0 3 * * *", specId, targetId, seed: "7" }, csrfOf(form.html));
    expect(created.status).toBe(303);
    const list = await b.page("/app/schedules");
    const scheduleId = /href="\/app\/schedules\/(sch_[^"]+)"/.exec(list.html)![1];
    const histories: Record<string, ("passed" | "failed")[]> = { c_flaky: ["failed", "passed", "failed"], c_steady: ["failed", "failed", "failed"], c_fine: ["passed", "passed", "passed"] };
    for (let r = 0; r < 3; r++) {
      await seedRun(
        `run_sched_${r}_${Date.now().toString(36)}`,
        { source: { scheduleId } },
        Object.entries(histories).map(([id, h]) => result(id, h[r])),
      );
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct created_at, so the order is the seeding order
    }
    const page = await b.page(`/app/schedules/${scheduleId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("c_flaky");
    expect(page.html).toContain('aria-label="failed, not failed, failed"');
    expect(page.html).not.toContain("c_steady");
    expect(page.html).not.toContain("c_fine");

    // pause, then delete, through the forms
    const token = csrfOf(list.html);
    expect((await b.post(`/app/schedules/${scheduleId}/toggle`, { enabled: "false" }, token)).status).toBe(303);
    expect((await b.page("/app/schedules")).html).toContain("paused");
    expect((await b.post(`/app/schedules/${scheduleId}/delete`, {}, token)).status).toBe(303);
    expect((await api(`/api/v1/schedules/${scheduleId}`)).status).toBe(404);
  });

  it("webhooks and keys: created with their secret shown once, then removed", async () => {
    const token = await b.csrf();
    const hook = await b.post("/app/hooks", { kind: "generic", specId, targetId }, token);
    expect(hook.status).toBe(201);
    const hookHtml = await hook.text();
    expect(hookHtml).toMatch(/id="hook-secret"[^>]*>[^<]{16,}</);
    const hookId = /\/app\/hooks\/(hook_[^/]+)\/delete/.exec(hookHtml)![1];
    expect((await b.post(`/app/hooks/${hookId}/delete`, {}, token)).status).toBe(303);
    expect((await api(`/api/v1/hooks/${hookId}`)).status).toBe(404);
    expect((await (await b.page("/app/hooks")).html).includes("id=\"hook-secret\"")).toBe(false);

    const key = await b.post("/app/keys", { name: "pages-test", role: "viewer" }, token);
    expect(key.status).toBe(201);
    const keyHtml = await key.text();
    const secret = /id="new-key"[^>]*>(sk_[A-Za-z0-9_]+)</.exec(keyHtml)![1];
    expect((await api("/api/v1/me", { token: secret })).status).toBe(200);
    const keyId = new RegExp(`/app/keys/(key_[^/]+)/revoke`).exec(keyHtml.slice(keyHtml.indexOf("pages-test")))![1];
    expect((await b.post(`/app/keys/${keyId}/revoke`, {}, token)).status).toBe(303);
    expect((await api("/api/v1/me", { token: secret })).status).toBe(401);
  });

  it("a finished two-region load test: percentiles per region, thresholds, hint → colo, latency charts", async () => {
    const res = await postJson("/api/v1/load-tests", {
      spec: { inline: { openapi: "3.0.3", info: { title: "Load", version: "1" }, paths: { "/ok/dash-load": { get: { operationId: "readIt", responses: { "200": { description: "ok" } } } } } } },
      target: { url: target },
      rate: 20,
      duration: 2,
      regions: ["wnam", "weur"],
      thresholds: ["p(95)<5000", "p(50)<0.001"],
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const until = Date.now() + 40_000;
    for (;;) {
      const status = ((await (await api(`/api/v1/load-tests/${id}`)).json()) as { status: string }).status;
      if (!["queued", "running"].includes(status)) break;
      if (Date.now() > until) throw new Error(`load test still ${status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const list = await b.page("/app/load-tests");
    expect(list.html).toContain(id);
    expect(list.html).toContain("1 of 2 failed");
    const page = await b.page(`/app/load-tests/${id}`);
    expect(page.status).toBe(200);
    for (const text of ["wnam", "weur", "overall", "local", "p(95)&lt;5000", "p(50)&lt;0.001", "1 of 2 thresholds failed", "p95 latency per region over time"]) {
      expect(page.html, text).toContain(text);
    }
    expect(page.html.match(/<polyline/g)?.length).toBeGreaterThanOrEqual(4); // two regions × (p95, p99)
  }, 60_000);
});
