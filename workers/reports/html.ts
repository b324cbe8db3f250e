/**
 * A self-contained HTML report: one file with inline CSS and a few lines of inline script,
 * no external asset, readable offline or as a CI artifact. Every value from the run (response
 * bodies are attacker-controlled in a security tool) is escaped by hono/html's template tag (./html-tag),
 * which escapes every interpolated string unless it is itself a template; a CSP forbids loading anything
 * from elsewhere should an escape ever be missed.
 */
import { checkInfo, SEVERITIES, type CaseResult } from "../model";
import { truncate } from "./escape";
import { html, joined, raw, type Html } from "./html-tag";
import { countBySeverity, operationLabel, sortFindings } from "./severity";
import { findingScript, stepLines } from "./script";
import { otherTriggers, triggerLabel } from "./triggers";
import { coverageSummaryLine, valuesNotSent } from "./coverage";
import type { ReportCluster, ReportCoverage, ReportFinding, ReportInput, ReportSkipped } from "./types";

/** Longest body shown inline; the JSON report and R2 keep the rest. */
const BODY_LIMIT = 20_000;

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--bg:#f6f7f9;--card:#fff;--line:#dde1e8;--critical:#7a0019;--high:#c62828;--medium:#a84300;--low:#1565c0;--info:#546e7a;--ok:#2e7d32}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
.meta{color:var(--muted);margin:0 0 16px}.meta code{color:var(--fg)}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:20px}.card>span{font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card>span:not(.sev){color:var(--muted)}
.sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
.steps{margin:6px 0 6px 18px;padding:0}.steps li{margin:2px 0}.steps .hit{font-weight:600}.triggers{margin:6px 0;padding-left:18px}.triggers li{margin:6px 0}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.status-passed{color:var(--ok)}.status-failed,.status-errored{color:var(--high)}
details{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:8px 0}
summary{cursor:pointer;padding:10px 14px;list-style-position:inside}summary code{font-size:13px}
.finding{padding:0 14px 14px}.finding p{margin:6px 0}.help{color:var(--muted)}
pre{background:#0f1420;color:#e6e9ef;border-radius:6px;padding:10px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all;margin:6px 0;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.curl{position:relative}.curl pre{padding-right:70px}.curl button{position:absolute;top:6px;right:6px;font:12px system-ui;padding:3px 8px;border-radius:4px;border:1px solid #889;background:#fff;cursor:pointer}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}@media(max-width:800px){.cols{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{background:#eef0f4;font-weight:600}
.empty{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;color:var(--ok)}
footer{color:var(--muted);font-size:12px;margin-top:32px}
`;

/** Copy buttons: copies the text of the <pre> beside the button; falls back to selecting it. */
const SCRIPT = `
document.addEventListener("click",function(ev){var b=ev.target;if(!b||!b.matches||!b.matches("button[data-copy]"))return;
var pre=b.parentNode.querySelector("pre");var text=pre.textContent;
function sel(){var r=document.createRange();r.selectNodeContents(pre);var s=getSelection();s.removeAllRanges();s.addRange(r);}
if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(text).then(function(){b.textContent="Copied";setTimeout(function(){b.textContent="Copy"},1500)},sel)}else{sel()}});
`;

export interface HtmlOptions {
  toolVersion?: string;
}

export function toHtml(input: ReportInput, options: HtmlOptions = {}): string {
  const { run, findings } = input.report;
  const counts = countBySeverity(findings);
  const title = `Sentinel report — ${run.spec.title || "API"} ${run.spec.version}`.trim();
  const sorted = sortFindings(findings);

  const sections = SEVERITIES.filter((s) => counts[s] > 0).map(
    (severity) =>
      html`<h2><span class="sev sev-${severity}">${severity}</span> ${counts[severity]} finding${counts[severity] === 1 ? "" : "s"}</h2>
${joined(sorted.filter((f) => f.severity === severity).map(findingHtml), "\n")}`,
  );

  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${raw(HTML_CSP)}">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p class="meta">Target <code>${run.target}</code> · run <code>${run.id}</code> · status <b class="status-${run.status}">${run.status}</b> · seed <code>${run.seed}</code>${run.startedAt ? html` · started ${run.startedAt}` : ""}${run.durationMs !== null ? ` · ${formatDuration(run.durationMs)}` : ""}</p>
<div class="cards">
${card("operations", run.spec.operations)}${card("cases", run.stats.cases)}${card("passed", run.stats.passed)}${card("failed", run.stats.failed)}${card("errored", run.stats.errored)}${card("skipped", run.stats.skipped)}${card("requests", run.stats.requests)}
</div>
<div class="cards" style="margin-top:10px">
${SEVERITIES.map((s) => html`<div class="card"><b>${counts[s]}</b><span class="sev sev-${s}">${s}</span></div>`)}
</div>
${run.timing ? html`<p class="meta">${run.timing.requests} requests · p50 ${run.timing.p50Ms} ms · p95 ${run.timing.p95Ms} ms · p99 ${run.timing.p99Ms} ms · max ${run.timing.maxMs} ms · ${run.timing.rps} req/s</p>` : ""}
${clustersSection(input.report.clusters ?? [])}
${findings.length === 0 ? html`<h2>Findings</h2>\n<p class="empty">No findings.</p>` : joined(sections, "\n")}
${skippedSection(input.report.skipped, run.stats.skipped)}
${input.report.coverage ? coverageSection(input.report.coverage) : ""}
${input.cases ? operationsTable(input.cases, findings, input.operations) : ""}
<footer>Generated by Sentinel${options.toolVersion ? ` ${options.toolVersion}` : ""}. Every request can be replayed with its curl line; secrets in headers are redacted.</footer>
</main>
<script>${raw(SCRIPT)}</script>
</body>
</html>
`.toString();
}

/** Findings grouped by likely root cause, each pointing at its representative. */
function clustersSection(clusters: ReportCluster[]): Html | "" {
  if (clusters.length === 0) return "";
  const items = clusters.map(
    (c) =>
      html`<li><span class="sev sev-${c.severity}">${c.severity}</span> <code>${c.check}</code> × ${c.findings.length} — <a href="#finding-${c.representative}">representative</a>: ${c.explanation}${c.likelyCause ? html` <em>Likely cause: ${c.likelyCause}.</em>` : ""}${c.source === "llm" ? html` <small>(explained by the LLM)</small>` : ""}<br><small>${joined(c.operations.map((o) => html`<code>${o}</code>`), " ")}</small></li>`,
  );
  return html`<h2>Likely root causes: ${clusters.length}</h2>\n<ul>${joined(items, "\n")}</ul>`;
}

function card(label: string, value: number): Html {
  return html`<div class="card"><b>${value}</b><span>${label}</span></div>`;
}

function findingHtml(f: ReportFinding): Html {
  const doc = checkInfo(f.check);
  const req = f.request;
  const requestText = [`${req.method.toUpperCase()} ${req.url}`, ...headerLines(req.headers), ...(req.body ? ["", truncate(req.body, BODY_LIMIT)] : [])].join("\n");
  const responseText = f.response
    ? [`HTTP ${f.response.status} (${f.response.durationMs} ms)`, ...headerLines(f.response.headers), "", truncate(f.response.body, BODY_LIMIT)].join("\n")
    : "No response (network error or timeout).";
  return html`<details id="finding-${f.id}">
<summary><span class="sev sev-${f.severity}">${f.severity}</span> <code>${f.check}</code> · <code>${operationLabel(f.operation)}</code> · ${f.title}</summary>
<div class="finding">
<p>${f.message}</p>
<p class="help">${doc.help}</p>
<p>Operation <code>${f.operation.operationId}</code> · agent <code>${f.agent}</code> · finding <code>${f.id}</code></p>${f.cluster ? html`\n<p>Cluster <code>${f.cluster}</code>: same likely root cause as the other findings of that cluster.</p>` : ""}
${stepsHtml(f)}<div class="curl"><button type="button" data-copy>Copy</button><pre>${f.curl}</pre></div>
<div class="cols"><div><b>Request</b><pre>${requestText}</pre></div><div><b>Response</b><pre>${responseText}</pre></div></div>
${triggersHtml(f)}</div>
</details>`;
}

/** The other distinct triggers of a finding, each with its curl (and a chain's steps). */
function triggersHtml(f: ReportFinding): Html | "" {
  const others = otherTriggers(f);
  if (others.length === 0) return "";
  const items = others.map(
    (t) =>
      html`<li>${triggerLabel(t)} · case <code>${t.caseId}</code>${t.chain ? html`<br><code>${t.chain.join(" → ")}</code>` : ""}<div class="curl"><button type="button" data-copy>Copy</button><pre>${t.curl}</pre></div></li>`,
  );
  return html`<p><b>Also triggered by</b> ${others.length} more distinct trigger${others.length === 1 ? "" : "s"}</p>
<ul class="triggers">${items}</ul>
`;
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}

/** A chain's steps in order and its reproduction script (every step, values carried with jq). */
function stepsHtml(f: ReportFinding): Html | "" {
  if (f.steps.length < 2) return "";
  const script = findingScript(f);
  const items = stepLines(f.steps).map((line, i) => html`<li${f.steps[i].finding ? raw(' class="hit"') : ""}><code>${line.replace(/^\d+\. /, "")}</code></li>`);
  return html`<p><b>Steps</b> (${f.steps.length}, in order)</p>
<ol class="steps">${items}</ol>
${script ? html`<p><b>Reproduce every step</b> (bash, curl, jq)</p>\n<div class="curl"><button type="button" data-copy>Copy</button><pre>${script}</pre></div>\n<p><b>Last step alone</b></p>\n` : ""}`;
}

/** Skipped cases with their reason, grouped by reason (most frequent first). */
function skippedSection(skipped: ReportSkipped[], total: number): Html | "" {
  if (total === 0 && skipped.length === 0) return "";
  const byReason = new Map<string, ReportSkipped[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const groups = [...byReason.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const rows = groups.map(
    ([reason, list]) =>
      html`<details><summary>${list.length} × ${reason}</summary><div class="finding"><ul>${list.map(
        (s) => html`<li><code>${s.caseId}</code> · <code>${s.operation.method ? operationLabel(s.operation) : s.operation.operationId}</code> · ${s.agent}</li>`,
      )}</ul></div></details>`,
  );
  const listed = skipped.length < total ? ` (the first ${skipped.length} listed)` : "";
  return html`<h2>Skipped: ${total} case${total === 1 ? "" : "s"}${listed}</h2>\n${joined(rows, "\n")}`;
}

/** Per operation: statuses seen and not, values never sent, checks run, and why a family could not run. */
function coverageSection(coverage: ReportCoverage): Html {
  const rows = coverage.operations.map((op) => {
    const undocumented = Object.entries(op.undocumented).map(([status, n]) => `${status} ×${n}`).join(", ");
    const checks = Object.entries(op.checks)
      .filter(([, c]) => c.passed + c.failed > 0)
      .map(([name, c]) => `${name}${c.failed > 0 ? ` (${c.failed} failed)` : ""}`)
      .join(", ");
    const gaps = op.notRun.map((g) => html`<li><b>${g.family}</b>: ${g.reason}</li>`);
    return html`<tr><td><code>${`${op.method} ${op.path}`}</code></td><td>${op.requests}</td><td>${op.statusesSeen.join(", ")}</td><td>${op.statusesNotSeen.join(", ")}</td><td>${undocumented}</td><td>${valuesNotSent(op)}</td><td>${checks}</td><td>${gaps.length > 0 ? html`<ul>${gaps}</ul>` : ""}</td></tr>`;
  });
  return html`<h2>Coverage</h2>
<p class="meta">${coverageSummaryLine(coverage)}</p>
<table><thead><tr><th>Operation</th><th>Requests</th><th>Statuses seen</th><th>Documented, never seen</th><th>Undocumented</th><th>Values never sent</th><th>Checks run</th><th>Could not run</th></tr></thead>
<tbody>
${joined(rows, "\n")}
</tbody></table>`;
}

function operationsTable(cases: CaseResult[], findings: ReportFinding[], operations: ReportInput["operations"] = {}): Html {
  const rows = new Map<string, { label: string; passed: number; failed: number; errored: number; skipped: number }>();
  const labels = new Map(findings.map((f) => [f.operation.operationId, operationLabel(f.operation)]));
  for (const [id, op] of Object.entries(operations)) labels.set(id, operationLabel(op));
  for (const c of cases) {
    const row = rows.get(c.operationId) ?? { label: labels.get(c.operationId) ?? "", passed: 0, failed: 0, errored: 0, skipped: 0 };
    // an operation the spec no longer lists: name it by what its first request sent
    if (!row.label && c.exchanges[0]) row.label = `${c.exchanges[0].request.method.toUpperCase()} ${pathOf(c.exchanges[0].request.url)}`;
    row[c.status]++;
    rows.set(c.operationId, row);
  }
  const body = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, r]) => html`<tr><td><code>${id}</code></td><td><code>${r.label}</code></td><td>${r.passed}</td><td>${r.failed}</td><td>${r.errored}</td><td>${r.skipped}</td></tr>`);
  return html`<h2>Cases per operation</h2>
<table><thead><tr><th>Operation</th><th>Method and path</th><th>Passed</th><th>Failed</th><th>Errored</th><th>Skipped</th></tr></thead>
<tbody>
${joined(body, "\n")}
</tbody></table>`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
