/**
 * A Markdown summary fit for a pull-request comment: status line, a counts table and the top
 * findings with their curl lines folded away. Short by design (GitHub caps comments at 65 536
 * characters); the HTML and JSON reports hold the rest.
 */
import { SEVERITIES, type Severity } from "../model";
import { escapeMarkdown as md, markdownCode, truncate } from "./escape";
import { countBySeverity, operationLabel, sortFindings } from "./severity";
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
  out.push("| Cases passed | failed | errored | " + SEVERITIES.map((s) => `${SEVERITY_ICON[s]} ${s}`).join(" | ") + " |");
  out.push("|---:|---:|---:|" + SEVERITIES.map(() => "---:").join("|") + "|");
  out.push(`| ${run.stats.passed} | ${run.stats.failed} | ${run.stats.errored} | ` + SEVERITIES.map((s) => String(counts[s])).join(" | ") + " |");
  out.push("");

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
      out.push(fencedBlock(f.curl, "sh"));
      out.push("");
    }
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
