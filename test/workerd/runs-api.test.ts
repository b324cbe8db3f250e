/**
 * The runs REST API end to end inside workerd: POST /api/v1/runs plans with the real planner,
 * the queue and executor run the cases against the local target, and the read routes, the event
 * stream, cancel and the report show the outcome.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ReportSchema } from "../../workers/reports/types";
import { targetUrl } from "./runs-helpers";

const ADMIN = "sk_test_bootstrap_admin_key_0000000000";
const SECRET = "Bearer top-secret-value-42";

const SPEC = `
openapi: 3.1.0
info: { title: Pipeline API, version: 2.0.0 }
paths:
  /ok/{n}:
    get:
      operationId: getOk
      parameters: [{ name: n, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
  /error/{n}:
    get:
      operationId: getError
      parameters: [{ name: n, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
`;

const HANG_SPEC = `
openapi: 3.1.0
info: { title: Hanging API, version: 1.0.0 }
paths:
  /hang/{n}:
    get:
      operationId: getHang
      parameters: [{ name: n, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok } }
`;

async function api(method: string, path: string, body?: unknown, key = ADMIN): Promise<Response> {
  return exports.default.fetch(`http://sentinel.test/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function json<T = Record<string, any>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function createRun(body: Record<string, unknown>): Promise<{ id: string; links: Record<string, string> }> {
  const res = await api("POST", "/runs", body);
  expect(res.status, await res.clone().text()).toBe(202);
  return json(res);
}

async function waitDone(id: string, timeoutMs = 40_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await json(await api("GET", `/runs/${id}`));
    if (["passed", "failed", "errored", "cancelled"].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("runs API", () => {
  it("starts a run from an inline spec, executes it and serves results, findings and the report", async () => {
    const created = await createRun({
      spec: { inline: SPEC },
      target: { url: targetUrl(), identities: { alice: { Authorization: SECRET } } },
      agents: ["functional-positive"],
      seed: 7,
      limits: { timeoutMs: 3000 },
    });
    expect(created.id).toMatch(/^run_/);
    expect(created.links).toEqual({
      self: `/api/v1/runs/${created.id}`,
      events: `/api/v1/runs/${created.id}/events`,
      results: `/api/v1/runs/${created.id}/results`,
      findings: `/api/v1/runs/${created.id}/findings`,
      report: `/api/v1/runs/${created.id}/report`,
    });

    const run = await waitDone(created.id);
    expect(run.status).toBe("failed"); // /error answers 500
    expect(run.seed).toBe(7);
    expect(run.spec).toEqual({ title: "Pipeline API", version: "2.0.0", operations: 2 });
    expect(run.identities).toEqual(["alice"]);
    expect(run.stats.cases).toBeGreaterThan(0);
    expect(run.finishedAt).toMatch(/^\d{4}-/);

    // every result, page by page, exactly once
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { caseId: string; status: string }[]; nextCursor: string | null } = await json(
        await api("GET", `/runs/${created.id}/results?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.caseId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(run.stats.cases);
    expect(new Set(seen).size).toBe(seen.length);

    const failed = await json(await api("GET", `/runs/${created.id}/results?status=failed&operation=getError`));
    expect(failed.items.length).toBeGreaterThan(0);
    expect(failed.items.every((r: { status: string; operationId: string }) => r.status === "failed" && r.operationId === "getError")).toBe(true);
    const serverErrors = await json(await api("GET", `/runs/${created.id}/results?check=not_a_server_error`));
    expect(serverErrors.items.length).toBeGreaterThan(0);

    const findings = await json(await api("GET", `/runs/${created.id}/findings`));
    const serverError = findings.items.find((f: { check: string }) => f.check === "not_a_server_error");
    expect(serverError).toMatchObject({ operation: { operationId: "getError", path: "/error/{n}" } });
    expect(serverError.occurrences).toBeGreaterThan(0);
    expect(serverError.curl).toContain("/error/");
    expect(JSON.stringify(findings)).not.toContain("top-secret-value-42");

    const report = await json(await api("GET", `/runs/${created.id}/report`));
    expect(ReportSchema.parse(report)).toEqual(report);
    expect(report.run).toMatchObject({ id: created.id, status: "failed", target: targetUrl(), seed: 7, spec: { title: "Pipeline API", operations: 2 } });
    expect(report.run.stats.cases).toBe(run.stats.cases);

    // credentials never reach D1 in clear
    const row = await env.DB.prepare(`SELECT config FROM runs WHERE id = ?`).bind(created.id).first<{ config: string }>();
    expect(row!.config).not.toContain("top-secret-value-42");
    const { results } = await env.DB.prepare(`SELECT exchanges FROM results WHERE run_id = ?`).bind(created.id).all<{ exchanges: string }>();
    expect(results.some((r) => r.exchanges.includes("top-secret-value-42"))).toBe(false);
  });

  it("leaves out the burst of failed sign-ins when the run says authBurst: false", async () => {
    const body = (props: string) => `{ required: true, content: { application/json: { schema: { type: object, required: [username, password], properties: { ${props} } } } } }`;
    const spec = `
openapi: 3.1.0
info: { title: Burst API, version: 1.0.0 }
components: { securitySchemes: { bearer: { type: http, scheme: bearer } } }
security: [{ bearer: [] }]
paths:
  /record/burst-signup:
    post:
      operationId: signup
      security: []
      requestBody: ${body("username: { type: string }, password: { type: string }, email: { type: string, format: email }")}
      responses: { "201": { description: made } }
  /record/burst-login:
    post:
      operationId: login
      security: []
      requestBody: ${body("username: { type: string }, password: { type: string }")}
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object, properties: { token: { type: string } } } } } } }
  /ok/me:
    get:
      operationId: me
      responses: { "200": { description: ok } }
`;
    const created = await createRun({ spec: { inline: spec }, target: { url: targetUrl() }, agents: ["security-auth"], seed: 3, authBurst: false });
    await waitDone(created.id);
    const logins = (await (await fetch(`${targetUrl()}/__records/burst-login`)).json()) as unknown[];
    // the user-enumeration comparison still signs in a few times; the 40-attempt burst is gone
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.length).toBeLessThan(10);
    const row = await env.DB.prepare(`SELECT config FROM runs WHERE id = ?`).bind(created.id).first<{ config: string }>();
    expect(JSON.parse(row!.config).authBurst).toBe(false);
  });

  it("calls an operation as an identity lacking its OAuth scope when the run is told each identity's scopes", async () => {
    const spec = `
openapi: 3.1.0
info: { title: Scoped API, version: 1.0.0 }
components: { securitySchemes: { oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: /oauth/token, scopes: { "things:read": read, "things:write": write } } } } } }
paths:
  /record/scoped-write:
    post:
      operationId: writeThing
      security: [{ oauth: ["things:write"] }]
      responses: { "200": { description: ok }, "403": { description: the scope is missing } }
`;
    const identities = { dispatch: { Authorization: "Bearer dispatch-token" }, auditor: { Authorization: "Bearer auditor-token" } };
    const created = await createRun({ spec: { inline: spec }, target: { url: targetUrl(), identities, identityScopes: { dispatch: ["things:read", "things:write"], auditor: ["things:read"] } }, agents: ["security-auth"], seed: 3 });
    await waitDone(created.id);
    // the recording target accepts any token: the read-only auditor's write is the BFLA finding
    const calls = (await (await fetch(`${targetUrl()}/__records/scoped-write`)).json()) as { headers: Record<string, string> }[];
    expect(calls.some((c) => c.headers.authorization === "Bearer auditor-token")).toBe(true);
    const findings = (await json<{ items: { check: string; message: string }[] }>(await api("GET", `/runs/${created.id}/findings`))).items;
    expect(findings.filter((f) => f.check === "bfla").map((f) => f.message)).toEqual([expect.stringContaining('"auditor" lacks the scope things:write')]);
  });

  it("calls a privileged operation only as an identity of another role than the first one's, when the run is told the roles", async () => {
    const spec = `
openapi: 3.1.0
info: { title: Roles API, version: 1.0.0 }
components: { securitySchemes: { bearer: { type: http, scheme: bearer } } }
security: [{ bearer: [] }]
paths:
  /record/role-admin:
    post:
      operationId: changeRole
      tags: [admin]
      responses: { "200": { description: ok }, "403": { description: owners only } }
`;
    const identities = { olivia: { Authorization: "Bearer olivia-token" }, oscar: { Authorization: "Bearer oscar-token" }, rhea: { Authorization: "Bearer rhea-token" } };
    const created = await createRun({ spec: { inline: spec }, target: { url: targetUrl(), identities, identityRoles: { olivia: "owner", oscar: "owner", rhea: "respondent" } }, agents: ["security-auth"], seed: 3 });
    await waitDone(created.id);
    // oscar is olivia's peer: never the attacker; rhea, a respondent, is
    const calls = (await (await fetch(`${targetUrl()}/__records/role-admin`)).json()) as { headers: Record<string, string> }[];
    expect(calls.some((c) => c.headers.authorization === "Bearer rhea-token")).toBe(true);
    expect(calls.some((c) => c.headers.authorization === "Bearer oscar-token")).toBe(false);
    const findings = (await json<{ items: { check: string; message: string }[] }>(await api("GET", `/runs/${created.id}/findings`))).items;
    expect(findings.filter((f) => f.check === "bfla").map((f) => f.message)).toEqual([expect.stringContaining('"rhea"')]);
  });

  it("streams progress as Server-Sent Events until the run ends", async () => {
    const created = await createRun({ spec: { inline: SPEC }, target: { url: targetUrl() }, agents: ["functional-positive"] });
    const res = await api("GET", `/runs/${created.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text(); // the stream closes after the end event
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1], data: JSON.parse(m[2]) }));
    expect(events[0].event).toBe("progress");
    const end = events[events.length - 1];
    expect(end.event).toBe("end");
    expect(["passed", "failed"]).toContain(end.data.status);
    expect(end.data.progress.done).toBe(end.data.progress.cases);
  });

  it("cancels a running run", async () => {
    const created = await createRun({ spec: { inline: HANG_SPEC }, target: { url: targetUrl() }, agents: ["functional-positive"], limits: { timeoutMs: 5000 } });
    await new Promise((r) => setTimeout(r, 300));
    const res = await api("POST", `/runs/${created.id}/cancel`);
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe("cancelled");
    const run = await waitDone(created.id, 5000);
    expect(run.status).toBe("cancelled");
    const results = await json(await api("GET", `/runs/${created.id}/results?status=skipped`));
    expect(results.items.every((r: { reason: string }) => r.reason === "run cancelled")).toBe(true);
  });

  it("lists runs newest first with a cursor", async () => {
    const a = await createRun({ spec: { inline: SPEC }, target: { url: targetUrl() }, agents: ["functional-positive"] });
    const b = await createRun({ spec: { inline: SPEC }, target: { url: targetUrl() }, agents: ["functional-positive"] });
    const first = await json(await api("GET", `/runs?limit=1`));
    expect(first.items.map((r: { id: string }) => r.id)).toEqual([b.id]);
    expect(first.nextCursor).toBeTruthy();
    const second = await json(await api("GET", `/runs?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`));
    expect(second.items.map((r: { id: string }) => r.id)).toEqual([a.id]);
    await waitDone(a.id);
    await waitDone(b.id);
  });

  it("refuses an auth flow that does not fit the spec with a 400 problem naming the field, and starts no run", async () => {
    const before = await env.DB.prepare(`SELECT COUNT(*) AS n FROM runs`).first<{ n: number }>();
    const cases: [Record<string, unknown>, string][] = [
      [{ login: { operation: "logInPlease" }, header: "Authorization: Bearer ${token}" }, "auth.login.operation"],
      [{ signup: { operation: "POST /nowhere" }, login: { operation: "getOk" }, header: "Authorization: Bearer ${token}" }, "auth.signup.operation"],
      [{ login: { operation: "getOk" }, header: "no colon ${token}" }, "auth.header"],
    ];
    for (const [auth, field] of cases) {
      const res = await api("POST", "/runs", { spec: { inline: SPEC }, target: { url: targetUrl() }, auth });
      expect(res.status, field).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = await json(res);
      expect(problem.type).toContain("validation-error");
      expect(problem.detail).toContain(field);
      expect(problem.errors).toEqual([expect.objectContaining({ in: "body", path: field, pointer: `/${field.split(".").join("/")}` })]);
    }
    const after = await env.DB.prepare(`SELECT COUNT(*) AS n FROM runs`).first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("refuses bad input, foreign targets, unknown specs and readers who try to run", async () => {
    const bad = await api("POST", "/runs", { spec: { inline: SPEC }, target: { url: targetUrl() }, limits: { concurrency: 99 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");

    const metadata = await api("POST", "/runs", { spec: { inline: SPEC }, target: { url: "http://169.254.169.254/latest" } });
    expect(metadata.status).toBe(422);
    expect((await json(metadata)).type).toContain("target-not-allowed");

    const unknown = await api("POST", "/runs", { spec: { id: "spec_nope" }, target: { url: targetUrl() } });
    expect(unknown.status).toBe(404);

    const broken = await api("POST", "/runs", { spec: { inline: "openapi: 3.1.0\npaths: 12\n" }, target: { url: targetUrl() } });
    expect(broken.status).toBe(422);
    expect((await json(broken)).type).toContain("invalid-spec");

    expect((await api("GET", "/runs/run_does_not_exist")).status).toBe(404);

    const keyRes = await api("POST", "/keys", { name: "reader", role: "viewer" });
    expect(keyRes.status).toBe(201);
    const viewer = (await json(keyRes)).key as string;
    expect((await api("POST", "/runs", { spec: { inline: SPEC }, target: { url: targetUrl() } }, viewer)).status).toBe(403);
    expect((await api("GET", "/runs?limit=1", undefined, viewer)).status).toBe(200);
  });
});
