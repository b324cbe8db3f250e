import { describe, expect, it } from "vitest";
import type { ApiModel, TestCase } from "../../model";
import { parseSpec } from "../spec/parse-spec";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";
import { functionalPositive } from "./functional-positive";
import { buildRequest as sendable } from "../../executor/request-builder";

// A note keeps its id in its representation; the replace (PUT) and the partial update (PATCH) take
// the whole model, id included, as a code-first framework documents them
const Note = { type: "object", required: ["title"], additionalProperties: false, properties: { id: { type: "number" }, title: { type: "string" }, done: { type: "boolean" } } };
const NewNote = { type: "object", required: ["title"], additionalProperties: false, properties: { title: { type: "string" }, done: { type: "boolean" } } };
const Partial = { type: "object", additionalProperties: false, properties: Note.properties };
const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const id = { name: "id", in: "path", required: true, schema: { type: "number" } };
const spec = (itemParam = "id", readOnlyId = false) => ({
  openapi: "3.0.0",
  info: { title: "Notes", version: "1" },
  components: { schemas: { Note: readOnlyId ? { ...Note, properties: { ...Note.properties, id: { type: "number", readOnly: true } } } : Note, NewNote, Partial } },
  paths: {
    "/notes": {
      post: { operationId: "create", requestBody: { required: true, content: json("NewNote") }, responses: { "200": { description: "made", content: json("Note") } } },
    },
    [`/notes/{${itemParam}}`]: {
      get: { operationId: "read", parameters: [{ ...id, name: itemParam }], responses: { "200": { description: "it", content: json("Note") } } },
      put: { operationId: "replace", parameters: [{ ...id, name: itemParam }], requestBody: { required: true, content: json("Note") }, responses: { "204": { description: "replaced" } } },
      patch: { operationId: "update", parameters: [{ ...id, name: itemParam }], requestBody: { required: true, content: json("Partial") }, responses: { "204": { description: "updated" } } },
    },
  },
});
const model = (s: unknown): ApiModel => parseSpec(JSON.stringify(s)).model!;
const build = (m: ApiModel, operationId: string, options: Parameters<typeof buildRequest>[3]) =>
  buildRequest(agentEnv({ model: m, seed: 3, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations.find((o) => o.operationId === operationId)!, new Rng(7), options);
const sent = async (template: TestCase["steps"][number]["request"], variables: Record<string, unknown>) =>
  JSON.parse((await sendable(template, { baseUrl: "http://x", variables })).body!) as Record<string, unknown>;

describe("a write's body naming the item its URL addresses", () => {
  it("carries the id the setup created, where the path has it (PUT and PATCH)", async () => {
    const m = model(spec());
    for (const op of ["replace", "update"]) {
      const built = build(m, op, { optional: "all" });
      expect(built.request.pathParams).toEqual({ id: "{{id}}" });
      const planned = (built.request.body!.value as Record<string, unknown>).id;
      expect(typeof planned).toBe("number");
      expect(built.request.references).toEqual([{ pointer: "/id", variable: "id", planned }]);
      expect(await sent(built.request, { id: 12 })).toMatchObject({ id: 12 });
    }
  });

  it("carries the path's own value when nothing creates the item", () => {
    const built = build(model(spec()), "replace", { optional: "all", chain: false });
    const path = built.request.pathParams.id;
    expect(typeof path).toBe("number");
    expect((built.request.body!.value as Record<string, unknown>).id).toBe(path);
    expect(built.valid).toBe(true);
  });

  it("finds the member where the create answers the id when the parameter is named otherwise ({noteId} → id)", async () => {
    const built = build(model(spec("noteId")), "replace", { optional: "all" });
    expect(built.request.pathParams).toEqual({ noteId: "{{noteId}}" });
    expect(built.request.references?.map((r) => [r.pointer, r.variable])).toEqual([["/id", "noteId"]]);
    expect(await sent(built.request, { noteId: 5 })).toMatchObject({ id: 5 });
  });

  it("leaves out what the body does not send, a readOnly id, and a create", () => {
    const m = model(spec());
    expect(build(m, "update", { optional: "required" }).request.references).toBeUndefined();
    expect(build(model(spec("id", true)), "replace", { optional: "all" }).request.references).toBeUndefined();
    expect(build(m, "create", { optional: "all" }).request.references).toBeUndefined();
  });

  it.each([1, 2, 3, 4])("functional-positive never sends another id in the body than in the URL (seed %i)", async (seed) => {
    const cases = await functionalPositive.generate({ model: model(spec()), seed, config: { identities: [], maxCasesPerOperation: 20 } });
    const writes = cases.flatMap((c) => c.steps.filter((s) => s.id === "request" && (s.request.method === "put" || s.request.method === "patch")));
    expect(writes.length).toBeGreaterThan(0);
    for (const step of writes) {
      const body = step.request.body?.value as Record<string, unknown> | undefined;
      if (body === undefined || !("id" in body)) continue;
      const bound = (step.request.references ?? []).some((r) => r.pointer === "/id" && `{{${r.variable}}}` === step.request.pathParams.id);
      expect(bound || body.id === step.request.pathParams.id, JSON.stringify(step.request)).toBe(true);
    }
  });
});
