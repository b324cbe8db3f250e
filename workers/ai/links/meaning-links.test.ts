/**
 * Links by meaning against a small loopback target: `GET /profiles/{author}` is reached with the
 * `username` that `POST /users` returns — the names differ, no collection ties them, only their
 * meaning does. The link is trusted only after the target confirmed it; a stateful chain then
 * reaches the profile, and without the link no case does. Look-alike names whose values are
 * unrelated (`/badges/{userName}`: never the user's) or that answer anything (`/greetings/{username}`)
 * are not trusted.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiModel, CaseResult } from "../../model";
import { runCase } from "../../executor/run-case";
import { planRun } from "../../orchestrator/plan";
import { parseSpec } from "../../orchestrator/spec/parse-spec";
import type { MeaningLink } from "../../orchestrator/agents/resources";
import { lexicalEmbedder } from "../embeddings/embedder";
import { confirmLinks } from "./confirm";
import { linkCandidates } from "./meaning-links";

const userSchema = {
  type: "object",
  required: ["username"],
  properties: {
    username: { type: "string", description: "Unique username of the user", pattern: "^[a-z][a-z0-9]{3,15}$" },
    displayName: { type: "string", description: "Name shown to other users", maxLength: 40 },
  },
};
const profile = { type: "object", required: ["author"], properties: { author: { type: "string" }, displayName: { type: "string" } } };
const ok = (schema: unknown) => ({ "200": { description: "ok", content: { "application/json": { schema } } }, "404": { description: "unknown" } });
const pathParam = (name: string, description: string) => [{ name, in: "path", required: true, description, schema: { type: "string" } }];

const spec = {
  openapi: "3.0.3",
  info: { title: "blog", version: "1" },
  paths: {
    "/users": {
      post: {
        operationId: "createUser",
        requestBody: { required: true, content: { "application/json": { schema: userSchema, example: { username: "alice01", displayName: "Alice" } } } },
        responses: { "201": { description: "created", content: { "application/json": { schema: userSchema } } }, "400": { description: "invalid" }, "409": { description: "taken" } },
      },
    },
    "/profiles/{author}": { get: { operationId: "getProfile", parameters: pathParam("author", "Username of the author"), responses: ok(profile) } },
    "/badges/{userName}": { get: { operationId: "getBadge", parameters: pathParam("userName", "Name of the badge a user can earn"), responses: ok({ type: "object" }) } },
    "/greetings/{username}": { get: { operationId: "greet", parameters: pathParam("username", "Username to greet"), responses: ok({ type: "object" }) } },
  },
};

const users = new Map<string, string>();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const [, resource, key] = url.pathname.split("/").map(decodeURIComponent);
      if (req.method === "POST" && resource === "users") {
        const body = JSON.parse(text || "{}") as { username?: string; displayName?: string };
        if (typeof body.username !== "string" || !/^[a-z][a-z0-9]{3,15}$/.test(body.username)) return send(400, { error: "username" });
        if (users.has(body.username)) return send(409, { error: "taken" });
        users.set(body.username, body.displayName ?? body.username);
        return send(201, { username: body.username, displayName: users.get(body.username) });
      }
      if (req.method === "GET" && resource === "profiles") return users.has(key) ? send(200, { author: key, displayName: users.get(key) }) : send(404, { error: "no such author" });
      if (req.method === "GET" && resource === "badges") return send(404, { error: "no such badge" }); // badges are not users
      if (req.method === "GET" && resource === "greetings") return send(200, { hello: key }); // anything is greeted
      send(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const model: ApiModel = parseSpec(JSON.stringify(spec)).model!;
const runEnv = () => ({ fetch: (url: string, init: RequestInit) => fetch(url, init), baseUrl, identities: {}, model, config: { timeoutMs: 5_000, maxBodyBytes: 65_536, retries: 0, stallMs: 0 } });
const plan = (links?: MeaningLink[]) => planRun({ model, seed: 3, agents: ["stateful", "functional-positive"], config: { identities: [], maxCasesPerOperation: 20, ...(links ? { links } : {}) } });

async function profileReached(results: CaseResult[]): Promise<boolean> {
  return results.some((r) => r.exchanges.some((e) => /\/profiles\//.test(e.request.url) && e.response !== undefined && e.response.status === 200));
}

describe("links by meaning", () => {
  it("proposes look-alike names and descriptions as candidates, never a parameter another producer fills", async () => {
    const candidates = await linkCandidates(model, lexicalEmbedder());
    expect(candidates.find((c) => c.path === "/profiles/{author}")).toMatchObject({ producer: "createUser", pointer: "/username", consumer: "getProfile" });
    expect(candidates.every((c) => c.producer === "createUser")).toBe(true);
  });

  it("trusts a link only once the target confirms it, and a stateful chain reaches the consumer only with it", async () => {
    const { links, probes } = await confirmLinks({ model, embedder: lexicalEmbedder(), fetch: (url, init) => fetch(url, init), baseUrl, identities: {}, seed: 3, timeoutMs: 5_000 });
    expect(links).toEqual([expect.objectContaining({ path: "/profiles/{author}", param: "author", producer: "createUser", pointer: "/username" })]);
    const verdicts = Object.fromEntries(probes.map((p) => [p.candidate.path, [p.linked, p.random, p.confirmed]]));
    expect(verdicts["/profiles/{author}"]).toEqual([200, 404, true]);
    // similar names, unrelated values: the produced username is no badge
    if (verdicts["/badges/{userName}"]) expect(verdicts["/badges/{userName}"]).toEqual([404, 404, false]);
    // a consumer that answers anything proves nothing: refuted by the random value, nothing created for it
    expect(verdicts["/greetings/{username}"]).toEqual([undefined, 200, false]);

    const without = (await plan()).cases;
    const withLinks = (await plan(links)).cases;
    const chain = withLinks.find((c) => c.agent === "stateful" && c.steps.some((s) => s.request.path === "/users") && c.steps.some((s) => s.request.path === "/profiles/{author}"));
    expect(chain).toBeDefined();
    expect(without.some((c) => c.agent === "stateful" && c.steps.some((s) => s.request.path === "/profiles/{author}"))).toBe(false);
    // no other consumer got a producer from the unconfirmed candidates
    expect(withLinks.some((c) => c.steps.some((s) => /badges|greetings/.test(s.request.path) && c.steps.some((t) => t.request.path === "/users")))).toBe(false);

    const ranWithout = await Promise.all(without.filter((c) => c.operationId === "getProfile").map((c) => runCase(c, runEnv())));
    const ranWith = await Promise.all(withLinks.filter((c) => c.operationId === "getProfile" || c === chain).map((c) => runCase(c, runEnv())));
    expect(await profileReached(ranWithout)).toBe(false);
    expect(await profileReached(ranWith)).toBe(true);
    // the target follows its spec: the linked chains raise no alarm
    expect(ranWith.flatMap((r) => r.checks).filter((c) => c.status === "failed")).toEqual([]);
  });
});
