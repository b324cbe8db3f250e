/**
 * A number sent for a string, on writes that answer with no body (issue 12, real apps): a small
 * API of tag types whose PUT answers 204 and whose POST on an item answers 202, both empty, as
 * Unleash does. The clean variant converts the number into the documented string (ajv's
 * `coerceTypes`, JSON::Validator, Jackson): its read-back returns "12345", no finding. The buggy
 * variant stores the number as sent: the read-back returns 12345, a negative_data_rejection finding
 * that names the read as its evidence.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { listenLoopback } from "../loopback-server";

const json = (schema: unknown) => ({ "application/json": { schema } });
const TagType = { type: "object", required: ["name"], properties: { name: { type: "string" }, description: { type: "string" }, icon: { type: "string" } } };
const TagTypeUpdate = { type: "object", additionalProperties: false, properties: { description: { type: "string" }, icon: { type: "string" } } };
const nameParam = { name: "name", in: "path", required: true, schema: { type: "string", pattern: "^[a-z][a-z0-9-]{2,30}$" }, example: "simple" };
const problem = { description: "invalid", content: json({ type: "object", properties: { message: { type: "string" } } }) };
const spec = {
  openapi: "3.0.3",
  info: { title: "Tag types", version: "1.0.0" },
  paths: {
    "/tag-types/{name}": {
      parameters: [nameParam],
      get: { operationId: "getTagType", responses: { "200": { description: "the tag type", content: json(TagType) }, "404": problem } },
      put: { operationId: "updateTagType", requestBody: { required: true, content: json(TagTypeUpdate) }, responses: { "204": { description: "updated" }, "400": problem, "404": problem } },
      post: { operationId: "touchTagType", summary: "Register the tag type's metadata", requestBody: { required: true, content: json(TagTypeUpdate) }, responses: { "202": { description: "accepted" }, "400": problem } },
    },
  },
};

async function start(converts: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const types = new Map<string, Record<string, unknown>>([["simple", { name: "simple", description: "Arbitrary tags", icon: "tag" }]]);
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => (body === undefined ? res.writeHead(status, headers).end() : res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body)));
      const m = /^\/tag-types\/([^/?]+)$/.exec(req.url ?? "");
      const name = m ? decodeURIComponent(m[1]) : "";
      if (!m || !/^[a-z][a-z0-9-]{2,30}$/.test(name)) return send(404, { message: "not found" });
      if (req.method === "GET") return types.has(name) ? send(200, types.get(name)) : send(404, { message: "not found" });
      if (req.method !== "PUT" && req.method !== "POST") return send(405, { message: "method not allowed" }, { allow: "GET, PUT, POST" });
      if (req.method === "PUT" && !types.has(name)) return send(404, { message: "not found" });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(400, { message: "malformed JSON" });
      }
      if (body === null || typeof body !== "object" || Array.isArray(body)) return send(400, { message: "an object is required" });
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(body)) {
        if (key !== "description" && key !== "icon") return send(400, { message: `unknown property ${key}` });
        // a number or boolean is read as its text (coerceTypes); what no reading makes a string is refused
        if (typeof value === "number" || typeof value === "boolean") fields[key] = converts ? String(value) : value;
        else if (typeof value === "string") fields[key] = value;
        else return send(400, { message: `${key} must be a string` });
      }
      types.set(name, { ...(types.get(name) ?? { name }), ...fields });
      return send(req.method === "PUT" ? 204 : 202);
    });
  });
  return listenLoopback(server);
}

async function run(converts: boolean, seed: number) {
  const api = await start(converts);
  try {
    return await planAndRun({ model: parseModel(JSON.stringify(spec)), baseUrl: api.url, seed, identities: [], agentNames: ["functional-negative", "functional-positive"] });
  } finally {
    await api.close();
  }
}

describe("a number for a string on a write that answers with no body", () => {
  it.each([3, 11])("a server that converts it draws no finding (seed %i)", async (seed) => {
    const { findings, results } = await run(true, seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
    // judged by the read-back, not left unjudged
    const converted = results.flatMap((r) => r.checks).filter((c) => c.check === "negative_data_rejection" && c.status === "passed" && /read-back returns "12345"/.test(c.message ?? ""));
    expect(converted.length).toBeGreaterThan(0);
  }, 60_000);
  it("a server that stores it as sent is found, with the read-back as evidence", async () => {
    const { findings } = await run(false, 3);
    const stored = findings.filter((f) => f.check === "negative_data_rejection" && /returns 12345 at \/(description|icon)/.test(JSON.stringify(f)));
    expect(stored.length, describeFindings(findings)).toBeGreaterThan(0);
  }, 60_000);
});
