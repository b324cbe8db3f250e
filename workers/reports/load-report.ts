/**
 * Renderers of a load report (workers/load/types.ts LoadReport): self-contained HTML with inline
 * SVG charts (latency and rate over time per region, readable without JavaScript), JUnit (each
 * threshold a testcase), and the k6-style terminal summary. Pure: strings in, strings out. HTML goes
 * through hono/html's escaping template tag (./html-tag), XML through ./escape.
 */
import type { LatencySummary } from "../load/histogram";
import type { LoadReport, RegionFigures, WindowFigures } from "../load/types";
import { escapeXml, escapeXmlAttribute } from "./escape";
import { html, joined, raw, type Html } from "./html-tag";

const CSS = "body{font:14px system-ui,sans-serif;color:#1d2330;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #dde1e8;padding:4px 8px;text-align:right}th{text-align:left;background:#f6f7f9}.ok{color:#2e7d32}.bad{color:#c62828}code{font-size:13px}figure{margin:12px 0}";

const COLORS = ["#1565c0", "#c62828", "#2e7d32", "#e65100", "#6a1b9a", "#00838f", "#4e342e", "#ad1457", "#37474f"];

const fmt = (n: number, digits = 2) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const errorCount = (f: RegionFigures) => Object.values(f.errors.byKind).reduce((a, b) => a + b, 0);
const errorRate = (f: RegionFigures) => (f.requests ? errorCount(f) / f.requests : 0);

interface Series {
  name: string;
  points: [number, number][];
}

/** One line chart as inline SVG; axes labelled, one polyline per series, a legend. */
function lineChart(title: string, unit: string, series: Series[]): Html {
  const W = 720;
  const H = 240;
  const pad = { l: 56, r: 12, t: 24, b: 32 };
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p[0]));
  const maxY = Math.max(1, ...all.map((p) => p[1])) * 1.1;
  const x = (v: number) => pad.l + (v / maxX) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / maxY) * (H - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY);
  const grid = ticks.map((v) => html`<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#dde1e8"/><text x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${fmt(v, v < 10 ? 1 : 0)}</text>`);
  const lines = series.map((s, i) => html`<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.8" points="${s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ")}"><title>${s.name}</title></polyline>`);
  const legend = joined(
    series.map((s, i) => html`<tspan fill="${COLORS[i % COLORS.length]}">■ ${s.name}</tspan>`),
    "  ",
  );
  return html`<figure><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif">
<text x="${pad.l}" y="16" font-size="13" font-weight="600">${title} (${unit})</text>${grid}
<line x1="${pad.l}" x2="${W - pad.r}" y1="${H - pad.b}" y2="${H - pad.b}" stroke="#5b6475"/>
<text x="${W - pad.r}" y="${H - 8}" text-anchor="end" font-size="11">${fmt(maxX, 0)} s</text><text x="${pad.l}" y="${H - 8}" font-size="11">0 s</text>${lines}
<text x="${pad.l + 200}" y="16" font-size="12">${legend}</text></svg></figure>`;
}

function seriesBy(windows: WindowFigures[], pick: (w: WindowFigures) => number, suffix = ""): Series[] {
  const regions = [...new Set(windows.map((w) => w.region))];
  return regions.map((region) => ({ name: `${region}${suffix}`, points: windows.filter((w) => w.region === region).map((w) => [w.t, pick(w)] as [number, number]) }));
}

const LATENCY_KEYS: (keyof LatencySummary)[] = ["min", "mean", "p50", "p90", "p95", "p99", "p999", "max"];

function figuresRow(f: RegionFigures): Html {
  return html`<tr><th>${f.region}</th><td>${f.colo}</td><td>${f.requests}</td><td>${fmt(f.rps)}</td><td>${errorCount(f)} (${fmt(errorRate(f) * 100)}%)</td><td>${f.late}</td><td>${f.dropped}</td>${LATENCY_KEYS.map((k) => html`<td>${fmt(f.latency[k])}</td>`)}<td>${fmt(f.latencyUncorrected.p99)}</td></tr>`;
}

/** The load test as one self-contained HTML page; every value is escaped by the template tag (./html-tag). */
export function renderLoadHtml(report: LoadReport): string {
  const l = report.load;
  const thresholds = l.thresholds.length
    ? html`<table><tr><th>threshold</th><th>value</th><th>result</th></tr>${l.thresholds.map((t) => html`<tr><td><code>${t.expression}</code></td><td>${fmt(t.value, 4)}</td><td class="${t.ok ? "ok" : "bad"}">${t.ok ? "✓ pass" : "✗ fail"}</td></tr>`)}</table>`
    : html`<p>No thresholds.</p>`;
  const extra = [
    l.abort ? html`<p class="bad">Aborted: ${l.abort.reason}</p>` : "",
    l.breakingPoint !== undefined ? html`<p>Breaking point: ${l.breakingPoint ? `at ${l.breakingPoint.t} s, ${fmt(l.breakingPoint.rate)} req/s, p95 ${fmt(l.breakingPoint.p95)} ms, errors ${fmt(l.breakingPoint.errorRate * 100)}%` : "not reached"}</p>` : "",
    l.recovery !== undefined ? html`<p>Spike recovery: ${l.recovery?.recoveryMs == null ? "not recovered by the end" : `${l.recovery.recoveryMs} ms`} (baseline p95 ${fmt(l.recovery?.baselineP95 ?? 0)} ms)</p>` : "",
    l.overall.generatorLimited ? html`<p class="bad">The generator was the limit: ${l.overall.late} requests late, ${l.overall.dropped} dropped.</p>` : "",
  ];
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sentinel load test ${l.id}</title>
<style>${raw(CSS)}</style></head><body>
<h1>Load test <code>${l.id}</code>: <span class="${l.status === "passed" ? "ok" : l.status === "running" || l.status === "queued" ? "" : "bad"}">${l.status}</span></h1>
<p>${l.profile} profile against <code>${l.target}</code>: asked ${fmt(l.asked.rate)} req/s for ${fmt(l.asked.duration)} s from ${l.asked.regions.join(", ")}. Operations: ${joined(
    l.operations.map((o) => html`<code>${o}</code>`),
    ", ",
  )}.</p>
<p>Latency in milliseconds from each request's intended send time (corrected for coordinated omission); the last column is the uncorrected p99, from the actual send time.</p>
${extra}
<h2>Thresholds</h2>${thresholds}
<h2>Percentiles</h2><table><tr><th>region</th><th>colo</th><th>requests</th><th>req/s</th><th>errors</th><th>late</th><th>dropped</th>${LATENCY_KEYS.map((k) => html`<th>${k}</th>`)}<th>p99 uncorr.</th></tr>
${l.regions.map(figuresRow)}${figuresRow(l.overall)}</table>
<h2>Over time</h2>
${lineChart("p95 latency per region", "ms", seriesBy(l.windows, (w) => w.p95))}
${lineChart("p99 latency per region", "ms", seriesBy(l.windows, (w) => w.p99))}
${lineChart("Requests per second per region", "req/s", seriesBy(l.windows, (w) => w.rps))}
</body></html>`.toString();
}

export function renderLoadJunit(report: LoadReport): string {
  const l = report.load;
  const failures = l.thresholds.filter((t) => !t.ok).length + (l.abort && !l.abort.reason.startsWith("threshold") ? 1 : 0);
  const cases = l.thresholds.map((t) => {
    const name = escapeXmlAttribute(t.expression);
    const body = t.ok ? "" : `<failure message="${escapeXmlAttribute(`${t.expression}: value ${t.value}`)}" type="threshold">${escapeXml(`${t.expression} failed${t.region ? ` in ${t.region}` : " overall"}: value ${t.value}`)}</failure>`;
    return `    <testcase classname="load.thresholds" name="${name}">${body}</testcase>`;
  });
  if (l.abort && !l.abort.reason.startsWith("threshold")) {
    cases.push(`    <testcase classname="load.safety" name="target not in distress"><failure message="${escapeXmlAttribute(l.abort.reason)}" type="aborted"/></testcase>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sentinel load ${escapeXmlAttribute(l.id)}" tests="${cases.length}" failures="${failures}">
  <testsuite name="load thresholds" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${l.asked.duration}">
    <properties><property name="target" value="${escapeXmlAttribute(l.target)}"/><property name="requests" value="${l.overall.requests}"/><property name="p95_ms" value="${l.overall.latency.p95}"/></properties>
${cases.join("\n")}
  </testsuite>
</testsuites>
`;
}

/** The end-of-test summary for a terminal (`sentinel load`), k6-style: thresholds, then one row per region. */
export function renderLoadSummary(report: LoadReport): string {
  const l = report.load;
  const lines: string[] = [];
  lines.push(`load test ${l.id}  ${l.status.toUpperCase()}  ${l.profile}  ${l.target}`);
  lines.push(`asked ${fmt(l.asked.rate)} req/s for ${fmt(l.asked.duration)} s from ${l.asked.regions.join(", ")}; operations: ${l.operations.join(", ")}`);
  if (l.abort) lines.push(`aborted: ${l.abort.reason}`);
  if (l.thresholds.length) {
    lines.push("", "thresholds");
    for (const t of l.thresholds) lines.push(`  ${t.ok ? "✓" : "✗"} ${t.expression.padEnd(28)} ${fmt(t.value, 4)}`);
  }
  const header = ["region", "colo", "reqs", "req/s", "errors", "late", "dropped", "p50", "p90", "p95", "p99", "p99.9", "max", "p99 uncorr."];
  const row = (f: RegionFigures) => [f.region, f.colo, String(f.requests), fmt(f.rps), `${errorCount(f)} (${fmt(errorRate(f) * 100)}%)`, String(f.late), String(f.dropped), ...(["p50", "p90", "p95", "p99", "p999", "max"] as const).map((k) => fmt(f.latency[k])), fmt(f.latencyUncorrected.p99)];
  const rows = [header, ...l.regions.map(row), row(l.overall)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  lines.push("", "latency in ms from the intended send time");
  for (const r of rows) lines.push("  " + r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  if (l.overall.generatorLimited) lines.push("", `the generator was the limit: ${l.overall.late} late, ${l.overall.dropped} dropped (raise --max-in-flight or add regions)`);
  if (l.breakingPoint !== undefined) lines.push("", l.breakingPoint ? `breaking point: ${fmt(l.breakingPoint.rate)} req/s at ${l.breakingPoint.t} s (p95 ${fmt(l.breakingPoint.p95)} ms, errors ${fmt(l.breakingPoint.errorRate * 100)}%)` : "breaking point: not reached");
  if (l.recovery !== undefined) lines.push("", l.recovery?.recoveryMs == null ? "spike recovery: not recovered by the end" : `spike recovery: ${l.recovery.recoveryMs} ms`);
  return lines.join("\n") + "\n";
}
