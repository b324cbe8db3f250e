/**
 * Invariants inferred from observed responses, end to end inside workerd: a run against the clean
 * demo API stores what every successful response agreed on; a second run against the clean API
 * checks them and reports nothing; a run against the demo with one regression fault that the spec
 * states no rule about (the page's `offset` field says 0 whatever was asked) reports exactly the
 * invariant it breaks, with its wording and a lower confidence. Real planner, queue, executor, D1 and R2; only the target is outside.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { Finding } from "../../workers/model";
import { listOracles } from "../../workers/storage/oracles-repo";
import { newOrgWithKey } from "./gateway-helpers";

async function api(key: string, method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(`http://sentinel.test/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function run(key: string, url: string, seed: number): Promise<{ status: string; findings: Finding[] }> {
  const created = await api(key, "POST", "/runs", {
    spec: { inline: inject("demoSpec") },
    target: { url, identities: { alice: { Authorization: `Bearer ${inject("demoToken")}` } } },
    include: ["searchItems", "listItems", "getItem"],
    seed,
  });
  expect(created.status, await created.clone().text()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  const until = Date.now() + 60_000;
  for (;;) {
    const view = (await (await api(key, "GET", `/runs/${id}`)).json()) as { status: string };
    if (["passed", "failed", "errored", "cancelled"].includes(view.status)) {
      const report = (await (await api(key, "GET", `/runs/${id}/report`)).json()) as { findings: Finding[] };
      return { status: view.status, findings: report.findings };
    }
    if (Date.now() > until) throw new Error(`run ${id} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("inferred invariants across runs", () => {
  it("run 1 infers, run 2 on the correct API reports nothing, a run on the faulty variant reports exactly the broken invariant", { timeout: 180_000 }, async () => {
    const { orgId, key } = await newOrgWithKey("admin", "invariants");
    const first = await run(key, inject("demoUrl"), 5);
    expect(first.findings.filter((f) => f.check === "inferred_invariant")).toEqual([]);
    const stored = await listOracles(env.DB, orgId, "inline-demo-shop-api");
    const inferred = stored.filter((o) => o.source === "inferred");
    expect(inferred.map((o) => o.sentence)).toEqual(expect.arrayContaining(["size(/items) <= query parameter limit", "/offset equals the query parameter offset"]));
    for (const o of inferred) {
      expect(o.status).toBe("proposed");
      expect(o.observations).toBeGreaterThanOrEqual(5);
    }
    // observations are gone once the run has learnt from them
    expect((await env.DB.prepare(`SELECT COUNT(*) AS n FROM observations WHERE org_id = ?`).bind(orgId).first<{ n: number }>())!.n).toBe(0);

    const again = await run(key, inject("demoUrl"), 6);
    expect(again.findings.filter((f) => f.check === "inferred_invariant")).toEqual([]);

    const faulty = await run(key, inject("demoRegressionUrl"), 7);
    const broken = faulty.findings.filter((f) => f.check === "inferred_invariant");
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({
      operation: { method: "get", path: "/items", operationId: "listItems" },
      source: "inferred",
      severity: "low",
      oracle: { status: "proposed", sentence: "/offset equals the query parameter offset" },
    });
    expect(broken[0].confidence).toBeLessThan(1);
    expect(broken[0].message).toContain("/offset equals the query parameter offset");
  });
});
