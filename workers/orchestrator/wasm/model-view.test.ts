import { describe, expect, it } from "vitest";
import { toWasmInput } from "./model-view";
import { fixtureModel } from "./testing/fixture-model";

describe("toWasmInput", () => {
  const input = toWasmInput(fixtureModel, { agent: "a", seed: -1, maxCasesPerOperation: 7.9 });
  const op = (id: string) => input.operations.find((o) => o.operationId === id)!;

  it("normalises seed and budget", () => {
    expect(input.seed).toBe(4294967295);
    expect(input.maxCasesPerOperation).toBe(7);
    expect(input.agent).toBe("a");
  });

  it("gives every parameter one type and a valid-looking example, and drops ignored headers", () => {
    expect(op("listPets").params).toEqual([
      { name: "limit", in: "query", required: false, type: "integer", example: 1 },
      { name: "status", in: "query", required: true, type: "string", example: "available", enum: ["available", "sold"] },
      { name: "X-Request-Id", in: "header", required: true, type: "string", example: "00000000-0000-4000-8000-000000000001" },
    ]);
  });

  it("declares path template variables the spec forgot", () => {
    expect(op("getOwnerPet").params).toEqual([
      { name: "petId", in: "path", required: true, type: "integer", example: 42 },
      { name: "ownerId", in: "path", required: true, type: "string", example: "1" },
    ]);
  });

  it("flattens a JSON body to its top-level string and number properties plus a valid base", () => {
    expect(op("createPet").body).toEqual({
      contentType: "application/json",
      required: ["name", "species"],
      stringProps: [
        { name: "name", type: "string", example: "Rex" },
        { name: "species", type: "string", example: "dog", enum: ["dog", "cat"] },
      ],
      numberProps: [
        { name: "age", type: "integer", example: 1 },
        { name: "weight", type: "number", example: 1 },
      ],
      base: { name: "Rex", species: "dog" },
    });
  });

  it("lists nested properties the base holds an object for (data.attributes.title), at most 16 of them, every top-level one, no formatted string", () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, { type: "string" }]));
    const schema = { type: "object", properties: { note: { type: "string" }, link: { type: "string", format: "uri" }, data: { type: "object", properties: { attributes: { type: "object", properties: many } } }, absent: { type: "object", properties: { x: { type: "string" } } } } };
    const model = { ...fixtureModel, operations: [{ ...fixtureModel.operations[2], operationId: "n", requestBody: { required: true, content: [{ contentType: "application/vnd.api+json", schema, example: { data: { attributes: {} } } }] } }] };
    const body = toWasmInput(model, { agent: "a", seed: 1, maxCasesPerOperation: 1 }).operations[0].body!;
    expect(body.stringProps[0]).toEqual({ name: "note", type: "string", example: expect.anything() });
    expect(body.stringProps[1]).toMatchObject({ name: "data.attributes.f0", path: ["data", "attributes", "f0"] });
    expect(body.stringProps).toHaveLength(17);
    expect(body.stringProps.some((p) => p.name.startsWith("absent") || p.name === "link")).toBe(false);
  });

  it("leaves out bodies fetch cannot send and non-JSON bodies", () => {
    expect(op("uploadRaw").body).toBeUndefined();
    const getWithBody = { ...fixtureModel.operations[2], operationId: "g", method: "get" as const };
    expect(toWasmInput({ ...fixtureModel, operations: [getWithBody] }, { agent: "a", seed: 1, maxCasesPerOperation: 1 }).operations[0].body).toBeUndefined();
  });
});
