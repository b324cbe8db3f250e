import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RunError } from "../../workers/runs/errors";
import { assertTargetAllowed } from "../../workers/runs/target-policy";
import { DEFAULT_ORG_ID, setTargetAllowlist } from "../../workers/storage/orgs-repo";
import { loadTargetIdentities } from "../../workers/storage/targets-repo";
import { api, keyWithRole, newOrgWithKey, postJson, problem } from "./gateway-helpers";

const SECRET = "Bearer super-secret-token-4242";
const identities = { alice: { Authorization: SECRET, "X-Tenant": "a" }, bob: { Authorization: "Bearer bob-secret-9191" } };

interface TargetView {
  id: string;
  name: string;
  baseUrl: string;
  identities: Record<string, Record<string, string>>;
}

describe("targets", () => {
  it("stores credentials encrypted and never returns them", async () => {
    const res = await postJson("/api/v1/targets", { name: "staging", baseUrl: "https://api.example.com/v1/", identities });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain("super-secret");
    const target = JSON.parse(text) as TargetView;
    expect(target.baseUrl).toBe("https://api.example.com/v1");
    expect(target.identities).toEqual({ alice: { Authorization: "••••", "X-Tenant": "••••" }, bob: { Authorization: "••••" } });

    for (const path of [`/api/v1/targets/${target.id}`, "/api/v1/targets"]) {
      const body = await (await api(path)).text();
      expect(body).toContain(target.id);
      expect(body).not.toContain("super-secret");
      expect(body).not.toContain("bob-secret");
    }

    const row = await env.DB.prepare("SELECT * FROM targets WHERE id = ?").bind(target.id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain("super-secret");
    expect(JSON.stringify(row)).not.toContain(btoa("super-secret"));
    expect(row?.identities_enc).toMatch(/^v1\./);

    expect(await loadTargetIdentities(env.DB, env, DEFAULT_ORG_ID, target.id)).toEqual(identities);
  });

  it("allows loopback only when the deployment allows it", async () => {
    // the test deployment sets SENTINEL_ALLOW_LOOPBACK=true
    const local = await postJson("/api/v1/targets", { name: "local", baseUrl: "http://127.0.0.1:3000" });
    expect(local.status).toBe(201);
    expect(((await local.json()) as TargetView).identities).toEqual({});

    const strictEnv = { ...env, SENTINEL_ALLOW_LOOPBACK: "false", SENTINEL_ALLOW_PRIVATE: "false" };
    for (const url of ["http://127.0.0.1:3000", "http://localhost/", "http://[::1]/", "http://10.0.0.5/", "http://192.168.0.1/"]) {
      await expect(assertTargetAllowed(strictEnv, { targetAllowlist: [] }, url), url).rejects.toBeInstanceOf(RunError);
    }
    await expect(assertTargetAllowed(strictEnv, { targetAllowlist: [] }, "https://api.example.com")).resolves.toBeInstanceOf(URL);
  });

  it("refuses the metadata address, private ranges, other schemes", async () => {
    for (const baseUrl of ["http://169.254.169.254/latest", "http://[fe80::1]/", "http://0.0.0.0:8080", "http://10.1.2.3/", "ftp://example.com/", "not a url"]) {
      const res = await postJson("/api/v1/targets", { name: `bad-${baseUrl.length}`, baseUrl });
      expect(res.status, baseUrl).toBe(422);
      expect((await problem(res)).type).toMatch(/target-not-allowed$/);
    }
  });

  it("applies the org's allowlist", async () => {
    const other = await newOrgWithKey();
    await setTargetAllowlist(env.DB, other.orgId, ["*.allowed.example"]);
    expect((await postJson("/api/v1/targets", { name: "ok", baseUrl: "https://api.allowed.example" }, other.key)).status).toBe(201);
    const refused = await postJson("/api/v1/targets", { name: "no", baseUrl: "https://api.example.com" }, other.key);
    expect(refused.status).toBe(422);
    expect((await problem(refused)).detail).toMatch(/allowlist/);
    await expect(assertTargetAllowed(env, other.orgId, "https://x.allowed.example/")).resolves.toBeInstanceOf(URL);
  });

  it("validates names, headers and unknown fields", async () => {
    const cases = [
      { name: "x", baseUrl: "https://a.example", identities: { alice: { "Bad Header": "v" } } },
      { name: "x", baseUrl: "https://a.example", identities: { alice: { Authorization: "a\r\nInjected: 1" } } },
      { name: "x", baseUrl: "https://a.example", identities: { alice: { Host: "evil.example" } } },
      { name: "x", baseUrl: "https://a.example", identities: { "bad name!": {} } },
      { name: "x", baseUrl: "https://a.example", secret: "unknown field" },
      { name: "", baseUrl: "https://a.example" },
    ];
    for (const body of cases) {
      const res = await postJson("/api/v1/targets", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await problem(res)).type).toMatch(/validation-error$/);
    }
  });

  it("refuses duplicate names with 409 and deletes", async () => {
    const first = (await (await postJson("/api/v1/targets", { name: "dup", baseUrl: "https://a.example" })).json()) as TargetView;
    expect((await postJson("/api/v1/targets", { name: "dup", baseUrl: "https://b.example" })).status).toBe(409);
    expect((await api(`/api/v1/targets/${first.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/v1/targets/${first.id}`)).status).toBe(404);
  });

  it("requires targets:write to create and allows readers to list", async () => {
    const tester = await keyWithRole("tester");
    expect((await postJson("/api/v1/targets", { name: "t", baseUrl: "https://a.example" }, tester.key)).status).toBe(403);
    expect((await api("/api/v1/targets", { token: tester.key })).status).toBe(200);
  });

  it("answers 404 for another org's target on every target route", async () => {
    const mine = (await (await postJson("/api/v1/targets", { name: "private", baseUrl: "https://a.example", identities })).json()) as TargetView;
    const other = await newOrgWithKey();
    expect((await api(`/api/v1/targets/${mine.id}`, { token: other.key })).status).toBe(404);
    expect((await api(`/api/v1/targets/${mine.id}`, { method: "DELETE", token: other.key })).status).toBe(404);
    const list = (await (await api("/api/v1/targets", { token: other.key })).json()) as { targets: TargetView[] };
    expect(list.targets).toEqual([]);
    expect(await loadTargetIdentities(env.DB, env, other.orgId, mine.id)).toBeNull();
    expect((await api(`/api/v1/targets/${mine.id}`)).status).toBe(200);
  });
});
