/**
 * Catastrophic regex backtracking within the field's limits (issue 12): a members API whose
 * `handle` has `maxLength: 26` and a pattern. Its length is checked first, so long strings never
 * reach a regex. The buggy variant then checks the handle with the backtracking
 * `^([a-z0-9]+[._-]?)+$` (same language as the spec's pattern), whose time doubles with every
 * letter of a run that ends in a refused character; the clean variant uses the spec's pattern.
 * The ReDoS probe (a run of 25 letters and `!`, next to a valid handle of the same length and the
 * probe 6 characters shorter, each twice) must be found; the clean variant draws no finding.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { listenLoopback } from "../loopback-server";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ type: "object", properties: { title: { type: "string" } } }) };
const HANDLE = { type: "string", minLength: 3, maxLength: 26, pattern: "^[a-z0-9]+([._-][a-z0-9]+)*$" };
const member = { type: "object", required: ["handle", "displayName"], properties: { handle: HANDLE, displayName: { type: "string", minLength: 1, maxLength: 60 } } };
const spec = {
  openapi: "3.0.3",
  info: { title: "Members", version: "1.0.0" },
  paths: {
    "/members": {
      post: {
        operationId: "createMember",
        requestBody: { required: true, content: json({ ...member, additionalProperties: false, example: { handle: "ada.lovelace", displayName: "Ada" } }) },
        responses: { "201": { description: "created", content: json(member) }, "400": problem, "409": problem },
      },
    },
  },
};

async function start(buggy: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const handles = new Set<string>();
  const valid = buggy ? /^([a-z0-9]+[._-]?)+$/ : /^[a-z0-9]+([._-][a-z0-9]+)*$/;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      if (req.url !== "/members") return send(404, { title: "Not Found" });
      if (req.method !== "POST") return send(405, { title: "Method Not Allowed" }, { allow: "POST" });
      let b: Record<string, unknown>;
      try {
        b = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { title: "body must be JSON" });
      }
      if (typeof b !== "object" || b === null || Array.isArray(b) || Object.keys(b).some((k) => k !== "handle" && k !== "displayName")) return send(400, { title: "unknown property" });
      const { handle, displayName } = b;
      if (typeof displayName !== "string" || displayName.length < 1 || displayName.length > 60) return send(400, { title: "displayName must have 1 to 60 characters" });
      // the length first: a long string never reaches the pattern
      if (typeof handle !== "string" || handle.length < 3 || handle.length > 26) return send(400, { title: "handle must have 3 to 26 characters" });
      // the buggy pattern accepts "a.b." where the spec's does not: the trailing separator is refused apart
      if (!valid.test(handle) || /[._-]$/.test(handle)) return send(400, { title: "handle must be letters or digits separated by single dots, dashes or underscores" });
      if (handles.has(handle)) return send(409, { title: "handle taken" });
      handles.add(handle);
      return send(201, { handle, displayName });
    });
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}

async function run(buggy: boolean, seed: number) {
  const api = await start(buggy);
  try {
    return await planAndRun({ model: parseModel(JSON.stringify(spec)), baseUrl: api.url, seed, identities: [] });
  } finally {
    await api.close();
  }
}

describe("catastrophic backtracking within maxLength and a pattern", () => {
  it("finds the handle whose time grows exponentially with a run of letters ending in a refused character", async () => {
    const { findings } = await run(true, 4);
    const found = findings.find((f) => f.check === "max_response_time" && f.signature === "redos" && f.operation.path === "/members");
    expect(found, describeFindings(findings)).toBeDefined();
    expect(found!.message).toContain("body.handle of 26 characters");
  }, 90_000);
  it.each([4, 9])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run(false, seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 90_000);
});
