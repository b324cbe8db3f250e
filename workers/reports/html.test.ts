import { describe, expect, it } from "vitest";
import { toHtml } from "./html";
import { SAMPLE_CASES, sampleReport } from "./test-fixtures";

/** Every src= / href= / … attribute value of a real tag, and every CSS url(…), in the document. */
function references(html: string): string[] {
  const refs: string[] = [];
  // Escaped text holds "&lt;", so only markup Sentinel wrote starts with a literal "<".
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const m of tag[0].matchAll(/\s(?:src|href|action|poster|data|srcset|formaction)\s*=\s*(["']?)([^"'\s>]*)\1/gi)) refs.push(m[2]);
  }
  for (const m of html.matchAll(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi)) refs.push(m[2]);
  return refs;
}

describe("toHtml", () => {
  const html = toHtml({ report: sampleReport(), cases: SAMPLE_CASES }, { toolVersion: "0.1.0" });

  it("is self-contained: no external URL in any src/href and no <link> or external script", () => {
    expect(references(html).filter((r) => r !== "" && !r.startsWith("#") && !r.startsWith("data:"))).toEqual([]);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]+src/i);
    expect(html).toContain("Content-Security-Policy");
  });

  it("escapes hostile response bodies and titles", () => {
    // The fixture's bodies carry <script>alert and <img src="http://evil…">: only escaped forms may remain.
    expect(html).not.toContain('<script>alert("x")');
    expect(html).not.toContain('<img src="http://evil');
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("Pet &lt;Store&gt; &amp; Co");
    expect(html.match(/<script>/g)).toHaveLength(1); // the copy-button script only
  });

  it("groups findings by severity, worst first, each with its curl line", () => {
    const order = ["critical", "high", "medium", "low", "info"].map((s) => html.indexOf(`<h2><span class="sev sev-${s}">`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain("curl -sS -X POST &#39;http://127.0.0.1:8787/pets?x=1&amp;y=%3Cz%3E&#39;");
    expect(html.match(/data-copy/g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain("No response (network error or timeout).");
  });

  it("says so when there is nothing to report", () => {
    expect(toHtml({ report: sampleReport([]) })).toContain("No findings.");
  });
});
