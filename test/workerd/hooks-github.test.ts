/**
 * GitHub webhooks inside workerd: management needs a bearer token and hooks:manage; deliveries
 * authenticate by X-Hub-Signature-256, start runs through the real pipeline, and a replayed
 * delivery (same id, or the same signed body under a new id) starts nothing.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGithub } from "../../workers/shared/signature";
import { api, keyWithRole, newOrgWithKey, postJson, problem } from "./gateway-helpers";
import { createHook, deliver, FAST, runCount, runRow, settle, specAndTarget, type CreatedHook } from "./hooks-helpers";
import { targetUrl } from "./runs-helpers";

const started = new Set<string>();
let ids: { specId: string; targetId: string };
let hook: CreatedHook;

function pushPayload(branch = "main", sha = crypto.randomUUID().replace(/-/g, "")): string {
  return JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, deleted: false, repository: { full_name: "acme/api" } });
}

async function github(h: CreatedHook, event: string, body: string, delivery: string = crypto.randomUUID(), secret = h.secret): Promise<Response> {
  return deliver(h.url, body, {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": delivery,
    "x-hub-signature-256": await signGithub(secret, body),
  });
}

beforeAll(async () => {
  ids = await specAndTarget();
  hook = await createHook({ kind: "github", config: { specId: ids.specId, targetId: ids.targetId, branches: ["main"], ...FAST } });
});

afterAll(async () => settle(started));

describe("hook management", () => {
  it("creates a hook with a one-time secret, stored encrypted, and never shows it again", async () => {
    expect(hook.id).toMatch(/^hook_/);
    expect(hook.url).toBe(`/api/v1/hooks/github/${hook.id}`);
    expect(hook.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    expect(hook.config).toMatchObject({ events: ["push", "pull_request", "deployment_status"], branches: ["main"] });

    for (const path of [`/api/v1/hooks/${hook.id}`, "/api/v1/hooks"]) {
      const res = await api(path);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(hook.id);
      expect(text).not.toContain(hook.secret);
      expect(text).not.toContain('"secret"');
    }
    const row = await env.DB.prepare(`SELECT secret_enc FROM hooks WHERE id = ?`).bind(hook.id).first<{ secret_enc: string }>();
    expect(row?.secret_enc).toMatch(/^v1\./);
    expect(row?.secret_enc).not.toContain(hook.secret);
  });

  it("requires a bearer token and hooks:manage; other orgs get 404", async () => {
    for (const [method, path] of [
      ["POST", "/api/v1/hooks"],
      ["GET", "/api/v1/hooks"],
      ["GET", `/api/v1/hooks/${hook.id}`],
      ["DELETE", `/api/v1/hooks/${hook.id}`],
    ]) {
      const res = await api(path, { method, token: null, ...(method === "POST" ? { body: "{}", headers: { "content-type": "application/json" } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const tester = await keyWithRole("tester");
    expect((await api("/api/v1/hooks", { token: tester.key })).status).toBe(403);

    const other = await newOrgWithKey("admin", "hooks-other");
    expect((await api(`/api/v1/hooks/${hook.id}`, { token: other.key })).status).toBe(404);
    expect((await api(`/api/v1/hooks/${hook.id}`, { method: "DELETE", token: other.key })).status).toBe(404);
    const list = (await (await api("/api/v1/hooks", { token: other.key })).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    // another org's spec cannot be used in a hook
    const res = await postJson("/api/v1/hooks", { kind: "github", config: { specId: ids.specId, targetId: ids.targetId } }, other.key);
    expect(res.status).toBe(404);
  });

  it("validates the config", async () => {
    const noTarget = await postJson("/api/v1/hooks", { kind: "github", config: { specId: ids.specId } });
    expect(noTarget.status).toBe(400);
    expect((await problem(noTarget)).errors?.[0]).toMatchObject({ pointer: "/config/targetId" });

    const badEvent = await postJson("/api/v1/hooks", { kind: "github", config: { specId: ids.specId, targetId: ids.targetId, events: ["release"] } });
    expect(badEvent.status).toBe(400);

    const badLimit = await postJson("/api/v1/hooks", { kind: "github", config: { specId: ids.specId, targetId: ids.targetId, limits: { concurrency: 50 } } });
    expect(badLimit.status).toBe(400);

    const metadata = await postJson("/api/v1/hooks", { kind: "generic", config: { specId: ids.specId, targetUrl: "http://169.254.169.254/latest" } });
    expect(metadata.status).toBe(422);
    expect((await problem(metadata)).type).toMatch(/target-not-allowed$/);

    // deployment_status alone brings its own target
    const deployOnly = await postJson("/api/v1/hooks", { kind: "github", config: { specId: ids.specId, events: ["deployment_status"] } });
    expect(deployOnly.status).toBe(201);
  });

  it("deletes a hook; its URL answers 404 afterwards", async () => {
    const doomed = await createHook({ kind: "github", config: { specId: ids.specId, targetId: ids.targetId } });
    expect((await api(`/api/v1/hooks/${doomed.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/v1/hooks/${doomed.id}`)).status).toBe(404);
    expect((await github(doomed, "push", pushPayload(), undefined, doomed.secret)).status).toBe(404);
  });
});

describe("GitHub deliveries", () => {
  it("a validly signed push starts a run with trigger github:push", async () => {
    const sha = "a".repeat(40);
    const before = await runCount();
    const res = await github(hook, "push", pushPayload("main", sha), "delivery-push-1");
    expect(res.status, await res.clone().text()).toBe(202);
    const body = (await res.json()) as { started: boolean; runId: string; links: { self: string } };
    expect(body.started).toBe(true);
    expect(body.links.self).toBe(`/api/v1/runs/${body.runId}`);
    started.add(body.runId);
    expect(await runCount()).toBe(before + 1);

    const row = await runRow(body.runId);
    expect(row?.trigger).toBe("github:push");
    expect(row?.target_url).toBe(targetUrl());
    const run = (await (await api(`/api/v1/runs/${body.runId}`)).json()) as { trigger: string; source: Record<string, unknown> };
    expect(run.trigger).toBe("github:push");
    expect(run.source).toEqual({ hookId: hook.id, deliveryId: "delivery-push-1", event: "push", ref: "refs/heads/main", sha });
  });

  it("a bad signature gets 401 bad-signature and starts nothing", async () => {
    const before = await runCount();
    const wrongSecret = await github(hook, "push", pushPayload(), undefined, "whsec_not_the_secret");
    expect(wrongSecret.status).toBe(401);
    expect((await problem(wrongSecret)).type).toMatch(/bad-signature$/);

    const body = pushPayload();
    const tampered = await deliver(hook.url, body.replace("main", "mainx"), {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await signGithub(hook.secret, body),
    });
    expect(tampered.status).toBe(401);

    const unsigned = await deliver(hook.url, body, { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": crypto.randomUUID() });
    expect(unsigned.status).toBe(401);
    expect(await runCount()).toBe(before);
    const deliveries = await env.DB.prepare(`SELECT COUNT(*) AS n FROM hook_deliveries WHERE hook_id = ? AND run_id IS NULL`).bind(hook.id).first<{ n: number }>();
    expect(deliveries?.n).toBe(0);
  });

  it("a replayed delivery starts nothing: same delivery id, or the same signed body under a new id", async () => {
    const body = pushPayload();
    const first = await github(hook, "push", body, "delivery-replay-1");
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    started.add(runId);
    const before = await runCount();

    const again = await github(hook, "push", body, "delivery-replay-1");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ started: false, duplicate: true, runId, reason: "this delivery was already received" });

    const newId = await github(hook, "push", body, "delivery-replay-forged");
    expect(newId.status).toBe(200);
    expect(await newId.json()).toMatchObject({ started: false, duplicate: true, runId });

    // concurrent copies of one delivery: exactly one starts
    const fresh = pushPayload();
    const racers = await Promise.all([1, 2, 3].map(() => github(hook, "push", fresh, "delivery-race")));
    expect(racers.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    for (const r of racers) if (r.status === 202) started.add(((await r.json()) as { runId: string }).runId);
    expect(await runCount()).toBe(before + 1);
  });

  it("ping answers 200 and starts nothing; ignored branches and events say why", async () => {
    const before = await runCount();
    const ping = await github(hook, "ping", JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 }));
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({ started: false, duplicate: false, reason: "ping" });

    const otherBranch = await github(hook, "push", pushPayload("feature/x"));
    expect(otherBranch.status).toBe(200);
    expect(((await otherBranch.json()) as { reason: string }).reason).toMatch(/branch feature\/x is not enabled/);

    const issues = await github(hook, "issues", JSON.stringify({ action: "opened" }));
    expect(issues.status).toBe(200);
    expect(await runCount()).toBe(before);
  });

  it("deployment_status tests the deployment's environment_url", async () => {
    const deployHook = await createHook({ kind: "github", config: { specId: ids.specId, events: ["deployment_status"], ...FAST } });
    const environmentUrl = `${targetUrl()}/ok`;
    const payload = (state: string, url = environmentUrl) =>
      JSON.stringify({ deployment_status: { state, environment_url: url }, deployment: { ref: "main", sha: "b".repeat(40) } });

    const pending = await github(deployHook, "deployment_status", payload("in_progress"));
    expect(pending.status).toBe(200);

    const res = await github(deployHook, "deployment_status", payload("success"));
    expect(res.status, await res.clone().text()).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    started.add(runId);
    const row = await runRow(runId);
    expect(row?.trigger).toBe("github:deployment_status");
    expect(row?.target_url).toBe(environmentUrl);

    // the address policy applies to environment_url too
    const before = await runCount();
    const metadata = await github(deployHook, "deployment_status", payload("success", "http://169.254.169.254/latest"));
    expect(metadata.status).toBe(422);
    expect((await problem(metadata)).type).toMatch(/target-not-allowed$/);
    expect(await runCount()).toBe(before);
  });

  it("unknown hooks answer 404; the wrong kind too; missing headers 400", async () => {
    const body = pushPayload();
    const unknown = await deliver("/api/v1/hooks/github/hook_doesnotexist000", body, { "x-hub-signature-256": await signGithub("x", body) });
    expect(unknown.status).toBe(404);
    expect((await deliver(`/api/v1/hooks/generic/${hook.id}`, body, {})).status).toBe(404);

    const noEvent = await deliver(hook.url, body, { "x-github-delivery": "d", "x-hub-signature-256": await signGithub(hook.secret, body) });
    expect(noEvent.status).toBe(400);
    expect((await problem(noEvent)).errors?.[0]).toMatchObject({ in: "header", path: "x-github-event" });
  });

  it("accepts the form-encoded payload GitHub sends when configured so", async () => {
    const json = pushPayload();
    const body = new URLSearchParams({ payload: json }).toString();
    const res = await deliver(hook.url, body, {
      "content-type": "application/x-www-form-urlencoded",
      "x-github-event": "push",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await signGithub(hook.secret, body),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    started.add(((await res.json()) as { runId: string }).runId);
  });
});
