import { describe, expect, it } from "vitest";
import type { ReceivedResponse, RequestTemplate } from "../model";
import { parseSpec } from "../orchestrator/spec";
import { Rng } from "../orchestrator/generate/random";
import { isConflict, mayVaryConflict, varyConflicting } from "./conflict-retry";
import { namedInError } from "../shared/error-fields";

/** A create whose unique field has a name nothing treats as unique, and a pattern. */
const doc = {
  openapi: "3.0.3",
  info: { title: "Assets", version: "1" },
  paths: {
    "/assets": {
      post: {
        operationId: "createAsset",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["tag", "make", "kind"],
                properties: {
                  tag: { type: "string", pattern: "^[A-HJ-NPR-Z0-9]{17}$", example: "WDB9066331S123456" },
                  make: { type: "string", minLength: 1, maxLength: 40, example: "Acme" },
                  kind: { type: "string", enum: ["van", "truck"], example: "van" },
                  year: { type: "integer", minimum: 1990, maximum: 2027 },
                  owner: { type: "object", properties: { handle: { type: "string", pattern: "^[a-z]{3,8}$" } } },
                },
              },
            },
          },
        },
        responses: { "201": { description: "made" }, "409": { description: "taken" } },
      },
    },
  },
};
const model = parseSpec(JSON.stringify(doc)).model!;
const op = model.operations.find((o) => o.operationId === "createAsset");
const sent = { tag: "WDB9066331S123456", make: "Acme", kind: "van", year: 2022, owner: { handle: "ada" } };
const template = (unique?: string[]): RequestTemplate => ({ method: "post", path: "/assets", pathParams: {}, query: {}, headers: {}, body: { contentType: "application/json", value: sent }, ...(unique ? { unique } : {}) });
const answer = (status: number, body: unknown, type = "application/problem+json"): ReceivedResponse => ({ status, headers: { "content-type": type }, body: typeof body === "string" ? body : JSON.stringify(body), durationMs: 1, bodySize: 0 });
const vary = (response: ReceivedResponse, unique?: string[]) => varyConflicting(template(unique), response, model, op, new Rng(11))?.body?.value as typeof sent | undefined;

describe("a create that collides is retried with fresh values in the fields that collided", () => {
  it("reads the colliding fields of every common error shape", () => {
    expect(namedInError({ errors: [{ in: "body", name: "tag", message: "already exists" }, { in: "query", name: "page" }] })).toEqual(["tag"]);
    expect(namedInError({ errors: [{ source: { pointer: "/data/attributes/tag" }, detail: "taken" }] })).toEqual(["/data/attributes/tag"]);
    expect(namedInError({ "invalid-params": [{ name: "tag", reason: "duplicate" }] })).toEqual(["tag"]);
    expect(namedInError({ detail: [{ loc: ["body", "owner", "handle"], msg: "already exists" }] })).toEqual(["/owner/handle"]);
    expect(namedInError({ errors: { tag: ["has already been taken"] } })).toEqual(["tag"]);
    expect(namedInError({ error: { fieldErrors: [{ field: "owner.handle" }] } })).toEqual(["owner.handle"]);
    expect(namedInError("not json")).toEqual([]);
  });

  it("varies the field a 409 problem names, keeping its pattern, and nothing else", () => {
    const next = vary(answer(409, { title: "Conflict", errors: [{ in: "body", name: "tag", message: "already exists" }] }))!;
    expect(next.tag).not.toBe(sent.tag);
    expect(next.tag).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    expect({ ...next, tag: sent.tag }).toEqual(sent);
  });

  it("resolves pointers, dotted paths and JSON:API attribute pointers into the sent body", () => {
    for (const name of ["/owner/handle", "owner.handle", "owner[handle]", "/data/attributes/handle"]) {
      const next = vary(answer(422, { errors: [{ field: name, message: "is already taken" }] }))!;
      expect(next.owner.handle, name).not.toBe("ada");
      expect(next.owner.handle, name).toMatch(/^[a-z]{3,8}$/);
      expect(next.tag, name).toBe(sent.tag);
    }
  });

  it("reads a field named only in the error's text", () => {
    const next = vary(answer(409, { message: "an asset with TAG WDB9066331S123456 already exists" }))!;
    expect(next.tag).not.toBe(sent.tag);
    expect(next.make).toBe("Acme");
  });

  it("with nothing named, varies the strings sent as the spec's examples (never enum members)", () => {
    const next = vary(answer(409, "Conflict", "text/plain"))!;
    expect(next.tag).not.toBe(sent.tag);
    expect(next.tag).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    expect(next.make).not.toBe("Acme");
    expect(next.kind).toBe("van");
    expect(next.owner.handle).toBe("ada"); // not an example: generated, left as it was
  });

  it("varies a named integer within its bounds, and the fields the plan marked unique", () => {
    const next = vary(answer(409, { errors: [{ name: "year" }] }), ["/owner/handle"])!;
    expect(next.year).not.toBe(2022);
    expect(next.year).toBeGreaterThanOrEqual(1990);
    expect(next.year).toBeLessThanOrEqual(2027);
    expect(next.owner.handle).not.toBe("ada");
  });

  it("a conflict is a 409, or a 400/422 saying a value is taken", () => {
    expect(isConflict(answer(409, {}))).toBe(true);
    expect(isConflict(answer(422, { detail: "tag already exists" }))).toBe(true);
    expect(isConflict(answer(422, { detail: "tag is too short" }))).toBe(false);
    expect(vary(answer(409, { errors: [{ name: "kind" }] }), undefined)).toBeUndefined();
  });
});

describe("a step judged against a baseline keeps its conflict", () => {
  it("is not re-rolled when a check compares it with a baseline step, else it is", () => {
    const request: RequestTemplate = { method: "post", path: "/bookings", pathParams: {}, query: {}, headers: {} };
    expect(mayVaryConflict({ id: "request", request, checks: [{ name: "positive_data_acceptance", params: { valid: true, baselineStep: "baseline" } }] })).toBe(false);
    expect(mayVaryConflict({ id: "request", request, checks: [{ name: "positive_data_acceptance", params: { valid: true } }] })).toBe(true);
    expect(mayVaryConflict({ id: "setup-x", request, checks: [] })).toBe(true);
  });
  it("such a step re-rolls only the fields the plan marked unique, not those the error names", () => {
    const named = answer(409, { errors: [{ name: "year" }] });
    const next = varyConflicting(template(["/owner/handle"]), named, model, op, new Rng(11), true)?.body?.value as typeof sent;
    expect(next.year).toBe(2022);
    expect(next.owner.handle).not.toBe("ada");
    expect(varyConflicting(template(), named, model, op, new Rng(11), true)).toBeUndefined();
  });
});
