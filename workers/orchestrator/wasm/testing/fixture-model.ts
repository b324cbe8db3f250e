/** A small ApiModel that exercises every input the robustness fuzzer handles (shared by Node and workerd tests). */
import type { ApiModel, Operation } from "../../../model";

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: `/paths/${partial.path}`, ...partial };
}

export const fixtureModel: ApiModel = {
  sourceVersion: "3.1.0",
  title: "Pets",
  version: "1.0.0",
  servers: ["http://127.0.0.1:9"],
  securitySchemes: {},
  schemas: {
    Species: { type: "string", enum: ["dog", "cat"] },
    Pet: {
      type: "object",
      required: ["name", "species"],
      properties: {
        id: { type: "integer", readOnly: true },
        name: { type: "string", minLength: 1, example: "Rex" },
        species: { $ref: "#/components/schemas/Species" },
        age: { type: "integer", minimum: 0 },
        weight: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
        vaccinated: { type: "boolean" },
      },
    },
  },
  operations: [
    op({
      operationId: "listPets",
      method: "get",
      path: "/pets",
      parameters: [
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } },
        { name: "status", in: "query", required: true, schema: { type: "string", enum: ["available", "sold"] } },
        { name: "X-Request-Id", in: "header", required: true, schema: { type: "string", format: "uuid" } },
        // OpenAPI ignores a header parameter named Authorization: never fuzzed, never filled
        { name: "Authorization", in: "header", required: true, schema: { type: "string" } },
      ],
    }),
    op({
      operationId: "getOwnerPet",
      method: "get",
      // {ownerId} is not declared: it must still be filled
      path: "/owners/{ownerId}/pets/{petId}",
      parameters: [{ name: "petId", in: "path", required: true, schema: { type: "integer", format: "int64" }, example: 42 }],
    }),
    op({
      operationId: "createPet",
      method: "post",
      path: "/pets",
      parameters: [{ name: "session", in: "cookie", required: true, schema: { type: "string" } }],
      requestBody: { required: true, content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Pet" } }] },
    }),
    op({ operationId: "ping", method: "get", path: "/ping" }),
    op({
      operationId: "uploadRaw",
      method: "put",
      path: "/raw",
      requestBody: { required: true, content: [{ contentType: "text/plain", schema: { type: "string" } }] },
    }),
  ],
};
