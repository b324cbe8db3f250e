/** The dashboard's sign-in, session cookie, CSRF protection, and org/role scoping (exactly the API's). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getApiKey } from "../../workers/storage/keys-repo";
import { insertRun } from "../../workers/storage/runs-repo";
import { Browser, csrfOf } from "./dashboard-helpers";
import { BOOTSTRAP_KEY, api, keyWithRole, newOrgWithKey, PETSTORE_JSON } from "./gateway-helpers";

describe("dashboard sign-in", () => {
  it("redirects / to /app and an anonymous /app page to the sign-in form", async () => {
    const b = new Browser();
    const root = await b.fetch("/");
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/app");
    const runs = await b.fetch("/app/runs");
    expect(runs.status).toBe(303);
    expect(runs.headers.get("location")).toBe("/app/sign-in?next=%2Fapp%2Fruns");
  });

  it("exchanges an API key for an HttpOnly, Secure, SameSite=Strict cookie that does not contain the key", async () => {
    const b = new Browser();
    const res = await b.signIn(BOOTSTRAP_KEY);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/runs");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-sentinel_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain(BOOTSTRAP_KEY);
    const page = await b.page("/app/runs");
    expect(page.status).toBe(200);
    expect(page.html).toContain("org_default · admin");
    const csp = page.res.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.html).toContain(`nonce="${nonce}"`);
    expect(csp).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(page.res.headers.get("x-frame-options")).toBe("DENY");
    expect(page.res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.res.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a wrong key, a missing form token and a foreign origin", async () => {
    const b = new Browser();
    const wrong = await b.signIn("sk_wrong_key_000000000000000000000000");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("not valid");
    const form = await b.page("/app/sign-in");
    const noToken = await b.post("/app/sign-in", { apiKey: BOOTSTRAP_KEY }, null);
    expect(noToken.status).toBe(403);
    const foreign = await b.fetch("/app/sign-in", {
      method: "POST",
      body: new URLSearchParams({ apiKey: BOOTSTRAP_KEY, _csrf: csrfOf(form.html) }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(b.cookies.has("__Host-sentinel_session")).toBe(false);
  });

  it("needs the session's CSRF token on every form, and a tampered cookie signs out", async () => {
    const b = new Browser();
    await b.signIn(BOOTSTRAP_KEY);
    const token = await b.csrf();
    const without = await b.post("/app/keys", { name: "x", role: "viewer" }, null);
    expect(without.status).toBe(403);
    const other = new Browser();
    await other.signIn(BOOTSTRAP_KEY);
    const foreignToken = await other.post("/app/keys", { name: "x", role: "viewer" }, token);
    expect(foreignToken.status).toBe(403);
    const session = b.cookies.get("__Host-sentinel_session")!;
    b.cookies.set("__Host-sentinel_session", session.slice(0, -4) + "AAAA");
    const tampered = await b.fetch("/app/runs");
    expect(tampered.status).toBe(303);
    expect(tampered.headers.get("location")).toMatch(/^\/app\/sign-in/);
  });

  it("signs out, and a revoked key ends its sessions at once", async () => {
    const { key, id } = await keyWithRole("tester");
    const b = new Browser();
    await b.signIn(key);
    const out = await b.post("/app/sign-out", {}, await b.csrf());
    expect(out.status).toBe(303);
    expect(b.cookies.has("__Host-sentinel_session")).toBe(false);
    expect((await b.fetch("/app/runs")).status).toBe(303);

    await b.signIn(key);
    expect((await b.fetch("/app/runs")).status).toBe(200);
    expect((await api(`/api/v1/keys/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await getApiKey(env.DB, "org_default", id))?.revokedAt).not.toBeNull();
    const after = await b.fetch("/app/runs");
    expect(after.status).toBe(303);
  });

  it("does not follow an off-site next= after sign-in", async () => {
    const b = new Browser();
    const form = await b.page("/app/sign-in?next=//evil.example/x");
    const res = await b.post("/app/sign-in", { apiKey: BOOTSTRAP_KEY, next: "https://evil.example/" }, csrfOf(form.html));
    expect(res.headers.get("location")).toBe("/app/runs");
  });
});

describe("dashboard roles and organizations", () => {
  it("a viewer sees no start button and is refused by the API when posting the form", async () => {
    const { key } = await keyWithRole("viewer");
    const b = new Browser();
    await b.signIn(key);
    const runs = await b.page("/app/runs");
    expect(runs.html).not.toContain("Start a run");
    expect(runs.html).not.toContain('href="/app/keys"');
    const res = await b.post("/app/runs", { specId: "spec_x", targetUrl: "http://127.0.0.1:9" }, csrfOf(runs.html));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("lacks the runs:create permission");
    expect((await b.fetch("/app/keys")).status).toBe(403);
  });

  it("another organization's run and spec are 404 pages", async () => {
    const upload = await api("/api/v1/specs?name=pets", { method: "POST", body: PETSTORE_JSON, headers: { "content-type": "application/json" } });
    const spec = (await upload.json()) as { id: string };
    const runId = `run_dash_${Date.now().toString(36)}`;
    await insertRun(env.DB, {
      id: runId,
      orgId: "org_default",
      specId: spec.id,
      targetId: null,
      targetUrl: "http://127.0.0.1:9",
      seed: 1,
      config: { spec: { title: "Petstore", version: "1", operations: 3 }, target: { url: "http://127.0.0.1:9" }, identities: [], limits: {} as never, notify: [] },
      createdBy: null,
    });
    const other = await newOrgWithKey("admin", "elsewhere");
    const b = new Browser();
    await b.signIn(other.key);
    for (const path of [`/app/runs/${runId}`, `/app/runs/${runId}/findings`, `/app/specs/${spec.id}`, `/app/runs/${runId}/report.html`]) {
      const page = await b.page(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain("Not found");
    }
    const own = new Browser();
    await own.signIn(BOOTSTRAP_KEY);
    expect((await own.page(`/app/specs/${spec.id}`)).status).toBe(200);
  });
});
