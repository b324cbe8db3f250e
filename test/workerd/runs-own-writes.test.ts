/**
 * Own-request attribution through the real gateway, TestRun, queue and executor in workerd: a run
 * allowed to reset the rebuild target (rebuild-target.ts) makes its own later requests answer 503
 * while the target rebuilds; none of those is reported as the target's fault (the report lists
 * them as suppressed, with the reset they came after), while the target's genuine 500s — one
 * before any reset, one in the reset's own input handling — are still findings.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ReportSchema } from "../../workers/reports/types";
import { api, postJson, uploadSpec } from "./gateway-helpers";
import { targetUrl, waitForTerminal } from "./runs-helpers";
import { REBUILD_SPEC } from "./rebuild-target";

const RUN_MS = 120_000;

describe("findings caused by the run's own destructive requests", () => {
  it(
    "re-confirms the 5xx that came after the run's own reset: those that do not reproduce are not reported, genuine ones are",
    async () => {
      const upload = await uploadSpec("rebuild", JSON.stringify(REBUILD_SPEC));
      expect(upload.status).toBe(201);
      const specId = ((await upload.json()) as { id: string }).id;
      const tenant = `t-${Date.now().toString(36)}`;
      const res = await postJson("/api/v1/runs", { spec: { id: specId }, target: { url: `${targetUrl()}/rb/${tenant}` }, seed: 5, allowDestructive: true });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      await waitForTerminal(id, RUN_MS);
      const report = ReportSchema.parse(await (await api(`/api/v1/runs/${id}/report`)).json());
      const counters = (await (await fetch(`${targetUrl()}/__rebuild/${tenant}`)).json()) as { resets: number; rebuilding503s: number };
      // the run did reset the target and did meet its own rebuild
      expect(counters.resets).toBeGreaterThan(0);
      expect(counters.rebuilding503s).toBeGreaterThan(0);

      const label = (f: { check: string; operation: { method: string; path: string } }) => `${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path}`;
      const findings = report.findings.map(label);
      expect(findings).toContain("not_a_server_error GET /broken");
      // every finding left on the reset is the unknown-scope fault, never the rebuild
      const onReset = report.findings.filter((f) => f.operation.path === "/admin/reset" && (f.response?.status ?? 0) >= 500);
      expect(onReset.length).toBeGreaterThan(0);
      for (const f of onReset) expect(f.response?.body).toContain("unknown scope");
      expect(report.findings.filter((f) => f.response?.body.includes("being rebuilt")).map(label)).toEqual([]);

      expect(report.suppressed.length).toBeGreaterThan(0);
      for (const s of report.suppressed) expect(s.reason).toMatch(/^came after Sentinel's own destructive request POST \/admin\/reset \(case .+\) and did not reproduce/);
      // their cases are recorded as not judged, and the run's counts agree with the rows
      const rows = await env.DB.prepare(`SELECT status, reason FROM results WHERE run_id = ? AND case_id IN (SELECT value FROM json_each(?))`).bind(id, JSON.stringify(report.suppressed.flatMap((s) => s.caseIds))).all<{ status: string; reason: string }>();
      const notJudged = rows.results.filter((row) => row.status === "skipped" && row.reason.startsWith("not judged: its failure came after Sentinel's own destructive request"));
      expect(notJudged.length).toBeGreaterThan(0);
      // a case with another finding that did reproduce stays failed
      for (const row of rows.results) expect(["skipped", "failed"]).toContain(row.status);
      const { cases, passed, failed, errored, skipped } = report.run.stats;
      expect(passed + failed + errored + skipped).toBe(cases);
    },
    RUN_MS + 30_000,
  );
});
