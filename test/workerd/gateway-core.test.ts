import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../workers/gateway/app";
import { hashApiKey } from "../../workers/gateway/auth/api-keys";
import { applyBootstrap } from "../../workers/gateway/auth/bootstrap";
import { hashPassword } from "../../workers/gateway/auth/passwords";
import { parseSpec } from "../../workers/orchestrator/spec/parse-spec";
import { findApiKeyByHash, getApiKey } from "../../workers/storage/keys-repo";
import { DEFAULT_ORG_ID } from "../../workers/storage/orgs-repo";
import { createUser } from "../../workers/storage/users-repo";
import { BOOTSTRAP_KEY, api, keyWithRole, newOrgWithKey, postJson, problem } from "./gateway-helpers";

describe("basics", () => {
  it("answers /health without auth, with a request id", async () => {
    const res = await api("/health", { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "sentinel" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("keeps a sane incoming request id and replaces a hostile one", async () => {
    const kept = await api("/health", { headers: { "x-request-id": "ci-build-1234.5" } });
    expect(kept.headers.get("x-request-id")).toBe("ci-build-1234.5");
    const replaced = await api("/health", { headers: { "x-request-id": "bad id\twith <script>" } });
    expect(replaced.headers.get("x-request-id")).not.toContain("script");
  });

  it("renders unknown routes as problem+json 404", async () => {
    const res = await api("/nope", { token: null });
    expect(res.status).toBe(404);
    const body = await problem(res);
    expect(body.type).toBe("https://sentinel.dev/problems/not-found");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
    expect((await problem(await api("/api/v1/nope"))).status).toBe(404);
  });

  it("logs one structured line per request without the credential", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      await api("/api/v1/me?token=secret-in-query");
    } finally {
      console.log = original;
    }
    const entry = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "request" && l.path === "/api/v1/me");
    expect(entry).toMatchObject({ method: "GET", status: 200, orgId: DEFAULT_ORG_ID });
    expect(typeof entry.durationMs).toBe("number");
    expect(typeof entry.requestId).toBe("string");
    expect(lines.join("\n")).not.toContain(BOOTSTRAP_KEY);
    expect(lines.join("\n")).not.toContain("secret-in-query");
  });
});

describe("authentication", () => {
  it("refuses /api/v1 without or with bad credentials", async () => {
    for (const token of [null, "sk_wrong_key_that_does_not_exist_000", "not-a-jwt", "a.b.c"]) {
      const res = await api("/api/v1/specs", { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await problem(res)).type).toMatch(/unauthorized$/);
    }
    const basic = await api("/api/v1/specs", { token: null, headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(basic.status).toBe(401);
  });

  it("accepts the bootstrap key as an admin of the default org", async () => {
    const res = await api("/api/v1/me");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ orgId: DEFAULT_ORG_ID, role: "admin", via: "api-key" });
  });

  it("logs in with e-mail and password and uses the session token", async () => {
    const created = await postJson("/api/v1/users", { email: "QA@example.com", password: "correct horse battery", role: "tester" });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string; role: string };
    expect(user).toMatchObject({ email: "qa@example.com", role: "tester" });
    expect(JSON.stringify(user)).not.toMatch(/password|pbkdf2/i);

    const bad = await postJson("/api/v1/auth/login", { email: "qa@example.com", password: "wrong password!" }, null);
    expect(bad.status).toBe(401);
    const unknown = await postJson("/api/v1/auth/login", { email: "nobody@example.com", password: "whatever12345" }, null);
    expect(unknown.status).toBe(401);

    const login = await postJson("/api/v1/auth/login", { email: "qa@example.com", password: "correct horse battery" }, null);
    expect(login.status).toBe(200);
    const session = (await login.json()) as { token: string; expiresAt: number; tokenType: string };
    expect(session.tokenType).toBe("Bearer");
    expect(session.expiresAt - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    const me = await api("/api/v1/me", { token: session.token });
    expect(await me.json()).toMatchObject({ via: "session", role: "tester", userId: user.id, orgId: DEFAULT_ORG_ID });
    // a tester may not manage users
    expect((await api("/api/v1/users", { token: session.token })).status).toBe(403);
    // a tampered token is refused
    expect((await api("/api/v1/me", { token: session.token.slice(0, -2) + "xx" })).status).toBe(401);
    // duplicate e-mail
    expect((await postJson("/api/v1/users", { email: "qa@example.com", password: "another password", role: "viewer" })).status).toBe(409);
  });

  it("lists users of the caller's org only", async () => {
    const other = await newOrgWithKey();
    await createUser(env.DB, { orgId: other.orgId, email: "elsewhere@example.com", passwordHash: await hashPassword("x".repeat(12)), role: "viewer" });
    const res = await api("/api/v1/users");
    const { users } = (await res.json()) as { users: { email: string }[] };
    expect(users.map((u) => u.email)).not.toContain("elsewhere@example.com");
    const theirs = (await (await api("/api/v1/users", { token: other.key })).json()) as { users: { email: string }[] };
    expect(theirs.users.map((u) => u.email)).toEqual(["elsewhere@example.com"]);
  });
});

describe("API keys", () => {
  it("creates a key shown once, lists it without the secret, and revokes it", async () => {
    const res = await postJson("/api/v1/keys", { name: "ci", role: "tester" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; key: string; prefix: string; role: string };
    expect(created.key).toMatch(/^sk_[0-9A-Za-z]{32,}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);

    const listed = await (await api("/api/v1/keys")).text();
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);

    const row = await getApiKey(env.DB, DEFAULT_ORG_ID, created.id);
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key);

    expect((await api("/api/v1/me", { token: created.key })).status).toBe(200);
    // last use is recorded (via waitUntil)
    await expect.poll(async () => (await getApiKey(env.DB, DEFAULT_ORG_ID, created.id))?.lastUsedAt ?? null).not.toBeNull();

    expect((await api(`/api/v1/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api("/api/v1/me", { token: created.key })).status).toBe(401);
    expect((await api(`/api/v1/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("does not let a key outrank its creator and requires keys:manage", async () => {
    const manager = await keyWithRole("manager");
    expect((await postJson("/api/v1/keys", { name: "x", role: "viewer" }, manager.key)).status).toBe(403);
    const viewer = await keyWithRole("viewer");
    expect((await api("/api/v1/keys", { token: viewer.key })).status).toBe(403);
  });

  it("rejects unknown fields and malformed JSON with problem+json 400", async () => {
    const res = await postJson("/api/v1/keys", { name: "x", role: "viewer", admin: true });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.type).toMatch(/validation-error$/);
    expect(body.errors).toContainEqual(expect.objectContaining({ in: "body", path: "admin", pointer: "/admin" }));

    const wrongType = await problem(await postJson("/api/v1/keys", { name: 42, role: "emperor" }));
    expect(wrongType.errors?.map((e) => e.path).sort()).toEqual(["name", "role"]);

    const malformed = await api("/api/v1/keys", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).type).toMatch(/validation-error$/);

    const wrongMedia = await api("/api/v1/keys", { method: "POST", body: "name=x", headers: { "content-type": "text/plain" } });
    expect(wrongMedia.status).toBe(415);
    await problem(wrongMedia);
  });

  it("limits JSON bodies to 1 MB with a 413 problem", async () => {
    const res = await postJson("/api/v1/keys", { name: "x".repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect((await problem(res)).type).toMatch(/payload-too-large$/);
  });

  it("404s on another org's key", async () => {
    const other = await newOrgWithKey();
    expect((await api(`/api/v1/keys/${other.keyId}`, { method: "DELETE" })).status).toBe(404);
    expect((await api("/api/v1/me", { token: other.key })).status).toBe(200);
  });
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with bearer security and lists every route", async () => {
    const res = await api("/api/v1/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });

    const served = new Set(
      createApp()
        // the dashboard's HTML pages (/, /app/…) are not part of the API
        .routes.filter((r) => r.method !== "ALL" && r.path !== "/" && !r.path.startsWith("/app"))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    for (const key of ["post /api/v1/specs", "get /api/v1/specs/{id}/model", "post /api/v1/targets", "post /api/v1/auth/login", "get /health"]) {
      expect(documented.has(key), key).toBe(true);
    }
    expect(doc.paths["/api/v1/specs"].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/v1/auth/login"].post.security).toBeUndefined();
  });

  it("is a spec Sentinel itself can parse without errors", async () => {
    const text = await (await api("/api/v1/openapi.json", { token: null })).text();
    const parsed = parseSpec(text, { contentType: "application/json" });
    expect(parsed.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(parsed.model?.operations.length).toBeGreaterThanOrEqual(15);
  });
});

describe("bootstrap", () => {
  it("creates the default org and the admin key idempotently", async () => {
    const { results } = await env.DB.prepare("SELECT id, role, org_id FROM api_keys WHERE name = 'bootstrap'").all();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ role: "admin", org_id: DEFAULT_ORG_ID });
    await applyBootstrap(env);
    await Promise.all([applyBootstrap(env), applyBootstrap(env)]);
    const again = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE name = 'bootstrap'").first<{ n: number }>();
    expect(again?.n).toBe(1);
  });

  it("refuses the bootstrap key in production unless explicitly allowed", async () => {
    const key = "sk_production_bootstrap_key_000000000000";
    await applyBootstrap({ ...env, SENTINEL_ENV: "production", SENTINEL_BOOTSTRAP_KEY: key });
    expect(await findApiKeyByHash(env.DB, await hashApiKey(key))).toBeNull();
    await applyBootstrap({ ...env, SENTINEL_ENV: "production", SENTINEL_BOOTSTRAP_KEY: key, SENTINEL_ALLOW_BOOTSTRAP: "true" });
    expect(await findApiKeyByHash(env.DB, await hashApiKey(key))).toMatchObject({ role: "admin", orgId: DEFAULT_ORG_ID });
  });
});
