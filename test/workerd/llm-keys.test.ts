/** An org's LLM keys over the REST API: sealed at rest, never returned, admin only, per org. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openOrgLlmKeys } from "../../workers/runs/org-llm-keys";
import { api, keyWithRole, newOrgWithKey } from "./gateway-helpers";

const KEY = "sk-org-secret-llm-key-4242424242";

describe("/api/v1/org/llm-keys", () => {
  it("sets, lists (never the key), opens for a run and clears an org's provider key", async () => {
    const { orgId, key } = await newOrgWithKey("admin", "llm-keys");
    const put = await api("/api/v1/org/llm-keys/openai", { method: "PUT", token: key, body: JSON.stringify({ apiKey: KEY }), headers: { "content-type": "application/json" } });
    expect(put.status).toBe(204);
    const list = await api("/api/v1/org/llm-keys", { token: key });
    const text = await list.text();
    expect(JSON.parse(text)).toMatchObject({ keys: [{ provider: "openai" }] });
    expect(text).not.toContain(KEY);
    const row = await env.DB.prepare(`SELECT sealed FROM org_llm_keys WHERE org_id = ?`).bind(orgId).first<{ sealed: string }>();
    expect(row!.sealed).not.toContain(KEY);
    expect(row!.sealed).not.toContain(btoa(KEY).slice(0, 12));
    expect(await openOrgLlmKeys(env, orgId)).toEqual({ openai: KEY });
    // another org sees nothing of it
    const other = await newOrgWithKey("admin", "llm-keys-other");
    expect(await openOrgLlmKeys(env, other.orgId)).toEqual({});
    expect(await (await api("/api/v1/org/llm-keys", { token: other.key })).json()).toEqual({ keys: [] });

    expect((await api("/api/v1/org/llm-keys/openai", { method: "DELETE", token: key })).status).toBe(204);
    expect(await openOrgLlmKeys(env, orgId)).toEqual({});
    expect((await api("/api/v1/org/llm-keys/openai", { method: "DELETE", token: key })).status).toBe(404);
  });

  it("bad input is problem+json; only admins manage keys", async () => {
    const bad = await api("/api/v1/org/llm-keys/mystery", { method: "PUT", body: JSON.stringify({ apiKey: "x" }), headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const empty = await api("/api/v1/org/llm-keys/openai", { method: "PUT", body: JSON.stringify({}), headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(400);
    const tester = await keyWithRole("tester");
    expect((await api("/api/v1/org/llm-keys", { token: tester.key })).status).toBe(403);
  });
});
