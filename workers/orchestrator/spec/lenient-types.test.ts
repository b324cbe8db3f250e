import { describe, expect, it } from "vitest";
import { parseSpec } from "./parse-spec";
import { validateSchema } from "../../jsonschema/validate";

// httpbin's spec: `type: int` on path parameters; others write int64, bool, double as types
const swagger = {
  swagger: "2.0",
  info: { title: "t", version: "1" },
  paths: {
    "/delay/{delay}": {
      get: {
        parameters: [
          { name: "delay", in: "path", required: true, type: "int" },
          { name: "flag", in: "query", type: "bool" },
        ],
        responses: { "200": { description: "ok", schema: { type: "object", properties: { ratio: { type: "double" }, big: { type: "int64" } } } } },
      },
    },
  },
};

describe("non-standard type names", () => {
  it("are read as the JSON Schema type they mean, with a warning", () => {
    const { model, problems } = parseSpec(JSON.stringify(swagger));
    const op = model!.operations[0];
    expect(op.parameters.find((p) => p.name === "delay")!.schema).toMatchObject({ type: "integer" });
    expect(op.parameters.find((p) => p.name === "flag")!.schema).toMatchObject({ type: "boolean" });
    const schema = op.responses[0].content[0].schema;
    expect(schema).toMatchObject({ properties: { ratio: { type: "number", format: "double" }, big: { type: "integer", format: "int64" } } });
    expect(validateSchema(model!, schema, { ratio: 1.5, big: 3 }, "response").valid).toBe(true);
    expect(validateSchema(model!, schema, { ratio: "1.5" }, "response").valid).toBe(false);
    expect(problems.filter((p) => p.severity === "warning" && /is not a JSON Schema type/.test(p.message))).toHaveLength(4);
  });
});

// PowerDNS's RRSet: `changetype` is required, yet "MUST be added when updating" — answers never carry it
const RRSet = {
  required: ["name", "changetype"],
  properties: {
    name: { type: "string" },
    changetype: { type: "string", description: "MUST be added when updating the RRSet. Must be REPLACE or DELETE." },
  },
};
const zones = {
  swagger: "2.0",
  info: { title: "t", version: "1" },
  definitions: { RRSet },
  paths: { "/zone": { patch: { parameters: [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/RRSet" } }], responses: { "200": { description: "ok", schema: { $ref: "#/definitions/RRSet" } } } } } },
};

describe("a required property its text says is sent only when writing", () => {
  it("is required of requests, not of responses", () => {
    const { model, problems } = parseSpec(JSON.stringify(zones));
    const op = model!.operations[0];
    const response = op.responses[0].content[0].schema;
    const request = op.requestBody!.content[0].schema;
    expect(validateSchema(model!, response, { name: "a." }, "response").valid).toBe(true);
    expect(validateSchema(model!, request, { name: "a." }, "request").valid).toBe(false);
    expect(validateSchema(model!, response, {}, "response").valid).toBe(false);
    expect(problems.some((p) => /sent only when writing/.test(p.message))).toBe(true);
  });

  it("leaves a required property whose text says nothing of the kind alone", () => {
    const plain = structuredClone(zones);
    plain.definitions.RRSet.properties.changetype.description = "Must be REPLACE or DELETE.";
    const { model } = parseSpec(JSON.stringify(plain));
    const response = model!.operations[0].responses[0].content[0].schema;
    expect(validateSchema(model!, response, { name: "a." }, "response").valid).toBe(false);
  });
});
