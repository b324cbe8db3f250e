import { describe, expect, it } from "vitest";
import { toHtml } from "./html";
import { SEVERITIES } from "../model";
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

  it("names the method and path of every operation in the per-operation table, also those without findings", () => {
    const operations = { listPets: { method: "get", path: "/pets" }, getPet: { method: "get", path: "/pets/{petId}" }, createPet: { method: "post", path: "/pets" } };
    // no finding names createPet or listPets' method: the spec's operations do
    const page = toHtml({ report: sampleReport([]), cases: SAMPLE_CASES, operations });
    const table = page.slice(page.indexOf("<h2>Cases per operation</h2>"));
    const rows = [...table.matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td><code>([^<]*)<\/code>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([["createPet", "POST /pets"], ["getPet", "GET /pets/{petId}"], ["listPets", "GET /pets"]]);
    // without the spec's operations: from the findings, else from the request the case sent
    const bare = toHtml({ report: sampleReport([]), cases: SAMPLE_CASES });
    const named = [...bare.slice(bare.indexOf("<h2>Cases per operation</h2>")).matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td><code>([^<]*)<\/code>/g)].map((m) => m[2]);
    expect(named.every((label) => /^(GET|POST) \//.test(label))).toBe(true);
  });

  it("lists skipped cases with their reason and counts them beside the others", () => {
    expect(html).toMatch(/<b>1<\/b><span>skipped<\/span>/);
    expect(html).toContain("<h2>Skipped: 1 case</h2>");
    expect(html).toContain("<summary>1 × create returned 400</summary>");
  });

  it("shows a chain finding's steps in order and its reproduction script", () => {
    const uaf = html.slice(html.indexOf('id="finding-f-uaf"'));
    expect(uaf).toContain('<ol class="steps"><li><code>create (as alice): POST http://127.0.0.1:8787/pets → 201</code></li>');
    expect(uaf).toContain("SENTINEL_VAR_PETID=$(jq -r &#39;getpath([&quot;id&quot;])&#39;");
  });

  it("severity labels meet WCAG AA contrast (4.5:1) wherever they appear", () => {
    const labels = sevLabels(html);
    expect(new Set(labels.map((l) => l.severity))).toEqual(new Set(SEVERITIES));
    expect(labels.some((l) => l.ancestors.some((a) => a.classes.includes("card")))).toBe(true);
    const rules = parseCss(html);
    for (const label of labels) {
      const text = computed(rules, [...label.ancestors, label.element], "color") ?? "#000000";
      const background = computed(rules, [label.element], "background") ?? "#ffffff";
      const ratio = contrast(text, background);
      expect(ratio, `${label.severity} label in ${label.ancestors.map((a) => a.tag + a.classes.map((c) => "." + c).join("")).join(" > ")}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

// ---- a small CSS cascade over Sentinel's own (simple) stylesheet: enough to compute a label's colours

interface El {
  tag: string;
  classes: string[];
}

interface Rule {
  selector: string;
  specificity: number;
  order: number;
  decls: Record<string, string>;
}

/** Every element with class "sev", with its ancestors, from the generated markup. */
function sevLabels(page: string): { severity: string; element: El; ancestors: El[] }[] {
  const stack: El[] = [];
  const out: { severity: string; element: El; ancestors: El[] }[] = [];
  const body = page.slice(page.indexOf("<body>"));
  const VOID = new Set(["meta", "br", "img", "input", "hr", "link"]);
  for (const m of body.replace(/<script>[\s\S]*?<\/script>/g, "").matchAll(/<(\/?)([a-z0-9]+)([^>]*)>/g)) {
    const [, closing, tag, attrs] = m;
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
      continue;
    }
    const classes = /class="([^"]*)"/.exec(attrs)?.[1].split(/\s+/).filter(Boolean) ?? [];
    const el = { tag, classes };
    if (classes.includes("sev")) out.push({ severity: classes.find((c) => c.startsWith("sev-"))!.slice(4), element: el, ancestors: [...stack] });
    if (!VOID.has(tag) && !attrs.endsWith("/")) stack.push(el);
  }
  return out;
}

function parseCss(page: string): { rules: Rule[]; vars: Record<string, string> } {
  const css = /<style>([\s\S]*?)<\/style>/.exec(page)![1].replace(/@media[^{]*\{([^{}]*\{[^}]*\})*\s*\}/g, "");
  const rules: Rule[] = [];
  const vars: Record<string, string> = {};
  let order = 0;
  for (const m of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const decls: Record<string, string> = {};
    for (const d of m[2].split(";")) {
      const colon = d.indexOf(":");
      if (colon > 0) decls[d.slice(0, colon).trim()] = d.slice(colon + 1).trim();
    }
    for (const selector of m[1].split(",").map((x) => x.trim())) {
      if (selector === ":root") Object.assign(vars, decls);
      else rules.push({ selector, specificity: specificity(selector), order: order++, decls });
    }
  }
  return { rules, vars };
}

function specificity(selector: string): number {
  const classes = (selector.match(/[.:][a-z-]+/gi) ?? []).filter((c) => c !== ":not").length;
  const tags = selector.replace(/:not\([^)]*\)|[.:][a-z0-9-]+|\[[^\]]*\]/gi, " ").split(/[\s>+~]+/).filter((t) => /^[a-z]/i.test(t)).length;
  return classes * 100 + tags;
}

/** Does a compound selector (tag.class:not(.x)) match the element? */
function compoundMatches(compound: string, el: El): boolean {
  if (compound === "*") return true;
  for (const not of compound.matchAll(/:not\(\.([a-z0-9-]+)\)/gi)) if (el.classes.includes(not[1])) return false;
  const rest = compound.replace(/:not\([^)]*\)/g, "");
  if (/:[a-z]/i.test(rest)) return false; // :hover and other states: not a resting label
  const tag = /^[a-z0-9]+/i.exec(rest)?.[0];
  if (tag && tag !== el.tag) return false;
  return [...rest.matchAll(/\.([a-z0-9-]+)/gi)].every((c) => el.classes.includes(c[1]));
}

/** Descendant (space) and child (>) combinators, matched right to left. */
function matches(selector: string, path: El[]): boolean {
  const parts = selector.replace(/\s*>\s*/g, " > ").split(/\s+/);
  let i = path.length - 1;
  if (!compoundMatches(parts[parts.length - 1], path[i])) return false;
  for (let p = parts.length - 2; p >= 0; p--) {
    const child = parts[p] === ">";
    if (child) p--;
    let found = false;
    for (let j = i - 1; j >= 0; j--) {
      if (compoundMatches(parts[p], path[j])) {
        i = j;
        found = true;
        break;
      }
      if (child) break;
    }
    if (!found) return false;
  }
  return true;
}

/** The cascaded value of `property` for the last element of `path`, inherited from ancestors for color. */
function computed({ rules, vars }: { rules: Rule[]; vars: Record<string, string> }, path: El[], property: string): string | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const sub = path.slice(0, depth);
    const winner = rules
      .filter((r) => r.decls[property] !== undefined && matches(r.selector, sub))
      .sort((a, b) => b.specificity - a.specificity || b.order - a.order)[0];
    if (winner) return winner.decls[property].replace(/var\((--[a-z-]+)\)/g, (_, name: string) => vars[name]);
    if (property !== "color") return undefined; // only colour inherits
  }
  return undefined;
}

function luminance(hex: string): number {
  const h = hex.replace("#", "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
