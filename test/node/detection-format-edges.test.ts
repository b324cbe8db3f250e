/**
 * Valid edge values of formatted parameters (issue 12): a small API whose one read takes a
 * `format: date` path parameter documented with a weekday example. The buggy variant answers 500
 * for a weekend day (a table of weekdays only), which the example never shows; the clean variant
 * answers every valid date and must draw no finding.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { listenLoopback } from "../loopback-server";

const json = (schema: unknown) => ({ "application/json": { schema } });
const spec = {
  openapi: "3.0.3",
  info: { title: "Opening hours", version: "1.0.0" },
  paths: {
    "/hours/{day}": {
      get: {
        operationId: "getHours",
        parameters: [{ name: "day", in: "path", required: true, schema: { type: "string", format: "date" }, example: "2025-03-10" }],
        responses: {
          "200": { description: "the day's opening hours", content: json({ type: "object", required: ["day", "open"], properties: { day: { type: "string", format: "date" }, open: { type: "array", items: { type: "string" } } } }) },
          "400": { description: "not a date", content: json({ type: "object", properties: { title: { type: "string" } } }) },
        },
      },
    },
  },
};

async function start(buggy: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const weekdays: Record<number, string[]> = { 1: ["09:00-17:00"], 2: ["09:00-17:00"], 3: ["09:00-17:00"], 4: ["09:00-17:00"], 5: ["09:00-13:00"] };
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const m = /^\/hours\/([^/?]+)$/.exec(req.url ?? "");
    if (!m || req.method !== "GET") return send(404, { title: "Not Found" });
    const day = decodeURIComponent(m[1]);
    const date = new Date(`${day}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) return send(400, { title: "not a date" });
    const hours = weekdays[date.getUTCDay()];
    if (!hours && buggy) return send(500, { title: "Internal Server Error", detail: "Cannot read properties of undefined (reading '0')" });
    return send(200, { day, open: hours ?? [] });
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

describe("valid edge values of a date parameter", () => {
  it("finds the 500 a weekend date causes, though the example is a weekday", async () => {
    const { findings } = await run(true, 5);
    expect(findings.some((f) => f.check === "not_a_server_error" && f.operation.path === "/hours/{day}"), describeFindings(findings)).toBe(true);
  }, 60_000);
  it.each([5, 8])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run(false, seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 60_000);
});
