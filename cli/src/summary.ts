/**
 * The run summary printed on stdout: counts and a k6-style timing line, a findings table
 * (severity, check, METHOD path, title), then per finding what came back (status, a body
 * excerpt) and the curl line that reproduces it, as Schemathesis prints them. Findings clustered
 * by likely root cause are detailed once, by their representative.
 */
import { countBySeverity, operationLabel, sortFindings } from "../../workers/reports/severity";
import { otherTriggers, triggerLabel } from "../../workers/reports/triggers";
import { coverageGapLines, coverageSummaryLine } from "../../workers/reports/coverage";
import type { Report } from "../../workers/reports/types";
import type { FailOn } from "./options";

const MAX_ROWS = 50;
/** findings shown with their response and curl line */
const MAX_DETAILS = 20;
const BODY_EXCERPT = 200;
/** other triggers printed per finding (the reports list them all) */
const MAX_TRIGGERS = 5;
/** coverage gaps printed (the reports list them all) */
const MAX_GAPS = 8;

export function formatSummary(report: Report, opts: { failOn: FailOn; failing: number; written: string[]; color?: boolean }): string {
  const { run, findings } = report;
  const counts = countBySeverity(findings);
  const out: string[] = [];
  const seconds = run.durationMs !== null ? ` in ${(run.durationMs / 1000).toFixed(1)} s` : "";
  out.push(`Sentinel: ${run.spec.title || "API"} ${run.spec.version} — run ${run.id} ${run.status}${seconds}`);
  out.push(`Target ${run.target} · ${run.spec.operations} operations · ${run.stats.cases} cases (${run.stats.passed} passed, ${run.stats.failed} failed, ${run.stats.errored} errored, ${run.stats.skipped} skipped) · ${run.stats.requests} requests · seed ${run.seed}`);
  if (run.timing) {
    const t = run.timing;
    out.push(`Timing: ${t.requests} requests · p50 ${t.p50Ms} ms · p95 ${t.p95Ms} ms · p99 ${t.p99Ms} ms · max ${t.maxMs} ms · ${t.rps} req/s`);
  }
  for (const identity of report.preflight?.identities ?? []) {
    out.push(`Identity ${identity.name}: ${identity.ok ? "works" : "does not work"} (${identity.source === "given" ? "given" : identity.how}${identity.detail ? `; ${identity.detail}` : ""})${identity.afterRun ? `; ${identity.afterRun}` : ""}`);
  }
  if (report.preflight?.authorization) out.push(`Coverage: ${report.preflight.authorization}`);
  for (const op of report.heldBack ?? []) out.push(`Held back: ${op.method} ${op.path} (${op.operationId}) — ${op.reason}; --allow-destructive runs it`);
  for (const s of report.suppressed ?? []) out.push(`Not reported: ${s.check} on ${s.operation.method} ${s.operation.path} — ${s.reason}`);
  out.push(`Findings: ${findings.length} (${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ")})`);

  if (findings.length > 0) {
    const rows = sortFindings(findings)
      .slice(0, MAX_ROWS)
      .map((f) => [f.severity.toUpperCase(), f.check, operationLabel(f.operation), oneLine(f.title)]);
    const header = ["SEVERITY", "CHECK", "OPERATION", "TITLE"];
    const widths = header.map((h, i) => Math.min(i === 2 ? 48 : 32, Math.max(h.length, ...rows.map((r) => r[i].length))));
    const fmt = (cells: string[]) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : clip(c, widths[i]).padEnd(widths[i])))
        .join("  ")
        .trimEnd();
    out.push("");
    out.push(fmt(header));
    for (const row of rows) out.push(fmt(row));
    if (findings.length > MAX_ROWS) out.push(`… and ${findings.length - MAX_ROWS} more (see the reports)`);
    out.push("");
    // a cluster (one likely root cause) is detailed once, by its representative
    const clusters = report.clusters ?? [];
    const hidden = new Set(clusters.flatMap((c) => c.findings.slice(1)));
    const byRepresentative = new Map(clusters.map((c) => [c.representative, c]));
    if (clusters.length > 0) {
      out.push(`Likely root causes: ${clusters.length} cluster${clusters.length === 1 ? "" : "s"} group ${hidden.size + clusters.length} findings (each detailed once below):`);
      for (const c of clusters) out.push(`  [${c.severity.toUpperCase()}] ${c.check} × ${c.findings.length}: ${clip(c.operations.join(", "), 140)}`);
      out.push("");
    }
    const detailed = sortFindings(findings).filter((f) => !hidden.has(f.id));
    detailed.slice(0, MAX_DETAILS).forEach((f, i) => out.push(...findingDetail(f, i + 1, byRepresentative.get(f.id))));
    if (detailed.length > MAX_DETAILS) out.push(`… ${detailed.length - MAX_DETAILS} more findings with their curl lines in the reports`);
  }
  if (report.coverage) {
    const gaps = coverageGapLines(report.coverage);
    out.push("");
    out.push(`Coverage: ${coverageSummaryLine(report.coverage)}`);
    for (const line of gaps.slice(0, MAX_GAPS)) out.push(`  ${line}`);
    out.push(`  ${gaps.length > MAX_GAPS ? `… ${gaps.length - MAX_GAPS} more; ` : ""}per operation (statuses, parameters, values, checks): "coverage" in --report-json, or --html`);
  }
  if (opts.written.length > 0) {
    out.push("");
    out.push(`Reports: ${opts.written.join(", ")}`);
  }
  out.push("");
  if (report.run.status === "errored" || report.run.status === "cancelled") {
    out.push(`Result: ERROR — the run ${report.run.status} (${report.run.stats.errored} of ${report.run.stats.cases} cases errored); findings so far: ${report.findings.length}`);
  } else if (opts.failOn === "none") out.push("Result: PASS (--fail-on none)");
  else if (opts.failing > 0) out.push(`Result: FAIL — ${opts.failing} finding${opts.failing === 1 ? "" : "s"} at or above ${opts.failOn}`);
  else out.push(`Result: PASS — no finding at or above ${opts.failOn}`);
  return out.join("\n") + "\n";
}

/** "1. [HIGH] check · GET /x · title", then the response, a body excerpt and the curl line. */
function findingDetail(f: Report["findings"][number], n: number, cluster?: Report["clusters"][number]): string[] {
  const lines = [`${n}. [${f.severity.toUpperCase()}] ${f.check} · ${operationLabel(f.operation)} · ${oneLine(f.title)}`];
  if (f.message) lines.push(`   ${oneLine(f.message)}`);
  if (cluster) lines.push(`   Same likely cause on ${cluster.findings.length - 1} more operation${cluster.findings.length === 2 ? "" : "s"}: ${clip(cluster.operations.slice(1).join(", "), 160)}`);
  if (f.response) {
    lines.push(`   Received: HTTP ${f.response.status} in ${Math.round(f.response.durationMs)} ms`);
    const body = oneLine(f.response.body);
    if (body) lines.push(`   Body: ${body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}…` : body}`);
  } else {
    lines.push("   Received: no response");
  }
  if (f.steps.length > 1) {
    lines.push(`   Steps: ${f.steps.map((s) => `${s.id} ${s.response?.status ?? "—"}${s.finding ? " ←" : ""}`).join(" → ")} (the reports hold a script of every step)`);
  }
  lines.push(`   Reproduce: ${f.curl}`);
  const others = otherTriggers(f);
  if (others.length > 0) {
    lines.push(`   Also triggered by (${others.length} more distinct trigger${others.length === 1 ? "" : "s"}):`);
    for (const t of others.slice(0, MAX_TRIGGERS)) {
      lines.push(`   - ${oneLine(triggerLabel(t))}`);
      if (t.chain) lines.push(`     Steps: ${t.chain.join(" → ")}`);
      lines.push(`     ${t.curl}`);
    }
    if (others.length > MAX_TRIGGERS) lines.push(`   … ${others.length - MAX_TRIGGERS} more in the reports`);
  }
  lines.push("");
  return lines;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const clip = (s: string, width: number) => (s.length <= width ? s : `${s.slice(0, width - 1)}…`);
