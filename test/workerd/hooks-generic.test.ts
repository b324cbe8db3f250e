/**
 * Generic signed webhooks inside workerd: X-Sentinel-Timestamp + X-Sentinel-Signature over
 * "<timestamp>.<body>", stale timestamps refused, X-Sentinel-Delivery for replay protection, and
 * an optional JSON body that overrides the target URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGeneric } from "../../workers/shared/signature";
import { api, problem } from "./gateway-helpers";
import { createHook, deliver, FAST, runCount, runRow, settle, specAndTarget, type CreatedHook } from "./hooks-helpers";
import { targetUrl } from "./runs-helpers";

const started = new Set<string>();
let hook: CreatedHook;
let ids: { specId: string; targetId: string };

async function generic(h: CreatedHook, body: string, opts: { delivery?: string | null; at?: number; secret?: string } = {}): Promise<Response> {
  const signed = await signGeneric(opts.secret ?? h.secret, body, opts.at ?? Date.now());
  const delivery = opts.delivery === undefined ? crypto.randomUUID() : opts.delivery;
  return deliver(h.url, body, { "content-type": "application/json", ...signed, ...(delivery === null ? {} : { "x-sentinel-delivery": delivery }) });
}

beforeAll(async () => {
  ids = await specAndTarget();
  hook = await createHook({ kind: "generic", config: { specId: ids.specId, targetId: ids.targetId, ...FAST } });
});

afterAll(async () => settle(started));

describe("generic deliveries", () => {
  it("a valid signature starts a run (202) on the hook's target", async () => {
    expect(hook.url).toBe(`/api/v1/hooks/generic/${hook.id}`);
    const res = await generic(hook, JSON.stringify({ ref: "v1.2.3" }), { delivery: "ci-build-1" });
    expect(res.status, await res.clone().text()).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    started.add(runId);
    const row = await runRow(runId);
    expect(row?.trigger).toBe("generic");
    expect(row?.target_url).toBe(targetUrl());
    const run = (await (await api(`/api/v1/runs/${runId}`)).json()) as { source: Record<string, unknown> };
    expect(run.source).toEqual({ hookId: hook.id, deliveryId: "ci-build-1", ref: "v1.2.3" });
  });

  it("an empty body is fine; targetUrl overrides the target", async () => {
    const plain = await generic(hook, "");
    expect(plain.status).toBe(202);
    started.add(((await plain.json()) as { runId: string }).runId);

    const preview = `${targetUrl()}/ok`;
    const res = await generic(hook, JSON.stringify({ targetUrl: preview }));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    started.add(runId);
    expect((await runRow(runId))?.target_url).toBe(preview);

    const unknownField = await generic(hook, JSON.stringify({ target: preview }));
    expect(unknownField.status).toBe(400);
    expect((await problem(unknownField)).errors?.[0]).toMatchObject({ in: "body", path: "target" });
  });

  it("a stale timestamp gets 401 saying so, and starts nothing", async () => {
    const before = await runCount();
    const res = await generic(hook, "{}", { at: Date.now() - 10 * 60_000 });
    expect(res.status).toBe(401);
    const body = await problem(res);
    expect(body.type).toMatch(/bad-signature$/);
    expect(body.detail).toMatch(/stale/);
    expect(body.reason).toBe("stale");

    const future = await generic(hook, "{}", { at: Date.now() + 10 * 60_000 });
    expect(future.status).toBe(401);
    expect(await runCount()).toBe(before);
  });

  it("a wrong secret, a tampered body or missing headers get 401; a missing delivery id 400", async () => {
    const before = await runCount();
    expect((await generic(hook, "{}", { secret: "whsec_wrong" })).status).toBe(401);
    const signed = await signGeneric(hook.secret, "{}", Date.now());
    const tampered = await deliver(hook.url, JSON.stringify({ targetUrl: "https://evil.example" }), { ...signed, "x-sentinel-delivery": "t1" });
    expect(tampered.status).toBe(401);
    expect((await problem(tampered)).reason).toBe("mismatch");
    const unsigned = await deliver(hook.url, "{}", { "x-sentinel-delivery": "t2" });
    expect(unsigned.status).toBe(401);
    expect((await problem(unsigned)).reason).toBe("missing");

    const noDelivery = await generic(hook, "{}", { delivery: null });
    expect(noDelivery.status).toBe(400);
    expect((await problem(noDelivery)).errors?.[0]).toMatchObject({ in: "header", path: "x-sentinel-delivery" });
    expect(await runCount()).toBe(before);
  });

  it("a replay starts nothing new: the same delivery id, or the same signed request under another id", async () => {
    const body = JSON.stringify({ ref: "main" });
    const at = Date.now();
    const first = await generic(hook, body, { delivery: "ci-replay", at });
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    started.add(runId);
    const before = await runCount();

    const again = await generic(hook, body, { delivery: "ci-replay", at: at + 1000 });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ started: false, duplicate: true, runId, reason: "this delivery was already received" });

    const sameSignature = await generic(hook, body, { delivery: "ci-replay-other-id", at });
    expect(sameSignature.status).toBe(200);
    expect(await sameSignature.json()).toMatchObject({ duplicate: true, runId });
    expect(await runCount()).toBe(before);
  });

  it("a hook without a target needs targetUrl in the delivery", async () => {
    const bare = await createHook({ kind: "generic", config: { specId: ids.specId, ...FAST } });
    const missing = await generic(bare, "{}", { delivery: "retry-me" });
    expect(missing.status).toBe(400);
    expect((await problem(missing)).errors?.[0]).toMatchObject({ path: "targetUrl" });

    // the failed attempt released its delivery id: a corrected retry under the same id works
    const retry = await generic(bare, JSON.stringify({ targetUrl: targetUrl() }), { delivery: "retry-me" });
    const again = await generic(bare, JSON.stringify({ targetUrl: targetUrl() }), { delivery: "retry-me" });
    expect(retry.status).toBe(202);
    expect(again.status).toBe(200);
    started.add(((await retry.json()) as { runId: string }).runId);
  });
});
