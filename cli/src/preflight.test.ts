import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import type { Fetch } from "../../workers/orchestrator/auth/provision";
import { recheckIdentities, runPreflight } from "./preflight";

const json = "application/json";
const model = {
  sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {},
  securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
  operations: [
    { operationId: "me", method: "get", path: "/me", tags: [], deprecated: false, parameters: [], security: [{ bearer: [] }], pointer: "#",
      responses: [{ status: "200", content: [{ contentType: json, schema: { type: "object", properties: { email: { type: "string", format: "email" } } } }], headers: [], links: [] }] },
  ],
} as unknown as ApiModel;

/** The target: tokens in `valid` work on /me. */
const target = (valid: Set<string>): Fetch => async (_url, init) => {
  const token = String((init.headers as Record<string, string>).Authorization ?? "").replace("Bearer ", "");
  return valid.has(token) ? new Response(JSON.stringify({ email: `${token}@example.com` }), { status: 200 }) : new Response("{}", { status: 401 });
};

describe("pre-flight of identities", () => {
  it("checks given identities against /me and says why authorization between users cannot run", async () => {
    const result = await runPreflight({ model, target: "http://t.test", identities: { alice: { Authorization: "Bearer a" }, bob: { Authorization: "Bearer b" } }, fetch: target(new Set(["a"])) });
    expect(result.report.identities.map((i) => [i.name, i.source, i.ok, i.detail])).toEqual([["alice", "given", true, "GET /me → 200"], ["bob", "given", false, "GET /me → 401"]]);
    expect(result.report.identities[0].account).toEqual({ email: "a@example.com" });
    expect(result.report.authorization).toBe("authorization between users not tested: only alice works (bob: GET /me → 401)");
    expect(result.identities).toEqual({ alice: { Authorization: "Bearer a" }, bob: { Authorization: "Bearer b" } });
  });

  it("without identities or a signup/login flow, the reason is the inference's", async () => {
    const result = await runPreflight({ model, target: "http://t.test", fetch: target(new Set()) });
    expect(result.identities).toBeUndefined();
    expect(result.report.authorization).toMatch(/^authorization between users not tested: no identity given and none could be provisioned \(no public operation takes a password/);
  });

  it("after the run, names an identity that stopped working", async () => {
    const valid = new Set(["a", "b"]);
    const identities = { alice: { Authorization: "Bearer a" }, bob: { Authorization: "Bearer b" } };
    const before = await runPreflight({ model, target: "http://t.test", identities, fetch: target(valid) });
    expect(before.report.authorization).toBeUndefined();
    valid.delete("b");
    const lines = await recheckIdentities({ model, target: "http://t.test", identities, report: before.report, fetch: target(valid) });
    expect(lines).toEqual(["bob stopped working during the run (GET /me → 401 afterwards): findings on its later requests may be consequences of that, not faults of their own"]);
    expect(before.report.identities[0].afterRun).toBeUndefined();
    expect(before.report.identities[1].afterRun).toMatch(/^stopped working/);
  });
});
