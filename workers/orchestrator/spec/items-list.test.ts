import { describe, expect, it } from "vitest";
import { parseSpec } from "./parse-spec";
import { validateSchema } from "../../jsonschema/validate";

// PowerDNS's own spec: GET /statistics answers a list mixing three item kinds, written as an `items` list
const items = [
  { $ref: "#/definitions/Plain" },
  { $ref: "#/definitions/Map" },
];
const definitions = {
  Plain: { properties: { name: { type: "string" }, value: { type: "string" } } },
  Map: { properties: { name: { type: "string" }, value: { type: "array", items: { type: "object" } } } },
};
const swagger = { swagger: "2.0", info: { title: "t", version: "1" }, definitions, paths: { "/stats": { get: { responses: { "200": { description: "List of items", schema: { type: "array", items } } } } } } };
const body = [{ name: "a", value: "0" }, { name: "b", value: "1" }, { name: "c", value: [{}] }];

const schemaOf = (doc: unknown) => {
  const { model } = parseSpec(JSON.stringify(doc));
  return { model: model!, schema: model!.operations[0].responses[0].content[0].schema };
};

describe("an `items` list where OpenAPI allows one schema", () => {
  it("is read as any of its schemas in Swagger 2.0 and OpenAPI 3.0 (which know no tuples)", () => {
    const { model, schema } = schemaOf(swagger);
    expect(validateSchema(model, schema, body, "response").valid).toBe(true);
    expect(validateSchema(model, schema, [{ name: "d", value: 5 }], "response").valid).toBe(false);
    const oas30 = { openapi: "3.0.3", info: { title: "t", version: "1" }, components: { schemas: { Plain: definitions.Plain, Map: definitions.Map } }, paths: { "/stats": { get: { responses: { "200": { description: "d", content: { "application/json": { schema: { type: "array", items: [{ $ref: "#/components/schemas/Plain" }, { $ref: "#/components/schemas/Map" }] } } } } } } } } };
    const read30 = schemaOf(oas30);
    expect(validateSchema(read30.model, read30.schema, body, "response").valid).toBe(true);
  });

  it("stays a tuple (prefixItems) in OpenAPI 3.1, whose JSON Schema dialects may mean one", () => {
    const oas31 = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/stats": { get: { responses: { "200": { description: "d", content: { "application/json": { schema: { type: "array", items: [{ type: "string" }, { type: "integer" }] } } } } } } } } };
    expect(schemaOf(oas31).schema).toMatchObject({ prefixItems: [{ type: "string" }, { type: "integer" }] });
  });
});
