import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import type { Fetch } from "../../workers/orchestrator/auth/provision";
import { recheckIdentities, refusedIdentities, runPreflight } from "./preflight";

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
    expect(result.report.identities.map((i) => [i.name, i.source, i.ok, i.detail])).toEqual([["alice", "given", true, "GET /me → 200"], ["bob", "given", false, "401 on GET /me"]]);
    expect(result.report.identities[0].account).toEqual({ email: "a@example.com" });
    expect(result.report.authorization).toBe("authorization between users not tested: only alice works (bob: 401 on GET /me)");
    expect(result.identities).toEqual({ alice: { Authorization: "Bearer a" }, bob: { Authorization: "Bearer b" } });
  });

  it("reads each identity's role from its profile; a declared role wins", async () => {
    const roles: Record<string, unknown> = { a: "owner", b: "owner", c: "respondent" };
    const profiles: Fetch = async (_url, init) => {
      const token = String((init.headers as Record<string, string>).Authorization ?? "").replace("Bearer ", "");
      return new Response(JSON.stringify({ email: `${token}@example.com`, role: roles[token] }), { status: 200 });
    };
    const identities = { olivia: { Authorization: "Bearer a" }, oscar: { Authorization: "Bearer b" }, rhea: { Authorization: "Bearer c" } };
    const inferred = await runPreflight({ model, target: "http://t.test", identities, fetch: profiles });
    expect(inferred.report.identities.map((i) => [i.name, i.role])).toEqual([["olivia", "owner"], ["oscar", "owner"], ["rhea", "respondent"]]);
    expect(inferred.lines[2]).toBe("rhea: works — given (GET /me → 200); role respondent");
    const declared = await runPreflight({ model, target: "http://t.test", identities, roles: { oscar: "editor" }, fetch: profiles });
    expect(declared.report.identities.map((i) => i.role)).toEqual(["owner", "editor", "respondent"]);
  });

  it("an identity forbidden its own profile works when the same read without credentials is refused", async () => {
    // "r" is a valid token without the profile's scope: 403 with it, 401 without any
    const scoped: Fetch = async (_url, init) => {
      const token = String((init.headers as Record<string, string>).Authorization ?? "").replace("Bearer ", "");
      return new Response("{}", { status: token === "a" ? 200 : token === "r" ? 403 : 401 });
    };
    const identities = { alice: { Authorization: "Bearer a" }, reader: { Authorization: "Bearer r" } };
    const result = await runPreflight({ model, target: "http://t.test", identities, fetch: scoped });
    expect(result.report.identities.map((i) => [i.name, i.ok, i.detail])).toEqual([["alice", true, "GET /me → 200"], ["reader", true, "credentials accepted (GET /me → 403 with them, 401 without: a permission or scope it lacks, not its credentials)"]]);
    expect(result.report.authorization).toBeUndefined();
    // a target that answers 403 to anyone: nothing tells whether the credentials work, and the note says so
    const closed = await runPreflight({ model, target: "http://t.test", identities, fetch: async (_url, init) => new Response("{}", { status: String((init.headers as Record<string, string>).Authorization).endsWith(" a") ? 200 : 403 }) });
    expect(closed.report.authorization).toBe("authorization between users not tested: only alice works (reader: 403 on GET /me, and 403 without credentials: whether its credentials work is unknown)");
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
    expect(lines).toEqual(["bob stopped working during the run (401 on GET /me afterwards): findings on its later requests may be consequences of that, not faults of their own"]);
    expect(before.report.identities[0].afterRun).toBeUndefined();
    expect(before.report.identities[1].afterRun).toMatch(/^stopped working/);
  });

  it("verifies given identities with a /me whose answer names no user, else with any secured GET, and says when they are refused", async () => {
    const op = (path: string, operationId: string, extra: Record<string, unknown> = {}) => ({ operationId, method: "get", path, tags: [], deprecated: false, parameters: [], security: [{ bearer: [] }], pointer: "#",
      responses: [{ status: "200", content: [{ contentType: json, schema: { type: "object", properties: { clientName: { type: "string" } } } }], headers: [], links: [] }], ...extra });
    const seen: string[] = [];
    const recording = (inner: Fetch): Fetch => async (url, init) => (seen.push(`${init.method} ${new URL(url).pathname}`), inner(url, init));
    const withMe = { ...model, operations: [op("/things", "listThings"), op("/me", "getMe")] } as unknown as ApiModel;
    const empty = { alice: { Authorization: "Bearer " }, bob: { Authorization: "Bearer " } };
    const refused = await runPreflight({ model: withMe, target: "http://t.test", identities: empty, fetch: recording(target(new Set(["a"]))) });
    expect(seen).toEqual(["GET /me", "GET /me"]);
    expect(refused.lines[0]).toBe("alice: does not work: 401 on GET /me — given");
    expect(refusedIdentities(refused.report)).toEqual({ fatal: true, message: "error: given identities not accepted by the target: alice (401 on GET /me); bob (401 on GET /me) — no secured operation was tested as a signed-in user" });
    expect(refused.report.authorization).toBe("authorization between users not tested: no identity works (alice: 401 on GET /me; bob: 401 on GET /me)");

    // no /me at all: a secured list without required parameters; there only a 401 is a refusal
    const listOnly = { ...model, operations: [op("/things/{id}", "getThing"), op("/things", "listThings", { parameters: [{ name: "q", in: "query", required: true, schema: { type: "string" } }] }), op("/orders", "listOrders")] } as unknown as ApiModel;
    seen.length = 0;
    const byList = await runPreflight({ model: listOnly, target: "http://t.test", identities: { alice: { Authorization: "Bearer a" }, bob: { Authorization: "Bearer " } }, fetch: recording(target(new Set(["a"]))) });
    expect(seen).toEqual(["GET /orders", "GET /orders"]);
    expect(byList.report.identities.map((i) => [i.name, i.ok, i.detail])).toEqual([["alice", true, "GET /orders → 200"], ["bob", false, "401 on GET /orders"]]);
    expect(refusedIdentities(byList.report)?.fatal).toBe(false);
    const forbidden: Fetch = async () => new Response("{}", { status: 403 });
    const scoped = await runPreflight({ model: listOnly, target: "http://t.test", identities: { alice: { Authorization: "Bearer a" } }, fetch: forbidden });
    expect(scoped.report.identities.map((i) => [i.ok, i.detail])).toEqual([[true, "not verified (GET /orders → 403)"]]);
    expect(refusedIdentities(scoped.report)).toBeUndefined();
  });
});
