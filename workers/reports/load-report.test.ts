import { describe, expect, it } from "vitest";
import type { LatencySummary } from "../load/histogram";
import type { LoadReport, RegionFigures } from "../load/types";
import { renderLoadHtml, renderLoadJunit } from "./load-report";

/** Every value a target or a user names can carry markup: region names, operation ids, the target, thresholds, the abort reason. */
const HOSTILE = `<script>alert("x")</script> & 'quoted'`;

const latency = (base: number): LatencySummary => ({ min: base, mean: base + 0.5, p50: base + 1, p90: base + 2, p95: base + 3.25, p99: base + 4, p999: base + 5, max: base + 6 });

function figures(region: string, colo: string, requests: number): RegionFigures {
  return { region, colo, requests, errors: { byStatus: { "500": 2 }, byKind: { http: 2, timeout: 1 } }, rps: requests / 10, late: 1, dropped: 0, latency: latency(10), latencyUncorrected: latency(8), generatorLimited: true };
}

function hostileLoadReport(): LoadReport {
  const region = `weur"><img src=x onerror=alert(1)>`;
  return {
    load: {
      id: `lt-<b>&"'`,
      status: "aborted",
      profile: "stress",
      target: `http://127.0.0.1:8787/?a=1&b=<i>"'`,
      operations: ["listPets", `get<script>alert(1)</script>Pet`],
      startedAt: "2026-12-07T00:00:00.000Z",
      finishedAt: "2026-12-07T00:00:10.000Z",
      asked: { rate: 50, duration: 10, regions: [region, "wnam"] },
      regions: [figures(region, `CDG<&>`, 400), figures("wnam", "SJC", 100)],
      overall: figures("overall", "", 500),
      windows: [
        { t: 0, region, requests: 40, errors: 0, rps: 40, p50: 10, p95: 20, p99: 30 },
        { t: 5, region, requests: 45, errors: 1, rps: 45, p50: 11, p95: 22.5, p99: 33 },
        { t: 0, region: "wnam", requests: 10, errors: 0, rps: 10, p50: 12, p95: 24, p99: 36 },
      ],
      thresholds: [
        { expression: `p(95)<300 & "x" '<script>'`, value: 23.25, ok: false },
        { expression: "http_req_failed<0.01", value: 0.004, ok: true },
      ],
      histogram: "",
      breakingPoint: { t: 5, rate: 45, p95: 22.5, errorRate: 0.02 },
      recovery: { baselineP95: 20, recoveryMs: null },
      abort: { reason: `target in distress: ${HOSTILE}` },
    },
  };
}

describe("renderLoadHtml", () => {
  const page = renderLoadHtml(hostileLoadReport());

  it("escapes every value the target or the user named: only Sentinel's own markup is markup", () => {
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>&");
    expect(page).not.toContain("<i>");
    expect(page).toContain("<title>Sentinel load test lt-&lt;b&gt;&amp;&quot;&#39;</title>");
    expect(page).toContain("Aborted: target in distress: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</p>");
    expect(page).toContain("<code>http://127.0.0.1:8787/?a=1&amp;b=&lt;i&gt;&quot;&#39;</code>");
    expect(page).toContain("<code>get&lt;script&gt;alert(1)&lt;/script&gt;Pet</code>");
    expect(page).toContain("<td><code>p(95)&lt;300 &amp; &quot;x&quot; &#39;&lt;script&gt;&#39;</code></td>");
    // a region name in a table header, an SVG <title>, the legend and the asked regions
    expect(page).toContain("<tr><th>weur&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</th><td>CDG&lt;&amp;&gt;</td>");
    expect(page).toContain("<title>weur&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</title>");
    expect(page).toContain("■ weur&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</tspan>");
    expect(page).toContain("from weur&quot;&gt;&lt;img src=x onerror=alert(1)&gt;, wnam.");
  });

  it("shows the figures, thresholds and charts", () => {
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<span class="bad">aborted</span>');
    expect(page).toContain('<td class="bad">✗ fail</td>');
    expect(page).toContain('<td class="ok">✓ pass</td>');
    expect(page).toContain("<td>3 (0.60%)</td>");
    expect(page).toContain("<p>Breaking point: at 5 s, 45 req/s, p95 22.50 ms, errors 2%</p>");
    expect(page).toContain("<p>Spike recovery: not recovered by the end (baseline p95 20 ms)</p>");
    expect(page).toContain('<p class="bad">The generator was the limit: 1 requests late, 0 dropped.</p>');
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(page.match(/<polyline /g)).toHaveLength(6);
    expect(page).toContain('aria-label="p95 latency per region"');
    expect(page.endsWith("</body></html>")).toBe(true);
  });

  it("says so when there are no thresholds and omits what the profile did not measure", () => {
    const base = hostileLoadReport();
    const quiet = renderLoadHtml({ load: { ...base.load, status: "passed", thresholds: [], breakingPoint: undefined, recovery: undefined, abort: null, overall: { ...base.load.overall, generatorLimited: false } } });
    expect(quiet).toContain("<p>No thresholds.</p>");
    expect(quiet).toContain('<span class="ok">passed</span>');
    expect(quiet).not.toContain("Breaking point");
    expect(quiet).not.toContain("Spike recovery");
    expect(quiet).not.toContain("Aborted");
    expect(quiet).not.toContain("generator was the limit");
  });
});

describe("renderLoadJunit", () => {
  it("escapes threshold expressions and the abort reason as XML", () => {
    const xml = renderLoadJunit(hostileLoadReport());
    expect(xml).not.toContain("<script>");
    expect(xml).toContain('name="p(95)&lt;300 &amp; &quot;x&quot; &apos;&lt;script&gt;&apos;"');
    expect(xml).toContain('<failure message="target in distress: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos;" type="aborted"/>');
  });
});
