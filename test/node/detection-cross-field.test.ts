/**
 * Updates built on the created resource's own values (issue 12, Boxoffice T5/T13): an events API
 * whose server enforces rules across fields that no schema states (the end on or after the start,
 * the tiers' quantities within the capacity) and refuses a body breaking them with 422. A generated
 * PUT body breaks them on some seeds, so whether a probe of the PUT said anything depended on the
 * seed. The buggy variant lets another identity replace an event (BOLA) and keeps duplicate `tags`
 * on a replace (uniqueItems); both are found on every seed, and the clean variant draws no finding.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun, type Identity } from "./detection-harness";
import { listenLoopback } from "../loopback-server";

const TOKENS = { alice: "tok-alice-7f3a", bob: "tok-bob-91c2" } as const;
const identities: Identity[] = (["alice", "bob"] as const).map((name) => ({ name, headers: { Authorization: `Bearer ${TOKENS[name]}` } }));

const json = (schema: unknown, example?: unknown) => ({ "application/json": { schema, ...(example === undefined ? {} : { example }) } });
const problem = { description: "refused", content: json({ type: "object", properties: { message: { type: "string" } } }) };
const Tier = { type: "object", required: ["name", "quantity"], additionalProperties: false, properties: { name: { type: "string", minLength: 1, maxLength: 20 }, quantity: { type: "integer", minimum: 1, maximum: 1000 } } };
const EventWrite = {
  type: "object",
  required: ["title", "starts_on", "ends_on", "capacity", "tiers"],
  additionalProperties: false,
  properties: {
    title: { type: "string", minLength: 1, maxLength: 60 },
    starts_on: { type: "string", format: "date" },
    ends_on: { type: "string", format: "date", description: "On or after starts_on" },
    capacity: { type: "integer", minimum: 1, maximum: 1000 },
    tiers: { type: "array", minItems: 1, maxItems: 4, items: Tier, description: "Their quantities add up to at most the capacity" },
    tags: { type: "array", maxItems: 5, uniqueItems: true, items: { type: "string", pattern: "^[a-z]{2,12}$" } },
  },
};
const Event = { type: "object", required: ["id", "title"], properties: { id: { type: "string", readOnly: true }, ...EventWrite.properties } };
const example = { title: "Harbour Jazz Night", starts_on: "2027-03-14", ends_on: "2027-03-15", capacity: 400, tiers: [{ name: "standard", quantity: 300 }], tags: ["jazz", "live"] };
const idParam = { name: "eventId", in: "path", required: true, schema: { type: "string", pattern: "^[0-9]{1,9}$" } };
const spec = {
  openapi: "3.0.3",
  info: { title: "Events", version: "1.0.0" },
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  security: [{ bearer: [] }],
  paths: {
    "/events": {
      post: {
        operationId: "createEvent",
        requestBody: { required: true, content: json(EventWrite, example) },
        responses: { "201": { description: "created", content: json(Event) }, "401": problem, "422": problem },
      },
    },
    "/events/{eventId}": {
      parameters: [idParam],
      get: { operationId: "getEvent", responses: { "200": { description: "the event", content: json(Event) }, "401": problem, "404": problem } },
      put: {
        operationId: "replaceEvent",
        summary: "Replace the event (its organizer only)",
        requestBody: { required: true, content: json(EventWrite) },
        responses: { "200": { description: "replaced", content: json(Event) }, "401": problem, "403": problem, "404": problem, "422": problem },
      },
    },
  },
};

type Stored = Record<string, unknown> & { id: string; owner: string };

/** The schema's rules and the two the server adds; `checkUnique` off is the buggy replace. */
function refusal(body: unknown, checkUnique: boolean): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "an object is required";
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!(key in EventWrite.properties)) return `unknown property ${key}`;
  if (typeof b.title !== "string" || b.title.length < 1 || b.title.length > 60) return "title";
  const date = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
  if (!date(b.starts_on) || !date(b.ends_on)) return "dates";
  const int = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!int(b.capacity, 1000)) return "capacity";
  if (!Array.isArray(b.tiers) || b.tiers.length < 1 || b.tiers.length > 4) return "tiers";
  for (const t of b.tiers as Record<string, unknown>[]) {
    if (t === null || typeof t !== "object" || Object.keys(t).some((k) => k !== "name" && k !== "quantity")) return "tier";
    if (typeof t.name !== "string" || t.name.length < 1 || t.name.length > 20 || !int(t.quantity, 1000)) return "tier";
  }
  if (b.tags !== undefined) {
    if (!Array.isArray(b.tags) || b.tags.length > 5 || b.tags.some((t) => typeof t !== "string" || !/^[a-z]{2,12}$/.test(t))) return "tags";
    if (checkUnique && new Set(b.tags).size !== b.tags.length) return "tags must be unique";
  }
  // the rules across fields
  if ((b.ends_on as string) < (b.starts_on as string)) return "ends_on must be on or after starts_on";
  if ((b.tiers as { quantity: number }[]).reduce((n, t) => n + t.quantity, 0) > (b.capacity as number)) return "the tiers exceed the capacity";
  return undefined;
}

async function start(buggy: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const events = new Map<string, Stored>();
  let next = 100;
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const user = Object.entries(TOKENS).find(([, t]) => t === token)?.[0];
      if (!user) return send(401, { message: "sign in" });
      const url = (req.url ?? "").split("?")[0];
      const view = (e: Stored) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== "owner"));
      const read = () => {
        try {
          return { body: JSON.parse(text) as unknown };
        } catch {
          return undefined;
        }
      };
      if (url === "/events") {
        if (req.method !== "POST") return send(405, { message: "method not allowed" }, { allow: "POST" });
        const parsed = read();
        const why = parsed ? refusal(parsed.body, true) : "malformed JSON";
        if (why) return send(422, { message: why });
        const id = String(next++);
        const stored: Stored = { ...(parsed!.body as Record<string, unknown>), id, owner: user };
        events.set(id, stored);
        return send(201, view(stored), { location: `/events/${id}` });
      }
      const m = /^\/events\/([0-9]{1,9})$/.exec(url);
      if (!m) return send(404, { message: "not found" });
      const event = events.get(m[1]);
      if (req.method === "GET") return event && event.owner === user ? send(200, view(event)) : send(404, { message: "not found" });
      if (req.method !== "PUT") return send(405, { message: "method not allowed" }, { allow: "GET, PUT" });
      if (!event) return send(404, { message: "not found" });
      if (event.owner !== user && !buggy) return send(403, { message: "only its organizer may replace an event" });
      const parsed = read();
      const why = parsed ? refusal(parsed.body, !buggy) : "malformed JSON";
      if (why) return send(422, { message: why });
      const stored: Stored = { ...(parsed!.body as Record<string, unknown>), id: event.id, owner: event.owner };
      events.set(event.id, stored);
      return send(200, view(stored));
    });
  });
  return listenLoopback(server);
}

async function run(buggy: boolean, seed: number) {
  const api = await start(buggy);
  try {
    return await planAndRun({ model: parseModel(JSON.stringify(spec)), baseUrl: api.url, seed, identities, agentNames: ["security-auth", "functional-negative"] });
  } finally {
    await api.close();
  }
}

describe("updates on the created resource's own values", () => {
  it.each([1, 2, 3, 4, 5, 6])("the buggy replace is found on every seed: BOLA and duplicate tags (seed %i)", async (seed) => {
    const { findings } = await run(true, seed);
    expect(findings.some((f) => f.check === "bola" && f.operation.method === "put"), describeFindings(findings)).toBe(true);
    expect(findings.some((f) => f.check === "negative_data_rejection" && f.operation.method === "put" && /tags/.test(f.signature)), describeFindings(findings)).toBe(true);
  }, 60_000);
  it.each([1, 2])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run(false, seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 60_000);
});
