/**
 * Identities inside the run pipeline, through the real gateway, TestRun, queue and executor in
 * workerd, against the sessions target (sessions-target.ts): a run started with POST /runs and no
 * identity provisions two users through the spec's signup + login; when their tokens expire the
 * run signs them in again and still finds the seeded BOLA, with no finding made of a 401; when the
 * target loses every user mid-run, the identities' cases stop, the report says why, and nothing
 * that loss caused is reported. No password Sentinel chose and no token appears in any output.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../workers/reports/types";
import { api, postJson, uploadSpec } from "./gateway-helpers";
import { targetUrl, waitForTerminal } from "./runs-helpers";
import { SESSIONS_SPEC } from "./sessions-spec";

const RUN_MS = 150_000;
/** The shape of every password Sentinel chooses (auth/provision.ts strongPassword). */
const CHOSEN_PASSWORD = /Sn[A-Za-z0-9]{14}7!/;
const TOKEN = /tok_[0-9a-f]{36}/;

async function specId(): Promise<string> {
  const res = await uploadSpec("sessions", JSON.stringify(SESSIONS_SPEC));
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function tenant(mode: string): Promise<{ url: string; stats: () => Promise<{ signups: number; logins: number; authed: number }> }> {
  const name = `${mode.replace(/[^a-z]/g, "").slice(0, 12)}-${Date.now().toString(36)}`;
  const control = `${targetUrl()}/__sessions/${name}`;
  expect((await fetch(`${control}?${mode}`, { method: "POST" })).status).toBe(200);
  return { url: `${targetUrl()}/s/${name}`, stats: async () => (await (await fetch(control)).json()) as { signups: number; logins: number; authed: number } };
}

/** Starts a run through the REST API with no identity, waits for it, returns its report and every stored text of it. */
async function run(url: string, extra: Record<string, unknown> = {}): Promise<{ report: Report; stored: string }> {
  const res = await postJson("/api/v1/runs", { spec: { id: await specId() }, target: { url }, seed: 11, ...extra });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForTerminal(id, RUN_MS);
  const reportRes = await api(`/api/v1/runs/${id}/report`);
  expect(reportRes.status).toBe(200);
  const text = await reportRes.text();
  const rows = await env.DB.prepare(`SELECT * FROM results WHERE run_id = ?`).bind(id).all();
  const findings = await env.DB.prepare(`SELECT * FROM findings WHERE run_id = ?`).bind(id).all();
  const runRow = await env.DB.prepare(`SELECT * FROM runs WHERE id = ?`).bind(id).all();
  const html = await (await api(`/api/v1/runs/${id}/report.html`)).text();
  return { report: ReportSchema.parse(JSON.parse(text)), stored: [text, html, JSON.stringify(rows.results), JSON.stringify(findings.results), JSON.stringify(runRow.results)].join("\n") };
}

const label = (f: Report["findings"][number]) => `${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path}`;

describe("identities in the run pipeline", () => {
  it(
    "provisions two users for an API run, signs them in again when tokens expire, still finds the BOLA, reports no 401 as a finding",
    async () => {
      const target = await tenant("expireAfterUses=4");
      const { report, stored } = await run(target.url);
      expect(report.preflight?.identities.map((i) => [i.name, i.source, i.ok, i.how])).toEqual([
        ["user1", "provisioned", true, "signed up with POST /auth/signup, logged in with POST /auth/login"],
        ["user2", "provisioned", true, "signed up with POST /auth/signup, logged in with POST /auth/login"],
      ]);
      expect(report.preflight?.authorization).toBeUndefined();
      const stats = await target.stats();
      // two sign-ins of the pre-flight, then many more: each token works for 4 requests only
      expect(stats.logins).toBeGreaterThan(10);
      expect(report.findings.map(label)).toContain("bola GET /notes/{id}");
      expect(report.findings.filter((f) => (f.response?.status ?? 0) === 401).map(label)).toEqual([]);
      // the target crashes on a token whose user is gone (500, not 401): that is its own bug, judged
      // by not_a_server_error alone (no schema or status finding piled on it), once per operation
      const crashes = report.findings.filter((f) => (f.response?.status ?? 0) >= 500);
      expect(crashes.filter((f) => f.check !== "not_a_server_error").map(label)).toEqual([]);
      expect(new Set(crashes.map(label)).size).toBe(crashes.length);
      expect(report.preflight?.identities.every((i) => i.afterRun === undefined)).toBe(true);
      expect(stored).not.toMatch(CHOSEN_PASSWORD);
      expect(stored).not.toMatch(TOKEN);
    },
    RUN_MS + 30_000,
  );

  it(
    "stops the identities' cases when the target loses its users mid-run, says why, reports no 401 that loss caused, and a 5xx only as the server error it is",
    async () => {
      const target = await tenant("killAfter=30");
      const { report, stored } = await run(target.url);
      expect(report.preflight?.identities.map((i) => [i.name, i.ok])).toEqual([["user1", true], ["user2", true]]);
      const after = report.preflight?.identities.map((i) => i.afterRun ?? "") ?? [];
      expect(after.some((text) => /stopped working during the run .*signing in again failed: login POST \/auth\/login answered 401/.test(text))).toBe(true);
      expect(report.findings.filter((f) => (f.response?.status ?? 0) === 401).map(label)).toEqual([]);
      // the target crashes on a token whose user is gone (500, not 401): that is its own bug, judged
      // by not_a_server_error alone (no schema or status finding piled on it), once per operation
      const crashes = report.findings.filter((f) => (f.response?.status ?? 0) >= 500);
      expect(crashes.filter((f) => f.check !== "not_a_server_error").map(label)).toEqual([]);
      expect(new Set(crashes.map(label)).size).toBe(crashes.length);
      const reasons = report.skipped.map((s) => s.reason);
      expect(reasons.some((r) => /^identity user[12] stopped working during the run/.test(r))).toBe(true);
      const gaps = (report.coverage?.operations ?? []).flatMap((op) => op.notRun.map((g) => g.reason));
      expect(gaps.some((r) => /identity user[12] stopped working/.test(r))).toBe(true);
      expect(stored).not.toMatch(CHOSEN_PASSWORD);
      expect(stored).not.toMatch(TOKEN);
    },
    RUN_MS + 30_000,
  );
});
