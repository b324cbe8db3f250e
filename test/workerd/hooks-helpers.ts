/** Shared by hooks-*, schedules-* and notifications-* tests: a small spec and target, deliveries, run rows. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { api, BASE, BOOTSTRAP_KEY, postJson } from "./gateway-helpers";
import { targetUrl, waitForTerminal } from "./runs-helpers";

/** One operation on the target server's /ok/{n}: runs finish in a moment. */
export const OK_SPEC = `
openapi: 3.1.0
info: { title: Hook target, version: 1.0.0 }
paths:
  /ok/{n}:
    get:
      operationId: getOk
      parameters: [{ name: n, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object } } } }
`;

export const FAST = { agents: ["functional-positive"], limits: { maxCases: 3, timeoutMs: 3000 } };

let counter = 0;

export async function specAndTarget(token = BOOTSTRAP_KEY): Promise<{ specId: string; targetId: string }> {
  const n = ++counter;
  const spec = await api(`/api/v1/specs?name=hook-spec-${n}`, { method: "POST", body: OK_SPEC, headers: { "content-type": "application/yaml" }, token });
  expect(spec.status, await spec.clone().text()).toBe(201);
  const target = await postJson("/api/v1/targets", { name: `hook-target-${n}-${Date.now()}`, baseUrl: targetUrl() }, token);
  expect(target.status, await target.clone().text()).toBe(201);
  return { specId: ((await spec.json()) as { id: string }).id, targetId: ((await target.json()) as { id: string }).id };
}

export interface CreatedHook {
  id: string;
  kind: string;
  url: string;
  secret: string;
  config: Record<string, unknown>;
}

export async function createHook(body: unknown, token = BOOTSTRAP_KEY): Promise<CreatedHook> {
  const res = await postJson("/api/v1/hooks", body, token);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** A delivery: no bearer token, only the given headers. */
export function deliver(path: string, body: string, headers: Record<string, string>): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, { method: "POST", body, headers }));
}

export async function runRow(runId: string): Promise<{ id: string; trigger: string; target_url: string; config: string; status: string } | null> {
  return env.DB.prepare(`SELECT id, trigger, target_url, config, status FROM runs WHERE id = ?`).bind(runId).first();
}

export async function runCount(): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM runs`).first<{ n: number }>())!.n;
}

/** Lets started runs end inside the test, so no Durable Object work outlives it. */
export async function settle(runIds: Iterable<string>): Promise<void> {
  for (const id of runIds) await waitForTerminal(id, 40_000);
}
