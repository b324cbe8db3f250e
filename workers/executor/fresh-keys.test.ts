import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel, Operation, Step, TestCase } from "../model";
import { Rng } from "../orchestrator/generate/random";
import { withFreshKeys } from "./fresh-keys";
import type { FetchLike } from "./http-client";
import { runCase, type RunEnv } from "./run-case";
import { listenLoopback, type LoopbackServer } from "../../test/loopback-server";

const keySchema = { type: "string", minLength: 8, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" };
const op = (partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation => ({ tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "#", ...partial });
const model: ApiModel = {
  sourceVersion: "3.1.0", title: "payments", version: "1", servers: [], schemas: {}, securitySchemes: {},
  operations: [
    op({ operationId: "pay", method: "post", path: "/payments", parameters: [{ name: "Idempotency-Key", in: "header", required: true, schema: keySchema }] }),
    // no standard name, but the spec says every request has its own
    op({ operationId: "order", method: "post", path: "/orders", parameters: [{ name: "X-Client-Ref", in: "header", required: true, description: "A client reference, unique per request.", schema: { type: "string" } }, { name: "X-Tenant", in: "header", required: true, schema: { type: "string" } }] }),
  ],
};

function step(id: string, path: string, headers: Record<string, string>, body: unknown): Step {
  return { id, request: { method: "post", path, pathParams: {}, query: {}, headers, body: { contentType: "application/json", value: body } }, checks: [] };
}
const testCase = (steps: Step[]): TestCase => ({ id: `case-${Math.random().toString(36).slice(2, 8)}`, agent: "stateful", operationId: "pay", kind: "stateful", title: "t", steps });

describe("fresh idempotency keys per case", () => {
  it("gives each planned key a fresh value of its shape per request, the same for a repeated request, and keeps payloads and invalid values", () => {
    const planned = "WOObRbqq";
    const replay = testCase([step("keyed", "/payments", { "Idempotency-Key": planned }, { amount: 1 }), step("keyed-replay", "/payments", { "Idempotency-Key": planned }, { amount: 1 })]);
    const [first, second] = withFreshKeys(replay, model, () => new Rng(1));
    const key = first.request.headers["Idempotency-Key"];
    expect(key).not.toBe(planned);
    expect(key).toMatch(/^[A-Za-z]{8}$/);
    expect(second.request.headers["Idempotency-Key"]).toBe(key);
    // the same planned key with another body (a probe after its baseline): a key of its own
    const probe = testCase([step("baseline", "/payments", { "Idempotency-Key": planned }, { amount: 1 }), step("probe", "/payments", { "Idempotency-Key": planned }, { amount: "' OR 1=1" })]);
    const [base, other] = withFreshKeys(probe, model, () => new Rng(1));
    expect(other.request.headers["Idempotency-Key"]).not.toBe(base.request.headers["Idempotency-Key"]);
    // another case: another key
    expect(withFreshKeys(replay, model, () => new Rng(2))[0].request.headers["Idempotency-Key"]).not.toBe(key);
    // an injection payload, a value the schema refuses (a negative case): as planned
    for (const value of ["' OR '1'='1", "aaaaaaa", "sentinel invalid value!"]) {
      const kept = testCase([step("probe", "/payments", { "Idempotency-Key": value }, { amount: 1 })]);
      expect(withFreshKeys(kept, model, () => new Rng(1))[0].request.headers["Idempotency-Key"]).toBe(value);
    }
    // a header described as unique per request is a key too; a plain one is not
    const [order] = withFreshKeys(testCase([step("order", "/orders", { "X-Client-Ref": "ref-0042", "X-Tenant": "acme" }, {})]), model, () => new Rng(1));
    expect(order.request.headers["X-Client-Ref"]).not.toBe("ref-0042");
    expect(order.request.headers["X-Tenant"]).toBe("acme");
  });
});

// a server that remembers keys: the same key with another body is refused, with the same body replayed
const seen = new Map<string, { body: string; id: number }>();
let nextId = 1;
async function handle(req: IncomingMessage, res: ServerResponse) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  const key = String(req.headers["idempotency-key"]);
  const prior = seen.get(key);
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (prior && prior.body !== raw) return answer(422, { error: "idempotency_key_reused" });
  const id = prior?.id ?? nextId++;
  seen.set(key, { body: raw, id });
  answer(201, { id });
}

describe("runCase sends fresh keys", () => {
  let target: LoopbackServer;
  beforeAll(async () => {
    target = await listenLoopback((req, res) => void handle(req, res));
  });
  afterAll(() => target.close());
  const env = (): RunEnv => ({ fetch: globalThis.fetch as FetchLike, baseUrl: target.url, identities: {}, model, config: { timeoutMs: 2000, maxBodyBytes: 1024 * 1024, retryDelayMs: 10 } });

  it("cases planned with one key and different bodies are all accepted; a replay within a case keeps its key", async () => {
    const statuses: number[] = [];
    for (const amount of [1, 2, 3]) {
      const result = await runCase(testCase([step("pay", "/payments", { "Idempotency-Key": "WOObRbqq" }, { amount })]), env());
      statuses.push(result.exchanges[0].response!.status);
    }
    expect(statuses).toEqual([201, 201, 201]);
    const replay = await runCase(testCase([step("keyed", "/payments", { "Idempotency-Key": "WOObRbqq" }, { amount: 9 }), step("again", "/payments", { "Idempotency-Key": "WOObRbqq" }, { amount: 9 })]), env());
    const [a, b] = replay.exchanges.map((e) => JSON.parse(e.response!.body).id);
    expect(replay.exchanges.map((e) => e.response!.status)).toEqual([201, 201]);
    expect(b).toBe(a);
  });
});
