/**
 * A Markdown summary fit for a pull-request comment: status line, a counts table and the top
 * findings with their curl lines folded away. Short by design (GitHub caps comments at 65 536
 * characters); the HTML and JSON reports hold the rest.
 */
import { SEVERITIES, type Severity } from "../model";
import { escapeMarkdown as md, markdownCode, truncate } from "./escape";
import { countBySeverity, operationLabel, sortFindings } from "./severity";
import { findingScript, stepLines } from "./script";
import { otherTriggers, triggerLabel } from "./triggers";
import { coverageGapLines, coverageSummaryLine } from "./coverage";
import type { ReportInput } from "./types";

const SEVERITY_ICON: Record<Severity, string> = { critical: "🟥", high: "🔴", medium: "🟠", low: "🔵", info: "⚪" };

export interface MarkdownOptions {
  /** how many findings to list (default 10) */
  top?: number;
  /** link to the full report, shown when given (e.g. the CI artifact or dashboard URL) */
  reportUrl?: string;
}

export function toMarkdown(input: ReportInput, options: MarkdownOptions = {}): string {
  const { run, findings } = input.report;
  const top = options.top ?? 10;
  const counts = countBySeverity(findings);
  const sorted = sortFindings(findings);
  const icon = findings.length === 0 && run.status === "passed" ? "✅" : run.status === "errored" ? "⚠️" : "❌";

  const out: string[] = [];
  out.push(`### ${icon} Sentinel: ${md(run.spec.title || "API")} ${md(run.spec.version)} — ${run.status}`);
  out.push("");
  out.push(
    `Target ${markdownCode(run.target)} · ${run.spec.operations} operations · ${run.stats.cases} cases · ${run.stats.requests} requests · seed ${markdownCode(String(run.seed))}${run.durationMs !== null ? ` · ${(run.durationMs / 1000).toFixed(1)} s` : ""}`,
  );
  out.push("");
  out.push("| Cases passed | failed | errored | skipped | " + SEVERITIES.map((s) => `${SEVERITY_ICON[s]} ${s}`).join(" | ") + " |");
  out.push("|---:|---:|---:|---:|" + SEVERITIES.map(() => "---:").join("|") + "|");
  out.push(`| ${run.stats.passed} | ${run.stats.failed} | ${run.stats.errored} | ${run.stats.skipped} | ` + SEVERITIES.map((s) => String(counts[s])).join(" | ") + " |");
  out.push("");
  if (run.timing) {
    out.push(`Timing: ${run.timing.requests} requests · p50 ${run.timing.p50Ms} ms · p95 ${run.timing.p95Ms} ms · p99 ${run.timing.p99Ms} ms · ${run.timing.rps} req/s`);
    out.push("");
  }

  if (findings.length === 0) {
    out.push("No findings.");
  } else {
    out.push(`**Top findings** (${Math.min(top, findings.length)} of ${findings.length})`);
    out.push("");
    out.push("| Severity | Check | Operation | Finding |");
    out.push("|---|---|---|---|");
    for (const f of sorted.slice(0, top)) {
      out.push(`| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${markdownCode(f.check)} | ${markdownCode(operationLabel(f.operation))} | ${md(truncate(f.title, 160))} |`);
    }
    out.push("");
    out.push("<details><summary>Reproduce</summary>");
    out.push("");
    for (const f of sorted.slice(0, top)) {
      out.push(`**${md(f.check)}** ${markdownCode(operationLabel(f.operation))}: ${md(truncate(f.message, 300))}`);
      out.push("");
      const script = findingScript(f);
      if (f.steps.length > 1) {
        out.push(`Steps (in order):`);
        out.push("");
        out.push(fencedBlock(stepLines(f.steps).map((line) => truncate(line, 300)).join("\n"), "text"));
        out.push("");
      }
      out.push(fencedBlock(script ?? f.curl, script ? "bash" : "sh"));
      out.push("");
      const others = otherTriggers(f);
      if (others.length > 0) {
        out.push(`Also triggered by ${others.length} more distinct trigger${others.length === 1 ? "" : "s"}:`);
        out.push("");
        for (const t of others.slice(0, 5)) out.push(`- ${md(truncate(triggerLabel(t), 200))}${t.chain ? ` (steps: ${md(truncate(t.chain.join(" → "), 300))})` : ""}`);
        if (others.length > 5) out.push(`- … ${others.length - 5} more (see the JSON or HTML report)`);
        out.push("");
        out.push(fencedBlock(others.slice(0, 5).map((t) => t.curl).join("\n"), "sh"));
        out.push("");
      }
    }
    out.push("</details>");
  }
  if (run.stats.skipped > 0) {
    const byReason = new Map<string, number>();
    for (const s of input.report.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    out.push("");
    out.push(`<details><summary>Skipped: ${run.stats.skipped} case${run.stats.skipped === 1 ? "" : "s"}</summary>`);
    out.push("");
    out.push("| Cases | Reason |");
    out.push("|---:|---|");
    for (const [reason, n] of [...byReason.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) out.push(`| ${n} | ${md(truncate(reason, 200))} |`);
    if (byReason.size > 30) out.push(`| … | ${byReason.size - 30} more reasons (see the JSON report) |`);
    if (input.report.skipped.length < run.stats.skipped) out.push(`| ${run.stats.skipped - input.report.skipped.length} | not listed (report limit) |`);
    out.push("");
    out.push("</details>");
  }
  if (input.report.coverage) {
    const gaps = coverageGapLines(input.report.coverage);
    out.push("");
    out.push(`<details><summary>Coverage: ${md(coverageSummaryLine(input.report.coverage))}</summary>`);
    out.push("");
    for (const line of gaps.slice(0, 30)) out.push(`- ${md(truncate(line, 300))}`);
    if (gaps.length > 30) out.push(`- … ${gaps.length - 30} more (see the JSON or HTML report)`);
    out.push("");
    out.push("</details>");
  }
  if (options.reportUrl) {
    out.push("");
    out.push(`[Full report](${options.reportUrl.replace(/[()\s]/g, encodeURIComponent)})`);
  }
  out.push("");
  return out.join("\n");
}

/** A fenced code block whose fence is longer than any backtick run in the text. */
function fencedBlock(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}
