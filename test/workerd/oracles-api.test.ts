/** Oracles per spec over the REST API: list, accept, reject; per org (another org gets 404). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertOracles } from "../../workers/storage/oracles-repo";
import { api, newOrgWithKey, PETSTORE_JSON } from "./gateway-helpers";

describe("/api/v1/specs/{id}/oracles", () => {
  it("lists the spec's oracles and records the user's verdict", async () => {
    const upload = await api("/api/v1/specs?name=oracle-pets", { method: "POST", body: PETSTORE_JSON, headers: { "content-type": "application/json" } });
    expect(upload.status).toBe(201);
    const spec = (await upload.json()) as { id: string; orgId?: string };
    const orgId = (await env.DB.prepare(`SELECT org_id AS orgId FROM specs WHERE id = ?`).bind(spec.id).first<{ orgId: string }>())!.orgId;
    const assertion = { cmp: "<=", left: { count: "/items" }, right: { query: "limit" } };
    await insertOracles(env.DB, orgId, "oracle-pets", [{ id: "o_1", operationId: "listPets", source: "llm", sentence: "Returns at most `limit` pets.", assertion: assertion as never, status: "proposed" }]);

    const list = await api(`/api/v1/specs/${spec.id}/oracles`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([
      { id: "o_1", operationId: "listPets", source: "llm", sentence: "Returns at most `limit` pets.", assertion, status: "proposed" },
    ]);

    const accepted = await api(`/api/v1/specs/${spec.id}/oracles/o_1/accept`, { method: "POST" });
    expect(await accepted.json()).toMatchObject({ id: "o_1", status: "accepted" });
    // proposing the same oracle again never overwrites the verdict
    await insertOracles(env.DB, orgId, "oracle-pets", [{ id: "o_1", operationId: "listPets", source: "llm", sentence: "x", assertion: assertion as never, status: "proposed" }]);
    const rejected = await api(`/api/v1/specs/${spec.id}/oracles/o_1/reject`, { method: "POST" });
    expect(await rejected.json()).toMatchObject({ id: "o_1", status: "rejected", sentence: "Returns at most `limit` pets." });

    expect((await api(`/api/v1/specs/${spec.id}/oracles/o_nope/accept`, { method: "POST" })).status).toBe(404);
    const other = await newOrgWithKey("admin", "oracle-other");
    expect((await api(`/api/v1/specs/${spec.id}/oracles`, { token: other.key })).status).toBe(404);
  });
});
